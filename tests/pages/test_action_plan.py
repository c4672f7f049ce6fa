"""The Action plan page in AppTest: the plans of Ludza and Jēkabpils, the institution and status
filters, the yearly reports in the annex 1 columns, English with Latvian-only fields, empty states."""

from __future__ import annotations

from tests.pages.conftest import open_app, texts

PAGE = "pages/action_plan.py"


def _open(year: int, **query: str):
    """The page for a given calendar year (the default is this year, which moves with the clock)."""
    at = open_app(PAGE, **query)
    at.selectbox(key="plan_year").set_value(year).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _plan(at):
    """The plan table behind the timeline (first table tab)."""
    return at.dataframe[0].value


def test_ludza_plan_by_level_with_years_and_no_reports_yet():
    at = _open(2025)
    page = texts(at)
    assert "Rīcības plāns" in page and "Ludzas novads: prevencijas aktivitātes 2024.–2027. gadā" in page
    assert _metrics(at)["Notiek 2025. gadā"] == "21"
    assert _metrics(at)["Atskaites par 2025"] == "0"
    plan = _plan(at).set_index("Nr.")
    assert len(plan) == 26
    assert plan.loc["1.4", "Gadi"] == "2024" and plan.loc["1.4", "Statuss 2025"] == "–"  # not run in 2025
    assert plan.loc["1.1", "Gadi"] == "2024–2027" and plan.loc["1.1", "Statuss 2025"] == "Nav atskaites"
    assert plan.loc["2.2", "Ieguldītais finansējums, EUR"] == "6\u00a0000"
    assert plan.loc["1.1", "Ieguldītais finansējums, EUR"] == "–"  # no sum printed: not 0
    assert set(plan["Līmenis"]) == {"Universālā prevencija", "Mērķtiecīgā prevencija", "Pielāgotā prevencija"}
    assert "Par 2025. gadu vēl nav iesniegta neviena atskaite" in page


def test_what_is_the_social_service_responsible_for():
    at = _open(2025)
    at.selectbox(key="plan_institution").set_value("Sociālais dienests")
    at.segmented_control(key="plan_role").set_value("responsible").run()
    plan = _plan(at)
    assert plan["Nr."].tolist() == ["8.5"] and plan["Loma"].tolist() == ["Atbildīgā"]
    at.segmented_control(key="plan_role").set_value("involved").run()
    assert _plan(at)["Nr."].tolist() == ["2.3", "3.1"]  # the Social Service takes part in these


def test_demo_reports_in_the_annex_1_columns_and_the_status_filter():
    at = _open(2025, m="DEMO")
    metrics = _metrics(at)
    assert (metrics["Notiek 2025. gadā"], metrics["Atskaites par 2025"]) == ("8", "8")
    assert (metrics["Īstenotas 2025"], metrics["Nav īstenotas 2025"]) == ("4", "2")
    form = at.table[0].value
    assert list(form.columns) == [
        "Aktivitāte",
        "Datums (gads)",
        "Statuss 2025",
        "Kas paveikts",
        "Kvantitatīvie rādītāji (dalībnieku skaits)",
        "Ietekme atbilstoši mērķim",
        "Veicinošie un kavējošie faktori",
        "Informācijas avoti",
    ]
    assert (
        form.set_index("Aktivitāte").loc["1.1 Lekcijas vecākiem", "Kvantitatīvie rādītāji (dalībnieku skaits)"] == "22"
    )
    at.multiselect(key="plan_status").set_value(["not_done"]).run()
    assert _plan(at)["Nr."].tolist() == ["1.2", "8.3"]
    assert at.table[0].value["Statuss 2025"].tolist() == ["Nav īstenota", "Nav īstenota"]


def test_english_shows_latvian_only_fields_with_one_note():
    at = _open(2026, m="JEK", lang="en")
    page = texts(at)
    assert page.count("exist only in Latvian") == 1
    plan = _plan(at).set_index("No.")
    assert plan.loc["9.1", "Responsible"] == "Sociālais dienests"  # Latvian: no English exists
    assert plan.loc["9.1", "Funding source"] == "state funding, EU funds, municipal funding"
    assert plan.loc["1.1", "Years"] == "2024" and plan.loc["2.1", "Years"] == "2025–2028"
    assert _metrics(at)["Running in 2026"] == "13"
    assert "No report has been filed yet for 2026" in page


def test_no_match_and_ignored_sidebar_filters_are_said():
    at = _open(2027, m="DEMO", y="2024/2025")
    assert "Sānjoslas izglītības iestāžu un mācību gadu filtri rīcības plānam netiek piemēroti" in texts(at)
    at.multiselect(key="plan_status").set_value(["done"]).run()
    assert "Neviena aktivitāte neatbilst izvēlētajiem filtriem." in texts(at)
    assert not at.dataframe  # no empty chart
