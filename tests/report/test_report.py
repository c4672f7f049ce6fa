"""The yearly report: it builds for every municipality, school year and language; it has every
section; its HTML and XLSX carry the sections' figures (compared as numbers); the HTML names no
http(s) address and loads nothing; suppression holds in both files."""

from __future__ import annotations

import io
import re
from datetime import date
from html import escape

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from metrics.filters import Filters
from metrics.registry import compute
from presentation.tables import Table
from presentation.text import Text
from report import html, xlsx
from report.sections import SECTIONS, ConnectionReader, report_filters, school_years, stamp, yearly_report
from tests.pages.test_suppression_everywhere import canary_db  # noqa: F401 (the canary database fixture)
from tests.report.conftest import MUNICIPALITIES, html_tables, number

TODAY = date(2026, 8, 20)  # the August meeting


def _numeric_cells(table: Table) -> list[tuple[int, int, object, bool]]:
    """(row, column index, value, hidden) of every non-text cell of a section table."""
    cells = []
    for i, column in enumerate(table.columns):
        if column.kind == "text":
            continue
        flag = f"{column.name}_hidden"
        for row, value in enumerate(table.data[column.name]):
            hidden = bool(table.data[flag].iloc[row]) if flag in table.data else False
            cells.append((row, i, value, hidden))
    return cells


def _close(shown: str, value: object, lang: str) -> bool:
    """The shown text is the value rounded to the decimals it shows."""
    parsed = number(shown, lang)
    decimals = (
        len(re.split(r"[.,]", shown.replace("\u00a0", "").rstrip(" %"))[-1]) if re.search(r"\d[.,]\d", shown) else 0
    )
    return parsed is not None and abs(parsed - float(value)) <= 0.5 * 10**-decimals + 1e-9


@pytest.mark.parametrize("lang", ["lv", "en"])
@pytest.mark.parametrize("municipality", MUNICIPALITIES)
def test_the_report_builds_for_every_school_year_with_every_section(reader, municipality, lang):
    years = school_years(reader, municipality)
    assert years
    for year in years:
        report = yearly_report(reader, Filters(municipality=municipality, lang=lang), year, TODAY)
        assert [s.key for s in report.sections] == list(SECTIONS), year
        assert report.filters.years[-1] == year
        document = html.render(report)
        assert not re.search(r"https?://", document, re.IGNORECASE), (municipality, year, lang)
        for fetch in ("src=", "<link", "@import", "url(", "<iframe", "fetch("):  # nothing else to load
            assert fetch not in document.replace(html.plotly_js(), ""), fetch
        assert document.count("<script>") == 3  # the config, plotly.js inline, the charts
        for section in report.sections:
            assert f'data-section="{section.key}"' in document and escape(section.sentence) in document
            assert (f'id="chart-{section.key}"' in document) == (section.figure is not None)
            assert section.title and section.question and section.sentence
        book = load_workbook(io.BytesIO(xlsx.render(report)))
        assert book.sheetnames == [xlsx.sheet_name(i, s.title) for i, s in enumerate(report.sections, 1)]
        assert [book[name]["A1"].value for name in book.sheetnames] == [s.title for s in report.sections]


