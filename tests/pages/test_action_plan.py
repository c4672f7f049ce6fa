"""The Action plan page in AppTest: the plans of Ludza and Jēkabpils, the institution and status
filters, the yearly reports in the annex 1 columns, English with Latvian-only fields, empty states."""

from __future__ import annotations

from tests.pages.conftest import en, lv, open_app, texts

PAGE = "pages/action_plan.py"
NO = lv("action_plan.col_no")
YEARS = lv("action_plan.col_years")
STATUS_2025 = lv("action_plan.col_status", year=2025)


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
    assert lv("action_plan.title") in page
    assert lv("action_plan.subtitle", municipality="Ludzas novads", start=2024, end=2027) in page
    assert _metrics(at)[lv("action_plan.kpi_running", year=2025)] == "21"
    assert _metrics(at)[lv("action_plan.kpi_reported", year=2025)] == "0"
    plan = _plan(at).set_index(NO)
    assert len(plan) == 26
    assert plan.loc["1.4", YEARS] == "2024" and plan.loc["1.4", STATUS_2025] == "–"  # not run in 2025
    assert plan.loc["1.1", YEARS] == "2024–2027" and plan.loc["1.1", STATUS_2025] == lv("action_plan.status.no_report")
    invested = lv("action_plan.col_invested")
    assert plan.loc["2.2", invested] == "6\u00a0000"  # literal: Latvian groups thousands with a no-break space
    assert plan.loc["1.1", invested] == "–"  # no sum printed: not 0
    levels = {lv(f"targets.level.{level}") for level in ("universal", "targeted", "tailored")}
    assert set(plan[lv("action_plan.col_level")]) == levels
    assert lv("action_plan.no_reports", year=2025) in page


def test_what_is_the_social_service_responsible_for():
    at = _open(2025)
    at.selectbox(key="plan_institution").set_value("Sociālais dienests")
    at.segmented_control(key="plan_role").set_value("responsible").run()
    plan = _plan(at)
    assert plan[NO].tolist() == ["8.5"] and plan[lv("action_plan.col_role")].tolist() == [
        lv("action_plan.role_option.responsible")
    ]
    at.segmented_control(key="plan_role").set_value("involved").run()
    assert _plan(at)[NO].tolist() == ["2.3", "3.1"]  # the Social Service takes part in these


def test_demo_reports_in_the_annex_1_columns_and_the_status_filter():
    at = _open(2025, m="DEMO")
    metrics = _metrics(at)
    running, reported = lv("action_plan.kpi_running", year=2025), lv("action_plan.kpi_reported", year=2025)
    assert (metrics[running], metrics[reported]) == ("8", "8")
    done, not_done = lv("action_plan.kpi_done", year=2025), lv("action_plan.kpi_not_done", year=2025)
    assert (metrics[done], metrics[not_done]) == ("4", "2")
    form = at.table[0].value
    # the annex 1 columns, in the annex's order
    annex = ("activity", "date", "status", "done", "participants", "impact", "factors", "source")
    assert list(form.columns) == [lv(f"action_plan.col_{c}", year=2025) for c in annex]
    participants = lv("action_plan.col_participants")
    assert form.set_index(lv("action_plan.col_activity")).loc["1.1 Lekcijas vecākiem", participants] == "22"
    at.multiselect(key="plan_status").set_value(["not_done"]).run()
    assert _plan(at)[NO].tolist() == ["1.2", "8.3"]
    assert at.table[0].value[STATUS_2025].tolist() == [lv("action_plan.status.not_done")] * 2


def test_english_shows_latvian_only_fields_with_one_note():
    at = _open(2026, m="JEK", lang="en")
    page = texts(at)
    assert page.count(en("action_plan.latvian_only")) == 1
    plan = _plan(at).set_index(en("action_plan.col_no"))
    assert plan.loc["9.1", en("action_plan.col_responsible")] == "Sociālais dienests"  # Latvian: no English exists
    assert plan.loc["9.1", en("action_plan.col_funding")] == "state funding, EU funds, municipal funding"
    years = en("action_plan.col_years")
    assert plan.loc["1.1", years] == "2024" and plan.loc["2.1", years] == "2025–2028"
    assert _metrics(at)[en("action_plan.kpi_running", year=2026)] == "13"
    assert en("action_plan.no_reports", year=2026) in page


def test_no_match_and_ignored_sidebar_filters_are_said():
    at = _open(2027, m="DEMO", y="2024/2025")
    assert lv("action_plan.filters_ignored") in texts(at)
    at.multiselect(key="plan_status").set_value(["done"]).run()
    assert lv("action_plan.nothing_matches") in texts(at)
    assert not at.dataframe  # no empty chart
