"""What issue 15 found, one test each: the privacy guard's forms of personal data (and none in the
real sample data), linear-time patterns, downloads without live formulas (CSV, XLSX, the whole
database, the templates, the yearly report), Markdown escaping, leftover temporary files of a
killed write, "nothing to import" said and never logged, and the command line's messages."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import time
import zipfile
from datetime import date

import duckdb
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from data_loaders import exports, importers, privacy_guard, safe_text, templates
from data_loaders.build import SAMPLE_DIRS
from data_loaders.store import remove_stale_temporaries, replace_atomically
from tests.loaders.bad_files import PERSONAL, csv_file, row


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("value", PERSONAL)
def test_every_form_of_personal_data_the_review_used_is_found(value):
    assert privacy_guard.value_kind(value) in privacy_guard.REASONS, value


@pytest.mark.parametrize(
    "value",
    [
        "2018/2019-2022/2023",
        "2021-09-01",
        "2019-2022",
        "74695.28",
        "Ludzas novada PMP programma 2024-2027, 3.2.tab.",
        "<5%",
        "izglītojamie 2023. gada 1. septembrī",
        "programma 21015811 (speciālā izglītība)",
        "Ezermalas vidusskola",
        "Anna",  # a given name alone is not a person's name
        "skolēni piedalījās",
        "Sv. Annas baznīca",
    ],
)
def test_figures_dates_and_programme_text_are_not_taken_for_personal_data(value):
    assert privacy_guard.value_kind(value) is None, value


def test_no_cell_of_the_real_and_demo_sample_data_is_taken_for_personal_data():
    """The guard runs on every import: the programmes' own figures and sources must pass it."""
    for folder in SAMPLE_DIRS:
        for path in folder.glob("*.csv"):
            table = path.stem
            with path.open(encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.reader(fh))
            found = privacy_guard.scan_table(
                rows[0],
                enumerate(rows[1:], start=2),
                allowed=privacy_guard.INSTITUTION_COLUMNS.get(table, frozenset()),
                institutions=privacy_guard.NAMES_OF_INSTITUTIONS.get(table, frozenset()),
            )
            assert not found, (path, found[:3])


