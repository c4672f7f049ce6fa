"""The downloads of a table shown on a page: the same values as on screen, as a spreadsheet reads them.

A page's table holds its figures as text in the reader's language ("1 878", "0,83", "4,0%", "x", "nav
datu"), so the screen keeps "no data" apart from 0 and hidden cells apart from both. A download turns
each column whose every figure is such a number back into numbers:

* XLSX: real numbers with a number format that shows them as on screen (grouping where the screen
  groups, the same decimals, percentages as Excel percentages), so Excel can add, sort and chart
  them; a hidden or missing cell keeps its text.
* CSV: UTF-8 with a byte-order mark (Excel then reads "ā" right); in Latvian ";" between fields and a
  decimal comma, as Latvian Excel expects, in English "," and a decimal point; numbers without
  thousands separators; a percentage as its number with "(%)" in the heading.

Identifier columns (the locale files' ``*.col_no`` headings: activity "1.10" is no number) stay text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metrics.values import is_missing
from presentation.text import catalog

GROUP = "[\u00a0\u202f ]"
NUMBER = {
    "lv": re.compile(rf"^(?P<n>-?(?:\d{{1,3}}(?:{GROUP}\d{{3}})+|\d+)(?:,(?P<d>\d+))?)(?P<pct>{GROUP}?%)?$"),
    "en": re.compile(r"^(?P<n>-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<d>\d+))?)(?P<pct>%)?$"),
}
SEPARATOR = {"lv": ";", "en": ","}
DECIMAL = {"lv": ",", "en": "."}
HEADER_FILL = PatternFill("solid", fgColor="E5EEF6")


@dataclass(frozen=True)
class Parsed:
    value: float
    decimals: int
    grouped: bool
    percent: bool


def parse(text: object, lang: str) -> Parsed | None:
    """A number as a page shows it in ``lang`` ("1 878", "0,83", "4,0%"), or None for anything else."""
    if not isinstance(text, str):
        return None
    match = NUMBER.get(lang, NUMBER["lv"]).match(text.strip())
    if not match:
        return None
    raw = re.sub(GROUP, "", match["n"]) if lang == "lv" else match["n"].replace(",", "")
    value = float(raw.replace(",", ".")) if lang == "lv" else float(raw)
    return Parsed(value, len(match["d"] or ""), raw != match["n"], bool(match["pct"]))


def _identifiers(lang: str) -> set[str]:
    strings = catalog(lang)
    return {text for key, text in strings.items() if key.endswith(".col_no")}


@dataclass(frozen=True)
class NumberColumn:
    """A column of numbers: each cell's number (or the text it keeps), and how Excel should show it."""

    cells: list[object]
    number_format: str
    percent: bool


def number_columns(frame: pd.DataFrame, lang: str) -> dict[str, NumberColumn]:
    """The columns whose every cell is either a number as shown or a text no number could be read
    from (a hidden or missing mark), with at least one number."""
    identifiers, out = _identifiers(lang), {}
    for name in frame.columns:
        if str(name) in identifiers:
            continue
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            values = [None if pd.isna(v) else v for v in column]
            if any(v is not None for v in values):
                whole = all(float(v).is_integer() for v in values if v is not None)
                out[name] = NumberColumn(values, "0" if whole else "0.0##", False)
            continue
        parsed = [parse(v, lang) for v in column]
        numbers = [p for p in parsed if p is not None]
        if not numbers or len({p.percent for p in numbers}) > 1:
            continue
        others = [v for v, p in zip(column, parsed, strict=True) if p is None and isinstance(v, str) and v.strip()]
        if any(re.search(r"\d", v) for v in others):  # "12,2 (0,3)", "1.1 Pasākums": a text column
            continue
        decimals = max(p.decimals for p in numbers)
        percent = numbers[0].percent
        base = ("#,##0" if any(p.grouped for p in numbers) else "0") + ("." + "0" * decimals if decimals else "")
        cells = [
            (p.value / 100 if percent else p.value) if p is not None else (None if pd.isna(v) else v)
            for v, p in zip(column, parsed, strict=True)
        ]
        out[name] = NumberColumn(cells, base + ("%" if percent else ""), percent)
    return out


def to_xlsx(frame: pd.DataFrame, sheet: str, lang: str) -> bytes:
    """The table as one XLSX sheet: bold headings, numbers as numbers in the format shown on screen."""
    numbers = number_columns(frame, lang)
    book = Workbook()
    ws = book.active
    ws.title = re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "data"
    for i, name in enumerate(frame.columns, start=1):
        cell = ws.cell(1, i, str(name))
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, Alignment(wrap_text=True)
        column = numbers.get(name)
        values = column.cells if column else [None if is_missing(v) else _plain(v) for v in frame[name]]
        width = len(str(name))
        for row, value in enumerate(values, start=2):
            cell = ws.cell(row, i, value)
            if column and isinstance(value, int | float):
                cell.number_format = column.number_format
            width = max(width, len(str(value)) if value is not None else 0)
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(frame: pd.DataFrame, lang: str) -> bytes:
    """The table as CSV for the reader's Excel: UTF-8 with BOM; ";" and a decimal comma in Latvian."""
    numbers = number_columns(frame, lang)
    out = pd.DataFrame(index=frame.index)
    for name in frame.columns:
        column = numbers.get(name)
        if column is None:
            out[str(name)] = [None if is_missing(v) else _plain(v) for v in frame[name]]
            continue
        header = f"{name} (%)" if column.percent and "%" not in str(name) else str(name)
        out[header] = [_csv_number(v, column.percent, lang) for v in column.cells]
    text = out.to_csv(index=False, sep=SEPARATOR.get(lang, ";"), lineterminator="\r\n")
    return text.encode("utf-8-sig")


def _csv_number(value: object, percent: bool, lang: str) -> object:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return value
    number = round(value * 100, 10) if percent else value
    text = f"{int(number)}" if float(number).is_integer() else repr(float(number))
    return text.replace(".", DECIMAL.get(lang, ","))


def _plain(value: object) -> object:
    """A cell openpyxl and CSV can take: lists joined (sources), numpy scalars as Python numbers."""
    if isinstance(value, list | tuple):
        return "; ".join(map(str, value))
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value
