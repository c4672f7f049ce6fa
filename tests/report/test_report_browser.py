"""The report and the meeting in headless Chromium: the HTML file draws every chart with the
network switched off and asks for nothing; it prints to A4 PDF; the escaped plotly.js draws
exactly what plotly.js draws; the meeting moves on with the arrow keys and hides the sidebar."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import plotly.express as px
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from plotly.offline import get_plotlyjs

from metrics.filters import Filters
from report import html
from report.sections import ConnectionReader, yearly_report
from tests.e2e.browser import chromium_missing, launch, open_page, serve

pytestmark = pytest.mark.e2e

reason = chromium_missing()
if reason:
    pytest.skip(reason, allow_module_level=True)

DRAWN = "() => document.querySelectorAll('.chart').length > 0 && !document.querySelector('.chart:not(:has(.main-svg))')"


@pytest.fixture(scope="module")
def chromium():
    with launch() as instance:
        yield instance


@pytest.fixture(scope="module")
def report_file(sample_db, tmp_path_factory):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        report = yearly_report(ConnectionReader(con), Filters(municipality="DEMO"), "2024/2025", date(2026, 8, 20))
    finally:
        con.close()
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(html.render(report), encoding="utf-8")
    return path, report


def test_the_report_opens_offline_draws_every_chart_and_prints_to_a4(chromium, report_file, tmp_path):
    path, report = report_file
    context = chromium.new_context(offline=True)
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function(DRAWN, timeout=30_000)
    assert [u for u in requests if not u.startswith("file:")] == []
    assert errors == []
    charts = sum(s.figure is not None for s in report.sections)
    assert page.locator(".chart:has(.main-svg)").count() == charts
    assert page.locator("section.chapter").count() == len(report.sections)
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages > len(report.sections)  # a cover, then every section from a new page
    context.close()


def test_escaped_plotly_js_draws_the_same_chart_as_plotly_js(chromium, tmp_path):
    fig = px.bar(x=["a", "b", "c"], y=[3, 1, 2], text=["3", "1", "2"])
    svgs = []
    for name, script in (("original", get_plotlyjs()), ("escaped", html.plotly_js())):
        page_file = tmp_path / f"{name}.html"
        page_file.write_text(
            f"<html><head><script>{script}</script></head><body><div id='c' class='chart'></div><script>"
            f"Plotly.newPlot('c', {fig.to_json()}.data, {{width: 500, height: 300}}, {{staticPlot: true}});"
            "</script></body></html>",
            encoding="utf-8",
        )
        page = chromium.new_page()
        page.goto(page_file.as_uri())
        page.wait_for_function(DRAWN, timeout=30_000)
        svgs.append(re.sub(r"[0-9a-f]{6}", "", page.locator("#c .main-svg").first.evaluate("e => e.outerHTML")))
        page.close()
    assert "http://" not in html.plotly_js() and "https://" not in html.plotly_js()
    assert svgs[0] == svgs[1]


def _press_until(page, key: str, done: str, tries: int = 3) -> None:
    """Press a shortcut key until ``done`` holds (a key pressed while the app is still wiring its
    shortcuts after a rerun is lost, as it would be for a person; they would press again)."""
    for attempt in range(tries):
        page.keyboard.press(key)
        try:
            page.wait_for_function(done, timeout=15_000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise


def test_meeting_mode_hides_the_sidebar_and_the_arrow_keys_move_screens(sample_db, chromium):
    with serve(sample_db) as base:
        page = chromium.new_page(viewport={"width": 1600, "height": 900})
        open_page(page, f"{base}/meeting?m=LUD&meeting=1&screen=4")
        main = page.locator("[data-testid=stMain] h1")
        assert main.first.inner_text() == "Atbalsta personāla iztrūkums"
        assert not page.locator("[data-testid=stSidebar]").is_visible()
        page.get_by_role("button", name="Tālāk").wait_for(state="visible")
        _press_until(page, "ArrowRight", "() => location.search.includes('screen=5')")
        expect(main.first).to_have_text("Pumpurs: individuālais atbalsts", timeout=30_000)
        _press_until(page, "Escape", "() => !location.search.includes('meeting=1')")
        page.wait_for_selector("[data-testid=stSidebar]", state="visible", timeout=30_000)
        assert page.locator("[data-testid=stException]").count() == 0
        page.close()
