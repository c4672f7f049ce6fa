"""Pumpurs metrics: the semester grid and "not reported", merge roll-up, the college apart,
pupils not added over semesters, suppression both ways, risk link; and the seed figures."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from metrics import provenance, pumpurs
from metrics.filters import Filters
from metrics.registry import compute
from presentation import pumpurs as pumpurs_text
from tests import factories

SRC = "test"
F = Filters(municipality="AAA")


def _mun(code="AAA"):
    return factories.municipality(code)


def _school(sid, municipal=True, merged_into=None, year=None):
    return {
        "school_id": sid,
        "municipality": "AAA",
        "name": sid.upper(),
        "school_type": "basic",
        "sector": "general",
        "is_municipal": municipal,
        "merged_into": merged_into,
        "merged_year": year,
        "source": SRC,
    }


def _plan(sid, period, semester, iap=None, participants=None):
    return {
        "school_id": sid,
        "period": period,
        "start_year": int(period[:4]),
        "end_year": int(period[-9:-5]),
        "semester": semester,
        "iap_count": iap,
        "participants": participants,
        "source": f"{SRC} {sid}",
    }


def _enrol(sid, year, pupils):
    return {
        "school_id": sid,
        "school_year": year,
        "start_year": int(year[:4]),
        "grade_band": "total",
        "pupils": pupils,
        "source": SRC,
    }


def _stated(measure, period, semester, value):
    return {
        "municipality": "AAA",
        "topic": "pumpurs",
        "measure": measure,
        "period": period,
        "semester": semester,
        "value": value,
        "unit": {"iap_count": "individual support plans", "participants": "pupils"}.get(measure, "%"),
        "source": "printed",
    }


def _risk(sid, year, group, pupils):
    return {
        "municipality": "AAA",
        "scope": sid,
        "period": year,
        "start_year": int(year[:4]),
        "end_year": int(year[:4]),
        "risk_group": group,
        "sub_risk": "",
        "pupils": pupils,
        "population": "p",
        "source": "risk",
    }


@pytest.fixture
def con(tiny_db):
    """Schools a, b (municipal), old (merged into b in 2020; c merged into old: a chain), a college.
    Semesters 2019/2020 I-II and 2020/2021 I-II; nobody municipal reported 2020/2021 II."""
    connection = tiny_db(
        {
            "municipality": [_mun(), _mun("BBB")],
            "school": [
                _school("a"),
                _school("b"),
                _school("college", municipal=False),
                _school("old", merged_into="b", year=2020),
            ],
            "enrolment": [_enrol("a", "2019/2020", 200), _enrol("b", "2019/2020", 100), _enrol("old", "2019/2020", 50)],
            "pumpurs": [
                _plan("a", "2019/2020", "I", iap=20, participants=18),
                _plan("a", "2019/2020", "II", iap=30, participants=25),
                _plan("b", "2019/2020", "I", iap=10, participants=10),
                _plan("old", "2019/2020", "I", iap=8, participants=7),
                _plan("old", "2019/2020", "II", iap=12, participants=None),  # pupils not reported: NULL, not 0
                _plan("a", "2020/2021", "I", iap=40),
                _plan("b", "2020/2021", "I", iap=25),
                _plan("college", "2019/2020", "I", iap=300),
                _plan("college", "2020/2021", "II", iap=100),  # the college reported 2020/2021 II, no school did
            ],
            "stated_total": [
                _stated("iap_count", "2020/2021", "II", 0),  # printed as 0 although no school reported
                _stated("participant_share_pct", "2020/2021", "I", 9),
                _stated("participants", "2019/2020-2020/2021", "all", 70),
            ],
            "risk": [
                _risk("a", "2019/2020", "learning_school", 30),
                _risk("a", "2019/2020", "family", 10),
                _risk("b", "2019/2020", "learning_school", 20),
            ],
            "pumpurs_support": [
                {
                    "municipality": "AAA",
                    "period": "2019/2020-2020/2021",
                    "start_year": 2019,
                    "end_year": 2020,
                    "breakdown": "measure",
                    "item": "subject_consultations",
                    "share_pct": 80,
                    "source": "fig",
                }
            ],
        }
    )
    # c merged into old, which later merged into b: a chain (inserted after old exists)
    connection.execute(
        "INSERT INTO school (school_id, municipality, name, school_type, sector, is_municipal, merged_into,"
        " merged_year, source) VALUES ('c', 'AAA', 'C', 'basic', 'general', true, 'old', 2019, 'test')"
    )
    connection.execute(
        "INSERT INTO pumpurs (school_id, period, start_year, end_year, semester, iap_count, source)"
        " VALUES ('c', '2019/2020', 2019, 2019, 'II', 6, 'test c')"
    )
    return connection


def _semesters(con, filters=F):
    return pumpurs.with_status(compute(con, "pumpurs_semesters", filters), compute(con, "pumpurs_stated", filters))


def test_semester_grid_marks_an_unreported_semester_not_reported_never_zero(con):
    frame = _semesters(con).set_index("label")
    assert list(frame.index) == ["2019/2020 I", "2019/2020 II", "2020/2021 I", "2020/2021 II"]
    assert frame["status"].to_dict()["2020/2021 II"] == "not_reported"
    gap = frame.loc["2020/2021 II"]
    assert pd.isna(gap["iap_count"]) and gap["schools"] == 0  # not 0 plans, and not the college's 100
    assert gap["stated_iap"] == 0  # the printed 0 is kept only as a note
    assert frame["iap_count"].tolist()[:3] == [38, 48, 65]  # college never added in


def test_the_grid_fills_a_gap_between_reported_semesters(tiny_db):
    con = tiny_db(
        {
            "municipality": [_mun()],
            "school": [_school("a")],
            "pumpurs": [_plan("a", "2019/2020", "I", iap=9), _plan("a", "2020/2021", "II", iap=9)],
        }
    )
    frame = _semesters(con)
    assert frame["label"].tolist() == ["2019/2020 I", "2019/2020 II", "2020/2021 I", "2020/2021 II"]
    assert frame["status"].tolist() == ["reported", "not_reported", "not_reported", "reported"]


def test_status_comes_from_all_schools_even_when_one_school_is_chosen(con):
    frame = _semesters(con, Filters(municipality="AAA", schools=("b",))).set_index("label")
    assert frame.loc["2019/2020 II", "status"] == "reported"  # b has no row, but a reported
    assert pd.isna(frame.loc["2019/2020 II", "iap_count"]) and frame.loc["2019/2020 II", "schools"] == 0
    assert frame.loc["2020/2021 II", "status"] == "not_reported"


def test_participant_share_is_sum_over_sum_and_needs_every_school_counted(con):
    frame = _semesters(con).set_index("label")
    # 2019/2020 I: (18 + 10 + 7) / (200 + 100 + 50), not the mean of 9 %, 10 % and 14 %
    assert frame.loc["2019/2020 I", "share"] == pytest.approx(10.0)
    assert frame.loc["2019/2020 I", "share_basis"] == "computed"
    assert frame.loc["2020/2021 I", "share"] == 9 and frame.loc["2020/2021 I", "share_basis"] == "stated"
    assert frame.loc["2020/2021 I", "source"] == ["test a", "test b", "printed"]  # the printed share cites its table
    assert pd.isna(frame.loc["2020/2021 II", "share"])  # no printed share used for an unreported semester


def test_separate_view_keeps_each_school_and_names_where_it_merged(con):
    rows = compute(con, "pumpurs_school_totals", F).set_index("school_id")
    assert rows["iap_count"].to_dict() == {"a": 90, "b": 35, "old": 20, "c": 6}
    assert (rows.loc["old", "merged_into_name"], rows.loc["old", "merged_year"]) == ("B", 2020)
    labels = pumpurs_text.label_schools(rows.reset_index(), "(→ {school}, {year})", "(+ {schools})")
    assert "OLD (→ B, 2020)" in labels["school_label"].tolist()


def test_merged_view_rolls_a_chain_of_mergers_into_the_last_school(con):
    rows = compute(con, "pumpurs_school_totals", F, merged=True).set_index("school_id")
    assert rows["iap_count"].to_dict() == {"a": 90, "b": 61}  # b 35 + old 20 + c 6
    assert rows.loc["b", "absorbed"] == "C, OLD"
    cells = compute(con, "pumpurs_school_semesters", F, merged=True).set_index(["school_id", "period", "semester"])
    assert cells.loc[("b", "2019/2020", "II"), "iap_count"] == 18  # old 12 + c 6
    assert compute(con, "pumpurs_total", F, merged=True)["iap_count"].tolist() == [151]


def test_choosing_the_successor_in_the_merged_view_brings_its_history(con):
    one = Filters(municipality="AAA", schools=("b",))
    assert compute(con, "pumpurs_total", one)["iap_count"].tolist() == [35]
    assert compute(con, "pumpurs_stated", one).empty  # printed municipal totals never stand for one school
    assert compute(con, "pumpurs_total", one, merged=True)["iap_count"].tolist() == [61]
    by_semester = compute(con, "pumpurs_semesters", one, merged=True).set_index(["period", "semester"])
    assert by_semester.loc[("2019/2020", "II"), "iap_count"] == 18  # old 12 + c 6, so the timeline adds up
    assert compute(con, "pumpurs_semesters", one).set_index(["period", "semester"])["iap_count"].isna().sum() == 2


def test_the_college_is_apart_and_never_in_municipal_totals(con):
    assert compute(con, "pumpurs_total", F)["iap_count"].tolist() == [151]
    college = compute(con, "pumpurs_school_totals", F, municipal=False)
    assert college[["school_id", "iap_count"]].values.tolist() == [["college", 400]]
    assert "college" not in set(compute(con, "pumpurs_school_semesters", F)["school_id"])


def test_printed_counts_are_suppressed_but_printed_shares_and_schools_are_not(tiny_db):
    con = tiny_db(
        {
            "municipality": [_mun()],
            "stated_total": [
                _stated("participants", "2019/2020-2020/2021", "all", 3),
                _stated("iap_count", "2019/2020", "I", 40),
                _stated("participant_share_pct", "2019/2020", "I", 2),
            ],
        }
    )
    frame = compute(con, "pumpurs_stated", F).set_index("measure")
    assert bool(frame.loc["participants", "count_value_hidden"]) and pd.isna(frame.loc["participants", "count_value"])
    # printed figures of different measures and periods add up to nothing: the 40 gives nothing away
    assert not bool(frame.loc["iap_count", "count_value_hidden"]) and frame.loc["iap_count", "count_value"] == 40
    assert frame.loc["participant_share_pct", "value"] == 2 and pd.isna(
        frame.loc["participant_share_pct", "count_value"]
    )


def test_pupils_are_not_added_over_semesters(con):
    rows = compute(con, "pumpurs_school_totals", F).set_index("school_id")
    assert rows["participants"].isna().all()  # a's 18 + 25 could count one pupil twice
    figures = pumpurs.headline(compute(con, "pumpurs_total", F), _semesters(con), compute(con, "pumpurs_stated", F))
    assert figures["plans"]["value"] == 151
    assert (figures["pupils"]["value"], figures["pupils"]["basis"]) == (70, "stated")  # the printed project total
    assert (figures["schools"]["value"], figures["schools"]["when"]) == (2, "2020/2021 I")


def test_whole_span_pupils_are_summed_and_the_year_filter_overlaps(tiny_db):
    con = tiny_db(
        {
            "municipality": [_mun()],
            "school": [_school("a"), _school("b"), _school("c")],
            "pumpurs": [
                _plan("a", "2021/2022-2022/2023", "all", participants=110),
                _plan("b", "2021/2022-2022/2023", "all", participants=3),
                _plan("c", "2021/2022-2022/2023", "all", participants=20),
            ],
        }
    )
    one_year = Filters(municipality="AAA", years=("2022/2023",))
    total = compute(con, "pumpurs_total", one_year)
    assert total["participants"].tolist() == [133] and pd.isna(total["iap_count"].iloc[0])
    ranking = compute(con, "pumpurs_school_totals", one_year).set_index("school_id")
    assert ranking.loc["a", "participants"] == 110
    assert ranking["participants_hidden"].to_dict() == {"a": False, "b": True, "c": True}  # 3, and its complement
    assert compute(con, "pumpurs_total", Filters(municipality="AAA", years=("2023/2024",))).empty
    frame = _semesters(con, one_year)
    assert frame["label"].tolist() == ["2021/2022–2022/2023"] and pumpurs.value_column(frame) == "participants"


def test_small_plan_counts_are_hidden_both_ways(tiny_db):
    con = tiny_db(
        {
            "municipality": [_mun()],
            "school": [_school("a"), _school("b"), _school("c")],
            "pumpurs": [
                _plan("a", "2019/2020", "I", iap=3),
                _plan("a", "2019/2020", "II", iap=40),
                _plan("a", "2020/2021", "I", iap=50),
                _plan("b", "2019/2020", "I", iap=20),
                _plan("b", "2019/2020", "II", iap=30),
                _plan("c", "2019/2020", "I", iap=60),
            ],
        }
    )
    cells = compute(con, "pumpurs_school_semesters", F)
    key = ["school_id", "period", "semester"]
    flags = cells.set_index(key)["iap_count_hidden"]
    assert flags[("a", "2019/2020", "I")] and flags[("b", "2019/2020", "I")]  # primary + the semester's complement
    protected = pumpurs.protect(cells, "iap_count").set_index(key)["iap_count_hidden"]
    # a's row total is shown in the ranking, so a second cell of a (its smallest, 40) goes too,
    # and that semester then needs a second hidden cell (b, 30)
    assert protected[("a", "2019/2020", "II")] and protected[("b", "2019/2020", "II")]
    assert not protected[("a", "2020/2021", "I")] and not protected[("c", "2019/2020", "I")]
    grid = pumpurs_text.heat(
        pumpurs_text.label_schools(pumpurs.protect(cells, "iap_count"), "", ""),
        _semesters(con),
        "iap_count",
        lambda v, h: "<5" if h else str(int(v)),
        "–",
        "not reported",
    ).set_index(["school", "label"])["text"]
    assert (
        grid[("A", "2019/2020 I")] == "<5" and grid[("C", "2020/2021 I")] == "–" and grid[("A", "2020/2021 I")] == "50"
    )


def test_timeline_other_bucket_is_the_total_minus_the_shown_schools(con):
    semesters = _semesters(con)
    cells = pumpurs_text.label_schools(compute(con, "pumpurs_school_semesters", F), "", "")
    ranking = pumpurs_text.label_schools(compute(con, "pumpurs_school_totals", F), "", "")
    bars = pumpurs.timeline(cells, semesters, ranking, "iap_count", top=1)
    first = bars[bars["label"] == "2019/2020 I"].set_index("school")["value"].to_dict()
    assert first == {"A": 20.0, pumpurs.OTHER: 18.0}  # b 10 + old 8
    assert bars.groupby("label")["value"].sum().to_dict() == {"2019/2020 I": 38, "2019/2020 II": 48, "2020/2021 I": 65}
    assert list(dict.fromkeys(bars["school"])) == ["A", pumpurs.OTHER]  # stacks in ranking order
    tops = pumpurs_text.bar_tops(semesters, "iap_count", lambda v, h: str(int(v)), "n/r")
    assert tops == ["38", "48", "65", "n/r"]


def test_plans_per_100_pupils_at_risk_counts_only_schools_with_both(con):
    frame = compute(con, "pumpurs_plans_per_risk", F)
    overall = frame[frame["risk_group"] == "all"].iloc[0]
    # a: 50 plans / 40 at risk; b: 10 plans / 20 at risk; old has plans but no risk rows
    assert (overall["iap_count"], overall["pupils_at_risk"], overall["plans_per_100"]) == (60, 60, 100.0)
    groups = frame[frame["risk_group"] != "all"].set_index("risk_group")["pupils_at_risk"].to_dict()
    assert groups == {"learning_school": 50, "family": 10}
    table = pumpurs_text.risk_table(frame, {"family": "Family"}, lambda v: f"{v:.1f}", "hidden")
    assert table[["school_year", "rate", "Family"]].values.tolist() == [["2019/2020", "100.0", 10]]


def test_a_rate_is_hidden_with_its_small_counts(tiny_db):
    con = tiny_db(
        {
            "municipality": [_mun()],
            "school": [_school("a")],
            "pumpurs": [_plan("a", "2019/2020", "I", iap=3)],
            "risk": [_risk("a", "2019/2020", "learning_school", 8)],
        }
    )
    rates = pumpurs.risk_rates(compute(con, "pumpurs_plans_per_risk", F))
    assert bool(rates["plans_per_100_hidden"].iloc[0]) and pd.isna(rates["plans_per_100"].iloc[0])


def test_support_mix_and_missing_municipality(con):
    mix = compute(con, "pumpurs_support_mix", F)
    assert mix[["breakdown", "item", "share_pct", "source"]].values.tolist() == [
        ["measure", "subject_consultations", 80.0, ["fig"]]
    ]
    for metric_id in ("pumpurs_semesters", "pumpurs_total", "pumpurs_support_mix", "pumpurs_plans_per_risk"):
        assert compute(con, metric_id, Filters(municipality="BBB")).empty, metric_id


def test_every_row_carries_a_source(con):
    for metric_id in ("pumpurs_semesters", "pumpurs_school_semesters", "pumpurs_school_totals", "pumpurs_stated"):
        frame = compute(con, metric_id, F)
        assert all(isinstance(s, list) and s for s in frame["source"]), metric_id
    assert provenance.sources(compute(con, "pumpurs_semesters", F))[:2] == ["test a", "test b"]


# --- figures on the real sample data (the programmes' documents) ---------------------------------


@pytest.fixture(scope="module")
def sample(sample_db):
    connection = duckdb.connect(str(sample_db), read_only=True)
    yield connection
    connection.close()


def test_jekabpils_plans_match_the_printed_tables(sample):
    jek = Filters(municipality="JEK")
    assert compute(sample, "pumpurs_total", jek)["iap_count"].tolist() == [1788]
    ranking = compute(sample, "pumpurs_school_totals", jek).set_index("school")
    assert ranking.loc["Jēkabpils 2. vidusskola", "iap_count"] == 608
    assert ranking.loc["Jēkabpils pamatskola", "merged_into_name"] == "Jēkabpils 2. vidusskola"
    merged = compute(sample, "pumpurs_school_totals", jek, merged=True).set_index("school")
    assert merged.loc["Jēkabpils 2. vidusskola", "iap_count"] == 608 + 48 + 73  # + pamatskola, vakara vidusskola
    # a merged school's total adds up schools whose cells are hidden: shown only where that tells nothing new
    assert merged.loc[["Krustpils pamatskola", "Biržu pamatskola"], "iap_count_hidden"].all()
    revealed = compute(sample, "pumpurs_school_totals", jek.model_copy(update={"suppress": False}), merged=True)
    assert int(revealed["iap_count"].sum()) == 1788
    college = compute(sample, "pumpurs_total", jek, municipal=False)
    assert college["iap_count"].tolist() == [990]


def test_jekabpils_semesters_schools_and_the_unreported_spring_2023(sample):
    jek = Filters(municipality="JEK")
    frame = _semesters(sample, jek).set_index("label")
    assert frame.loc["2021/2022 II", "schools"] == 14
    assert frame["schools"].tolist() == [6, 8, 8, 8, 7, 7, 12, 14, 12, 0]  # table 1.8
    printed = frame["stated_iap"].iloc[:-1].tolist()
    assert frame["iap_count"].iloc[:-1].tolist() == printed  # every semester total equals table 4.2
    assert frame.loc["2022/2023 II", "status"] == "not_reported" and pd.isna(frame.loc["2022/2023 II", "iap_count"])
    figures = pumpurs.headline(
        compute(sample, "pumpurs_total", jek), _semesters(sample, jek), compute(sample, "pumpurs_stated", jek)
    )
    assert (figures["pupils"]["value"], figures["pupils"]["basis"]) == (1263, "stated")
    assert (figures["share"]["value"], figures["share"]["when"]) == (6, "2022/2023 I")


def test_ludza_283_pupils_and_ludzas_pilsetas_vidusskola_110(sample):
    lud = Filters(municipality="LUD")
    total = compute(sample, "pumpurs_total", lud)
    assert total["participants"].tolist() == [283]
    ranking = compute(sample, "pumpurs_school_totals", lud).set_index("school")
    assert ranking.loc["Ludzas pilsētas vidusskola", "participants"] == 110
    assert ranking["participants_hidden"].sum() == 2  # Salnavas and Pušmucovas, 4 pupils each
    assert compute(sample, "pumpurs_support_mix", lud).empty and compute(sample, "pumpurs_plans_per_risk", lud).empty


def test_jekabpils_support_mix_keeps_its_source(sample):
    mix = compute(sample, "pumpurs_support_mix", Filters(municipality="JEK"))
    measures = mix[mix["breakdown"] == "measure"].set_index("item")["share_pct"].to_dict()
    assert measures == {"subject_consultations": 86, "specialist_consultations": 10, "economic_support": 3}
    assert all(len(s) == 1 and s[0].startswith("004_b7416a05c39121db.txt") for s in mix["source"])


def test_existing_overview_pumpurs_metrics_still_agree(sample):
    jek = Filters(municipality="JEK")
    assert int(compute(sample, "pumpurs_iap", jek)["iap_count"].sum()) == 1788
    lud = compute(sample, "pumpurs_participants", Filters(municipality="LUD"))
    assert lud["participants"].tolist() == [283]
