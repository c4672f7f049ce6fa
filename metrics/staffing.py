"""The support-staff norm: what each school needs, what it lacks, and whether it "meets the norm".

Both programmes want a psychologist, a speech therapist, a special educator and a social
pedagogue in every school, each at least 0.3 FTE "depending on the school's size". The norm is a
planner's setting (``NormRule``): flat (the same FTE for every school) or size-scaled (the base up
to N pupils, then a step per further M pupils). This module is the one definition of the rule, of
the gap and of "meets the norm"; the Overview's count and the Support staff page both come from
``assess`` (via the metrics registry), so they cannot drift apart.

Semantics, as the data allow:

* A school with no support-staff rows for the year has **no data**: shown, but never counted as
  below the norm and never added to a gap total.
* A norm role that a reporting school does not list counts as 0 FTE for the gap, but stays
  "not listed" (``listed`` is false), which the page shows apart from an explicit 0.
* A scaled norm needs the school's pupil count; without it the norm (and so the gap and the
  school's status) is unknown, never the flat value.
* FTE are kept to 3 decimals and computed in thousandths (integers), so 0.3 - 0.2 is exactly 0.1
  and a school at exactly the norm meets it. Screens show them as printed (``display_decimals``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_loaders.vocabularies import NORM_ROLES, STAFF_ROLES
from metrics import provenance
from metrics.values import is_missing

ROLES = STAFF_ROLES  # the norm's roles (NORM_ROLES), then those shown for context only, no norm

# Status of one school-role cell, and of a school as a whole (same words).
MEETS, BELOW, UNKNOWN, NO_DATA, CONTEXT = "meets", "below", "unknown", "no_data", "context"


def milli(value: float) -> int:
    """FTE in thousandths: the stored precision (DECIMAL(6, 3)), exact in integer arithmetic."""
    return round(float(value) * 1000)


@dataclass(frozen=True)
class NormRule:
    """Required FTE per norm role and school.

    Flat when ``up_to_pupils`` is None: ``base_fte`` everywhere. Scaled otherwise: ``base_fte``
    up to ``up_to_pupils`` pupils, plus ``step_fte`` for every further ``step_pupils`` pupils
    or part of them (a school one pupil over the limit already needs the next step).
    """

    base_fte: float = 0.3
    up_to_pupils: int | None = None
    step_fte: float = 0.1
    step_pupils: int = 100

    def __post_init__(self) -> None:
        if self.base_fte < 0 or self.step_fte < 0:
            raise ValueError("a norm cannot be negative")
        if self.step_pupils < 1 or (self.up_to_pupils is not None and self.up_to_pupils < 0):
            raise ValueError("pupil limits must be positive")

    @property
    def scaled(self) -> bool:
        return self.up_to_pupils is not None

    def required(self, pupils: object = None) -> float | None:
        """The FTE a school of ``pupils`` needs per norm role; None when a scaled norm lacks pupils."""
        if not self.scaled:
            return milli(self.base_fte) / 1000
        if is_missing(pupils):
            return None
        steps = math.ceil(max(0, int(pupils) - self.up_to_pupils) / self.step_pupils)
        return (milli(self.base_fte) + steps * milli(self.step_fte)) / 1000

    def params(self) -> dict[str, object]:
        """The metric parameters that carry this rule through the cached data layer."""
        return {
            "norm": self.base_fte,
            "norm_up_to": self.up_to_pupils,
            "norm_step": self.step_fte,
            "norm_per": self.step_pupils,
        }

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> NormRule:
        up_to = params.get("norm_up_to")
        return cls(
            base_fte=float(params.get("norm", cls.base_fte)),
            up_to_pupils=None if is_missing(up_to) else int(up_to),
            step_fte=float(params.get("norm_step", cls.step_fte)),
            step_pupils=int(params.get("norm_per", cls.step_pupils)),
        )


DEFAULT_RULE = NormRule()


def gap(fte: object, required: float | None) -> float | None:
    """FTE missing to reach ``required``: max(0, required - FTE), a role not listed being 0 FTE.

    None when the norm itself is unknown.
    """
    if required is None:
        return None
    have = 0 if is_missing(fte) else milli(fte)
    return max(0, milli(required) - have) / 1000


def display_decimals(value: object) -> int:
    """Decimals to show an FTE with: as many as it has, as the source printed it (1.244 stays 1,244;
    0.75 stays 0,75), at least one (0.5, 1.0) and at most the stored three."""
    if is_missing(value):
        return 1
    thousandths = milli(value)
    return 1 if thousandths % 100 == 0 else (2 if thousandths % 10 == 0 else 3)


def yearly_cost(gap_fte: object, cost_per_fte: float | None) -> float | None:
    """What closing the gap costs a year; None until the planner enters a cost per FTE."""
    if cost_per_fte is None or is_missing(gap_fte):
        return None
    return round(milli(gap_fte) * float(cost_per_fte) / 1000, 2)


def _cell_status(reporting: bool, role: str, gap_fte: float | None) -> str:
    if not reporting:
        return NO_DATA
    if role not in NORM_ROLES:
        return CONTEXT
    if gap_fte is None:
        return UNKNOWN
    return MEETS if gap_fte == 0 else BELOW


def assess(frame: pd.DataFrame, params: Mapping[str, object]) -> pd.DataFrame:
    """Each school-role row of ``staffing_fte_by_school.sql`` with its norm, gap and status.

    Adds ``listed`` (the school lists the role), ``required_fte`` (norm roles only), ``gap_fte``
    (norm roles of reporting schools with a known norm), ``coverage`` (FTE as a share of the norm,
    where the gap is known), ``status`` (cell), and per school ``school_status`` and
    ``school_gap_fte`` (the sum of its four gaps; missing unless the status is meets or below).

    A school's status: no data if it reported no staff; unknown if the norm for its size is
    unknown; meets if all four norm roles meet the norm; below otherwise.
    """
    rule = NormRule.from_params(params)
    out = frame.copy()
    out["listed"] = out["fte"].notna()
    norm_role = out["role"].isin(NORM_ROLES)
    fte, reporting = out["fte"].tolist(), out["reporting"].tolist()
    required = [rule.required(p) if n else None for p, n in zip(out["pupils"].tolist(), norm_role, strict=True)]
    gaps = [gap(f, r) if rep else None for f, r, rep in zip(fte, required, reporting, strict=True)]
    out["required_fte"] = pd.array(required, dtype="Float64")
    out["gap_fte"] = pd.array(gaps, dtype="Float64")
    out["coverage"] = (out["fte"].fillna(0).astype("Float64") / out["required_fte"]).where(out["gap_fte"].notna())
    out["status"] = [
        _cell_status(rep, role, g) for rep, role, g in zip(reporting, out["role"].tolist(), gaps, strict=True)
    ]
    by_school = [out["school_year"], out["school_id"]]

    def any_norm_role(status: str) -> pd.Series:
        return (out["status"].eq(status) & norm_role).groupby(by_school).transform("any")

    all_meet = (out["status"].eq(MEETS) | ~norm_role).groupby(by_school).transform("all")
    out["school_status"] = np.select(
        [any_norm_role(NO_DATA), any_norm_role(UNKNOWN), all_meet], [NO_DATA, UNKNOWN, MEETS], BELOW
    )
    gap_milli = pd.Series([0 if g is None else milli(g) for g in gaps], index=out.index)
    judged = out["school_status"].isin([MEETS, BELOW])
    out["school_gap_fte"] = (gap_milli.groupby(by_school).transform("sum") / 1000).astype("Float64").where(judged)
    return out


YEAR_COLUMNS = (
    "school_year",
    "start_year",
    "schools_reporting",
    "schools_meeting_norm",
    "schools_below_norm",
    "schools_norm_unknown",
    "schools_no_data",
    "gap_fte",
    "source",
)


def norm_by_year(frame: pd.DataFrame, params: Mapping[str, object]) -> pd.DataFrame:
    """Per school year: schools reporting staff, meeting / below / unknown against the norm, schools
    without a staff report, and the FTE needed to close every known gap. Years in which no chosen
    school reported staff are left out ("no data", not "0 schools below")."""
    cells = assess(frame, params)
    rows = []
    for (year, start), part in cells.groupby(["school_year", "start_year"], sort=True):
        schools = part.drop_duplicates("school_id")["school_status"].value_counts()
        reporting = part[part["reporting"]]
        if reporting.empty:
            continue
        gaps = part.drop_duplicates("school_id")["school_gap_fte"].dropna()
        rows.append(
            {
                "school_year": year,
                "start_year": start,
                "schools_reporting": reporting["school_id"].nunique(),
                "schools_meeting_norm": int(schools.get(MEETS, 0)),
                "schools_below_norm": int(schools.get(BELOW, 0)),
                "schools_norm_unknown": int(schools.get(UNKNOWN, 0)),
                "schools_no_data": int(schools.get(NO_DATA, 0)),
                "gap_fte": sum(milli(g) for g in gaps) / 1000,
                "source": sorted(provenance.sources(reporting)),
            }
        )
    return pd.DataFrame(rows, columns=list(YEAR_COLUMNS))


def pupils_per_fte(cells: pd.DataFrame, total_name: str = "total") -> pd.DataFrame:
    """Pupils per FTE for each reporting school and role, plus a municipal row per role
    (``is_total``, named ``total_name`` in the ``school`` column).

    Ratios are recomputed from numerator and denominator: the municipal figure is the pupils of
    the reporting schools with a shown pupil count over those schools' FTE, never a mean of school
    ratios. No FTE (not listed or 0) or no pupil count gives no ratio. ``cells`` is one year of
    ``assess`` output (pupil counts possibly suppressed: a hidden count gives no ratio, and
    ``pupils_hidden`` says so).
    """
    rows = cells[cells["reporting"]].copy()
    rows["pupils_hidden"] = rows["pupils_hidden"].astype(bool) if "pupils_hidden" in rows else False
    pupils = pd.to_numeric(rows["pupils"], errors="coerce").astype("Float64")
    fte = rows["fte"].astype("Float64")
    rows["ratio"] = (pupils / fte).where(fte > 0)
    rows["is_total"] = False
    known = rows[pupils.notna()]
    totals = known.groupby("role", sort=False).agg(fte=("fte", "sum"), pupils=("pupils", "sum")).reset_index()
    totals["ratio"] = (totals["pupils"].astype("Float64") / totals["fte"]).where(totals["fte"] > 0)
    totals["is_total"], totals["school"], totals["pupils_hidden"] = True, total_name, False
    return pd.concat([rows, totals], ignore_index=True)
