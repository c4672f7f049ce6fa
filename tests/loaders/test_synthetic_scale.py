"""The national-scale synthetic data (``python -m devtools.synthetic --scale N``): it builds
together with the sample data, its totals are plausible, it is seeded, and it leaves the demo alone."""

from __future__ import annotations

import duckdb
import pytest

from data_loaders.build import SAMPLE_DIRS, build
from devtools import synthetic


@pytest.fixture(scope="module")
def scale3(tmp_path_factory):
    work = tmp_path_factory.mktemp("scale3")
    counts = synthetic.write_national(3, work / "national")
    db = build(work / "pmp.duckdb", [*SAMPLE_DIRS, work / "national"])
    con = duckdb.connect(str(db), read_only=True)
    yield counts, con
    con.close()


def one(con, sql: str, params: list | None = None):
    return con.execute(sql, params or []).fetchall()[0]


def test_scale_3_adds_about_fourteen_schools_in_clearly_synthetic_municipalities(scale3):
    counts, con = scale3
    assert counts["school"] == 2 * synthetic.SCHOOLS_PER_SCALE
    extra = con.execute(
        "SELECT code, name_lv, name_en, is_synthetic FROM municipality WHERE code LIKE 'SY%'"
    ).fetchall()
    assert 1 <= len(extra) <= 5
    for code, name_lv, name_en, is_synthetic in extra:
        assert is_synthetic and "sintētiski" in name_lv and "synthetic" in name_en, code
    names = [r[0] for r in con.execute("SELECT name FROM school WHERE municipality LIKE 'SY%'").fetchall()]
    assert all(name.startswith("Sintētiskā") and " S0" in name for name in names)


def test_twelve_school_years_in_every_fact_table(scale3):
    _counts, con = scale3
    years = [f"{y}/{y + 1}" for y in range(2013, 2025)]
    for table, column, where in (
        ("enrolment", "school_year", "school_id LIKE 'sy%'"),
        ("support_staff", "school_year", "school_id LIKE 'sy%'"),
        ("pumpurs", "period", "school_id LIKE 'sy%'"),
        ("risk", "period", "municipality LIKE 'SY%'"),
        ("outcome", "school_year", "municipality LIKE 'SY%'"),
    ):
        found = [
            r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {where} ORDER BY 1").fetchall()
        ]
        assert found == years, table
    for table in ("indicator", "indicator_target", "indicator_value", "activity", "activity_report", "pumpurs_support"):
        assert one(con, f"SELECT count(DISTINCT municipality) FROM {table} WHERE municipality LIKE 'SY%'")[0] == len(
            con.execute("SELECT code FROM municipality WHERE code LIKE 'SY%'").fetchall()
        ), table


def test_totals_are_plausible(scale3):
    _counts, con = scale3
    # a school's total is the sum of its grade bands, and schools have tens to a couple of thousand pupils
    mismatched = one(
        con,
        "SELECT count(*) FROM (SELECT school_id, school_year,"
        " sum(pupils) FILTER (WHERE grade_band <> 'total') AS bands, max(pupils) FILTER (WHERE grade_band = 'total')"
        " AS total FROM enrolment WHERE school_id LIKE 'sy%' GROUP BY ALL) WHERE bands <> total",
    )[0]
    assert mismatched == 0
    low, high, median = one(
        con,
        "SELECT min(pupils), max(pupils), median(pupils) FROM enrolment"
        " WHERE school_id LIKE 'sy%' AND grade_band = 'total'",
    )
    assert low >= 10 and high <= 2500 and 60 <= median <= 600, (low, high, median)
    # pupils at risk, plans and dropouts are small shares of the pupils, as in the real programmes
    pupils = one(con, "SELECT sum(pupils) FROM enrolment WHERE school_id LIKE 'sy%' AND grade_band = 'total'")[0]
    at_risk = one(con, "SELECT sum(pupils) FROM risk WHERE municipality LIKE 'SY%' AND sub_risk = ''")[0]
    plans = one(con, "SELECT sum(iap_count) FROM pumpurs WHERE school_id LIKE 'sy%' AND semester = 'I'")[0]
    dropped = one(con, "SELECT sum(value) FROM outcome WHERE municipality LIKE 'SY%' AND indicator = 'dropped_out'")[0]
    assert 0.02 < at_risk / pupils < 0.25
    assert 0.01 < plans / pupils < 0.2
    assert 0 < dropped / pupils < 0.02
    fte_max, zero_share = one(
        con, "SELECT max(fte), avg((fte = 0)::INTEGER) FROM support_staff WHERE school_id LIKE 'sy%'"
    )
    assert fte_max <= 3 and 0.05 < zero_share < 0.5


def test_seeded_and_nested():
    first = list(synthetic.generate_national(3))
    assert first == list(synthetic.generate_national(3))
    assert list(synthetic.generate_national(3, seed=7)) != first
    bigger = list(synthetic.generate_national(5))
    assert bigger[: len(first) - 1] == first[:-1]  # a bigger scale adds municipalities; the first ones stay
    assert list(synthetic.generate_national(1)) == []


def test_command_line_refuses_to_write_over_the_demo(capsys):
    with pytest.raises(SystemExit):
        synthetic.main(["--scale", "3"])
    assert "--out" in capsys.readouterr().err