@pytest.mark.parametrize("unit", ["a@", "a", "1.", "2 ", "Anna ", "Ab1-@. ", "dzimis ", "Aa iela "])
def test_the_guard_takes_time_in_proportion_to_the_text(unit):
    """The e-mail pattern that took 36 s on a 130 KB cell was quadratic; every pattern now is linear:
    eight times the text costs about eight times the time (a quadratic one would cost 64 times)."""

    def took(size: int) -> float:
        text = unit * (size // len(unit))
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            privacy_guard.value_kind(text)
            best = min(best, time.process_time() - start)
        return best

    small, large = took(20_000), took(160_000)
    assert large < 1.0, f"{large:.2f} s for 160 KB"
    assert large < 20 * max(small, 0.002), (small, large)


def test_csv_downloads_neutralise_formulas_and_keep_numbers():
    frame = pd.DataFrame(
        {
            "note": ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil","x")', "+1+cmd", "@SUM(1)", "-2+3", "\t=1", "ok"],
            "figure": ["-5", "+1,5", "-1 878", "4,0%", "-", "12", "0"],
        }
    )
    out = safe_text.neutralise_frame(frame)
    assert out["note"].tolist() == [
        "'=cmd|' /C calc'!A0",
        '\'=HYPERLINK("http://evil","x")',
        "'+1+cmd",
        "'@SUM(1)",
        "'-2+3",
        "'\t=1",
        "ok",
    ]
    assert out["figure"].tolist() == frame["figure"].tolist()  # numbers as shown stay numbers


def test_xlsx_downloads_write_formula_text_as_text():
    from ui import components

    frame = pd.DataFrame({"Avots": ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil","x")'], "Skaits": ["3", "4"]})
    ws = load_workbook(io.BytesIO(components.to_xlsx(frame, "dati", "lv"))).active
    cells = [ws.cell(row, 1) for row in (2, 3)]
    assert [c.value for c in cells] == frame["Avots"].tolist()  # nothing lost
    assert [c.data_type for c in cells] == ["s", "s"]  # text, not a formula
    assert ws.cell(2, 2).value == 3  # numbers stay numbers


def test_the_templates_and_the_yearly_report_workbook_hold_no_formulas(db):
    wb = Workbook()
    wb.active["A1"] = "=cmd|' /C calc'!A0"
    safe_text.defuse_workbook(wb)
    assert wb.active["A1"].data_type == "s" and wb.active["A1"].value == "=cmd|' /C calc'!A0"
    annex1 = load_workbook(io.BytesIO(templates.annex1_template("DEMO", 2026, [("1.1", '=HYPERLINK("x")')])))
    assert annex1["Pielikums 1"]["B6"].data_type == "s"

    from metrics.filters import Filters
    from report import xlsx
    from report.sections import ConnectionReader, yearly_report

    name = '=HYPERLINK("http://evil.example","Ezermala")'
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE school SET name = ? WHERE school_id = 'demo_ezermalas_vidusskola'", [name])
    with duckdb.connect(str(db), read_only=True) as con:
        report = yearly_report(
            ConnectionReader(con), Filters(municipality="DEMO", lang="lv"), "2024/2025", date(2026, 8, 20)
        )
        book = load_workbook(io.BytesIO(xlsx.render(report)))
    cells = [c for ws in book.worksheets for r in ws.iter_rows() for c in r]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == name for c in cells)  # shown as typed, as text


def test_the_whole_database_csv_export_neutralises_formulas(db):
    with duckdb.connect(str(db)) as con:
        con.execute(
            "UPDATE school SET note = '=HYPERLINK(\"http://evil\",\"x\")' WHERE school_id = 'demo_ezermalas_vidusskola'"
        )
        con.execute("UPDATE school SET note = '-5' WHERE school_id = 'demo_priedaines_pamatskola'")
    archive = zipfile.ZipFile(io.BytesIO(exports.export_zip(db, "csv")))
    rows = {r["school_id"]: r for r in csv.DictReader(io.StringIO(archive.read("school.csv").decode()))}
    assert rows["demo_ezermalas_vidusskola"]["note"] == '\'=HYPERLINK("http://evil","x")'
    assert rows["demo_priedaines_pamatskola"]["note"] == "'-5"  # text, though it reads as a number
    enrolment = list(csv.DictReader(io.StringIO(archive.read("enrolment.csv").decode())))
    assert enrolment[0]["pupils"].isdigit()  # numbers as they are


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "![x](http://host/pixel.png) [Sign in](https://evil)",
            r"!\[x\](http\://host/pixel.png) \[Sign in\](https\://evil)",
        ),
        ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert(1)\>"),
        ("www.evil.example", r"www\.evil.example"),
        (":red[warning] $x^2$ `code`", r":red\[warning\] \$x^2\$ \`code\`"),
        ("synthetic: data_loaders/synthetic.py (seed 2024); not a real figure", None),
        ("Ludzas novada PMP programma 2024–2027, 3.2.tab.", None),
    ],
)
def test_markdown_escaping_shows_stored_text_as_typed(text, shown):
    assert safe_text.escape_markdown(text) == (text if shown is None else shown)


def test_leftover_temporary_copies_of_a_killed_write_are_removed_by_the_next_write(db):
    leftovers = [db.with_name(f"{db.name}.k1ll3d_.tmp"), db.with_name(f"{db.name}.abc123.tmp.wal")]
    for path in leftovers:
        path.write_bytes(b"half a database")
    others = [db.with_name("notes.tmp"), db.with_name(f"{db.name}.lock"), db.with_name("other.duckdb.x1.tmp")]
    for path in others:
        path.write_bytes(b"not ours")
    before = digest(db)
    with replace_atomically(db, copy_existing=True):
        assert not any(p.exists() for p in leftovers)  # cleaned under the lock, before the new copy
    assert all(p.exists() for p in others) and digest(db) == before
    assert remove_stale_temporaries(db) == []
    assert sorted(p.name for p in db.parent.iterdir()) == sorted([db.name, *(p.name for p in others)])


