"""Access: optional viewer password, admin secret for the Data page.

Passwords are compared in constant time (``hmac.compare_digest``). Wrong attempts are counted
for the whole process, not per browser session, and each further wrong attempt waits longer
(up to 8 s), so guessing is slow even from fresh sessions.
"""

from __future__ import annotations

import hmac
import threading
import time

import streamlit as st

from ui import settings
from ui.i18n import t

_failures: dict[str, int] = {}
_lock = threading.Lock()
MAX_DELAY = 8.0


def matches(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def delay_for(failures: int) -> float:
    """Seconds to wait after the n-th wrong attempt in a row: 0, 0.5, 1, 2, 4, 8, 8, ..."""
    return 0.0 if failures <= 1 else min(MAX_DELAY, 0.5 * 2 ** (failures - 2))


def attempt(kind: str, given: str) -> bool:
    """Check a password for ``kind`` (admin or viewer), slowing down repeated failures."""
    expected = settings.get(f"{kind}_password")
    if not expected:
        return False
    if matches(given, expected):
        with _lock:
            _failures[kind] = 0
        return True
    with _lock:
        _failures[kind] = _failures.get(kind, 0) + 1
        wait = delay_for(_failures[kind])
    time.sleep(wait)
    return False


def viewer_gate() -> None:
    """Stop the app with a sign-in form when a viewer password is set and not yet given."""
    if not settings.get("viewer_password") or st.session_state.get("viewer_ok") or is_admin():
        return
    st.title(t("auth.viewer_title"))
    with st.form("viewer_login"):
        password = st.text_input(t("auth.password"), type="password", key="viewer_password_input")
        if st.form_submit_button(t("auth.sign_in")):
            if attempt("viewer", password):
                st.session_state["viewer_ok"] = True
                st.rerun()
            st.error(t("auth.wrong"))
    st.stop()


def is_admin() -> bool:
    return bool(st.session_state.get("admin_user"))


def admin_sign_in() -> bool:
    """Draw the admin sign-in on the page; True when signed in."""
    if is_admin():
        return True
    if not settings.get("admin_password"):
        st.warning(t("auth.admin_not_configured"))
        return False
    with st.form("admin_login"):
        user = st.text_input(t("auth.user"), key="admin_user_input")
        password = st.text_input(t("auth.password"), type="password", key="admin_password_input")
        if st.form_submit_button(t("auth.sign_in")):
            if attempt("admin", password) and user.strip():
                st.session_state["admin_user"] = user.strip()
                st.rerun()
            st.error(t("auth.wrong_admin"))
    return False
