"""Sidebar filters, kept in step with the URL so a shared link reproduces the view.

Widgets have explicit keys; session state is seeded once from ``st.query_params`` and the
chosen values are written back on every run. Values that do not fit the data (a school of
another municipality, an unknown year) are dropped rather than shown as an error.
"""

from __future__ import annotations

import streamlit as st

from metrics.filters import Filters
from ui.data import dataset
from ui.i18n import LANGS, current_lang, t

KEYS = {"lang": "lang", "municipality": "f_municipality", "years": "f_years", "schools": "f_schools"}


def _seed_from_url() -> None:
    if st.session_state.get("_filters_seeded"):
        return
    query = Filters.from_query(st.query_params.to_dict())
    st.session_state.setdefault(KEYS["lang"], query.lang)
    st.session_state.setdefault(KEYS["municipality"], query.municipality)
    st.session_state.setdefault(KEYS["years"], list(query.years))
    st.session_state.setdefault(KEYS["schools"], list(query.schools))
    st.session_state["_filters_seeded"] = True


def language_switch() -> str:
    _seed_from_url()
    if st.session_state.get(KEYS["lang"]) not in LANGS:
        st.session_state[KEYS["lang"]] = "lv"
    st.sidebar.segmented_control(
        t("filters.language"),
        options=list(LANGS),
        format_func=lambda code: t(f"filters.lang_{code}"),
        key=KEYS["lang"],
        required=True,
    )
    return current_lang()


def sidebar_filters() -> Filters:
    """Draw municipality, school-year and school filters; return and remember the Filters."""
    _seed_from_url()
    lang = current_lang()
    municipalities = dataset("municipalities.sql")
    codes = municipalities["code"].tolist()
    names = dict(zip(codes, municipalities[f"name_{lang}"], strict=True))
    if st.session_state.get(KEYS["municipality"]) not in codes:
        st.session_state[KEYS["municipality"]] = "LUD" if "LUD" in codes else codes[0]
    municipality = st.sidebar.selectbox(
        t("filters.municipality"), codes, format_func=names.__getitem__, key=KEYS["municipality"]
    )

    years = dataset("filter_options.sql", municipality=municipality)["school_year"].tolist()
    st.session_state[KEYS["years"]] = [y for y in st.session_state.get(KEYS["years"], []) if y in years]
    chosen_years = st.sidebar.multiselect(
        t("filters.years"), years, key=KEYS["years"], placeholder=t("filters.all_years")
    )

    schools = dataset("schools.sql", municipality=municipality)
    school_names = dict(zip(schools["school_id"], schools["name"], strict=True))
    st.session_state[KEYS["schools"]] = [s for s in st.session_state.get(KEYS["schools"], []) if s in school_names]
    chosen_schools = st.sidebar.multiselect(
        t("filters.schools"),
        list(school_names),
        format_func=school_names.__getitem__,
        key=KEYS["schools"],
        placeholder=t("filters.all_schools"),
    )

    filters = Filters(
        municipality=municipality,
        years=tuple(sorted(chosen_years)),
        schools=tuple(chosen_schools),
        lang=lang,
    )
    _write_url(filters)
    st.session_state["_filters"] = filters
    return filters


def _write_url(filters: Filters) -> None:
    wanted = filters.to_query()
    for key in ("m", "y", "s", "lang"):
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def current() -> Filters:
    """The filters drawn by the entry point on this run. Every page calls this first."""
    _require_entrypoint()
    return st.session_state.get("_filters") or Filters(lang=current_lang())


def _require_entrypoint() -> None:
    """Route a cold deep link through ``dashboard.py``.

    Because the page files live in ``pages/``, Streamlit starts a fresh server in its old
    folder-based multipage mode and runs a deep-linked page (``/risks?m=JEK``) on its own,
    without the entry point's filters and language, until some session has run
    ``st.navigation``. Switching the mode off and rerunning sends this run through the entry
    point, which then opens the same page with the URL's filters.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def municipality_name(filters: Filters) -> str:
    rows = dataset("municipalities.sql")
    row = rows[rows["code"] == filters.municipality]
    return str(row[f"name_{filters.lang}"].iloc[0]) if len(row) else filters.municipality
