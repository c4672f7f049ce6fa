"""The database as the system of record: schema versions and migrations, one re-import rule for
every table (absent rows and cells are gone, restore brings them back), import ids as data, parts
and totals that never disagree unseen, template versions."""

from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from data_loaders import importers, migrate, templates
from data_loaders.build import SCHEMA, LoadError, build, ensure_database
from data_loaders.tables import TABLES
from tests.factories import FIGURES, SCHOOL, fill_annex6, fill_onboarding

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "pmp_v1.duckdb.gz"
LPV = "lud_ludzas_pilsetas_vidusskola"


@pytest.fixture
def v1_db(tmp_path) -> Path:
    """A database made by the release before schema versions (built from sample_data, then the demo
    school's annex 6 for 2025/2026 imported twice, so it holds imported rows and kept history)."""
    path = tmp_path / "old.duckdb"
    path.write_bytes(gzip.decompress(FIXTURE.read_bytes()))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def shape(path: Path) -> tuple:
    """Tables with their columns and types, constraints and views: what a schema is."""
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "SELECT table_name, column_index, column_name, data_type, is_nullable FROM duckdb_columns() "
            "WHERE database_name = current_database() ORDER BY ALL"
        ).fetchall()
        constraints = con.execute(
            "SELECT table_name, constraint_type, expression, constraint_column_names FROM duckdb_constraints() "
            "WHERE database_name = current_database() ORDER BY ALL"
        ).fetchall()
        views = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY ALL").fetchall()
    return columns, constraints, views


def _csv(table: str, records: list[dict]) -> bytes:
    out = io.StringIO()
    columns = TABLES[table].columns
    out.write(",".join(columns) + "\n")
    for record in records:
        out.write(",".join("" if record.get(c) is None else str(record[c]) for c in columns) + "\n")
    return out.getvalue().encode()


def _enrolment(band: str, pupils: int, school: str = LPV, year: str = "2022/2023") -> dict:
    return {
        "school_id": school,
        "school_year": year,
        "start_year": int(year[:4]),
        "grade_band": band,
        "pupils": pupils,
        "source": "test: school report",
    }


# --- schema versions -----------------------------------------------------------------------------


