"""The real app in headless Chromium: every page opens from a cold deep link, filters and the
language switch work, and no error element appears. Screenshots go to artifacts/e2e/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.browser import ROOT, chromium_missing, launch, open_page, pick, serve, wait_idle
from ui.navigation import PAGES, route

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "artifacts" / "e2e"

reason = chromium_missing()
if reason:
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture(scope="module")
def app(sample_db):
    with serve(sample_db) as base:
        yield base


@pytest.fixture(scope="module")
def chromium():
    with launch() as instance:
        yield instance


@pytest.fixture
def page(chromium):
    tab = chromium.new_page(viewport={"width": 1400, "height": 1000})
    yield tab
    tab.close()


def _errors(page) -> int:
    """Error elements and dialogs (e.g. "Page not found") on the page."""
    return page.locator("[data-testid=stException], [data-testid=stDialog]").count()


def test_cold_deep_link_keeps_its_filters_and_language(app, page):
    open_page(page, f"{app}/?m=LUD&y=2022/2023&lang=en")
    assert _errors(page) == 0
    assert "Overview" in page.locator("h1").all_inner_texts()
    assert page.get_by_text("1,878").count() >= 1
    assert page.locator("[data-testid=stSidebar]").get_by_text("Municipality").count() >= 1


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_opens_in_both_languages_without_errors(app, page, spec):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for lang in ("lv", "en"):
        open_page(page, f"{app}/{route(spec)}?m=LUD&lang={lang}")
        assert _errors(page) == 0, (spec.url_path, lang)
        page.screenshot(path=str(SHOTS / f"{spec.url_path}_{lang}.png"), full_page=True)


def test_changing_municipality_and_language_in_the_sidebar(app, page):
    open_page(page, f"{app}/")
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("English").click()
    page.wait_for_selector("h1:has-text('Overview')", timeout=30_000)
    pick(page, sidebar.locator("[data-testid=stSelectbox]").first, "Jēkabpils municipality")
    page.wait_for_selector("text=4,264", timeout=30_000)
    assert "m=JEK" in page.url and "lang=en" in page.url
    assert _errors(page) == 0


def _settle(page) -> None:
    wait_idle(page)


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_takes_a_year_filter_and_the_language_switch(app, page, spec):
    """A user's own clicks in the sidebar, on every page: a school year, then English."""
    open_page(page, f"{app}/{route(spec)}?m=DEMO")
    sidebar = page.locator("[data-testid=stSidebar]")
    pick(page, sidebar.locator("[data-testid=stMultiSelect]").first, "2023/2024")
    page.keyboard.press("Escape")
    page.wait_for_url("**y=2023%2F2024**", timeout=30_000)
    _settle(page)
    assert _errors(page) == 0, (spec.url_path, "year")
    sidebar.get_by_text("English").click()
    page.wait_for_url("**lang=en**", timeout=30_000)
    _settle(page)
    assert _errors(page) == 0, (spec.url_path, "language")
    assert "m=DEMO" in page.url and "y=2023%2F2024" in page.url
    page.screenshot(path=str(SHOTS / f"{spec.url_path}_demo_2023_en.png"), full_page=True)


def test_a_table_download_is_built_when_clicked(app, page):
    """Downloads are built on the click (not on every rerun): the CSV still holds the table shown."""
    open_page(page, f"{app}/?m=DEMO&lang=en")
    page.get_by_role("tab", name="Table").first.click()
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Download CSV").first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].split(",")[:3] == ["School", "School year", "Pupils"], text[:200]
    assert "Parauga" in text and "2024/2025" in text


def test_a_focus_school_opens_its_profile(app, page):
    """Drill-down in the real app: the Risks page's focus list opens the chosen school's profile."""
    open_page(page, f"{app}/risks?m=DEMO&lang=en")
    page.get_by_role("button", name="Open profile").click()
    page.wait_for_url("**/school_profile?**school=demo_parauga_2_vidusskola**", timeout=30_000)
    _settle(page)
    assert "School profile" in page.locator("h1").all_inner_texts()
    assert _errors(page) == 0
