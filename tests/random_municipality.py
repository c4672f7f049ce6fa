"""Random synthetic municipalities for the disclosure auditor (hypothesis): a few schools (one maybe a
state institution apart, one maybe merged into another), one to three school years, with enrolment,
Pumpurs plans and pupils per semester (or one whole span), PMP risk counts per group with sub-risks
that add up to the group or not, outcome counts per school with a printed municipal figure beside
some (equal to the schools' sum, larger or smaller), and printed Pumpurs totals. Counts lean small, so
that much has to be hidden and the complementary suppression is exercised."""

from __future__ import annotations

import itertools

import duckdb
from hypothesis import strategies as st

from data_loaders.build import insert_rows
from data_loaders.tables import TABLES
from tests import factories as F

GROUPS = ("learning_school", "social_health", "family", "economic")
SUBS = {
    "learning_school": ("content_difficulty", "low_achievement", "peer_conflicts"),
    "family": ("long_absence", "other"),
}
TOPICS = (("dropped_out", "all"), ("repeaters", "all"), ("grade9_without_certificate", "basic"))

_codes = (
    "".join(letters)
    for n in itertools.count(2)
    for letters in itertools.product("ABCDEFGHIJKLMNOPQRSTUVWXYZ", repeat=n)
)


def small_count() -> st.SearchStrategy[int]:
    """Mostly 0-6, sometimes larger."""
    return st.one_of(st.integers(0, 6), st.integers(0, 6), st.integers(5, 40))


@st.composite
def municipality(draw) -> dict[str, list[dict]]:
    code = next(_codes)
    n_schools = draw(st.integers(2, 5))
    ids = [f"{code.lower()}_s{i}" for i in range(n_schools)]
    first = draw(st.integers(2018, 2022))
    years = [f"{y}/{y + 1}" for y in range(first, first + draw(st.integers(1, 3)))]
    apart = draw(st.booleans()) and n_schools > 2  # the last school: a state institution, reported apart
    merged = draw(st.booleans()) and n_schools > 2  # the first school merged into the second
    schools = []
    for i, sid in enumerate(ids):
        extra = {"is_municipal": not (apart and i == n_schools - 1)}
        if merged and i == 0:
            extra |= {"merged_into": ids[1], "merged_year": first + 1}
        schools.append(F.school(sid, code, **extra))
    tables: dict[str, list[dict]] = {"municipality": [F.municipality(code)], "school": schools}
    tables["enrolment"] = [
        F.enrolment(sid, year, draw(st.one_of(st.integers(1, 6), st.integers(20, 300))))
        for sid in ids
        for year in years
        if draw(st.integers(0, 9)) > 0
    ]
    tables["pumpurs"] = _pumpurs(draw, ids, years)
    tables["risk"] = _risk(draw, code, ids, years)
    tables["outcome"] = _outcome(draw, code, ids, years)
    tables["stated_total"] = _stated(
        draw, code, tables["pumpurs"], {s["school_id"] for s in schools if s["is_municipal"]}
    )
    return tables


def _pumpurs(draw, ids: list[str], years: list[str]) -> list[dict]:
    rows = []
    if draw(st.integers(0, 3)) == 0:  # a programme reporting one whole span (pupils only), as Ludza
        start, end = int(years[0][:4]), int(years[-1][:4])
        period = years[0] if start == end else f"{years[0]}-{years[-1]}"
        for sid in ids:
            if draw(st.booleans()) or sid == ids[0]:
                rows.append(_plan(sid, period, start, end, "all", None, draw(small_count())))
        return rows
    for sid in ids:
        for year in years:
            for semester in ("I", "II"):
                if draw(st.integers(0, 4)) > 0:
                    start = int(year[:4])
                    iaps, pupils = draw(small_count()), draw(st.one_of(st.none(), small_count()))
                    rows.append(_plan(sid, year, start, start, semester, iaps, pupils))
    return rows


