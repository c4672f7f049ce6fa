"""Issue 17 in AppTests: link values that cannot be honoured are said, the Overview answers first, the
meeting's stamp names the data's latest school year."""

from __future__ import annotations

from streamlit.proto.SelectWidgetFilterMode_pb2 import FILTER_MODE_NONE

from tests.pages.conftest import en, lv, open_app, texts

ALL_YEARS = lv("report.all_years")
ALL_SCHOOLS = lv("report.all_schools")


def test_link_values_that_cannot_be_honoured_are_said():
    at = open_app("pages/overview.py", m="XXX", y="1999/2000")
    shown = texts(at)
    assert lv("filters.link_municipality", code="XXX", shown="Ludzas novads") in shown
    # Literal on purpose: the Latvian singular form ("norādītajam mācību gadam") chosen for one year.
    assert "Ludzas novads: saitē norādītajam mācību gadam 1999/2000 nav datu; rādīti visi mācību gadi." in shown
    at = open_app("pages/overview.py", m="JEK", y="2023/2024", lang="en")
    rest = en("filters.link_years_rest_all")
    said = en("filters.link_years", municipality="Jēkabpils municipality", n=1, years="2023/2024", rest=rest)
    assert said in texts(at)
    at = open_app("pages/overview.py", m="LUD", y="2022/2023")
    shown = texts(at)
    assert lv("filters.link_years_rest_all") not in shown and lv("filters.link_years_rest_some") not in shown
    assert "Saitē" not in shown  # an honoured link says nothing


def test_the_overview_answers_first():
    shown = texts(open_app("pages/overview.py", m="DEMO"))
    assert shown.index(lv("headline.title")) < shown.index(lv("overview.figures_title"))
    assert lv("headline.projection", n=3, first=2023, last=2025) in shown
    # the projected figures (shares with the decimal comma) are the point here: literal
    assert lv("headline.projected", year=2027, value="0,00%", low="0,00%", high="0,34%") in shown
    shown = texts(open_app("pages/overview.py", m="JEK", lang="en"))
    assert en("headline.cannot_project", n=2, need=3) in shown
    assert en("headline.baseline", value=en("targets.value_period", value="0.9%", period="2020/2021")) in shown


def test_the_meeting_stamp_names_the_latest_school_year():
    at = open_app("pages/meeting.py", m="JEK")
    stamps = [
        lv("meeting.stamp", municipality="Jēkabpils novads", latest=year, years=ALL_YEARS, schools=ALL_SCHOOLS)
        for year in ("2022/2023", "2023/2024")
    ]
    assert any(stamp in texts(at) for stamp in stamps)
    assert "Dati: 0" not in texts(at)  # no longer the date of the last import


def _charts(at) -> list[dict]:
    import json

    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_the_targets_page_draws_a_small_figure_per_indicator_for_columns_that_stack():
    """One figure per indicator with numbers, in Streamlit's columns (stacked on a phone), each titled
    with its label and status, no legend of its own (the caption says what each mark is)."""
    at = open_app("pages/targets.py", m="LUD")
    panels = [c for c in at.get("plotly_chart") if "targets_overview_chart_" in c.proto.id]
    assert len(panels) == 11  # Ludza: every indicator with a baseline or a target
    first = _charts(at)[0]
    title = first["layout"]["title"]["text"]
    assert lv("targets.status.no_measurement") in title or lv("targets.status.no_baseline") in title
    assert first["layout"]["showlegend"] is False


def test_the_overview_trend_starts_at_zero():
    at = open_app("pages/overview.py", m="LUD")
    title = lv("overview.pupils_trend_title")
    trend = next(c for c in _charts(at) if c["layout"].get("title", {}).get("text") == title)
    assert trend["layout"]["yaxis"]["rangemode"] == "tozero"  # a 6 % fall must not look steep


def test_the_action_plan_opens_on_a_year_that_can_have_reports():
    """The latest year with reports (DEMO: 2025); without any, the last year that has ended, never this
    calendar year, on which nobody has reported yet."""
    from datetime import date

    assert open_app("pages/action_plan.py", m="DEMO").selectbox(key="plan_year").value == 2025
    ended = min(max(date.today().year - 1, 2024), 2027)
    assert open_app("pages/action_plan.py", m="LUD").selectbox(key="plan_year").value == ended


def test_streamlits_english_texts_are_switched_off_where_streamlit_allows():
    """Placeholders in Latvian, no "Select all", no typing (so no "No results") in short lists."""
    at = open_app("pages/compare.py", m="LUD")
    choice = at.multiselect(key="compare_municipalities").proto
    assert choice.placeholder == lv("compare.choose_placeholder") and choice.select_all == 0
    assert choice.filter_mode == FILTER_MODE_NONE
    at = open_app("pages/action_plan.py", m="LUD")
    status = at.multiselect(key="plan_status").proto
    assert status.placeholder == lv("action_plan.all_statuses")
    assert status.select_all == 0 and status.filter_mode == FILTER_MODE_NONE
