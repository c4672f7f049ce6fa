"""Onboarding a municipality as a planner does it, in the real app in headless Chromium: sign in,
download the onboarding template from the Data page, upload it filled (schools, a merger, municipal
Pumpurs totals with funding in euro), read the validation report, confirm, then find the new
municipality on the Overview (plans and pupils as two cards, "not split by school"), the Pumpurs
page (funding to the cent) and the comparison with Ludza and the national line in both languages.
Screenshots of each step go to artifacts/e2e/onboard_*.png."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from data_loaders import accounts
from tests.e2e.browser import ROOT, chromium_missing, launch, open_page, serve, sign_in, wait_idle
from tests.factories import NEW_MUN, fill_onboarding

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "artifacts" / "e2e"
USER, SECRET = "planotajs", "e2e-onboard-secret"
NBSP = "\u00a0"

reason = chromium_missing()
if reason:
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 (only where the browser tests run)


def test_a_planner_onboards_a_municipality_through_the_data_page(sample_db, tmp_path):
    db = tmp_path / "pmp.duckdb"
    shutil.copyfile(sample_db, db)
    accounts.add(db, USER, "admin", display_name="Testa novada izglītības pārvalde", password=SECRET)
    SHOTS.mkdir(parents=True, exist_ok=True)

    with serve(db, env={"PMP_THROTTLE_FILE": str(tmp_path / "signin")}) as base, launch() as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        sign_in(page, f"{base}/data", USER, SECRET)

        # the template, as the page hands it out
        button = page.get_by_role("button", name="Lejupielādēt pieslēgšanas veidni (XLSX)")
        button.wait_for(timeout=45_000)
        with page.expect_download() as download:
            button.click()
        template = tmp_path / "template.xlsx"
        download.value.save_as(template)
        assert template.stat().st_size > 5_000

        filled = tmp_path / "testa_novads_pieslegsana.xlsx"
        filled.write_bytes(fill_onboarding())
        page.get_by_role("tab", name="Imports", exact=True).click()
        page.locator("input[type=file]").set_input_files([str(filled)])
        page.wait_for_selector("text=testa_novads_pieslegsana.xlsx: derīgs", timeout=45_000)
        wait_idle(page)
        page.screenshot(path=str(SHOTS / "onboard_1_validation.png"), full_page=True)
        page.get_by_role("button", name="Apstiprināt derīgo failu importu (1)").click()
        page.wait_for_selector("text=Importēts:", timeout=45_000)
        wait_idle(page)

        open_page(page, f"{base}/?m={NEW_MUN}")
        plans = page.locator("[data-testid=stMetric]").filter(has_text="Pumpurs")
        expect(plans.first).to_contain_text("286", timeout=45_000)
        expect(page.get_by_text("nav sadalīta pa skolām").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "onboard_2_overview.png"), full_page=True)

        open_page(page, f"{base}/pumpurs?m={NEW_MUN}")
        expect(page.get_by_text(f"74{NBSP}695,28{NBSP}EUR").first).to_be_visible(timeout=45_000)
        page.screenshot(path=str(SHOTS / "onboard_3_pumpurs.png"), full_page=True)

        for lang, line in (("lv", "Latvija kopumā"), ("en", "Latvia as a whole")):
            open_page(page, f"{base}/compare?cmp=LUD,{NEW_MUN}&lang={lang}")
            page.get_by_text("Pumpurs plāni" if lang == "lv" else "Pumpurs plans", exact=True).click()
            expect(page.locator(".js-plotly-plot .legendtext").filter(has_text=line)).to_have_count(1, timeout=45_000)
            wait_idle(page)
            page.screenshot(path=str(SHOTS / f"onboard_4_compare_{lang}.png"), full_page=True)
        assert page.locator("[data-testid=stException]").count() == 0

    with duckdb.connect(str(db), read_only=True) as con:
        logged = con.execute(
            "SELECT kind, municipality, imported_by FROM import_log WHERE result = 'imported'"
        ).fetchall()
        schools = con.execute("SELECT count(*) FROM school WHERE municipality = ?", [NEW_MUN]).fetchone()[0]
    assert logged == [("onboarding", NEW_MUN, USER)] and schools == 3
