"""One table renderer: figures as a reader sees them on a page, a meeting screen, in the report and in
its workbook. A hidden count reads "x", a missing value "no data" (never 0), a share or rate with the
decimals it was given, sources joined with "; ".

``display`` renders a ``Table`` of described ``Column``s (the report's sections); ``display_table`` a
page's frame whose count columns are named (the rest are kept as they are). Both read every value
through ``cell_text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from metrics import provenance, staffing
from metrics.privacy import is_hidden
from presentation.format import fmt_count, fmt_eur, fmt_num, fmt_pct, is_missing, stored_decimals
from presentation.text import Text

Kind = Literal["text", "count", "number", "pct", "fte", "eur"]


@dataclass(frozen=True)
class Column:
    """A table column: ``name`` in the data, its translated header, how its values read.

    ``decimals`` None means as many as stored (up to four), like the Targets page. Where a row's
    figure has its own (a printed share keeps its printed decimals, a computed one the page's few),
    the data says so in ``<name>_decimals``, as it flags a hidden figure in ``<name>_hidden``.
    """

    name: str
    header: str
    kind: Kind = "text"
    decimals: int | None = 0
    missing: str | None = None  # what a missing value reads as, where not "no data" (an unranked school: "–")


@dataclass(frozen=True)
class Table:
    """A table of a section. ``group`` names a column the printed report splits the table by (one
    sub-table per prevention level, in order); screens and the XLSX keep it whole, with the column."""

    title: str
    data: pd.DataFrame
    columns: tuple[Column, ...]
    group: str | None = None


def cell_text(
    value: object, hidden: bool, column: Column, lang: str, threshold: int, text: Text, places: object = None
) -> str:
    """A value as read: "x" for a hidden count or ratio, "no data" when missing; ``places`` the row's
    own decimals (``row_decimals``), if it has them."""
    no_data = text("common.no_data")
    if column.kind == "count":
        return fmt_count(value, hidden, lang, threshold, no_data)
    if hidden:
        return text("report.hidden", limit=threshold)
    if column.kind == "text":
        if provenance.is_list_cell(value):
            return provenance.joined(value) or "–"
        return "–" if is_missing(value) else str(value)
    if is_missing(value):
        return no_data if column.missing is None else column.missing
    if column.kind == "fte":
        return fmt_num(value, lang, staffing.display_decimals(value))
    if column.kind == "eur":
        return fmt_eur(value, lang)
    decimals = column.decimals if is_missing(places) else int(places)
    decimals = stored_decimals(value) if decimals is None else decimals
    return fmt_pct(value, lang, decimals) if column.kind == "pct" else fmt_num(value, lang, decimals)


def row_decimals(frame: pd.DataFrame, column: str) -> pd.Series:
    """Each row's own decimals for the column (``<column>_decimals``), None where the column's apply."""
    own = f"{column}_decimals"
    return frame[own].astype(object) if own in frame else pd.Series(None, index=frame.index, dtype=object)


def display(table: Table, lang: str, threshold: int, text: Text) -> pd.DataFrame:
    """The table as a reader sees it: every value as text, headers translated."""
    out = {}
    for column in table.columns:
        hidden = is_hidden(table.data, column.name)
        values = table.data[column.name] if column.name in table.data else pd.Series(None, index=table.data.index)
        places = row_decimals(table.data, column.name)
        out[column.header] = [
            cell_text(v, bool(h), column, lang, threshold, text, p)
            for v, h, p in zip(values, hidden, places, strict=True)
        ]
    return pd.DataFrame(out, columns=[c.header for c in table.columns])


def display_table(
    frame: pd.DataFrame, counts: list[str] | tuple[str, ...], lang: str, threshold: int, columns: dict[str, str]
) -> pd.DataFrame:
    """A page's table as a user sees and downloads it: the ``counts`` columns read as ``cell_text`` reads
    a count (hidden ones "x"), the other columns as they are; flags dropped, columns renamed."""
    out, text = frame.copy(), Text(lang)
    for name in counts:
        if name in out:
            column = Column(name, name, "count")
            out[name] = [
                cell_text(v, bool(h), column, lang, threshold, text)
                for v, h in zip(out[name], is_hidden(out, name), strict=True)
            ]
    out = provenance.readable_cells(out[[c for c in columns if c in out]])
    return out.rename(columns=columns)


def count_labels(frame: pd.DataFrame, column: str, lang: str, threshold: int) -> list[str]:
    """Bar labels for a count column: the number, or "x" where it is hidden (nothing where missing)."""
    hidden = is_hidden(frame, column)
    return [fmt_count(v, bool(h), lang, threshold, no_data="") for v, h in zip(frame[column], hidden, strict=True)]


def grid(frame: pd.DataFrame, first_column: str, empty: str) -> pd.DataFrame:
    """A row-by-year table of ready-made cell texts (columns ``row``, ``school_year``, ``text``),
    rows in their first-seen order, ``empty`` where a row has no figure for a year."""
    wide = frame.pivot_table(index="row", columns="school_year", values="text", aggfunc="first", sort=False)
    wide = wide.reindex(list(dict.fromkeys(frame["row"]))).fillna(empty).reset_index()
    return wide.rename_axis(columns=None).rename(columns={"row": first_column})
