"""Reading one uploaded file on its own (no database): ``parse``. Limits first, then the privacy
guard, then every value against its model, then the rules within the file (``checks``)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from data_loaders import privacy_guard
from data_loaders.build import Problem, read_table_text
from data_loaders.importers import checks, workbooks
from data_loaders.importers.files import IMPORTABLE, ParsedFile, clear, problem, refused
from data_loaders.importers.limits import MAX_BYTES, MAX_CELL_CHARS, MAX_COLUMNS, MAX_PROBLEMS, MAX_ROWS, megabytes
from data_loaders.models import CONTROL
from data_loaders.tables import TABLES


def parse(name: str, data: bytes) -> ParsedFile:
    """Read and validate one file on its own (no database needed). Never raises: whatever goes
    wrong refuses the file with a reason (an unexpected error is one too, so the Data page and the
    other files of the batch carry on; the tests make sure it never happens)."""
    parsed = ParsedFile(name=name, sha256=hashlib.sha256(data).hexdigest())
    try:
        _parse(parsed, data)
    except Exception as err:  # a safety net, never the way a file is meant to be refused
        reason = f"the file could not be read ({type(err).__name__}); nothing from it is stored"
        parsed.problems.append(Problem(name, None, None, reason, "unreadable", {"error": type(err).__name__}))
    if len(parsed.problems) > MAX_PROBLEMS:
        more = len(parsed.problems) - MAX_PROBLEMS
        parsed.problems[MAX_PROBLEMS:] = [
            Problem(name, None, None, f"... and {more} more problem(s)", "more_problems", {"n": str(more)})
        ]
    if parsed.problems:
        clear(parsed)
    return parsed


def _parse(parsed: ParsedFile, data: bytes) -> None:
    name = parsed.name
    suffix = Path(name).suffix.lower()
    # the file name is kept in the import log and shown on the Data page: no personal data in it either
    kind = privacy_guard.value_kind(re.sub(r"[_+]+", " ", Path(name).stem))
    if kind:
        finding = privacy_guard.Finding(
            "the file name", f"the file name {privacy_guard.REASONS[kind]}", None, None, kind
        )
        refused(parsed, finding)
        return
    if not data:
        problem(parsed, "the file is empty", code="empty_file")
    elif len(data) > MAX_BYTES:
        size, limit = megabytes(len(data)), megabytes(MAX_BYTES)
        problem(
            parsed, f"the file is too large ({size} MB; at most {limit} MB)", code="too_large", size=size, limit=limit
        )
    elif suffix == ".xlsx":
        workbooks.parse_xlsx(parsed, data)
    elif suffix == ".csv":
        _parse_csv(parsed, data)
    else:
        reason = f"unsupported file type '{suffix or '(none)'}': upload a filled .xlsx template or a .csv"
        problem(parsed, reason, code="unsupported_type", suffix=suffix or "–")
    if not parsed.problems:
        checks.check_file(parsed)


def _parse_csv(parsed: ParsedFile, data: bytes) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problem(parsed, f"not UTF-8 text ({err.reason} at byte {err.start}); save the CSV as UTF-8", code="not_utf8")
        return
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        problem(parsed, "the file is empty (no header row)", code="no_header")
        return
    if len(lines) > MAX_ROWS + 1:
        reason = f"too many rows ({len(lines) - 1}; at most {MAX_ROWS})"
        problem(parsed, reason, code="too_many_rows", limit=MAX_ROWS)
        return
    if found := CONTROL.search(text):
        line = text.count("\n", 0, found.start()) + 1
        char = f"U+{ord(found.group()):04X}"
        problem(parsed, f"the file holds the control character {char}", line, code="control_character", char=char)
        return
    if ";" in lines[0] and "," not in lines[0]:
        reason = "the columns are separated by semicolons: save the file as 'CSV UTF-8 (comma delimited)'"
        problem(parsed, reason, 1, code="csv_semicolons")
        return
    rows: list[list[str]] = []
    try:
        for cells in csv.reader(io.StringIO(text, newline="")):  # a Python loop: other sessions get their turns
            rows.append(cells)
    except csv.Error as err:
        if "field larger than field limit" in str(err):
            problem(
                parsed,
                f"a cell is longer than {MAX_CELL_CHARS} characters",
                code="cell_too_long",
                limit=MAX_CELL_CHARS,
                cell="–",
                length="–",
            )
        else:
            problem(parsed, f"not a valid CSV file ({err})", code="bad_csv")
        return
    if not _within_limits(parsed, rows):
        return
    table = _table_for_csv(Path(parsed.name).stem, rows[0])
    allowed = privacy_guard.INSTITUTION_COLUMNS.get(table or "", frozenset())
    institutions = privacy_guard.NAMES_OF_INSTITUTIONS.get(table or "", frozenset())
    for finding in privacy_guard.scan_table(
        rows[0], enumerate(rows[1:], start=2), allowed=allowed, institutions=institutions
    ):
        refused(parsed, finding)
    if parsed.problems:
        return
    if table is None:
        names = ", ".join(f"{t}.csv" for t in IMPORTABLE)
        reason = f"cannot tell which table this CSV is for: name it after one of {names}"
        problem(parsed, reason, 1, code="csv_table", names=names)
        return
    parsed.kind = f"csv:{table}"
    found, problems = read_table_text(parsed.name, text, table)
    parsed.problems.extend(problems)
    parsed.tables[table] = found


def _within_limits(parsed: ParsedFile, rows: list[list[str]]) -> bool:
    """Columns per row and characters per cell, before any pattern looks at a cell."""
    for line, row in enumerate(rows, start=1):
        if len(row) > MAX_COLUMNS:
            reason = f"row {line} has {len(row)} cells (at most {MAX_COLUMNS})"
            problem(parsed, reason, line, code="too_many_columns", n=len(row), limit=MAX_COLUMNS)
            return False
        for index, cell in enumerate(row):
            if len(cell) > MAX_CELL_CHARS:
                header = rows[0][index] if index < len(rows[0]) and line > 1 else f"#{index + 1}"
                reason = f"the cell has {len(cell)} characters (at most {MAX_CELL_CHARS})"
                problem(
                    parsed, reason, line, header, "cell_too_long", cell=header, length=len(cell), limit=MAX_CELL_CHARS
                )
                return False
    return True


def _table_for_csv(stem: str, header: list[str]) -> str | None:
    if stem in IMPORTABLE:
        return stem
    for table in sorted(IMPORTABLE, key=len, reverse=True):  # school_event_2021.csv is not school.csv
        if stem.startswith(f"{table}_") or stem.startswith(f"{table}-"):
            return table
    matches = [t for t in IMPORTABLE if set(TABLES[t].columns) == set(header)]
    return matches[0] if len(matches) == 1 else None
