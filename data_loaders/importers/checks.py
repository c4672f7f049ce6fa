"""The rules a file's rows must keep together, and against the database.

Within a file (``check_file``, no database): parts and their totals, school years within reach,
figures that can be true of a school (pupils at risk no more than its pupils, the end of a year
not ten times its start), and that there is something to import at all. Against the database
(``check_against_database``): keys and duplicates across the batch, references, and the same
plausibility rules where the school's pupils are in the database rather than in the file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from collections.abc import Iterator
from datetime import date

import duckdb
import pandas as pd

from data_loaders import integrity, totals
from data_loaders.build import Problem
from data_loaders.importers.annexes import MAX_HOURS, MAX_SCHOOL_PUPILS
from data_loaders.importers.files import REPLACE_SCOPE, ParsedFile, clear, problem
from data_loaders.store import connect_read_only
from data_loaders.tables import BAND_ORDER, TABLES, whole_bands

SINGLE_YEAR = re.compile(r"^[0-9]{4}/[0-9]{4}$")
# outcome counts that are not a subset of the school's pupils
NOT_A_SUBSET = ("pupils_end_of_year", "transferred_in")


def latest_start_year() -> int:
    """The last school year a file may report on starts next calendar year: figures of a year are
    sent while it runs or after it, and a template is handed out a year ahead at most."""
    return date.today().year + 1


def check_file(parsed: ParsedFile) -> None:
    """The rules within one file that read well: run by ``parse`` once every value is valid. A file
    with nothing to import (a header only, an empty template) is said to be so, and never written."""
    check_parts_and_totals(parsed)
    _years_in_reach(parsed)
    plausibility(parsed, school_pupils(parsed))
    if parsed.ok and parsed.empty:  # said, not refused, and never logged as an import
        reason = "the file holds no figures to import (only a header, or an empty template); nothing will be written"
        parsed.warnings.append(Problem(parsed.name, None, None, reason, "nothing_to_import"))


def check_parts_and_totals(parsed: ParsedFile) -> None:
    """Where a file gives parts and their total, they must not be counted twice or disagree unseen.

    Enrolment: grade bands that make up a whole school are the school's pupils (the pages add them
    up); a `total` row beside them is a stated total, and a difference is reported before the import
    is confirmed. Bands that are not the whole school must not add up to more than the total.
    Pumpurs: semester rows and a whole-period row of the same school and period would be added
    together, so such a file is refused."""
    line_of = {id(r): parsed.line(t, i) for t, rows in parsed.tables.items() for i, r in enumerate(rows)}
    groups: dict[tuple, dict[str, dict]] = {}
    for row in parsed.tables.get("enrolment", []):
        groups.setdefault((row["school_id"], row["school_year"]), {})[row["grade_band"]] = row
    for (school, year), rows in groups.items():
        total = rows.pop("total", None)
        if total is None or total["pupils"] is None or not rows:
            continue
        line = line_of[id(total)]
        summed = sum(r["pupils"] or 0 for r in rows.values())
        params = {"school": school, "school_id": school, "year": year, "stated": total["pupils"], "summed": summed}
        if whole_bands({b: r["pupils"] for b, r in rows.items()}):
            if summed != total["pupils"]:
                params = _text(params)
                parsed.warnings.append(
                    Problem(parsed.name, line, "pupils", _enrolment_differs(params), ENROLMENT_DIFFERS, params)
                )
        elif summed > total["pupils"]:
            reason = (
                f"{school} {year}: the grades given add up to {summed} pupils, more than the total {params['stated']}"
            )
            problem(parsed, reason, line, "pupils", "parts_exceed_total", **params)
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
            problem(parsed, reason, None, "semester", "semesters_and_total", school=school, period=period)


ENROLMENT_DIFFERS = "enrolment_stated_differs"


def _enrolment_differs(params: dict[str, str]) -> str:
    return (
        f"{params['school']} {params['year']}: the grades add up to {params['summed']} pupils, the total row says "
        f"{params['stated']}; the pages will show the sum and the stated total beside it"
    )


def _text(params: dict) -> dict[str, str]:
    return {k: str(v) for k, v in params.items()}


def _years_in_reach(parsed: ParsedFile) -> None:
    """No school year after the next one (2099/2100 is a typing error, not a report)."""
    latest = latest_start_year()
    for table, rows in parsed.tables.items():
        for index, row in enumerate(rows):
            for column, year, shown in _years(row):
                if year > latest:
                    reason = f"{shown} is after the next school year ({latest}/{latest + 1})"
                    problem(
                        parsed,
                        reason,
                        parsed.line(table, index),
                        column,
                        "year_out_of_reach",
                        value=shown,
                        latest=f"{latest}/{latest + 1}",
                    )
                    break


def _years(row: dict) -> Iterator[tuple[str, int, str]]:
    """The years a row reports on (a programme's target years and plan are about the future)."""
    for column in ("school_year", "period"):
        value = row.get(column)
        if isinstance(value, str) and value[:4].isdigit():
            last = value.split("-")[-1][:4]
            yield column, max(int(value[:4]), int(last) if last.isdigit() else 0), value
    for column in ("year", "merged_year"):
        if isinstance(row.get(column), int):
            yield column, row[column], str(row[column])
    when = row.get("event_date")
    if isinstance(when, date):
        yield "event_date", when.year, when.isoformat()


# ---------------------------------------------------------------------------------------------
# Plausibility: what cannot be true of a school's year


def school_pupils(parsed: ParsedFile) -> dict[tuple[str, str], int]:
    """A school's pupils at the start of each school year the file gives them for: its total row,
    else its grade bands where they make up the whole school."""
    found: dict[tuple[str, str], int] = {}
    bands: dict[tuple[str, str], dict[str, int | None]] = {}
    for row in parsed.tables.get("enrolment", []):
        key = (row["school_id"], row["school_year"])
        if row["grade_band"] == "total":
            if row["pupils"] is not None:
                found[key] = row["pupils"]
        else:
            bands.setdefault(key, {})[row["grade_band"]] = row["pupils"]
    for key, given in bands.items():
        if key not in found and whole_bands(given):
            found[key] = sum(v or 0 for v in given.values())
    return found


def plausibility(parsed: ParsedFile, pupils: dict[tuple[str, str], int], only: set | None = None) -> None:
    """Counts a school's year cannot hold. ``pupils``: its pupils at the start of the year (from
    the file, or the database); ``only``: check just these (school, year) pairs (the database's)."""
    if only is None:
        _within_caps(parsed)
    ends = {
        (r["scope"], r["school_year"]): r["value"]
        for r in parsed.tables.get("outcome", [])
        if r["indicator"] == "pupils_end_of_year" and r["level"] == "all"
    }
    moves = {
        (r["scope"], r["school_year"], r["indicator"]): r["value"]
        for r in parsed.tables.get("outcome", [])
        if r["indicator"] in ("transferred_in", "transferred_out") and r["level"] == "all"
    }
    at_risk: dict[tuple[str, str], float] = {}
    for r in parsed.tables.get("outcome", []):
        if r["indicator"] == "pupils_at_risk" and r["level"] in ("basic", "secondary"):
            key = (r["scope"], r["school_year"])
            at_risk[key] = at_risk.get(key, 0) + r["value"]

    def wanted(key: tuple[str, str]) -> bool:
        return (only is None or key in only) and key in pupils

    for key, end in ends.items():
        if not wanted(key):
            continue
        start = pupils[key]
        slack = max(10, start // 2)
        high = start + moves.get((*key, "transferred_in"), 0) + slack
        low = start - moves.get((*key, "transferred_out"), 0) - slack
        if not low <= end <= high:
            index = _index(
                parsed,
                "outcome",
                lambda r, k=key: (r["scope"], r["school_year"]) == k and r["indicator"] == "pupils_end_of_year",
            )
            reason = (
                f"{key[0]} {key[1]}: {end:g} pupils at the end of the year, but {start} at its start "
                "(and the transfers given do not explain it)"
            )
            problem(
                parsed,
                reason,
                parsed.line("outcome", index),
                "value",
                "end_vs_start",
                school=key[0],
                year=key[1],
                start=start,
                end=f"{end:g}",
                value=f"{end:g}",
            )
    summed: dict[tuple, tuple[float, int]] = {}  # basic + secondary of an indicator, and its last row
    for index, r in enumerate(parsed.tables.get("outcome", [])):
        key = (r["scope"], r["school_year"])
        if r["unit"] != "pupils" or r["indicator"] in NOT_A_SUBSET or not wanted(key):
            continue
        most = max(pupils[key], ends.get(key, 0))
        if r["value"] > most:
            _more_than_pupils(parsed, "outcome", index, r["indicator"], r["value"], most, key)
        elif r["level"] in ("basic", "secondary"):
            total, _ = summed.get((*key, r["indicator"]), (0, index))
            summed[(*key, r["indicator"])] = (total + r["value"], index)
    for (*key, indicator), (total, index) in summed.items():
        most = max(pupils[tuple(key)], ends.get(tuple(key), 0))
        if total > most:
            _more_than_pupils(parsed, "outcome", index, indicator, total, most, tuple(key))
    for index, r in enumerate(parsed.tables.get("risk", [])):
        key = (r["scope"], r["period"])
        if r["pupils"] is None or not SINGLE_YEAR.match(r["period"]):
            continue
        if wanted(key) and r["pupils"] > max(pupils[key], ends.get(key, 0)):
            _more_than_pupils(
                parsed, "risk", index, r["risk_group"], r["pupils"], max(pupils[key], ends.get(key, 0)), key
            )
        elif only is None and key in at_risk and r["pupils"] > at_risk[key]:
            reason = (
                f"{key[0]} {key[1]}: {r['pupils']} pupils in the risk group {r['risk_group']}, more than the "
                f"{at_risk[key]:g} pupils at risk"
            )
            problem(
                parsed,
                reason,
                parsed.line("risk", index),
                "pupils",
                "risk_over_at_risk",
                group=r["risk_group"],
                value=r["pupils"],
                at_risk=f"{at_risk[key]:g}",
                school=key[0],
                year=key[1],
            )
    for index, r in enumerate(parsed.tables.get("pumpurs", [])):
        key = (r["school_id"], r["period"])
        if r["participants"] is not None and wanted(key) and r["participants"] > pupils[key]:
            _more_than_pupils(parsed, "pumpurs", index, "participants", r["participants"], pupils[key], key)


def _within_caps(parsed: ParsedFile) -> None:
    """Counts of one school's pupils and hours per pupil that no school has."""
    checks = (
        ("enrolment", ("pupils",), lambda r: True),
        ("pumpurs", ("iap_count", "participants"), lambda r: True),
        ("risk", ("pupils",), lambda r: r["scope"] != r["municipality"]),
        ("outcome", ("value",), lambda r: r["unit"] == "pupils" and r["scope"] != r["municipality"]),
    )
    for table, columns, of_a_school in checks:
        for index, row in enumerate(parsed.tables.get(table, [])):
            for column in columns:
                value = row.get(column)
                if value is not None and value > MAX_SCHOOL_PUPILS and of_a_school(row):
                    reason = f"{value:g} pupils in one school (at most {MAX_SCHOOL_PUPILS})"
                    problem(
                        parsed,
                        reason,
                        parsed.line(table, index),
                        column,
                        "too_many_pupils",
                        value=f"{value:g}",
                        limit=MAX_SCHOOL_PUPILS,
                    )
    for index, row in enumerate(parsed.tables.get("outcome", [])):
        if row["unit"] in ("hours_per_pupil", "hours") and row["value"] > MAX_HOURS:
            reason = f"{row['value']:g} hours of absence per pupil (at most {MAX_HOURS}: more than a school year has)"
            problem(
                parsed,
                reason,
                parsed.line("outcome", index),
                "value",
                "too_many_hours",
                value=f"{row['value']:g}",
                limit=MAX_HOURS,
            )


def _index(parsed: ParsedFile, table: str, match) -> int:
    return next((i for i, r in enumerate(parsed.tables.get(table, [])) if match(r)), 0)


def _more_than_pupils(parsed: ParsedFile, table: str, index: int, what: str, value, pupils, key) -> None:
    column = {"outcome": "value", "risk": "pupils", "pumpurs": "participants"}[table]
    reason = f"{key[0]} {key[1]}: {value:g} ({what}) is more than the school's {pupils:g} pupils"
    problem(
        parsed,
        reason,
        parsed.line(table, index),
        column,
        "more_than_pupils",
        what=what,
        value=f"{value:g}",
        pupils=f"{pupils:g}",
        school=key[0],
        year=key[1],
    )


# ---------------------------------------------------------------------------------------------
# Against the database


def check(db_path, files: list[ParsedFile]) -> list[ParsedFile]:
    """Run the database checks on a read-only view of the current database (not opened at all when
    every file is refused already)."""
    if not any(f.ok and not f.empty for f in files):
        return files
    con = connect_read_only(db_path)
    try:
        check_against_database(con, files)
    finally:
        con.close()
    return files


def check_against_database(con: duckdb.DuckDBPyConnection, files: list[ParsedFile]) -> None:
    """Keys, duplicates across the batch and references (``integrity.REFERENCES``) to what the
    database or another file of the same batch holds (a new municipality's schools may come in
    the same upload as the municipality itself); the plausibility rules where a school's pupils
    are in the database."""
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
                    problem(parsed, f"duplicate {table} row {key[1:]} (also {where})", line, code="duplicate_row")
                seen.setdefault(key, parsed.name)
                found = _reference_problem(table, row, known, school_municipality)
                if found:
                    code, reason, params = found
                    problem(parsed, reason, line, code=code, **params)
        if parsed.ok:
            _plausible_against(con, parsed)
        if parsed.ok:
            replaced = {t: _replaced(con, t, rows) for t, rows in parsed.tables.items() if rows}
            parsed.replaces = {t: count for t, (count, _) in replaced.items()}
            parsed.replaces_from = {t: sources for t, (_, sources) in replaced.items()}
        else:
            clear(parsed)
    names = _names(con, batch)
    for parsed in batch:
        _school_names(parsed, names)
        if parsed.ok:
            _pupil_totals_lost(con, parsed, names)
    _stated_total_warnings(con, [f for f in batch if f.ok], names)


def _names(con: duckdb.DuckDBPyConnection, batch: list[ParsedFile]) -> dict[str, dict]:
    """What a message names a school or municipality by: a school by its name, a municipality by its
    name in each language (the database's, or the batch's where a file brings it)."""
    schools = dict(con.execute("SELECT school_id, name FROM school").fetchall())
    municipalities = {
        code: (lv, en) for code, lv, en in con.execute("SELECT code, name_lv, name_en FROM municipality").fetchall()
    }
    for parsed in batch:
        schools |= {r["school_id"]: r["name"] for r in parsed.tables.get("school", [])}
        municipalities |= {r["code"]: (r["name_lv"], r["name_en"]) for r in parsed.tables.get("municipality", [])}
    return {"school": schools, "municipality": municipalities}


def _pupil_totals_lost(con: duckdb.DuckDBPyConnection, parsed: ParsedFile, names: dict[str, dict]) -> None:
    """A school year's enrolment file replaces all its rows: where it gives some grades only and no
    total row, the school's pupil total (its grades added up, or its total row) is gone and the
    pages leave the school out of the pupils counted. Accepted (a school may send grades first), but
    said before confirming, on the school's own line rather than only in the municipality's sum."""
    groups: dict[tuple[str, str], dict[str, int | None]] = {}
    first: dict[tuple[str, str], int | None] = {}
    for index, row in enumerate(parsed.tables.get("enrolment", [])):
        key = (row["school_id"], row["school_year"])
        groups.setdefault(key, {})[row["grade_band"]] = row["pupils"]
        first.setdefault(key, parsed.line("enrolment", index))
    for (school, year), bands in groups.items():
        if bands.get("total") is not None or whole_bands({b: n for b, n in bands.items() if b != "total"}):
            continue  # the school keeps a pupil total: its total row, or grades that make up the school
        before = con.execute(
            "SELECT pupils FROM enrolment_total WHERE school_id = ? AND school_year = ?", [school, year]
        ).fetchone()
        if before is None or before[0] is None:
            continue  # it had none before either
        (replaced,) = con.execute(
            "SELECT count(*) FROM enrolment WHERE school_id = ? AND school_year = ?", [school, year]
        ).fetchone()
        given = ", ".join(sorted((b for b in bands if b != "total"), key=lambda b: BAND_ORDER.get(b, 99)))
        params = {
            "school": names["school"].get(school, school),
            "school_id": school,
            "year": year,
            "bands": given or "–",
            "replaced": str(replaced),
            "pupils": str(before[0]),
        }
        reason = (
            f"{params['school']} {year}: the file gives grades {params['bands']} only and no total row; it replaces "
            f"all {replaced} of the school's rows for the year, so its pupil total ({before[0]}) is gone and the "
            "pages will count no pupils for the school that year (send every grade, or a total row, to keep one)"
        )
        parsed.warnings.append(Problem(parsed.name, first[(school, year)], "grade_band", reason, PUPILS_LOST, params))


PUPILS_LOST = "enrolment_total_lost"


def _school_names(parsed: ParsedFile, names: dict[str, dict]) -> None:
    """A warning made within the file knew the school's id only: it names the school instead."""
    for index, warning in enumerate(parsed.warnings):
        name = names["school"].get(warning.params.get("school_id"))
        if warning.code == ENROLMENT_DIFFERS and name:
            params = {**warning.params, "school": name}
            parsed.warnings[index] = dataclasses.replace(warning, reason=_enrolment_differs(params), params=params)


STATED_DIFFERS = "stated_total_differs"


def _stated_total_warnings(
    con: duckdb.DuckDBPyConnection, batch: list[ParsedFile], names: dict[str, dict] | None = None
) -> None:
    """A stated total that its parts (as they will be after this upload) add up to differently:
    said before confirming, on the file that brought the total (its column ``value``), else on one
    that brought parts (the parts' column, e.g. enrolment's ``pupils``). The message names the
    municipality in both languages (``municipality_lv``, ``municipality_en``; the page picks one)."""
    names = names or _names(con, batch)
    merged: dict[str, list[dict]] = {}
    for parsed in batch:
        parsed.warnings = [w for w in parsed.warnings if w.code != STATED_DIFFERS]  # checked again in apply
        for table, rows in parsed.tables.items():
            merged.setdefault(table, []).extend(rows)
    for found in totals.differences(con, merged):
        key = (found.municipality, found.topic, found.measure, found.period, found.semester)
        brings_total = [
            f
            for f in batch
            for r in f.tables.get("stated_total", [])
            if (r["municipality"], r["topic"], r["measure"], r["period"], r["semester"]) == key
        ]
        part = totals.PARTS[(found.topic, found.measure)]
        brings_parts = [f for f in batch if part.table in f.tables]
        brings_any = [f for f in batch if set(f.tables) & {"pumpurs", "enrolment", "support_staff"}]
        owner = (brings_total or brings_parts or brings_any or [None])[0]
        if owner is not None:
            lv, en = names["municipality"].get(found.municipality, (found.municipality, found.municipality))
            params = {
                "what": f"{found.topic} {found.measure}",
                "period": f"{found.period} {found.semester}".strip(),
                "stated": f"{found.stated.normalize():f}",
                "summed": f"{found.summed.normalize():f}",
                "municipality": found.municipality,  # the code, where nothing picks the language's name
                "municipality_lv": lv,
                "municipality_en": en,
            }
            column = "value" if brings_total else part.value
            reason = f"{en} ({found.municipality}), {found.reason.removeprefix(found.municipality + ' ')}"
            owner.warnings.append(Problem(owner.name, None, column, reason, STATED_DIFFERS, params))


def _plausible_against(con: duckdb.DuckDBPyConnection, parsed: ParsedFile) -> None:
    """The plausibility rules for the school years whose pupils the database holds, not the file."""
    own = school_pupils(parsed)
    wanted = {
        (r.get("school_id", r.get("scope")), r.get("school_year", r.get("period")))
        for table in ("outcome", "risk", "pumpurs")
        for r in parsed.tables.get(table, [])
    } - set(own)
    if not wanted:
        return
    frame = pd.DataFrame(sorted(wanted), columns=["school_id", "school_year"])  # noqa: F841 (read by DuckDB)
    rows = con.execute(
        "SELECT e.school_id, e.school_year, e.pupils FROM enrolment_total e "
        "SEMI JOIN frame f ON e.school_id = f.school_id AND e.school_year = f.school_year WHERE e.pupils IS NOT NULL"
    ).fetchall()
    pupils = {(school, year): int(n) for school, year, n in rows}
    if pupils:
        plausibility(parsed, pupils, only=set(pupils))


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
) -> tuple[str, str, dict] | None:
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
            if (scope,) in known.get(("municipality", ("code",)), set()):
                reason = f"the row is for {row['municipality']}, but its scope {scope!r} is another municipality"
                return "scope_other_municipality", reason, {"value": scope, "municipality": row["municipality"]}
            if scope not in school_municipality:
                detail = f"unknown school or municipality {scope!r}"
                return "unknown_reference", detail, {"detail": detail}
            if school_municipality[scope] != row["municipality"]:
                detail = f"school {scope!r} is not in municipality {row['municipality']!r}"
                return "unknown_reference", detail, {"detail": detail}
        elif values not in known[(ref.target, ref.target_columns)]:
            if ref.target == "indicator":
                detail = f"unknown indicator {values[1]}{' ' + values[2] if values[2] else ''} for {values[0]}"
            elif ref.target == "activity":
                detail = f"unknown activity {values[1]!r} for {values[0]}"
            else:
                detail = f"unknown {ref.target} {values[0]!r}"
            return "unknown_reference", detail, {"detail": detail}
    return None


SCOPES = "_import_scopes"  # the scopes of one table's rows, as a relation the statements join on


@contextlib.contextmanager
def scopes(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> Iterator[str]:
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


def _replaced(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> tuple[int, tuple[str, ...]]:
    """How many rows of ``table`` the file's scopes hold, and the imports (or build) they came from."""
    with scopes(con, table, rows) as on:
        count, sources = con.execute(
            f"SELECT count(*), list(DISTINCT coalesce(t.import_id, '') ORDER BY coalesce(t.import_id, '')) "
            f"FROM {table} t JOIN {SCOPES} s ON {on}"
        ).fetchall()[0]
    return count, tuple(sources or ())
