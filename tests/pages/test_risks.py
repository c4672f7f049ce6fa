"""The Risks page in AppTest: printed shares (Ludza, Jēkabpils), recomputed shares and the focus
list (demo), one school with hidden counts, a year with no data, English."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import open_app, texts

PAGE = "pages/risks.py"
NBSP = "\u00a0"


def tables(at: AppTest) -> list:
    return [frame.value for frame in at.dataframe]


def column(frame, name: str) -> dict:
    """One column of a shown table keyed by its first column."""
    return dict(zip(frame.iloc[:, 0], frame[name], strict=True))


def test_default_view_ludza_printed_shares_and_what_is_missing():
    at = open_app(page=PAGE)
    page = texts(at)
    assert "PMP riski" in page and "Ludzas novads" in page
    groups = tables(at)[0].set_index("Risku grupa")
    assert groups.loc["Mācību darbs un skolas vide", "Daļa"] == "94,0%"
    assert groups.loc["Ģimene", "Daļa"] == "6,0%"
    assert groups.loc["Ekonomiskie apstākļi", "Daļa"] == "nav datu"  # the chart leaves it out: not 0
    assert groups.loc["Ģimene", "Aprēķins"] == "kā publicēts"
    assert "Avotā nav skaitļa grupām: Sociālā vide un veselība, Ekonomiskie apstākļi. Tas nenozīmē 0." in page
    assert "Dati: projekta “Pumpurs” risku rīks" in page  # the Pumpurs tool caveat
    assert "Jēkabpils" not in page  # ... without the Jēkabpils programme's note (issue 17): not Ludza's
    assert "Avots: Ludzas novada PMP prevencijas sistēma un ieviešanas plāns 2024–2027" in page
    subs = tables(at)[1].set_index("Apakšrisks")
    assert subs.loc["Grūtības apgūt mācību saturu", "Daļa"] == "77,0%"
    assert "Nav datu: risku skaits pa skolām (pašvaldība: Ludzas novads)" in page  # no per-school counts
    assert len(at.get("download_button")) == 2 * len(at.dataframe)  # CSV and XLSX of every table


def test_choosing_the_family_group_shows_its_sub_risks():
    at = open_app(page=PAGE)
    at.segmented_control(key="risks_sub_group").set_value("family").run()
    subs = tables(at)[1].set_index("Apakšrisks")
    assert subs["Daļa"].to_dict() == {
        "Vecāki neatbalsta mācības": "23,0%",
        "Ilgstoša prombūtne": "8,0%",
        "Cits": "69,0%",
    }


def test_english_jekabpils_says_the_printed_shares_sum_to_100_4_and_names_sub_risks_without_shares():
    at = open_app(page=PAGE, m="JEK", lang="en")
    page = texts(at)
    assert "PMP risks" in page and "Jēkabpils municipality" in page
    assert "The printed group shares add up to 100.4%, not 100%" in page
    assert "social-environment and family risks may in fact be much larger" in page
    groups = tables(at)[0].set_index("Risk group")
    assert groups["Share"].to_dict() == {
        "Learning and school environment": "98.0%",
        "Social environment and health": "1.0%",
        "Family": "1.0%",
        "Economic": "0.4%",
    }
    subs = tables(at)[1]
    assert set(subs["Share"]) == {"share not given"}  # named in the text, never 0
    assert "The source names these sub-risks as the most frequent but gives no shares." in page


def test_demo_recomputes_shares_shows_the_trend_and_ranks_focus_schools():
    at = open_app(page=PAGE, m="DEMO", lang="en")
    page = texts(at)
    assert "synthetic" in page
    # 2024/2025: 170 of 229 identified risks are learning/school risks
    assert "Each group's share of all identified risks (229)" in page
    groups = tables(at)[0].set_index("Risk group")
    assert groups.loc["Learning and school environment", "Share"] == "74.2%"
    assert groups.loc["Learning and school environment", "Identified risks"] == "170"
    assert groups.loc["Economic", "Basis"] == "recomputed from counts"
    assert "Change over the years" in page
    trend = tables(at)[2]
    all_groups = trend[trend["Risk group"] == "All groups"].set_index("Period")
    assert all_groups.loc["2024/2025", "Per 100 pupils"] == "13.0"  # 229 risks / 1,758 pupils
    focus = tables(at)[3]
    assert focus.iloc[0][["Rank", "School", "Per 100 pupils", "Rank last year"]].tolist() == [
        "1",
        "Parauga 2. vidusskola",
        "15.3",
        "1",
    ]
    hidden = focus[focus["Rank"] == "–"]
    assert set(hidden["Per 100 pupils"]) == {"x"} and set(hidden["Identified risks, all groups"]) == {"x"}
    assert "Schools without a rank number" in page


def test_one_school_hides_small_counts_and_the_shares_that_would_reveal_them():
    at = open_app(page=PAGE, m="DEMO", s="demo_kalnienas_pamatskola", y="2024/2025")
    groups = tables(at)[0].set_index("Risku grupa")
    # Kalnienas 2024/2025: learning 4 and family 1 (hidden), social and economic 0 (shown: 0 reveals nobody)
    assert groups["Daļa"].to_dict() == {
        "Mācību darbs un skolas vide": "x",
        "Sociālā vide un veselība": "0,0%",
        "Ģimene": "x",
        "Ekonomiskie apstākļi": "0,0%",
    }
    assert groups.loc["Ģimene", "Identificētie riski"] == "x"
    assert set(tables(at)[1]["Daļa"]) == {"x"}  # the hidden group's sub-risks
    focus = tables(at)[-1]
    assert focus[["Vieta", "Izglītības iestāde", "Uz 100 izglītojamajiem"]].values.tolist() == [
        ["4", "Kalnienas pamatskola", "7,5"]
    ]  # its place among all the demo municipality's schools, as in the unfiltered list
    assert "Pārmaiņas pa gadiem" not in texts(at)  # one year: no trend


def test_a_year_without_data_says_so_instead_of_an_empty_chart():
    at = open_app(page=PAGE, m="LUD", y="2023/2024")
    assert "Nav datu: PMP risku dati izvēlētajam periodam (pašvaldība: Ludzas novads)." in texts(at)
    assert not at.get("plotly_chart") and not at.dataframe


def test_a_school_of_a_municipality_with_municipal_figures_only():
    at = open_app(page=PAGE, m="LUD", s="lud_ludzas_2_vidusskola")
    assert "risku dati ir tikai par visu novadu kopā" in texts(at)
    assert not at.get("plotly_chart")


def test_a_focus_school_opens_in_its_profile():
    """Drill-down from the meeting's focus list: the chosen school's profile, and the URL names it."""
    at = open_app(page=PAGE, m="DEMO", lang="en")
    choice = at.selectbox(key="risks_focus_profile")
    assert choice.options[0] == "Parauga 2. vidusskola"  # the ranking's order: rank 1 first
    at.button(key="risks_focus_open").click().run()
    assert not at.exception
    assert at.title[0].value == "School profile"
    assert at.selectbox(key="profile_school").value == "demo_parauga_2_vidusskola"
    assert at.query_params["school"] == "demo_parauga_2_vidusskola"  # the profile's own, not the filter
