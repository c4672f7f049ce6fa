"""Run the parameterised SQL files in ``metrics/sql``. No streamlit here: pure data in, frames out."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from metrics import provenance

SQL_DIR = Path(__file__).with_name("sql")
_PARAM = re.compile(r"\$([a-z_]+)")
_INCLUDE = re.compile(r"^-- include: (\S+\.sql)$", re.MULTILINE)
# The filter predicate ("an empty choice means all") as DuckDB macros, defined on every cursor
# that runs a metric's SQL: ``chosen($schools::VARCHAR[], e.school_id)``.
MACROS = "_macros.sql"


@cache
def sql_text(name: str) -> str:
    """The SQL of one file, with each ``-- include: other.sql`` line replaced by that file's SQL, so
    CTEs that several metrics share are written once (e.g. ``outcome_cells.sql``)."""
    text = (SQL_DIR / name).read_text(encoding="utf-8")
    return _INCLUDE.sub(lambda match: sql_text(match.group(1)).rstrip("\n"), text)


def run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object]) -> pd.DataFrame:
    """Execute one SQL file on a fresh cursor, binding only the parameters it names. Provenance
    columns come back as lists of str (``metrics.provenance``)."""
    text = sql_text(name)
    wanted = set(_PARAM.findall(text))
    missing = wanted - params.keys()
    if missing:
        raise KeyError(f"{name} needs parameter(s) {sorted(missing)}")
    cursor = con.cursor()
    try:
        cursor.execute(sql_text(MACROS))
        return provenance.normalise(cursor.execute(text, {k: v for k, v in params.items() if k in wanted}).df())
    finally:
        cursor.close()
