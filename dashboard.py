"""Entry point: page config, first-start database build, language, filters, navigation."""

from __future__ import annotations

import streamlit as st

from data_loaders.build import LoadError
from ui import auth, data, filters, meeting
from ui.i18n import t
from ui.navigation import PAGES

st.set_page_config(page_title="PMP", page_icon=":material/monitoring:", layout="wide", initial_sidebar_state="expanded")

lang = filters.language_switch()
auth.viewer_gate()
try:
    data.pin_snapshot()
except LoadError as err:
    st.error(t("app.db_error"))
    st.code(str(err))
    st.stop()

st.sidebar.title(t("app.title"))
st.sidebar.caption(t("app.tagline"))
filters.sidebar_filters()
meeting.switch()

pages = [
    st.Page(spec.file, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path, default=i == 0)
    for i, spec in enumerate(PAGES)
]
page = st.navigation(pages, position="hidden" if meeting.active() else "sidebar")
meeting.route(page)
page.run()
