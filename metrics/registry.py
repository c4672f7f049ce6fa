"""Every metric declared once: which SQL computes it, its value column, its parameters and how
its counts are protected (disclosure control).

Labels and descriptions live in the locale files under ``metrics.<id>`` so every visible
string is translated in one place; a test checks each metric has them in Latvian and English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache

import duckdb
import numpy as np
import pandas as pd

from data_loaders.vocabularies import RISK_GROUPS
from metrics import disclosure, staffing
from metrics.disclosure import Cells, Covers
from metrics.filters import Filters
from metrics.privacy import hidden_column, hide_ratios, reveal
from metrics.query import SQL_DIR, run_sql, sql_text


@dataclass(frozen=True)
class Metric:
    id: str
    sql: str
    column: str  # the value column
    defaults: dict[str, object] = field(default_factory=dict)
    # columns holding counts of pupils: hidden by disclosure control (metrics/disclosure.py)
    counts: tuple[str, ...] = ()
    # ratio column -> the count columns it is computed from: hidden with them (privacy.hide_ratios)
    ratios: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a pure function (SQL rows, parameters) -> rows, for a rule kept in Python (e.g. the staff
    # norm in metrics/staffing.py); applied before suppression, so it sees the real counts
    derive: Callable[[pd.DataFrame, Mapping[str, object]], pd.DataFrame] | None = None
    # which cells of the disclosure families each count column adds up, row by row, given the
    # metric's parameters: {count column: (disclosure.Cells, ...)}. A count is shown only if it
    # tells nothing the municipal view's published figures do not (disclosure.hidden_figures), so
    # chosen schools, years and pages can never be played off against each other. A count column
    # without cells is a figure of its own, hidden when small.
    cells: Callable[[Mapping[str, object]], Mapping[str, tuple[Cells, ...]]] | None = None
    # the column naming each row's municipality, for a metric over several municipalities
    municipality_column: str | None = None


_OUTCOME_KEY = {k: k for k in ("school_year", "level", "topic", "subject", "threshold")}
_GROUPS = RISK_GROUPS


def _fixed(specs: Mapping[str, tuple[Cells, ...]]) -> Callable[[Mapping[str, object]], Mapping[str, tuple[Cells, ...]]]:
    return lambda _params: specs


def _outcome_cells(_params: Mapping[str, object]) -> Mapping[str, tuple[Cells, ...]]:
    """A year's headline is the printed municipal figure where there is one, else the schools' sum."""
    municipal = Cells("outcome", "municipal", _OUTCOME_KEY, schools=())
    schools = Cells("outcome", "schools", _OUTCOME_KEY, schools=("scope",))
    return {
        "pupils": (
            replace(municipal, rows=("basis", ("municipality",))),
            replace(schools, rows=("basis", ("schools",))),
        ),
        "school_pupils": (schools,),
        "municipal_pupils": (municipal,),
    }


def _pumpurs_cells(params: Mapping[str, object]) -> Mapping[str, tuple[Cells, ...]]:
    """Plans and pupils per school and semester (``grain``: semester, total over the chosen years, or
    all chosen schools together), of the municipal schools or the institutions apart; in the merged
    view a school's row adds up the schools merged into it, and choosing it brings them along."""
    grain, merged = params.get("grain", "semester"), bool(params.get("merged"))
    own = "root" if merged else "school_id"
    on = {"semester": {"school_id": own, "period": "period", "semester": "semester"}, "total": {"school_id": own}}
    common = {"on": on.get(grain, {}), "equals": {"is_municipal": bool(params.get("municipal", True))},
              "schools": ("school_id", "root") if merged else ("school_id",)}  # fmt: skip
    whole = {"semester": "all"} if grain != "semester" else {}  # pupils add up only over whole spans
    return {
        "iap_count": (Cells("pumpurs_iap", **common),),
        "participants": (Cells("pumpurs_participants", **{**common, "equals": {**common["equals"], **whole}}),),
    }


def _semester_cells(params: Mapping[str, object]) -> Mapping[str, tuple[Cells, ...]]:
    schools = ("school_id", "root") if params.get("merged") else ("school_id",)
    on, equals = {"period": "period", "semester": "semester"}, {"is_municipal": True}
    return {
        "iap_count": (Cells("pumpurs_iap", on=on, equals=equals, schools=schools),),
        "participants": (Cells("pumpurs_participants", on=on, equals=equals, schools=schools),),
    }


