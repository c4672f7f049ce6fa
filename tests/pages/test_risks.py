"""The Risks page in AppTest: printed shares (Ludza, Jēkabpils), recomputed shares and the focus
list (demo), one school with hidden counts, a year with no data, English."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import en, lv, open_app, texts

PAGE = "pages/risks.py"
NBSP = "\u00a0"
GROUP = lv("risks.col_group")
SHARE = lv("risks.col_share")
SUB = lv("risks.col_sub")
DEMO_SCHOOLS = 7  # the demo schools with a 2024/2025 risk report
LEARNING, SOCIAL, FAMILY, ECONOMIC = (
    lv(f"risks.group.{g}") for g in ("learning_school", "social_health", "family", "economic")
)


def tables(at: AppTest) -> list:
    return [frame.value for frame in at.dataframe]


def column(frame, name: str) -> dict:
    """One column of a shown table keyed by its first column."""
    return dict(zip(frame.iloc[:, 0], frame[name], strict=True))


def test_default_view_ludza_printed_shares_and_what_is_missing():
    at = open_app(page=PAGE)
    page = texts(at)
    assert lv("risks.title") in page and lv("risks.subtitle", municipality="Ludzas novads") in page
    groups = tables(at)[0].set_index(GROUP)
    assert groups.loc[LEARNING, SHARE] == "94,0%"
    assert groups.loc[FAMILY, SHARE] == "6,0%"
    assert groups.loc[ECONOMIC, SHARE] == lv("common.no_data")  # the chart leaves it out: not 0
    assert groups.loc[FAMILY, lv("risks.col_basis")] == lv("risks.basis_stated")
    assert lv("risks.groups_missing", groups=f"{SOCIAL}, {ECONOMIC}") in page
    assert lv("risks.pumpurs_caveat") in page  # the Pumpurs tool caveat
    # ... without the Jēkabpils programme's note (issue 17): not Ludza's
    assert lv("risks.pumpurs_caveat_JEK") not in page and "Jēkabpils" not in page
    assert lv("common.source", source=lv("documents.d000_1fa73b8ac5d971ff")) in page
    subs = tables(at)[1].set_index(SUB)
    assert subs.loc[lv("risks.sub.content_difficulty"), SHARE] == "77,0%"
    no_focus = lv("risks.no_focus", municipality="Ludzas novads")
    assert lv("common.no_data_for", what=no_focus) in page  # no per-school counts
    assert len(at.get("download_button")) == 2 * len(at.dataframe)  # CSV and XLSX of every table


def test_choosing_the_family_group_shows_its_sub_risks():
    at = open_app(page=PAGE)
    at.segmented_control(key="risks_sub_group").set_value("family").run()
    subs = tables(at)[1].set_index(SUB)
    assert subs[SHARE].to_dict() == {
        lv("risks.sub.parents_not_supporting"): "23,0%",
        lv("risks.sub.long_absence"): "8,0%",
        lv("risks.sub.other"): "69,0%",
    }


def test_english_jekabpils_says_the_printed_shares_sum_to_100_4_and_names_sub_risks_without_shares():
    at = open_app(page=PAGE, m="JEK", lang="en")
    page = texts(at)
    assert en("risks.title") in page and en("risks.subtitle", municipality="Jēkabpils municipality") in page
    assert en("risks.stated_sum", total="100.4%") in page
    assert en("risks.pumpurs_caveat_JEK") in page
    groups = tables(at)[0].set_index(en("risks.col_group"))
    assert groups[en("risks.col_share")].to_dict() == {
        en("risks.group.learning_school"): "98.0%",
        en("risks.group.social_health"): "1.0%",
        en("risks.group.family"): "1.0%",
        en("risks.group.economic"): "0.4%",
    }
    subs = tables(at)[1]
    assert set(subs[en("risks.col_share")]) == {en("risks.share_not_given")}  # named in the text, never 0
    assert en("risks.sub_caption_named") in page


def test_demo_recomputes_shares_shows_the_trend_and_ranks_focus_schools():
    at = open_app(page=PAGE, m="DEMO", lang="en")
    page = texts(at)
    assert en("app.synthetic_warning") in page
    # 2024/2025: 170 of 229 identified risks are learning/school risks
    assert en("risks.groups_caption_counts", identified=229, schools=DEMO_SCHOOLS) in page
    group, share, per_100, rank = (en(f"risks.col_{c}") for c in ("group", "share", "per_100", "rank"))
    groups = tables(at)[0].set_index(group)
    learning = en("risks.group.learning_school")
    assert groups.loc[learning, share] == "74.2%"
    assert groups.loc[learning, en("risks.col_pupils")] == "170"
    assert groups.loc[en("risks.group.economic"), en("risks.col_basis")] == en("risks.basis_counts")
    assert en("risks.trend_title") in page
    trend = tables(at)[2]
    all_groups = trend[trend[group] == en("risks.group.total")].set_index(en("common.period"))
    assert all_groups.loc["2024/2025", per_100] == "13.0"  # 229 risks / 1,758 pupils
    focus = tables(at)[3]
    assert focus.iloc[0][[rank, en("common.school"), per_100, en("risks.col_prev_rank")]].tolist() == [
        "1",
        "Parauga 2. vidusskola",
        "15.3",
        "1",
    ]
    hidden = focus[focus[rank] == "–"]
    assert set(hidden[per_100]) == {"x"} and set(hidden[en("risks.col_identified")]) == {"x"}
    assert en("risks.unranked") in page


def test_one_school_hides_small_counts_and_the_shares_that_would_reveal_them():
    at = open_app(page=PAGE, m="DEMO", s="demo_kalnienas_pamatskola", y="2024/2025")
    groups = tables(at)[0].set_index(GROUP)
    # Kalnienas 2024/2025: learning 4 and family 1 (hidden), social and economic 0 (shown: 0 reveals nobody)
    assert groups[SHARE].to_dict() == {LEARNING: "x", SOCIAL: "0,0%", FAMILY: "x", ECONOMIC: "0,0%"}
    assert groups.loc[FAMILY, lv("risks.col_pupils")] == "x"
    assert set(tables(at)[1][SHARE]) == {"x"}  # the hidden group's sub-risks
    focus = tables(at)[-1]
    assert focus[[lv("risks.col_rank"), lv("common.school"), lv("risks.col_per_100")]].values.tolist() == [
        ["4", "Kalnienas pamatskola", "7,5"]
    ]  # its place among all the demo municipality's schools, as in the unfiltered list
    assert lv("risks.trend_title") not in texts(at)  # one year: no trend


def test_a_year_without_data_says_so_instead_of_an_empty_chart():
    at = open_app(page=PAGE, m="LUD", y="2023/2024")
    assert lv("common.no_data_for", what=lv("risks.no_data", municipality="Ludzas novads")) in texts(at)
    assert not at.get("plotly_chart") and not at.dataframe


def test_a_school_of_a_municipality_with_municipal_figures_only():
    at = open_app(page=PAGE, m="LUD", s="lud_ludzas_2_vidusskola")
    no_school_data = lv("risks.no_school_data", municipality="Ludzas novads")
    assert lv("common.no_data_for", what=no_school_data) in texts(at)
    assert not at.get("plotly_chart")


def test_a_focus_school_opens_in_its_profile():
    """Drill-down from the meeting's focus list: the chosen school's profile, and the URL names it."""
    at = open_app(page=PAGE, m="DEMO", lang="en")
    choice = at.selectbox(key="risks_focus_profile")
    assert choice.options[0] == "Parauga 2. vidusskola"  # the ranking's order: rank 1 first
    at.button(key="risks_focus_open").click().run()
    assert not at.exception
    assert at.title[0].value == en("profile.title")
    assert at.selectbox(key="profile_school").value == "demo_parauga_2_vidusskola"
    assert at.query_params["school"] == "demo_parauga_2_vidusskola"  # the profile's own, not the filter
