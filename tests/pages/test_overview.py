from __future__ import annotations

import numpy as np

from tests.pages.conftest import en, lv, open_app, texts

NBSP = "\u00a0"
PUPILS = lv("metrics.pupils_total.label")
SCHOOLS = lv("metrics.schools_count.label")
BELOW_NORM = lv("metrics.schools_below_staff_norm.label")


def test_default_view_is_latvian_ludza_with_real_figures():
    at = open_app()
    page = texts(at)
    assert lv("overview.title") in page and lv("overview.subtitle", municipality="Ludzas novads") in page
    metrics = {m.label: m.value for m in at.metric}
    # literal: the Latvian thousands separator is a no-break space
    assert metrics[PUPILS] == f"1{NBSP}765"  # latest year 2023/2024
    assert metrics[lv("metrics.pumpurs_participants.label")] == "283"
    assert metrics[BELOW_NORM] == "7"
    assert at.query_params["m"] in ("LUD", ["LUD"])  # the view is written back to the URL


def test_ludza_2022_2023_pupil_total_is_computed_from_enrolment():
    at = open_app(y="2022/2023")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[PUPILS] == f"1{NBSP}878"
    assert metrics[SCHOOLS] == "9"


def test_english_switch_and_english_number_format():
    at = open_app(lang="en", m="JEK")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[en("metrics.pupils_total.label")] == "4,264"  # literal: the English thousands comma
    assert metrics[en("metrics.schools_below_staff_norm.label")] == en("common.no_data")  # no FTE table
    assert en("overview.subtitle", municipality="Jēkabpils municipality") in texts(at)


def test_one_school_and_the_synthetic_warning():
    at = open_app(m="DEMO", s="demo_parauga_2_vidusskola", y="2024/2025")
    page = texts(at)
    assert lv("app.synthetic_warning") in page
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[SCHOOLS] == "1"


def test_a_year_without_data_says_so_instead_of_zero():
    at = open_app(m="LUD", y="2023/2024")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[BELOW_NORM] == lv("common.no_data")
    assert metrics[lv("metrics.pumpurs_iap.label")] == lv("common.no_data")


def test_unknown_url_values_are_ignored():
    at = open_app(m="XXX", y="1999/2000", s="nope", lang="de")
    assert {m.label: m.value for m in at.metric}[PUPILS] == f"1{NBSP}765"


def test_tables_show_each_rows_sources_as_text_and_captions_read_them_whole():
    synthetic = "synthetic: data_loaders/synthetic.py (seed 2024); not a real figure"  # one source, "; " inside
    at = open_app(m="DEMO", lang="en")
    frames = [d.value for d in at.dataframe]
    assert frames
    for frame in frames:  # a row's list of sources is joined for the reader, never shown as a list
        assert not any(isinstance(v, list | tuple | np.ndarray) for column in frame for v in frame[column])
    source = en("overview.col_source")
    by_school = next(f for f in frames if en("common.school") in f.columns and source in f.columns)
    assert set(by_school[source]) == {synthetic}
    said = en("documents.synthetic", generator="data_loaders/synthetic.py", seed=2024)
    captions = [c.value for c in at.caption if c.value.startswith(en("common.source", source=""))]
    assert captions and all(c == en("common.source", source=said) for c in captions), captions


def test_a_charts_table_and_downloads_are_drawn_when_its_tab_is_opened_and_stay_open_in_english():
    """Beside each chart, its table and the table's CSV and XLSX are one click away: drawn when the
    reader opens the table tab (a rerun), not on every run; the tab stays open when the language changes."""
    from ui.filters import WIDGETS

    at = open_app(opened=False, y="2022/2023")
    assert [tab.label for tab in at.tabs][:2] == [lv("common.chart"), lv("common.table")]
    assert len(at.get("plotly_chart")) == 1 and not at.get("download_button")
    at.session_state["overview_by_school_view"] = lv("common.table")  # the reader opens the table tab
    at.run()
    downloads = {"overview_by_school_csv", "overview_by_school_xlsx"}
    assert downloads <= {b.key for b in at.get("download_button")}
    table = next(d.value for d in at.dataframe if lv("common.school") in d.value.columns)
    assert table.set_index(lv("common.school")).loc["Ludzas 2.vidusskola", lv("common.pupils")] == "519"
    assert len(at.get("plotly_chart")) == 1  # the chart is still there behind its tab
    at.button_group(key=WIDGETS["lang"]).set_value("en").run()
    assert not at.exception
    assert [tab.label for tab in at.tabs][:2] == [en("common.chart"), en("common.table")]
    assert downloads <= {b.key for b in at.get("download_button")}
    assert any(en("common.school") in d.value.columns for d in at.dataframe)
