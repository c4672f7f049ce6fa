"""Sign-in and roles in the app.

Two ways in, never both at once:

- **Identity provider** (OpenID Connect): when ``.streamlit/secrets.toml`` has an ``[auth]``
  section, the sign-in is Streamlit's ``st.login``; the e-mail address the provider gives
  (``st.user.email``) is looked up as a user name in the ``account`` table, which gives the role.
  An e-mail with no account (or a disabled one) gets no rights and is told so.
- **Local accounts** otherwise: user name and password, checked by ``data_loaders.accounts``
  (argon2 hashes) through the throttle that every session, process and replica shares
  (``data_loaders.throttle``: wrong attempts are counted in a file beside the database).

The session keeps the signed-in identity (``SESSION``: user name, display name, role, school);
every run reads the account again from the run's database snapshot, so a disabled account or a
changed role takes effect at once. What a role reaches is ``accounts.REACH``.

Viewing the dashboard is open unless ``viewer_password`` (a shared viewing password, or any
account) or ``require_sign_in`` (an account) is set.
"""

from __future__ import annotations

import hmac

import streamlit as st

from data_loaders import accounts
from data_loaders.accounts import Account
from data_loaders.throttle import Throttle
from ui import settings
from ui.i18n import t

SESSION = "signed_in"  # {"username", "display_name", "role", "municipality", "school_id", "via"}
VIEWER_OK = "viewer_ok"  # the shared viewing password was given in this session
VIEWING_PASSWORD = "(viewing password)"  # its throttle key; no user name can look like it


def oidc_configured() -> bool:
    """An identity provider is set up for ``st.login`` (an ``[auth]`` section in the secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file: the normal case without an identity provider
        return False


def throttle() -> Throttle:
    return Throttle(settings.load().signin_state_file())


def _logged_in_with_provider() -> bool:
    return bool(st.user.get("is_logged_in", False))


def _account(username: str) -> Account | None:
    """The account as the run's database snapshot has it (a cursor of the app's read-only connection)."""
    from ui.data import connection

    cursor = connection().cursor()
    try:
        return accounts.find(cursor, username)
    finally:
        cursor.close()


def _remember(account: Account, via: str) -> None:
    st.session_state[SESSION] = {
        "username": account.username,
        "display_name": account.display_name,
        "role": account.role,
        "municipality": account.municipality,
        "school_id": account.school_id,
        "via": via,
    }


def _provider_email() -> str | None:
    email = st.user.get("email")
    return str(email) if email else None


def current_user() -> Account | None:
    """The signed-in account, or None. Read again from the database on every run."""
    if oidc_configured():
        if not _logged_in_with_provider():
            st.session_state.pop(SESSION, None)
            return None
        email = _provider_email()
        if not email or st.user.get("email_verified") is False:
            st.session_state.pop(SESSION, None)
            return None
        username, via = accounts.normal(email), "oidc"
    else:
        known = st.session_state.get(SESSION)
        if not known:
            return None
        username, via = known["username"], known.get("via", "password")
    account = _account(username)
    if account is None or account.disabled:
        st.session_state.pop(SESSION, None)
        return None
    _remember(account, via)
    return account


def may(action: str) -> bool:
    user = current_user()
    return user is not None and user.may(action)


def is_admin() -> bool:
    user = current_user()
    return user is not None and user.role == "admin"


def role_name(role: str) -> str:
    return t(f"auth.role.{role}")


def sign_in(where: str) -> None:
    """Draw the way to sign in: the identity provider's button, or the user name and password form."""
    if oidc_configured():
        _provider_sign_in(where)
    else:
        _password_sign_in(where)


def _provider_sign_in(where: str) -> None:
    if _logged_in_with_provider():  # signed in at the provider, but no rights here
        email = _provider_email()
        if not email:
            st.error(t("auth.no_email"))
        elif st.user.get("email_verified") is False:
            st.error(t("auth.unverified_email", email=email))
        else:
            st.error(t("auth.unknown_identity", email=email))
        st.button(t("auth.sign_out"), key=f"{where}_provider_sign_out", on_click=sign_out)
        return
    st.button(t("auth.sign_in_oidc"), key=f"{where}_oidc", type="primary", on_click=_provider_login)


def _provider_login() -> None:
    provider = settings.load().auth_provider
    if provider:
        st.login(provider)
    else:
        st.login()