@pytest.mark.parametrize(("municipality", "year", "lang"), [("DEMO", "2024/2025", "lv"), ("LUD", "2022/2023", "en")])
def test_html_and_xlsx_show_the_sections_figures(reader, municipality, year, lang):
    report = yearly_report(reader, Filters(municipality=municipality, lang=lang), year, TODAY)
    tables = html_tables(html.render(report))
    book = load_workbook(io.BytesIO(xlsx.render(report)))
    limit = report.filters.threshold
    for number_, section in enumerate(report.sections, 1):
        sheet = list(book[xlsx.sheet_name(number_, section.title)].iter_rows(values_only=True))
        shown = iter(tables.get(section.key, []))
        for table in section.tables:
            data = table.data
            if table.group:  # printed as one sub-table per group, without the group column
                data = pd.concat([data[data[table.group] == g] for g in data[table.group].unique()])
                columns = [c for c in table.columns if c.name != table.group]
                rows = [r for sub in (next(shown) for _ in data[table.group].unique()) for r in sub[1:]]
            else:
                columns = list(table.columns)
                rows = next(shown)[1:]
            grid = Table(table.title, data.reset_index(drop=True), tuple(columns))
            assert len(rows) == len(data), (section.key, table.title)
            for row, i, value, hidden in _numeric_cells(grid):
                text = rows[row][i]
                if hidden:
                    assert text in (f"<{limit}", Text(lang)("report.hidden", limit=limit)), (section.key, text)
                elif pd.isna(value):
                    assert number(text, lang) is None, (section.key, text)
                else:
                    assert _close(text, value, lang), (section.key, table.title, row, text, value)
            # the XLSX: the header row, then the values as numbers (hidden and missing as text)
            start = next(k for k, r in enumerate(sheet) if r[0] == table.title) + 2
            for row, i, value, hidden in _numeric_cells(table):
                cell = sheet[start + row][i]
                if hidden or pd.isna(value):
                    assert isinstance(cell, str), (section.key, cell)
                else:
                    assert cell == pytest.approx(float(value)), (section.key, table.title, row, cell, value)


def test_figures_match_the_metrics_and_the_seed_documents(reader):
    """Key figures against the metrics the pages read and against the documents' own numbers."""
    lud = yearly_report(reader, Filters(municipality="LUD"), "2022/2023", TODAY)
    by_key = {s.key: s for s in lud.sections}
    pupils = compute(reader.con, "pupils_total", lud.filters).iloc[-1]
    assert by_key["overview"].figures["pupils"] == pupils["pupils"] == 1878  # Ludza 2022/2023
    assert by_key["overview"].figures["schools"] == 9
    staff = by_key["support_staff"].figures
    assert (staff["below"], staff["reporting"], staff["gap_fte"]) == (7, 8, 3.833)
    assert "7 no 8 skolām" in by_key["support_staff"].sentence and "3,833 slodzes" in by_key["support_staff"].sentence
    assert by_key["risks"].figures["top_share"] == 94.0
    assert by_key["pumpurs"].figures["value"] == 283  # pupils supported, 2021/2022–2022/2023

    demo = yearly_report(reader, Filters(municipality="DEMO", lang="en"), "2024/2025", TODAY)
    plan = {s.key: s for s in demo.sections}["action_plan"].figures
    assert (plan["year"], plan["done"], plan["in_progress"], plan["not_done"]) == (2025, 4, 2, 2)
    focus = {s.key: s for s in demo.sections}["focus_schools"].figures
    assert focus["top_school"] == "Parauga 2. vidusskola" and focus["ranked"] <= focus["schools"]
    jek = yearly_report(reader, Filters(municipality="JEK"), "2022/2023", TODAY)
    assert {s.key: s for s in jek.sections}["pumpurs"].figures["value"] == 1788


def test_a_report_covers_the_years_up_to_its_own_and_says_so(reader):
    view = report_filters(reader, Filters(municipality="LUD", schools=("lud_ciblas_vidusskola",)), "2022/2023")
    assert view.years == ("2020/2021", "2021/2022", "2022/2023")
    line = stamp(reader, view).line(Text("lv"))
    assert "Ludzas novads" in line and "2020/2021–2022/2023" in line and "Ciblas vidusskola" in line and "Dati:" in line


def test_no_small_count_reaches_the_report(canary_db):  # noqa: F811
    """The canary database (every pupil count 777, threshold 1000): not one 777 in either file."""
    con = duckdb.connect(str(canary_db), read_only=True)
    canary = re.compile(r"(?<![\d.,])777(?![\d.,])")
    try:
        reader = ConnectionReader(con)
        for municipality in MUNICIPALITIES:
            view = Filters(municipality=municipality, threshold=1000)
            report = yearly_report(reader, view, school_years(reader, municipality)[-1], TODAY)
            document = html.render(report).replace(html.plotly_js(), "")
            assert not canary.search(document), municipality
            book = load_workbook(io.BytesIO(xlsx.render(report)))
            values = [
                str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None
            ]
            assert not [v for v in values if canary.search(v)], municipality
    finally:
        con.close()
