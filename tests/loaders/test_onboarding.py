"""Onboarding a new municipality through the importer: additive (nothing else changes), municipal
totals without a school breakdown, euro amounts to the cent, school history, restore, and every
bad workbook refused with its sheet, row and column named."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import duckdb
import pytest
from openpyxl import load_workbook

from data_loaders import importers, onboarding
from data_loaders.build import build, ensure_database
from tests.factories import NEW_MUN, NEW_TOTALS, fill_onboarding


def rows(path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def everything_but(path, municipality: str) -> dict[str, list[tuple]]:
    """Every row of every other municipality (what onboarding must not touch)."""
    tables = {
        "municipality": "code <> $m",
        "school": "municipality <> $m",
        "enrolment": "school_id NOT LIKE 'tst_%'",
        "stated_total": "municipality <> $m",
        "pumpurs": "true",
        "risk": "municipality <> $m",
        "outcome": "municipality <> $m",
        "indicator": "municipality <> $m",
    }
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            t: con.execute(
                f"SELECT * FROM {t} WHERE {w} ORDER BY ALL", {"m": municipality} if "$m" in w else {}
            ).fetchall()
            for t, w in tables.items()
        }


def test_onboard_a_municipality_with_schools_and_municipal_totals_only(db):
    before = everything_but(db, NEW_MUN)
    parsed, ids = importers.import_files(db, [("onboarding.xlsx", fill_onboarding())], "anna")
    assert parsed[0].ok, [str(p) for p in parsed[0].problems]
    assert parsed[0].row_counts == {"municipality": 1, "school": 3, "school_event": 2, "stated_total": 6}
    assert rows(db, "SELECT code, plan_start, target_year_1 FROM municipality WHERE code = ?", [NEW_MUN]) == [
        (NEW_MUN, None, None)  # no programme yet: valid
    ]
    assert rows(db, "SELECT merged_into, merged_year FROM school WHERE school_id = 'tst_lauku_pamatskola'") == [
        ("tst_meza_pamatskola", 2021)  # the history's merger, in force from 2021/2022
    ]
    funding = rows(db, "SELECT value FROM stated_total WHERE municipality = ? AND measure = 'funding_eur'", [NEW_MUN])
    assert funding == [(Decimal("74695.280"),)]  # to the cent, a decimal
    log = rows(db, "SELECT kind, municipality, imported_by FROM import_log WHERE import_id = ?", ids)
    assert log == [("onboarding", NEW_MUN, "anna")]
    assert everything_but(db, NEW_MUN) == before  # additive: nothing of another municipality changed

    importers.restore(db, ids[0], "anna")  # undone whole
    assert rows(db, "SELECT count(*) FROM school WHERE municipality = ?", [NEW_MUN]) == [(0,)]
    assert rows(db, "SELECT count(*) FROM municipality WHERE code = ?", [NEW_MUN]) == [(0,)]


def test_onboard_through_the_command_line_and_the_import_survives_a_restart_and_a_rebuild(db, tmp_path, capsys):
    path = tmp_path / "onboarding.xlsx"
    path.write_bytes(fill_onboarding())
    assert importers.main([str(path), "--db", str(db), "--user", "anna"]) == 0
    assert "imported 1 file: " in capsys.readouterr().out
    ensure_database(db)  # what a restart does: the file is kept as it is
    assert rows(db, "SELECT count(*) FROM school WHERE municipality = ?", [NEW_MUN]) == [(3,)]

    from data_loaders.build import LoadError

    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(LoadError, match="imported") as err:
        build(db)  # a rebuild from sample_data would drop the import: refused, not silent
    assert "--force" in str(err.value)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_onboarding_csv_files_in_one_upload(db):
    municipality = "code,name_lv,name_en,is_synthetic,plan_start,plan_end,target_year_1,target_year_2,source\n"
    municipality += f"{NEW_MUN},Testa novads,Test Municipality,false,,,,,test\n"
    school = "school_id,municipality,name,school_type,sector,is_municipal,merged_into,merged_year,source,note\n"
    school += f"tst_upes_vidusskola,{NEW_MUN},Upes vidusskola,secondary,general,true,,,test,\n"
    totals = "municipality,topic,measure,period,semester,value,unit,source,note\n"
    totals += f"{NEW_MUN},pumpurs,funding_eur,2022/2023,,74695.28,EUR,test,\n"
    files = [
        ("school.csv", school.encode()),
        ("stated_total.csv", totals.encode()),
        ("municipality.csv", municipality.encode()),
    ]
    parsed, ids = importers.import_files(db, files, "anna")
    assert all(p.ok for p in parsed), [str(x) for p in parsed for x in p.problems]
    assert len(ids) == 3
    assert rows(db, "SELECT name FROM school WHERE municipality = ?", [NEW_MUN]) == [("Upes vidusskola",)]


def test_a_school_year_typed_as_2020_2021_is_enough(db):
    """start_year and end_year follow from the school year: a CSV may leave them out."""
    importers.import_files(db, [("onboarding.xlsx", fill_onboarding())], "anna")
    csv = "school_id,period,semester,iap_count,participants,source,note\n"
    csv += "tst_upes_vidusskola,2023/2024,I,12,,test,\n"
    parsed, ids = importers.import_files(db, [("pumpurs.csv", csv.encode())], "anna")
    assert parsed[0].ok and ids
    assert rows(db, "SELECT start_year, end_year FROM pumpurs WHERE school_id = 'tst_upes_vidusskola'") == [
        (2023, 2023)
    ]
    wrong = csv.replace("2023/2024", "2023/2025")
    parsed, _ = importers.import_files(db, [("pumpurs.csv", wrong.encode())], "anna")
    assert [p.code for p in parsed[0].problems] == ["years_not_consecutive"]


def _change(data: bytes, sheet_table: str, cell: str, value) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    sheet = {t: s for s, t in onboarding.SHEETS.items()}[sheet_table]
    wb[sheet][cell] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("table", "cell", "value", "code", "row", "column"),
    [
        ("municipality", "A3", "tst", "bad_format", 3, "code"),
        ("municipality", "D3", 2028, "plan_pair", 3, "plan_end"),
        ("school", "C3", "university", "one_of", 3, "school_type"),
        ("school", "A4", "tst_upes_vidusskola", "duplicate_row", 4, None),
        ("school_event", "B3", "demolished", "one_of", 3, "event"),
        ("school_event", "D3", "tst_nav", "unknown_reference", 3, None),
        ("stated_total", "E7", "74695.281", "decimal_max_places", 7, "value"),
        ("stated_total", "F7", "euro", "unit_for_measure", 7, "unit"),
        ("stated_total", "B3", "plans", "one_of", 3, "measure"),
    ],
)
def test_a_bad_workbook_is_refused_naming_sheet_row_and_column(db, table, cell, value, code, row, column):
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    parsed, ids = importers.import_files(db, [("onboarding.xlsx", _change(fill_onboarding(), table, cell, value))], "a")
    assert ids == []
    found = [(p.code, p.row, p.column) for p in parsed[0].problems]
    assert any((c, r) == (code, row) and (column is None or col == column) for c, r, col in found), found
    assert all(p.file.startswith("onboarding.xlsx") for p in parsed[0].problems)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_semesters_and_a_year_total_of_the_municipality_are_never_added_twice(db):
    totals = [*NEW_TOTALS, ("iap_count", "2022/2023", "", "286", "plans")]
    parsed, ids = importers.import_files(db, [("o.xlsx", fill_onboarding(totals=totals))], "a")
    assert ids == [] and [p.code for p in parsed[0].problems] == ["semesters_and_total"]
