"""Entry point: page config, first-start database build, language, filters, navigation.

This file has two roles. ``streamlit run dashboard.py`` reads it, finds the ``st.App`` at the
bottom and imports it as the module ``dashboard`` to serve the app: that import only sets up the
server (``ui/startup.py``) and warms it in the background (``ui/warmup.py``). Every browser session
then runs the file as ``__main__`` (so do the AppTests), which draws the app (``main``).
"""

from __future__ import annotations

import streamlit as st

from ui import startup, warmup


def main() -> None:
    # "auto": the sidebar open on a wide screen, collapsed on a phone (it would cover the page there)
    st.set_page_config(page_title="PMP", page_icon=":material/monitoring:", layout="wide", initial_sidebar_state="auto")
    # First, before the imports below (pandas, DuckDB, Plotly: half a second in a new process), so
    # the browser loads the chart and widget code meanwhile; and the ASGI import stays light.
    startup.preload_browser_code()

    from data_loaders.build import LoadError
    from data_loaders.migrate import SchemaError
    from ui import a11y, auth, data, filters, meeting
    from ui.i18n import t
    from ui.navigation import PAGES

    lang = filters.language_switch()
    a11y.page_head(lang)  # <html lang>, contrast, phone and print layout
    try:
        data.pin_snapshot()
    except (LoadError, SchemaError) as err:
        st.error(t("app.db_error"))
        st.code(str(err))
        st.stop()
    auth.viewer_gate()  # after the pin: the accounts are read from this run's snapshot

    # the app's name in the sidebar is no heading: a page's one h1 is its own title
    st.sidebar.markdown(f'<p class="pmp-app-title">{t("app.title")}</p>', unsafe_allow_html=True)
    st.sidebar.caption(t("app.tagline"))
    filters.sidebar_filters()
    meeting.switch()
    auth.sidebar_status()

    pages = [
        st.Page(spec.file, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path, default=i == 0)
        for i, spec in enumerate(PAGES)
    ]
    page = st.navigation(pages, position="hidden" if meeting.active() else "sidebar")
    meeting.route(page)
    st.set_page_config(page_title=f"{page.title} · {t('app.short_title')}")  # each page its own title
    filters.link_notice()
    page.run()


if __name__ == "__main__":
    main()
else:
    startup.tcp_nodelay()
    warmup.start()  # the libraries, the pages' modules and the first page, before the first user
    app = st.App(__file__)
