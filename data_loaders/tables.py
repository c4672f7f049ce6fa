"""The input tables in load order: their model, key and the references checked before writing."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from data_loaders import models


@dataclass(frozen=True)
class TableSpec:
    model: type[BaseModel]
    key: tuple[str, ...]
    # column -> (table, column) it must point at; "scope" columns may name a school or a municipality
    references: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return list(self.model.model_fields)


_MUN = {"municipality": ("municipality", "code")}
_SCHOOL = {"school_id": ("school", "school_id")}
_IND = {"municipality": ("municipality", "code"), "indicator_no": ("indicator", "indicator_no")}
_ACT = {"municipality": ("municipality", "code"), "activity_no": ("activity", "activity_no")}

TABLES: dict[str, TableSpec] = {
    "municipality": TableSpec(models.Municipality, ("code",)),
    "school": TableSpec(
        models.School,
        ("school_id",),
        {**_MUN, "merged_into": ("school", "school_id")},
    ),
    "school_event": TableSpec(
        models.SchoolEvent,
        ("school_id", "event", "event_date"),
        {"school_id": ("school", "school_id"), "other_school_id": ("school", "school_id")},
    ),
    "enrolment": TableSpec(models.Enrolment, ("school_id", "school_year", "grade_band"), _SCHOOL),
    "support_staff": TableSpec(models.SupportStaff, ("school_id", "school_year", "role"), _SCHOOL),
    "pumpurs": TableSpec(models.Pumpurs, ("school_id", "period", "semester"), _SCHOOL),
    "risk": TableSpec(
        models.Risk,
        ("scope", "period", "risk_group", "sub_risk"),
        {**_MUN, "scope": ("scope", "scope")},
    ),
    "outcome": TableSpec(
        models.Outcome,
        ("scope", "school_year", "level", "indicator", "subject", "threshold"),
        {**_MUN, "scope": ("scope", "scope")},
    ),
    "indicator": TableSpec(models.Indicator, ("municipality", "indicator_no", "breakdown"), _MUN),
    "indicator_target": TableSpec(
        models.IndicatorTarget, ("municipality", "indicator_no", "breakdown", "target_year"), _IND
    ),
    "indicator_value": TableSpec(models.IndicatorValue, ("municipality", "indicator_no", "breakdown", "period"), _IND),
    "activity": TableSpec(models.Activity, ("municipality", "activity_no"), _MUN),
    "activity_year": TableSpec(models.ActivityYear, ("municipality", "activity_no", "year"), _ACT),
    "activity_report": TableSpec(models.ActivityReport, ("municipality", "activity_no", "year"), _ACT),
    "stated_total": TableSpec(models.StatedTotal, ("municipality", "topic", "measure", "period", "semester"), _MUN),
    "pumpurs_support": TableSpec(models.PumpursSupport, ("municipality", "period", "breakdown", "item"), _MUN),
    "national_reference": TableSpec(models.NationalReference, ("measure", "period")),
}
# Grade bands in order; '1-3' stands at 3, so a whole school is a run without gaps from grade 1, 7
# or 10 to grade 9 or 12 (the same rule as the enrolment_total view in schema.sql).
BAND_ORDER = {"1-3": 3, **{str(g): g for g in range(4, 13)}}


def whole_bands(bands: dict[str, int | None]) -> bool:
    """Do these grade bands (band -> pupils) make up a whole school, each with a count?"""
    steps = sorted(BAND_ORDER[b] for b in bands)
    return (
        bool(steps)
        and all(v is not None for v in bands.values())
        and steps[0] in (3, 7, 10)
        and steps[-1] in (9, 12)
        and steps == list(range(steps[0], steps[-1] + 1))
    )


# Columns a CSV may leave out because they follow from another one (a school year's start and end
# years from the school year or period itself, written 2020/2021).
DERIVED_COLUMNS = ("start_year", "end_year")


def merge_events(schools: list[dict]) -> list[dict]:
    """The `merged` history rows that the schools' own `merged_into`/`merged_year` state. The sources
    give the year only: the event is dated 1 September, the start of that school year."""
    return [
        {
            "school_id": s["school_id"],
            "event": "merged",
            "event_date": f"{s['merged_year']}-09-01",
            "other_school_id": s["merged_into"],
            "former_name": "",
            "source": s["source"],
            "note": "the source gives the year only; dated at the start of that school year",
        }
        for s in schools
        if s.get("merged_into")
    ]


def write_csv(path: Path, table: str, rows: list[dict]) -> None:
    """Write rows with the table's columns in model order (UTF-8, one header row, RFC 4180)."""
    columns = TABLES[table].columns
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row[c] for c in columns})