def _plan(sid, period, start, end, semester, iaps, pupils) -> dict:
    if iaps is None and pupils is None:
        pupils = 1
    return {"school_id": sid, "period": period, "start_year": start, "end_year": end, "semester": semester,
            "iap_count": iaps, "participants": pupils, "source": F.SRC}  # fmt: skip


def _risk(draw, code: str, ids: list[str], years: list[str]) -> list[dict]:
    rows = []
    for sid in ids:
        for year in years:
            if draw(st.integers(0, 3)) == 0:
                continue
            start = int(year[:4])
            for group in GROUPS:
                if draw(st.integers(0, 9)) == 0:
                    continue  # a group left out: the report is incomplete
                subs = [draw(small_count()) for _ in SUBS.get(group, ())]
                nested = draw(st.integers(0, 3)) > 0
                count = sum(subs) if subs and nested else draw(small_count())
                rows.append(_risk_row(code, sid, year, start, group, "", count))
                for sub, value in zip(SUBS.get(group, ()), subs, strict=True):
                    rows.append(_risk_row(code, sid, year, start, group, sub, value))
    return rows


def _risk_row(code, sid, year, start, group, sub, pupils) -> dict:
    return {"municipality": code, "scope": sid, "period": year, "start_year": start, "end_year": start,
            "risk_group": group, "sub_risk": sub, "pupils": pupils, "share_pct": None,
            "population": "pupils at risk", "source": F.SRC}  # fmt: skip


def _outcome(draw, code: str, ids: list[str], years: list[str]) -> list[dict]:
    rows = []
    for year in years:
        for indicator, level in TOPICS:
            if draw(st.integers(0, 3)) == 0:
                continue
            counts = {sid: draw(small_count()) for sid in ids if draw(st.integers(0, 4)) > 0}
            for sid, value in counts.items():
                rows.append(_outcome_row(code, sid, year, level, indicator, value))
            printed = draw(st.sampled_from(["none", "none", "equal", "larger", "smaller"]))
            total = sum(counts.values())
            if printed == "equal" or (printed != "none" and not counts):
                rows.append(_outcome_row(code, code, year, level, indicator, total))
            elif printed == "larger":
                rows.append(_outcome_row(code, code, year, level, indicator, total + draw(st.integers(1, 8))))
            elif printed == "smaller" and total > 0:
                rows.append(_outcome_row(code, code, year, level, indicator, draw(st.integers(0, total - 1))))
    return rows


def _outcome_row(code, scope, year, level, indicator, value) -> dict:
    return {"municipality": code, "scope": scope, "school_year": year, "start_year": int(year[:4]),
            "level": level, "indicator": indicator, "subject": "", "threshold": "", "value": value,
            "unit": "pupils", "source": F.SRC}  # fmt: skip


def _stated(draw, code: str, plans: list[dict], municipal: set[str]) -> list[dict]:
    """Printed Pumpurs totals for some semesters: the municipal schools' sum, or more."""
    sums: dict[tuple, dict[str, int]] = {}
    for row in plans:
        if row["school_id"] in municipal:
            slot = sums.setdefault((row["period"], row["semester"]), {"iap_count": 0, "participants": 0})
            for measure in slot:
                slot[measure] += row[measure] or 0
    rows = []
    for (period, semester), slot in sums.items():
        for measure, total in slot.items():
            if draw(st.integers(0, 2)) == 0:
                extra = draw(st.sampled_from([0, 0, 1, 7]))
                unit = "individual support plans" if measure == "iap_count" else "pupils"
                rows.append({"municipality": code, "topic": "pumpurs", "measure": measure, "period": period,
                             "semester": semester, "value": total + extra, "unit": unit, "source": F.SRC})  # fmt: skip
    return rows


def insert(con: duckdb.DuckDBPyConnection, tables: dict[str, list[dict]]) -> None:
    """Add a municipality's rows to a database that has the schema."""
    for table in TABLES:
        rows = tables.get(table, [])
        if rows:
            insert_rows(con, table, [{**dict.fromkeys(TABLES[table].columns), **row} for row in rows])
