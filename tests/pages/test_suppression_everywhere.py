"""Small-number suppression on every page: a canary database where every pupil count is 777,
served with the threshold at 1000, so every single count must be hidden. Any 777 that reaches a
rendered element (metric, table cell, text, chart data) is a count that escaped suppression."""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_loaders import accounts
from data_loaders.build import SAMPLE_DIRS, build
from tests.pages.conftest import open_on_demand
from tests.signin import signed_in
from ui.navigation import ENTRY, PAGES, from_entry

CANARY = "777"
COUNT_COLUMNS = {
    "enrolment": lambda row: ["pupils"] if row["pupils"] else [],
    "pumpurs": lambda row: [c for c in ("iap_count", "participants") if row[c]],
    "risk": lambda row: ["pupils"] if row["pupils"] else [],
    "outcome": lambda row: ["value"] if row["unit"] == "pupils" else [],
    "stated_total": lambda row: ["value"] if row["unit"] in ("pupils", "individual support plans") else [],
}
NUMBER = re.compile(r"(?<![\d.,])777(?![\d.,])")


@pytest.fixture(scope="module")
def canary_db(tmp_path_factory):
    work = tmp_path_factory.mktemp("canary")
    dirs = []
    for folder in SAMPLE_DIRS:
        target = work / folder.name
        shutil.copytree(folder, target)
        dirs.append(target)
        for table, columns_of in COUNT_COLUMNS.items():
            path = target / f"{table}.csv"
            with path.open(encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                header, rows = reader.fieldnames, list(reader)
            for row in rows:
                for column in columns_of(row):
                    row[column] = CANARY
            with path.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
    db = build(work / "canary.duckdb", dirs)
    accounts.add(db, "canary", "admin")  # the Data page too (signed in below)
    return db


@pytest.fixture
def canary_env(canary_db, monkeypatch):
    monkeypatch.setenv("PMP_DB", str(canary_db))
    monkeypatch.setenv("PMP_SUPPRESSION_THRESHOLD", "1000")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _leaks(at: AppTest) -> list[str]:
    found = []
    for metric in at.metric:
        if NUMBER.search(str(metric.value)):
            found.append(f"metric {metric.label!r} = {metric.value!r}")
    for frame in [*at.dataframe, *at.table]:
        df = frame.value
        for column in df.columns:
            for value in df[column].tolist():
                if NUMBER.search(str(value)):
                    found.append(f"table column {column!r} shows {value!r}")
    for kind in ("markdown", "caption", "info", "warning", "success", "error", "text", "title", "subheader"):
        for element in getattr(at, kind):
            if NUMBER.search(str(element.value)):
                found.append(f"{kind}: {str(element.value)[:120]!r}")
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for trace in spec.get("data", []):
            for key in ("x", "y", "z", "text", "values", "customdata"):
                if NUMBER.search(json.dumps(trace.get(key, ""))):
                    found.append(f"chart trace {trace.get('name')!r} field {key}")
    return found


@pytest.mark.parametrize("municipality", ["LUD", "JEK", "DEMO"])
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_no_pupil_count_below_the_threshold_reaches_any_element(canary_env, spec, municipality):
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.query_params["m"] = municipality
    signed_in(at, "canary")  # the Data page too; suppression stays on by default
    at.run()
    if spec.file != PAGES[0].file:
        at.switch_page(from_entry(spec.file))
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _leaks(at) == []
    open_on_demand(at)  # what a reader draws on demand too
    assert _leaks(at) == []
