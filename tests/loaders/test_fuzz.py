"""Random malformed rows never crash the loader and never write anything."""

from __future__ import annotations

import csv
import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_loaders.build import SAMPLE_DIRS, LoadError, build
from data_loaders.tables import TABLES

CELL = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "NULL", "nav", "-", "1,5", "2022/2023", "2022/2024", "true", "x" * 300]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.sampled_from(sorted(TABLES)),
    row_index=st.integers(min_value=0, max_value=5),
    column_cells=st.dictionaries(st.integers(min_value=0, max_value=20), CELL, min_size=1, max_size=4),
)
def test_mutated_rows_are_refused_cleanly_or_loaded_whole(tmp_path_factory, table, row_index, column_cells):
    work = tmp_path_factory.mktemp("fuzz")
    dirs = []
    for folder in SAMPLE_DIRS:
        target = work / folder.name
        target.mkdir()
        for path in folder.glob("*.csv"):
            (target / path.name).write_bytes(path.read_bytes())
        dirs.append(target)
    db = work / "pmp.duckdb"
    build(db, dirs)
    before = hashlib.sha256(db.read_bytes()).hexdigest()

    path = dirs[0] / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    if len(rows) < 2:
        rows.append(list(rows[0]))  # an empty table gets one row of header text to mutate
    target_row = rows[1 + row_index % (len(rows) - 1)]
    for column, value in column_cells.items():
        target_row[column % len(target_row)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)

    try:
        build(db, dirs)
    except LoadError as err:
        assert err.problems, "a refusal always says why"
        assert all(p.file and p.reason for p in err.problems)
        assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in work.iterdir() if p.is_file() and p.suffix != ".lock") == ["pmp.duckdb"]
