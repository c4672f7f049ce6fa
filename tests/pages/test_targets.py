"""The Targets page in AppTest: the real indicators of Ludza and Jēkabpils, the demo's computed vs
reported values, the status rule on screen, filters, and a value added through the import path."""

from __future__ import annotations

import shutil

import streamlit as st

from data_loaders import importers
from tests.pages.conftest import en, lv, open_app, open_on_demand, sections, texts

NBSP = "\u00a0"
PAGE = "pages/targets.py"
BASELINE, LATEST, STATUS = (lv(f"targets.col_{c}") for c in ("baseline", "latest", "status"))
PERIOD, INDICATOR = lv("targets.col_period"), lv("targets.col_indicator")


def target(year: int, lang: str = "lv") -> str:
    return (lv if lang == "lv" else en)("targets.col_target", year=year)


def _rows(at) -> dict[str, dict[str, str]]:
    """Every indicator row of the per-level tables, by its number."""
    rows = {}
    for table in at.table:
        frame = table.value
        number = lv("targets.col_no") if lv("targets.col_no") in frame.columns else en("targets.col_no")
        if number in frame.columns:
            rows |= {str(r[number]): r.to_dict() for _, r in frame.iterrows()}
    return rows


def test_ludza_indicators_by_level_with_baseline_targets_and_status():
    at = open_app(PAGE)
    page = texts(at)
    assert lv("targets.title") in page
    assert lv("targets.subtitle", municipality="Ludzas novads", year1=2025, year2=2027) in page
    assert [m.value for m in at.metric] == ["0", "0", "0", "0", "11"]  # no actual value after the baselines yet
    assert [m.value for m in at.markdown if m.value.startswith("**")][:3] == [
        f"**{lv(f'targets.level.{level}')}**" for level in ("universal", "targeted", "tailored")
    ]
    rows = _rows(at)
    assert len(rows) == 11
    three = rows["3"]
    assert three[BASELINE] == "67% (2023)"
    assert (three[target(2025)], three[target(2027)]) == ("75%", "85%")
    assert three[LATEST] == lv("common.no_data")
    assert three[STATUS] == lv("targets.status.no_measurement")
    secondary = f"8 ({lv('targets.breakdown.secondary')})"
    assert rows[secondary][target(2025)] == lv("targets.at_most", value="0,05%")  # "<0,05%": at most
    assert rows["9"][target(2027)] == "0,05%"  # printed without "<" in 2027
    assert rows["1"][BASELINE] == lv("targets.not_set")
    assert rows["1"][STATUS] == lv("targets.status.no_baseline")
    assert lv("targets.rule").strip() in page  # the rule is on the page
    assert lv("targets.why.no_measurement", year=2023) in page  # detail opens at indicator 3


def _titles(at) -> list[str]:
    """The titles of the Plotly charts on the page (a small chart's title names its indicator)."""
    import json

    return [json.loads(c.proto.spec)["layout"].get("title", {}).get("text", "") for c in at.get("plotly_chart")]


def test_the_small_chart_of_every_indicator_is_drawn_when_opened_not_before():
    """The eleven small charts cost the browser more than the rest of the page (docs/performance.md):
    they are one click away, under a label that counts them, and all there once opened, with their
    table and downloads."""
    at = open_app(PAGE, opened=False)
    label = lv("targets.panels_open", n=11)
    assert [e.label for e in at.expander if e.label == label] == [label]
    assert len(at.get("plotly_chart")) == 1  # only the chosen indicator's chart
    assert not at.get("download_button")  # the tables (and their downloads) are drawn when their tab is opened
    assert sections(open_on_demand(at)) == ["targets_panels"]
    titles = _titles(at)
    assert len(titles) == 12  # the eleven small charts and the chosen indicator's
    numbers = [title.split(".")[0].split(" (")[0] for title in titles[:11]]
    assert numbers == ["1", "2", "3", "4", "5", "6", "7", "8", "8", "8", "9"]  # 8 in three breakdowns
    assert titles[11].startswith(lv("targets.progress_title", label="")[:3])  # the chosen one's, after
    keys = {b.key for b in at.get("download_button")}  # the indicators' table as CSV and XLSX
    assert {"targets_overview_csv", "targets_overview_xlsx"} <= keys
    at.run()  # stays open for the session, as the reader left it
    assert len(at.get("plotly_chart")) == 12


def test_jekabpils_in_english_indicator_8_and_indicators_without_numbers():
    at = open_app(PAGE, m="JEK", lang="en")
    page = texts(at)
    assert en("targets.subtitle", municipality="Jēkabpils municipality", year1=2026, year2=2028) in page
    eight = _rows(at)["8"]
    assert eight[en("targets.col_baseline")] == eight[en("targets.col_latest")] == "0.9% (2020/2021)"
    assert (eight[target(2026, "en")], eight[target(2028, "en")]) == ("0.3%", "0%")
    assert eight[en("targets.col_status")] == en("targets.status.no_measurement")
    assert _rows(at)["4"][target(2026, "en")] == en("targets.not_set")
    without = next(i.value for i in at.info if i.value.startswith(en("targets.without_numbers", items="")))
    assert all(f"\n- {n}\\. Share" in without for n in (1, 2, 4, 5)) and "8\\." not in without  # a list, full names
    assert "…" not in without
    assert en("targets.why.baseline_is_latest", value="0.9%", period="2020/2021") in page
    assert en("targets.linked_no_values", metric=en("metrics.dropout_rate.label")) in page


def test_demo_shows_computed_and_officially_reported_values_side_by_side():
    at = open_app(PAGE, m="DEMO")
    at.selectbox(key="targets_indicator").set_value("8").run()
    page = texts(at)
    assert lv("app.synthetic_warning") in page
    assert [m.value for m in at.metric] == ["0", "2", "2", "0", "0"]
    assert lv("targets.linked", metric=lv("metrics.dropout_rate.label")) in page
    compare = at.table[-1].value.set_index(PERIOD)
    assert compare.loc["2024 / 2023/2024", lv("targets.col_official")] == "0,5%"
    assert compare.loc["2024 / 2023/2024", lv("targets.col_computed")] == "0,33%"
    assert lv("targets.compare_differs", n=1) in page  # 2023/2024: 0,5% reported, 0,33% computed
    detail = at.dataframe[-1].value
    assert set(detail[INDICATOR]) >= {lv(f"targets.legend_{k}") for k in ("baseline", "path", "target", "actual")}
    computed = detail[detail[INDICATOR] == lv("targets.legend_computed")].set_index(PERIOD)[lv("targets.col_value")]
    assert computed["2021/2022"] == "x"  # its dropout count is under 5: hidden, with the one footnote
    hidden = lv("common.hidden_note", mark="x", limit=5)
    assert any(c.value.startswith(lv("common.source", source="")) and hidden in c.value for c in at.caption)


def test_a_year_without_values_and_a_school_filter_say_so():
    at = open_app(PAGE, m="DEMO", y="2018/2019", s="demo_parauga_2_vidusskola")
    page = texts(at)
    assert lv("targets.schools_ignored") in page
    assert lv("targets.years_applied") in page
    assert at.metric[-1].value == "4"  # nothing to judge in 2018/2019: not a zero, "not yet assessable"
    assert all(r[LATEST] == lv("common.no_data") for r in _rows(at).values())


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
    on_track = lv("targets.status.on_track")
    assert {m.label: m.value for m in at.metric}[on_track] == "1"
    three = _rows(at)["3"]
    assert three[LATEST] == "76% (2024/2025)" and three[STATUS] == on_track
    assert lv("targets.why.on_track", value="76%", period="2024/2025", expected="75%") in texts(at)
