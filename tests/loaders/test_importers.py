"""Import of filled templates and table CSVs: round trips, every kind of bad file, the privacy
guard, replace-and-restore, the command line. A refused file leaves the database byte-identical."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from data_loaders import exports, importers, templates
from data_loaders.tables import TABLES
from presentation.text import catalog
from tests.factories import FIGURES, MUN, SCHOOL, YEAR, fill_annex6


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_annex6_template_round_trip_gives_the_same_numbers(db):
    parsed, ids = importers.import_files(db, [("ezermala.xlsx", fill_annex6(FIGURES))], "tester")
    assert parsed[0].ok, parsed[0].problems
    assert len(ids) == 1
    con = duckdb.connect(str(db), read_only=True)
    enrol = dict(
        con.execute(
            "SELECT grade_band, pupils FROM enrolment WHERE school_id=? AND school_year=?", [SCHOOL, YEAR]
        ).fetchall()
    )
    assert enrol == {"total": 212, "9": 24, "12": 18}
    out = {
        (ind, lvl): float(v)
        for ind, lvl, v in con.execute(
            "SELECT indicator, level, value FROM outcome WHERE scope=? AND school_year=?", [SCHOOL, YEAR]
        ).fetchall()
    }
    assert out == {
        ("pupils_end_of_year", "all"): 205,
        ("transferred_out", "all"): 9,
        ("transferred_in", "all"): 2,
        ("pupils_at_risk", "basic"): 17,
        ("pupils_at_risk", "secondary"): 6,
        ("dropped_out", "basic"): 0,
        ("dropped_out", "secondary"): 2,
        ("unexcused_hours_per_pupil", "basic"): 6.25,
        ("unexcused_hours_per_pupil", "secondary"): 11.5,
        ("insufficient_yearly_mark", "basic"): 3,
        ("grade9_without_certificate", "basic"): 2,
        ("grade12_without_certificate", "secondary"): 1,
    }
    risks = dict(
        con.execute("SELECT risk_group, pupils FROM risk WHERE scope=? AND period=?", [SCHOOL, YEAR]).fetchall()
    )
    assert risks == {"learning_school": 15, "family": 5}  # blank groups stay "no data", not 0
    log = con.execute("SELECT imported_by, file_name, sha256, result FROM import_log WHERE import_id=?", ids).fetchone()
    assert log[:2] == ("tester", "ezermala.xlsx") and len(log[2]) == 64 and log[3] == "imported"


def test_annex1_template_round_trip(db):
    wb = load_workbook(io.BytesIO(templates.annex1_template(MUN, 2026, [("1.1", "Lekcijas"), ("4.1", "Programma")])))
    ws = wb["Pielikums 1"]
    ws["C6"], ws["D6"], ws["E6"], ws["F6"] = "izpildīts", 48, "3 lekcijas, skolā", "vecāki iesaistās"
    out = io.BytesIO()
    wb.save(out)
    parsed, _ = importers.import_files(db, [("annex1.xlsx", out.getvalue())], "tester")
    assert parsed[0].ok, parsed[0].problems
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT activity_no, status, participants, done_text FROM activity_report "
        "WHERE municipality='DEMO' AND year=2026"
    ).fetchall()
    assert rows == [("1.1", "done", 48, "3 lekcijas, skolā")]  # 4.1 left empty: not reported, no row


def _csv(rows: list[dict], table: str) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TABLES[table].columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _enrol_row(**changes) -> dict:
    row = {
        "school_id": SCHOOL,
        "school_year": YEAR,
        "start_year": "2025",
        "grade_band": "total",
        "pupils": "200",
        "classes": "",
        "source": "school report",
        "note": "",
    }
    return {**row, **changes}


def _risk_row(**changes) -> dict:
    row = {
        "municipality": MUN,
        "scope": SCHOOL,
        "period": YEAR,
        "start_year": "2025",
        "end_year": "2025",
        "risk_group": "family",
        "sub_risk": "",
        "pupils": "4",
        "share_pct": "",
        "population": "pupils",
        "source": "school report",
        "note": "",
    }
    return {**row, **changes}


BAD_FILES = [
    ("report.pdf", b"%PDF-1.4 ...", "unsupported file type"),
    ("enrolment.csv", b"", "the file is empty"),
    ("enrolment.csv", b"school_id,school_year\nx,2025/2026\n", "required column is missing"),
    ("enrolment.csv", _csv([_enrol_row(pupils="daudz")], "enrolment"), "valid integer"),
    ("enrolment.csv", _csv([_enrol_row(pupils="-4")], "enrolment"), "greater than or equal to 0"),
    ("risk.csv", _csv([_risk_row(share_pct="120")], "risk"), "less than or equal to 100"),
    ("enrolment.csv", _csv([_enrol_row(), _enrol_row()], "enrolment"), "duplicate enrolment row"),
    ("enrolment.csv", _csv([_enrol_row(school_id="demo_nav_tadas_skolas")], "enrolment"), "unknown school"),
    ("big.csv", b"a" * (importers.MAX_BYTES + 1), "too large"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a valid Excel"),
    ("other.xlsx", b"", "the file is empty"),
    ("weird.csv", b"foo,bar\n1,2\n", "cannot tell which table"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES, ids=[b[2] for b in BAD_FILES])
def test_each_bad_file_is_refused_clearly_and_changes_nothing(db, name, data, reason):
    before = digest(db)
    parsed, ids = importers.import_files(db, [(name, data)], "tester")
    assert ids == []
    assert not parsed[0].ok
    assert any(reason in str(p) for p in parsed[0].problems), [str(p) for p in parsed[0].problems]
    assert all(str(p).startswith(name) for p in parsed[0].problems)
    assert digest(db) == before
    for problem in parsed[0].problems:  # the Data page says each in the user's language
        for lang in ("lv", "en"):
            assert problem.code and f"data.problem.{problem.code}" in catalog(lang), problem
            assert catalog(lang)[f"data.problem.{problem.code}"].format(**problem.params)


# Rules across columns (data_loaders.models): each has its own message code and names a column.
RULE_ROWS = [
    ("enrolment", _enrol_row(school_year="2025/2027"), "school_year", "years_not_consecutive",
     "“2025/2027” jābūt diviem secīgiem gadiem, piemēram, 2022/2023."),
    ("enrolment", _enrol_row(start_year="2024"), "start_year", "start_year_mismatch",
     "Sākuma gads 2024 neatbilst mācību gadam 2025/2026."),
    ("enrolment", _enrol_row(pupils=""), "pupils", "needs_value",
     "Rindā jābūt aizpildītai vismaz vienai no kolonnām: pupils, classes."),
    ("enrolment", _enrol_row(school_year="25/26"), "school_year", "bad_format",
     "Vērtība nav gaidītajā formā (ierakstīts: 25/26)."),
    ("risk", _risk_row(end_year="2026"), "start_year", "years_mismatch",
     "Sākuma un beigu gads neatbilst periodam 2025/2026."),
    ("risk", _risk_row(risk_group="bogus"), "risk_group", "one_of",  # no English "or" in the list
     "Jābūt vienai no vērtībām 'learning_school', 'social_health', 'family', 'economic' (ierakstīts: bogus)."),
]  # fmt: skip


@pytest.mark.parametrize(("table", "row", "column", "code", "latvian"), RULE_ROWS, ids=[r[3] for r in RULE_ROWS])
def test_a_rule_across_columns_is_refused_in_the_users_language(db, table, row, column, code, latvian):
    before = digest(db)
    parsed, ids = importers.import_files(db, [(f"{table}.csv", _csv([row], table))], "tester")
    assert ids == [] and digest(db) == before
    problem = next(p for p in parsed[0].problems if p.code == code)
    assert (problem.row, problem.column) == (2, column)
    assert catalog("lv")[f"data.problem.{code}"].format(**problem.params) == latvian
    assert catalog("en")[f"data.problem.{code}"].format(**problem.params)


def test_text_in_a_template_number_cell_names_the_cell(db):
    before = digest(db)
    parsed, _ = importers.import_files(db, [("t.xlsx", fill_annex6({("pupils_start", "all"): "divsimt"}))], "x")
    message = str(parsed[0].problems[0])
    assert "sheet 'Pielikums 6', cell G7: not a number (got 'divsimt')" in message
    problem = parsed[0].problems[0]
    assert catalog("lv")[f"data.problem.{problem.code}"].format(**problem.params) == (
        "Šūnā G7 jābūt skaitlim (ierakstīts: divsimt)."
    )
    assert digest(db) == before


def test_the_same_school_year_twice_in_one_upload_is_refused(db):
    before = digest(db)
    files = [("a.xlsx", fill_annex6(FIGURES)), ("b.xlsx", fill_annex6(FIGURES))]
    parsed, ids = importers.import_files(db, files, "tester")
    assert parsed[0].ok and not parsed[1].ok
    assert "also in a.xlsx" in str(parsed[1].problems[0])
    assert len(ids) == 1  # the first file alone is written (each file is all-or-nothing)
    assert digest(db) != before


@pytest.mark.parametrize(
    ("header", "value", "reason"),
    [
        ("vārds", "Anna", "first name column"),
        ("Uzvārds", "Bērziņa", "surname column"),
        ("name", "Anna", "name column"),
        ("Personas kods", "010190-12345", "personal code column"),
        ("e-pasts", "x", "e-mail column"),
        ("phone", "x", "phone column"),
        ("note", "skolēns 010190-12345", "personal code"),
        ("note", "anna@skola.lv", "e-mail address"),
        ("note", "zvanīt +371 29123456", "phone number"),
    ],
)
def test_privacy_guard_refuses_personal_columns_and_values(db, header, value, reason):
    before = digest(db)
    row = _enrol_row()
    text = ",".join([*TABLES["enrolment"].columns, header]) + "\n" + ",".join([*row.values(), value]) + "\n"
    parsed, ids = importers.import_files(db, [("enrolment.csv", text.encode())], "tester")
    assert ids == [] and not parsed[0].ok
    problem = parsed[0].problems[0]
    assert reason in str(problem) and "nothing from this file is stored" in str(problem)
    assert (problem.row, problem.column) == ((1, header) if "column" in reason else (2, "note"))  # where, for the table
    kind = "column" if "column" in reason else {"personal code": "code", "e-mail address": "email"}.get(reason, "phone")
    assert problem.code == f"personal_{kind}" and problem.params["where"] == problem.column
    assert digest(db) == before


def test_privacy_guard_scans_every_cell_of_a_workbook(db):
    wb = load_workbook(io.BytesIO(fill_annex6(FIGURES)))
    wb["Pielikums 6"]["H30"] = "Jānis, 120305-21234"
    out = io.BytesIO()
    wb.save(out)
    parsed, ids = importers.import_files(db, [("t.xlsx", out.getvalue())], "tester")
    assert ids == []
    assert "sheet 'Pielikums 6', cell H30" in str(parsed[0].problems[0])
    assert (parsed[0].problems[0].row, parsed[0].problems[0].column) == (30, "H30")


def test_reimport_replaces_keeps_history_and_restore_brings_the_old_figures_back(db):
    con = duckdb.connect(str(db), read_only=True)
    old = con.execute(
        "SELECT pupils FROM enrolment WHERE school_id=? AND school_year='2024/2025' AND grade_band='total'", [SCHOOL]
    ).fetchone()[0]
    con.close()
    data = fill_annex6({("pupils_start", "all"): old + 100}, year="2024/2025")
    parsed, ids = importers.import_files(db, [("new.xlsx", data)], "tester")
    assert parsed[0].replaces["enrolment"] == 11  # the school-year's grade bands and total: all replaced
    con = duckdb.connect(str(db), read_only=True)
    sql = "SELECT pupils FROM enrolment WHERE school_id=? AND school_year='2024/2025' AND grade_band='total'"
    assert con.execute(sql, [SCHOOL]).fetchone()[0] == old + 100
    assert con.execute("SELECT count(*) FROM import_history WHERE import_id=?", ids).fetchone()[0] == 11
    con.close()
    assert importers.restore(db, ids[0], "tester") == 11
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute(sql, [SCHOOL]).fetchone()[0] == old
    assert con.execute("SELECT result FROM import_log ORDER BY imported_at DESC LIMIT 1").fetchone()[0] == "restored"


def test_command_line_import_exit_codes(db, tmp_path, capsys):
    good = tmp_path / "enrolment.csv"
    good.write_bytes(_csv([_enrol_row()], "enrolment"))
    bad = tmp_path / "enrolment_bad.csv"
    bad.write_bytes(_csv([_enrol_row(pupils="-1")], "enrolment"))
    before = digest(db)
    assert importers.main([str(good), str(bad), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "enrolment_bad.csv: REFUSED" in err and "row 2, column 'pupils'" in err and "nothing was written" in err
    assert digest(db) == before
    assert importers.main([str(good), "--db", str(db), "--user", "cli"]) == 0
    assert "imported 1 file: " in capsys.readouterr().out
    assert importers.main([str(tmp_path / "missing.csv"), "--db", str(db)]) == 2


@pytest.mark.parametrize(
    ("lang", "bad_rows", "said"),
    [
        ("en", 1, "REFUSED (1 problem)"),
        ("en", 2, "REFUSED (2 problems)"),
        ("lv", 1, "NORAIDĪTS (1 problēma)"),
        ("lv", 2, "NORAIDĪTS (2 problēmas)"),
        ("lv", 21, "NORAIDĪTS (21 problēma)"),  # Latvian: 21 takes the singular, 11 the plural
        ("lv", 11, "NORAIDĪTS (11 problēmas)"),
    ],
)
def test_command_line_counts_problems_in_the_languages_plural_forms(db, tmp_path, capsys, lang, bad_rows, said):
    bad = tmp_path / "enrolment_bad.csv"
    years = range(2000, 2000 + bad_rows)
    rows = [_enrol_row(school_year=f"{y}/{y + 1}", start_year=str(y), pupils="-1") for y in years]
    bad.write_bytes(_csv(rows, "enrolment"))
    assert importers.main([str(bad), "--db", str(db), "--dry-run", "--lang", lang]) == 1
    err = capsys.readouterr().err
    assert f"enrolment_bad.csv: {said}" in err and "(s)" not in err
    assert err.count("\n  - ") == bad_rows


CELL = st.one_of(st.text(max_size=10), st.integers(-5, 10**7).map(str), st.sampled_from(["", "nav", "1,5", "NaN"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.lists(CELL, min_size=1, max_size=10), min_size=1, max_size=5))
def test_random_malformed_rows_never_crash_and_never_write_partially(db, cells):
    before = digest(db)
    good = list(_enrol_row().values())
    lines = [",".join(TABLES["enrolment"].columns), ",".join(good)]
    lines += [",".join(c.replace(",", ";").replace("\n", " ") for c in row) for row in cells]
    parsed, ids = importers.import_files(db, [("enrolment.csv", "\n".join(lines).encode())], "fuzz")
    if parsed[0].ok:
        assert len(ids) == 1
        con = duckdb.connect(str(db), read_only=True)
        assert con.execute("SELECT count(*) FROM enrolment WHERE source LIKE ?", [f"%{ids[0]}%"]).fetchone()[0] == len(
            parsed[0].tables["enrolment"]
        )
        con.close()
    else:
        assert ids == [] and digest(db) == before


def test_exports_hold_every_table_and_the_dictionary(db):
    for fmt in ("csv", "parquet"):
        names = set(zipfile.ZipFile(io.BytesIO(exports.export_zip(db, fmt))).namelist())
        assert {f"{t}.{fmt}" for t in TABLES} <= names
        assert "data_dictionary.md" in names


def _snapshot(db) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in importers.IMPORTABLE}


YEARLY = ("enrolment", "support_staff", "pumpurs", "risk", "outcome", "indicator_value", "activity_report")


def test_restore_puts_back_every_replaced_row_of_every_table_exactly(db, tmp_path):
    """A whole school year of the demo municipality sent again (every importable table, every type:
    counts, FTE decimals, shares, NULLs, texts): the import replaces it, the restore gives back the
    database's rows value for value."""
    before = _snapshot(db)
    files = []
    with duckdb.connect(str(db), read_only=True) as con:
        for table in YEARLY:
            columns = TABLES[table].columns
            if "municipality" in columns:
                where = "municipality = 'DEMO'"
            else:
                where = "school_id IN (SELECT school_id FROM school WHERE municipality = 'DEMO')"
            if "school_year" in columns or "period" in columns:
                where += f" AND {'school_year' if 'school_year' in columns else 'period'} LIKE '2024/2025%'"
            select = ", ".join("'test: sent again' AS source" if c == "source" else c for c in columns)
            path = tmp_path / f"{table}.csv"
            con.execute(f"COPY (SELECT {select} FROM {table} WHERE {where}) TO '{path}' (HEADER)")
            files.append((path.name, path.read_bytes()))
    parsed, ids = importers.import_files(db, files, "tester")
    assert all(p.ok for p in parsed), [str(x) for p in parsed for x in p.problems]
    replaced = sum(n for p in parsed for n in p.replaces.values())
    assert replaced > 100 and _snapshot(db) != before
    assert sum(importers.restore(db, import_id, "tester") for import_id in reversed(ids)) == replaced
    assert _snapshot(db) == before
