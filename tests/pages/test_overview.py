from __future__ import annotations

import numpy as np

from tests.pages.conftest import open_app, texts

NBSP = "\u00a0"


def test_default_view_is_latvian_ludza_with_real_figures():
    at = open_app()
    page = texts(at)
    assert "Pārskats" in page and "Ludzas novads" in page
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Izglītojamie"] == f"1{NBSP}765"  # latest year 2023/2024
    assert metrics["Pumpurs atbalstītie"] == "283"
    assert metrics["Zem personāla normas"] == "7"
    assert at.query_params["m"] in ("LUD", ["LUD"])  # the view is written back to the URL


def test_ludza_2022_2023_pupil_total_is_computed_from_enrolment():
    at = open_app(y="2022/2023")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Izglītojamie"] == f"1{NBSP}878"
    assert metrics["Skolas"] == "9"


def test_english_switch_and_english_number_format():
    at = open_app(lang="en", m="JEK")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pupils"] == "4,264"
    assert metrics["Below staff norm"] == "no data"  # Jēkabpils gives no FTE table
    assert "Jēkabpils municipality" in texts(at)


def test_one_school_and_the_synthetic_warning():
    at = open_app(m="DEMO", s="demo_parauga_2_vidusskola", y="2024/2025")
    page = texts(at)
    assert "sintētiski" in page
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Skolas"] == "1"


def test_a_year_without_data_says_so_instead_of_zero():
    at = open_app(m="LUD", y="2023/2024")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Zem personāla normas"] == "nav datu"
    assert metrics["Pumpurs plāni (IAP)"] == "nav datu"


def test_unknown_url_values_are_ignored():
    at = open_app(m="XXX", y="1999/2000", s="nope", lang="de")
    assert {m.label: m.value for m in at.metric}["Izglītojamie"] == f"1{NBSP}765"


def test_tables_show_each_rows_sources_as_text_and_captions_read_them_whole():
    synthetic = "synthetic: data_loaders/synthetic.py (seed 2024); not a real figure"  # one source, "; " inside
    at = open_app(m="DEMO", lang="en")
    frames = [d.value for d in at.dataframe]
    assert frames
    for frame in frames:  # a row's list of sources is joined for the reader, never shown as a list
        assert not any(isinstance(v, list | tuple | np.ndarray) for column in frame for v in frame[column])
    by_school = next(f for f in frames if "School" in f.columns and "Source" in f.columns)
    assert set(by_school["Source"]) == {synthetic}
    said = "synthetic data made up for the demo (data_loaders/synthetic.py, seed 2024), not real figures"
    captions = [c.value for c in at.caption if c.value.startswith("Source")]
    assert captions and all(c == f"Source: {said}" for c in captions), captions
