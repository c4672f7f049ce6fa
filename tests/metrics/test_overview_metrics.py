"""Overview metrics on a tiny hand-made database: sums, filters, NULL is not 0, the college apart."""

from __future__ import annotations

import pytest

from metrics.filters import Filters
from metrics.registry import METRICS, compute
from tests import factories

SRC = "test"


def _mun(code="AAA"):
    return factories.municipality(code)


def _school(sid, municipal=True, municipality="AAA"):
    return factories.school(sid, municipality, is_municipal=municipal)


def _enrol(sid, year, pupils, band="total"):
    return factories.enrolment(sid, year, pupils, band, source=f"{SRC} {sid}")


def _staff(sid, role, fte, year="2022/2023"):
    return factories.staff(sid, role, fte, year)


def _pumpurs(sid, period, semester, iap=None, participants=None):
    return {
        "school_id": sid,
        "period": period,
        "start_year": int(period[:4]),
        "end_year": int(period[-9:-5]),
        "semester": semester,
        "iap_count": iap,
        "participants": participants,
        "source": SRC,
    }


@pytest.fixture
def con(tiny_db):
    return tiny_db(
        {
            "municipality": [_mun(), _mun("BBB")],
            "school": [
                _school("a"),
                _school("b"),
                _school("c"),
                _school("college", municipal=False),
                _school("other", municipality="BBB"),
            ],
            "enrolment": [
                _enrol("a", "2022/2023", 100),
                _enrol("b", "2022/2023", 50),
                _enrol("a", "2023/2024", 90),
                _enrol("c", "2023/2024", None),  # classes only: no pupil count, must not count as 0
                _enrol("a", "2022/2023", 30, band="4"),  # a grade band is never added to the total
                _enrol("other", "2022/2023", 999),
            ],
            "support_staff": [
                *[
                    _staff("a", r, 0.3)
                    for r in ("psychologist", "speech_therapist", "social_pedagogue", "special_educator")
                ],
                _staff("b", "psychologist", 1.0),
                _staff("b", "speech_therapist", 0.5),
                _staff("b", "social_pedagogue", 0.29),
                _staff("b", "special_educator", 2.0),
                _staff("c", "career_counsellor", 1.0),  # reports staff but none of the four roles
            ],
            "pumpurs": [
                _pumpurs("a", "2022/2023", "I", iap=10),
                _pumpurs("a", "2022/2023", "II", iap=5),
                _pumpurs("b", "2022/2023", "I", iap=3),
                _pumpurs("college", "2022/2023", "I", iap=100),
                _pumpurs("c", "2021/2022-2022/2023", "all", participants=7),
            ],
        }
    )


def test_pupils_total_sums_school_totals_per_year(con):
    frame = compute(con, "pupils_total", Filters(municipality="AAA"))
    assert frame[["school_year", "pupils", "schools"]].values.tolist() == [["2022/2023", 150, 2], ["2023/2024", 90, 1]]


def test_missing_pupil_count_is_not_zero(con):
    frame = compute(con, "pupils_total", Filters(municipality="AAA", schools=("c",)))
    assert frame.empty  # school c has classes but no pupil count: no data, not 0 pupils


def test_filters_by_school_and_year(con):
    frame = compute(con, "pupils_total", Filters(municipality="AAA", schools=("b",), years=("2022/2023",)))
    assert frame["pupils"].tolist() == [50]
    frame = compute(con, "pupils_by_school", Filters(municipality="AAA", years=("2023/2024",)))
    assert frame[["school_id", "pupils"]].values.tolist() == [["a", 90]]


def test_pumpurs_excludes_the_state_college_and_keeps_multi_year_periods_whole(con):
    frame = compute(con, "pumpurs_iap", Filters(municipality="AAA"))
    by_period = {r.period: r for r in frame.itertuples()}
    assert by_period["2022/2023"].iap_count == 18  # 10 + 5 + 3, never the college's 100
    assert by_period["2022/2023"].schools == 2
    assert by_period["2021/2022-2022/2023"].participants == 7
    assert str(by_period["2021/2022-2022/2023"].iap_count) == "<NA>"  # no plans reported, not 0


