"""A municipality onboarded through the importer (schools and municipal totals only) on every page:
its figures where it has them, labelled "not split by school", "no data" elsewhere (never 0), euro
amounts to the cent on the page, in the downloads and in the report; and the comparison with the
national reference line, in both languages."""

from __future__ import annotations

import io
import json
import shutil

import pytest
import streamlit as st
from openpyxl import load_workbook

from data_loaders import importers
from presentation.text import t
from tests.factories import NEW_MUN, fill_onboarding
from tests.pages.conftest import en, lv, open_app, open_on_demand, texts
from ui.navigation import PAGES

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def onboarded_db(sample_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("onboard") / "pmp.duckdb"
    shutil.copyfile(sample_db, path)
    parsed, ids = importers.import_files(path, [("onboarding.xlsx", fill_onboarding())], "anna")
    assert ids, [str(p) for p in parsed[0].problems]
    return path


@pytest.fixture(autouse=True)
def use_onboarded(onboarded_db, monkeypatch):
    monkeypatch.setenv("PMP_DB", str(onboarded_db))
    st.cache_data.clear()
    st.cache_resource.clear()


def metrics_of(at) -> dict[str, str]:
    return {m.label: str(m.value) for m in at.metric}


def test_onboarded_overview_shows_plans_and_pupils_as_two_cards_and_no_data_not_zero():
    at = open_app("pages/overview.py", m=NEW_MUN, lang="en")
    cards = metrics_of(at)
    label = {m: en(f"metrics.{m}.label") for m in ("pumpurs_iap", "pumpurs_participants", "pupils_total")}
    assert cards[label["pumpurs_iap"]] == "286"  # semesters I 140 + II 146, never added to a year row
    assert cards[label["pumpurs_participants"]] == "180"
    assert cards[label["pupils_total"]] == en("common.no_data")
    assert cards[en("metrics.schools_below_staff_norm.label")] == en("common.no_data")
    assert cards[en("metrics.schools_count.label")] == "2"  # the register: three schools, one merged in 2021
    captions = " ".join(c.value for c in at.caption)
    assert en("overview.not_split") in captions
    assert "0" not in cards[label["pupils_total"]]


def test_onboarded_overview_in_latvian():
    at = open_app("pages/overview.py", m=NEW_MUN)
    cards = metrics_of(at)
    assert cards[lv("metrics.pupils_total.label")] == lv("common.no_data")
    assert lv("overview.not_split") in " ".join(c.value for c in at.caption)


@pytest.mark.parametrize(("lang", "funding"), [("lv", f"74{NBSP}695,28{NBSP}EUR"), ("en", f"74,695.28{NBSP}EUR")])
def test_onboarded_pumpurs_page_shows_the_municipal_totals_with_cents(lang, funding):
    at = open_app("pages/pumpurs.py", m=NEW_MUN, lang=lang)
    cards = list(metrics_of(at).values())
    assert cards[:3] == ["286", "180", "3"]
    # the euro amounts stay literal: the number format with cents is what is tested
    assert (
        funding in cards and f"251{NBSP if lang == 'lv' else ','}234{',' if lang == 'lv' else '.'}56{NBSP}EUR" in cards
    )
    table = at.dataframe[0].value
    assert any(funding == str(v) for v in table.iloc[:, 4])  # the table (and its downloads) keep the cents


def test_onboarded_cards_show_each_figure_of_its_latest_year_not_no_data(sample_db, tmp_path, monkeypatch):
    """Plans reported for a later year than the pupils and the funding: each card shows its own
    latest figure with its year, and "no data" only where no year has one."""
    totals = [
        ("iap_count", "2023/2024", "I", "70", "plans"),
        ("participants", "2022/2023", "", "180", "pupils"),
        ("funding_eur_cumulative", "2021/2022", "", "156333.57", "EUR"),
    ]
    path = tmp_path / "pmp.duckdb"
    shutil.copyfile(sample_db, path)
    parsed, ids = importers.import_files(path, [("o.xlsx", fill_onboarding(totals=totals))], "anna")
    assert ids, [str(p) for p in parsed[0].problems]
    monkeypatch.setenv("PMP_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_app("pages/pumpurs.py", m=NEW_MUN)
    cards = metrics_of(at)
    assert cards[lv("pumpurs.own_iap_count")] == "70"
    assert cards[lv("pumpurs.own_participants")] == "180"
    assert cards[lv("pumpurs.own_participating_schools")] == lv("common.no_data")
    assert cards[lv("pumpurs.own_funding_eur")] == lv("common.no_data")
    assert cards[lv("pumpurs.own_funding_eur_cumulative")] == f"156{NBSP}333,57{NBSP}EUR"
    captions = [c.value for c in at.caption]
    assert lv("pumpurs.own_one_semester", year="2023/2024", semester="I") in captions
    assert "2022/2023" in captions and "2021/2022" in captions
    # the Overview's two cards likewise, each with its own year, both "not split by school"
    at = open_app("pages/overview.py", m=NEW_MUN)
    cards = metrics_of(at)
    assert cards[lv("metrics.pumpurs_iap.label")] == "70"
    assert cards[lv("metrics.pumpurs_participants.label")] == "180"
    captions = [c.value for c in at.caption]
    split = lv("overview.not_split")
    assert f"{lv('overview.one_semester', period='2023/2024', semester='I')} · {split}" in captions
    assert f"2022/2023 · {split}" in captions


def test_onboarded_municipality_runs_on_every_page_and_meeting_screen():
    for spec in PAGES:
        at = open_app(spec.file, m=NEW_MUN, lang="en")
        assert "Traceback" not in texts(at), spec.file
    for screen in range(1, 9):
        at = open_app(None, m=NEW_MUN, lang="en", meeting="1", screen=str(screen))
        assert not at.exception


def test_onboarded_targets_and_action_plan_say_there_is_no_programme_yet():
    for page in ("targets", "action_plan"):
        at = open_app(f"pages/{page}.py", m=NEW_MUN, lang="en")
        assert at.info[0].value == en(f"{page}.no_programme", municipality="Test Municipality")


def test_onboarded_yearly_report_keeps_euro_cents(onboarded_db):
    import duckdb

    from metrics.filters import Filters
    from report import sections, xlsx
    from report.sections import ConnectionReader

    con = duckdb.connect(str(onboarded_db), read_only=True)
    try:
        reader = ConnectionReader(con)
        filters = Filters(municipality=NEW_MUN, lang="lv")
        report = sections.yearly_report(reader, filters, "2022/2023")
        pumpurs = next(s for s in report.sections if s.key == "pumpurs")
        own = lv("report.pumpurs.own", municipality="Testa novads", year="2022/2023", plans=286, pupils=180)
        assert own in pumpurs.sentence
        book = load_workbook(io.BytesIO(xlsx.render(report)))
        values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert 74695.28 in values and 251234.56 in values  # numbers with cents, not text
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_comparison_of_two_municipalities_with_the_national_line(lang):
    line = t("compare.national_line", lang)
    at = open_app("pages/compare.py", cmp=f"LUD,{NEW_MUN}", lang=lang)
    assert at.multiselect(key="compare_municipalities").value == ["LUD", NEW_MUN]
    at.radio(key="compare_measure").set_value("iap_count").run()
    assert not at.exception
    open_on_demand(at)  # the chart's table tab
    names = [trace["name"] for trace in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]]
    assert names == [
        "Ludzas novads" if lang == "lv" else "Ludza municipality",
        "Testa novads" if lang == "lv" else "Test Municipality",
        line,
    ]
    table = at.dataframe[0].value
    assert set(table.iloc[:, 0]) >= {"Testa novads" if lang == "lv" else "Test Municipality"}
    municipal = t("compare.basis_municipal", lang)
    assert municipal in [str(v) for v in table.iloc[:, 7]]
    # per 100 pupils where the denominator exists, "no data" where it does not (the new municipality)
    rate = table[table.iloc[:, 0] == ("Testa novads" if lang == "lv" else "Test Municipality")].iloc[:, 4]
    assert list(rate) == [t("common.no_data", lang)]
    # the reference line's figures are in the table (and its downloads) too, in rows of their own
    reference = table[table.iloc[:, 0] == t("compare.national_row", lang)]
    thousands = NBSP if lang == "lv" else ","
    assert list(zip(reference.iloc[:, 1], reference.iloc[:, 3], strict=True)) == [
        ("2017/2018", f"6{thousands}834"),
        ("2018/2019", f"15{thousands}129"),
        ("2019/2020", f"21{thousands}732"),
        ("2020/2021", f"19{thousands}757"),
    ]
    assert set(reference.iloc[:, 7]) == {t("compare.basis_national", lang)}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_comparison_says_a_rate_is_missing_for_want_of_pupils_not_of_figures(lang):
    """The new municipality has its plans but no pupil numbers: its rate per 100 pupils is not
    there because there is nothing to divide by, which is what the page says (not "no yearly figure")."""
    at = open_app("pages/compare.py", cmp=f"DEMO,{NEW_MUN}", lang=lang)
    at.radio(key="compare_measure").set_value("iap_per_100").run()
    captions = [c.value for c in at.caption]
    measure = t("compare.measure_iap_per_100", lang)
    name = "Testa novads" if lang == "lv" else "Test Municipality"
    assert t("compare.no_pupils", lang, municipalities=name, measure=measure) in captions
    no_figure = t("compare.no_figure", lang, municipalities="", measure=measure)[:20]
    assert not any(c.startswith(no_figure) for c in captions)
