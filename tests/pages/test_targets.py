"""The Targets page in AppTest: the real indicators of Ludza and Jēkabpils, the demo's computed vs
reported values, the status rule on screen, filters, and a value added through the import path."""

from __future__ import annotations

import shutil

import streamlit as st

from data_loaders import importers
from tests.pages.conftest import open_app, texts

NBSP = "\u00a0"
PAGE = "pages/targets.py"


def _rows(at) -> dict[str, dict[str, str]]:
    """Every indicator row of the per-level tables, by its number."""
    rows = {}
    for table in at.table:
        frame = table.value
        number = "Nr." if "Nr." in frame.columns else "No."
        if number in frame.columns:
            rows |= {str(r[number]): r.to_dict() for _, r in frame.iterrows()}
    return rows


def test_ludza_indicators_by_level_with_baseline_targets_and_status():
    at = open_app(PAGE)
    page = texts(at)
    assert "Mērķi un rādītāji" in page and "Ludzas novads" in page and "2025. un 2027. gadam" in page
    assert [m.value for m in at.metric] == ["0", "0", "0", "0", "11"]  # no actual value after the baselines yet
    assert [m.value for m in at.markdown if m.value.startswith("**")][:3] == [
        "**Universālā prevencija**",
        "**Mērķtiecīgā prevencija**",
        "**Pielāgotā prevencija**",
    ]
    rows = _rows(at)
    assert len(rows) == 11
    three = rows["3"]
    assert three["Bāzes vērtība"] == "67% (2023)"
    assert (three["Mērķis 2025"], three["Mērķis 2027"]) == ("75%", "85%")
    assert three["Jaunākā vērtība"] == "nav datu" and three["Statuss"] == "○ Vēl nav mērījuma"
    assert rows["8 (vidusskolā)"]["Mērķis 2025"] == "≤ 0,05%"  # "<0,05%": at most
    assert rows["9"]["Mērķis 2027"] == "0,05%"  # printed without "<" in 2027
    assert (
        rows["1"]["Bāzes vērtība"] == "vēl nav skaitļa" and rows["1"]["Statuss"] == "○ Bāzes vērtība vēl nav noteikta"
    )
    assert "Apdraudēts:** vērtība atpaliek no līnijas" in page  # the rule is on the page
    assert "Pēc bāzes vērtības (2023) vēl nav neviena mērījuma" in page  # detail opens at indicator 3


def test_jekabpils_in_english_indicator_8_and_indicators_without_numbers():
    at = open_app(PAGE, m="JEK", lang="en")
    page = texts(at)
    assert "Jēkabpils municipality" in page and "2026 and 2028" in page
    eight = _rows(at)["8"]
    assert eight["Baseline"] == "0.9% (2020/2021)" and eight["Latest value"] == "0.9% (2020/2021)"
    assert (eight["Target 2026"], eight["Target 2028"]) == ("0.3%", "0%")
    assert eight["Status"] == "○ No measurement yet"
    assert _rows(at)["4"]["Target 2026"] == "no number yet"
    without = next(i.value for i in at.info if i.value.startswith("Without numbers"))
    assert all(f"\n- {n}\\. Share" in without for n in (1, 2, 4, 5)) and "8\\." not in without  # a list, full names
    assert "…" not in without
    assert "The latest value 0.9% (2020/2021) is the baseline itself" in page
    assert '"Dropout rate"' in page and "school data for the chosen years are missing" in page


def test_demo_shows_computed_and_officially_reported_values_side_by_side():
    at = open_app(PAGE, m="DEMO")
    at.selectbox(key="targets_indicator").set_value("8").run()
    page = texts(at)
    assert "sintētiski" in page
    assert [m.value for m in at.metric] == ["0", "2", "2", "0", "0"]
    assert "Panelis šo rādītāju aprēķina arī no skolu datiem" in page
    compare = at.table[-1].value.set_index("Periods")
    assert compare.loc["2024 / 2023/2024", "Oficiāli ziņots"] == "0,5%"
    assert compare.loc["2024 / 2023/2024", "Aprēķināts no skolu datiem"] == "0,33%"
    assert "Vērtības atšķiras" in page
    detail = at.dataframe[-1].value
    assert set(detail["Rādītājs"]) >= {"Bāzes vērtība", "Plānotais ceļš", "Mērķis", "Faktiskā vērtība"}
    computed = detail[detail["Rādītājs"] == "Aprēķināts no skolu datiem"].set_index("Periods")["Vērtība"]
    assert computed["2021/2022"] == "x"  # its dropout count is under 5: hidden, with the one footnote
    assert any(c.value.startswith("Avots") and "x – slēpts privātuma dēļ" in c.value for c in at.caption)


def test_a_year_without_values_and_a_school_filter_say_so():
    at = open_app(PAGE, m="DEMO", y="2018/2019", s="demo_parauga_2_vidusskola")
    page = texts(at)
    assert "izglītības iestāžu filtrs šajā lapā netiek piemērots" in page
    assert "ņemtas tikai izvēlēto mācību gadu faktiskās vērtības" in page
    assert at.metric[-1].value == "4"  # nothing to judge in 2018/2019: not a zero, "not yet assessable"
    assert all(r["Jaunākā vērtība"] == "nav datu" for r in _rows(at).values())


def test_an_imported_yearly_value_updates_the_status(sample_db, tmp_path, monkeypatch):
    db = tmp_path / "pmp.duckdb"
    shutil.copyfile(sample_db, db)
    csv = "municipality,indicator_no,breakdown,period,start_year,value,source,note\n"
    csv += "LUD,3,,2024/2025,2024,76,Izglītības pārvalde: VIIS dati 2025,\n"
    parsed, ids = importers.import_files(db, [("indicator_value.csv", csv.encode())], "test")
    assert ids, [str(p) for f in parsed for p in f.problems]
    monkeypatch.setenv("PMP_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_app(PAGE)
    assert {m.label: m.value for m in at.metric}["↗ Atbilst plānam"] == "1"
    three = _rows(at)["3"]
    assert three["Jaunākā vērtība"] == "76% (2024/2025)" and three["Statuss"] == "↗ Atbilst plānam"
    assert "Jaunākā vērtība 76% (2024/2025) ir uz plānotās līnijas vai labāka: plānots 75%" in texts(at)
