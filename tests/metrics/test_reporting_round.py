"""The yearly reporting round: which schools have sent their annex 6 and the municipality its annex 1,
when and by whom; an undone import does not count; the list names every school expected."""

from __future__ import annotations

import shutil

import pytest

from data_loaders import importers, templates
from data_loaders.store import connect_read_only
from metrics.query import run_sql
from tests.factories import FIGURES, MUN, SCHOOL, fill_annex6


@pytest.fixture
def db(sample_db, tmp_path):
    copy = tmp_path / "pmp.duckdb"
    shutil.copyfile(sample_db, copy)
    return copy


def round_of(db, school_year: str, report_year: int, municipality: str = MUN):
    con = connect_read_only(db)
    try:
        params = {"municipality": municipality, "school_year": school_year, "report_year": report_year}
        return run_sql(con, "reporting_round.sql", params)
    finally:
        con.close()


def _annex1(db, year: int) -> bytes:
    from io import BytesIO

    from openpyxl import load_workbook

    con = connect_read_only(db)
    rows = con.execute(
        "SELECT a.activity_no, a.activity_lv FROM activity a JOIN activity_year y USING (municipality, activity_no) "
        "WHERE a.municipality = ? AND y.year = ? AND y.active ORDER BY a.activity_no LIMIT 1",
        [MUN, year],
    ).fetchall()
    con.close()
    wb = load_workbook(BytesIO(templates.annex1_template(MUN, year, rows)))
    ws = wb["Pielikums 1"]
    ws["C6"], ws["D6"] = "izpildīts", 12
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_every_expected_school_is_listed_missing_until_its_report_is_imported(db):
    before = round_of(db, "2025/2026", 2026)
    schools = before[before["form"] == "annex6"]
    assert len(schools) == 7 and not schools["received"].any()
    assert before["form"].tolist()[-1] == "annex1"

    _, ids = importers.import_files(db, [("ezermala.xlsx", fill_annex6(FIGURES))], "anna")
    after = round_of(db, "2025/2026", 2026).set_index("school_id")
    row = after.loc[SCHOOL]
    assert row["received"] and row["imported_by"] == "anna" and row["file_name"] == "ezermala.xlsx"
    assert row["import_id"] == ids[0] and row["kind"] == "annex6" and row["has_figures"]
    assert int(after["received"].sum()) == 1
    # another year's round is not affected
    assert not round_of(db, "2024/2025", 2025)["received"].any()

    importers.restore(db, ids[0], "anna")  # undone: missing again
    assert not round_of(db, "2025/2026", 2026)["received"].any()


def test_the_municipalitys_annex1_is_the_last_row(db):
    parsed, _ = importers.import_files(db, [("annex1.xlsx", _annex1(db, 2025))], "juris")
    assert parsed[0].ok, [str(p) for p in parsed[0].problems]
    found = round_of(db, "2024/2025", 2025)
    last = found.iloc[-1]
    assert last["form"] == "annex1" and last["received"] and last["imported_by"] == "juris"
    assert last["has_figures"]
    assert not round_of(db, "2023/2024", 2024).iloc[-1]["received"]


def test_the_round_table_reads_in_latvian_with_the_missing_first(db):
    from ui.reporting_round import round_table

    importers.import_files(db, [("ezermala.xlsx", fill_annex6(FIGURES))], "anna")
    table = round_table(round_of(db, "2025/2026", 2026), 2026)
    assert list(table.columns)[:3] == ["Skola vai pašvaldība", "Pārskats", "Statuss"]
    statuses = table["Statuss"].tolist()
    assert statuses.count("saņemts") == 1 and statuses[:6] == ["nav saņemts"] * 6
    assert table.iloc[-1]["Pārskats"] == "1. pielikums (pasākumi, 2026)"


def test_schools_closed_merged_or_not_yet_opened_are_not_expected(db):
    from tests.factories import NEW_MUN, fill_onboarding

    opened = {"school_id": "tst_jauna_skola", "name": "Jaunā skola", "school_type": "basic"}
    events = [
        {"school_id": "tst_meza_pamatskola", "event": "closed", "event_date": "2024-06-30", "source": "test"},
        {"school_id": "tst_jauna_skola", "event": "opened", "event_date": "2024-09-01", "source": "test"},
    ]
    from tests.factories import NEW_SCHOOLS

    workbook = fill_onboarding(schools=[*NEW_SCHOOLS, opened], extra={"school_event": events})
    parsed, ids = importers.import_files(db, [("o.xlsx", workbook)], "anna")
    assert ids, [str(p) for p in parsed[0].problems]
    names = lambda year: set(round_of(db, year, int(year[5:]), NEW_MUN).query("form == 'annex6'")["name"])  # noqa: E731
    # Lauku merged into Meža in 2021 (its history in the factory's workbook is left out here: not merged)
    assert names("2023/2024") == {"Upes vidusskola", "Meža pamatskola", "Lauku pamatskola"}
    assert names("2024/2025") == {"Upes vidusskola", "Lauku pamatskola", "Jaunā skola"}
