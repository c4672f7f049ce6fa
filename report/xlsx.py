"""The yearly report's tables as one XLSX workbook, one sheet per section.

Each sheet starts with the section's title, sentence, the view and the dates, then its tables.
Numbers stay numbers (so a council member can add them up); a hidden count or ratio is the text "x"
(explained under the sheet's tables), and a missing value "no data" – never an empty cell that reads as 0.
"""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from data_loaders.safe_text import defuse_workbook
from metrics import provenance
from metrics.privacy import is_hidden
from presentation.format import hidden_mark, is_missing
from presentation.tables import Column, Table, cell_text, row_decimals
from presentation.text import Text
from report.sections import Report, Section

HEADER_FILL = PatternFill("solid", fgColor="E5EEF6")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(number: int, title: str) -> str:
    """``"3. PMP riski"``: unique by its number, within Excel's 31 characters and allowed characters."""
    return re.sub(r"\s+", " ", _BAD_SHEET_CHARS.sub(" ", f"{number}. {title}"))[:31].rstrip()


def _number_format(column: Column, places: object = None) -> str:
    if column.kind == "count":
        return "#,##0"
    if column.kind == "fte":
        return "0.0##"
    if column.kind == "eur":
        return '#,##0.00 "EUR"'
    decimals = column.decimals if is_missing(places) else int(places)
    if decimals is None:
        return "0.0###"
    return "0" if decimals == 0 else "0." + "0" * decimals


def _cell(value: object, hidden: bool, column: Column, report: Report, text: Text) -> object:
    """The value to write: a number where one is shown, else the text a reader would see."""
    if column.kind == "text" or hidden or is_missing(value):
        return cell_text(value, hidden, column, report.filters.lang, report.filters.threshold, text)
    number = float(value)
    return int(number) if column.kind == "count" or (number.is_integer() and column.decimals == 0) else number


def _header(column: Column) -> str:
    return f"{column.header} (%)" if column.kind == "pct" and "%" not in column.header else column.header


def _write_table(ws, row: int, table: Table, report: Report, text: Text, widths: dict[int, int]) -> int:
    ws.cell(row, 1, table.title).font = Font(bold=True, size=12)
    row += 1
    for i, column in enumerate(table.columns, start=1):
        cell = ws.cell(row, i, _header(column))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        widths[i] = max(widths.get(i, 8), min(len(cell.value), 28))
    row += 1
    for i, column in enumerate(table.columns, start=1):
        values = table.data[column.name] if column.name in table.data else pd.Series(None, index=table.data.index)
        hidden, places = is_hidden(table.data, column.name), row_decimals(table.data, column.name)
        for offset, (value, flag, own) in enumerate(zip(values, hidden, places, strict=True)):
            cell = ws.cell(row + offset, i, _cell(value, bool(flag), column, report, text))
            if isinstance(cell.value, int | float):
                cell.number_format = _number_format(column, own)
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[i] = max(widths.get(i, 8), min(len(str(cell.value)), 60))
    return row + len(table.data) + 1


def _write_section(ws, section: Section, report: Report, text: Text) -> None:
    ws.cell(1, 1, section.title).font = Font(bold=True, size=14)
    ws.cell(2, 1, section.sentence)
    ws.cell(3, 1, report.stamp.line(text))
    dates = f"{text('report.cover_year', year=report.year)} · {text('report.generated', date=report.generated_text)}"
    ws.cell(4, 1, dates)
    widths: dict[int, int] = {}
    row = 6
    for table in section.tables:
        row = _write_table(ws, row, table, report, text, widths)
    ws.cell(row, 1, f"{text('report.question')}: {section.question}").font = Font(italic=True)
    if section.sources:
        ws.cell(row + 1, 1, text("common.source", source=provenance.SEPARATOR.join(section.sources)))  # file names kept
    if any(is_hidden(t.data, c.name).any() for t in section.tables for c in t.columns):  # the mark's one footnote
        mark = hidden_mark(report.filters.lang)
        ws.cell(row + 2, 1, text("common.hidden_note", mark=mark, limit=report.filters.threshold))
    for i, width in widths.items():
        ws.column_dimensions[get_column_letter(i)].width = width + 2


def render(report: Report) -> bytes:
    """The workbook as bytes: one sheet per section, in the report's order."""
    text = Text(report.filters.lang)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, section in enumerate(report.sections, start=1):
        _write_section(workbook.create_sheet(sheet_name(number, section.title)), section, report, text)
    buffer = io.BytesIO()
    defuse_workbook(workbook)  # stored text that reads as a formula is written as text
    workbook.save(buffer)
    return buffer.getvalue()
