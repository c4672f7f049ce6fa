"""Meeting mode and the Yearly report page in AppTest, and the same figures as on the other pages."""

from __future__ import annotations

import pytest

from metrics.filters import Filters
from report.sections import report_filters, yearly_report
from tests.pages.conftest import app_env, open_app, texts  # noqa: F401 (app_env: the pages' autouse fixture)
from tests.report.conftest import number

MEETING, REPORT = "pages/meeting.py", "pages/report.py"
NBSP = "\u00a0"


def _titles(at) -> list[str]:
    return [t.value for t in at.title]


def _query(at, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_meeting_page_opens_on_the_first_screen_with_the_view_stamped_and_a_question():
    at = open_app(MEETING)
    page = texts(at)
    assert "Izglītojamie un izglītības iestādes" in _titles(at)
    assert f"mācību gadā 2023/2024 izglītojamo skaits ir 1{NBSP}765" in page
    assert "Ludzas novads · Jaunākie dati: 2023/2024 · Mācību gadi: visi · Iestādes: visas" in page  # the stamp
    assert "Jautājums diskusijai:" in page and "1 / 8" in page
    assert _query(at, "screen") == "1" and _query(at, "meeting") is None  # a page, not yet presenting


def test_a_meeting_link_opens_its_screen_and_the_buttons_move_through_the_running_order():
    at = open_app(m="LUD", meeting="1", screen="4")  # any page: meeting mode opens the meeting screens
    assert "Atbalsta personāla iztrūkums" in _titles(at)
    assert "nesasniedz 7 no 8 skolām ar datiem; kopā trūkst 3,833 slodzes" in texts(at)
    assert "Kurām skolām šogad vispirms jāpieņem lēmums par atbalsta personālu?" in texts(at)
    assert _query(at, "meeting") == "1" and _query(at, "screen") == "4"
    at.button(key="meeting_next").click().run()
    assert "Pumpurs: individuālais atbalsts" in _titles(at) and _query(at, "screen") == "5"
    at.button(key="meeting_prev").click().run()
    at.button(key="meeting_prev").click().run()
    assert "PMP riski" in _titles(at) and _query(at, "screen") == "3"
    at.selectbox(key="meeting_jump_3").set_value(8).run()
    assert "Fokusa skolas" in _titles(at) and _query(at, "screen") == "8"
    assert "nav risku skaita pa skolām" in texts(at)  # Ludza gives no per-school risk counts
    assert at.button(key="meeting_next").disabled


def test_leaving_meeting_mode_returns_to_the_overview_and_the_switch_enters_it():
    at = open_app(MEETING, m="DEMO", meeting="1", screen="8")  # the browser is at /meeting by now
    assert "Fokusa skolas" in _titles(at)
    assert "“Parauga 2. vidusskola” (15,3)" in texts(at)
    at.button(key="meeting_exit").click().run()
    assert "Pārskats" in _titles(at) and _query(at, "meeting") is None
    at.toggle(key="w_meeting").set_value(True).run()
    assert "Fokusa skolas" in _titles(at) and _query(at, "meeting") == "1"  # back on the screen it left


def test_meeting_in_english_and_a_year_without_staff_data():
    at = open_app(MEETING, m="JEK", lang="en")
    at.selectbox(key="meeting_jump_1").set_value(5).run()
    assert "Pumpurs: individual support" in _titles(at)
    assert "the number of individual support plans (IAP) is 1,788" in texts(at)
    at = open_app(MEETING, m="LUD", y="2023/2024")
    at.selectbox(key="meeting_jump_1").set_value(4).run()
    assert "Ludzas novads: izvēlētajā atlasē nav atbalsta personāla slodžu datu." in [i.value for i in at.info]


def test_report_page_default_latest_year_with_downloads_and_every_section():
    at = open_app(REPORT)
    page = texts(at)
    assert "Gada pārskats" in _titles(at)
    assert at.selectbox(key="report_year").value == "2023/2024"
    assert "dati līdz mācību gadam 2023/2024 ieskaitot (2020/2021–2023/2024)" in page
    assert "Rīcības plāna pasākumi – 2024. gadā" in page
    assert [b.proto.label for b in at.get("download_button")][:2] == [
        "Lejupielādēt pārskatu (HTML, drukai)",
        "Lejupielādēt tabulas (XLSX)",
    ]
    for title in ("1. Izglītojamie un izglītības iestādes", "4. Atbalsta personāla iztrūkums", "8. Fokusa skolas"):
        assert f"**{title}**" in page


def test_report_page_another_year_and_english_report():
    at = open_app(REPORT, m="DEMO")
    at.selectbox(key="report_year").set_value("2021/2022").run()
    at.segmented_control(key="report_lang").set_value("en").run()
    page = texts(at)
    assert "Gada pārskats" in _titles(at)  # the page stays Latvian; the report is English
    assert "in the school year 2021/2022 the number of pupils is" in page
    assert "The sample municipality's data are synthetic" not in page and "sintētiski" in page


CASES = [("LUD", "2022/2023"), ("JEK", "2022/2023"), ("DEMO", "2024/2025")]


def _view(sample_db, municipality: str, year: str) -> dict:
    """The report's sections and the URL that shows the pages the same view."""
    import duckdb

    from report.sections import ConnectionReader

    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        reader = ConnectionReader(con)
        report = yearly_report(reader, Filters(municipality=municipality), year)
        view = report_filters(reader, Filters(municipality=municipality), year)
    finally:
        con.close()
    return {"sections": {s.key: s for s in report.sections}, "y": ",".join(view.years)}


def _kpis(at) -> dict[str, float | None]:
    return {m.label: number(m.value, "lv") for m in at.metric}


@pytest.mark.parametrize(("municipality", "year"), CASES)
def test_the_report_has_the_same_figures_as_the_pages(sample_db, municipality, year):
    view = _view(sample_db, municipality, year)
    sections, y = view["sections"], view["y"]

    overview = _kpis(open_app(m=municipality, y=y))
    assert overview["Izglītojamie"] == sections["overview"].figures["pupils"]
    assert overview["Skolas"] == sections["overview"].figures["schools"]

    targets = _kpis(open_app("pages/targets.py", m=municipality, y=y))
    counts = sections["targets"].figures
    assert targets["✔ Sasniegts"] == counts["achieved"] and targets["↗ Atbilst plānam"] == counts["on_track"]
    assert targets["⚠ Apdraudēts"] == counts["at_risk"] and targets["✖ Atpaliek no plāna"] == counts["off_track"]
    assert targets["○ Vēl nav vērtējams"] == counts["not_judged"]

    staff = sections["support_staff"].figures
    at = open_app("pages/support_staff.py", m=municipality, y=y)
    if staff:
        kpis = _kpis(at)
        assert kpis["Atbilst normai"] == staff["meeting"]
        assert kpis["Trūkst slodžu"] == pytest.approx(staff["gap_fte"], abs=0.005)
    else:
        assert "nav atbalsta personāla slodžu tabulas" in texts(at)

    pumpurs = sections["pumpurs"].figures
    label = "Individuālie atbalsta plāni kopā" if pumpurs["column"] == "iap_count" else "Atbalstītie izglītojamie"
    assert _kpis(open_app("pages/pumpurs.py", m=municipality, y=y))[label] == pumpurs["value"]

    plan = sections["action_plan"].figures
    at = open_app("pages/action_plan.py", m=municipality, y=y)
    if str(plan["year"]) in at.selectbox(key="plan_year").options:
        at.selectbox(key="plan_year").set_value(plan["year"]).run()
        kpis = _kpis(at)
        assert kpis[f"Notiek {plan['year']}. gadā"] == plan["running"]
        assert kpis[f"Atskaites par {plan['year']}"] == plan["reported"]
        assert kpis[f"Īstenotas {plan['year']}"] == plan["done"]
    else:  # a school year before the plan: the report says the plan has nothing in that year
        assert plan["running"] == 0 and "pasākumu nav" in sections["action_plan"].sentence

    risks = open_app("pages/risks.py", m=municipality, y=y)
    groups = risks.dataframe[0].value.set_index("Risku grupa")
    top = sections["risks"].figures
    shown = groups["Daļa"].map(lambda v: number(v, "lv"))
    assert shown.max() == pytest.approx(top["top_share"], abs=0.05)
    focus = sections["focus_schools"].figures
    if focus:
        ranking = next(d.value for d in risks.dataframe if "Vieta" in d.value.columns)
        assert ranking.iloc[0]["Izglītības iestāde"] == focus["top_school"]


def test_the_meeting_follows_the_year_of_the_default_report(sample_db):
    """No school year chosen: the action plan screen shows the activity reports of the year the Yearly
    report page opens with (the latest school year with data), not of today's calendar year."""
    latest = _view(sample_db, "DEMO", "2024/2025")["sections"]["action_plan"]
    at = open_app(MEETING, m="DEMO", meeting="1", screen="7")
    assert latest.sentence in [s.value.replace("\\.", ".") for s in at.subheader]
