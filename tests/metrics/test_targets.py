"""The status rule for the programme's result indicators (metrics/targets.py), its SQL on a tiny
database, and the real indicators of Ludza, Jēkabpils and the demo municipality."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from metrics.query import run_sql
from metrics.targets import (
    Measurement,
    Target,
    assess,
    assess_indicators,
    base_name,
    chart_points,
    computed_series,
    period_year,
    reason,
    side_by_side,
)

# Ludza indicator 3 (interest education): 67 % in 2023 → 75 % in 2025 → 85 % in 2027
LUD3 = {"trend": "increase", "baseline": 67.0, "baseline_year": 2023, "targets": [Target(2025, 75), Target(2027, 85)]}
# Jēkabpils indicator 8 (dropouts not continuing): 0.9 % in 2020/21 → 0.3 % in 2026 → 0 % in 2028
JEK8 = {"trend": "decrease", "baseline": 0.9, "baseline_year": 2021, "targets": [Target(2026, 0.3), Target(2028, 0)]}
# an "at most" target on a falling indicator (the demo's dropout share)
AT_MOST = {
    "trend": "decrease",
    "baseline": 0.6,
    "baseline_year": 2023,
    "targets": [Target(2025, 0.3, "at_most"), Target(2027, 0.1, "at_most")],
}
# Ludza 8, secondary: 0.02 % in 2022, "<0,05%" in 2025 and 2027 (a ceiling above the baseline)
CEILING = {
    "trend": "keep_low",
    "baseline": 0.02,
    "baseline_year": 2022,
    "targets": [Target(2025, 0.05, "at_most"), Target(2027, 0.05, "at_most")],
}


def status(spec: dict, *values: tuple[int, float]) -> str:
    measured = [Measurement(year, value) for year, value in values]
    return assess(spec["trend"], spec["baseline"], spec["baseline_year"], spec["targets"], measured).status


@pytest.mark.parametrize(
    ("year", "value", "expected"),
    [
        (2024, 71, "on_track"),  # exactly on the line 67 → 75 (71 in 2024)
        (2024, 73, "on_track"),  # above the line
        (2025, 75, "on_track"),  # the first target, on time; the final one (85) is still ahead
        (2025, 72, "at_risk"),  # 5 of the 8 points planned by 2025: more than half
        (2025, 70, "off_track"),  # 3 of 8: less than half
        (2025, 66, "off_track"),  # below the baseline
        (2026, 85, "achieved"),  # the final target, a year early
        (2029, 84, "at_risk"),  # after the last target year the plan stays at 85
    ],
)
def test_increase_target(year, value, expected):
    assert status(LUD3, (year, value)) == expected


@pytest.mark.parametrize(
    ("year", "value", "expected"),
    [
        (2023, 0.66, "on_track"),  # exactly on the line 0.9 → 0.3 over 2021-2026 (float rounding absorbed)
        (2023, 0.70, "at_risk"),  # 0.20 of the 0.24 planned by 2023
        (2023, 0.80, "off_track"),  # 0.10 of 0.24
        (2023, 0.95, "off_track"),  # the wrong way
        (2026, 0.3, "on_track"),  # the first target reached; the final one is 0 %
        (2027, 0.0, "achieved"),
    ],
)
def test_decrease_target(year, value, expected):
    assert status(JEK8, (year, value)) == expected


def test_at_most_targets_are_met_at_or_below():
    assert status(AT_MOST, (2025, 0.3)) == "on_track"  # exactly the ceiling is met
    assert status(AT_MOST, (2025, 0.28)) == "on_track"
    assert status(AT_MOST, (2025, 0.31)) == "at_risk"
    assert status(AT_MOST, (2025, 0.6)) == "off_track"
    assert status(AT_MOST, (2026, 0.1)) == "achieved"


def test_keep_low_is_judged_against_the_ceiling_not_a_rising_line():
    assert status(CEILING, (2024, 0.05)) == "achieved"  # "<0,05%" is met at 0.05
    assert status(CEILING, (2024, 0.03)) == "achieved"  # above the 0.02 baseline but under the ceiling
    assert status(CEILING, (2024, 0.051)) == "off_track"
    falling = {**CEILING, "targets": [Target(2025, 0.3, "at_most"), Target(2027, 0.1, "at_most")]}
    assert status(falling, (2025, 0.2)) == "on_track"  # under 0.3 due in 2025, not yet under the final 0.1
    assert status(falling, (2026, 0.2)) == "off_track"  # from 2026 the ceiling in force is 0.1


def test_hold_zero():
    spec = {"trend": "hold_zero", "baseline": 0.0, "baseline_year": 2022, "targets": [Target(2025, 0), Target(2027, 0)]}
    assert status(spec, (2024, 0)) == "achieved"
    assert status(spec, (2024, 0.01)) == "off_track"


def test_missing_baseline_is_set_by_the_first_measurement():
    spec = {**LUD3, "baseline": None, "baseline_year": 2024}  # Ludza 1: "to be set in 2024"
    assert status(spec) == "no_baseline"
    assert status(spec, (2023, 50)) == "no_baseline"  # before the baseline year: not the baseline
    result = assess("increase", None, 2024, LUD3["targets"], [Measurement(2024, 60)])
    assert (result.status, result.baseline, result.baseline_measured) == ("no_measurement", 60, True)
    assert status(spec, (2024, 60), (2025, 68)) == "at_risk"  # 8 of the 15 points planned from 60 to 75
    assert status(spec, (2024, 60), (2025, 66)) == "off_track"  # 6 of 15
    assert status(spec, (2024, 60), (2025, 76)) == "on_track"


def test_missing_target_numbers_and_missing_measurements():
    no_numbers = {**LUD3, "baseline": None, "targets": [Target(2026, None), Target(2028, None)]}
    assert status(no_numbers) == "no_target"
    assert status(no_numbers, (2025, 80)) == "no_target"  # a value alone cannot be judged
    assert status(LUD3) == "no_measurement"
    assert status(JEK8, (2021, 0.9)) == "no_measurement"  # the baseline measurement itself
    assert status(JEK8, (2020, 0.3), (2021, 0.9)) == "no_measurement"  # older values are not progress
    assert status(JEK8, (2021, 0.9), (2024, 0.5)) == "on_track"  # the latest value counts


def test_period_year_counts_a_school_year_at_its_end():
    assert period_year("2020/2021") == 2021
    assert period_year("2024") == 2024
    assert period_year("2023.g") == 2023
    assert period_year("") is None and period_year(None) is None and period_year(float("nan")) is None


def test_base_name_drops_the_appended_breakdown_only():
    assert base_name("Share of pupils (%). (basic school)", "basic") == "Share of pupils (%)."
    assert base_name("Share (%). (part-time / distance (extramural) programmes)", "extramural") == "Share (%)."
    assert base_name("Career counselling (grades 7-12) (%)", "") == "Career counselling (grades 7-12) (%)"


# --- the SQL and the frame functions on a tiny database ------------------------------------------------------

SRC = "test"


def _indicator(no, trend="increase", baseline=None, year="2023", breakdown=""):
    return {
        "municipality": "AAA",
        "indicator_no": no,
        "breakdown": breakdown,
        "prevention_level": "universal",
        "name_lv": f"R{no}",
        "name_en": f"I{no}",
        "unit": "% of pupils",
        "desired_trend": trend,
        "baseline_value": baseline,
        "baseline_year": year,
        "baseline_text": "tiks noteikta" if baseline is None else f"{baseline}%",
        "data_source_lv": "VIIS",
        "data_source_en": "VIIS",
        "source": SRC,
    }


def _target(no, year, value, comparison="reach", breakdown=""):
    text = "tiks noteikts" if value is None else f"{value}%"
    return {"municipality": "AAA", "indicator_no": no, "breakdown": breakdown, "target_year": year,
            "target_value": value, "comparison": comparison, "target_text": text, "source": SRC}  # fmt: skip


def _value(no, period, value, breakdown=""):
    return {"municipality": "AAA", "indicator_no": no, "breakdown": breakdown, "period": period,
            "start_year": int(period[:4]), "value": value, "source": f"{SRC} {period}"}  # fmt: skip


@pytest.fixture
def con(tiny_db):
    municipality = {"code": "AAA", "name_lv": "A", "name_en": "A", "is_synthetic": False, "plan_start": 2024,
                    "plan_end": 2027, "target_year_1": 2025, "target_year_2": 2027, "source": SRC}  # fmt: skip
    return tiny_db(
        {
            "municipality": [municipality],
            "indicator": [
                _indicator(1),  # baseline to be set, numeric targets
                _indicator(3, baseline=67),
                _indicator(8, "keep_low", 0.02, "2022", "secondary"),
                _indicator(9),  # nothing but text
            ],
            "indicator_target": [
                _target(1, 2025, 70),
                _target(1, 2027, 80),
                _target(3, 2025, 75),
                _target(3, 2027, 85),
                _target(8, 2025, 0.05, "at_most", "secondary"),
                _target(8, 2027, 0.05, "at_most", "secondary"),
                _target(9, 2026, None),
                _target(9, 2028, None),
            ],
            "indicator_value": [
                _value(3, "2023/2024", 70.0),
                _value(3, "2025", 74.0),
                _value(8, "2024", 0.07, "secondary"),
            ],
        }
    )


def _assess(con, years=()):
    def run(name, **params):
        return run_sql(con, name, {"municipality": "AAA", **params})

    values = run("target_indicator_values.sql", years=list(years))
    return assess_indicators(run("target_indicators.sql"), run("target_indicator_targets.sql"), values), values


def test_indicators_from_sql_get_their_targets_latest_value_and_status(con):
    frame, _ = _assess(con)
    by_key = frame.set_index("key")
    assert by_key.loc["3", "latest_value"] == 74.0 and by_key.loc["3", "latest_period"] == "2025"
    assert by_key.loc["3", "status"] == "at_risk"  # 74 against 75 planned for 2025: 7 of the 8 points
    assert (by_key.loc["3", "target1_value"], by_key.loc["3", "target2_year"]) == (75, 2027)
    assert by_key.loc["8-secondary", "status"] == "off_track"  # 0.07 % over the 0.05 % ceiling
    assert by_key.loc["8-secondary", "target1_comparison"] == "at_most"
    assert pd.isna(by_key.loc["1", "baseline_value"])  # "to be set" stays missing, never 0
    assert by_key.loc["1", "status"] == "no_baseline" and by_key.loc["1", "has_numbers"]
    assert by_key.loc["9", "status"] == "no_target" and not by_key.loc["9", "has_numbers"]
    assert frame["measurements"].tolist() == [0, 2, 1, 0]  # ordered by level, number, breakdown


def test_year_filter_matches_school_and_calendar_years(con):
    frame, values = _assess(con, years=("2023/2024",))
    assert values["period"].tolist() == ["2023/2024", "2024"]  # 2024 is the calendar year ending 2023/2024
    assert frame.set_index("key").loc["3", "status"] == "at_risk"  # 70 in 2024 against 71 planned: 3 of 4


def test_chart_points_draw_only_what_the_document_gives(con):
    frame, values = _assess(con)
    points = chart_points(frame, values)
    assert set(points.loc[points["key"] == "1", "series"]) == {"target"}  # no baseline: no line
    assert points.loc[points["key"] == "9"].empty
    ceiling = points[(points["key"] == "8-secondary") & (points["series"] == "path")]
    assert ceiling["value"].tolist() == [0.05, 0.05, 0.05]  # the ceiling, not a rising line from 0.02
    line = points[(points["key"] == "3") & (points["series"] == "path")]
    assert line[["year", "value"]].values.tolist() == [[2023, 67], [2025, 75], [2027, 85]]


def test_reason_names_the_sentence_and_figures(con):
    frame, _ = _assess(con)
    rows = frame.set_index("key", drop=False)
    assert reason(rows.loc["8-secondary"]) == (
        "ceiling_over",
        {"value": 0.07, "period": "2024", "expected": 0.05, "final": 0.05, "year": "2022", "text": "0.02%"},
    )
    assert reason(rows.loc["9"])[0] == "no_target" and reason(rows.loc["9"])[1]["text"] == "tiks noteikts"


def test_computed_series_reads_a_metric_at_the_indicators_grain():
    metric = pd.DataFrame(
        {
            "school_year": ["2022/2023", "2022/2023", "2023/2024", "2023/2024"],
            "level": ["all", "basic", "all", "all"],
            "subject": ["", "", "", ""],
            "share_pct": [0.5, 0.4, 0.3, None],
            "share_basis": ["computed", "computed", "printed", None],
            "pupils": [9, 4, 3, None],
            "pupils_hidden": [False, True, False, False],
            "source": ["s1", "s2", "s3", "s4"],
        }
    )
    whole = computed_series(metric, "share_pct", "", ("pupils",))
    assert whole[["period", "year", "value"]].values.tolist() == [
        ["2022/2023", 2023, 0.5]
    ]  # a printed share is no check
    basic = computed_series(metric, "share_pct", "basic", ("pupils",))
    assert basic["hidden"].tolist() == [True] and basic["value"].isna().all()  # hidden with its small count
    semesters = pd.DataFrame({"period": ["2024/2025"] * 2, "semester": ["I", "II"], "share_pct": [6.7, 6.1]})
    assert computed_series(semesters, "share_pct")["value"].tolist() == [6.1]  # the end of the school year


def test_side_by_side_pairs_official_and_computed_values_of_a_year():
    official = pd.DataFrame({"year": [2024, 2025], "period": ["2024", "2025"], "value": [0.5, 0.28], "source": "o"})
    computed = pd.DataFrame({"period": ["2022/2023", "2023/2024"], "year": [2023, 2024], "value": [0.11, 0.33],
                             "hidden": False, "source": "c"})  # fmt: skip
    both = side_by_side(official, computed)
    assert both[["period_official", "period_computed"]].values.tolist() == [["2024", "2023/2024"]]
    assert both["difference"].round(2).tolist() == [-0.17] and both["differs"].tolist() == [True]


# --- the real programmes -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(sample_db):
    connection = duckdb.connect(str(sample_db), read_only=True)

    def assessed(code):
        def run(name, **params):
            return run_sql(connection, name, {"municipality": code, **params})

        values = run("target_indicator_values.sql", years=[])
        frame = assess_indicators(run("target_indicators.sql"), run("target_indicator_targets.sql"), values)
        return frame.set_index("key", drop=False)

    yield assessed
    connection.close()


def test_ludza_has_eleven_indicator_lines_and_indicator_3_is_read_correctly(real):
    ludza = real("LUD")
    assert len(ludza) == 11 and ludza["indicator_no"].nunique() == 9
    row = ludza.loc["3"]
    assert (row["baseline_value"], row["baseline_year"]) == (67, "2023")
    assert (row["target1_year"], row["target1_value"], row["target2_year"], row["target2_value"]) == (
        2025,
        75,
        2027,
        85,
    )
    assert row["status"] == "no_measurement"  # no actual value after 2023 in the document
    assert ludza.loc[["1", "2"], "status"].tolist() == ["no_baseline", "no_baseline"]  # "to be set in 2024"
    assert ludza.loc["8-secondary", "target1_comparison"] == "at_most"
    assert set(ludza["prevention_level"]) == {"universal", "targeted", "tailored"}


def test_jekabpils_indicator_8_and_the_indicators_without_numbers(real):
    jek = real("JEK")
    row = jek.loc["8"]
    assert (row["baseline_value"], row["baseline_year"]) == (0.9, "2020/2021")
    assert (row["target1_year"], row["target1_value"], row["target2_year"], row["target2_value"]) == (
        2026,
        0.3,
        2028,
        0,
    )
    assert (row["latest_value"], row["latest_period"], row["measurements"]) == (0.9, "2020/2021", 2)
    assert row["status"] == "no_measurement" and reason(row)[0] == "baseline_is_latest"
    assert row["metric_id"] == "dropout_rate"
    others = jek.loc[["1", "2", "4", "5"]]
    assert (others["status"] == "no_target").all() and not others["has_numbers"].any()


def test_demo_has_values_for_2024_and_2025_and_linked_metrics(real):
    demo = real("DEMO")
    assert demo["latest_period"].tolist() == ["2025"] * 4
    assert demo.loc["6", "metric_id"] == "pumpurs_semesters" and demo.loc["8", "metric_id"] == "dropout_rate"
    assert set(demo["status"]) <= {"achieved", "on_track", "at_risk", "off_track"}
