"""Every metric declared once: what it means, its unit and grain, and which SQL computes it.

Labels and descriptions live in the locale files under ``metrics.<id>`` so every visible
string is translated in one place; a test checks each metric has them in Latvian and English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import duckdb
import pandas as pd

from metrics.filters import Filters
from metrics.privacy import reveal, suppress
from metrics.query import SQL_DIR, run_sql

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
        ),
        Metric(
            id="schools_below_staff_norm",
            unit="schools",
            grain="year",
            direction="lower_is_better",
            sql="staffing_norm_by_year.sql",
            column="schools_below_norm",
            aggregate="count",
            defaults={"norm": 0.3},
        ),
    )
}


def check_registry() -> None:
    """Unique ids (by construction), SQL files that exist and name the declared column."""
    for metric in METRICS.values():
        path = SQL_DIR / metric.sql
        if not path.exists():
            raise ValueError(f"metric {metric.id}: SQL file {metric.sql} is missing")
        text = path.read_text(encoding="utf-8")
        for column in (metric.column, *metric.counts, *metric.suppress_within):
            if column not in text:
                raise ValueError(f"metric {metric.id}: column {column} not in {metric.sql}")


def compute(con: duckdb.DuckDBPyConnection, metric_id: str, filters: Filters, **params: object) -> pd.DataFrame:
    """The metric's rows for the filters; the value is in column ``metric.column``.

    Count columns come back suppressed (``<col>_hidden`` flags) unless ``filters.suppress`` is
    off, which only an admin's own view can do.
    """
    metric = METRICS[metric_id]
    frame = run_sql(con, metric.sql, {**filters.params(), **metric.defaults, **params})
    if not metric.counts:
        return frame
    if filters.suppress:
        return suppress(frame, metric.counts, metric.suppress_within, filters.threshold)
    return reveal(frame, metric.counts)


check_registry()