def test_a_file_with_nothing_to_import_is_said_and_never_logged(db, tmp_path, capsys):
    before = digest(db)
    header_only = tmp_path / "enrolment.csv"
    header_only.write_bytes(csv_file("enrolment", []))
    parsed, ids = importers.import_files(db, [(header_only.name, header_only.read_bytes())], "x")
    assert parsed[0].ok and parsed[0].empty and ids == []
    assert [w.code for w in parsed[0].warnings] == ["nothing_to_import"]
    assert importers.main([str(header_only), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "nothing to import" in out and "imported" not in out.replace("nothing to import", "")
    assert digest(db) == before


def test_a_refusal_names_file_sheet_row_column_value_and_reason():
    from tests.factories import FIGURES, fill_annex6

    parsed = importers.parse("ezermala.xlsx", fill_annex6({**FIGURES, ("at_risk", "basic"): "7_7"}))
    (problem,) = parsed.problems
    assert (problem.file, problem.row, problem.column) == ("ezermala.xlsx", 11, "E11")
    assert problem.params["sheet"] == "Pielikums 6" and problem.params["value"] == "7_7"
    assert "sheet 'Pielikums 6', cell E11: not a number (got '7_7')" in str(problem)
    parsed = importers.parse("outcome.csv", csv_file("outcome", [row("outcome", value="1e308")]))
    (problem,) = parsed.problems
    assert (problem.row, problem.column, problem.code, problem.params["value"]) == (
        2,
        "value",
        "number_syntax",
        "1e308",
    )


def test_a_write_the_database_refuses_is_a_load_error_and_writes_nothing(db, monkeypatch):
    from data_loaders.build import LoadError
    from data_loaders.importers import writing

    parsed = importers.check(db, [importers.parse("enrolment.csv", csv_file("enrolment", [row("enrolment")]))])
    before = digest(db)

    def refuse(*args, **kwargs):
        raise duckdb.ConstraintException("CHECK constraint failed: enrolment")

    monkeypatch.setattr(writing, "insert_rows", refuse)
    with pytest.raises(LoadError) as err:
        importers.apply(db, parsed, "x")
    assert err.value.problems[0].code == "write_refused"
    assert digest(db) == before
    assert not [p for p in db.parent.iterdir() if p.name.endswith((".tmp", ".wal"))]


def test_the_command_line_reads_no_more_than_the_limit(db, tmp_path, capsys):
    big = tmp_path / "enrolment.csv"
    with big.open("wb") as fh:
        fh.truncate(importers.MAX_BYTES * 4)  # sparse: 20 MB of NUL bytes, never read whole
    assert importers.main([str(big), "--db", str(db)]) == 1
    assert "too large" in capsys.readouterr().err
    assert os.path.getsize(big) == importers.MAX_BYTES * 4


def test_every_refusal_the_loaders_can_give_reads_in_latvian_and_english():
    """Each message code written in the importer, the models and the build has its sentence in both
    languages (the corpus checks the ones it meets; this finds the rest in the source)."""
    import re
    from pathlib import Path

    from data_loaders.build import _VALIDATION_CODES
    from presentation.text import catalog

    root = Path(importers.__file__).resolve().parent.parent
    sources = [*root.joinpath("importers").glob("*.py"), root / "models.py", root / "build.py", root / "accounts.py"]
    patterns = [
        r'code="(\w+)"',
        r'_refuse\(\s*"(\w+)"',
        r'PydanticCustomError\(\s*"(\w+)"',
        r'(?<![_\w])refuse\(f?"[^"]*",\s*"(\w+)"',
        r'return "(\w+)", (?:f?"|reason)',
        r'problem\(\s*parsed,\s*[^()]*?,\s*[^,()]+,\s*[^,()]+,\s*"(\w+)"',
        r'Problem\([^()]*?,\s*"(\w+)",\s*(?:\{|params|_text)',
    ]
    codes = {c for path in sources for p in patterns for c in re.findall(p, path.read_text(encoding="utf-8"))}
    codes |= set(_VALIDATION_CODES.values()) | {f"personal_{k}" for k in [*privacy_guard.REASONS, "column"]}
    assert len(codes) > 60
    for lang in ("lv", "en"):
        missing = sorted(c for c in codes if f"data.problem.{c}" not in catalog(lang))
        assert not missing, (lang, missing)


def test_a_write_is_on_disk_file_and_rename_before_it_is_reported(db, monkeypatch):
    """The new file is synced before its rename, and the folder after it: a power cut after an
    import was reported cannot bring the old file back."""
    from data_loaders import store

    synced, real_fsync = [], os.fsync

    def fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(store.os, "fsync", fsync)
    with replace_atomically(db, copy_existing=True) as con:
        con.execute("CREATE TABLE written_here (x INTEGER)")
    assert len(synced) == 2 and synced[0].startswith(str(db.parent) + "/")  # the copy, under its own name
    assert synced[0] != str(db) and synced[1] == str(db.parent)
