"""Outcome metrics on a tiny hand-made database (ratio rule, NULL is not 0, municipal figures never
added to schools, printed shares kept apart, suppression) and on the real sample data."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from metrics import outcomes
from metrics.filters import Filters
from metrics.registry import compute
from tests import factories
from tests.conftest import ROOT

SRC = "test"
YEAR = "2022/2023"
OPEN = {"municipality": "AAA", "suppress": False}  # the admin's own view: nothing hidden


def _mun(code="AAA"):
    return factories.municipality(code)


def _school(sid, municipality="AAA"):
    return factories.school(sid, municipality, school_type="secondary")


def _enrol(sid, pupils, band="total", year=YEAR):
    return factories.enrolment(sid, year, pupils, band, classes=None)


def _out(scope, indicator, value, unit="pupils", level="all", year=YEAR, subject="", threshold="", municipality="AAA"):
    return {
        "municipality": municipality,
        "scope": scope,
        "school_year": year,
        "start_year": int(year[:4]),
        "level": level,
        "indicator": indicator,
        "subject": subject,
        "threshold": threshold,
        "value": value,
        "unit": unit,
        "source": f"outcome {scope}",
    }


def _db(tiny_db, enrolment, outcome):
    return tiny_db(
        {
            "municipality": [_mun(), _mun("BBB")],
            "school": [_school(s) for s in ("a", "b", "c", "d")] + [_school("z", "BBB")],
            "enrolment": enrolment,
            "outcome": outcome,
        }
    )


def _row(frame, **where):
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    rows = frame[mask]
    assert len(rows) == 1, (where, rows)
    return rows.iloc[0]


@pytest.fixture
def con(tiny_db):
    return _db(
        tiny_db,
        enrolment=[
            _enrol("a", 100),
            _enrol("b", 300),
            _enrol("c", 1000),  # pupils but no outcome row: not in the rate, and not a zero
            _enrol("a", 20, band="9"),
            _enrol("b", 30, band="9"),
            _enrol("a", 10, band="10"),
            _enrol("a", 10, band="11"),
            _enrol("a", 5, band="12"),
            _enrol("z", 5000),  # another municipality
        ],
        outcome=[
            # dropouts: a 5/100 = 5 %, b 30/300 = 10 %; mean of rates 7.5 %, sum/sum 35/400 = 8.75 %
            _out("a", "dropped_out", 5),
            _out("b", "dropped_out", 30),
            _out("d", "dropped_out", 7),  # a count without enrolment: in the sum, not in the rate
            _out("z", "dropped_out", 99, municipality="BBB"),
            # special needs: schools 20 + 30, and the municipal total printed as 50 (never added)
            _out("a", "special_needs", 20),
            _out("b", "special_needs", 30),
            _out("AAA", "special_needs", 50),
            # grade 9: base is grade 9 pupils (20 + 30), not all pupils
            _out("a", "grade9_without_certificate", 2, level="basic"),
            _out("b", "grade9_without_certificate", 8, level="basic"),
            # expelled at secondary: base is grades 10-12 (25)
            _out("a", "expelled", 5, level="secondary"),
            # a municipal count with a printed share that cannot be count / pupils (3 / 1400 = 0.21 %)
            _out("AAA", "insufficient_yearly_mark", 3),
            _out("AAA", "insufficient_yearly_mark_pct", 0.0011, unit="pct"),
            # a printed share in a year without enrolment, and its count
            _out("AAA", "repeaters", 60, year="2020/2021"),
            _out("AAA", "repeaters_pct", 1.4, unit="pct", year="2020/2021"),
            # hours per pupil: a 10 h x 100 pupils, b 2 h x 300 → 1600 / 400 = 4 h (not the mean 6 h)
            _out("a", "unexcused_hours_per_pupil", 10, unit="hours_per_pupil"),
            _out("b", "unexcused_hours_per_pupil", 2, unit="hours_per_pupil"),
            _out("b", "max_unexcused_hours_one_pupil", 300, unit="hours"),
            # low exam results under two thresholds in two years
            _out(
                "a", "low_exam_result", 6, level="secondary", subject="mathematics", threshold="<5%", year="2021/2022"
            ),
            _out("a", "low_exam_result", 7, level="secondary", subject="mathematics", threshold="<10%"),
        ],
    )


def test_rate_is_sum_over_sum_never_a_mean_of_school_rates(con):
    row = _row(compute(con, "dropout_rate", Filters(**OPEN)), school_year=YEAR)
    assert row["rate_pct"] == pytest.approx(100 * 35 / 400)  # 8.75, not (5 + 10) / 2 = 7.5
    assert row["share_pct"] == pytest.approx(8.75) and row["share_basis"] == "computed"
    assert row["enrolled"] == 400 and row["rate_schools"] == 2


def test_missing_rows_are_not_zero(con):
    row = _row(compute(con, "dropout_rate", Filters(**OPEN)), school_year=YEAR)
    assert row["pupils"] == 42  # 5 + 30 + 7 (school d has a count but no enrolment): counted, not in the rate
    assert row["schools_reporting"] == 3 and row["schools_enrolled"] == 3  # c has pupils but no row
    assert outcomes.is_partial(row["basis"], row["schools_reporting"], 4)
    # school c has pupils but reported nothing: it has no row at all, never a 0
    by_school = compute(con, "outcomes_by_school", Filters(**OPEN))
    assert "c" not in set(by_school["scope"])
    # a year without any dropout row has no row (not a zero rate)
    assert set(compute(con, "dropout_rate", Filters(**OPEN))["school_year"]) == {YEAR}
    # school d's dropout has no base: its rate is NULL, not 0
    assert pd.isna(_row(by_school, scope="d", topic="dropped_out")["rate_pct"])


def test_a_municipal_total_is_never_added_to_the_schools(con):
    row = _row(compute(con, "outcomes_by_year", Filters(**OPEN)), topic="special_needs")
    assert row["pupils"] == 50 and row["basis"] == "municipality"  # not 100
    assert row["school_pupils"] == 50 and row["municipal_pupils"] == 50
    assert row["enrolled"] == 1400  # all municipal schools of AAA, never BBB's 5000
    caveats = dict(
        outcomes.caveats(outcomes.hide_derived(compute(con, "outcomes_by_year", Filters(**OPEN))), "special_needs")
    )
    assert caveats["check_agrees"] == YEAR


def test_choosing_schools_drops_municipal_figures(con):
    frame = compute(con, "outcomes_by_year", Filters(municipality="AAA", schools=("a",), suppress=False))
    row = _row(frame, topic="special_needs")
    assert row["pupils"] == 20 and row["basis"] == "schools" and pd.isna(row["municipal_pupils"])
    assert "insufficient_yearly_mark" not in set(frame["topic"])  # only a municipal figure exists
    assert not compute(con, "outcomes_by_school", Filters(municipality="AAA", schools=("a",)))[
        "is_municipal_figure"
    ].any()


def test_rates_use_the_grades_they_are_about(con):
    frame = compute(con, "outcomes_by_year", Filters(**OPEN))
    assert _row(frame, topic="grade9_without_certificate")["rate_pct"] == pytest.approx(100 * 10 / 50)
    assert _row(frame, topic="expelled")["rate_pct"] == pytest.approx(100 * 5 / 25)


def test_printed_share_is_kept_apart_and_used_only_without_a_rate(con):
    frame = outcomes.hide_derived(compute(con, "outcomes_by_year", Filters(**OPEN)))
    repeaters = _row(frame, topic="repeaters")
    assert pd.isna(repeaters["rate_pct"]) and repeaters["printed_pct"] == pytest.approx(1.4)
    assert repeaters["share_basis"] == "printed" and repeaters["pupils"] == 60
    marks = _row(frame, topic="insufficient_yearly_mark")
    assert marks["rate_pct"] == pytest.approx(100 * 3 / 1400) and marks["printed_pct"] == pytest.approx(0.0011)
    assert marks["share_basis"] == "computed" and marks["mismatch"]
    caveats = dict(outcomes.caveats(frame, "insufficient_yearly_mark"))
    assert caveats["mismatch"] == YEAR
    assert dict(outcomes.caveats(frame, "repeaters"))["printed_share"] == "2020/2021"


def test_hours_per_pupil_are_total_hours_over_total_pupils(con):
    row = _row(compute(con, "outcomes_by_year", Filters(**OPEN)), topic="unexcused_hours_per_pupil")
    assert row["hours_per_pupil"] == pytest.approx(1600 / 400)  # not (10 + 2) / 2
    assert row["max_hours_one_pupil"] == 300 and pd.isna(row["pupils"])


def test_exam_thresholds_are_separate_series_and_flagged(con):
    frame = outcomes.hide_derived(compute(con, "outcomes_by_year", Filters(**OPEN)))
    exams = frame[frame["topic"] == "low_exam_result"]
    assert sorted(exams["threshold"]) == ["<10%", "<5%"]
    assert dict(outcomes.caveats(frame, "low_exam_result"))["threshold_change"] == f"2021/2022, {YEAR}"
    assert dict(outcomes.caveats(frame, "expelled"))["expelled_basis"] == YEAR


def test_year_filter_and_other_municipality(con):
    frame = compute(con, "outcomes_by_year", Filters(municipality="AAA", years=("2020/2021",), suppress=False))
    assert set(frame["topic"]) == {"repeaters"}
    assert compute(con, "dropout_rate", Filters(municipality="BBB"))["pupils"].tolist() == [99]
    assert compute(con, "dropout_rate", Filters(municipality="AAA", years=("2019/2020",))).empty


def test_small_counts_are_hidden_and_so_are_the_rates_made_from_them(tiny_db):
    con = _db(
        tiny_db,
        enrolment=[_enrol("a", 100), _enrol("b", 300), _enrol("c", 200)],
        outcome=[_out("a", "dropped_out", 2), _out("b", "dropped_out", 30), _out("c", "dropped_out", 0)],
    )
    by_school = outcomes.hide_derived(compute(con, "outcomes_by_school", Filters(municipality="AAA")))
    a, b, c = (_row(by_school, scope=s) for s in "abc")
    assert a["pupils_hidden"] and pd.isna(a["pupils"]) and pd.isna(a["rate_pct"]) and a["rate_hidden"]
    # the year's total (32) is shown, so a lone hidden 2 takes another cell with it: not the 0 (the 2 would
    # lie between 0 and 2) but the 30, so the 2 lies anywhere between 0 and 32
    assert b["pupils_hidden"] and pd.isna(b["rate_pct"]) and b["rate_hidden"]
    assert not c["pupils_hidden"] and c["rate_pct"] == 0
    year = _row(outcomes.hide_derived(compute(con, "dropout_rate", Filters(municipality="AAA"))), school_year=YEAR)
    assert year["pupils"] == 32 and year["share_pct"] == pytest.approx(100 * 32 / 600)


def test_a_hidden_count_hides_its_rate_and_its_printed_share():
    frame = pd.DataFrame(
        {
            "topic": ["dropped_out", "pupils_with_unexcused_absences"],
            "pupils": [pd.NA, pd.NA],
            "pupils_hidden": [True, True],
            "rate_pct": [0.2, 0.5],
            "printed_pct": [0.1, None],
            "share_pct": [0.2, 0.5],
            "share_basis": ["computed", "computed"],
            "hours_per_pupil": [None, 106.0],
        }
    )
    out = outcomes.hide_derived(frame)
    assert out["rate_pct"].isna().all() and out["rate_hidden"].all()
    # the printed share beside it would give it back with the pupils it is over (0.1 % of ~4 600 is 3-6)
    assert out["printed_pct"].isna().all() and pd.isna(out["share_pct"].iloc[0]) and pd.isna(out["share_basis"].iloc[0])
    assert pd.isna(out["share_pct"].iloc[1]) and pd.isna(out["share_basis"].iloc[1])
    assert pd.isna(out["hours_per_pupil"].iloc[1])  # one pupil's hours are not shown either


def test_small_helpers():
    assert outcomes.printed_decimals(7.69) == 2 and outcomes.printed_decimals(0.0011) == 4
    assert outcomes.printed_decimals(10) == 0
    assert outcomes.rate_decimals(0.36) == 2 and outcomes.rate_decimals(12.2) == 1 and outcomes.rate_decimals(0) == 0
    assert outcomes.pct_decimals(0.0011, printed=True) == 4 and outcomes.pct_decimals(0.0011, printed=False) == 2
    assert outcomes.is_mismatch(0.16, 0.0011) and not outcomes.is_mismatch(0.93, 0.9)
    assert not outcomes.is_mismatch(None, 0.9)
    assert outcomes.breakdown("low_exam_result", "basic", "mathematics", "<10%") == [
        ("level", "basic"),
        ("subject", "mathematics"),
        ("threshold", "10"),
    ]
    assert outcomes.breakdown("grade9_without_certificate", "basic", "", "") == []
    no_breakdown = pd.DataFrame({"series": ["", ""]})
    assert outcomes.table_columns(["pupils"], no_breakdown)[:3] == ["school_year", "pupils_text", "basis_text"]
    assert outcomes.table_columns(["hours"], no_breakdown.assign(series=["", "x"]))[0] == "series"
    assert "enrolled" in outcomes.table_columns(["pupils", "share"], no_breakdown)


def test_trend_lines_break_where_a_value_is_missing():
    frame = pd.DataFrame(
        {
            "level": ["all"] * 3,
            "subject": [""] * 3,
            "threshold": [""] * 3,
            "pupils": [7, None, 6],
            "basis": ["schools", "schools", "schools"],
        }
    )
    assert outcomes.trace_basis(frame, "pupils", "basis").tolist() == ["schools"] * 3
    labels = frame.assign(school_year=["2018/2019", "2019/2020", "2020/2021"], label=["7", "<5", "6"])
    assert outcomes.gaps(labels, "pupils", "–") == [("2019/2020", "<5")]


# --- the real sample data ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(sample_db):
    connection = duckdb.connect(str(sample_db), read_only=True)
    yield connection
    connection.close()


def test_ludza_special_needs_50_and_59_with_the_schools_as_the_check(sample):
    frame = compute(sample, "outcomes_by_year", Filters(municipality="LUD"))
    needs = frame[frame["topic"] == "special_needs"].set_index("school_year")
    assert needs.loc["2022/2023", "pupils"] == 50 and needs.loc["2023/2024", "pupils"] == 59
    assert needs.loc["2022/2023", "school_pupils"] == 50 and needs.loc["2022/2023", "schools_reporting"] == 7
    assert needs.loc["2022/2023", "rate_pct"] == pytest.approx(100 * 50 / 1878)


def test_ludza_expelled_grade12_and_printed_grade9(sample):
    frame = compute(sample, "outcomes_by_year", Filters(municipality="LUD", years=("2022/2023",)))
    assert _row(frame, topic="expelled", level="secondary")["pupils"] == 26  # 25 at Ludzas 2. vidusskola
    assert _row(frame, topic="grade12_without_certificate")["pupils"] == 12
    grade9 = _row(frame, topic="grade9_without_certificate")
    assert grade9["printed_pct"] == pytest.approx(7.69) and grade9["share_basis"] == "printed"
    assert pd.isna(grade9["pupils"])  # only the share is printed: no count is made up


def test_jekabpils_dropouts_40_and_printed_0_9_percent(sample):
    frame = compute(sample, "dropout_rate", Filters(municipality="JEK")).set_index("school_year")
    assert frame.loc["2020/2021", "pupils"] == 40 and frame.loc["2020/2021", "share_pct"] == pytest.approx(0.9)
    assert frame.loc["2019/2020", "pupils"] == 14 and frame.loc["2019/2020", "share_pct"] == pytest.approx(0.3)
    assert (frame["share_basis"] == "printed").all() and frame["rate_pct"].isna().all()  # no enrolment then


def test_demo_dropout_rate_matches_the_csv_files(sample):
    demo = ROOT / "sample_data" / "demo"
    out = pd.read_csv(demo / "outcome.csv").query("indicator == 'dropped_out'")
    enrol = pd.read_csv(demo / "enrolment.csv").query("grade_band == 'total'")
    joined = out.merge(enrol, left_on=["scope", "school_year"], right_on=["school_id", "school_year"])
    expected = joined.groupby("school_year").apply(lambda g: 100 * g["value"].sum() / g["pupils"].sum())
    frame = compute(sample, "dropout_rate", Filters(municipality="DEMO", suppress=False)).set_index("school_year")
    assert frame["rate_pct"].to_dict() == pytest.approx(expected.to_dict())
