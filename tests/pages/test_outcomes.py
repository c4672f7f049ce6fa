"""The Outcomes page in AppTest: real figures from the seeds, bases marked, empty states, English."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from metrics import outcomes
from tests.pages.conftest import open_app, texts
from ui.i18n import catalog
from ui.navigation import ENTRY, from_entry

PAGE = "pages/outcomes.py"
NBSP = "\u00a0"


def summary(at: AppTest):
    """The all-figures table (the page's first) as {indicator row: {school year: cell}}."""
    frame = at.dataframe[0].value
    return frame.set_index(frame.columns[0]).to_dict(orient="index")


def _heat(at):
    """The by-school table of the chosen topic (its first column names the school)."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == "Izglītības iestāde")


def test_default_view_ludza_latvian_with_the_seed_figures():
    at = open_app(page=PAGE)
    page = texts(at)
    assert "Rezultāti" in page and "Ludzas novads" in page
    table = summary(at)
    # special needs: the printed municipal total 50 (the schools also sum to 50), 50 / 1878 pupils
    assert table["Izglītojamie ar speciālajām vajadzībām"]["2022/2023"] == "50 · 2,7%"
    assert table["Izglītojamie ar speciālajām vajadzībām"]["2023/2024"] == "59 · 3,3%"
    # grade 9: only a printed share whose base is unknown (*), no count invented
    assert table["9. klase bez apliecības"]["2022/2023"] == "7,69%*"
    # 3 pupils is below the threshold: the count and its printed share (which, with the 1878 pupils,
    # would give the count back) are hidden together, one mark
    assert table["Nepietiekams gada vērtējums"]["2022/2023"] == "x"
    assert table["Atskaitīti no skolas – vidusskolā"]["2022/2023"] == "26 · 12,2% †"
    # expelled is the first Ludza topic and carries the judgement-call-8 warning
    assert "Nesalīdziniet šos skaitļus ar PMP rezultatīvo rādītāju" in page
    ludza = "Avots: Ludzas novada PMP prevencijas sistēma un ieviešanas plāns 2024–2027"
    assert any(ludza in str(c.value) for c in at.caption)


def test_choosing_special_needs_shows_the_check_and_the_school_heat_table():
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.session_state["outcomes_topic"] = "special_needs"
    at.run()
    at.switch_page(from_entry(PAGE))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    page = texts(at)
    assert "Izglītojamie ar speciālajām vajadzībām" in [h.value for h in at.header]
    assert "skolu skaitļu summa sakrīt ar dokumentā publicēto novada kopskaitu" in page
    heat = _heat(at).set_index("Izglītības iestāde")
    assert heat.loc["Ludzas 2.vidusskola", "2022/2023"] == "11"
    assert heat.loc["Novadā kopā (publicēts)", "2022/2023"] == "50"
    assert heat.loc["Pildas pamatskola", "2023/2024"] == "x"
    assert "x – slēpts privātuma dēļ" in page  # one footnote says what the mark means


def test_one_school_leaves_out_the_municipal_figures():
    at = open_app(page=PAGE, m="LUD", s="lud_ludzas_2_vidusskola")
    page = texts(at)
    assert "novada kopskaitļi šeit nav rādīti" in page
    table = summary(at)
    assert table["Izglītojamie ar speciālajām vajadzībām"]["2022/2023"] == "11 · 2,1%"  # 11 of 519
    assert "Nepietiekams gada vērtējums" not in table  # only a municipal figure exists
    heat = _heat(at)
    assert "Novadā kopā (publicēts)" not in set(heat.iloc[:, 0])


def test_a_school_with_no_outcome_data_says_so():
    at = open_app(page=PAGE, m="LUD", s="lud_mezvidu_pamatskola")  # pupils in 2022/2023, no outcome rows
    assert "Nav datu: rezultātu rādītāji izvēlētajām skolām un mācību gadiem." in [i.value for i in at.info]
    assert not at.dataframe


def test_a_year_with_no_outcome_data_says_so():
    at = open_app(page=PAGE, m="JEK", y="2022/2023")
    assert "Nav datu: rezultātu rādītāji izvēlētajām skolām un mācību gadiem." in [i.value for i in at.info]
    assert not at.get("plotly_chart") and not at.dataframe


def test_english_jekabpils_printed_shares_and_no_school_figures():
    at = open_app(page=PAGE, m="JEK", lang="en")
    page = texts(at)
    assert "Outcomes" in page and "Jēkabpils municipality" in page
    table = summary(at)
    assert table["Dropped out, not continuing elsewhere"] == {"2019/2020": "14 · 0.3%*", "2020/2021": "40 · 0.9%*"}
    # 4 pupils: hidden, and the printed 0.1 % with it (over some 4 600 pupils it would say 3 to 6)
    assert table["Promoted with insufficient marks"]["2019/2020"] == "x"
    assert "The share is taken from the document and its base is not stated" in page
    assert "No data: per-school figures for this indicator – the document gives the municipal total only." in page
    trend = at.dataframe[1].value
    assert trend["Pupils"].tolist() == ["14", "40"]
    assert trend["Basis of the share"].tolist() == ["printed, base not stated"] * 2


def test_demo_share_view_and_a_year_filter():
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.query_params["m"] = "DEMO"
    at.query_params["y"] = "2023/2024,2024/2025"
    at.session_state["outcomes_measure_dropped_out"] = "share"
    at.run()
    at.switch_page(from_entry(PAGE))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "sintētiski" in texts(at)
    assert list(summary(at)["Pārtraukuši mācības un neturpina citur"]) == ["2023/2024", "2024/2025"]
    trend = at.dataframe[1].value
    assert (trend["Īpatsvara pamats"] == "aprēķināts: skaits / izglītojamie").all()
    assert trend["Izglītojamie (bāze)"].str.match(r"^1\u00a0\d{3}$").all()  # all pupils of the reporting schools
    assert len(at.get("plotly_chart")) == 2


def test_every_topic_and_measure_draws_without_error():
    """Every topic each municipality has, in every measure it offers (the demo's complete series take
    one measure here; its share view has its own test)."""
    codes = {catalog("lv")[f"outcomes.measure_{m}"]: m for m in ("pupils", "share", "hours")}
    codes |= {catalog("lv")[f"outcomes.topic.{topic}.label"]: topic for topic in outcomes.TOPICS}
    for municipality, topics in {"LUD": 9, "JEK": 3, "DEMO": 9}.items():
        at = open_app(page=PAGE, m=municipality)
        options = at.selectbox(key="outcomes_topic").options
        assert len(options) == topics, municipality
        for index, option in enumerate(options):
            at.selectbox(key="outcomes_topic").select(codes[option]).run()
            assert not at.exception, (municipality, index, [e.value for e in at.exception])
            assert at.header[-1].value == option
            control = [b for b in at.segmented_control if b.key.startswith("outcomes_measure")]
            for label in control[0].options[1:] if control and municipality != "DEMO" else []:  # DEMO: see above
                measure = next(b for b in at.segmented_control if b.key.startswith("outcomes_measure"))
                measure.set_value(codes[label]).run()
                assert not at.exception, (municipality, index, label, [e.value for e in at.exception])
