"""Each table refuses a bad row: first the pydantic model (with file, row, column, reason),
then, as a second line of defence, the database's own constraints."""

from __future__ import annotations

import csv

import duckdb
import pytest

from data_loaders.build import SAMPLE_DIRS, LoadError, load_dirs, read_table_csv
from data_loaders.tables import TABLES
from tests.conftest import make_db

# table, column, bad value, words the reason must contain
BAD_CELLS = [
    ("municipality", "code", "lud", "should match pattern"),
    ("municipality", "plan_end", "2020", "plan_start is after plan_end"),
    ("school", "school_type", "university", "Input should be"),
    ("school", "merged_year", "2022", "merged_into and merged_year must be given together"),
    ("enrolment", "pupils", "-1", "greater than or equal to 0"),
    ("enrolment", "pupils", "many", "valid integer"),
    ("enrolment", "grade_band", "13", "Input should be"),
    ("enrolment", "school_year", "2022/2024", "two consecutive years"),
    ("support_staff", "fte", "10.5", "less than or equal to 10"),
    ("support_staff", "role", "janitor", "Input should be"),
    ("pumpurs", "semester", "III", "Input should be"),
    ("pumpurs", "iap_count", "-2", "greater than or equal to 0"),
    ("risk", "share_pct", "101", "less than or equal to 100"),
    ("risk", "risk_group", "weather", "Input should be"),
    ("outcome", "unit", "percent", "Input should be"),
    ("outcome", "value", "-1", "greater than or equal to 0"),
    ("indicator", "prevention_level", "U", "Input should be"),
    ("indicator", "baseline_value", "150", "less than or equal to 100"),
    ("indicator_target", "comparison", "at_least", "Input should be"),
    ("indicator_value", "value", "100.5", "less than or equal to 100"),
    ("activity", "activity_no", "one", "should match pattern"),
    ("activity_year", "active", "maybe", "valid boolean"),
    ("activity_report", "status", "finished", "Input should be"),
    ("stated_total", "topic", "weather", "Input should be"),
    ("pumpurs_support", "share_pct", "120", "less than or equal to 100"),
    ("stated_total", "value", "-5", "greater than or equal to 0"),
    ("stated_total", "unit", "EUR", "only they have the unit EUR"),
    ("school_event", "event", "demolished", "Input should be"),
    ("school_event", "event_date", "2022-13-01", "valid date"),
    ("national_reference", "value", "-1", "greater than or equal to 0"),
    ("national_reference", "period", "2020/2022", "two consecutive years"),
]


def _first_row(table: str) -> dict[str, str]:
    for folder in SAMPLE_DIRS:
        with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                return row
    raise AssertionError(f"no sample row for {table}")


def _write(path, table, row):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=TABLES[table].columns)
        writer.writeheader()
        writer.writerow(row)


def test_every_table_has_a_bad_cell_case():
    assert {case[0] for case in BAD_CELLS} == set(TABLES)


@pytest.mark.parametrize(("table", "column", "value", "reason"), BAD_CELLS)
def test_model_rejects_bad_cell_naming_file_row_and_column(tmp_path, table, column, value, reason):
    path = tmp_path / f"{table}.csv"
    _write(path, table, _first_row(table))
    rows, problems = read_table_csv(path, table)
    assert problems == [] and len(rows) == 1  # the unchanged row is valid

    _write(path, table, {**_first_row(table), column: value})
    rows, problems = read_table_csv(path, table)
    assert rows == []
    assert len(problems) >= 1
    text = str(problems[0])
    assert text.startswith(f"{path}, row 2")
    assert reason in text
    assert problems[0].column == column or problems[0].column is None


PARENTS = ("municipality", "school", "indicator", "activity")


@pytest.mark.parametrize(("table", "column", "value", "reason"), BAD_CELLS)
def test_database_constraint_rejects_the_same_bad_cell(tmp_path, table, column, value, reason):
    """Bypass the models: the schema alone accepts the sample row and refuses the bad one."""
    sample = load_dirs(SAMPLE_DIRS)
    parents = PARENTS[: PARENTS.index(table)] if table in PARENTS else PARENTS
    con = make_db(tmp_path / "tiny.duckdb", {t: sample[t] for t in parents})
    try:
        columns = TABLES[table].columns
        insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        good = TABLES[table].model.model_validate(_first_row(table)).model_dump()
        con.execute(insert, [good[c] for c in columns])
        con.execute(f"DELETE FROM {table}")
        bad = {**good, column: value}
        if table == "school" and column == "merged_year":
            bad["merged_into"] = None
        with pytest.raises((duckdb.ConstraintException, duckdb.ConversionException)):
            con.execute(insert, [bad[c] for c in columns])
    finally:
        con.close()


def test_duplicate_key_and_unknown_school_are_refused(tmp_path, sample_dirs):
    enrolment = sample_dirs[0] / "enrolment.csv"
    lines = enrolment.read_text(encoding="utf-8").splitlines()
    lines.append(lines[1])  # the same school, year and grade band again
    lines.append(lines[2].replace("lud_", "lud_no_such_", 1))
    enrolment.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_dirs(sample_dirs)
    messages = [str(p) for p in err.value.problems]
    n = len(lines)
    assert any(f"row {n - 1}" in m and "duplicate key" in m and "first at row 2" in m for m in messages)
    assert any(f"row {n}" in m and "unknown school 'lud_no_such_" in m for m in messages)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
        (b"school_id,school_year\n", "required column is missing"),
    ],
)
def test_unreadable_files_are_refused(tmp_path, content, reason):
    path = tmp_path / "enrolment.csv"
    path.write_bytes(content)
    rows, problems = read_table_csv(path, "enrolment")
    assert rows == []
    assert reason in str(problems[0])
