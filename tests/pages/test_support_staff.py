"""The Support staff page in AppTest: real figures, the norm setting, the source note, empty states."""

from __future__ import annotations

from tests.pages.conftest import en, lv, open_app, open_on_demand, sections, texts

NBSP = "\u00a0"
PAGE = "pages/support_staff.py"
MEETS = lv("support_staff.kpi_meets")
GAP = lv("support_staff.kpi_gap")
RULE = lv("support_staff.col_rule")
SCHOOL = lv("common.school")
STATUS = lv("support_staff.col_status")
PSYCHOLOGIST = lv("support_staff.role.psychologist")


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table(at, column: str):
    """The first table shown (in a chart's table tab) that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_default_ludza_flat_norm_shows_one_school_meeting_and_the_gap():
    at = open_app(PAGE)
    page = texts(at)
    assert lv("support_staff.title") in page and lv("support_staff.intro", municipality="Ludzas novads") in page
    assert lv("support_staff.rule_flat_text", base="0,3") in page  # the rule is stated on screen
    metrics = _metrics(at)
    assert metrics[MEETS] == "1"
    # Literal on purpose: FTE with the Latvian decimal comma and the decimals of the printed FTE it adds up.
    assert metrics[GAP] == "3,833"
    assert metrics[lv("support_staff.kpi_no_data")] == "1" and "Mežvidu pamatskola" in page
    assert lv("support_staff.cost_hint", year="2022/2023", fte="3,833") in page  # no cost per FTE entered yet
    heat = _table(at, RULE).set_index(SCHOOL)
    assert heat.loc["Ludzas 2.vidusskola", STATUS] == lv("support_staff.status.meets")
    special = lv("support_staff.role.special_educator")
    assert heat.loc["Ludzas pilsētas vidusskola", special] == lv("support_staff.not_listed")
    assert heat.loc["Ludzas Mūzikas pamatskola", PSYCHOLOGIST] == "0,167"  # as printed in the source
    assert heat.loc["Mežvidu pamatskola", PSYCHOLOGIST] == lv("common.no_data")
    assert heat.loc["Mežvidu pamatskola", STATUS] == lv("support_staff.status.no_data")
    assert heat[RULE].str.contains("0,3 slodzes").all()  # the rule goes into the export
    assert lv("support_staff.trend_title") not in page  # one year only: no trend


def test_the_speech_therapist_source_note_is_shown_with_the_data():
    at = open_app(PAGE, m="LUD")
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1
    # the figures are the source's (3,25 stated, 3,2 summed), written with the Latvian decimal comma
    note = lv(
        "support_staff.stated_differs",
        role=lv("support_staff.role.speech_therapist"),
        year="2022/2023",
        stated="3,25",
        summed="3,2",
        diff="0,05",
    )
    assert note in warnings[0]


def test_scaled_norm_and_a_cost_per_fte():
    at = open_app(PAGE, m="LUD")
    at.radio(key="staff_rule").set_value("scaled").run()
    assert not at.exception
    page = texts(at)
    scaled = lv("support_staff.rule_scaled_text", base="0,3", up_to=300, step="0,1", per=100)
    assert scaled in page
    metrics = _metrics(at)
    assert metrics[MEETS] == "0" and metrics[GAP] == "4,233"
    heat = _table(at, RULE).set_index(SCHOOL)
    assert heat.loc["Ludzas 2.vidusskola", lv("support_staff.col_norm")] == "0,6"  # 519 pupils
    assert (heat[RULE] == scaled).all()
    at.number_input(key="staff_cost").set_value(20000).run()
    # the sums stay literal: Latvian groups thousands with a no-break space
    cost = lv("support_staff.cost_line", year="2022/2023", fte="4,233", cost=f"20{NBSP}000", total=f"84{NBSP}660")
    assert cost in texts(at)


def test_english_demo_with_trend_zeros_and_not_listed_apart():
    at = open_app(PAGE, m="DEMO", lang="en")
    page = texts(at)
    assert en("support_staff.title") in page and en("support_staff.trend_title") in page
    # invented figures are labelled as such
    assert en("app.synthetic_warning") in " ".join(w.value for w in at.warning)
    assert at.selectbox(key="staff_year").value == "2024/2025"
    trend = _table(at, en("support_staff.col_reporting"))
    assert trend[en("common.school_year")].tolist() == [f"{y}/{y + 1}" for y in range(2018, 2025)]
    school = en("common.school")
    heat = _table(at, en("support_staff.col_rule")).set_index(school)
    assert heat.loc["Ezermalas vidusskola", en("support_staff.role.social_pedagogue")] == "0.0"  # an explicit 0
    assert heat.loc["Ezermalas vidusskola", en("support_staff.role.psychologist")] == en("support_staff.not_listed")
    assert _metrics(at)[en("support_staff.kpi_no_data")] == "0"
    ratios = _table(at, en("support_staff.role.career_counsellor"))  # context roles are shown too
    assert en("support_staff.total") in ratios[school].tolist()


def test_jekabpils_says_plainly_there_is_no_fte_table():
    at = open_app(PAGE, m="JEK")
    assert lv("support_staff.no_fte_table", name="Jēkabpils novads") in [i.value for i in at.info]
    assert not at.metric and not at.dataframe


def test_one_school_meeting_the_norm_has_no_gap_chart():
    at = open_app(PAGE, m="LUD", s="lud_ludzas_2_vidusskola")
    metrics = _metrics(at)
    assert metrics[MEETS] == "1" and metrics[GAP] == "0,0"
    assert lv("support_staff.gap_title", year="2022/2023") not in texts(at)


def test_a_year_without_staff_data_says_so():
    at = open_app(PAGE, m="LUD", y="2023/2024")
    assert lv("support_staff.no_fte_chosen", name="Ludzas novads") in [i.value for i in at.info]
    assert not at.metric


def test_a_school_without_a_staff_report_is_no_data_not_below_the_norm():
    at = open_app(PAGE, m="LUD", s="lud_mezvidu_pamatskola")
    assert lv("support_staff.no_fte_chosen", name="Ludzas novads") in [i.value for i in at.info]
    assert not at.metric


def test_a_school_with_a_gap_opens_in_its_profile():
    at = open_app(PAGE, m="LUD")
    choice = at.selectbox(key="staff_gap_profile")
    gaps = next(d.value for d in at.dataframe if RULE in d.value and STATUS not in d.value)
    with_gap = gaps[gaps[lv("support_staff.col_gap")] != "0,0"][SCHOOL].tolist()
    assert choice.options == with_gap  # the gap chart's order, largest gap first
    assert choice.options[0] == "Ludzas Mūzikas pamatskola" and "Ludzas 2.vidusskola" not in choice.options
    choice.set_value(choice.value).run()
    at.button(key="staff_gap_open").click().run()
    assert not at.exception
    assert at.title[0].value == lv("profile.title")
    assert at.query_params["school"] == at.selectbox(key="profile_school").value


def test_the_gap_chart_and_pupils_per_fte_are_drawn_on_demand():
    """The gap chart (the heat table above marks every gap) and the two heat tables of pupils per FTE
    (many worded cells), both below the first screen, are drawn when the reader opens them, with their
    tables, downloads and the gap chart's way to a school's profile."""
    at = open_app(PAGE, opened=False, m="LUD")
    charts = len(at.get("plotly_chart"))
    assert not at.get("download_button")  # the tables (and their downloads) are drawn when their tab is opened
    labels = [e.label for e in at.expander]
    assert labels.count(lv("support_staff.gap_open")) == 1 and labels.count(lv("support_staff.ratio_open")) == 1
    assert not [s for s in at.selectbox if s.key == "staff_gap_profile"]
    assert sections(open_on_demand(at)) == ["staff_gaps_open", "staff_ratio_open"]
    assert len(at.get("plotly_chart")) == charts + 3
    keys = {b.key for b in at.get("download_button")}  # each chart's table tab opened too
    assert {"staff_gap_csv", "staff_gap_xlsx", "staff_ratio_csv", "staff_ratio_xlsx"} <= keys
    assert at.selectbox(key="staff_gap_profile").options