def test_pumpurs_year_filter_matches_periods_that_overlap(con):
    frame = compute(con, "pumpurs_iap", Filters(municipality="AAA", years=("2021/2022",)))
    assert frame["period"].tolist() == ["2021/2022-2022/2023"]


def test_staff_norm_counts_schools_below_and_ignores_schools_without_reports(con):
    row = compute(con, "schools_below_staff_norm", Filters(municipality="AAA")).iloc[0]
    # a: all four at exactly 0.3 (meets); b: social pedagogue 0.29 (below); c: none of the four (below)
    assert (row.schools_reporting, row.schools_meeting_norm, row.schools_below_norm) == (3, 1, 2)
    row = compute(con, "schools_below_staff_norm", Filters(municipality="AAA"), norm=0.5).iloc[0]
    assert (row.schools_meeting_norm, row.schools_below_norm) == (0, 3)
    assert compute(con, "schools_below_staff_norm", Filters(municipality="AAA", years=("2023/2024",))).empty


def test_every_metric_runs_on_an_empty_municipality(con):
    for metric_id in METRICS:
        assert compute(con, metric_id, Filters(municipality="ZZZ")).empty, metric_id


def test_small_pupil_counts_are_suppressed_by_default_and_revealed_only_when_switched_off(tiny_db):
    con = tiny_db(
        {
            "municipality": [_mun()],
            "school": [_school("a"), _school("b"), _school("c")],
            "enrolment": [_enrol("a", "2022/2023", 3), _enrol("b", "2022/2023", 40), _enrol("c", "2022/2023", 200)],
        }
    )
    frame = compute(con, "pupils_by_school", Filters(municipality="AAA")).set_index("school_id")
    # a (3) is hidden; the year's total is shown elsewhere, so the next smallest (b, 40) goes too
    assert frame["pupils_hidden"].to_dict() == {"a": True, "b": True, "c": False}
    assert frame["pupils"].isna().to_dict() == {"a": True, "b": True, "c": False}
    open_view = compute(con, "pupils_by_school", Filters(municipality="AAA", suppress=False)).set_index("school_id")
    assert open_view["pupils"].to_dict() == {"a": 3, "b": 40, "c": 200}
    assert not open_view["pupils_hidden"].any()


def test_a_school_chosen_alone_keeps_the_suppression_of_the_municipal_view(tiny_db):
    """a = 3 is hidden; b = 12 is hidden with it (else 3 = total - b - c). Choosing b alone must not
    show its 12: the municipal view's total and c would give a's 3 away."""
    con = tiny_db(
        {
            "municipality": [_mun()],
            "school": [_school("a"), _school("b"), _school("c")],
            "enrolment": [_enrol("a", "2022/2023", 3), _enrol("b", "2022/2023", 12), _enrol("c", "2022/2023", 40)],
        }
    )

    def shown(*schools: str) -> dict[str, object]:
        rows = compute(con, "pupils_by_school", Filters(municipality="AAA", schools=schools))
        return {r.school_id: "<5" if r.pupils_hidden else int(r.pupils) for r in rows.itertuples()}

    assert shown() == {"a": "<5", "b": "<5", "c": 40}
    assert shown("b") == {"b": "<5"} and shown("c") == {"c": 40} and shown("b", "c") == {"b": "<5", "c": 40}
    revealed = compute(con, "pupils_by_school", Filters(municipality="AAA", schools=("b",), suppress=False))
    assert revealed["pupils"].tolist() == [12]  # an admin's own view shows it

    def total(*schools: str) -> object:
        row = compute(con, "pupils_total", Filters(municipality="AAA", schools=schools)).iloc[0]
        return "<5" if row["pupils_hidden"] else int(row["pupils"])

    # a total over chosen schools is hidden where it would tell something new: b alone would be 12, b + c
    # 52 (and 52 - 40 = 12). A total of shown cells, the municipal one, and a + b (= 55 - 40, known anyway)
    # give nothing away
    assert (total(), total("c"), total("b"), total("b", "c"), total("a", "b")) == (55, 40, "<5", "<5", 15)
