"""Sidebar filters, kept in step with the URL so a shared link reproduces the view.

Widgets have explicit keys; session state is seeded once from ``st.query_params`` and the
chosen values are written back on every run. Values that do not fit the data (a school of
another municipality, an unknown year) are dropped, and said above the page (``link_notes``) so a
shared link never shows another view silently.
"""

from __future__ import annotations

import streamlit as st

from metrics.filters import Filters
from ui import auth, settings
from ui.data import dataset
from ui.i18n import LANGS, current_lang, t

# The view (language, municipality, years, schools) lives in plain session state under VIEW;
# each sidebar widget has its own key, is set from the view before it is drawn, and writes back
# through ``on_change``. So a widget value lost between runs (as AppTest loses the entry point's
# sidebar after a page switch) can never change the view; only a user's change can.
VIEW = "_view"
LINK, NOTES = "_link_query", "_link_notes"  # the URL's own values at the session's start; what could not be shown
WIDGETS = {"lang": "w_lang", "municipality": "w_municipality", "years": "w_years", "schools": "w_schools"}


def _view() -> dict:
    if VIEW not in st.session_state:
        query = Filters.from_query(st.query_params.to_dict())
        st.session_state[VIEW] = {
            "lang": query.lang,
            "municipality": query.municipality,
            "years": list(query.years),
            "schools": list(query.schools),
        }
        st.session_state["lang"] = query.lang
        st.session_state[LINK] = st.query_params.to_dict()
    return st.session_state[VIEW]


def _commit(name: str) -> None:
    """on_change: the user changed a sidebar widget; the view follows."""
    value = st.session_state[WIDGETS[name]]
    st.session_state.pop(NOTES, None)  # the user's own choice now: the link's notes no longer apply
    if value is not None:
        _view()[name] = value
        if name == "lang":
            st.session_state["lang"] = value


def _prepare(name: str, value) -> None:
    _view()[name] = value
    st.session_state[WIDGETS[name]] = value


def language_switch() -> str:
    """The language buttons (Latvian first). The language is kept in ``session_state["lang"]``."""
    view = _view()
    _prepare("lang", view["lang"] if view["lang"] in LANGS else "lv")
    st.session_state["lang"] = view["lang"]
    st.sidebar.segmented_control(
        t("filters.language"),
        options=list(LANGS),
        format_func=lambda code: t(f"filters.lang_{code}", lang=code),
        key=WIDGETS["lang"],
        required=True,
        on_change=_commit,
        args=("lang",),
    )
    return current_lang()


def sidebar_filters() -> Filters:
    """Draw municipality, school-year and school filters; return and remember the Filters."""
    view = _view()
    lang = current_lang()
    municipalities = dataset("municipalities.sql")
    codes = municipalities["code"].tolist()
    names = dict(zip(codes, municipalities[f"name_{lang}"], strict=True))
    _prepare(
        "municipality",
        view["municipality"] if view["municipality"] in codes else ("LUD" if "LUD" in codes else codes[0]),
    )
    municipality = view["municipality"]
    st.sidebar.selectbox(
        t("filters.municipality"),
        codes,
        format_func=names.__getitem__,
        key=WIDGETS["municipality"],
        filter_mode=None,  # a short list: no typing, so never Streamlit's English "No results"
        on_change=_commit,
        args=("municipality",),
    )

    years = dataset("filter_options.sql", municipality=municipality)["school_year"].tolist()
    link = st.session_state.pop(LINK, None)
    if link is not None:  # the session's first run: say what of the link cannot be shown
        schools = dataset("schools.sql", municipality=municipality)["school_id"].tolist()
        st.session_state[NOTES] = link_notes(link, codes, names, years, schools)
    _prepare("years", [y for y in view["years"] if y in years])
    st.sidebar.multiselect(
        t("filters.years"),
        years,
        key=WIDGETS["years"],
        placeholder=t("filters.all_years"),
        select_all=False,  # Streamlit's "Select all" is English only; no choice already means all
        filter_mode=None,  # a short list: no typing, so never Streamlit's English "No results"
        on_change=_commit,
        args=("years",),
    )

    schools = dataset("schools.sql", municipality=municipality)
    school_names = dict(zip(schools["school_id"], schools["name"], strict=True))
    _prepare("schools", [s for s in view["schools"] if s in school_names])
    st.sidebar.multiselect(
        t("filters.schools"),
        list(school_names),
        format_func=school_names.__getitem__,
        key=WIDGETS["schools"],
        placeholder=t("filters.all_schools"),
        select_all=False,
        on_change=_commit,
        args=("schools",),
    )

    show_small = False
    if auth.is_admin():
        show_small = st.sidebar.toggle(
            t("filters.show_small_counts"), key="show_small_counts", help=t("filters.show_small_counts_help")
        )
    filters = Filters(
        municipality=municipality,
        years=tuple(sorted(view["years"])),
        schools=tuple(view["schools"]),
        lang=lang,
        suppress=not show_small,
        threshold=settings.suppression_threshold(),
    )
    _write_url(filters)
    st.session_state["_filters"] = filters
    return filters


def link_notes(
    link: dict[str, str], codes: list[str], names: dict[str, str], years: list[str], schools: list[str]
) -> list[str]:
    """What a link asked for that the data cannot show, each said in a sentence (an unknown
    municipality, school year or school, a school year of another municipality, a language)."""
    notes = []
    query = Filters.from_query(link)
    municipality = query.municipality if query.municipality in codes else ("LUD" if "LUD" in codes else codes[0])
    if link.get("m") and link["m"] not in codes:
        notes.append(t("filters.link_municipality", code=link["m"], shown=names[municipality]))
    if link.get("lang") and link["lang"] not in LANGS:
        notes.append(t("filters.link_language", code=link["lang"]))
    for key, asked, known in (("years", query.years, years), ("schools", query.schools, schools)):
        unknown = [v for v in asked if v not in known]
        if unknown:
            rest = t(f"filters.link_{key}_rest_{'some' if len(unknown) < len(asked) else 'all'}")
            values = {key: ", ".join(unknown), "n": len(unknown), "municipality": names[municipality], "rest": rest}
            notes.append(t(f"filters.link_{key}", **values))
    return notes


def link_notice() -> None:
    """The link's notes above the page, until the user chooses something in the sidebar."""
    for note in st.session_state.get(NOTES, []):
        st.warning(note, icon=":material/link_off:")


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
    return st.session_state.get("_filters") or Filters(lang=current_lang(), threshold=settings.suppression_threshold())


def municipality_name(filters: Filters) -> str:
    rows = dataset("municipalities.sql")
    row = rows[rows["code"] == filters.municipality]
    return str(row[f"name_{filters.lang}"].iloc[0]) if len(row) else filters.municipality
