from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def _data_page(monkeypatch, admin: str | None = None, password: str | None = "s3cret", lang: str = "lv") -> AppTest:
    if password:
        monkeypatch.setenv("PMP_ADMIN_PASSWORD", password)
    else:
        monkeypatch.delenv("PMP_ADMIN_PASSWORD", raising=False)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = lang
    if admin:
        at.session_state["admin_user"] = admin
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_data_page_asks_for_the_admin_secret(monkeypatch):
    at = _data_page(monkeypatch)
    assert [w.label for w in at.text_input] == ["Jūsu vārds vai amats (importa žurnālam)", "Parole"]
    assert not at.tabs  # nothing else is shown before signing in


def test_without_a_configured_secret_import_is_not_available(monkeypatch):
    at = _data_page(monkeypatch, password=None, lang="en")
    assert "No admin password is set" in at.warning[0].value


def test_signed_in_admin_sees_templates_import_log_and_export(monkeypatch):
    at = _data_page(monkeypatch, admin="Anna", lang="en")
    assert [t.label for t in at.tabs] == ["Templates", "Import", "Import log", "Export"]
    assert "Signed in as Anna" in [c.value for c in at.caption]
    downloads = [b.proto.label for b in at.get("download_button")]
    assert "Download the annex 6 template (XLSX)" in downloads
    assert "Download the whole database: Parquet (ZIP)" in downloads
    log = at.dataframe[0].value
    assert log["result"].tolist()[-1] == "built"


def test_admin_can_switch_suppression_off_for_their_own_view(monkeypatch):
    at = _data_page(monkeypatch, admin="Anna")
    assert at.session_state["_filters"].suppress is True  # default view always suppresses
