"""Import schools' yearly reports: ``python -m data_loaders.importers FILE... [--db PATH]``.

Accepted files: the annex 6 / annex 1 Excel templates (``data_loaders/templates.py``) and CSVs
of the importable tables in this project's own format (``enrolment.csv``, ``outcome.csv``, ...;
columns as in ``docs/data_dictionary.md``). Each file is checked completely before anything is
written: size and type, the privacy guard, every cell against its model, keys and references
against the database. A file with any problem is refused whole. Valid files are written in one
transaction on a copy of the database that then replaces it (``data_loaders/store.py``), so a
reader never sees a half-imported state. Re-importing a school-year replaces its figures; the
replaced rows are kept in ``import_history`` and ``restore`` puts them back.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import getpass
import hashlib
import io
import json
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
from pydantic import ValidationError

from data_loaders import integrity, migrate, onboarding, privacy_guard, templates
from data_loaders.build import Problem, database_path, insert_rows, read_table_text, validation_problems
from data_loaders.store import connect_read_only, is_remote, replace_atomically
from data_loaders.tables import TABLES

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
# Every table a file may bring: a municipality's set-up (onboarding) and its yearly figures.
IMPORTABLE = (
    "municipality",
    "school",
    "school_event",
    "indicator",
    "indicator_target",
    "stated_total",
    "national_reference",
    "enrolment",
    "support_staff",
    "pumpurs",
    "risk",
    "outcome",
    "indicator_value",
    "activity_report",
)
# The scope a file reports on in each table: a school (or the municipality) and a year. Importing a
# file replaces everything its scopes had in that table: rows and cells the file leaves out are gone
# (kept in import_history, so a restore brings them back), the same rule for every table.
REPLACE_SCOPE = {
    "municipality": ("code",),
    "school": ("school_id",),
    "school_event": ("school_id",),  # a school's whole history
    "indicator": ("municipality", "indicator_no", "breakdown"),
    "indicator_target": ("municipality", "indicator_no", "breakdown"),  # all targets of the indicator
    "stated_total": ("municipality", "period"),
    "national_reference": ("measure", "period"),
    "enrolment": ("school_id", "school_year"),
    "support_staff": ("school_id", "school_year"),
    "pumpurs": ("school_id", "period"),
    "risk": ("scope", "period"),
    "outcome": ("scope", "school_year"),
    "indicator_value": ("municipality", "period"),
    "activity_report": ("municipality", "year"),
}
STATUS_FROM_LV = {lv: key for key, lv in templates.STATUS_LV.items()} | {k: k for k in templates.STATUS_LV}


@dataclass
class ParsedFile:
    """One uploaded file after checking: rows per table, or the reasons it is refused."""

    name: str
    sha256: str
    kind: str = ""  # annex6, annex1 or csv:<table>
    tables: dict[str, list[dict]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # accepted, but said before confirming: a stated total that differs from the sum of its parts
    warnings: list[Problem] = field(default_factory=list)
    replaces: dict[str, int] = field(default_factory=dict)  # rows of the database it would replace
    lines: dict[str, list[int]] = field(default_factory=dict)  # a workbook's row number of each row

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def row_counts(self) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.tables.items() if rows}

    def line(self, table: str, index: int) -> int:
        """The file's row number of the table's ``index``-th row (a CSV's header is row 1)."""
        lines = self.lines.get(table)
        return lines[index] if lines else index + 2

    def reported_on(self) -> dict[str, str | None]:
        """What the file is a report of, for the import log and the reporting round: its kind and
        the one municipality, school and period all its rows share (None where they differ)."""

        def shared(*columns: str) -> str | None:
            values = {str(r[c]) for rows in self.tables.values() for r in rows for c in columns if c in r}
            return values.pop() if len(values) == 1 else None

        if self.kind == onboarding.KIND:  # a municipality's set-up: no one school or year
            return {
                "kind": self.kind,
                "municipality": shared("code", "municipality"),
                "school_id": None,
                "period": None,
            }
        return {
            "kind": self.kind or None,
            "municipality": shared("municipality"),
            "school_id": shared("school_id", "scope") if self.kind != "annex1" else None,
            "period": shared("school_year", "period", "year"),
        }


def _problem(
    parsed: ParsedFile, reason: str, row: int | None = None, column: str | None = None, code: str = "", **params
) -> None:
    parsed.problems.append(Problem(parsed.name, row, column, reason, code, {k: str(v) for k, v in params.items()}))


def _refused(parsed: ParsedFile, finding: privacy_guard.Finding) -> None:
    reason = f"refused: {finding.reason} ({finding.where}); nothing from this file is stored"
    _problem(parsed, reason, finding.row, finding.column, f"personal_{finding.kind}", where=finding.column or "")


def parse(name: str, data: bytes) -> ParsedFile:
    """Read and validate one file on its own (no database needed)."""
    parsed = ParsedFile(name=name, sha256=hashlib.sha256(data).hexdigest())
    suffix = Path(name).suffix.lower()
    if not data:
        _problem(parsed, "the file is empty", code="empty_file")
    elif len(data) > MAX_BYTES:
        size, limit = f"{len(data) / 1e6:.1f}", f"{MAX_BYTES / 1e6:.0f}"
        _problem(
            parsed, f"the file is too large ({size} MB; at most {limit} MB)", code="too_large", size=size, limit=limit
        )
    elif suffix == ".xlsx":
        _parse_xlsx(parsed, data)
    elif suffix == ".csv":
        _parse_csv(parsed, data)
    else:
        reason = f"unsupported file type '{suffix or '(none)'}': upload a filled .xlsx template or a .csv"
        _problem(parsed, reason, code="unsupported_type", suffix=suffix or "–")
    if not parsed.problems:
        check_parts_and_totals(parsed)
    if parsed.problems:
        parsed.tables = {}
        parsed.warnings = []
    return parsed


# Grade bands in order; '1-3' stands at 3, so a whole school is a run without gaps from grade 1, 7
# or 10 to grade 9 or 12 (the same rule as the enrolment_total view in schema.sql).
_BAND_ORDER = {"1-3": 3, **{str(g): g for g in range(4, 13)}}


def whole_bands(bands: dict[str, int | None]) -> bool:
    steps = sorted(_BAND_ORDER[b] for b in bands)
    return (
        bool(steps)
        and all(v is not None for v in bands.values())
        and steps[0] in (3, 7, 10)
        and steps[-1] in (9, 12)
        and steps == list(range(steps[0], steps[-1] + 1))
    )


def check_parts_and_totals(parsed: ParsedFile) -> None:
    """Where a file gives parts and their total, they must not be counted twice or disagree unseen.

    Enrolment: grade bands that make up a whole school are the school's pupils (the pages add them
    up); a `total` row beside them is a stated total, and a difference is reported before the import
    is confirmed. Bands that are not the whole school must not add up to more than the total.
    Pumpurs: semester rows and a whole-period row of the same school and period would be added
    together, so such a file is refused."""
    line_of = {id(r): i for rows in parsed.tables.values() for i, r in enumerate(rows, start=2)}
    csv_file = parsed.kind.startswith("csv:")
    groups: dict[tuple, dict[str, dict]] = {}
    for row in parsed.tables.get("enrolment", []):
        groups.setdefault((row["school_id"], row["school_year"]), {})[row["grade_band"]] = row
    for (school, year), rows in groups.items():
        total = rows.pop("total", None)
        if total is None or total["pupils"] is None or not rows:
            continue
        line = line_of[id(total)] if csv_file else None
        summed = sum(r["pupils"] or 0 for r in rows.values())
        params = {"school": school, "year": year, "stated": total["pupils"], "summed": summed}
        if whole_bands({b: r["pupils"] for b, r in rows.items()}):
            if summed != total["pupils"]:
                reason = (
                    f"{school} {year}: the grades add up to {summed} pupils, the total row says {total['pupils']}; "
                    "the pages will show the sum and the stated total beside it"
                )
                parsed.warnings.append(
                    Problem(parsed.name, line, "pupils", reason, "enrolment_stated_differs", _text(params))
                )
        elif summed > total["pupils"]:
            reason = (
                f"{school} {year}: the grades given add up to {summed} pupils, more than the total {params['stated']}"
            )
            _problem(parsed, reason, line, "pupils", "parts_exceed_total", **params)
    periods: dict[tuple, set[str]] = {}
    for row in parsed.tables.get("pumpurs", []):
        periods.setdefault((row["school_id"], row["period"]), set()).add(row["semester"])
    for row in parsed.tables.get("stated_total", []):  # the municipality's own plans: the same rule
        if row["topic"] == "pumpurs" and row["measure"] == "iap_count":
            semester = "all" if row["semester"] in ("", "all") else row["semester"]
            periods.setdefault((row["municipality"], row["period"]), set()).add(semester)
    for (school, period), semesters in periods.items():
        if "all" in semesters and semesters & {"I", "II"}:
            reason = (
                f"{school} {period}: semester rows and a whole-year row ('all') would be counted twice; "
                "send the semesters or the year, not both (a printed total belongs in stated_total)"
            )
            _problem(parsed, reason, None, "semester", "semesters_and_total", school=school, period=period)


def _text(params: dict) -> dict[str, str]:
    return {k: str(v) for k, v in params.items()}


def _parse_csv(parsed: ParsedFile, data: bytes) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        _problem(parsed, f"not UTF-8 text ({err.reason} at byte {err.start}); save the CSV as UTF-8", code="not_utf8")
        return
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        _problem(parsed, "the file is empty (no header row)", code="no_header")
        return
    if len(lines) > MAX_ROWS + 1:
        _problem(parsed, f"too many rows ({len(lines) - 1}; at most {MAX_ROWS})", code="too_many_rows", limit=MAX_ROWS)
        return
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as err:
        _problem(parsed, f"not a valid CSV file ({err})", code="bad_csv")
        return
    table = _table_for_csv(Path(parsed.name).stem, rows[0])
    allowed = privacy_guard.INSTITUTION_COLUMNS.get(table or "", frozenset())
    for finding in privacy_guard.scan_table(rows[0], enumerate(rows[1:], start=2), allowed=allowed):
        _refused(parsed, finding)
    if parsed.problems:
        return
    if table is None:
        names = ", ".join(f"{t}.csv" for t in IMPORTABLE)
        _problem(
            parsed,
            f"cannot tell which table this CSV is for: name it after one of {names}",
            1,
            code="csv_table",
            names=names,
        )
        return
    parsed.kind = f"csv:{table}"
    found, problems = read_table_text(parsed.name, text, table)
    parsed.problems.extend(problems)
    parsed.tables[table] = found


def _table_for_csv(stem: str, header: list[str]) -> str | None:
    if stem in IMPORTABLE:
        return stem
    for table in sorted(IMPORTABLE, key=len, reverse=True):  # school_event_2021.csv is not school.csv
        if stem.startswith(f"{table}_") or stem.startswith(f"{table}-"):
            return table
    matches = [t for t in IMPORTABLE if set(TABLES[t].columns) == set(header)]
    return matches[0] if len(matches) == 1 else None


def _sheet_findings(wb, kind: str) -> list[privacy_guard.Finding]:
    findings: list[privacy_guard.Finding] = []
    # the onboarding sheets' own headers that name an institution, not a person (a school's "name")
    own = {
        (sheet, name)
        for sheet, table in onboarding.SHEETS.items()
        for name in privacy_guard.INSTITUTION_COLUMNS.get(table, ())
        if kind == onboarding.KIND
    }
    for ws in wb.worksheets:
        rows = [(c.coordinate, c.row, c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        for coordinate, line, value in rows:
            column = None if line == 1 and (ws.title, value) in own else privacy_guard.column_finding(value)
            reason = privacy_guard.value_finding(value) or (f"the sheet has {column}" if column else None)
            if reason:
                kind = (
                    "column" if column and not privacy_guard.value_finding(value) else privacy_guard.value_kind(value)
                )
                where = f"sheet '{ws.title}', cell {coordinate}"
                findings.append(privacy_guard.Finding(where, reason, line, coordinate, kind))
    return findings


def _parse_xlsx(parsed: ParsedFile, data: bytes) -> None:
    try:
        wb = templates.read_workbook(data)
    except ValueError as err:
        _problem(parsed, str(err), code="bad_xlsx")
        return
    meta = templates.read_meta(wb)
    for finding in _sheet_findings(wb, meta.get("kind", "")):
        _refused(parsed, finding)
    if parsed.problems:
        return
    parsed.kind = meta.get("kind", "")
    if parsed.kind in ("annex6", "annex1", onboarding.KIND) and not _template_version_ok(
        parsed, meta.get("version", "")
    ):
        return
    if parsed.kind == onboarding.KIND:
        _read_onboarding(parsed, wb)
    elif parsed.kind == "annex6" and "Pielikums 6" in wb.sheetnames:
        _read_annex6(parsed, wb["Pielikums 6"], meta)
    elif parsed.kind == "annex1" and "Pielikums 1" in wb.sheetnames:
        _read_annex1(parsed, wb["Pielikums 1"], meta)
    else:
        _problem(
            parsed,
            "not a template of this dashboard (download the annex 6 or annex 1 template from the Data page)",
            code="not_template",
        )


def _read_onboarding(parsed: ParsedFile, wb) -> None:
    """A new municipality's workbook: each sheet's rows checked against its table's model, every
    problem named by sheet, row and column."""
    found, layout = onboarding.read(wb)
    for sheet, row, column, reason, code in layout:
        _problem(parsed, f"sheet '{sheet}': {reason}", row, column, code, sheet=sheet)
    for table, rows in found.items():
        for sheet, line, raw in rows:
            checked = _validated(parsed, table, raw, line, sheet)
            if checked:
                parsed.tables.setdefault(table, []).append(checked)
                parsed.lines.setdefault(table, []).append(line)
    _mergers_on_schools(parsed)


def _mergers_on_schools(parsed: ParsedFile) -> None:
    """A `merged` history row states the school's current merger too (``school.merged_into`` and
    ``merged_year``, which the pages follow): filled in where the school's row leaves it empty,
    refused where it says otherwise. A merger counts from the school year it takes effect in: one
    before September from that year's autumn, a later one from the next."""
    schools = {r["school_id"]: r for r in parsed.tables.get("school", [])}
    for event in parsed.tables.get("school_event", []):
        school = schools.get(event["school_id"])
        if event["event"] != "merged" or school is None:
            continue
        date = event["event_date"]
        year = date.year if date.month < 9 else date.year + 1
        if school["merged_into"] is None:
            school.update(merged_into=event["other_school_id"], merged_year=year)
        elif (school["merged_into"], school["merged_year"]) != (event["other_school_id"], year):
            reason = (
                f"school {school['school_id']}: merged into {school['merged_into']} ({school['merged_year']}) on the "
                f"schools sheet, but into {event['other_school_id']} ({year}) in its history"
            )
            _problem(parsed, reason, None, "merged_into", "merger_disagrees", school=school["school_id"])


def _template_version_ok(parsed: ParsedFile, version: str) -> bool:
    """A template is read only in a layout this release knows (``templates.READABLE_VERSIONS``): an
    older form is refused with the advice to download the current one, a newer one (from a later
    release) as well, so no cell is ever read from the wrong row."""
    if version in templates.READABLE_VERSIONS:
        return True
    current = templates.TEMPLATE_VERSION
    newer = version.isdigit() and int(version) > int(current)
    code = "template_newer" if newer else "template_version"
    what = "a newer release" if newer else "an older release or another tool"
    reason = (
        f"the template has version {version or '(none)'}, made by {what}; this release reads version {current}: "
        "download the template again from the Data page and copy the figures into it"
    )
    _problem(parsed, reason, code=code, found=version or "–", current=current)
    return False


def _number(parsed: ParsedFile, ws_title: str, coordinate: str, row: int, value, kind: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        reason = f"sheet '{ws_title}', cell {coordinate}: not a number (got {value!r})"
        _problem(parsed, reason, row, coordinate, "cell_not_number", cell=coordinate, value=value)
        return None
    if number < 0:
        reason = f"sheet '{ws_title}', cell {coordinate}: must be 0 or more (got {value!r})"
        _problem(parsed, reason, row, coordinate, "cell_negative", cell=coordinate, value=value)
        return None
    if kind == "count" and number != int(number):
        reason = f"sheet '{ws_title}', cell {coordinate}: must be a whole number (got {value!r})"
        _problem(parsed, reason, row, coordinate, "cell_not_whole", cell=coordinate, value=value)
        return None
    return number


def _validated(parsed: ParsedFile, table: str, raw: dict, row: int, sheet: str | None = None) -> dict | None:
    try:
        return TABLES[table].model.model_validate(raw).model_dump()
    except ValidationError as err:
        where = f"{parsed.name}, sheet '{sheet}'" if sheet else parsed.name
        parsed.problems.extend(validation_problems(where, row, raw, err))
        return None


def _read_annex6(parsed: ParsedFile, ws, meta: dict[str, str]) -> None:
    school_id, year, municipality = meta.get("school_id", ""), meta.get("school_year", ""), meta.get("municipality", "")
    if not (school_id and year and municipality):
        _problem(parsed, "the template's meta sheet is incomplete (school, municipality, school year)", code="meta")
        return
    start = int(year[:4]) if year[:4].isdigit() else 0
    source = f"import: annex 6 {school_id} {year} ({parsed.name})"
    values: dict[tuple[str, str], float] = {}
    seen: set[str] = set()
    for row in ws.iter_rows(min_row=templates.FIRST_FIELD_ROW):
        key = row[1].value
        if key not in templates.FIELDS:
            continue
        if key in seen:
            _problem(parsed, f"field '{key}' appears twice", row[0].row, "B")
        seen.add(key)
        spec = templates.FIELDS[key]
        for level, letter in templates.LEVEL_COLUMNS.items():
            cell = ws[f"{letter}{row[0].row}"]
            if level not in spec.levels:
                if cell.value not in (None, ""):
                    _problem(parsed, f"cell {cell.coordinate} ({key}, {level}) must stay empty", cell.row, letter)
                continue
            number = _number(parsed, ws.title, cell.coordinate, cell.row, cell.value, spec.kind)
            if number is not None:
                values[(key, level)] = number
    missing = set(templates.FIELDS) - seen
    if missing:
        lost = ", ".join(sorted(missing))
        _problem(parsed, f"the template has lost rows: {lost}", code="lost_rows", rows=lost)
    for enrolled, parts in (
        ("grade9_enrolled", ("grade9_certificate", "grade9_report_only")),
        ("grade12_enrolled", ("grade12_diploma", "grade12_report_only")),
    ):
        level = templates.FIELDS[enrolled].levels[0]
        if (enrolled, level) in values and all((p, level) in values for p in parts):
            finished = sum(values[(p, level)] for p in parts)
            if finished > values[(enrolled, level)]:
                _problem(
                    parsed,
                    f"{' + '.join(parts)} ({finished:g}) is more than {enrolled} ({values[(enrolled, level)]:g})",
                )
    if parsed.problems:
        return
    tables: dict[str, list[dict]] = {"enrolment": [], "outcome": [], "risk": []}
    for (key, level), number in values.items():
        spec = templates.FIELDS[key]
        if spec.table == "enrolment":
            raw = {
                "school_id": school_id,
                "school_year": year,
                "start_year": start,
                "grade_band": spec.target,
                "pupils": int(number),
                "classes": None,
                "source": source,
                "note": None,
            }
        elif spec.table == "risk":
            raw = {
                "municipality": municipality,
                "scope": school_id,
                "period": year,
                "start_year": start,
                "end_year": start,
                "risk_group": spec.target,
                "sub_risk": "",
                "pupils": int(number),
                "share_pct": None,
                "population": "pupils at PMP risk (school yearly report, annex 6)",
                "source": source,
                "note": None,
            }
        elif spec.table == "outcome":
            unit = "hours_per_pupil" if spec.kind == "hours" else "pupils"
            raw = {
                "municipality": municipality,
                "scope": school_id,
                "school_year": year,
                "start_year": start,
                "level": level,
                "indicator": spec.target,
                "subject": "",
                "threshold": "",
                "value": number,
                "unit": unit,
                "source": source,
                "note": None,
            }
        else:
            continue  # a consistency-check field, not stored
        row = _validated(parsed, spec.table, raw, templates.FIRST_FIELD_ROW + list(templates.FIELDS).index(key))
        if row:
            tables[spec.table].append(row)
    parsed.tables = tables


def _read_annex1(parsed: ParsedFile, ws, meta: dict[str, str]) -> None:
    municipality, year = meta.get("municipality", ""), meta.get("year", "")
    if not (municipality and year.isdigit()):
        _problem(parsed, "the template's meta sheet is incomplete (municipality, year)", code="meta")
        return
    rows = []
    for row in ws.iter_rows(min_row=6):
        number, _name, status, participants, done, impact, factors, evidence = (c.value for c in row[:8])
        if number is None:
            continue
        if all(v in (None, "") for v in (status, participants, done, impact, factors, evidence)):
            continue  # an activity not reported this year: no row, not a zero
        line = row[0].row
        status_key = STATUS_FROM_LV.get(str(status or "").strip().lower())
        if status_key is None:
            _problem(
                parsed, f"status must be one of {', '.join(templates.STATUS_LV.values())} (got {status!r})", line, "C"
            )
            continue
        count = _number(parsed, ws.title, f"D{line}", line, participants, "count")
        source = f"import: annex 1 {municipality} {year} ({parsed.name})"
        if evidence:
            source += f"; evidence: {evidence}"
        raw = {
            "municipality": municipality,
            "activity_no": str(number).strip(),
            "year": int(year),
            "status": status_key,
            "participants": None if count is None else int(count),
            "done_text": done,
            "impact_text": impact,
            "factors_text": factors,
            "source": source,
        }
        validated = _validated(parsed, "activity_report", raw, line)
        if validated:
            rows.append(validated)
    parsed.tables = {"activity_report": rows}


def check_against_database(con: duckdb.DuckDBPyConnection, files: list[ParsedFile]) -> None:
    """Keys, duplicates across the batch and references (``integrity.REFERENCES``) to what the
    database or another file of the same batch holds (a new municipality's schools may come in
    the same upload as the municipality itself)."""
    batch = [f for f in files if f.ok]
    known, school_municipality = _known(con, batch)
    seen: dict[tuple, str] = {}
    for parsed in batch:
        for table, rows in parsed.tables.items():
            spec = TABLES[table]
            for index, row in enumerate(rows):
                line = parsed.line(table, index)
                key = (table, *(row[c] for c in spec.key))
                if key in seen:
                    where = "earlier in this file" if seen[key] == parsed.name else f"in {seen[key]}"
                    _problem(parsed, f"duplicate {table} row {key[1:]} (also {where})", line, code="duplicate_row")
                seen.setdefault(key, parsed.name)
                problem = _reference_problem(table, row, known, school_municipality)
                if problem:
                    _problem(parsed, problem, line, code="unknown_reference", detail=problem)
        if parsed.ok:
            parsed.replaces = {t: _count_replaced(con, t, rows) for t, rows in parsed.tables.items() if rows}
        else:
            parsed.tables = {}


def _known(con: duckdb.DuckDBPyConnection, batch: list[ParsedFile]) -> tuple[dict[tuple, set[tuple]], dict[str, str]]:
    """The values each reference may point at: in the database, or in a file of the batch."""
    known: dict[tuple, set[tuple]] = {}
    for ref in integrity.REFERENCES:
        target = (ref.target, ref.target_columns)
        if target not in known:
            known[target] = set(con.execute(f"SELECT {', '.join(ref.target_columns)} FROM {ref.target}").fetchall())
            for parsed in batch:
                known[target] |= {tuple(r[c] for c in ref.target_columns) for r in parsed.tables.get(ref.target, [])}
    school_municipality = dict(con.execute("SELECT school_id, municipality FROM school").fetchall())
    for parsed in batch:
        school_municipality |= {r["school_id"]: r["municipality"] for r in parsed.tables.get("school", [])}
    return known, school_municipality


def _reference_problem(
    table: str, row: dict, known: dict[tuple, set[tuple]], school_municipality: dict[str, str]
) -> str | None:
    for ref in integrity.REFERENCES:
        if ref.table != table:
            continue
        values = tuple(row[c] for c in ref.columns)
        if any(v is None or v == "" for v in values):
            continue
        if ref.scope:  # a school of the row's municipality, or the municipality itself
            scope = values[0]
            if scope == row["municipality"]:
                continue
            if scope not in school_municipality:
                return f"unknown school or municipality {scope!r}"
            if school_municipality[scope] != row["municipality"]:
                return f"school {scope!r} is not in municipality {row['municipality']!r}"
        elif values not in known[(ref.target, ref.target_columns)]:
            if ref.target == "indicator":
                return f"unknown indicator {values[1]}{' ' + values[2] if values[2] else ''} for {values[0]}"
            if ref.target == "activity":
                return f"unknown activity {values[1]!r} for {values[0]}"
            return f"unknown {ref.target} {values[0]!r}"
    return None


SCOPES = "_import_scopes"  # the scopes of one table's rows, as a relation the statements join on


@contextlib.contextmanager
def _scopes(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> Iterator[str]:
    """Register the distinct scopes of ``rows`` and yield the join condition on them.

    One set-based statement per table, not one per scope: a national yearly import has tens of
    thousands of scopes, and a statement each took a minute."""
    columns = REPLACE_SCOPE[table]
    frame = pd.DataFrame(sorted({tuple(r[c] for c in columns) for r in rows}), columns=list(columns))
    con.register(SCOPES, frame)
    try:
        yield " AND ".join(f"t.{c} = s.{c}" for c in columns)
    finally:
        con.unregister(SCOPES)


def _count_replaced(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> int:
    with _scopes(con, table, rows) as on:
        return con.execute(f"SELECT count(*) FROM {table} t JOIN {SCOPES} s ON {on}").fetchall()[0][0]


def check(db_path: Path | str, files: list[ParsedFile]) -> list[ParsedFile]:
    """Run the database checks on a read-only view of the current database."""
    con = connect_read_only(db_path)
    try:
        check_against_database(con, files)
    finally:
        con.close()
    return files


def apply(db_path: Path | str, files: list[ParsedFile], user: str) -> list[str]:
    """Write every valid file in one transaction; return the import ids. Refused files are skipped."""
    valid = [f for f in files if f.ok and f.tables]
    if not valid:
        return []
    now = datetime.now(UTC).replace(tzinfo=None)
    ids = []
    with replace_atomically(Path(db_path), copy_existing=True) as con:
        check_against_database(con, valid)  # again, inside the lock, against the very file we change
        refused = [f for f in valid if not f.ok]
        if refused:
            raise ImportRefused(refused)
        for parsed in valid:
            import_id = f"imp-{now:%Y%m%d%H%M%S}-{parsed.sha256[:8]}-{uuid.uuid4().hex[:4]}"
            for table, rows in parsed.tables.items():
                if not rows:
                    continue
                with _scopes(con, table, rows) as on:
                    con.execute(
                        "INSERT INTO import_history (import_id, table_name, row_json, replaced_at, row_import_id) "
                        f"SELECT $import_id, '{table}', to_json(t)::VARCHAR, $now, t.import_id "
                        f"FROM {table} t SEMI JOIN {SCOPES} s ON {on}",
                        {"import_id": import_id, "now": now},
                    )
                    con.execute(f"DELETE FROM {table} t USING {SCOPES} s WHERE {on}")
                insert_rows(con, table, rows, import_id)
            log_entry(
                con,
                import_id,
                now,
                user,
                parsed.name,
                parsed.sha256,
                {"inserted": parsed.row_counts, "replaced": parsed.replaces},
                "imported",
                **parsed.reported_on(),
            )
            ids.append(import_id)
    return ids


class ImportRefused(Exception):
    def __init__(self, files: list[ParsedFile]):
        self.files = files
        super().__init__("; ".join(str(p) for f in files for p in f.problems))


def restore(db_path: Path | str, import_id: str, user: str) -> int:
    """Undo an import: remove its rows and put back the rows it replaced. Returns rows restored."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with replace_atomically(Path(db_path), copy_existing=True) as con:
        found = con.execute("SELECT file_name, sha256 FROM import_log WHERE import_id = ?", [import_id]).fetchone()
        if not found:
            raise KeyError(f"no import {import_id!r} in the log")
        later = con.execute(
            "SELECT DISTINCT import_id FROM import_history WHERE import_id <> ? AND row_import_id = ?",
            [import_id, import_id],
        ).fetchall()
        if later:
            raise ValueError(f"a later import ({later[0][0]}) replaced figures of {import_id}: restore that one first")
        restored = 0
        for table in IMPORTABLE:
            con.execute(f"DELETE FROM {table} WHERE import_id = ?", [import_id])
            # one statement per table: each column read back from the row's JSON (to_json, as kept at
            # import) and cast to the table's own type by the insert
            columns = [*TABLES[table].columns, "import_id"]
            values = ", ".join(f"json_extract_string(row_json, '$.\"{c}\"')" for c in columns)
            (count,) = con.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM import_history "
                "WHERE import_id = ? AND table_name = ?",
                [import_id, table],
            ).fetchone()
            restored += count
        con.execute("DELETE FROM import_history WHERE import_id = ?", [import_id])
        log_entry(
            con,
            f"restore-{import_id}-{now:%H%M%S}",
            now,
            user,
            found[0],
            found[1],
            {"undid": import_id, "restored": restored},
            "restored",
            kind="restore",
            undoes=import_id,
        )
    return restored


def log_entry(
    con: duckdb.DuckDBPyConnection,
    import_id: str,
    at: datetime,
    user: str,
    file_name: str,
    sha256: str,
    rows: dict,
    result: str,
    **about: str | None,
) -> None:
    """One row of the import log; ``about`` names what the file reported on (kind, municipality,
    school_id, period) or which import a restore undid (undoes)."""
    columns = ("kind", "municipality", "school_id", "period", "undoes")
    con.execute(
        "INSERT INTO import_log (import_id, imported_at, imported_by, file_name, sha256, rows_json, result, "
        f"{', '.join(columns)}) VALUES (?, ?, ?, ?, ?, ?, ?, {', '.join('?' * len(columns))})",
        [import_id, at, user, file_name, sha256, json.dumps(rows, sort_keys=True), result]
        + [about.get(c) for c in columns],
    )


def import_files(
    db_path: Path | str, named_files: list[tuple[str, bytes]], user: str
) -> tuple[list[ParsedFile], list[str]]:
    """Parse, check and write: the whole path used by the page and the command line."""
    parsed = check(db_path, [parse(name, data) for name, data in named_files])
    return parsed, apply(db_path, parsed, user)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Import filled templates or table CSVs into the PMP database.")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--db", help="database file (default: $PMP_DB or data/pmp.duckdb)")
    parser.add_argument("--user", default=getpass.getuser(), help="who imports (for the import log)")
    parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    args = parser.parse_args(argv)
    db = Path(args.db or database_path())
    if not is_remote(db) and not db.exists():
        print(f"error: database {db} does not exist (build it: python -m data_loaders.build)", file=sys.stderr)
        return 2
    try:
        migrate.ensure_current(db)  # an older database is upgraded first; a newer one is refused
    except migrate.SchemaError as err:
        print(f"error: {db}: {err}", file=sys.stderr)
        return 2
    named = []
    for path in args.files:
        try:
            named.append((path.name, path.read_bytes()))
        except OSError as err:
            print(f"{path}: cannot read the file ({err.strerror})", file=sys.stderr)
            return 2
    parsed = check(db, [parse(name, data) for name, data in named])
    for f in parsed:
        if f.ok:
            print(f"{f.name}: OK — rows {f.row_counts}, replaces {f.replaces}")
            for warning in f.warnings:
                print(f"  ! {warning}")
        else:
            print(f"{f.name}: REFUSED", file=sys.stderr)
            for problem in f.problems:
                print(f"  - {problem}", file=sys.stderr)
    if any(not f.ok for f in parsed):
        print("nothing was written: fix the files above and import again", file=sys.stderr)
        return 1
    if args.dry_run:
        return 0
    ids = apply(db, parsed, args.user)
    print(f"imported {len(ids)} file(s): {', '.join(ids)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
