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
