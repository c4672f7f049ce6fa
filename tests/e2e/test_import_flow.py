"""The yearly import as an Education Board planner does it, in the real app in headless Chromium:
sign in with a named admin account on the Data page, upload a filled annex 6 template together
with a broken one and one holding a personal code, read the validation report, confirm, see the import in the log and
the new figures on the Overview. Nothing is written before the confirmation, the refused files
write nothing at all, and the log names the signed-in account. Screenshots of each step go to
artifacts/e2e/import_*.png."""

from __future__ import annotations

import hashlib
import shutil

import duckdb
import pytest

from data_loaders import accounts
from tests.e2e.browser import ROOT, chromium_missing, launch, open_page, serve, sign_in, wait_idle
from tests.factories import FIGURES, SCHOOL, YEAR, fill_annex6

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "artifacts" / "e2e"
USER, SECRET = "planotaja", "e2e-admin-secret"

reason = chromium_missing()
if reason:
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 (only where the browser tests run)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_planner_imports_a_yearly_report_and_refused_files_write_nothing(sample_db, tmp_path):
    db = tmp_path / "pmp.duckdb"
    shutil.copyfile(sample_db, db)
    accounts.add(db, USER, "admin", display_name="Izglītības pārvalde, e2e", password=SECRET)
    good = tmp_path / "ezermala_2025.xlsx"
    good.write_bytes(fill_annex6(FIGURES))
    broken = tmp_path / "ezermala_kludains.xlsx"
    broken.write_bytes(fill_annex6({**FIGURES, ("pupils_start", "all"): -3, ("at_risk", "basic"): "daudz"}))
    personal = tmp_path / "skoleni.csv"
    personal.write_text("school_id,school_year,note\ndemo_ezermalas_vidusskola,2025/2026,010203-12345\n")
    SHOTS.mkdir(parents=True, exist_ok=True)

    with serve(db, env={"PMP_THROTTLE_FILE": str(tmp_path / "signin")}) as base, launch() as chromium:
        page = _signed_in_import_tab(chromium, base)
        page.locator("input[type=file]").set_input_files([str(good), str(broken), str(personal)])
        page.wait_for_selector("text=ezermala_kludains.xlsx: noraidīts", timeout=45_000)
        page.wait_for_selector("text=skoleni.csv: noraidīts", timeout=45_000)
        page.wait_for_selector("text=ezermala_2025.xlsx", timeout=45_000)
        wait_idle(page)
        page.screenshot(path=str(SHOTS / "import_1_validation.png"), full_page=True)
        before = _digest(db)  # the validation report has been read; nothing is written yet

        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM enrolment WHERE school_year = ?", [YEAR]).fetchone()[0] == 0

        page.get_by_role("button", name="Apstiprināt derīgo failu importu (1)").click()
        page.wait_for_selector("text=Importēts:", timeout=45_000)  # shown after the rerun on the new data
        wait_idle(page)
        # the uploader is empty again (the last run's elements stay on screen until the rerun replaces them)
        expect(page.get_by_text("ezermala_kludains.xlsx")).to_have_count(0, timeout=30_000)
        page.screenshot(path=str(SHOTS / "import_2_confirmed.png"), full_page=True)
        assert _digest(db) != before

        page.get_by_role("tab", name="Importa žurnāls", exact=True).click()
        wait_idle(page)
        # the log is a canvas grid, drawn after the tab opens
        page.locator("[data-testid=stDataFrame] canvas").first.wait_for(state="visible", timeout=30_000)
        page.screenshot(path=str(SHOTS / "import_3_log.png"), full_page=True)
        # the restore choice names the new import by time and file (the log itself is a canvas grid)
        assert "ezermala_2025.xlsx" in page.locator("[data-testid=stSelectbox] input").last.input_value()

        open_page(page, f"{base}/?m=DEMO&y={YEAR}&s={SCHOOL}")
        page.wait_for_selector("[data-testid=stMetricValue]:has-text('212')", timeout=45_000)
        page.screenshot(path=str(SHOTS / "import_4_overview.png"), full_page=True)
        assert page.locator("[data-testid=stException]").count() == 0

    with duckdb.connect(str(db), read_only=True) as con:
        pupils = con.execute(
            "SELECT pupils FROM enrolment WHERE school_id = ? AND school_year = ? AND grade_band = 'total'",
            [SCHOOL, YEAR],
        ).fetchone()
        logged = con.execute("SELECT file_name, imported_by, result FROM import_log ORDER BY imported_at").fetchall()
    assert pupils == (212,)
    # only the good file was written; the refused ones left no rows behind
    # ... and the log names the signed-in account, not a name typed at sign-in
    assert [row for row in logged if row[2] == "imported"] == [("ezermala_2025.xlsx", USER, "imported")]


def _signed_in_import_tab(chromium, base: str):
    """A browser of its own (its own session), signed in, on the Data page's import tab."""
    page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    sign_in(page, f"{base}/data?m=DEMO", USER, SECRET)
    page.get_by_role("tab", name="Imports", exact=True).click()
    return page


def test_two_planners_importing_the_same_school_year_at_once_each_see_what_they_replace(sample_db, tmp_path):
    """Two browsers upload the same school's annex 6; the second confirms first. The first one's
    click then writes nothing: the page names the import that landed, and the next click imports."""
    db = tmp_path / "pmp.duckdb"
    shutil.copyfile(sample_db, db)
    accounts.add(db, USER, "admin", display_name="Izglītības pārvalde, e2e", password=SECRET)
    first, second = tmp_path / "pirmais.xlsx", tmp_path / "otrais.xlsx"
    first.write_bytes(fill_annex6(FIGURES))
    second.write_bytes(fill_annex6({**FIGURES, ("pupils_start", "all"): 213}))
    confirm = "Apstiprināt derīgo failu importu (1)"

    with serve(db, env={"PMP_THROTTLE_FILE": str(tmp_path / "signin")}) as base, launch() as chromium:
        one, two = _signed_in_import_tab(chromium, base), _signed_in_import_tab(chromium, base)
        for page, upload in ((one, first), (two, second)):
            page.locator("input[type=file]").set_input_files([str(upload)])
            page.get_by_role("button", name=confirm).wait_for(timeout=45_000)
            wait_idle(page)
        two.get_by_role("button", name=confirm).click()
        two.wait_for_selector("text=Importēts:", timeout=45_000)

        one.get_by_role("button", name=confirm).click()
        said = one.get_by_text("Kamēr skatījāties, cits imports mainīja")
        said.wait_for(timeout=45_000)
        expect(one.get_by_text("otrais.xlsx", exact=False).last).to_be_visible()
        wait_idle(one)
        one.screenshot(path=str(SHOTS / "import_5_two_at_once.png"), full_page=True)
        one.get_by_role("button", name=confirm).click()
        one.wait_for_selector("text=Importēts:", timeout=45_000)

    with duckdb.connect(str(db), read_only=True) as con:
        logged = con.execute(
            "SELECT file_name FROM import_log WHERE result = 'imported' ORDER BY imported_at"
        ).fetchall()
        pupils = con.execute(
            "SELECT pupils FROM enrolment WHERE school_id = ? AND school_year = ? AND grade_band = 'total'",
            [SCHOOL, YEAR],
        ).fetchall()
    assert logged == [("otrais.xlsx",), ("pirmais.xlsx",)] and pupils == [(212,)]  # the last confirmed
