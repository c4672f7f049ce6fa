"""Stated totals checked against the sum of their parts at import time, before confirming.

A municipal total (``stated_total``) and the schools' rows it should add up to may come in the same
file, in two files of one upload, or one now and the other later. Whichever arrives, the importer
compares the total with the sum of the parts as they will be once the upload is applied (the
database's rows, minus the scopes the upload replaces, plus the upload's rows) and says any
difference before the user confirms, the way the pages show the Ludza speech-therapist case
(schools 3.2 FTE, stated 3.25). A total is never added to its parts, so a difference is a warning,
not a refusal: both figures are kept, each with its source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from data_loaders.tables import whole_bands
from data_loaders.vocabularies import STAFF_ROLES

# topic -> (fact table, value column, measure picker, whether a semester splits it)
# A measure of support staff is the role; of enrolment, pupils; of Pumpurs, plans or supported pupils.
ROLE_MEASURES = STAFF_ROLES


@dataclass(frozen=True)
class Part:
    """How a stated measure's parts are found among the schools' rows."""

    table: str
    value: str
    period: str  # the column naming the school year
    scope: tuple[str, ...]  # the importer's replace scope of the table
    matches: Callable[[dict, str, str], bool]  # (row, measure, semester) -> is a part of the total


def _pumpurs(column: str) -> Part:
    def matches(row: dict, measure: str, semester: str) -> bool:
        return row["start_year"] == row["end_year"] and (semester in ("", "all") or row["semester"] == semester)

    return Part("pumpurs", column, "period", ("school_id", "period"), matches)


PARTS: dict[tuple[str, str], Part] = {
    ("pumpurs", "iap_count"): _pumpurs("iap_count"),
    ("enrolment", "pupils"): Part(
        "enrolment", "pupils", "school_year", ("school_id", "school_year"), lambda r, m, s: r["grade_band"] == "total"
    ),
    **{
        ("support_staff", role): Part(
            "support_staff", "fte", "school_year", ("school_id", "school_year"), lambda r, m, s: r["role"] == m
        )
        for role in ROLE_MEASURES
    },
}


@dataclass(frozen=True)
class Difference:
    municipality: str
    topic: str
    measure: str
    period: str
    semester: str
    stated: Decimal
    summed: Decimal

    @property
    def reason(self) -> str:
        when = f"{self.period}{' ' + self.semester if self.semester not in ('', 'all') else ''}"
        return (
            f"{self.municipality} {self.topic} {self.measure} {when}: the stated total is {_num(self.stated)}, "
            f"the schools' rows add up to {_num(self.summed)}; both are kept, the total is never added in"
        )


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _municipal_schools(con: duckdb.DuckDBPyConnection, batch_schools: Iterable[dict]) -> dict[str, str]:
    """Municipal schools and their municipality, as they will be after the upload."""
    found = dict(con.execute("SELECT school_id, municipality FROM school WHERE is_municipal").fetchall())
    for row in batch_schools:
        if row["is_municipal"]:
            found[row["school_id"]] = row["municipality"]
        else:
            found.pop(row["school_id"], None)
    return found


def differences(con: duckdb.DuckDBPyConnection, batch: dict[str, list[dict]]) -> list[Difference]:
    """Every stated total touched by the batch (its own rows, or the parts it brings) whose parts,
    once the batch is applied, exist and add up to something else."""
    schools = _municipal_schools(con, batch.get("school", []))
    stated = {
        (r[0], r[1], r[2], r[3], r[4]): Decimal(str(r[5]))
        for r in con.execute(
            "SELECT municipality, topic, measure, period, semester, value FROM stated_total"
        ).fetchall()
    }
    replaced = {(r["municipality"], r["period"]) for r in batch.get("stated_total", [])}
    stated = {k: v for k, v in stated.items() if (k[0], k[3]) not in replaced}
    stated |= {
        (r["municipality"], r["topic"], r["measure"], r["period"], r["semester"]): Decimal(str(r["value"]))
        for r in batch.get("stated_total", [])
    }
    touched = {k for k in stated if (k[0], k[3]) in replaced}
    for table in {p.table for p in PARTS.values()}:
        for row in batch.get(table, []):
            municipality = schools.get(row["school_id"])
            period = row["period" if table == "pumpurs" else "school_year"]
            touched |= {
                k
                for k in stated
                if k[0] == municipality and k[3] == period and getattr(PARTS.get((k[1], k[2])), "table", "") == table
            }
    found = []
    for key in sorted(touched):
        municipality, topic, measure, period, semester = key
        part = PARTS.get((topic, measure))
        if part is None:
            continue
        rows = _parts_after(con, batch, part, municipality, period, schools)
        values = [r[part.value] for r in rows if part.matches(r, measure, semester) and r[part.value] is not None]
        if not values:
            continue  # no parts: the total is the municipality's own figure, nothing to compare
        summed = sum((Decimal(str(v)) for v in values), Decimal(0))
        if summed != stated[key]:
            found.append(Difference(municipality, topic, measure, period, semester, stated[key], summed))
    return found


def _parts_after(
    con: duckdb.DuckDBPyConnection,
    batch: dict[str, list[dict]],
    part: Part,
    municipality: str,
    period: str,
    schools: dict[str, str],
) -> list[dict]:
    """The table's rows of the municipality's schools for the period, once the batch is applied."""
    ours = {s for s, m in schools.items() if m == municipality}
    cursor = con.execute(f"SELECT * FROM {part.table} WHERE {part.period} = ?", [period])
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    incoming = [r for r in batch.get(part.table, []) if r[part.period] == period]
    scopes = {tuple(r[c] for c in part.scope) for r in incoming}
    kept = [r for r in rows if tuple(r[c] for c in part.scope) not in scopes]
    rows = [r for r in kept + incoming if r["school_id"] in ours]
    return _school_pupils(rows) if part.table == "enrolment" else rows


def _school_pupils(rows: list[dict]) -> list[dict]:
    """Each school's pupils as the pages count them (the enrolment_total view): the sum of grade
    bands that make up the whole school, else its `total` row."""
    by_school: dict[str, dict[str, dict]] = {}
    for row in rows:
        by_school.setdefault(row["school_id"], {})[row["grade_band"]] = row
    out = []
    for school, bands in by_school.items():
        total = bands.pop("total", None)
        if whole_bands({b: r["pupils"] for b, r in bands.items()}):
            out.append({"school_id": school, "grade_band": "total", "pupils": sum(r["pupils"] for r in bands.values())})
        elif total is not None:
            out.append(total)
    return out
