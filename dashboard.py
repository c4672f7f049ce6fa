"""Entry point: page config, first-start database build, language, filters, navigation."""

from __future__ import annotations

import streamlit as st

from data_loaders.build import LoadError
from ui import data, filters
from ui.i18n import t

st.set_page_config(page_title="PMP", page_icon="📊", layout="wide", initial_sidebar_state="expanded")

lang = filters.language_switch()
try:
    data.db_path()
except LoadError as err:
    st.error(t("app.db_error"))
    st.code(str(err))
    st.stop()

st.sidebar.title(t("app.title"))
st.sidebar.caption(t("app.tagline"))
chosen = filters.sidebar_filters()

PAGES = [
    st.Page("pages/overview.py", title=t("nav.overview"), icon="🏠", url_path="overview", default=True),
]
page = st.navigation(PAGES)
page.run()
