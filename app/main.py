"""The script every browser session runs (and every AppTest): page config, first-start database
build, language, filters, navigation, then the chosen page.

It lives in ``app/``, not beside ``pages/``: Streamlit switches to its old folder-based multipage
mode when the script's own folder has a ``pages/`` folder, and then runs a deep-linked page
(``/risks?m=JEK``) on a fresh server without this script, so without the URL's filters and language,
until some session has called ``st.navigation``. From here ``st.navigation`` is the only router from
the first request on: the pages stay in ``pages/`` and are given by their full paths
(``ui/navigation.py``). ``dashboard.py`` serves this script as an ``st.App``.
"""

from __future__ import annotations

import html

import streamlit as st


def main() -> None:
    # "auto": the sidebar open on a wide screen, collapsed on a phone (it would cover the page there)
    # The tab's icon an emoji, which the browser draws itself: a ":material/...:" icon is fetched from
    # fonts.gstatic.com on every page view, a request to a third party about who reads the dashboard
    st.set_page_config(page_title="PMP", page_icon="📊", layout="wide", initial_sidebar_state="auto")

    from data_loaders.build import LoadError
    from data_loaders.migrate import SchemaError
    from ui import a11y, auth, data, filters, meeting, navigation
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
    # with its tagline in one element (one element less to draw on every page)
    title, tagline = html.escape(t("app.title")), html.escape(t("app.tagline"))
    st.sidebar.markdown(
        f'<p class="pmp-app-title">{title}</p><p class="pmp-app-tagline">{tagline}</p>', unsafe_allow_html=True
    )
    filters.sidebar_filters()
    meeting.switch()
    auth.sidebar_status()

    pages = [
        st.Page(navigation.script(spec.file), title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path,
                default=i == 0)
        for i, spec in enumerate(PAGES)
    ]  # fmt: skip
    page = st.navigation(pages, position="hidden" if meeting.active() else "sidebar")
    meeting.route(page)
    st.set_page_config(page_title=f"{page.title} · {t('app.short_title')}")  # each page its own title
    filters.link_notice()
    page.run()


if __name__ == "__main__":
    main()
