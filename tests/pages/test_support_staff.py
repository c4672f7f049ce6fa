"""The Support staff page in AppTest: real figures, the norm setting, the source note, empty states."""

from __future__ import annotations

from tests.pages.conftest import open_app, texts

NBSP = "\u00a0"
PAGE = "pages/support_staff.py"


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table(at, column: str):
    """The first table shown (in a chart's table tab) that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_default_ludza_flat_norm_shows_one_school_meeting_and_the_gap():
    at = open_app(PAGE)
    page = texts(at)
    assert "Atbalsta personāls" in page and "Ludzas novads" in page
    assert "katrs vismaz 0,3 slodzes" in page  # the rule is stated on screen
    metrics = _metrics(at)
    assert metrics["Atbilst normai"] == "1"
    assert metrics["Trūkst slodžu"] == "3,833"  # 3.833 FTE, the decimals of the printed FTE it adds up
    assert metrics["Skolas bez datiem"] == "1" and "Mežvidu pamatskola" in page
    assert "jāpieliek 3,833 slodzes. Ievadiet izmaksas" in page  # no cost per FTE entered yet
    heat = _table(at, "Normas noteikums").set_index("Izglītības iestāde")
    assert heat.loc["Ludzas 2.vidusskola", "Statuss"] == "atbilst normai"
    assert heat.loc["Ludzas pilsētas vidusskola", "Speciālais pedagogs"] == "nav norādīts"
    assert heat.loc["Ludzas Mūzikas pamatskola", "Psihologs"] == "0,167"  # as printed in the source
    assert heat.loc["Mežvidu pamatskola", "Psihologs"] == "nav datu"
    assert heat.loc["Mežvidu pamatskola", "Statuss"] == "nav datu"
    assert heat["Normas noteikums"].str.contains("0,3 slodzes").all()  # the rule goes into the export
    assert "Trūkstošās slodzes pa mācību gadiem" not in page  # one year only: no trend


def test_the_speech_therapist_source_note_is_shown_with_the_data():
    at = open_app(PAGE, m="LUD")
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1
    assert "Logopēds" in warnings[0] and "3,25" in warnings[0] and "3,2 " in warnings[0] and "0,05" in warnings[0]


def test_scaled_norm_and_a_cost_per_fte():
    at = open_app(PAGE, m="LUD")
    at.radio(key="staff_rule").set_value("scaled").run()
    assert not at.exception
    page = texts(at)
    assert "līdz 300 izglītojamajiem" in page and "0,1 slodzes par katriem nākamajiem 100" in page
    metrics = _metrics(at)
    assert metrics["Atbilst normai"] == "0" and metrics["Trūkst slodžu"] == "4,233"
    heat = _table(at, "Normas noteikums").set_index("Izglītības iestāde")
    assert heat.loc["Ludzas 2.vidusskola", "Norma, slodzes"] == "0,6"  # 519 pupils
    assert heat["Normas noteikums"].str.contains("līdz 300").all()
    at.number_input(key="staff_cost").set_value(20000).run()
    assert f"jāpieliek 4,233 slodzes; ar 20{NBSP}000 € gadā par vienu slodzi tas ir **84{NBSP}660 € gadā**" in texts(at)


def test_english_demo_with_trend_zeros_and_not_listed_apart():
    at = open_app(PAGE, m="DEMO", lang="en")
    page = texts(at)
    assert "Support staff" in page and "Missing FTE by school year" in page
    assert "synthetic" in " ".join(w.value for w in at.warning)  # invented figures are labelled as such
    assert at.selectbox(key="staff_year").value == "2024/2025"
    trend = _table(at, "Schools with data")
    assert trend["School year"].tolist() == [f"{y}/{y + 1}" for y in range(2018, 2025)]
    heat = _table(at, "Norm rule").set_index("School")
    assert heat.loc["Ezermalas vidusskola", "Social pedagogue"] == "0.0"  # an explicit 0
    assert heat.loc["Ezermalas vidusskola", "Psychologist"] == "not listed"
    assert _metrics(at)["Schools without data"] == "0"
    ratios = _table(at, "Career counsellor")  # context roles are shown too
    assert "Municipality total" in ratios["School"].tolist()


def test_jekabpils_says_plainly_there_is_no_fte_table():
    at = open_app(PAGE, m="JEK")
    assert any("nav atbalsta personāla slodžu tabulas" in i.value for i in at.info)
    assert not at.metric and not at.dataframe


def test_one_school_meeting_the_norm_has_no_gap_chart():
    at = open_app(PAGE, m="LUD", s="lud_ludzas_2_vidusskola")
    metrics = _metrics(at)
    assert metrics["Atbilst normai"] == "1" and metrics["Trūkst slodžu"] == "0,0"
    assert "Cik slodžu trūkst līdz normai" not in texts(at)


def test_a_year_without_staff_data_says_so():
    at = open_app(PAGE, m="LUD", y="2023/2024")
    assert any("nav atbalsta personāla slodžu datu" in i.value for i in at.info)
    assert not at.metric


def test_a_school_without_a_staff_report_is_no_data_not_below_the_norm():
    at = open_app(PAGE, m="LUD", s="lud_mezvidu_pamatskola")
    assert any("nav atbalsta personāla slodžu datu" in i.value for i in at.info)
    assert not at.metric


def test_a_school_with_a_gap_opens_in_its_profile():
    at = open_app(PAGE, m="LUD")
    choice = at.selectbox(key="staff_gap_profile")
    gaps = next(d.value for d in at.dataframe if "Normas noteikums" in d.value and "Statuss" not in d.value)
    with_gap = gaps[gaps["Trūkst, slodzes"] != "0,0"]["Izglītības iestāde"].tolist()
    assert choice.options == with_gap  # the gap chart's order, largest gap first
    assert choice.options[0] == "Ludzas Mūzikas pamatskola" and "Ludzas 2.vidusskola" not in choice.options
    choice.set_value(choice.value).run()
    at.button(key="staff_gap_open").click().run()
    assert not at.exception
    assert at.title[0].value == "Skolas profils"
    assert at.query_params["school"] == at.selectbox(key="profile_school").value
