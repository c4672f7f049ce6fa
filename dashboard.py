"""Entry point: page config, first-start database build, language, filters, navigation."""

from __future__ import annotations

import streamlit as st

from data_loaders.build import LoadError
from ui import auth, data, filters
from ui.i18n import t
from ui.navigation import PAGES

st.set_page_config(page_title="PMP", page_icon=":material/monitoring:", layout="wide", initial_sidebar_state="expanded")

lang = filters.language_switch()
auth.viewer_gate()
try:
    data.db_path()
except LoadError as err:
    st.error(t("app.db_error"))
    st.code(str(err))
    st.stop()

st.sidebar.title(t("app.title"))
st.sidebar.caption(t("app.tagline"))
filters.sidebar_filters()

pages = [
    st.Page(spec.file, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path, default=i == 0)
    for i, spec in enumerate(PAGES)
]
st.navigation(pages).run()
