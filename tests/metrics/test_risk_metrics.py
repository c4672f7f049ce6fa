"""PMP risk metrics on a tiny database (ratio of sums, NULL is not 0, printed shares, suppression
that also hides revealing shares, the focus ranking) and on the real sample data."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from metrics import risks
from metrics.filters import Filters
from metrics.registry import compute
from tests import factories

SRC = "test"


def _mun(code):
    return factories.municipality(code)


def _school(sid, municipality="AAA"):
    return factories.school(sid, municipality)


def _enrol(sid, year, pupils):
    return {
        "school_id": sid,
        "school_year": year,
        "start_year": int(year[:4]),
        "grade_band": "total",
        "pupils": pupils,
        "source": f"enrolment {sid}",
    }


def _risk(scope, period, group, sub="", pupils=None, share=None, municipality="AAA"):
    return {
        "municipality": municipality,
        "scope": scope,
        "period": period,
        "start_year": int(period[:4]),
        "end_year": int(period[-9:-5]),
        "risk_group": group,
        "sub_risk": sub,
        "pupils": pupils,
        "share_pct": share,
        "population": "Pumpurs participants" if scope == municipality else "pupils at PMP risk (school report)",
        "source": f"{SRC} {scope}",
    }


def _report(sid, year, learning, social, family, economic):
    return [
        _risk(sid, year, group, pupils=n)
        for group, n in zip(risks.GROUPS, (learning, social, family, economic), strict=True)
    ]


Y22, Y23 = "2022/2023", "2023/2024"


@pytest.fixture
def con(tiny_db):
    return tiny_db(
        {
            "municipality": [_mun("AAA"), _mun("BBB")],
            "school": [_school("a"), _school("b"), _school("c"), _school("d")],
            "enrolment": [
                _enrol("a", Y22, 200),
                _enrol("b", Y22, 100),
                _enrol("c", Y22, 80),
                _enrol("a", Y23, 150),
                _enrol("b", Y23, 100),
                _enrol("c", Y23, 100),
                _enrol("d", Y23, 10),
            ],
            "risk": [
                # 2022/2023: a 50 identified of 200 pupils, b 40 of 100; c has no count for one group
                *_report("a", Y22, 30, 6, 10, 4),
                *_report("b", Y22, 10, 0, 20, 10),
                *_report("c", Y22, 8, None, 2, 1),
                _risk("a", Y22, "learning_school", "content_difficulty", 20),
                _risk("a", Y22, "learning_school", "lag_previous_stage", 10),
                _risk("b", Y22, "learning_school", "content_difficulty", 10),
                _risk("b", Y22, "learning_school", "lag_previous_stage", 0),
                _risk("a", Y22, "social_health", "health", 6),
                _risk("a", Y22, "social_health", "social_environment", 0),
                # 2023/2024: a and b tie at 20 per 100; d is highest (30) but has only 3 risks
                *_report("a", Y23, 20, 5, 5, 0),
                *_report("b", Y23, 10, 5, 5, 0),
                *_report("c", Y23, 2, 1, 1, 1),
                *_report("d", Y23, 1, 1, 1, 0),
                # BBB: printed municipal shares over a Pumpurs period; two groups only, one sub-risk named
                _risk("BBB", "2021/2022-2022/2023", "learning_school", share=94, municipality="BBB"),
                _risk("BBB", "2021/2022-2022/2023", "family", share=6.5, municipality="BBB"),
                _risk("BBB", "2021/2022-2022/2023", "learning_school", "content_difficulty", municipality="BBB"),
            ],
        }
    )


def _groups(con, **filters) -> pd.DataFrame:
    frame = compute(con, "risk_group_share", Filters(**filters))
    return frame.set_index(["period", "risk_group"])


def test_group_shares_are_a_ratio_of_sums_not_a_mean_of_school_shares(con):
    frame = _groups(con, municipality="AAA", years=(Y22,))
    learning = frame.loc[(Y22, "learning_school")]
    # (30 + 10) / (50 + 40) = 44.4 %; the mean of the school shares (60 % and 25 %) would be 42.5 %
    assert learning["share_pct"] == pytest.approx(100 * 40 / 90)
    assert (learning["pupils"], learning["identified"]) == (40, 90)
    # identified risks per 100 pupils: 90 / 300, not the mean of 25 and 40
    assert learning["identified_per_100"] == pytest.approx(30.0)
    assert learning["per_100"] == pytest.approx(100 * 40 / 300)
    assert frame["share_pct"].sum() == pytest.approx(100)
    assert set(frame["share_basis"]) == {"counts"}


def test_a_school_without_a_count_for_one_group_is_left_out_not_counted_as_zero(con):
    row = _groups(con, municipality="AAA", years=(Y22,)).loc[(Y22, "economic")]
    # c's missing social count would otherwise be 0 and its 8 + 2 + 1 would enter the sums
    assert row["pupils"] == 14 and row["identified"] == 90
    assert (row["schools"], row["schools_incomplete"]) == (2, 1)
    assert row["enrolled"] == 300  # c's 80 pupils are not in the denominator either
    only_c = _groups(con, municipality="AAA", schools=("c",), years=(Y22,))
    assert only_c["share_pct"].isna().all() and only_c["pupils"].isna().all()
    assert not only_c["share_pct_hidden"].any()  # no data, which is not the same as hidden


def test_printed_shares_are_kept_and_a_group_the_source_leaves_out_has_no_figure(con):
    frame = _groups(con, municipality="BBB")
    period = "2021/2022-2022/2023"
    assert frame.loc[(period, "learning_school"), "share_pct"] == 94
    assert frame.loc[(period, "family"), "share_basis"] == "stated"
    assert pd.isna(frame.loc[(period, "economic"), "share_pct"])  # not 0
    assert pd.isna(frame.loc[(period, "economic"), "share_basis"])
    assert frame["stated_sum"].iloc[0] == pytest.approx(100.5)  # shown so the page can say so
    assert bool(frame["pumpurs_tool"].iloc[0])
    assert list(frame.index.get_level_values("risk_group")) == list(risks.GROUPS)


def test_a_multi_year_period_matches_any_of_its_years_and_never_a_school(con):
    assert not _groups(con, municipality="BBB", years=("2021/2022",)).empty
    assert _groups(con, municipality="BBB", years=("2023/2024",)).empty
    assert _groups(con, municipality="BBB", schools=("a",)).empty  # the municipal figure is not a school's


def test_shares_whose_count_is_hidden_are_hidden_with_it(con):
    frame = _groups(con, municipality="AAA", schools=("a",), years=(Y22,)).xs(Y22)
    # a: economic 4 is below 5; another of a's groups goes with it (a's identified risks are shown)
    hidden = frame.index[frame["pupils_hidden"]].tolist()
    assert "economic" in hidden and len(hidden) == 2 and "learning_school" not in hidden
    assert frame["share_pct_hidden"].equals(frame["pupils_hidden"])
    assert frame.loc[hidden, ["share_pct", "per_100"]].isna().all().all()
    assert frame.loc["learning_school", "share_pct"] == pytest.approx(60.0)


def test_sub_risks_are_a_ratio_of_sums_within_their_group(con):
    groups = compute(con, "risk_group_share", Filters(municipality="AAA", years=(Y22,)))
    subs = risks.sub_shares(compute(con, "risk_sub_share", Filters(municipality="AAA", years=(Y22,))), groups)
    learning = subs[subs["risk_group"] == "learning_school"].set_index("sub_risk")
    assert learning["pupils"].to_dict() == {"content_difficulty": 30, "lag_previous_stage": 10}
    assert learning["share_pct"].to_dict() == pytest.approx({"content_difficulty": 75.0, "lag_previous_stage": 25.0})


def test_sub_risks_of_a_hidden_group_stay_hidden_even_when_they_are_large():
    groups = pd.DataFrame({"period": [Y22, Y22], "risk_group": ["social_health", "learning_school"],
                           "pupils_hidden": [True, False]})  # fmt: skip
    subs = pd.DataFrame(
        {
            "period": [Y22] * 3,
            "risk_group": ["social_health", "social_health", "learning_school"],
            "sub_risk": ["health", "social_environment", "content_difficulty"],
            "pupils": [6, 0, 30],
            "pupils_hidden": [False, False, False],
            "share_pct": [100.0, 0.0, 100.0],
        }
    )
    out = risks.sub_shares(subs, groups).set_index("sub_risk")
    # social hidden: its sub-risks (6 and 0) would give it back
    assert out.loc[["health", "social_environment"], "pupils_hidden"].all()
    assert out.loc[["health", "social_environment"], "share_pct"].isna().all()
    assert not out.loc["content_difficulty", "pupils_hidden"]


def test_a_named_sub_risk_without_a_figure_has_no_share_not_zero(con):
    subs = compute(con, "risk_sub_share", Filters(municipality="BBB"))
    row = subs.iloc[0]
    assert row["sub_risk"] == "content_difficulty"
    assert pd.isna(row["share_pct"]) and pd.isna(row["pupils"]) and not row["pupils_hidden"]


def test_focus_schools_rank_rates_with_ties_and_last_years_rank(con):
    frame = compute(con, "focus_schools", Filters(municipality="AAA", years=(Y23,)))
    assert set(frame.loc[~frame["selected"], "school_year"]) == {Y22}  # last year comes along for its rank
    focus = risks.focus_schools(frame).set_index("school_id")
    assert list(focus.index) == ["a", "b", "c", "d"]
    assert (focus["school_year"] == Y23).all()
    assert focus.loc["a", "per_100"] == pytest.approx(20.0) and focus.loc["b", "per_100"] == pytest.approx(20.0)
    assert focus["rank"].tolist()[:2] == [1, 1]  # a tie shares the rank
    # last year: b 40 per 100 (first), a 25 (second), c incomplete (no rate, no rank)
    assert focus.loc["a", "prev_rank"] == 2 and focus.loc["b", "prev_rank"] == 1
    assert focus.loc["a", "prev_per_100"] == pytest.approx(25.0)
    assert pd.isna(focus.loc["c", "prev_rank"])


def test_chosen_schools_keep_their_place_among_all_the_municipalitys_schools(con):
    whole = compute(con, "focus_schools", Filters(municipality="AAA", years=(Y23,), suppress=False))
    chosen = risks.focus_schools(whole, ("c", "b")).set_index("school_id")
    assert chosen["rank"].to_dict() == {"b": 2, "c": 4}  # not 1 and 2: their places in the municipality
    assert chosen.loc["b", "prev_rank"] == 1


def test_a_school_with_a_hidden_count_is_not_ranked_even_with_the_highest_rate(con):
    focus = risks.focus_schools(compute(con, "focus_schools", Filters(municipality="AAA", years=(Y23,))))
    focus = focus.set_index("school_id")
    # d: 3 risks of 10 pupils (30 per 100) is hidden and gets no rank, so no rank can narrow it down;
    # its groups are hidden with schools' groups elsewhere, so the totals do not give it back either
    assert (
        focus.loc["d", "identified_hidden"] and pd.isna(focus.loc["d", "per_100"]) and pd.isna(focus.loc["d", "rank"])
    )
    assert focus.loc[focus["identified_hidden"], "rank"].isna().all()
    open_view = risks.focus_schools(
        compute(con, "focus_schools", Filters(municipality="AAA", years=(Y23,), suppress=False))
    )
    assert open_view.set_index("school_id")["rank"].to_dict() == {"d": 1, "a": 2, "b": 2, "c": 4}


def test_focus_schools_without_a_complete_report_have_no_rate(con):
    frame = compute(con, "focus_schools", Filters(municipality="AAA", years=(Y22,))).set_index("school_id")
    assert pd.isna(frame.loc["c", "identified"]) and pd.isna(frame.loc["c", "per_100"])  # not 11, not 0
    assert not frame.loc["c", "identified_hidden"]
    assert frame.loc["c", "enrolled"] == 80


def test_trend_lines_add_an_all_groups_line_per_counted_period(con):
    groups = compute(con, "risk_group_share", Filters(municipality="AAA"))
    lines = risks.trend_lines(groups)
    total = lines[lines["risk_group"] == "total"].set_index("period")
    assert total.loc[Y22, "per_100"] == pytest.approx(30.0)
    assert len(lines) == 2 * 5
    assert risks.trend_lines(compute(con, "risk_group_share", Filters(municipality="BBB"))).empty


@pytest.fixture(scope="module")
def sample(sample_db):
    connection = duckdb.connect(str(sample_db), read_only=True)
    yield connection
    connection.close()


def test_jekabpils_printed_shares_sum_to_100_4_and_sub_risks_are_named_only(sample):
    groups = compute(sample, "risk_group_share", Filters(municipality="JEK")).set_index("risk_group")
    assert groups["share_pct"].to_dict() == {"learning_school": 98, "social_health": 1, "family": 1, "economic": 0.4}
    assert groups["stated_sum"].iloc[0] == pytest.approx(100.4)
    subs = compute(sample, "risk_sub_share", Filters(municipality="JEK"))
    assert set(subs["sub_risk"]) == {"content_difficulty", "low_achievement", "lag_previous_stage"}
    assert subs["share_pct"].isna().all()


def test_ludza_shows_two_groups_and_the_sub_risk_charts(sample):
    groups = compute(sample, "risk_group_share", Filters(municipality="LUD")).set_index("risk_group")
    assert groups["share_pct"].dropna().to_dict() == {"learning_school": 94, "family": 6}
    subs = compute(sample, "risk_sub_share", Filters(municipality="LUD")).set_index("sub_risk")
    assert subs.loc["content_difficulty", "share_pct"] == 77 and subs.loc["other", "share_pct"] == 69


def test_demo_shares_are_recomputed_from_pupil_counts(sample):
    f = Filters(municipality="DEMO", years=("2024/2025",))
    groups = compute(sample, "risk_group_share", f).set_index("risk_group")
    raw = sample.execute(
        "SELECT risk_group, sum(pupils) FROM risk WHERE municipality = 'DEMO' AND period = '2024/2025' "
        "AND sub_risk = '' GROUP BY ALL"
    ).fetchall()
    counts = dict(raw)
    assert groups["pupils"].to_dict() == counts
    assert groups.loc["family", "share_pct"] == pytest.approx(100 * counts["family"] / sum(counts.values()))
    focus = risks.focus_schools(compute(sample, "focus_schools", f))
    assert focus["rank"].iloc[0] == 1 and focus["prev_rank"].notna().any()
