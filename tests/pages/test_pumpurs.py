"""The Pumpurs page as a user sees it: figures of the programmes, "not reported", merged schools,
the college apart, English, and a year without data."""

from __future__ import annotations

from tests.pages.conftest import open_app, texts

PAGE = "pages/pumpurs.py"
NBSP = "\u00a0"


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table(at, first_header: str):
    """The shown table whose first column has this header."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_header)


def test_default_view_is_ludza_with_283_pupils_and_the_schools():
    at = open_app(page=PAGE)
    page = texts(at)
    assert "Projekts “Pumpurs”" in page and "individuālais atbalsta plāns" in page.lower()
    assert "8.3.4.0/16/I/001" in page
    metrics = _metrics(at)
    assert metrics["Atbalstītie izglītojamie"] == "283"
    assert metrics["Individuālie atbalsta plāni kopā"] == "nav datu"  # Ludza gives pupils, not plans: no data, not 0
    assert metrics["Iesaistītās skolas"] == "9"
    ranking = _table(at, "Izglītības iestāde").set_index("Izglītības iestāde")["Atbalstītie izglītojamie"]
    assert ranking["Ludzas pilsētas vidusskola"] == "110"
    assert ranking["Salnavas pamatskola"] == "x" and ranking["Pušmucovas pamatskola"] == "x"
    assert "<5" not in page and "x – slēpts privātuma dēļ: mazāk nekā 5 izglītojamo" in page  # one mark, explained
    assert "bez dalījuma pa semestriem" in page  # no timeline for a single whole-period figure
    assert "Nav datu: atbalsta veidu sadalījums" in page


def test_jekabpils_plans_schools_and_the_unreported_spring_2023():
    at = open_app(page=PAGE, m="JEK")
    metrics = _metrics(at)
    assert metrics["Individuālie atbalsta plāni kopā"] == f"1{NBSP}788"
    assert metrics["Atbalstītie izglītojamie"] == f"1{NBSP}263"  # printed project total
    warnings = " ".join(str(w.value) for w in at.warning)
    assert "2022/2023 II" in warnings and "nav ziņots" in warnings and "drukāta kā 0" in warnings
    timeline = _table(at, "Semestris vai periods").set_index("Semestris vai periods")
    assert timeline.loc["2021/2022 II", "Iesaistītās skolas"] == 14
    assert timeline.loc["2022/2023 II", "Statuss"] == "nav ziņots"
    assert timeline.loc["2022/2023 II", "IAP"] == "nav datu"  # never 0
    ranking = _table(at, "Izglītības iestāde").set_index("Izglītības iestāde")["IAP"]
    assert ranking["Jēkabpils 2. vidusskola"] == "608"
    assert ranking["Jēkabpils pamatskola (→ Jēkabpils 2. vidusskola, 2020)"] == "48"
    assert not any("Agrobiznesa" in name for name in ranking.index)  # the college is never a municipal school
    heat = [d.value for d in at.dataframe if "2022/2023 II" in d.value.columns and "Kopā" not in d.value.columns][-1]
    assert set(heat["2022/2023 II"]) == {"nav ziņots"}
    college = next(d.value for d in at.dataframe if "Kopā" in d.value.columns)
    assert college.iloc[0].tolist()[:2] == ["Jēkabpils Agrobiznesa koledža", "990"]
    assert "Mācību priekšmetu konsultācijas" in _table(at, "Grupa")["Atbalsta veids"].tolist()


def test_one_school_and_the_merged_view_bring_the_merged_schools_history():
    at = open_app(page=PAGE, m="JEK", s="jek_jekabpils_2_vidusskola")
    assert _metrics(at)["Individuālie atbalsta plāni kopā"] == "608"
    assert _metrics(at)["Atbalstītie izglītojamie"] == "nav datu"  # the printed municipal 1 263 is not this school's
    at.toggle(key="pumpurs_merged").set_value(True).run()
    assert not at.exception
    assert _metrics(at)["Individuālie atbalsta plāni kopā"] == "729"  # + Jēkabpils pamatskola 48 + vakara vidusskola 73
    ranking = _table(at, "Izglītības iestāde")
    assert ranking.iloc[0, 0].startswith("Jēkabpils 2. vidusskola (ar pievienotajām: Jēkabpils pamatskola")


def test_english_demo_with_risk_link_share_view_and_synthetic_warning():
    at = open_app(page=PAGE, m="DEMO", lang="en")
    page = texts(at)
    assert "Pumpurs project" in page and "synthetic" in page
    metrics = _metrics(at)
    assert metrics["IAP plans in total"] == "1,737"
    assert metrics["Participant share"].endswith("%") and "," not in metrics["Participant share"]
    assert "IAP plans per 100 pupils at PMP risk" in page
    risk = _table(at, "School year")
    assert {"Pupils at risk", "Plans per 100 pupils at risk", "Family risks"} <= set(risk.columns)
    at.toggle(key="pumpurs_share").set_value(True).run()
    assert not at.exception
    assert "Project participants as a percentage of all pupils" in texts(at)


def test_a_year_with_the_unreported_semester_and_a_year_without_any_data():
    at = open_app(page=PAGE, m="JEK", y="2022/2023")
    metrics = _metrics(at)
    assert metrics["Individuālie atbalsta plāni kopā"] == "156"  # semester I only; semester II is not reported, not 0
    assert any("2022/2023 II" in str(w.value) for w in at.warning)
    at = open_app(page=PAGE, m="LUD", y="2023/2024")
    assert "Nav datu: projekta “Pumpurs” dati" in texts(at)
    assert not at.metric
