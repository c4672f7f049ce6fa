from __future__ import annotations

import hashlib
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from presentation.text import t
from tests.signin import signed_in
from ui.navigation import ENTRY, from_entry


@pytest.fixture(autouse=True)
def app_env(sample_db, monkeypatch, tmp_path):
    """Every AppTest reads the session's sample database, with caches cleared between tests (and
    wrong sign-in attempts counted afresh)."""
    monkeypatch.setenv("PMP_DB", str(sample_db))
    monkeypatch.setenv("PMP_THROTTLE_FILE", str(tmp_path / "signin"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def open_app(page: str | None = None, *, opened: bool = True, **query: str) -> AppTest:
    """Run the app once with URL parameters (and switch to a page file, if given); with ``opened``,
    every section drawn on demand is opened too, as a reader reading the whole page would."""
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(from_entry(page))
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    if opened:
        open_on_demand(at)
    return at


def open_on_demand(at: AppTest) -> list[str]:
    """Open every on-demand section (``ui.components.on_demand``) and chart's table tab
    (``ui.components.chart_block``) the last run drew and run again, as a reader clicking each;
    returns their keys."""
    from ui.components import ON_DEMAND

    opened: list[str] = []
    for _ in range(3):  # a section's own charts are drawn, and their tables opened, once it is open
        drawn = sorted(key for key in ON_DEMAND if key in at.session_state and key not in opened)
        if not drawn:
            break
        for key in drawn:
            at.session_state[key] = ON_DEMAND[key]
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        opened += drawn
    return sorted(opened)


def sections(keys: list[str]) -> list[str]:
    """The on-demand sections among ``open_on_demand``'s keys (not the charts' table tabs)."""
    from ui.components import ON_DEMAND

    return sorted(key for key in keys if ON_DEMAND[key] is True)


def lv(key: str, **values: object) -> str:
    """The Latvian catalogue text for ``key`` (``presentation/text.py``): what the page must show, so a
    test does not copy the wording and fails only when the page does not render it."""
    return t(key, "lv", **values)


def en(key: str, **values: object) -> str:
    """The English catalogue text for ``key``, as ``lv``."""
    return t(key, "en", **values)


def texts(at: AppTest) -> str:
    """Everything a user reads on the page, as one string."""
    parts = [m.label + " " + str(m.value) for m in at.metric]
    for kind in ("title", "subheader", "header", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


@pytest.fixture
def own_db(accounts_db, tmp_path, monkeypatch):
    """A copy of the accounts database this test may change."""
    db = tmp_path / "pmp.duckdb"
    shutil.copyfile(accounts_db, db)
    monkeypatch.setenv("PMP_DB", str(db))
    return db


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.query_params["lang"] = lang
    signed_in(at, "anna")
    at.run()
    at.switch_page(from_entry("pages/data.py"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
