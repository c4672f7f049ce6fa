"""Excel workbooks: the container checked before it is opened (``limits.xlsx_container``), then
every sheet's size, formulas, merged cells, over-long and non-finite cells, then the privacy guard
over every cell, cell comment, sheet name and document property, then the template it is."""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from data_loaders import onboarding, privacy_guard, templates
from data_loaders.importers import annexes
from data_loaders.importers.files import ParsedFile, problem, refused
from data_loaders.importers.limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_SHEET_ROWS,
    xlsx_container,
)

# The first row of each template's data area: a merged cell there could hide a value or shift one
DATA_FROM = {"annex6": templates.FIRST_FIELD_ROW - 1, "annex1": 5, onboarding.KIND: 1}
# Document properties Excel fills in itself with the name of whoever saved the file: not stored
# anywhere, so a person's name there is fine; a code, phone or e-mail is refused like anywhere else.
WHO_SAVED = ("creator", "lastModifiedBy")
PROPERTIES = (
    "title",
    "subject",
    "description",
    "keywords",
    "category",
    "identifier",
    "contentStatus",
    "version",
    "language",
    *WHO_SAVED,
)


def _too_long(parsed: ParsedFile, reason: str, cell, length: int, where: dict) -> None:
    """A cell's text or its comment longer than any cell of a report may be."""
    problem(parsed, reason, cell.row, cell.coordinate, "cell_too_long", length=length, limit=MAX_CELL_CHARS, **where)


def parse_xlsx(parsed: ParsedFile, data: bytes) -> None:
    found = xlsx_container(data)
    if found:
        code, reason, params = found
        problem(parsed, reason, code=code, **params)
        return
    try:
        with warnings.catch_warnings():  # openpyxl warns about extensions it does not read
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), data_only=False, read_only=False, keep_links=False, rich_text=False)
    except Exception as err:  # openpyxl raises many kinds for a broken file
        problem(parsed, f"not a valid Excel (.xlsx) file: {type(err).__name__}", code="bad_xlsx")
        return
    meta = templates.read_meta(wb) if _sized(parsed, wb) else {}
    if parsed.problems:
        return
    kind = meta.get("kind", "")
    _cells_readable(parsed, wb, kind)
    if parsed.problems:
        return
    for finding in _personal(wb, kind):
        refused(parsed, finding)
    if parsed.problems:
        return
    parsed.kind = kind
    annexes.read(parsed, wb, meta)


def _sized(parsed: ParsedFile, wb) -> bool:
    """Every sheet within the limits (checked from its dimensions, before any cell is visited)."""
    cells = 0
    for ws in wb.worksheets:
        rows, columns = ws.max_row, ws.max_column
        if rows > MAX_SHEET_ROWS or columns > MAX_COLUMNS:
            reason = (
                f"sheet '{ws.title}' uses {rows} rows and {columns} columns "
                f"(at most {MAX_SHEET_ROWS} rows and {MAX_COLUMNS} columns)"
            )
            problem(
                parsed,
                reason,
                code="sheet_too_large",
                sheet=ws.title,
                rows=rows,
                columns=columns,
                max_rows=MAX_SHEET_ROWS,
                max_columns=MAX_COLUMNS,
            )
            return False
        cells += len(ws._cells)  # the cells the sheet holds (not the empty rectangle around them)
    if cells > MAX_CELLS:
        problem(
            parsed,
            f"the workbook holds {cells} cells (at most {MAX_CELLS})",
            code="too_many_cells",
            n=cells,
            limit=MAX_CELLS,
        )
        return False
    return True


def _cells(ws) -> Iterator:
    """The cells a sheet holds, in row order (the sheet is within the limits already)."""
    return (cell for _key, cell in sorted(ws._cells.items()))


