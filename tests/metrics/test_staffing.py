"""The support-staff norm and gaps: the pure rule, the metrics on a tiny database, and the real figures."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from metrics import staffing
from metrics.filters import Filters
from metrics.query import run_sql
from metrics.registry import compute
from metrics.staffing import NORM_ROLES, NormRule, display_decimals, gap, yearly_cost
from tests import factories

SRC = "test"
SCALED = NormRule(base_fte=0.3, up_to_pupils=300, step_fte=0.1, step_pupils=100)


# --- the rule ------------------------------------------------------------------------------------


def test_flat_norm_is_the_same_for_every_school_with_or_without_pupils():
    rule = NormRule()
    assert rule.required(20) == rule.required(900) == rule.required(None) == 0.3
    assert not rule.scaled


@pytest.mark.parametrize(
    ("pupils", "required"),
    [(0, 0.3), (300, 0.3), (301, 0.4), (400, 0.4), (401, 0.5), (519, 0.6), (736, 0.8)],
)
def test_scaled_norm_adds_a_step_for_every_further_block_of_pupils_or_part_of_it(pupils, required):
    assert SCALED.required(pupils) == required


def test_scaled_norm_without_a_pupil_count_is_unknown_not_the_flat_value():
    assert SCALED.required(None) is None
    assert SCALED.required(pd.NA) is None
    assert SCALED.required(float("nan")) is None


def test_scaled_norm_steps_do_not_accumulate_float_error():
    rule = NormRule(base_fte=0.1, up_to_pupils=0, step_fte=0.1, step_pupils=1)
    assert rule.required(2) == 0.3  # 0.1 + 0.1 + 0.1 is 0.30000000000000004 in floats
    assert NormRule(base_fte=0.30000000000000004).required() == 0.3  # a number input's float noise


def test_rule_round_trips_through_metric_parameters_and_refuses_nonsense():
    assert NormRule.from_params(SCALED.params()) == SCALED
    assert NormRule.from_params({}) == NormRule()
    assert NormRule.from_params({"norm": 0.5}) == NormRule(base_fte=0.5)
    with pytest.raises(ValueError):
        NormRule(base_fte=-0.1)
    with pytest.raises(ValueError):
        NormRule(up_to_pupils=100, step_pupils=0)


@pytest.mark.parametrize(
    ("fte", "required", "expected"),
    [
        (0.2, 0.3, 0.1),  # exactly 0.1, not 0.09999999999999998
        (0.167, 0.3, 0.133),
        (0.3, 0.3, 0.0),  # exactly at the norm meets it
        (1.244, 0.3, 0.0),  # above the norm: no gap, never negative
        (0.0, 0.3, 0.3),  # an explicit 0
        (None, 0.3, 0.3),  # a role not listed counts as 0 FTE
        (pd.NA, 0.6, 0.6),
        (0.5, None, None),  # unknown norm: unknown gap
    ],
)
def test_gap_is_the_missing_fte_kept_to_three_decimals(fte, required, expected):
    assert gap(fte, required) == expected


@pytest.mark.parametrize(
    ("value", "decimals"),
    [(0.5, 1), (1.0, 1), (3.2, 1), (0.75, 2), (0.167, 3), (1.244, 3), (3.25, 2), (3.833, 3), (None, 1)],
)
def test_fte_keep_the_decimals_their_source_printed(value, decimals):
    assert display_decimals(value) == decimals


def test_yearly_cost_needs_a_cost_per_fte():
    assert yearly_cost(3.833, None) is None
    assert yearly_cost(None, 20000) is None
    assert yearly_cost(3.833, 20000) == 76660.0
    assert yearly_cost(0.1, 0.3) == 0.03


# --- assess / norm_by_year on hand-made rows -------------------------------------------------------


def _rows(school, fte_by_role, pupils=100, year="2022/2023", reporting=True):
    return [
        {
            "school_id": school,
            "school": school.upper(),
            "school_year": year,
            "start_year": int(year[:4]),
            "role": role,
            "fte": fte_by_role.get(role),
            "reporting": reporting,
            "pupils": pupils,
            "source": SRC if reporting else None,
        }
        for role in staffing.ROLES
    ]


def _frame(*parts):
    return pd.DataFrame([row for part in parts for row in part])


FULL = dict.fromkeys(NORM_ROLES, 0.3)


def test_assess_marks_not_listed_roles_explicit_zeros_and_schools_without_data():
    frame = _frame(
        _rows("a", FULL),
        _rows("b", {**FULL, "special_educator": 0.0, "career_counsellor": 1.0}),
        _rows("c", {"psychologist": 0.5}),
        _rows("d", {}, reporting=False),
    )
    out = staffing.assess(frame, NormRule().params()).set_index(["school_id", "role"])
    assert out.loc[("b", "special_educator"), "listed"]  # an explicit 0 is listed ...
    assert not out.loc[("c", "special_educator"), "listed"]  # ... a missing role is not
    assert out.loc[("b", "special_educator"), "gap_fte"] == out.loc[("c", "special_educator"), "gap_fte"] == 0.3
    assert out.loc[("b", "career_counsellor"), "status"] == staffing.CONTEXT
    assert pd.isna(out.loc[("b", "career_counsellor"), "gap_fte"])  # no norm for context roles
    assert pd.isna(out.loc[("d", "psychologist"), "gap_fte"])  # no data is not a gap
    schools = out.groupby(level="school_id")[["school_status", "school_gap_fte"]].first()
    assert schools["school_status"].to_dict() == {"a": "meets", "b": "below", "c": "below", "d": "no_data"}
    assert schools["school_gap_fte"].tolist()[:3] == [0.0, 0.3, 0.9]
    assert pd.isna(schools.loc["d", "school_gap_fte"])
    assert out.loc[("c", "psychologist"), "coverage"] == pytest.approx(5 / 3)
    assert out.loc[("c", "speech_therapist"), "coverage"] == 0


def test_norm_by_year_excludes_no_data_and_unknown_norms_from_counts_and_totals():
    frame = _frame(
        _rows("a", FULL, pupils=500),  # scaled norm 0.5: below by 0.2 x 4
        _rows("b", dict.fromkeys(NORM_ROLES, 1.0), pupils=None),  # scaled norm unknown
        _rows("c", {}, reporting=False),
    )
    flat = staffing.norm_by_year(frame, NormRule().params()).iloc[0]
    assert (flat.schools_reporting, flat.schools_meeting_norm, flat.schools_below_norm) == (2, 2, 0)
    assert (flat.schools_norm_unknown, flat.schools_no_data, flat.gap_fte) == (0, 1, 0.0)
    scaled = staffing.norm_by_year(frame, SCALED.params()).iloc[0]
    assert (scaled.schools_meeting_norm, scaled.schools_below_norm, scaled.schools_norm_unknown) == (0, 1, 1)
    assert scaled.gap_fte == 0.8


def test_norm_by_year_leaves_out_years_where_no_chosen_school_reported():
    frame = _frame(_rows("a", FULL), _rows("c", {}, year="2023/2024", reporting=False))
    assert staffing.norm_by_year(frame, {}).school_year.tolist() == ["2022/2023"]
    assert list(staffing.norm_by_year(frame.iloc[:0], {}).columns) == list(staffing.YEAR_COLUMNS)


def test_pupils_per_fte_recomputes_the_municipal_ratio_from_sums():
    frame = _frame(
        _rows("a", {"psychologist": 1.0}, pupils=400),
        _rows("b", {"psychologist": 0.25, "speech_therapist": 0.0}, pupils=100),
        _rows("c", {}, reporting=False, pupils=50),
    )
    out = staffing.pupils_per_fte(staffing.assess(frame, {}))
    school = out[~out["is_total"]].set_index(["school_id", "role"])["ratio"]
    assert school[("a", "psychologist")] == 400 and school[("b", "psychologist")] == 400
    assert pd.isna(school[("b", "speech_therapist")])  # 0 FTE: no ratio, not infinity
    assert "c" not in school.index.get_level_values(0)  # no data: not in the ratios
    total = out[out["is_total"]].set_index("role")["ratio"]
    assert total["psychologist"] == 500 / 1.25  # (400 + 100) / (1 + 0.25), not the mean of 400 and 400
    assert pd.isna(total["speech_therapist"])


# --- the metrics on a tiny database --------------------------------------------------------------


def _school(sid, municipality="AAA"):
    return factories.school(sid, municipality)


def _enrol(sid, pupils, year="2022/2023"):
    return {
        "school_id": sid,
        "school_year": year,
        "start_year": int(year[:4]),
        "grade_band": "total",
        "pupils": pupils,
        "classes": 3 if pupils is None else None,
        "source": f"enrolment {sid}",
    }


def _staff(sid, role, fte, year="2022/2023"):
    return factories.staff(sid, role, fte, year)


@pytest.fixture
def con(tiny_db):
    mun = {
        "name_lv": "A",
        "name_en": "A",
        "is_synthetic": False,
        "plan_start": 2024,
        "plan_end": 2027,
        "target_year_1": 2025,
        "target_year_2": 2027,
        "source": SRC,
    }
    return tiny_db(
        {
            "municipality": [{"code": "AAA", **mun}, {"code": "BBB", **mun}],
            "school": [_school("big"), _school("small"), _school("nopupils"), _school("silent"), _school("x", "BBB")],
            "enrolment": [
                _enrol("big", 450),
                _enrol("small", 3),
                _enrol("nopupils", None),  # classes only: no pupil count
                _enrol("silent", 80),  # enrolled, but no support-staff report: no data
                _enrol("big", 460, "2023/2024"),  # a year without staff reports
            ],
            "support_staff": [
                *[_staff("big", r, 0.4) for r in NORM_ROLES],
                _staff("big", "career_counsellor", 0.5),
                *[_staff("small", r, 0.3) for r in NORM_ROLES],
                _staff("nopupils", "psychologist", 1.0),
                _staff("nopupils", "speech_therapist", 0.0),
                _staff("x", "psychologist", 9.0),
            ],
            "stated_total": [
                {
                    "municipality": "AAA",
                    "topic": "support_staff",
                    "measure": m,
                    "period": "2022/2023",
                    "semester": "",
                    "value": v,
                    "unit": "fte",
                    "source": "document",
                }
                for m, v in (("psychologist", 2.4), ("speech_therapist", 0.75), ("project_support_hours", 38))
            ],
        }
    )


def test_every_school_in_scope_gets_every_role_and_silence_is_no_data(con):
    cells = compute(con, "staff_gap_by_school", Filters(municipality="AAA"))
    assert sorted(cells["school_id"].unique()) == ["big", "nopupils", "silent", "small"]  # never BBB's
    assert len(cells) == 4 * 6 and cells["school_year"].unique().tolist() == ["2022/2023"]
    by_school = cells.drop_duplicates("school_id").set_index("school_id")["school_status"]
    assert by_school.to_dict() == {"big": "meets", "nopupils": "below", "silent": "no_data", "small": "meets"}
    cell = cells.set_index(["school_id", "role"])
    assert (
        cell.loc[("nopupils", "speech_therapist"), "listed"]
        and not cell.loc[("nopupils", "social_pedagogue"), "listed"]
    )
    assert cell.loc[("nopupils", "speech_therapist"), "gap_fte"] == 0.3  # explicit 0
    assert cell.loc[("nopupils", "social_pedagogue"), "gap_fte"] == 0.3  # not listed, counted as 0


def test_overview_count_and_page_share_one_definition(con):
    year = compute(con, "schools_below_staff_norm", Filters(municipality="AAA")).iloc[0]
    assert (year.schools_reporting, year.schools_meeting_norm, year.schools_below_norm) == (3, 2, 1)
    assert year.schools_no_data == 1 and year.gap_fte == 0.9
    assert compute(con, "staff_gap_fte", Filters(municipality="AAA"))["gap_fte"].tolist() == [0.9]
    cells = compute(con, "staff_gap_by_school", Filters(municipality="AAA"))
    assert (cells.drop_duplicates("school_id")["school_status"] == "meets").sum() == year.schools_meeting_norm


def test_scaled_norm_through_the_registry_and_unknown_without_pupils(con):
    year = compute(con, "schools_below_staff_norm", Filters(municipality="AAA"), **SCALED.params()).iloc[0]
    # big (450 pupils) needs 0.5 and has 0.4: below by 0.1 x 4; nopupils: norm unknown
    assert (year.schools_meeting_norm, year.schools_below_norm, year.schools_norm_unknown) == (1, 1, 1)
    assert year.gap_fte == 0.4
    cells = compute(con, "staff_gap_by_school", Filters(municipality="AAA"), **SCALED.params())
    nopupils = cells[cells["school_id"] == "nopupils"]
    assert nopupils["required_fte"].isna().all() and nopupils["gap_fte"].isna().all()


def test_small_pupil_counts_are_suppressed_but_the_norm_used_the_real_count(con):
    cells = compute(con, "staff_gap_by_school", Filters(municipality="AAA"), **SCALED.params())
    small = cells[cells["school_id"] == "small"]
    assert small["pupils_hidden"].all() and small["pupils"].isna().all()
    assert small["required_fte"].dropna().unique().tolist() == [0.3]  # from 3 pupils, not "unknown"
    ratios = staffing.pupils_per_fte(cells)
    small_ratios = ratios[ratios["school_id"] == "small"]
    assert small_ratios["ratio"].isna().all() and small_ratios["pupils_hidden"].all()  # a ratio would reveal it
    assert not ratios.loc[ratios["is_total"], "pupils_hidden"].any()


def test_filters_by_school_and_year(con):
    one = compute(con, "staff_gap_by_school", Filters(municipality="AAA", schools=("silent",)))
    assert set(one["status"]) == {"no_data"}
    assert compute(con, "schools_below_staff_norm", Filters(municipality="AAA", schools=("silent",))).empty
    assert compute(con, "staff_gap_by_school", Filters(municipality="AAA", years=("2023/2024",))).empty
    assert compute(con, "staff_gap_by_school", Filters(municipality="ZZZ")).empty


def test_stated_totals_are_set_beside_the_sum_of_all_schools(con):
    stated = run_sql(con, "staffing_stated_totals.sql", {"municipality": "AAA", "years": []}).set_index("measure")
    # psychologists 0.4 + 0.3 + 1.0 in AAA (never BBB's 9.0); speech therapists 0.4 + 0.3 + 0.0
    assert stated.loc["psychologist", ["school_sum", "difference"]].tolist() == [1.7, 0.7]
    assert stated.loc["speech_therapist", ["school_sum", "difference"]].tolist() == [0.7, 0.05]
    assert pd.isna(stated.loc["project_support_hours", "school_sum"])


# --- the real sample data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(sample_db):
    connection = duckdb.connect(str(sample_db), read_only=True)
    yield connection
    connection.close()


def test_ludza_2022_only_ludzas_2_vidusskola_meets_all_four_roles_at_the_flat_norm(sample):
    cells = compute(sample, "staff_gap_by_school", Filters(municipality="LUD", years=("2022/2023",)))
    status = cells.drop_duplicates("school").set_index("school")["school_status"]
    assert status[status == "meets"].index.tolist() == ["Ludzas 2.vidusskola"]
    assert (status == "below").sum() == 7
    assert status[status == "no_data"].index.tolist() == ["Mežvidu pamatskola"]  # enrolled, no staff table row


def test_ludza_2022_total_gap_is_3_833_fte_and_equals_the_sum_of_max_0_norm_minus_fte(sample):
    """Independent of metrics/staffing.py: straight from support_staff, four roles, eight schools."""
    raw = sample.execute(
        """
        SELECT st.school_id, r.role, coalesce(sum(x.fte), 0)::DOUBLE AS fte
        FROM (SELECT DISTINCT school_id FROM support_staff WHERE school_id LIKE 'lud_%'
              AND school_year = '2022/2023') st
        CROSS JOIN (VALUES ('psychologist'), ('speech_therapist'), ('special_educator'), ('social_pedagogue')) r(role)
        LEFT JOIN support_staff x ON x.school_id = st.school_id AND x.role = r.role AND x.school_year = '2022/2023'
        GROUP BY ALL
        """
    ).df()
    expected = round(sum(max(0.0, 0.3 - v) for v in raw["fte"]), 3)
    assert len(raw) == 8 * 4 and expected == 3.833
    year = compute(sample, "staff_gap_fte", Filters(municipality="LUD")).iloc[0]
    assert (year.school_year, year.gap_fte) == ("2022/2023", 3.833)


def test_ludza_overview_figures_stay_8_reporting_1_meets_7_below(sample):
    row = compute(sample, "schools_below_staff_norm", Filters(municipality="LUD")).iloc[0]
    assert (row.schools_reporting, row.schools_meeting_norm, row.schools_below_norm) == (8, 1, 7)


def test_ludza_scaled_norm_300_plus_0_1_per_100(sample):
    row = compute(sample, "schools_below_staff_norm", Filters(municipality="LUD"), **SCALED.params()).iloc[0]
    # Ludzas 2.vidusskola (519 pupils) now needs 0.6 and has 0.5 psychologist and speech therapist;
    # Ludzas pilsētas vidusskola (491) needs 0.5 special educator instead of 0.3
    assert (row.schools_meeting_norm, row.schools_below_norm, row.gap_fte) == (0, 8, 4.233)


def test_ludza_speech_therapist_stated_total_differs_from_the_schools(sample):
    stated = run_sql(sample, "staffing_stated_totals.sql", {"municipality": "LUD", "years": ["2022/2023"]})
    off = stated[stated["difference"].fillna(0) != 0]
    assert off[["measure", "stated", "school_sum", "difference"]].values.tolist() == [
        ["speech_therapist", 3.25, 3.2, 0.05]
    ]


def test_demo_has_a_complete_series_and_jekabpils_has_no_fte_table(sample):
    demo = compute(sample, "schools_below_staff_norm", Filters(municipality="DEMO"))
    assert demo["school_year"].tolist() == [f"{y}/{y + 1}" for y in range(2018, 2025)]
    assert (demo["schools_reporting"] > 0).all() and (demo["gap_fte"] >= 0).all()
    assert compute(sample, "staff_gap_by_school", Filters(municipality="JEK")).empty
