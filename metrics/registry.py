"""Every metric declared once: what it means, its unit and grain, and which SQL computes it.

Labels and descriptions live in the locale files under ``metrics.<id>`` so every visible
string is translated in one place; a test checks each metric has them in Latvian and English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import duckdb
import pandas as pd

from metrics import staffing
from metrics.filters import Filters
from metrics.privacy import hidden_column, hide_ratios, reveal, suppress
from metrics.query import SQL_DIR, run_sql, sql_text

Unit = Literal["pupils", "schools", "plans", "fte", "pct"]


@dataclass(frozen=True)
class Metric:
    id: str
    unit: Unit
    grain: Literal["year", "period", "school_year"]
    direction: Literal["higher_is_better", "lower_is_better", "neutral"]
    sql: str
    column: str
    aggregate: Literal["sum", "count", "ratio"]
    defaults: dict[str, object] = field(default_factory=dict)
    # columns holding counts of pupils (suppressed below the threshold), and the columns whose
    # rows add up to a shown total (for secondary suppression)
    counts: tuple[str, ...] = ()
    suppress_within: tuple[str, ...] = ()
    # ratio column -> the count columns it is computed from: hidden with them (privacy.hide_ratios)
    ratios: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a pure function (SQL rows, parameters) -> rows, for a rule kept in Python (e.g. the staff
    # norm in metrics/staffing.py); applied before suppression, so it sees the real counts
    derive: Callable[[pd.DataFrame, Mapping[str, object]], pd.DataFrame] | None = None
    # the column naming each row's school, for metrics with a row per school: with schools chosen,
    # suppression is decided over all the municipality's schools and then the chosen schools' rows
    # are kept, so a count hidden to protect another school's small count stays hidden when its own
    # school is chosen alone (privacy.suppress's secondary suppression works across schools)
    per_school: str | None = None
    # for a total over the chosen schools: the per-school metrics it adds up, each with the columns
    # that match a total's row to its parts' rows ({total column: part column}). With schools chosen,
    # a total is hidden wherever one of its parts is hidden in the municipal view; a total of shown
    # parts gives nothing away, but a total over a hidden part would (one chosen school = its cell)
    parts: tuple[tuple[str, dict[str, str]], ...] = ()


_OUTCOME_KEYS = ("school_year", "level", "topic", "subject", "threshold")
OUTCOME_PARTS = (("outcomes_by_school", {k: k for k in _OUTCOME_KEYS}),)

METRICS: dict[str, Metric] = {
    m.id: m
    for m in (
        Metric(
            id="pupils_total",
            unit="pupils",
            grain="year",
            direction="neutral",
            sql="enrolment_by_year.sql",
            column="pupils",
            aggregate="sum",
            counts=("pupils",),
            parts=(("pupils_by_school", {"school_year": "school_year"}),),
        ),
        Metric(
            id="schools_count",
            unit="schools",
            grain="year",
            direction="neutral",
            sql="enrolment_by_year.sql",
            column="schools",
            aggregate="count",
        ),
        Metric(
            id="pupils_by_school",
            unit="pupils",
            grain="school_year",
            direction="neutral",
            sql="enrolment_by_school.sql",
            column="pupils",
            aggregate="sum",
            counts=("pupils",),
            suppress_within=("school_year",),
            per_school="school_id",
        ),
        Metric(
            id="pumpurs_iap",
            unit="plans",
            grain="period",
            direction="neutral",
            sql="pumpurs_by_period.sql",
            column="iap_count",
            aggregate="sum",
            counts=("iap_count", "participants"),
            parts=(("pumpurs_school_semesters", {"period": "period"}),),
        ),
        Metric(
            id="pumpurs_participants",
            unit="pupils",
            grain="period",
            direction="neutral",
            sql="pumpurs_by_period.sql",
            column="participants",
            aggregate="sum",
            counts=("iap_count", "participants"),
            parts=(("pumpurs_school_semesters", {"period": "period"}),),
        ),
        Metric(
            id="schools_below_staff_norm",
            unit="schools",
            grain="year",
            direction="lower_is_better",
            sql="staffing_fte_by_school.sql",
            column="schools_below_norm",
            aggregate="count",
            defaults=staffing.DEFAULT_RULE.params(),
            derive=staffing.norm_by_year,
        ),
        Metric(
            id="staff_gap_fte",
            unit="fte",
            grain="year",
            direction="lower_is_better",
            sql="staffing_fte_by_school.sql",
            column="gap_fte",
            aggregate="sum",
            defaults=staffing.DEFAULT_RULE.params(),
            derive=staffing.norm_by_year,
        ),
        Metric(
            id="staff_gap_by_school",
            unit="fte",
            grain="school_year",
            direction="lower_is_better",
            sql="staffing_fte_by_school.sql",
            column="gap_fte",
            aggregate="sum",
            defaults=staffing.DEFAULT_RULE.params(),
            counts=("pupils",),
            suppress_within=("school_year", "role"),
            derive=staffing.assess,
            per_school="school_id",
        ),
        # Outcomes: one row per topic and breakdown (level, subject, exam threshold); see metrics/outcomes.py
        Metric(
            id="outcomes_by_school",
            unit="pupils",
            grain="school_year",
            direction="neutral",
            sql="outcome_by_school.sql",
            column="pupils",
            aggregate="sum",
            counts=("pupils",),
            suppress_within=("school_year", "level", "topic", "subject", "threshold"),
            per_school="scope",
        ),
        Metric(
            id="outcomes_by_year",
            unit="pupils",
            grain="year",
            direction="neutral",
            sql="outcome_by_year.sql",
            column="pupils",
            aggregate="sum",
            defaults={"topic": ""},
            counts=("pupils", "school_pupils", "municipal_pupils"),
            suppress_within=("school_year", "level", "topic", "subject", "threshold"),
            parts=OUTCOME_PARTS,
        ),
        Metric(
            id="dropouts",
            unit="pupils",
            grain="year",
            direction="lower_is_better",
            sql="outcome_by_year.sql",
            column="pupils",
            aggregate="sum",
            defaults={"topic": "dropped_out"},
            counts=("pupils", "school_pupils", "municipal_pupils"),
            suppress_within=("school_year", "level", "topic", "subject", "threshold"),
            parts=OUTCOME_PARTS,
        ),
        Metric(
            id="dropout_rate",
            unit="pct",
            grain="year",
            direction="lower_is_better",
            sql="outcome_by_year.sql",
            column="share_pct",
            aggregate="ratio",
            defaults={"topic": "dropped_out"},
            counts=("pupils", "school_pupils", "municipal_pupils"),
            suppress_within=("school_year", "level", "topic", "subject", "threshold"),
            ratios={"share_pct": ("pupils",), "rate_pct": ("pupils",)},
            parts=OUTCOME_PARTS,
        ),
        # PMP risks: a share or rate whose count is hidden is hidden with it (ratios=)
        Metric(
            id="risk_group_share",
            unit="pct",
            grain="period",
            direction="neutral",
            sql="risk_groups.sql",
            column="share_pct",
            aggregate="ratio",
            counts=("pupils", "identified", "enrolled"),
            suppress_within=("period",),
            ratios={
                "share_pct": ("pupils",),
                "per_100": ("pupils", "enrolled"),
                "identified_per_100": ("identified", "enrolled"),
            },
            parts=(("focus_schools", {"period": "school_year"}),),
        ),
        Metric(
            id="risk_sub_share",
            unit="pct",
            grain="period",
            direction="neutral",
            sql="risk_sub_risks.sql",
            column="share_pct",
            aggregate="ratio",
            counts=("pupils",),
            suppress_within=("period", "risk_group"),
            parts=(("focus_schools", {"period": "school_year"}),),
        ),
        Metric(
            id="focus_schools",
            unit="pct",
            grain="school_year",
            direction="lower_is_better",
            sql="risk_focus_schools.sql",
            column="per_100",
            aggregate="ratio",
            counts=("identified", "enrolled"),
            suppress_within=("school_year",),
            ratios={"per_100": ("identified", "enrolled")},
            per_school="school_id",
        ),
        Metric(
            id="pumpurs_semesters",
            unit="plans",
            grain="period",
            direction="neutral",
            sql="pumpurs_semesters.sql",
            column="iap_count",
            aggregate="sum",
            defaults={"merged": False},
            counts=("iap_count", "participants"),
            parts=(("pumpurs_school_semesters", {"period": "period", "semester": "semester"}),),
        ),
        Metric(
            id="pumpurs_school_semesters",
            unit="plans",
            grain="period",
            direction="neutral",
            sql="pumpurs_school_semesters.sql",
            column="iap_count",
            aggregate="sum",
            defaults={"grain": "semester", "merged": False, "municipal": True},
            counts=("iap_count", "participants"),
            suppress_within=("period", "semester"),
            per_school="school_id",
        ),
        Metric(
            id="pumpurs_school_totals",
            unit="plans",
            grain="period",
            direction="neutral",
            sql="pumpurs_school_semesters.sql",
            column="iap_count",
            aggregate="sum",
            defaults={"grain": "total", "merged": False, "municipal": True},
            counts=("iap_count", "participants"),
            suppress_within=("period", "semester"),
            per_school="school_id",
        ),
        Metric(
            id="pumpurs_total",
            unit="plans",
            grain="period",
            direction="neutral",
            sql="pumpurs_school_semesters.sql",
            column="iap_count",
            aggregate="sum",
            defaults={"grain": "all", "merged": False, "municipal": True},
            counts=("iap_count", "participants"),
            parts=(("pumpurs_school_totals", {}),),
        ),
        Metric(
            id="compare_municipalities",
            unit="pupils",
            grain="school_year",
            direction="neutral",
            sql="compare_municipalities.sql",
            column="iap_per_100",
            aggregate="ratio",
            defaults={"municipalities": []},
            counts=("pupils", "iap_count", "participants"),
            ratios={"iap_per_100": ("iap_count", "pupils"), "participants_per_100": ("participants", "pupils")},
        ),
        Metric(
            id="national_reference",
            unit="plans",
            grain="school_year",
            direction="neutral",
            sql="national_reference.sql",
            column="value",
            aggregate="sum",
            defaults={"measure": "pumpurs_iap_count"},
        ),
        Metric(
            id="pumpurs_stated",
            unit="plans",
            grain="period",
            direction="neutral",
            sql="pumpurs_stated.sql",
            column="count_value",
            aggregate="sum",
            counts=("count_value",),
        ),
        Metric(
            id="pumpurs_support_mix",
            unit="pct",
            grain="period",
            direction="neutral",
            sql="pumpurs_support_mix.sql",
            column="share_pct",
            aggregate="ratio",
        ),
        Metric(
            id="pumpurs_plans_per_risk",
            unit="pct",
            grain="year",
            direction="neutral",
            sql="pumpurs_risk_link.sql",
            column="plans_per_100",
            aggregate="ratio",
            counts=("iap_count", "pupils_at_risk"),
            suppress_within=("school_year",),
            ratios={"plans_per_100": ("iap_count", "pupils_at_risk")},
            parts=(
                ("focus_schools", {"school_year": "school_year"}),
                ("pumpurs_school_semesters", {"school_year": "period"}),
            ),
        ),
        # Action plan: the yearly activity reports; participant counts can be pupils at risk
        Metric(
            id="activity_participants",
            unit="pupils",
            grain="year",
            direction="neutral",
            sql="activity_reports.sql",
            column="participants",
            aggregate="sum",
            counts=("participants",),
        ),
    )
}


def check_registry() -> None:
    """Unique ids (by construction), SQL files that exist and name the declared column."""
    for metric in METRICS.values():
        if not (SQL_DIR / metric.sql).exists():
            raise ValueError(f"metric {metric.id}: SQL file {metric.sql} is missing")
        text = sql_text(metric.sql)
        derived = (metric.column,) if metric.derive is None else ()
        for column in (*derived, *metric.counts, *metric.suppress_within):
            if column not in text:
                raise ValueError(f"metric {metric.id}: column {column} not in {metric.sql}")


def compute(con: duckdb.DuckDBPyConnection, metric_id: str, filters: Filters, **params: object) -> pd.DataFrame:
    """The metric's rows for the filters; the value is in column ``metric.column``.

    Count columns come back suppressed (``<col>_hidden`` flags) unless ``filters.suppress`` is
    off, which only an admin's own view can do.
    """
    metric = METRICS[metric_id]
    values = {**metric.defaults, **params}
    frame = _rows(con, metric, filters, values)
    if not metric.counts:
        return frame
    if not filters.suppress:
        return hide_ratios(reveal(frame, metric.counts), {})
    if not filters.schools:
        return _suppressed(metric, frame, filters.threshold)
    if metric.parts:
        return _hide_with_parts(con, metric, _suppressed(metric, frame, filters.threshold), filters, values)
    if metric.per_school is None:
        return _suppressed(metric, frame, filters.threshold)
    # the chosen schools' rows, with suppression decided among all the municipality's schools
    everyone = _suppressed(
        metric, _rows(con, metric, filters.model_copy(update={"schools": ()}), values), filters.threshold
    )
    chosen = everyone[metric.per_school].isin(set(frame[metric.per_school]))
    return everyone[chosen].reset_index(drop=True)


def _rows(con: duckdb.DuckDBPyConnection, metric: Metric, filters: Filters, values: dict) -> pd.DataFrame:
    frame = run_sql(con, metric.sql, {**filters.params(), **values})
    return frame if metric.derive is None else metric.derive(frame, values)


def _suppressed(metric: Metric, frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    return hide_ratios(suppress(frame, metric.counts, metric.suppress_within, threshold), metric.ratios)


def _hide_with_parts(
    con: duckdb.DuckDBPyConnection, metric: Metric, frame: pd.DataFrame, filters: Filters, values: dict
) -> pd.DataFrame:
    """A total over the chosen schools, hidden in the rows where one of its parts (the chosen
    schools' cells, suppressed as in the municipal view) is hidden."""
    hit = pd.Series(False, index=frame.index)
    for part_id, keys in metric.parts:
        part_metric = METRICS[part_id]
        shared = {k: v for k, v in values.items() if k in part_metric.defaults and k != "grain"}
        part = compute(con, part_id, filters, **shared)
        flags = [hidden_column(c) for c in part_metric.counts if hidden_column(c) in part]
        hidden_part = part[part[flags].fillna(False).astype(bool).any(axis=1)] if flags else part.iloc[:0]
        if hidden_part.empty:
            continue
        if not keys:
            hit[:] = True
            continue
        bad = hidden_part[list(keys.values())].drop_duplicates().set_axis(list(keys), axis=1).assign(_hit=True)
        hit |= frame[list(keys)].merge(bad, how="left", on=list(keys))["_hit"].eq(True).to_numpy()
    if not hit.any():
        return frame
    out = frame.copy()
    for column in metric.counts:
        flag = hidden_column(column)
        newly = hit & out[column].notna()  # "no data" stays "no data"
        out[column] = out[column].mask(newly)
        out[flag] = out[flag].fillna(False).astype(bool) | newly
    return hide_ratios(out, metric.ratios)


check_registry()
