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


METRICS: dict[str, Metric] = {
    m.id: m
    for m in (
        Metric("pupils_total", "pupils", "year", "neutral", "enrolment_by_year.sql", "pupils", "sum"),
        Metric("schools_count", "schools", "year", "neutral", "enrolment_by_year.sql", "schools", "count"),
        Metric("pupils_by_school", "pupils", "school_year", "neutral", "enrolment_by_school.sql", "pupils", "sum"),
        Metric("pumpurs_iap", "plans", "period", "neutral", "pumpurs_by_period.sql", "iap_count", "sum"),
        Metric("pumpurs_participants", "pupils", "period", "neutral", "pumpurs_by_period.sql", "participants", "sum"),
        Metric(
            "schools_below_staff_norm",
            "schools",
            "year",
            "lower_is_better",
            "staffing_norm_by_year.sql",
            "schools_below_norm",
            "count",
            {"norm": 0.3},
        ),
    )
}


def check_registry() -> None:
    """Unique ids (by construction), SQL files that exist and name the declared column."""
    for metric in METRICS.values():
        path = SQL_DIR / metric.sql
        if not path.exists():
            raise ValueError(f"metric {metric.id}: SQL file {metric.sql} is missing")
        if metric.column not in path.read_text(encoding="utf-8"):
            raise ValueError(f"metric {metric.id}: column {metric.column} not in {metric.sql}")


def compute(con: duckdb.DuckDBPyConnection, metric_id: str, filters: Filters, **params: object) -> pd.DataFrame:
    """The metric's rows for the filters; the value is in column ``metric.column``."""
    metric = METRICS[metric_id]
    return run_sql(con, metric.sql, {**filters.params(), **metric.defaults, **params})


check_registry()