_PERIOD_CELLS = _fixed(
    {
        "iap_count": (Cells("pumpurs_iap", on={"period": "period"}, equals={"is_municipal": True}),),
        "participants": (Cells("pumpurs_participants", on={"period": "period"}, equals={"is_municipal": True}),),
    }
)
_SCHOOL_YEAR = {"school_id": "school_id", "school_year": "school_year"}


def _compare_cells(_params: Mapping[str, object]) -> Mapping[str, tuple[Cells, ...]]:
    """Per municipality and school year: the municipal schools' pupils, and the Pumpurs plans and
    pupils from the schools' rows of single school years or, where there are none, the municipality's
    own printed figures."""
    year = {"start_year": "start_year"}
    schools, printed = ("pumpurs_basis", ("schools",)), ("pumpurs_basis", ("municipal",))
    out: dict[str, tuple[Cells, ...]] = {
        "pupils": (Cells("enrolment", on={"school_year": "school_year"}, equals={"is_municipal": True}),)
    }
    for column, family in (("iap_count", "pumpurs_iap"), ("participants", "pumpurs_participants")):
        out[column] = (
            Cells(family, on=year, where=("one_year",), equals={"is_municipal": True}, rows=schools),
            Cells("pumpurs_stated", on=year, where=("one_year",), equals={"measure": column}, schools=(), rows=printed),
        )
    return out


_RISK_GROUP_CELLS = _fixed(
    {
        "pupils": (
            Cells("risk", "group", {"period": "period", "risk_group": "risk_group"}, where=("complete_report",)),
        ),
        "identified": (Cells("risk", "group", {"period": "period"}, where=("complete_report",)),),
        "enrolled": (Cells("enrolment", on={"period": "school_year"}, where=("risk_complete",)),),
    }
)
_RISK_SUB = {"period": "period", "risk_group": "risk_group", "sub_risk": "sub_risk"}
_RISK_SUB_CELLS = _fixed({"pupils": (Cells("risk", "sub", _RISK_SUB, where=("complete_subs",)),)})
_FOCUS_CELLS = _fixed(
    {
        "identified": (
            Cells(
                "risk",
                "group",
                {"school_id": "school_id", "school_year": "period"},
                where=("complete_report",),
                years=False,
            ),
        ),  # the school year before a chosen one comes along (last year's rank)
        "enrolled": (Cells("enrolment", on=_SCHOOL_YEAR, years=False),),
    }
)
_STATED = {"period": "period", "semester": "semester", "measure": "measure"}
# a printed semester total is the municipal schools' total of that semester where it equals it (and
# bounds it where larger): it is hidden wherever that total would be
_COVERS = Covers(
    "measure",
    {"iap_count": "pumpurs_iap", "participants": "pumpurs_participants"},
    on={"period": "period", "semester": "semester"},
    equals={"is_municipal": True},
)
_STATED_CELLS = _fixed({"count_value": (Cells("pumpurs_stated", on=_STATED, schools=(), covers=_COVERS),)})
# a school's own figure, or the printed municipal figure (in the municipality's name)
_OUTCOME_SCHOOL_CELLS = _fixed(
    {"pupils": (Cells("outcome", "figures", {"scope": "figure", **_OUTCOME_KEY}, schools=("figure",)),)}
)
_RISK_LINK_CELLS = _fixed(
    {
        "iap_count": (
            Cells("pumpurs_iap", on={"start_year": "start_year"}, where=("one_year", "with_risk"),
                  equals={"is_municipal": True}, rows=("risk_group", ("all",))),
        ),
        "pupils_at_risk": (
            Cells("risk", "group", on={"start_year": "start_year"}, where=("with_plans",),
                  rows=("risk_group", ("all",))),
            Cells("risk", "group", on={"start_year": "start_year", "risk_group": "risk_group"},
                  where=("with_plans",), rows=("risk_group", _GROUPS)),
        ),
    }
)  # fmt: skip

