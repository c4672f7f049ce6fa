"""Named accounts in the app: each role's reach on the Data page, wrong passwords throttled across
sessions (the count is in a file), sign-in through an identity provider (st.login), the viewing gate."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_loaders import accounts
from tests.factories import FIGURES, SCHOOL, fill_annex6
from tests.pages.conftest import en, lv
from tests.signin import PASSWORD, signed_in
from ui.navigation import ENTRY, from_entry

OTHER = "demo_parauga_2_vidusskola"
OWN = "Ezermalas vidusskola"  # the school reporter's school (SCHOOL)
ADMIN_TABS = [en(f"data.tab_{tab}") for tab in ("templates", "import", "round", "log", "export")]
SIGN_IN_FIELDS = [en("auth.username"), en("auth.password")]
REFUSED_PROBLEMS = 1  # the other school named in it
VALID_ROWS = 17  # the rows of the filled annex 6 (tests.factories.FIGURES)
WRONG_ACCOUNT = en("auth.wrong_account")
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-cookie-secret",
    "client_id": "pmp",
    "client_secret": "x",
    "server_metadata_url": "https://id.example.lv/.well-known/openid-configuration",
}


@pytest.fixture(autouse=True)
def with_accounts(accounts_db, monkeypatch):
    monkeypatch.setenv("PMP_DB", str(accounts_db))


def app(page: str | None = "pages/data.py", user: str | None = None, lang: str = "en", **query: str) -> AppTest:
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    if user:
        signed_in(at, user)
    at.run()
    if page:
        at.switch_page(from_entry(page))
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, username: str, password: str, where: str = "page") -> AppTest:
    at.text_input(key=f"{where}_username").input(username)
    at.text_input(key=f"{where}_password").input(password)
    at.form_submit_button[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _seconds(key: str) -> str:
    """The catalogue sentence as a pattern: the seconds left count down on the real clock, so a busy
    machine may already read 4 s or less."""
    return re.escape(en(key, seconds="SECONDS")).replace("SECONDS", "[1-5]")


def tabs(at: AppTest) -> list[str]:
    return [t.label for t in at.tabs]


def downloads(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


# --- local accounts --------------------------------------------------------------------------


def test_signing_in_with_a_named_account():
    at = sign_in(app(), "ANNA", PASSWORD)  # user names compare without case
    assert tabs(at) == ADMIN_TABS
    assert at.session_state["signed_in"]["username"] == "anna" and at.session_state["signed_in"]["role"] == "admin"
    assert at.session_state["page_password"] == ""  # the password is not kept in the session
    signed = en("auth.signed_in_as", user="Anna Bērziņa", username="anna", role=en("auth.role.admin"))
    assert signed in [c.value for c in at.sidebar.caption]
    at.button(key="page_sign_out").click().run()
    assert "signed_in" not in at.session_state and not at.tabs


def test_a_wrong_password_is_refused():
    at = sign_in(app(), "anna", "nepareiza parole")
    assert [e.value for e in at.error] == [WRONG_ACCOUNT] and not at.tabs
    at = sign_in(app(), "nobody", PASSWORD)
    assert [e.value for e in at.error] == [WRONG_ACCOUNT] and not at.tabs


def test_wrong_passwords_in_one_session_lock_out_another(tmp_path):
    """Two AppTests are two browser sessions with nothing in common but the sign-in state file."""
    first, second = app(), app()
    for _ in range(3):
        sign_in(first, "anna", "nepareiza parole")
    # the seconds left count down on the real clock: a busy machine may already read 4 s or less
    [warning] = [w.value for w in first.warning]
    assert re.fullmatch(_seconds("auth.wait_next"), warning), warning
    sign_in(second, "anna", PASSWORD)  # the right password, but in the lockout: not even checked
    [error] = [e.value for e in second.error]
    assert re.fullmatch(_seconds("auth.locked"), error), error
    assert not second.tabs and "signed_in" not in second.session_state
    assert (tmp_path / "signin").exists()  # the state is the file (PMP_THROTTLE_FILE), shared by every process
    assert sign_in(app(), "ezer", PASSWORD).tabs  # another user is not locked out


def test_a_school_reporter_reaches_their_own_school_only():
    at = app(user="ezer", m="LUD")  # the sidebar shows another municipality: the reporter's school stays
    assert tabs(at) == ADMIN_TABS[:2]
    assert at.selectbox(key="tpl_school").value == SCHOOL and len(at.selectbox(key="tpl_school").options) == 1
    assert downloads(at) == [en("data.download_annex6")]  # no annex 1, no exports
    assert not [b for b in at.button if b.key == "restore_button"]
    assert at.info[0].value == en("auth.reporter_scope", school=OWN)
    assert not [w for w in at.toggle if w.key == "show_small_counts"]  # suppression stays on


def test_a_school_reporter_cannot_import_another_schools_file():
    at = app(user="ezer")
    at.file_uploader(key="uploads_0").set_value(
        [
            ("cita.xlsx", fill_annex6(FIGURES, school=OTHER), "application/octet-stream"),
            ("ezermala.xlsx", fill_annex6(FIGURES), "application/octet-stream"),
        ]
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error[0].value == en("data.file_refused", name="cita.xlsx", n=REFUSED_PROBLEMS)
    reason = en("data.col_reason")
    reasons = next(f.value for f in at.dataframe if reason in f.value.columns)[reason].tolist()
    assert reasons[0] == en("data.problem.reporter_other_school", school=OTHER, own=SCHOOL)
    assert at.success[0].value == en("data.file_ok", name="ezermala.xlsx", rows=VALID_ROWS, replaced=0)
    assert at.button(key="confirm_import").label == en("data.confirm", n=1)


def test_a_school_reporters_refusal_reads_in_latvian():
    at = app(user="ezer", lang="lv")
    at.file_uploader(key="uploads_0").set_value(
        [("cita.xlsx", fill_annex6(FIGURES, school=OTHER), "application/octet-stream")]
    ).run()
    reason = lv("data.col_reason")
    reasons = next(f.value for f in at.dataframe if reason in f.value.columns)[reason].tolist()
    assert reasons[0] == lv("data.problem.reporter_other_school", school=OTHER, own=SCHOOL)


def test_a_viewer_sees_nothing_of_the_data_page():
    at = app(user="vera")
    assert [w.value for w in at.warning] == [en("auth.no_access", role=en("auth.role.viewer"))]
    assert not at.tabs and not at.file_uploader and not downloads(at)


def test_a_disabled_account_is_signed_out_at_once(own_db):
    at = app(user="anna")
    assert at.tabs
    accounts.set_disabled(own_db, "anna", True)
    at.run()  # the next run reads the account again from the new database snapshot
    assert not at.tabs and "signed_in" not in at.session_state
    assert [w.label for w in at.text_input] == SIGN_IN_FIELDS


# --- identity provider (st.login) ------------------------------------------------------------


def oidc_app(user: dict, monkeypatch, page: str | None = "pages/data.py") -> tuple[AppTest, list]:
    calls: list = []
    monkeypatch.setattr(st, "login", lambda *a: calls.append(("login", *a)))
    monkeypatch.setattr(st, "logout", lambda: calls.append(("logout",)))
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.query_params["lang"] = "en"
    at.secrets["auth"] = AUTH
    at.user = user
    at.run()
    if page:
        at.switch_page(from_entry(page))
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at, calls


def test_with_an_identity_provider_the_sign_in_is_st_login(monkeypatch):
    at, calls = oidc_app({"is_logged_in": False}, monkeypatch)
    assert not at.text_input  # no passwords of our own
    at.button(key="page_oidc").click().run()
    assert calls == [("login",)] and not at.tabs
    monkeypatch.setenv("PMP_AUTH_PROVIDER", "microsoft")
    at.button(key="page_oidc").click().run()
    assert calls[-1] == ("login", "microsoft")


def test_the_providers_e_mail_is_mapped_to_an_account(own_db, monkeypatch):
    accounts.add(own_db, "Ilze.Ozola@novads.lv", "school_reporter", school_id=SCHOOL, display_name="Ilze Ozola")
    user = {"is_logged_in": True, "email": "ilze.ozola@NOVADS.lv", "email_verified": True, "name": "Ilze"}
    at, calls = oidc_app(user, monkeypatch)
    assert tabs(at) == ADMIN_TABS[:2]
    assert at.session_state["signed_in"]["username"] == "ilze.ozola@novads.lv"
    assert at.session_state["signed_in"]["via"] == "oidc"
    at.button(key="page_sign_out").click().run()
    assert calls == [("logout",)]


@pytest.mark.parametrize(
    ("user", "says"),
    [
        ({"is_logged_in": True, "email": "sveshs@citur.lv"}, en("auth.unknown_identity", email="sveshs@citur.lv")),
        ({"is_logged_in": True, "email": "anna", "email_verified": False}, en("auth.unverified_email", email="anna")),
        ({"is_logged_in": True, "name": "No Mail"}, en("auth.no_email")),
    ],
)
def test_an_unknown_or_unverified_identity_gets_no_rights(monkeypatch, user, says):
    at, calls = oidc_app(user, monkeypatch)
    assert not at.tabs and says in at.error[0].value
    at.button(key="page_provider_sign_out").click().run()
    assert calls == [("logout",)]


# --- viewing the dashboard -------------------------------------------------------------------


def test_the_viewing_password_or_an_account_opens_the_dashboard(monkeypatch):
    monkeypatch.setenv("PMP_VIEWER_PASSWORD", "skatīties-drīkst")
    at = app(page=None)
    assert at.title[0].value == en("auth.viewer_title") and not at.metric
    assert [w.label for w in at.text_input] == [*SIGN_IN_FIELDS, en("auth.viewer_password")]
    at.text_input(key="viewer_password_input").input("nepareizi")
    at.form_submit_button[1].click().run()
    assert [e.value for e in at.error] == [en("auth.wrong")] and not at.metric
    at.text_input(key="viewer_password_input").input("skatīties-drīkst")
    at.form_submit_button[1].click().run()
    assert at.metric and not at.exception  # the Overview
    assert sign_in(app(page=None), "vera", PASSWORD, where="gate").metric  # or any account


def test_require_sign_in_wants_a_named_account(monkeypatch):
    monkeypatch.setenv("PMP_REQUIRE_SIGN_IN", "true")
    monkeypatch.setenv("PMP_VIEWER_PASSWORD", "skatīties-drīkst")  # a shared password is not enough then
    at = app(page=None)
    assert [w.label for w in at.text_input] == SIGN_IN_FIELDS and not at.metric
    at = sign_in(at, "vera", PASSWORD, where="gate")
    signed = en("auth.signed_in_as", user="Vera", username="vera", role=en("auth.role.viewer"))
    assert at.metric and signed in [c.value for c in at.sidebar.caption]
