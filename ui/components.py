"""Shared page pieces: KPI cards, a chart with its table and downloads, source captions."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_loaders import safe_text
from metrics import provenance
from presentation import margins, table_export
from presentation.format import hidden_mark as mark_of
from presentation.text import readable_sources
from ui import a11y, figure_cache, settings
from ui.i18n import LANGS, current_lang, t
from ui.navigation import script


def kpi(label: str, value: str, caption: str | None = None, help_text: str | None = None) -> None:
    st.metric(label, value, help=help_text, border=True)
    if caption:
        st.caption(caption)


TABLE_LABELS = frozenset(t("common.table", lang) for lang in LANGS)


def to_xlsx(frame: pd.DataFrame, sheet: str = "data", lang: str | None = None) -> bytes:
    """The table as XLSX: numbers as numbers in the format shown (``presentation.table_export``)."""
    return safe_text.defused_xlsx(table_export.to_xlsx(frame, sheet, lang or current_lang()))  # text, never a formula


def downloads(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX of exactly the table shown, built only when a button is clicked (an XLSX costs
    tens of milliseconds, and a page has several tables on every rerun). A row's sources read
    joined with "; " (``metrics.provenance``). Numbers are numbers in both, the CSV as the reader's
    Excel opens it (``presentation.table_export``: ";" and a decimal comma in Latvian, UTF-8 with BOM)."""
    frame, lang = provenance.readable_cells(frame), current_lang()
    left, right = st.columns(2)
    left.download_button(
        t("common.download_csv"),
        lambda: table_export.to_csv(safe_text.neutralise_frame(frame), lang),  # no cell runs as a formula
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    right.download_button(
        t("common.download_xlsx"),
        lambda: to_xlsx(frame, name, lang),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
    )


def chart_block(
    fig: go.Figure | Sequence[go.Figure],
    table: pd.DataFrame,
    name: str,
    source: Sequence[str] | str,
    key: str,
    title: str | None = None,
    per_row: int = 3,
) -> None:
    """A chart with a table view beside it (drawn when its tab is opened), downloads of the table, and
    its sources (a list).

    Several small figures (``title`` names them together) go side by side, ``per_row`` to a row, in
    Streamlit's columns, which stack one under another on a narrow screen (a phone), so each keeps
    a readable width; one figure of many panels cannot reflow and overprinted at 390 px."""
    table = provenance.readable_cells(table)
    figures = [fig] if isinstance(fig, go.Figure) else list(fig)
    # the table tab drawn only while it is open (a rerun when the reader opens it): a table and its two
    # downloads beside every chart cost the server and the browser on every run, hidden or not
    view, table_label = f"{key}_view", t("common.table")
    if st.session_state.get(view) in TABLE_LABELS:  # the table stays open when the reader switches language
        st.session_state[view] = table_label
    chart_tab, table_tab = st.tabs([t("common.chart"), table_label], key=view, on_change="rerun")
    ON_DEMAND[view] = table_label
    with chart_tab:
        a11y.chart_description(figures[0], table, title)  # the chart's text alternative, for a screen reader
        # margins sized beforehand (a cached figure already has them): the browser draws a chart once,
        # not again for its labels
        sized = [fig if figure_cache.is_built(fig) else margins.presize(fig) for fig in figures]
        if len(sized) == 1:
            st.plotly_chart(sized[0], key=f"{key}_chart", theme=None, config=a11y.CHART_CONFIG)
        else:
            for first in range(0, len(sized), per_row):
                row = range(first, min(first + per_row, len(sized)))
                for n, column in zip(row, st.columns(per_row), strict=False):
                    column.plotly_chart(sized[n], key=f"{key}_chart_{n}", theme=None, config=a11y.CHART_CONFIG)
    if table_tab.open:
        with table_tab:
            st.dataframe(table, hide_index=True, key=f"{key}_table")
            downloads(table, name, key)
    source_caption(source, hidden_note(table))


# Every on-demand section and table tab drawn so far: its key and the state that opens it (tests open them all)
ON_DEMAND: dict[str, object] = {}


def on_demand(label: str, key: str):
    """A section drawn only when the reader opens it: a collapsed expander whose content runs only while
    it is open (Streamlit's ``on_change="rerun"``; ``.open`` is the reader's choice, kept for the
    session). For what lies below the first screen and costs the browser most to draw (Targets' eleven
    small charts: docs/performance.md, "In the browser"). Returns the expander when open, else None."""
    ON_DEMAND[key] = True
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


def source_caption(source: Sequence[str] | str, note: str = "") -> None:
    """The "Source: ..." line under a chart from its list of sources (programme documents by title)
    and an optional note on a line of its own (a source need not end in a full stop)."""
    said = safe_text.escape_markdown(readable_sources(source, current_lang()))  # stored text: no links, images
    st.caption("  \n".join(filter(None, [t("common.source", source=said), note])))


_LIST_START = re.compile(r"^(\s*\d+)\.(?=\s)", re.MULTILINE)


def literal(text: str) -> str:
    """A sentence for st.markdown and friends that starts with a year ("2024. gadā ..."): without
    this, Markdown reads "2024." as the number of an ordered list item."""
    return _LIST_START.sub(r"\1\\.", text)


_PARTS = re.compile(r"\s*·\s*|<br>|\s{2,}|\n")  # the parts of a cell: "x · 0,1 %", "x  (last year: 3.)"


def hidden_mark(table: pd.DataFrame) -> str | None:
    """The hidden mark ("x") if the table shows a hidden figure (a cell that is the mark, or has it as
    one of its parts), else None. Wherever it appears the caption says what it means."""
    mark = mark_of(current_lang())
    for column in table.columns:
        if pd.api.types.is_numeric_dtype(table[column]):
            continue
        for value in table[column]:
            if isinstance(value, str) and mark in _PARTS.split(value.strip()):
                return mark
    return None


def hidden_note(table: pd.DataFrame) -> str:
    """The one footnote of the hidden mark, if the table shows it."""
    mark = hidden_mark(table)
    return "" if mark is None else t("common.hidden_note", mark=mark, limit=settings.suppression_threshold())


def no_data(what: str) -> None:
    st.info(t("common.no_data_for", what=what))


PROFILE_PAGE = "pages/school_profile.py"
OPEN_PROFILE = "_open_profile"
PROFILE_SCHOOL = "_profile_school"  # the School profile's own school (``school=`` in its URL)


def profile_link(frame: pd.DataFrame, key: str) -> None:
    """Drill down from a ranking: choose one of its schools (in the ranking's order) and open its
    School profile. The sidebar's filters stay as they are, so going back shows the same page."""
    names = dict(zip(frame["school_id"], frame["school"], strict=True))
    if not names:
        return
    left, right = st.columns([3, 1], vertical_alignment="bottom", width=640)
    left.selectbox(t("profile.open_label"), list(names), format_func=names.get, key=f"{key}_profile")
    right.button(t("profile.open_button"), key=f"{key}_open", icon=":material/account_balance:",
                 on_click=_open_profile, args=(f"{key}_profile",))  # fmt: skip
    if st.session_state.pop(OPEN_PROFILE, False):
        query = {**st.query_params.to_dict(), "school": st.session_state[PROFILE_SCHOOL]}
        st.switch_page(script(PROFILE_PAGE), query_params=query)


def _open_profile(choice: str) -> None:
    """on_click: the profile's school is the chosen one (not the sidebar's); the run then switches page."""
    st.session_state[PROFILE_SCHOOL] = st.session_state[choice]
    st.session_state[OPEN_PROFILE] = True