METRICS: dict[str, Metric] = {
    m.id: m
    for m in (
        Metric(
            id="pupils_total",
            sql="enrolment_by_year.sql",
            column="pupils",
            counts=("pupils",),
            cells=_fixed({"pupils": (Cells("enrolment", on={"school_year": "school_year"}),)}),
        ),
        Metric(
            id="schools_count",
            sql="enrolment_by_year.sql",
            column="schools",
        ),
        Metric(
            id="pupils_by_school",
            sql="enrolment_by_school.sql",
            column="pupils",
            counts=("pupils",),
            cells=_fixed({"pupils": (Cells("enrolment", on=_SCHOOL_YEAR),)}),
        ),
        Metric(
            id="pumpurs_iap",
            sql="pumpurs_by_period.sql",
            column="iap_count",
            counts=("iap_count", "participants"),
            cells=_PERIOD_CELLS,
        ),
        Metric(
            id="pumpurs_participants",
            sql="pumpurs_by_period.sql",
            column="participants",
            counts=("iap_count", "participants"),
            cells=_PERIOD_CELLS,
        ),
        Metric(
            id="schools_below_staff_norm",
            sql="staffing_fte_by_school.sql",
            column="schools_below_norm",
            defaults=staffing.DEFAULT_RULE.params(),
            derive=staffing.norm_by_year,
        ),
        Metric(
            id="staff_gap_fte",
            sql="staffing_fte_by_school.sql",
            column="gap_fte",
            defaults=staffing.DEFAULT_RULE.params(),
            derive=staffing.norm_by_year,
        ),
        Metric(
            id="staff_gap_by_school",
            sql="staffing_fte_by_school.sql",
            column="gap_fte",
            defaults=staffing.DEFAULT_RULE.params(),
            counts=("pupils",),
            derive=staffing.assess,
            cells=_fixed({"pupils": (Cells("enrolment", on=_SCHOOL_YEAR),)}),
        ),
        # Outcomes: one row per topic and breakdown (level, subject, exam threshold); see metrics/outcomes.py
        Metric(
            id="outcomes_by_school",
            sql="outcome_by_school.sql",
            column="pupils",
            counts=("pupils",),
            cells=_OUTCOME_SCHOOL_CELLS,
        ),
        Metric(
            id="outcomes_by_year",
            sql="outcome_by_year.sql",
            column="pupils",
            defaults={"topic": ""},
            counts=("pupils", "school_pupils", "municipal_pupils"),
            cells=_outcome_cells,
        ),
        Metric(
            id="dropout_rate",
            sql="outcome_by_year.sql",
            column="share_pct",
            defaults={"topic": "dropped_out"},
            counts=("pupils", "school_pupils", "municipal_pupils"),
            ratios={"share_pct": ("pupils",), "rate_pct": ("pupils",)},
            cells=_outcome_cells,
        ),
        # PMP risks: a share or rate whose count is hidden is hidden with it (ratios=)
        Metric(
            id="risk_group_share",
            sql="risk_groups.sql",
            column="share_pct",
            counts=("pupils", "identified", "enrolled"),
            ratios={
                "share_pct": ("pupils",),
                "per_100": ("pupils", "enrolled"),
                "identified_per_100": ("identified", "enrolled"),
            },
            cells=_RISK_GROUP_CELLS,
        ),
        Metric(
            id="risk_sub_share",
            sql="risk_sub_risks.sql",
            column="share_pct",
            counts=("pupils",),
            cells=_RISK_SUB_CELLS,
        ),
        Metric(
            id="focus_schools",
            sql="risk_focus_schools.sql",
            column="per_100",
            counts=("identified", "enrolled"),
            ratios={"per_100": ("identified", "enrolled")},
            cells=_FOCUS_CELLS,
        ),
        Metric(
            id="pumpurs_semesters",
            sql="pumpurs_semesters.sql",
            column="iap_count",
            defaults={"merged": False},
            counts=("iap_count", "participants"),
            cells=_semester_cells,
        ),
        Metric(
            id="pumpurs_school_semesters",
            sql="pumpurs_school_semesters.sql",
            column="iap_count",
            defaults={"grain": "semester", "merged": False, "municipal": True},
            counts=("iap_count", "participants"),
            cells=_pumpurs_cells,
        ),
        Metric(
            id="pumpurs_school_totals",
            sql="pumpurs_school_semesters.sql",
            column="iap_count",
            defaults={"grain": "total", "merged": False, "municipal": True},
            counts=("iap_count", "participants"),
            cells=_pumpurs_cells,
        ),
        Metric(
            id="pumpurs_total",
            sql="pumpurs_school_semesters.sql",
            column="iap_count",
            defaults={"grain": "all", "merged": False, "municipal": True},
            counts=("iap_count", "participants"),
            cells=_pumpurs_cells,
        ),
        Metric(
            id="compare_municipalities",
            sql="compare_municipalities.sql",
            column="iap_per_100",
            defaults={"municipalities": []},
            counts=("pupils", "iap_count", "participants"),
            ratios={"iap_per_100": ("iap_count", "pupils"), "participants_per_100": ("participants", "pupils")},
            cells=_compare_cells,
            municipality_column="municipality",
        ),
        Metric(
            id="national_reference",
            sql="national_reference.sql",
            column="value",
            defaults={"measure": "pumpurs_iap_count"},
        ),
        Metric(
            id="pumpurs_stated",
            sql="pumpurs_stated.sql",
            column="count_value",
            counts=("count_value",),
            cells=_STATED_CELLS,
        ),
        Metric(
            id="pumpurs_support_mix",
            sql="pumpurs_support_mix.sql",
            column="share_pct",
        ),
        Metric(
            id="pumpurs_plans_per_risk",
            sql="pumpurs_risk_link.sql",
            column="plans_per_100",
            counts=("iap_count", "pupils_at_risk"),
            ratios={"plans_per_100": ("iap_count", "pupils_at_risk")},
            cells=_RISK_LINK_CELLS,
        ),
        # Action plan: the yearly activity reports; participant counts can be pupils at risk
        Metric(
            id="activity_participants",
            sql="activity_reports.sql",
            column="participants",
            counts=("participants",),
        ),
    )
}