# Forms are handled in their submit button's callback: it runs before the script, so the run that
# follows already draws the signed-in page (and no rerun of the script can lose the submission).
RESULT = "_sign_in_result"


def _password_sign_in(where: str) -> None:
    from ui.data import connection

    cursor = connection().cursor()
    try:
        if not accounts.count(cursor):
            st.info(t("auth.no_accounts"))
    finally:
        cursor.close()
    with st.form(f"{where}_login"):
        st.text_input(t("auth.username"), key=f"{where}_username")
        st.text_input(t("auth.password"), type="password", key=f"{where}_password")
        st.form_submit_button(t("auth.sign_in"), on_click=_check_password, args=(where,))
    _show_result()


def _check_password(where: str) -> None:
    from ui.data import db_path

    username = st.session_state.get(f"{where}_username", "")
    password = st.session_state.get(f"{where}_password", "")
    st.session_state[f"{where}_password"] = ""  # not kept in the session
    result = accounts.sign_in(db_path(), username, password, throttle())
    if result.account is not None:
        _remember(result.account, via="password")
    elif result.throttled:
        st.session_state[RESULT] = ("locked", result.wait)
    else:
        st.session_state[RESULT] = ("auth.wrong_account", result.wait)


def _show_result() -> None:
    kind, wait = st.session_state.pop(RESULT, (None, 0))
    if kind == "locked":
        st.error(t("auth.locked", seconds=wait))
    elif kind:
        st.error(t(kind))
        if wait:
            st.warning(t("auth.wait_next", seconds=wait))


def require(*roles: str) -> Account:
    """The signed-in account when its role is one of ``roles``; otherwise draw the sign-in (or say
    that the role does not reach this page) and stop the page."""
    user = current_user()
    if user is None:
        sign_in("page")
        st.stop()
    if user.role not in roles:
        signed_in_bar(user)
        st.warning(t("auth.no_access", role=role_name(user.role)))
        st.stop()
    return user


def signed_in_text(user: Account) -> str:
    return t("auth.signed_in_as", user=user.display_name, username=user.username, role=role_name(user.role))


def signed_in_bar(user: Account) -> None:
    left, right = st.columns([4, 1])
    left.caption(signed_in_text(user))
    right.button(t("auth.sign_out"), key="page_sign_out", on_click=sign_out)


def sidebar_status() -> None:
    """Who is signed in, with a sign-out button, at the foot of the sidebar (only when someone is)."""
    user = current_user()
    if user is None:
        return
    st.sidebar.caption(signed_in_text(user))
    st.sidebar.button(t("auth.sign_out"), key="sidebar_sign_out", on_click=sign_out)


def sign_out() -> None:
    """A button's callback: forget the identity (and, with the identity provider, its cookie)."""
    st.session_state.pop(SESSION, None)
    st.session_state.pop(VIEWER_OK, None)
    if oidc_configured() and _logged_in_with_provider():
        st.logout()  # ends the provider's cookie too and starts a new session


def viewer_gate() -> None:
    """Stop the app with a sign-in when viewing needs one: ``require_sign_in`` (an account) or
    ``viewer_password`` (the shared viewing password, or an account)."""
    config = settings.load()
    shared = config.viewer_password.get_secret_value() if config.viewer_password else None
    if not (config.require_sign_in or shared):
        return
    if current_user() is not None:
        return
    if shared and not config.require_sign_in and st.session_state.get(VIEWER_OK):
        return
    st.title(t("auth.viewer_title"))
    sign_in("gate")
    if shared and not config.require_sign_in:
        _viewing_password_form(shared)
    st.stop()


def _viewing_password_form(expected: str) -> None:
    st.caption(t("auth.viewer_or"))
    with st.form("viewer_login"):
        st.text_input(t("auth.viewer_password"), type="password", key="viewer_password_input")
        st.form_submit_button(t("auth.sign_in"), on_click=_check_viewing_password, args=(expected,))
    _show_result()


def _check_viewing_password(expected: str) -> None:
    given = st.session_state.get("viewer_password_input", "")
    st.session_state["viewer_password_input"] = ""
    gate = throttle()
    attempt = gate.begin(VIEWING_PASSWORD)
    if not attempt.allowed:
        st.session_state[RESULT] = ("locked", attempt.wait)
    elif hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        gate.succeeded(VIEWING_PASSWORD)
        st.session_state[VIEWER_OK] = True
    else:
        st.session_state[RESULT] = ("auth.wrong", gate.wait(VIEWING_PASSWORD))