def test_migration_upgrades_a_database_of_the_previous_release_and_every_row_survives(v1_db, tmp_path):
    new_tables = ("school_event", "national_reference")  # this release's own
    tables = [*(t for t in TABLES if t not in new_tables), "import_log", "import_history"]
    before = {t: rows(v1_db, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    old_sources = rows(v1_db, "SELECT source FROM enrolment WHERE school_id = ? ORDER BY grade_band", [SCHOOL])
    assert migrate.database_version(v1_db) == 1
    assert any("[import " in s for (s,) in old_sources)  # the old way: the id inside the source text

    import re

    def values(table: str) -> list[tuple]:  # every column of every row, the source without the old suffix
        columns = TABLES[table].columns
        found = rows(v1_db, f"SELECT {', '.join(columns)} FROM {table}")
        at = columns.index("source")
        return sorted(
            (tuple(re.sub(r" \[import [^\]]+\]$", "", v) if i == at else v for i, v in enumerate(r)) for r in found),
            key=repr,
        )

    old_values = {t: values(t) for t in tables if t in TABLES}
    assert ensure_database(v1_db) == v1_db  # what the app and every command do on start
    assert {t: values(t) for t in old_values} == old_values  # every row, value for value
    assert migrate.database_version(v1_db) == migrate.SCHEMA_VERSION
    assert {t: rows(v1_db, f"SELECT count(*) FROM {t}")[0][0] for t in tables} == before
    fresh = build(tmp_path / "fresh.duckdb")
    assert shape(v1_db) == shape(fresh)  # the same schema as a database built by this release

    # the import ids moved out of the source text into the import_id column (and the history)
    log = rows(v1_db, "SELECT import_id, kind, school_id, period FROM import_log WHERE result = 'imported' ORDER BY 1")
    assert [(k, s, p) for _, k, s, p in log] == [("annex6", SCHOOL, "2025/2026")] * 2
    first, second = sorted(i for i, *_ in log)
    assert rows(
        v1_db, "SELECT DISTINCT import_id FROM enrolment WHERE school_id = ? AND school_year = '2025/2026'", [SCHOOL]
    ) in (
        [(first,)],
        [(second,)],
    )
    assert rows(v1_db, "SELECT count(*) FROM enrolment WHERE source LIKE '%[import %'")[0][0] == 0
    for table in old_values:  # every row knows the build or import that wrote it
        assert rows(v1_db, f"SELECT count(*) FROM {table} WHERE import_id IS NULL")[0][0] == 0, table
    kept = rows(v1_db, "SELECT DISTINCT import_id, row_import_id FROM import_history")
    assert len(kept) == 1 and kept[0][1] != kept[0][0]

    # the upgraded database works: undoing the later import brings the earlier one's rows back
    later = kept[0][0]
    restored = importers.restore(v1_db, later, "tester")
    assert restored == 17
    assert rows(
        v1_db, "SELECT DISTINCT import_id FROM enrolment WHERE school_id = ? AND school_year = '2025/2026'", [SCHOOL]
    ) == [(kept[0][1],)]
    assert ensure_database(v1_db) == v1_db and migrate.ensure_current(v1_db) == []  # nothing left to do


def test_a_failed_migration_leaves_the_old_file_as_it_was(v1_db, tmp_path, monkeypatch):
    broken = tmp_path / "migrations"
    broken.mkdir()
    for _version, _description, path in migrate.migrations():
        (broken / path.name).write_text(path.read_text(encoding="utf-8") + "\nSELECT * FROM no_such_table;\n")
    monkeypatch.setattr(migrate, "MIGRATIONS", broken)
    before = digest(v1_db)
    with pytest.raises(duckdb.Error):
        migrate.ensure_current(v1_db)
    assert digest(v1_db) == before and migrate.database_version(v1_db) == 1


def test_a_dry_run_on_an_older_database_leaves_the_file_as_it_was_and_says_it_would_be_upgraded(
    v1_db, tmp_path, capsys
):
    """The files are checked against an upgraded temporary copy; the database itself is not upgraded."""
    upload = tmp_path / "annex6.xlsx"
    upload.write_bytes(fill_annex6(FIGURES))
    before = digest(v1_db)
    assert importers.main(["--db", str(v1_db), "--dry-run", str(upload)]) == 0
    assert digest(v1_db) == before and migrate.database_version(v1_db) == 1
    out = capsys.readouterr().out
    assert f"schema version 1; an import would first upgrade it to version {migrate.SCHEMA_VERSION}" in out
    assert "annex6.xlsx: OK" in out
    assert not v1_db.with_name(v1_db.name + ".wal").exists()
    # the import itself upgrades, as before
    assert importers.main(["--db", str(v1_db), "--user", "tester", str(upload)]) == 0
    assert migrate.database_version(v1_db) == migrate.SCHEMA_VERSION


def test_a_database_newer_than_the_code_is_refused_and_left_alone(db, capsys):
    with duckdb.connect(str(db)) as con:
        con.execute("INSERT INTO schema_version VALUES (99, now()::TIMESTAMP, 'from the future')")
    before = digest(db)
    with pytest.raises(migrate.SchemaError, match="newer than this release"):
        ensure_database(db)
    assert importers.main(["--db", str(db), str(FIXTURE)]) == 2
    assert "schema version 99" in capsys.readouterr().err
    assert migrate.main(["--db", str(db)]) == 1
    assert digest(db) == before


def test_no_write_lands_in_a_database_a_newer_release_upgraded_after_this_process_checked_it(db):
    """A replica of this release checked the shared file when it started; a newer release has since
    upgraded it. An import, an undo and an account change are refused (the version is read under
    the writer lock) and the file is left as the newer release wrote it."""
    parsed = importers.check(db, [importers.parse("annex6.xlsx", fill_annex6(FIGURES))])
    assert parsed[0].ok  # checked while the file was still this release's
    earlier = importers.apply(db, importers.check(db, [importers.parse("a.xlsx", fill_annex6(FIGURES))]), "anna")
    with duckdb.connect(str(db)) as con:  # the newer release's upgrade
        con.execute("INSERT INTO schema_version VALUES (99, now()::TIMESTAMP, 'from the future')")
    before = digest(db)
    with pytest.raises(LoadError, match="schema version 99") as err:
        importers.apply(db, parsed, "anna")
    assert err.value.problems[0].code == "write_refused"
    with pytest.raises(ValueError, match="schema version 99"):
        importers.restore(db, earlier[0], "anna")
    with pytest.raises(migrate.SchemaError, match="newer than this release"), migrate.writing(db):
        pass
    assert digest(db) == before


def test_the_app_says_why_it_cannot_open_a_newer_database(db, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    with duckdb.connect(str(db)) as con:
        con.execute("INSERT INTO schema_version VALUES (99, now()::TIMESTAMP, 'from the future')")
    monkeypatch.setenv("PMP_DB", str(db))
    st.cache_resource.clear()
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app" / "main.py"), default_timeout=60).run()
    assert not at.exception
    assert any("schema version 99" in c.value for c in at.code)


def test_the_app_opens_the_database_the_db_secret_names(db, tmp_path, monkeypatch):
    """No PMP_DB: the app finds its database through `db` in ~/.streamlit/secrets.toml, one of the
    files Streamlit reads secrets from (here a newer database, so the page says which file it refused)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from data_loaders import settings

    with duckdb.connect(str(db)) as con:
        con.execute("INSERT INTO schema_version VALUES (99, now()::TIMESTAMP, 'from the future')")
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    (home / ".streamlit" / "secrets.toml").write_text(f'db = "{db}"\n', encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(settings, "SECRETS_FILES", None)
    monkeypatch.setattr(settings, "PROJECT_SECRETS", tmp_path / "project" / ".streamlit" / "secrets.toml")
    monkeypatch.delenv("PMP_DB", raising=False)
    st.cache_resource.clear()
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app" / "main.py"), default_timeout=60).run()
    assert not at.exception
    assert any("schema version 99" in c.value for c in at.code)


def test_migrations_are_numbered_in_order_and_schema_sql_is_the_newest():
    versions = [v for v, _, _ in migrate.migrations()]
    assert versions == list(range(2, migrate.SCHEMA_VERSION + 1))
    con = duckdb.connect()
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    assert "schema_version" in {r[0] for r in con.execute("SHOW TABLES").fetchall()}


# --- one re-import rule --------------------------------------------------------------------------


def test_reimport_replaces_the_whole_school_year_and_restore_brings_every_row_back(db):
    sql = (
        "SELECT grade_band, pupils, source, import_id FROM enrolment WHERE school_id = ? AND school_year = ? ORDER BY 1"
    )
    old = rows(db, sql, [LPV, "2022/2023"])
    assert len(old) == 11
    data = _csv("enrolment", [_enrolment("1-3", 213)])
    parsed = importers.check(db, [importers.parse("enrolment.csv", data)])
    assert parsed[0].ok and parsed[0].replaces == {"enrolment": 11}  # said before confirming
    ids = importers.apply(db, parsed, "tester")
    new = rows(db, sql, [LPV, "2022/2023"])
    assert new == [("1-3", 213, "test: school report", ids[0])]  # the 10 rows the file left out are gone
    # not a whole school: no total is made up from one band
    assert rows(
        db, "SELECT count(*) FROM enrolment_total WHERE school_id = ? AND school_year = '2022/2023'", [LPV]
    ) == [(0,)]
    kept = rows(db, "SELECT table_name, row_import_id FROM import_history WHERE import_id = ?", ids)
    assert len(kept) == 11 and {t for t, _ in kept} == {"enrolment"}
    assert importers.restore(db, ids[0], "tester") == 11
    assert rows(db, sql, [LPV, "2022/2023"]) == old
    log = rows(db, "SELECT result, kind, undoes FROM import_log ORDER BY imported_at DESC, import_id LIMIT 2")
    assert ("restored", "restore", ids[0]) in log


def test_an_emptied_annex6_cell_removes_the_old_figure_and_restore_brings_it_back(db):
    sql = "SELECT level, value FROM outcome WHERE scope = ? AND school_year = '2025/2026' AND indicator = 'dropped_out'"
    _, first = importers.import_files(db, [("a6.xlsx", fill_annex6(FIGURES))], "tester")
    assert sorted(rows(db, sql, [SCHOOL])) == [("basic", 0), ("secondary", 2)]
    emptied = {k: v for k, v in FIGURES.items() if k != ("dropped_out", "secondary")}
    parsed, second = importers.import_files(db, [("a6.xlsx", fill_annex6(emptied))], "tester")
    assert parsed[0].replaces["outcome"] == 12
    assert rows(db, sql, [SCHOOL]) == [("basic", 0)]  # gone, not kept from the old file
    assert rows(
        db, "SELECT DISTINCT import_id FROM outcome WHERE scope = ? AND school_year = '2025/2026'", [SCHOOL]
    ) == [(second[0],)]
    importers.restore(db, second[0], "tester")
    assert sorted(rows(db, sql, [SCHOOL])) == [("basic", 0), ("secondary", 2)]
    assert rows(
        db, "SELECT DISTINCT import_id FROM outcome WHERE scope = ? AND school_year = '2025/2026'", [SCHOOL]
    ) == [(first[0],)]


def test_an_import_cannot_be_undone_under_a_later_one(db):
    _, first = importers.import_files(db, [("a.xlsx", fill_annex6(FIGURES))], "tester")
    _, second = importers.import_files(db, [("b.xlsx", fill_annex6(FIGURES))], "tester")
    with pytest.raises(ValueError, match=second[0]):
        importers.restore(db, first[0], "tester")
    importers.restore(db, second[0], "tester")
    importers.restore(db, first[0], "tester")
    assert rows(db, "SELECT count(*) FROM enrolment WHERE school_id = ? AND school_year = '2025/2026'", [SCHOOL]) == [
        (0,)
    ]


def test_the_log_records_what_each_file_reported_on(db):
    importers.import_files(db, [("a6.xlsx", fill_annex6(FIGURES))], "tester")
    importers.import_files(db, [("enrolment.csv", _csv("enrolment", [_enrolment("total", 490)]))], "tester")
    log = rows(
        db,
        "SELECT kind, school_id, period, imported_by FROM import_log WHERE result = 'imported' "
        "ORDER BY imported_at, kind",
    )
    assert ("annex6", SCHOOL, "2025/2026", "tester") in log
    assert ("csv:enrolment", LPV, "2022/2023", "tester") in log


# --- parts and totals ----------------------------------------------------------------------------


def _whole_school(total: int) -> list[dict]:
    bands = {"1-3": 213, "4": 34, "5": 48, "6": 49, "7": 51, "8": 65, "9": 47, "10": 32, "11": 24, "12": 28}
    return [_enrolment(b, n) for b, n in bands.items()] + [_enrolment("total", total)]


def test_a_file_checked_before_another_import_of_its_school_year_is_refused_at_confirmation(db):
    """Two people check files for the same school year; one confirms first. The other's check said
    it replaces the build's rows, but it would now replace the first person's: refused, nothing
    written, and checked again it says what it replaces now and goes through."""
    first = importers.check(db, [importers.parse("first.csv", _csv("enrolment", _whole_school(591)))])
    second = importers.check(db, [importers.parse("second.csv", _csv("enrolment", _whole_school(590)))])
    assert second[0].replaces_from["enrolment"][0].startswith("build-")
    (first_id,) = importers.apply(db, first, "anna")
    before = digest(db)
    with pytest.raises(importers.ImportRefused, match="since it was checked"):
        importers.apply(db, second, "berta")
    assert second[0].problems[0].code == "changed_since_check" and digest(db) == before
    again = importers.check(db, [importers.parse("second.csv", _csv("enrolment", _whole_school(590)))])
    assert again[0].replaces_from["enrolment"] == (first_id,)
    assert importers.apply(db, again, "berta")


def test_bands_and_a_differing_total_are_accepted_with_the_difference_said_and_the_sum_used(db):
    parsed = importers.check(db, [importers.parse("enrolment.csv", _csv("enrolment", _whole_school(491)))])
    assert parsed[0].ok
    warning, municipal = parsed[0].warnings
    assert warning.code == "enrolment_stated_differs" and warning.row == 12 and warning.column == "pupils"
    assert (warning.params["summed"], warning.params["stated"]) == ("591", "491")
    # and the municipality's printed total no longer matches its schools (the 1 878 vs 1 978)
    assert municipal.code == "stated_total_differs"
    assert (municipal.params["stated"], municipal.params["summed"]) == ("1878", "1978")
    # the school by its name, the municipality by its own, the column the file has (enrolment has no `value`)
    assert warning.params["school"] == "Ludzas pilsētas vidusskola" and warning.params["school_id"] == LPV
    assert "Ludzas pilsētas vidusskola 2022/2023" in str(warning) and LPV not in str(warning)
    assert (municipal.params["municipality_lv"], municipal.params["municipality_en"]) == (
        "Ludzas novads",
        "Ludza municipality",
    )
    assert municipal.column == "pupils" and "Ludza municipality (LUD)" in str(municipal)
    importers.apply(db, parsed, "tester")
    got = rows(
        db,
        "SELECT pupils, stated_pupils, from_bands FROM enrolment_total "
        "WHERE school_id = ? AND school_year = '2022/2023'",
        [LPV],
    )
    assert got == [(591, 491, True)]
    agreeing = importers.parse("enrolment.csv", _csv("enrolment", _whole_school(591)))
    assert agreeing.ok and agreeing.warnings == []


def test_the_command_line_names_the_school_the_municipality_and_the_files_column(db, tmp_path, capsys):
    upload = tmp_path / "enrolment.csv"
    upload.write_bytes(_csv("enrolment", _whole_school(491)))
    assert importers.main(["--db", str(db), "--dry-run", str(upload)]) == 0
    out = capsys.readouterr().out
    assert "row 12, column 'pupils': Ludzas pilsētas vidusskola 2022/2023: the grades add up to 591" in out
    assert "column 'pupils': Ludza municipality (LUD), enrolment pupils 2022/2023: the stated total is 1878" in out
    assert "column 'value'" not in out and LPV not in out
    # a stated_total.csv brings the total: there the column is its `value`
    total = "municipality,topic,measure,period,semester,value,unit,source,note\n"
    upload = tmp_path / "stated_total.csv"
    upload.write_text(total + "LUD,enrolment,pupils,2022/2023,,1900,pupils,test,\n", encoding="utf-8")
    assert importers.main(["--db", str(db), "--dry-run", str(upload)]) == 0
    assert "column 'value': Ludza municipality (LUD), enrolment pupils 2022/2023" in capsys.readouterr().out


def test_the_municipal_warning_names_the_municipality_in_the_users_language(monkeypatch):
    from data_loaders.build import Problem
    from ui import data_admin

    params = {
        "what": "enrolment pupils",
        "period": "2022/2023",
        "stated": "1878",
        "summed": "1978",
        "municipality_lv": "Ludzas novads",
        "municipality_en": "Ludza municipality",
    }
    warning = Problem("enrolment.csv", None, "pupils", "in English", "stated_total_differs", params)
    for lang, name in (("lv", "Ludzas novads"), ("en", "Ludza municipality")):
        monkeypatch.setattr(data_admin, "current_lang", lambda lang=lang: lang)
        text = data_admin.problem_text(warning)
        assert text.startswith(f"{name}, enrolment pupils 2022/2023") and "1878" in text and "1978" in text


def test_a_one_band_reimport_says_the_schools_pupil_total_is_gone_before_confirming(db, tmp_path, capsys):
    """Grades 1-3 only for a school year that had every grade and a total row: accepted, but the
    report says, on the school's own line, that its pupil total (491) goes with the 11 rows replaced."""
    parsed = importers.check(db, [importers.parse("enrolment.csv", _csv("enrolment", [_enrolment("1-3", 213)]))])
    assert parsed[0].ok and parsed[0].replaces == {"enrolment": 11}
    lost = [w for w in parsed[0].warnings if w.code == "enrolment_total_lost"]
    assert len(lost) == 1 and (lost[0].row, lost[0].column) == (2, "grade_band")
    assert {k: lost[0].params[k] for k in ("school", "year", "bands", "replaced", "pupils")} == {
        "school": "Ludzas pilsētas vidusskola",
        "year": "2022/2023",
        "bands": "1-3",
        "replaced": "11",
        "pupils": "491",
    }
    assert "its pupil total (491) is gone" in str(lost[0])
    # on the command line, before anything is written
    upload = tmp_path / "enrolment.csv"
    upload.write_bytes(_csv("enrolment", [_enrolment("1-3", 213)]))
    assert importers.main(["--db", str(db), "--dry-run", str(upload)]) == 0
    assert "Ludzas pilsētas vidusskola 2022/2023: the file gives grades 1-3 only" in capsys.readouterr().out
    importers.apply(db, parsed, "tester")  # and so it is: no pupil total for the school that year
    assert rows(db, "SELECT * FROM enrolment_total WHERE school_id = ? AND school_year = '2022/2023'", [LPV]) == []
    # with a total row, or every grade, the school keeps a total: nothing said
    for records in ([_enrolment("1-3", 213), _enrolment("total", 591)], _whole_school(591)):
        again = importers.check(db, [importers.parse("enrolment.csv", _csv("enrolment", records))])
        assert "enrolment_total_lost" not in [w.code for w in again[0].warnings]


def test_the_pupil_total_lost_message_reads_in_both_languages():
    from presentation.text import t

    params = {
        "school": "Ludzas pilsētas vidusskola",
        "year": "2022/2023",
        "bands": "1-3",
        "replaced": 11,
        "pupils": 491,
    }
    for lang in ("lv", "en"):
        text = t("data.problem.enrolment_total_lost", lang, **params)
        assert text.startswith("Ludzas pilsētas vidusskola 2022/2023: ") and "1-3" in text and "(491)" in text


def test_bands_that_add_up_to_more_than_their_total_are_refused(db):
    records = [_enrolment("9", 60), _enrolment("12", 50), _enrolment("total", 100)]
    parsed = importers.parse("enrolment.csv", _csv("enrolment", records))
    assert [p.code for p in parsed.problems] == ["parts_exceed_total"]
    assert parsed.problems[0].row == 4 and parsed.tables == {}


def test_semesters_and_a_whole_year_row_for_one_school_are_refused(db):
    base = {"school_id": LPV, "period": "2022/2023", "start_year": 2022, "end_year": 2022, "source": "test"}
    records = [{**base, "semester": s, "iap_count": n} for s, n in (("I", 140), ("II", 146), ("all", 286))]
    before = digest(db)
    parsed, ids = importers.import_files(db, [("pumpurs.csv", _csv("pumpurs", records))], "tester")
    assert ids == [] and [p.code for p in parsed[0].problems] == ["semesters_and_total"]
    assert digest(db) == before


def test_the_overview_says_when_a_stated_total_differs_from_its_grades(db, monkeypatch):
    import streamlit as st

    from tests.pages.conftest import open_app

    importers.import_files(db, [("enrolment.csv", _csv("enrolment", _whole_school(491)))], "tester")
    monkeypatch.setenv("PMP_DB", str(db))
    st.cache_data.clear()
    at = open_app("pages/overview.py", m="LUD", y="2022/2023", lang="en")
    text = " ".join(w.value for w in at.warning)
    assert "Ludzas pilsētas vidusskola 2022/2023" in text and "591" in text and "491" in text


# --- template versions ---------------------------------------------------------------------------


def _with_version(version: str | None) -> bytes:
    wb = load_workbook(io.BytesIO(fill_annex6(FIGURES)))
    meta = wb["meta"]
    for row in meta.iter_rows():
        if row[0].value == "version":
            if version is None:
                row[0].value = row[1].value = None
            else:
                row[1].value = version
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("version", "code"), [("0", "template_version"), (None, "template_version"), ("99", "template_newer")]
)
def test_a_template_of_another_version_is_refused_with_a_reason(db, version, code):
    before = digest(db)
    parsed, ids = importers.import_files(db, [("a6.xlsx", _with_version(version))], "tester")
    assert ids == [] and [p.code for p in parsed[0].problems] == [code]
    assert templates.TEMPLATE_VERSION in parsed[0].problems[0].reason
    assert digest(db) == before
    assert importers.parse("a6.xlsx", _with_version(templates.TEMPLATE_VERSION)).ok


# --- references --------------------------------------------------------------------------------


def test_a_write_that_leaves_rows_pointing_at_nothing_is_rolled_back(db):
    from data_loaders.integrity import IntegrityError
    from data_loaders.store import replace_atomically

    before = digest(db)
    with pytest.raises(IntegrityError, match=LPV) as err, replace_atomically(db, copy_existing=True) as con:
        con.execute("DELETE FROM school WHERE school_id = ?", [LPV])
    assert "enrolment(school_id) → school(school_id)" in str(err.value)
    assert digest(db) == before


def test_a_schools_own_details_can_be_corrected_while_rows_point_at_it(db):
    from data_loaders.store import replace_atomically

    with replace_atomically(db, copy_existing=True) as con:
        con.execute("UPDATE school SET name = 'Ludzas pilsētas vidusskola (labots)' WHERE school_id = ?", [LPV])
        con.execute("UPDATE municipality SET name_en = 'Ludza Municipality' WHERE code = 'LUD'")
    assert rows(db, "SELECT name FROM school WHERE school_id = ?", [LPV]) == [("Ludzas pilsētas vidusskola (labots)",)]


# --- stated totals against their parts, at import ---------------------------------------------


def test_a_stated_total_that_its_schools_add_up_to_differently_is_said_before_confirming(db):
    """Either way round: a total arriving after the schools' rows, or rows arriving under a total."""
    total = (
        "municipality,topic,measure,period,semester,value,unit,source,note\n"
        "LUD,support_staff,psychologist,2022/2023,,9.5,fte,test: printed total,\n"
    )
    parsed = importers.check(db, [importers.parse("stated_total.csv", total.encode())])
    assert parsed[0].ok
    [warning] = [w for w in parsed[0].warnings if w.code == "stated_total_differs"]
    assert warning.params["stated"] == "9.5" and "psychologist" in warning.params["what"]
    importers.apply(db, parsed, "tester")  # accepted: both figures kept, never added together

    staff = "school_id,school_year,role,fte,source,note\n" + f"{LPV},2022/2023,psychologist,1.5,test,\n"
    parsed = importers.check(db, [importers.parse("support_staff.csv", staff.encode())])
    assert parsed[0].ok and [w.code for w in parsed[0].warnings] == ["stated_total_differs"]
    # the Ludza speech-therapist case, printed 3.25 while the schools add up to 3.2, is said too
    parsed = importers.check(
        db,
        [
            importers.parse(
                "stated_total.csv",
                total.replace("psychologist,2022/2023,,9.5", "speech_therapist,2022/2023,,3.25").encode(),
            )
        ],
    )
    assert [(w.params["stated"], w.params["summed"]) for w in parsed[0].warnings] == [("3.25", "3.2")]


def test_a_stated_total_with_no_parts_is_the_municipalitys_own_figure_and_says_nothing(db):
    parsed, _ = importers.import_files(db, [("o.xlsx", fill_onboarding())], "tester")
    assert parsed[0].ok and parsed[0].warnings == []
