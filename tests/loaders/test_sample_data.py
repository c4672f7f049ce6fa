"""The sample data validates, loads, matches the documents' printed totals, and builds atomically."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from data_loaders.build import SAMPLE_DIRS, LoadError, build, load_dirs, main
from data_loaders.tables import TABLES


def test_every_sample_csv_validates():
    tables = load_dirs(SAMPLE_DIRS)
    assert set(tables) == set(TABLES)
    assert len(tables["school"]) == 47 + 8
    assert {r["code"] for r in tables["municipality"]} == {"LUD", "JEK", "DEMO"}


def test_every_row_keeps_its_source(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    for table in TABLES:
        empty = con.execute(f"SELECT count(*) FROM {table} WHERE source IS NULL OR source = ''").fetchone()[0]
        assert empty == 0, table
    real = con.execute("SELECT count(*) FROM enrolment WHERE source LIKE '000_%' OR source LIKE '004_%'").fetchone()
    assert real[0] > 100


def test_sample_data_loads_into_every_table(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    for table in TABLES:
        if table == "activity_report":
            continue  # only the synthetic municipality has implementation reports
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert rows > 0, table


def test_school_totals_match_the_printed_municipal_totals(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    rows = con.execute(
        """
        SELECT st.period, st.value, sum(e.pupils)
        FROM stated_total st
        JOIN enrolment e ON e.school_year = st.period AND e.grade_band = 'total'
        JOIN school s ON s.school_id = e.school_id AND s.municipality = st.municipality
        WHERE st.municipality = 'LUD' AND st.topic = 'enrolment' AND st.measure = 'pupils'
        GROUP BY ALL ORDER BY 1
        """
    ).fetchall()
    assert [(p, int(v), int(s)) for p, v, s in rows] == [("2022/2023", 1878, 1878), ("2023/2024", 1765, 1765)]


def test_ludza_staff_sums_keep_the_documented_speech_therapist_difference(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    rows = dict(
        con.execute(
            """
            SELECT st.measure, round(sum(ss.fte) - any_value(st.value), 3)
            FROM stated_total st
            JOIN support_staff ss ON ss.role = st.measure AND ss.school_year = st.period
            JOIN school s ON s.school_id = ss.school_id AND s.municipality = 'LUD'
            WHERE st.municipality = 'LUD' AND st.topic = 'support_staff'
            GROUP BY st.measure
            """
        ).fetchall()
    )
    assert float(rows.pop("speech_therapist")) == pytest.approx(-0.05)
    assert all(float(diff) == 0 for diff in rows.values())


def test_jekabpils_pumpurs_municipal_plans_total_1788_without_the_college(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    municipal, college = con.execute(
        """
        SELECT sum(iap_count) FILTER (WHERE s.is_municipal), sum(iap_count) FILTER (WHERE NOT s.is_municipal)
        FROM pumpurs p JOIN school s USING (school_id) WHERE s.municipality = 'JEK'
        """
    ).fetchone()
    assert (municipal, college) == (1788, 990)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _contents(path: Path) -> dict[str, list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
        out["import_log"] = con.execute("SELECT import_id, sha256, rows_json, result FROM import_log").fetchall()
        return out
    finally:
        con.close()


def test_building_twice_gives_the_same_database(tmp_path):
    first = build(tmp_path / "a.duckdb")
    second = build(tmp_path / "b.duckdb")
    assert _contents(first) == _contents(second)
    build(first)  # rebuilding in place is fine too
    assert _contents(first) == _contents(second)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock") == [
        "a.duckdb",
        "b.duckdb",
    ]  # no temporary files left


def test_broken_input_leaves_an_existing_database_untouched(tmp_path, sample_dirs):
    db = build(tmp_path / "pmp.duckdb", sample_dirs)
    before = _digest(db)
    enrolment = sample_dirs[0] / "enrolment.csv"
    lines = enrolment.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("pupils")] = "-3"
    lines[3] = ",".join(cells)
    enrolment.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        build(db, sample_dirs)
    problem = err.value.problems[0]
    assert (problem.file, problem.row, problem.column) == (str(enrolment), 4, "pupils")
    assert "greater than or equal to 0" in problem.reason and "'-3'" in problem.reason
    assert _digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file() and p.suffix != ".lock") == ["pmp.duckdb"]


def test_command_line_build_reports_errors_and_exits_non_zero(tmp_path, sample_dirs, capsys):
    (sample_dirs[1] / "school.csv").write_text("school_id,name\nx,y\n", encoding="utf-8")
    code = main(["--db", str(tmp_path / "x.duckdb"), "--data", *map(str, sample_dirs)])
    assert code == 1
    err = capsys.readouterr().err
    assert "school.csv, row 1, column 'municipality': required column is missing" in err
    assert not (tmp_path / "x.duckdb").exists()
    assert main(["--db", str(tmp_path / "ok.duckdb")]) == 0
