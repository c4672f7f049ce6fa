"""``python -m data_loaders.importers --template ... --out FILE``: the blank templates the Data page
hands out, written by the command line from the same builders, and a written onboarding workbook,
filled for a small municipality, imports through the same command line."""

from __future__ import annotations

import io
import zipfile

import duckdb
import pytest

from data_loaders import importers, onboarding, templates
from tests.factories import NEW_MUN, fill_onboarding


def parts(xlsx: bytes) -> dict[str, bytes]:
    """Every part of the workbook but its creation and modification times (docProps/core.xml)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return {name: z.read(name) for name in z.namelist() if name != "docProps/core.xml"}


def test_the_command_line_writes_the_onboarding_template_the_data_page_offers(db, tmp_path, capsys):
    out = tmp_path / "onboarding.xlsx"
    assert importers.main(["--template", "onboarding", "--out", str(out), "--db", str(db)]) == 0
    assert f"template written: {out}" in capsys.readouterr().out
    written = out.read_bytes()
    assert parts(written) == parts(onboarding.template())  # pages/data.py hands out onboarding.template

    # filled for a small municipality (one school, two municipal totals), it imports
    school = {"school_id": "tst_upes_vidusskola", "name": "Upes vidusskola", "school_type": "secondary"}
    totals = [("iap_count", "2022/2023", "", 12, "plans"), ("funding_eur", "2022/2023", "", "1234.56", "EUR")]
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(fill_onboarding(schools=[school], totals=totals, template=written))
    assert importers.main([str(filled), "--db", str(db), "--user", "anna", "--lang", "lv"]) == 0
    assert "importēts 1 fails: " in capsys.readouterr().out
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT school_id FROM school WHERE municipality = ?", [NEW_MUN]).fetchall() == [
            ("tst_upes_vidusskola",)
        ]
        got = con.execute(
            "SELECT measure, value FROM stated_total WHERE municipality = ? ORDER BY measure", [NEW_MUN]
        ).fetchall()
    assert [(m, float(v)) for m, v in got] == [("funding_eur", 1234.56), ("iap_count", 12.0)]


def test_the_command_line_writes_the_yearly_templates_the_data_page_offers(db, tmp_path):
    with duckdb.connect(str(db), read_only=True) as con:
        school, name, municipality = con.execute(
            "SELECT school_id, name, municipality FROM school WHERE sector = 'general' ORDER BY school_id LIMIT 1"
        ).fetchone()
        activities = con.execute(
            """SELECT a.activity_no, a.activity_lv FROM activity a
            JOIN activity_year y USING (municipality, activity_no)
            WHERE a.municipality = 'JEK' AND y.year = 2025 AND y.active"""
        ).fetchall()
    annex6 = tmp_path / "annex6.xlsx"
    args = ["--template", "annex6", "--school", school, "--year", "2025/2026", "--out", str(annex6), "--db", str(db)]
    assert importers.main(args) == 0
    assert parts(annex6.read_bytes()) == parts(templates.annex6_template(school, name, municipality, "2025/2026"))

    annex1 = tmp_path / "annex1.xlsx"
    args = ["--template", "annex1", "--municipality", "JEK", "--year", "2025", "--out", str(annex1), "--db", str(db)]
    assert importers.main(args) == 0
    numbered = sorted(activities, key=lambda r: tuple(int(p) for p in r[0].split(".")[:2]))
    assert parts(annex1.read_bytes()) == parts(templates.annex1_template("JEK", 2025, numbered))


@pytest.mark.parametrize(
    "args",
    [
        ["--template", "onboarding"],  # no --out
        ["--template", "annex6", "--school", "nav_tadas", "--year", "2025/2026"],
        ["--template", "annex6", "--school", "x", "--year", "2025"],  # not a school year
        ["--template", "annex1", "--municipality", "JEK"],  # no year
    ],
)
def test_a_template_without_what_it_needs_is_refused_with_a_message(db, tmp_path, capsys, args):
    out = [] if args == ["--template", "onboarding"] else ["--out", str(tmp_path / "t.xlsx")]
    assert importers.main([*args, *out, "--db", str(db), "--lang", "lv"]) == 2
    assert capsys.readouterr().err.startswith("kļūda: ")
    assert not (tmp_path / "t.xlsx").exists()
