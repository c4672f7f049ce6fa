"""Settings read in one place (environment, then .streamlit/secrets.toml, then default) by the app
and the commands; roles' reach as data."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_loaders import accounts
from data_loaders import settings as loader_settings
from data_loaders.build import DEFAULT_DB, database_path
from tests.conftest import ROOT
from ui import settings


@pytest.fixture
def secrets(tmp_path, monkeypatch):
    """Write a secrets.toml the settings read; returns a writer."""
    path = tmp_path / "secrets.toml"
    monkeypatch.setattr(loader_settings, "SECRETS_FILES", [path])
    for name in loader_settings.fields():
        monkeypatch.delenv(loader_settings.env_name(name), raising=False)
    return path.write_text


@pytest.mark.parametrize(("raw", "expected"), [(None, 5), ("10", 10), ("0", 1), ("x", 5), ("999999", 100000)])
def test_suppression_threshold_setting(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("PMP_SUPPRESSION_THRESHOLD", raising=False)
    else:
        monkeypatch.setenv("PMP_SUPPRESSION_THRESHOLD", raw)
    assert settings.suppression_threshold() == expected


def test_every_setting_is_documented_in_the_readme():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(loader_settings.fields()) >= {"db", "suppression_threshold", "viewer_password", "throttle_file"}
    for name in loader_settings.fields():
        assert loader_settings.env_name(name) in text, name
        assert f"`{name}`" in text, name
    assert "| `PMP_ADMIN_PASSWORD`" not in text  # the shared admin secret is gone (accounts instead)


def test_the_db_secret_is_read_by_the_app_and_the_commands(secrets, monkeypatch, tmp_path):
    """`db` in secrets.toml was read by nothing; now every loader's database_path() reads it."""
    assert database_path() == str(DEFAULT_DB)
    secrets('db = "/srv/pmp/pmp.duckdb"\nsuppression_threshold = 7\n\n[auth]\nredirect_uri = "x"\n')
    assert database_path() == "/srv/pmp/pmp.duckdb"
    assert settings.suppression_threshold() == 7
    monkeypatch.setenv("PMP_DB", str(tmp_path / "env.duckdb"))  # the environment wins
    assert database_path() == str(tmp_path / "env.duckdb")
    monkeypatch.setenv("PMP_DB", "")  # empty counts as not set
    assert database_path() == "/srv/pmp/pmp.duckdb"


@pytest.fixture
def streamlit_folders(tmp_path, monkeypatch):
    """A home, a working folder and a project folder of the test's own, each with a .streamlit folder;
    the settings read what Streamlit reads from them (no test override of the files)."""
    folders = {name: tmp_path / name for name in ("home", "work", "project")}
    for folder in folders.values():
        (folder / ".streamlit").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folders["home"]))
    monkeypatch.chdir(folders["work"])
    monkeypatch.setattr(loader_settings, "SECRETS_FILES", None)
    monkeypatch.setattr(loader_settings, "PROJECT_SECRETS", folders["project"] / ".streamlit" / "secrets.toml")
    for name in loader_settings.fields():
        monkeypatch.delenv(loader_settings.env_name(name), raising=False)
    return {name: folder / ".streamlit" / "secrets.toml" for name, folder in folders.items()}


def test_the_secrets_files_are_the_ones_streamlit_reads_in_its_order(streamlit_folders, monkeypatch):
    from streamlit import config

    # Streamlit's default `secrets.files` when it serves dashboard.py from the project folder
    monkeypatch.setattr(config, "_main_script_path", str(streamlit_folders["project"].parent.parent / "dashboard.py"))
    expected = [Path(p) for p in config.get_config_files("secrets.toml")]
    assert expected == [streamlit_folders[n] for n in ("home", "work", "project")]
    for path in expected:
        path.write_text("", encoding="utf-8")
    assert loader_settings.secrets_files() == expected


def test_the_db_secret_in_the_home_folder_is_read_by_the_commands_with_streamlits_precedence(streamlit_folders, capsys):
    from data_loaders import importers

    streamlit_folders["home"].write_text('db = "/srv/home/pmp.duckdb"\nsuppression_threshold = 7\n', encoding="utf-8")
    assert database_path() == "/srv/home/pmp.duckdb" and settings.suppression_threshold() == 7
    assert importers.main(["--dry-run", "enrolment.csv"]) == 2  # the command looks for the home's database
    assert "database /srv/home/pmp.duckdb does not exist" in capsys.readouterr().err
    # as in Streamlit, the working folder's file wins over the home's, the project's over both
    streamlit_folders["work"].write_text('db = "/srv/work/pmp.duckdb"\n', encoding="utf-8")
    assert database_path() == "/srv/work/pmp.duckdb" and settings.suppression_threshold() == 7
    streamlit_folders["project"].write_text('db = "/srv/project/pmp.duckdb"\n', encoding="utf-8")
    assert database_path() == "/srv/project/pmp.duckdb"


def test_a_command_uses_the_db_secret(secrets, accounts_db, capsys):
    secrets(f'db = "{accounts_db}"\n')
    assert accounts.main(["list"]) == 0
    assert "anna\tadmin" in capsys.readouterr().out


def test_secrets_stay_secret_and_flags_parse(secrets):
    secrets('viewer_password = "ļoti slepeni"\nrequire_sign_in = true\n')
    loaded = settings.load()
    assert loaded.viewer_password.get_secret_value() == "ļoti slepeni"
    assert "ļoti slepeni" not in repr(loaded) and "ļoti slepeni" not in str(loaded.model_dump())
    assert loaded.require_sign_in is True


def test_the_signin_state_sits_beside_the_database(secrets, monkeypatch):
    monkeypatch.setenv("PMP_DB", "/srv/pmp/pmp.duckdb")
    assert str(settings.load().signin_state_file()) == "/srv/pmp/pmp.duckdb.signin"
    monkeypatch.setenv("PMP_DB", "md:pmp")  # a hosted database: a local file of the project's
    assert settings.load().signin_state_file() == DEFAULT_DB.with_name("pmp.signin")
    monkeypatch.setenv("PMP_THROTTLE_FILE", "/shared/pmp.signin")  # replicas on a shared volume
    assert str(settings.load().signin_state_file()) == "/shared/pmp.signin"


def test_roles_reach_as_data():
    assert all(accounts.may("admin", a) for a in ("templates", "import", "round", "log", "restore", "export"))
    assert accounts.may("admin", "import_any_school") and accounts.may("admin", "show_small_counts")
    reporter = {a for a in accounts.REACH["admin"] if accounts.may("school_reporter", a)}
    assert reporter == {"data_page", "templates", "import"}
    assert accounts.REACH["viewer"] == frozenset() and not accounts.may(None, "import")


def test_database_location_may_be_a_hosted_connection_string():
    from data_loaders.store import is_remote

    assert is_remote("md:pmp") and is_remote("motherduck:pmp")
    assert not is_remote("data/pmp.duckdb") and not is_remote("/srv/md:odd/pmp.duckdb")
