"""The Pumpurs page as a user sees it: figures of the programmes, "not reported", merged schools,
the college apart, English, and a year without data."""

from __future__ import annotations

from tests.pages.conftest import en, lv, open_app, texts

PAGE = "pages/pumpurs.py"
NBSP = "\u00a0"
PLANS = lv("pumpurs.kpi_plans")
SCHOOL = lv("pumpurs.col_school")
NOT_REPORTED = lv("pumpurs.not_reported_cell")
LUDZA_PERIOD = "2021/2022–2022/2023"


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table(at, first_header: str):
    """The shown table whose first column has this header."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_header)


def test_default_view_is_ludza_with_283_pupils_and_the_schools():
    at = open_app(page=PAGE)
    page = texts(at)
    assert lv("pumpurs.title") in page and lv("pumpurs.intro") in page
    assert "8.3.4.0/16/I/001" in page
    metrics = _metrics(at)
    assert metrics[lv("pumpurs.kpi_pupils")] == "283"
    assert metrics[PLANS] == lv("common.no_data")  # Ludza gives pupils, not plans: no data, not 0
    assert metrics[lv("pumpurs.kpi_schools")] == "9"
    ranking = _table(at, SCHOOL).set_index(SCHOOL)[lv("pumpurs.col_participants")]
    assert ranking["Ludzas pilsētas vidusskola"] == "110"
    assert ranking["Salnavas pamatskola"] == "x" and ranking["Pušmucovas pamatskola"] == "x"
    assert "<5" not in page and lv("common.hidden_note", mark="x", limit=5) in page  # one mark, explained
    assert lv("pumpurs.one_period", period=LUDZA_PERIOD) in page  # no timeline for a single whole-period figure
    assert lv("common.no_data_for", what=lv("pumpurs.no_mix")) in page


def test_jekabpils_plans_schools_and_the_unreported_spring_2023():
    at = open_app(page=PAGE, m="JEK")
    metrics = _metrics(at)
    # Literal on purpose: the Latvian thousands separator is a no-break space ("1 788", never "1,788").
    assert metrics[PLANS] == f"1{NBSP}788"
    assert metrics[lv("pumpurs.kpi_pupils")] == f"1{NBSP}263"  # printed project total
    warnings = " ".join(str(w.value) for w in at.warning)
    assert lv("pumpurs.not_reported", semester="2022/2023 II") in warnings and lv("pumpurs.printed_zero") in warnings
    semester = lv("pumpurs.col_semester")
    timeline = _table(at, semester).set_index(semester)
    assert timeline.loc["2021/2022 II", lv("pumpurs.col_schools")] == 14
    assert timeline.loc["2022/2023 II", lv("pumpurs.col_status")] == NOT_REPORTED
    assert timeline.loc["2022/2023 II", lv("pumpurs.col_iap_count")] == lv("common.no_data")  # never 0
    ranking = _table(at, SCHOOL).set_index(SCHOOL)[lv("pumpurs.col_iap_count")]
    assert ranking["Jēkabpils 2. vidusskola"] == "608"
    assert ranking["Jēkabpils pamatskola (→ Jēkabpils 2. vidusskola, 2020)"] == "48"
    assert not any("Agrobiznesa" in name for name in ranking.index)  # the college is never a municipal school
    total = lv("pumpurs.col_total")
    heat = [d.value for d in at.dataframe if "2022/2023 II" in d.value.columns and total not in d.value.columns][-1]
    assert set(heat["2022/2023 II"]) == {NOT_REPORTED}
    college = next(d.value for d in at.dataframe if total in d.value.columns)
    assert college.iloc[0].tolist()[:2] == ["Jēkabpils Agrobiznesa koledža", "990"]
    items = _table(at, lv("pumpurs.col_breakdown"))[lv("pumpurs.col_item")].tolist()
    assert lv("pumpurs.item_measure_subject_consultations") in items


def test_one_school_and_the_merged_view_bring_the_merged_schools_history():
    at = open_app(page=PAGE, m="JEK", s="jek_jekabpils_2_vidusskola")
    assert _metrics(at)[PLANS] == "608"
    # the printed municipal 1 263 is not this school's
    assert _metrics(at)[lv("pumpurs.kpi_pupils")] == lv("common.no_data")
    at.toggle(key="pumpurs_merged").set_value(True).run()
    assert not at.exception
    assert _metrics(at)[PLANS] == "729"  # + Jēkabpils pamatskola 48 + vakara vidusskola 73
    ranking = _table(at, SCHOOL)
    absorbed = lv("pumpurs.absorbed", schools="Jēkabpils pamatskola")
    assert ranking.iloc[0, 0].startswith("Jēkabpils 2. vidusskola " + absorbed.removesuffix(")"))


def test_english_demo_with_risk_link_share_view_and_synthetic_warning():
    at = open_app(page=PAGE, m="DEMO", lang="en")
    page = texts(at)
    assert en("pumpurs.title") in page and en("app.synthetic_warning") in page
    metrics = _metrics(at)
    assert metrics[en("pumpurs.kpi_plans")] == "1,737"  # English groups thousands with a comma
    share = metrics[en("pumpurs.kpi_share")]
    assert share.endswith("%") and "," not in share  # an English decimal point, not the Latvian comma
    assert en("pumpurs.risk_title") in page
    risk = _table(at, en("pumpurs.own_year"))
    columns = {en("pumpurs.col_pupils_at_risk"), en("pumpurs.col_rate"), en("pumpurs.group_family")}
    assert columns <= set(risk.columns)
    at.toggle(key="pumpurs_share").set_value(True).run()
    assert not at.exception
    assert en("pumpurs.share_caption") in texts(at)


def test_a_year_with_the_unreported_semester_and_a_year_without_any_data():
    at = open_app(page=PAGE, m="JEK", y="2022/2023")
    metrics = _metrics(at)
    assert metrics[PLANS] == "156"  # semester I only; semester II is not reported, not 0
    assert any("2022/2023 II" in str(w.value) for w in at.warning)
    at = open_app(page=PAGE, m="LUD", y="2023/2024")
    assert lv("common.no_data_for", what=lv("pumpurs.what")) in texts(at)
    assert not at.metric
