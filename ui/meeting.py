"""Meeting mode: one switch that turns the dashboard into a presentation for the interagency group.

The switch is a sidebar toggle kept in step with ``?meeting=1`` (seeded from the URL once per
session, like the filters), so a link opens the meeting straight away. While it is on, every
page opens the meeting screens (``pages/meeting.py``), the menu and the sidebar are hidden (CSS:
``st.set_page_config``'s sidebar state only applies when a session starts) and the type is larger.
The screen number is kept in ``?screen=N`` so a link opens the same screen. The filters stay in
force: they are read from the URL and the session as usual, only their widgets are out of sight.
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import t
from ui.navigation import PAGES, script

STATE, WIDGET, SCREEN, LEFT = "_meeting", "w_meeting", "meeting_screen", "_meeting_left"
PAGE, URL_PATH = "pages/meeting.py", "meeting"

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarNav"], [data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 1600px; padding-top: 0.8rem; padding-bottom: 1rem; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.55rem; }
[data-testid="stMain"] h1 { font-size: 2.4rem; line-height: 1.1; padding: 0; }
[data-testid="stMain"] h3 { font-size: 1.5rem; line-height: 1.25; font-weight: 600; padding: 0; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1rem; display: -webkit-box;
  -webkit-line-clamp: 1; -webkit-box-orient: vertical; overflow: hidden; }
[data-testid="stMain"] [data-testid="stAlert"] p { font-size: 1.4rem; line-height: 1.3; }
[data-testid="stMain"] [data-testid="stAlert"] > div { padding-top: 0.6rem; padding-bottom: 0.6rem; }
[data-testid="stMain"] [data-testid="stTabs"] button { padding-top: 0; padding-bottom: 0; }
[data-testid="stMain"] button p { font-size: 1.2rem; }
</style>
"""


def active() -> bool:
    """Whether meeting mode is on for this session (first from the URL, then from the switch)."""
    if STATE not in st.session_state:
        st.session_state[STATE] = st.query_params.get("meeting") == "1"
    return bool(st.session_state[STATE])


def set_active(on: bool) -> None:
    st.session_state[STATE] = on


def _commit() -> None:
    """on_change of the sidebar switch."""
    set_active(bool(st.session_state[WIDGET]))


def switch() -> bool:
    """The sidebar switch; the URL follows it. Returns whether meeting mode is on."""
    st.session_state[WIDGET] = active()
    st.sidebar.toggle(t("meeting.switch"), key=WIDGET, on_change=_commit, help=t("meeting.switch_help"))
    on = active()
    if on and st.query_params.get("meeting") != "1":
        st.query_params["meeting"] = "1"
    elif not on and "meeting" in st.query_params:
        del st.query_params["meeting"]
    return on


def leave() -> None:
    """on_click of the meeting's Leave button: meeting mode off, back to the first page."""
    set_active(False)
    st.session_state[LEFT] = True


def route(page: st.Page) -> None:
    """In meeting mode every page opens the meeting screens (with the view's URL parameters); other
    pages drop the screen number. Leaving the meeting goes back to the first page."""
    if page.url_path == URL_PATH:
        if st.session_state.pop(LEFT, False):
            st.switch_page(script(PAGES[0].file), query_params=st.query_params.to_dict())
        return
    if active():
        st.switch_page(script(PAGE), query_params=st.query_params.to_dict())
    if "screen" in st.query_params:
        del st.query_params["screen"]


def present() -> None:
    """Hide the sidebar and menu, and enlarge the type (called by the meeting page in meeting mode)."""
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)


def screen(count: int) -> int:
    """The screen shown (1..count): from ``?screen=`` when the session starts, then from the buttons.
    Written back to the URL, so a link opens the same screen."""
    if SCREEN not in st.session_state:
        raw = st.query_params.get("screen", "1")
        st.session_state[SCREEN] = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 4 else 1  # not "²"
    number = min(max(int(st.session_state[SCREEN]), 1), count)
    st.session_state[SCREEN] = number
    if st.query_params.get("screen") != str(number):
        st.query_params["screen"] = str(number)
    return number


def go(number: int) -> None:
    """on_click of the previous/next buttons and the screen list."""
    st.session_state[SCREEN] = number
