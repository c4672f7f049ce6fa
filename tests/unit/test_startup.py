"""How the app is served (``dashboard.py``, ``app/main.py``) and the browser code the entry point asks
for first (ui/startup.py, docs/performance.md)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.web.server.app_discovery import discover_asgi_app

from tests.conftest import ROOT
from ui import startup
from ui.navigation import ENTRY


def test_streamlit_run_serves_dashboard_as_an_st_app():
    """Streamlit reads the file's syntax tree: with ``app = st.App(...)`` in it, ``streamlit run
    dashboard.py`` imports the module to serve the app, which is when the server is set up."""
    found = discover_asgi_app(ROOT / "dashboard.py")
    assert found.is_asgi_app and found.import_string == "dashboard:app"


def test_every_preloaded_module_is_in_this_streamlit():
    """The names are Streamlit's own front-end files; after an upgrade that renames one, this fails
    (the app itself would only lose the head start)."""
    files = startup.module_files()
    assert [f.split(".")[0] for f in files] == list(startup.MODULES)
    assert all((startup.STATIC_JS / f).is_file() for f in files)


@pytest.fixture
def app_env(sample_db, monkeypatch):
    monkeypatch.setenv("PMP_DB", str(sample_db))


def test_the_entry_point_asks_for_the_browser_code_first(app_env):
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.run()
    assert not at.exception
    html = at.get("html")
    assert len(html) == 2 and html[0].proto.unsafe_allow_javascript  # the preload first, then the page head
    assert "document.documentElement.lang" in html[1].proto.body  # ui/a11y.py
    assert all(f in html[0].proto.body for f in startup.module_files())
    main = [type(e).__name__ for e in at.main]
    assert main.index("Html") < main.index("Title")  # sent before anything of the page
