"""The dashboard's own workbooks: the annex 6 and annex 1 yearly forms (``data_loaders.templates``)
and a new municipality's set-up (``data_loaders.onboarding``). Each cell read strictly: a number is
a number as typed (digits, one decimal separator), never a date, a truth value or a formula."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from pydantic import ValidationError

from data_loaders import onboarding, templates
from data_loaders.build import Problem, validation_problems
from data_loaders.importers.files import STATUS_FROM_LV, ParsedFile, problem
from data_loaders.models import text_rule
from data_loaders.tables import TABLES

# A number typed as text in a template cell: digits with one decimal point or comma (Latvian
# writes 6,25), nothing else: not "1 000", "1.000,5", "7_7", "1e3", "NaN".
CELL_NUMBER = re.compile(r"[0-9]{1,12}(?:[.,][0-9]{1,12})?")
MAX_SCHOOL_PUPILS = 10_000  # one school's pupils: more than any school in Latvia has
MAX_PARTICIPANTS = 1_000_000  # people taking part in one activity of the action plan in a year
MAX_HOURS = 1_500  # hours of absence per pupil in a school year: more than all its lessons
HOURS_DECIMALS = 4  # outcome.value is DECIMAL(12, 4)
SCHOOL_YEAR = re.compile(r"(20[0-9]{2})/(20[0-9]{2})")
CALENDAR_YEAR = re.compile(r"20[0-9]{2}")


def read(parsed: ParsedFile, wb, meta: dict[str, str]) -> None:
    """Read the workbook as the template its meta sheet names, in a layout this release knows."""
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
        reason = "not a template of this dashboard (download the annex 6 or annex 1 template from the Data page)"
        problem(parsed, reason, code="not_template")


def _template_version_ok(parsed: ParsedFile, version: str) -> bool:
    """A template is read only in a layout this release knows (``templates.READABLE_VERSIONS``): an
    older form is refused with the advice to download the current one, a newer one (from a later
    release) as well, so no cell is ever read from the wrong row."""
    if version in templates.READABLE_VERSIONS:
        return True
    current = templates.TEMPLATE_VERSION
    newer = version.isascii() and version.isdigit() and len(version) < 6 and int(version) > int(current)
    code = "template_newer" if newer else "template_version"
    what = "a newer release" if newer else "an older release or another tool"
    reason = (
        f"the template has version {version or '(none)'}, made by {what}; this release reads version {current}: "
        "download the template again from the Data page and copy the figures into it"
    )
    problem(parsed, reason, code=code, found=(version or "–")[:20], current=current)
    return False


def cell_number(parsed: ParsedFile, sheet: str, coordinate: str, row: int, value, kind: str) -> float | int | None:
    """A template cell as a number, or None for an empty cell ("no data", never 0). A count (of one
    school's pupils) is a whole number of at most ``MAX_SCHOOL_PUPILS``, participants of an activity
    at most ``MAX_PARTICIPANTS``; hours at most ``MAX_HOURS``, with at most four decimals."""
    where = {"sheet": sheet, "cell": coordinate}

    def refuse(what: str, code: str, hint: str = "", **params) -> None:
        reason = f"sheet '{sheet}', cell {coordinate}: {what} (got {value!r}){hint}"
        problem(parsed, reason, row, coordinate, code, value=_shown(value), **where, **params)

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | datetime | date | time | timedelta):
        refuse("not a number", "cell_not_number")
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            refuse("not a finite number", "cell_not_finite")
            return None
        number: float | int = value
    elif isinstance(value, str) and CELL_NUMBER.fullmatch(value.strip()):
        text = value.strip().replace(",", ".")
        if kind != "hours" and not text.isdigit():  # "1,000" or "1.000": a separator, not a decimal
            refuse("must be a whole number written with digits only", "cell_not_whole")
            return None
        number = int(text) if text.isdigit() else float(text)
    else:
        refuse("not a number", "cell_not_number", "; type digits with one decimal point or comma, nothing else")
        return None
    if number < 0:
        refuse("must be 0 or more", "cell_negative")
        return None
    if kind in ("count", "participants"):
        if not float(number).is_integer():
            refuse("must be a whole number", "cell_not_whole")
            return None
        if kind == "participants" and number > MAX_PARTICIPANTS:
            refuse(f"more than {MAX_PARTICIPANTS} participants", "cell_too_large", limit=MAX_PARTICIPANTS)
            return None
        if kind == "count" and number > MAX_SCHOOL_PUPILS:
            refuse(f"more than {MAX_SCHOOL_PUPILS} pupils in one school", "cell_too_large", limit=MAX_SCHOOL_PUPILS)
            return None
        return int(number)
    if number > MAX_HOURS:
        refuse(f"more than {MAX_HOURS} hours per pupil in a school year", "cell_too_large", limit=MAX_HOURS)
        return None
    exponent = Decimal(repr(float(number))).normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -HOURS_DECIMALS:
        refuse(f"at most {HOURS_DECIMALS} decimals", "cell_too_many_decimals", places=HOURS_DECIMALS)
        return None
    return float(number)


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validated(
    parsed: ParsedFile, table: str, raw: dict, row: int | None, sheet: str | None = None, cell: str | None = None
) -> dict | None:
    """The row as its model reads it, or None with every problem recorded (named by sheet, row and
    column; by the template's cell where one cell gave the value)."""
    try:
        return TABLES[table].model.model_validate(raw).model_dump()
    except ValidationError as err:
        where = f"{parsed.name}, sheet '{sheet}'" if sheet else parsed.name
        for found in validation_problems(where, row, raw, err):
            params = {**found.params, **({"sheet": sheet} if sheet else {}), **({"cell": cell} if cell else {})}
            parsed.problems.append(Problem(found.file, row, cell or found.column, found.reason, found.code, params))
        return None


def _read_onboarding(parsed: ParsedFile, wb) -> None:
    """A new municipality's workbook: each sheet's rows checked against its table's model, every
    problem named by sheet, row and column."""
    found, layout = onboarding.read(wb)
    for sheet, row, column, reason, code in layout:
        problem(parsed, f"sheet '{sheet}': {reason}", row, column, code, sheet=sheet)
    for table, rows in found.items():
        for sheet, line, raw in rows:
            checked = validated(parsed, table, raw, line, sheet)
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
        when = event["event_date"]
        year = when.year if when.month < 9 else when.year + 1
        if school["merged_into"] is None:
            school.update(merged_into=event["other_school_id"], merged_year=year)
        elif (school["merged_into"], school["merged_year"]) != (event["other_school_id"], year):
            reason = (
                f"school {school['school_id']}: merged into {school['merged_into']} ({school['merged_year']}) on the "
                f"schools sheet, but into {event['other_school_id']} ({year}) in its history"
            )
            problem(parsed, reason, None, "merged_into", "merger_disagrees", school=school["school_id"])


def _read_annex6(parsed: ParsedFile, ws, meta: dict[str, str]) -> None:
    school_id, year, municipality = meta.get("school_id", ""), meta.get("school_year", ""), meta.get("municipality", "")
    years = SCHOOL_YEAR.fullmatch(year)
    if not (school_id and years and municipality):
        problem(parsed, "the template's meta sheet is incomplete (school, municipality, school year)", code="meta")
        return
    start = int(years.group(1))
    source = f"import: annex 6 {school_id} {year} ({parsed.name})"
    values: dict[tuple[str, str], float | int] = {}
    cells: dict[tuple[str, str], tuple[int, str]] = {}
    seen: set[str] = set()
    for row in ws.iter_rows(min_row=templates.FIRST_FIELD_ROW, max_col=2):
        key = row[1].value if len(row) > 1 else None
        if not isinstance(key, str) or key not in templates.FIELDS:
            continue
        line = row[0].row
        if key in seen:
            problem(parsed, f"field '{key}' appears twice", line, "B", "duplicate_field", field=key, value=key)
        seen.add(key)
        spec = templates.FIELDS[key]
        for level, letter in templates.LEVEL_COLUMNS.items():
            cell = ws[f"{letter}{line}"]
            if level not in spec.levels:
                if cell.value not in (None, ""):
                    reason = f"cell {cell.coordinate} ({key}, {level}) must stay empty (got {cell.value!r})"
                    problem(
                        parsed,
                        reason,
                        line,
                        cell.coordinate,
                        "cell_must_be_empty",
                        cell=cell.coordinate,
                        value=_shown(cell.value),
                        sheet=ws.title,
                    )
                continue
            number = cell_number(parsed, ws.title, cell.coordinate, line, cell.value, spec.kind)
            if number is not None:
                values[(key, level)] = number
                cells[(key, level)] = (line, cell.coordinate)
    missing = set(templates.FIELDS) - seen
    if missing:
        lost = ", ".join(sorted(missing))
        problem(parsed, f"the template has lost rows: {lost}", code="lost_rows", rows=lost)
    for enrolled, parts in (
        ("grade9_enrolled", ("grade9_certificate", "grade9_report_only")),
        ("grade12_enrolled", ("grade12_diploma", "grade12_report_only")),
    ):
        level = templates.FIELDS[enrolled].levels[0]
        if (enrolled, level) in values and all((p, level) in values for p in parts):
            finished = sum(values[(p, level)] for p in parts)
            if finished > values[(enrolled, level)]:
                line, coordinate = cells[(parts[-1], level)]
                reason = f"{' + '.join(parts)} ({finished:g}) is more than {enrolled} ({values[(enrolled, level)]:g})"
                problem(
                    parsed,
                    reason,
                    line,
                    coordinate,
                    "finished_exceeds_enrolled",
                    finished=f"{finished:g}",
                    enrolled=f"{values[(enrolled, level)]:g}",
                    value=f"{finished:g}",
                )
    if parsed.problems:
        return
    tables: dict[str, list[dict]] = {"enrolment": [], "outcome": [], "risk": []}
    for (key, level), number in values.items():
        spec = templates.FIELDS[key]
        raw = _annex6_row(spec, level, number, school_id, municipality, year, start, source)
        if raw is None:
            continue  # a consistency-check field, not stored
        line, coordinate = cells[(key, level)]
        row = validated(parsed, spec.table, raw, line, ws.title, coordinate)
        if row:
            tables[spec.table].append(row)
            parsed.lines.setdefault(spec.table, []).append(line)
    parsed.tables = tables


def _annex6_row(spec, level, number, school_id, municipality, year, start, source) -> dict | None:
    if spec.table == "enrolment":
        return {
            "school_id": school_id,
            "school_year": year,
            "start_year": start,
            "grade_band": spec.target,
            "pupils": number,
            "classes": None,
            "source": source,
            "note": None,
        }
    if spec.table == "risk":
        return {
            "municipality": municipality,
            "scope": school_id,
            "period": year,
            "start_year": start,
            "end_year": start,
            "risk_group": spec.target,
            "sub_risk": "",
            "pupils": number,
            "share_pct": None,
            "population": "pupils at PMP risk (school yearly report, annex 6)",
            "source": source,
            "note": None,
        }
    if spec.table == "outcome":
        return {
            "municipality": municipality,
            "scope": school_id,
            "school_year": year,
            "start_year": start,
            "level": level,
            "indicator": spec.target,
            "subject": "",
            "threshold": "",
            "value": number,
            "unit": "hours_per_pupil" if spec.kind == "hours" else "pupils",
            "source": source,
            "note": None,
        }
    return None


def _text(parsed: ParsedFile, sheet: str, cell, value) -> str | None:
    """A free-text cell of annex 1: text as typed (a number or a date as written), checked by the
    models' text rules here too, so that text a longer cell ends in (the evidence, kept in the
    source) is held to them as well."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.isoformat() if isinstance(value, datetime | date) else str(value)
    found = text_rule(text)
    if found:
        code, message, params = found
        reason = f"sheet '{sheet}', cell {cell.coordinate}: " + message.format(**params)
        problem(
            parsed,
            reason,
            cell.row,
            cell.coordinate,
            code,
            sheet=sheet,
            cell=cell.coordinate,
            **{"value": _shown(text), **params},
        )
        return None
    return text


def _read_annex1(parsed: ParsedFile, ws, meta: dict[str, str]) -> None:
    municipality, year = meta.get("municipality", ""), meta.get("year", "")
    if not (municipality and CALENDAR_YEAR.fullmatch(year)):
        problem(parsed, "the template's meta sheet is incomplete (municipality, year)", code="meta")
        return
    rows = []
    for row in ws.iter_rows(min_row=6, max_col=8):
        cells = list(row)
        if len(cells) < 8 or cells[0].value is None:
            continue
        number, _name, status, participants, *free = (c.value for c in cells)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in (status, participants, *free)):
            continue  # an activity not reported this year: no row, not a zero
        line = cells[0].row
        texts = [_text(parsed, ws.title, c, c.value) for c in cells[4:8]]
        status_key = STATUS_FROM_LV.get(str(status or "").strip().lower())
        if status_key is None:
            expected = ", ".join(templates.STATUS_LV.values())
            reason = f"status must be one of {expected} (got {status!r})"
            problem(parsed, reason, line, f"C{line}", "one_of", expected=expected, value=_shown(status), sheet=ws.title)
            continue
        count = cell_number(parsed, ws.title, f"D{line}", line, participants, "participants")
        done, impact, factors, evidence = texts
        source = f"import: annex 1 {municipality} {year} ({parsed.name})"
        if evidence:
            source += f"; evidence: {evidence}"
        raw = {
            "municipality": municipality,
            "activity_no": str(number).strip(),
            "year": int(year),
            "status": status_key,
            "participants": count,
            "done_text": done,
            "impact_text": impact,
            "factors_text": factors,
            "source": source,
        }
        checked = validated(parsed, "activity_report", raw, line, ws.title)
        if checked:
            rows.append(checked)
            parsed.lines.setdefault("activity_report", []).append(line)
    parsed.tables = {"activity_report": rows}
