from __future__ import annotations

import time

import pytest

from ui import auth, settings


def test_passwords_compare_exactly():
    assert auth.matches("sla ponis", "sla ponis")
    assert not auth.matches("sla ponis ", "sla ponis")
    assert not auth.matches("", "x")
    assert auth.matches("ģimene", "ģimene")  # non-ascii secrets work


def test_wrong_attempts_slow_down_and_a_right_one_resets(monkeypatch):
    monkeypatch.setenv("PMP_ADMIN_PASSWORD", "pareizi")
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    auth._failures.clear()
    for _ in range(5):
        assert not auth.attempt("admin", "nepareizi")
    assert slept == [0.0, 0.5, 1.0, 2.0, 4.0]
    assert auth.attempt("admin", "pareizi")
    assert not auth.attempt("admin", "nepareizi")
    assert slept[-1] == 0.0  # the counter started again after the right password
    assert [auth.delay_for(n) for n in (7, 20)] == [auth.MAX_DELAY, auth.MAX_DELAY]


def test_no_configured_secret_means_no_access(monkeypatch):
    monkeypatch.delenv("PMP_ADMIN_PASSWORD", raising=False)
    assert not auth.attempt("admin", "")
    assert not auth.attempt("admin", "anything")


@pytest.mark.parametrize(("raw", "expected"), [(None, 5), ("10", 10), ("0", 1), ("x", 5), ("999999", 100000)])
def test_suppression_threshold_setting(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("PMP_SUPPRESSION_THRESHOLD", raising=False)
    else:
        monkeypatch.setenv("PMP_SUPPRESSION_THRESHOLD", raw)
    assert settings.suppression_threshold() == expected


def test_every_setting_is_documented_in_the_readme():
    from pathlib import Path

    text = (Path(settings.__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for setting in settings.SETTINGS:
        assert setting.env in text, setting.env


def test_database_location_may_be_a_hosted_connection_string():
    from data_loaders.store import is_remote

    assert is_remote("md:pmp") and is_remote("motherduck:pmp")
    assert not is_remote("data/pmp.duckdb") and not is_remote("/srv/md:odd/pmp.duckdb")
