"""The Outcomes page in AppTest: real figures from the seeds, bases marked, empty states, English."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from metrics import outcomes
from tests.pages.conftest import en, lv, open_app, open_on_demand, texts
from ui.i18n import catalog
from ui.navigation import ENTRY, from_entry

PAGE = "pages/outcomes.py"
NBSP = "\u00a0"
SCHOOL = lv("common.school")
SPECIAL = lv("outcomes.topic.special_needs.label")
INSUFFICIENT = lv("outcomes.topic.insufficient_yearly_mark.label")
MUNICIPAL = lv("outcomes.municipal_row")
EXPELLED_YEARS = "2020/2021, 2021/2022, 2022/2023"
SPECIAL_YEARS = "2022/2023, 2023/2024"
NO_OUTCOMES = lv("common.no_data_for", what=lv("outcomes.no_outcomes"))


def summary(at: AppTest):
    """The all-figures table (the page's first) as {indicator row: {school year: cell}}."""
    frame = at.dataframe[0].value
    return frame.set_index(frame.columns[0]).to_dict(orient="index")


def _heat(at):
    """The by-school table of the chosen topic (its first column names the school)."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == SCHOOL)


def test_default_view_ludza_latvian_with_the_seed_figures():
    at = open_app(page=PAGE)
    page = texts(at)
    assert lv("outcomes.title") in page and lv("outcomes.subtitle", municipality="Ludzas novads") in page
    table = summary(at)
    # special needs: the printed municipal total 50 (the schools also sum to 50), 50 / 1878 pupils.
    # The cells stay literal on purpose: "count · share" with the Latvian decimal comma and the marks.
    assert table[SPECIAL]["2022/2023"] == "50 · 2,7%"
    assert table[SPECIAL]["2023/2024"] == "59 · 3,3%"
    # grade 9: only a printed share whose base is unknown (*), no count invented
    assert table[lv("outcomes.topic.grade9_without_certificate.label")]["2022/2023"] == "7,69%*"
    # 3 pupils is below the threshold: the count and its printed share (which, with the 1878 pupils,
    # would give the count back) are hidden together, one mark
    assert table[INSUFFICIENT]["2022/2023"] == "x"
    expelled_secondary = f"{lv('outcomes.topic.expelled.label')} – {lv('outcomes.level.secondary')}"
    assert table[expelled_secondary]["2022/2023"] == "26 · 12,2% †"
    # expelled is the first Ludza topic and carries the judgement-call-8 warning
    assert lv("outcomes.caveat.expelled_basis", years=EXPELLED_YEARS) in page
    ludza = lv("common.source", source=lv("documents.d000_1fa73b8ac5d971ff"))
    assert any(ludza in str(c.value) for c in at.caption)


def test_choosing_special_needs_shows_the_check_and_the_school_heat_table():
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.session_state["outcomes_topic"] = "special_needs"
    at.run()
    at.switch_page(from_entry(PAGE))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    open_on_demand(at)
    page = texts(at)
    assert SPECIAL in [h.value for h in at.header]
    assert lv("outcomes.caveat.check_agrees", years=SPECIAL_YEARS) in page
    heat = _heat(at).set_index(SCHOOL)
    assert heat.loc["Ludzas 2.vidusskola", "2022/2023"] == "11"
    assert heat.loc[MUNICIPAL, "2022/2023"] == "50"
    assert heat.loc["Pildas pamatskola", "2023/2024"] == "x"
    assert lv("common.hidden_note", mark="x", limit=5) in page  # one footnote says what the mark means


def test_one_school_leaves_out_the_municipal_figures():
    at = open_app(page=PAGE, m="LUD", s="lud_ludzas_2_vidusskola")
    page = texts(at)
    assert lv("outcomes.schools_chosen") in page
    table = summary(at)
    assert table[SPECIAL]["2022/2023"] == "11 · 2,1%"  # 11 of 519
    assert INSUFFICIENT not in table  # only a municipal figure exists
    heat = _heat(at)
    assert MUNICIPAL not in set(heat.iloc[:, 0])


def test_a_school_with_no_outcome_data_says_so():
    at = open_app(page=PAGE, m="LUD", s="lud_mezvidu_pamatskola")  # pupils in 2022/2023, no outcome rows
    assert NO_OUTCOMES in [i.value for i in at.info]
    assert not at.dataframe


def test_a_year_with_no_outcome_data_says_so():
    at = open_app(page=PAGE, m="JEK", y="2022/2023")
    assert NO_OUTCOMES in [i.value for i in at.info]
    assert not at.get("plotly_chart") and not at.dataframe


def test_english_jekabpils_printed_shares_and_no_school_figures():
    at = open_app(page=PAGE, m="JEK", lang="en")
    page = texts(at)
    assert en("outcomes.title") in page and en("outcomes.subtitle", municipality="Jēkabpils municipality") in page
    table = summary(at)
    dropped = table[en("outcomes.topic.dropped_out.label")]
    assert dropped == {"2019/2020": "14 · 0.3%*", "2020/2021": "40 · 0.9%*"}
    # 4 pupils: hidden, and the printed 0.1 % with it (over some 4 600 pupils it would say 3 to 6)
    assert table[en("outcomes.topic.promoted_insufficient.label")]["2019/2020"] == "x"
    assert en("outcomes.caveat.printed_share", years="2019/2020, 2020/2021") in page
    assert en("common.no_data_for", what=en("outcomes.no_school_figures")) in page
    trend = at.dataframe[1].value
    assert trend[en("outcomes.col_pupils")].tolist() == ["14", "40"]
    assert trend[en("outcomes.col_share_basis")].tolist() == [en("outcomes.basis.printed")] * 2


def test_demo_share_view_and_a_year_filter():
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.query_params["m"] = "DEMO"
    at.query_params["y"] = "2023/2024,2024/2025"
    at.session_state["outcomes_measure_dropped_out"] = "share"
    at.run()
    at.switch_page(from_entry(PAGE))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    open_on_demand(at)
    assert lv("app.synthetic_warning") in texts(at)
    assert list(summary(at)[lv("outcomes.topic.dropped_out.label")]) == ["2023/2024", "2024/2025"]
    trend = at.dataframe[1].value
    assert (trend[lv("outcomes.col_share_basis")] == lv("outcomes.basis.computed")).all()
    assert trend[lv("outcomes.col_enrolled")].str.match(r"^1\u00a0\d{3}$").all()  # all pupils of the reporting schools
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
