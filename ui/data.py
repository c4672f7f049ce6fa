"""The app's only door to the database: one read-only connection, cached query results.

Results are cached by (query, filters, parameters, database version); the version is the
database file's identity, so a rebuild or an import is seen on the next rerun. Each run pins one
version (``pin_snapshot``), so a page never mixes figures from before and after an import. ``PMP_DB`` may
also be a DuckDB connection string for a hosted database (``md:pmp`` on MotherDuck); its
version is re-read every 30 seconds.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from functools import cache
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from data_loaders.build import database_path, ensure_database
from data_loaders.store import connect_read_only, is_remote
from metrics import registry, targets
from metrics.filters import Filters
from metrics.query import run_sql, sql_text
from presentation.format import is_missing


@st.cache_resource(show_spinner=False)
def _ensure(path: str) -> str:
    if not is_remote(path):
        ensure_database(path)
    return path


def db_path() -> str:
    return _ensure(database_path())


def data_version(path: str) -> str:
    if is_remote(path):
        return f"remote-{int(time.time() // REMOTE_REFRESH_SECONDS)}"
    stat = os.stat(path)
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"


REMOTE_REFRESH_SECONDS = 30


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, version: str) -> duckdb.DuckDBPyConnection:
    return connect_read_only(path)


def _snapshot() -> tuple[str, duckdb.DuckDBPyConnection]:
    """The current database version and a connection that reads exactly that version."""
    path = db_path()
    while True:
        version = data_version(path)
        con = _connection(path, version)
        if data_version(path) == version:
            return version, con
        _connection.clear(path, version)  # replaced while it was opened: it may read either file


SNAPSHOT = "_db_snapshot"


def pin_snapshot() -> None:
    """Called by the entry point at the start of every run: every figure of one run comes from
    one version of the database, even when an import replaces the file in the middle of the run
    (the pinned connection keeps reading the old file until the next run)."""
    st.session_state[SNAPSHOT] = _snapshot()


def _pinned() -> tuple[str, duckdb.DuckDBPyConnection]:
    return st.session_state.get(SNAPSHOT) or _snapshot()


def connection() -> duckdb.DuckDBPyConnection:
    return _pinned()[1]


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(kind: str, name: str, params_json: str, version: str, _con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    params = json.loads(params_json)
    if kind == "metric":
        filters = Filters(**params.pop("_filters"))
        return registry.compute(_con, name, filters, **params)
    return run_sql(_con, name, params)


@cache
def _binds(sql_name: str) -> frozenset[str]:
    return frozenset(re.findall(r"\$([a-z_]+)", sql_text(sql_name)))


def _as_read(metric_id: str, filters: Filters) -> Filters:
    """The filters as the metric reads them. What its SQL does not bind (the language, always) is
    left at its default, so views that differ only there share one cached result: switching the
    language recomputes nothing."""
    binds = _binds(registry.METRICS[metric_id].sql)
    update: dict[str, object] = {"lang": Filters.model_fields["lang"].default}
    if not binds & {"years", "start_years"}:
        update["years"] = ()
    if "schools" not in binds:
        update["schools"] = ()
    return filters.model_copy(update=update)


def metric(metric_id: str, filters: Filters, **params: object) -> pd.DataFrame:
    """A metric's rows for the filters (cached by metric, the filters it reads, parameters and database version)."""
    payload = {"_filters": _as_read(metric_id, filters).model_dump(mode="json"), **params}
    version, con = _pinned()
    return _cached("metric", metric_id, json.dumps(payload, sort_keys=True), version, con)


def dataset(sql_name: str, **params: object) -> pd.DataFrame:
    """A lookup query (municipalities, schools, years) by SQL file name (cached)."""
    version, con = _pinned()
    return _cached("sql", sql_name, json.dumps(params, sort_keys=True), version, con)


def function_key(fn: Callable[..., Any]) -> str:
    """A function as a cache key part: its module and name, and its file (a page script runs as
    ``__main__``, so two pages' functions of one name differ only there)."""
    code = getattr(fn, "__code__", None)
    return f"{fn.__module__}.{fn.__qualname__}" + (f"@{code.co_filename}" if code else "")


@st.cache_data(max_entries=256, show_spinner=False)
def _derived(name: str, args_json: str, version: str, _fn: Callable[..., Any]) -> Any:
    return _fn(*json.loads(args_json))


def derived(fn: Callable[..., Any], *args: object) -> Any:
    """``fn(*args)`` computed once per database version and arguments (plain JSON values: a
    municipality, years, a language), for every session: a page's own derivation of cached query
    results that costs more than drawing it (the Targets assessment behind the Overview's headline:
    a sixth of its run). ``fn`` reads the database only through ``dataset`` and ``metric``, and
    depends on nothing but its arguments (the language passed, not read from the session)."""
    version, _ = _pinned()
    return _derived(function_key(fn), json.dumps(args), version, fn)


def _assessment(municipality: str, chosen_years: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, list[int]] | None:
    place = dataset("municipalities.sql").set_index("code").loc[municipality]
    if is_missing(place["target_year_1"]) or is_missing(place["target_year_2"]):
        return None
    values = dataset("target_indicator_values.sql", municipality=municipality, years=list(chosen_years))
    assessed = targets.assess_indicators(
        dataset("target_indicators.sql", municipality=municipality),
        dataset("target_indicator_targets.sql", municipality=municipality),
        values,
    )
    return assessed, values, [int(place["target_year_1"]), int(place["target_year_2"])]


def assessment(municipality: str, chosen_years: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, list[int]] | None:
    """The municipality's indicators assessed against its targets (``metrics.targets``), their values
    in the chosen years (all when none) and the two target years; None without a programme. As the
    Targets page and the Overview's headline show it, computed once per database version."""
    return derived(_assessment, municipality, list(chosen_years))
