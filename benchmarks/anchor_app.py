"""The anchor of the browser benchmark (``benchmarks/browser.py``): a bare Streamlit page that
aggregates 1 000 000 DuckDB rows into one Plotly bar chart and a table on every run.

It is what a page of this dashboard is measured against: a reload of a dashboard page should take
at most 1.5 times as long as a reload of this page, served by the same machine at the same time.
The rows are made once per process (``st.cache_resource``); the aggregation runs on every run,
uncached, as a bare page would do it.
"""

from __future__ import annotations

import duckdb
import plotly.express as px
import streamlit as st

ROWS = 1_000_000


@st.cache_resource
def _database() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        f"""CREATE TABLE facts AS
            SELECT i % 40 AS municipality, i % 700 AS school, (i * 7919) % 1000 AS pupils
            FROM range({ROWS}) t(i)"""
    )
    return con


st.set_page_config(page_title="Anchor", layout="wide")
frame = (
    _database()
    .cursor()
    .execute(
        """SELECT 'M' || lpad(municipality::VARCHAR, 2, '0') AS municipality, count(*) AS rows,
                  count(DISTINCT school) AS schools, sum(pupils) AS pupils
           FROM facts GROUP BY ALL ORDER BY municipality"""
    )
    .df()
)
st.title("Anchor: 1 000 000 DuckDB rows")
st.plotly_chart(px.bar(frame, x="municipality", y="pupils"))
st.dataframe(frame, hide_index=True)
