"""The app's only door to the database: one read-only connection, cached query results.

Results are cached by (query, filters, parameters, database version); the version is the
database file's identity, so a rebuild or an import is seen on the next rerun. ``PMP_DB`` may
also be a DuckDB connection string for a hosted database (``md:pmp`` on MotherDuck); its
version is re-read every 30 seconds.
"""

from __future__ import annotations

import json
import os
import time

import duckdb
import pandas as pd
import streamlit as st

from data_loaders.build import database_path, ensure_database
from data_loaders.store import connect_read_only, is_remote
from metrics import registry
from metrics.filters import Filters
from metrics.query import run_sql


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


def connection() -> duckdb.DuckDBPyConnection:
    path = db_path()
    return _connection(path, data_version(path))


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(kind: str, name: str, params_json: str, version: str) -> pd.DataFrame:
    params = json.loads(params_json)
    con = connection()
    if kind == "metric":
        filters = Filters(**params.pop("_filters"))
        return registry.compute(con, name, filters, **params)
    return run_sql(con, name, params)


def metric(metric_id: str, filters: Filters, **params: object) -> pd.DataFrame:
    """A metric's rows for the filters (cached)."""
    payload = {"_filters": filters.model_dump(mode="json"), **params}
    path = db_path()
    return _cached("metric", metric_id, json.dumps(payload, sort_keys=True), data_version(path))


def dataset(sql_name: str, **params: object) -> pd.DataFrame:
    """A lookup query (municipalities, schools, years) by SQL file name (cached)."""
    path = db_path()
    return _cached("sql", sql_name, json.dumps(params, sort_keys=True), data_version(path))