def check_registry() -> None:
    """Unique ids (by construction), SQL files that exist and name the declared columns, and cells
    declared only for count columns, in families that exist."""
    for metric in METRICS.values():
        if not (SQL_DIR / metric.sql).exists():
            raise ValueError(f"metric {metric.id}: SQL file {metric.sql} is missing")
        text = sql_text(metric.sql)
        derived = (metric.column,) if metric.derive is None else ()
        for column in (*derived, *metric.counts):
            if column not in text:
                raise ValueError(f"metric {metric.id}: column {column} not in {metric.sql}")
        specs = metric.cells(metric.defaults) if metric.cells else {}
        for column, cells in specs.items():
            if column not in metric.counts or any(c.family not in disclosure.BUILDERS for c in cells):
                raise ValueError(f"metric {metric.id}: cells for {column} name no count column or no family")


def compute(con: duckdb.DuckDBPyConnection, metric_id: str, filters: Filters, **params: object) -> pd.DataFrame:
    """The metric's rows for the filters; the value is in column ``metric.column``.

    Count columns come back with disclosure control applied (hidden values missing, ``<col>_hidden``
    flags beside them, ratios made of them hidden too) unless ``filters.suppress`` is off, which
    only an admin's own view can do.
    """
    metric = METRICS[metric_id]
    values = {**metric.defaults, **params}
    frame = _rows(con, metric, filters, values)
    if not metric.counts:
        return frame
    if not filters.suppress:
        return hide_ratios(reveal(frame, metric.counts), {})
    return hide_ratios(_hidden(con, metric, frame, filters, values), metric.ratios)


def _rows(con: duckdb.DuckDBPyConnection, metric: Metric, filters: Filters, values: dict) -> pd.DataFrame:
    frame = run_sql(con, metric.sql, {**filters.params(), **values})
    return frame if metric.derive is None else metric.derive(frame, values)


def _hidden(
    con: duckdb.DuckDBPyConnection, metric: Metric, frame: pd.DataFrame, filters: Filters, values: dict
) -> pd.DataFrame:
    """The frame with every count the disclosure pattern does not allow hidden (see metrics/disclosure.py)."""
    text = sql_text(metric.sql)
    specs = metric.cells(values) if metric.cells else {}
    if metric.municipality_column is None:
        parts = [(filters.municipality, np.arange(len(frame)))]
    else:
        found = frame.groupby(metric.municipality_column, sort=False).indices
        parts = [(str(code), rows) for code, rows in found.items()]
    out = frame.copy()
    families = cache(lambda name, municipality: disclosure.family(con, name, municipality, filters.threshold))
    for column in metric.counts:
        hide = np.zeros(len(frame), dtype=bool)
        for municipality, rows in parts:
            scope = disclosure.Scope(
                municipality=municipality,
                schools=tuple(filters.schools),
                start_years=tuple(filters.start_years),
                threshold=filters.threshold,
                reads_schools="$schools" in text,
                reads_years="$years" in text or "$start_years" in text,
            )
            part = frame.iloc[rows].reset_index(drop=True)
            hide[rows] = disclosure.hidden_figures(
                part, column, specs.get(column, ()), lambda name, m=municipality: families(name, m), scope
            )
        numbers = pd.to_numeric(out[column], errors="coerce").astype("Float64")
        out[column] = numbers.mask(hide)
        out[hidden_column(column)] = hide
    return out


check_registry()