def _cells_readable(parsed: ParsedFile, wb, kind: str) -> None:
    """Formulas, merged cells, over-long text and non-finite numbers: each refused with its cell.
    A formula's result is not in the file as far as this reader is concerned (it would be whatever
    Excel last computed, or nothing), and a formula is exactly what a download must never carry."""
    for ws in wb.worksheets:
        for cell in _cells(ws):
            value = cell.value
            where = {"sheet": ws.title, "cell": cell.coordinate}
            if cell.data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula):
                shown = str(value.text if isinstance(value, ArrayFormula) else value)[:60]
                reason = f"sheet '{ws.title}', cell {cell.coordinate}: a formula ({shown}); type the number itself"
                problem(parsed, reason, cell.row, cell.coordinate, "formula_cell", value=shown, **where)
            elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                reason = f"sheet '{ws.title}', cell {cell.coordinate}: {len(value)} characters"
                reason += f" (at most {MAX_CELL_CHARS})"
                _too_long(parsed, reason, cell, len(value), where)
            elif isinstance(value, float) and not math.isfinite(value):
                reason = f"sheet '{ws.title}', cell {cell.coordinate}: not a finite number ({value})"
                problem(parsed, reason, cell.row, cell.coordinate, "cell_not_finite", value=value, **where)
            comment = cell.comment.text if cell.comment is not None else ""
            if comment and len(comment) > MAX_CELL_CHARS:
                reason = f"sheet '{ws.title}', the comment on cell {cell.coordinate} is too long"
                _too_long(parsed, reason, cell, len(comment), where)
        first = DATA_FROM.get(kind, 1) if ws.title != "meta" else 1
        for merged in ws.merged_cells.ranges:
            if merged.max_row >= first:
                reason = f"sheet '{ws.title}', cells {merged.coord} are merged: a merged cell hides values"
                problem(parsed, reason, merged.min_row, merged.coord, "merged_cells", sheet=ws.title, cell=merged.coord)


def _personal(wb, kind: str) -> list[privacy_guard.Finding]:
    """Every sheet (hidden ones too), every cell with text or a number, every comment, every sheet
    name and the document properties."""
    findings: list[privacy_guard.Finding] = []
    # the onboarding sheets' own headers that name an institution, not a person (a school's "name"),
    # and their columns that hold institutions' names (the person-name rule does not apply)
    own: set[tuple[str, str]] = set()
    institutions: dict[str, set[int]] = {}
    if kind == onboarding.KIND:
        for sheet, table in onboarding.SHEETS.items():
            own |= {(sheet, name) for name in privacy_guard.INSTITUTION_COLUMNS.get(table, ())}
            named = privacy_guard.NAMES_OF_INSTITUTIONS.get(table, frozenset())
            institutions[sheet] = {i for i, c in enumerate(onboarding.columns(table), start=1) if c in named}
    for ws in wb.worksheets:
        kind_of_title = privacy_guard.value_kind(ws.title)
        if kind_of_title:
            reason = f"the sheet name {privacy_guard.REASONS[kind_of_title]}"
            findings.append(privacy_guard.Finding(f"sheet '{ws.title}'", reason, None, ws.title, kind_of_title))
        for cell in _cells(ws):
            value, where = cell.value, f"sheet '{ws.title}', cell {cell.coordinate}"
            if isinstance(value, str) and cell.row == 1 and (ws.title, value) in own:
                continue
            if isinstance(value, str) and (column := privacy_guard.column_finding(value)):
                findings.append(
                    privacy_guard.Finding(where, f"the sheet has {column}", cell.row, cell.coordinate, "column")
                )
                continue
            names = cell.column not in institutions.get(ws.title, ())
            found = privacy_guard.value_kind(value, names=names) if isinstance(value, str | int | float) else None
            if found:
                reason = f"a value {privacy_guard.REASONS[found]}"
                findings.append(privacy_guard.Finding(where, reason, cell.row, cell.coordinate, found))
            if cell.comment is not None and (found := privacy_guard.value_kind(cell.comment.text or "")):
                reason = f"a cell comment {privacy_guard.REASONS[found]}"
                findings.append(privacy_guard.Finding(f"{where} (comment)", reason, cell.row, cell.coordinate, found))
    findings += _properties(wb)
    return findings


def _properties(wb) -> list[privacy_guard.Finding]:
    findings = []
    values = [(name, getattr(wb.properties, name, None)) for name in PROPERTIES]
    values += [(f"custom: {prop.name}", getattr(prop, "value", None)) for prop in getattr(wb, "custom_doc_props", [])]
    for name, value in values:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            continue
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            value = value[:MAX_CELL_CHARS]
        found = privacy_guard.value_kind(value, names=name not in WHO_SAVED)
        if found:
            where = f"the document properties ({name})"
            findings.append(
                privacy_guard.Finding(where, f"a property {privacy_guard.REASONS[found]}", None, name, found)
            )
    return findings


def column_letter(index: int) -> str:
    return get_column_letter(index)
