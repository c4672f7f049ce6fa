"""The real app in headless Chromium: every page opens from a cold deep link, filters and the
language switch work, and no error element appears. Screenshots go to artifacts/e2e/."""

from __future__ import annotations

import pytest

from tests.e2e.browser import ROOT, chromium_missing, launch, open_page, serve
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
    sidebar.locator("[data-testid=stSelectbox]").first.click()
    page.get_by_role("option", name="Jēkabpils municipality").click()
    page.wait_for_selector("text=4,264", timeout=30_000)
    assert "m=JEK" in page.url and "lang=en" in page.url
    assert _errors(page) == 0
