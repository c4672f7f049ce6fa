"""A generated corpus of bad files for the importer (issue 15), and a few good ones beside them.

Not hand-picked to pass: every case is a product of a list of bad values and the places a file can
hold them, applied to a valid file of each kind (a table CSV, the annex 6 and annex 1 templates, the
onboarding workbook). Groups, and what the importer must do with each:

* ``impossible``: values no school's year can hold, or that a lenient parser would turn into one
  (NaN, infinity, 2³¹, 1e308, ``7_7``, ``1 000``, 2099/2100, 500 at risk of 120 pupils, a share in
  pupils, a scope of another municipality, more decimals than the column keeps) — refused;
* ``personal``: personal codes, phones, e-mails, names, birth dates and addresses in every form the
  adversarial test used, in cells, comments, extra and hidden sheets, document properties, numbers
  and file names — refused;
* ``formula``: formulas and text a spreadsheet would run as one, and Markdown links, images and
  HTML — refused;
* ``malformed`` and ``huge``: broken, mislabelled, oversized and zip-bomb files — refused;
* ``nothing``: a header only, an empty template — said, never imported;
* ``valid``: the untouched base files — imported (so the importer is not simply refusing all).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.worksheet.formula import ArrayFormula

from data_loaders import templates
from data_loaders.tables import TABLES
from tests.factories import FIGURES, MUN, SCHOOL, YEAR, fill_annex6, fill_onboarding

SOURCE = "test: corpus"
EXPECT = {
    "impossible": "refuse",
    "personal": "refuse",
    "formula": "refuse",
    "malformed": "refuse",
    "huge": "refuse",
    "nothing": "nothing",
    "valid": "accept",
}


@dataclass(frozen=True)
class Case:
    group: str
    what: str
    name: str
    data: bytes

    @property
    def expect(self) -> str:
        return EXPECT[self.group]


# ------------------------------------------------------------------------------------------------
# The values

NUMBERS = [  # wrong in any numeric column
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e308",
    "1e3",
    "7_7",
    "120_000",
    "1 000",
    "1,000",
    "99999999999999999999",
    "-1",
    "0x10",
    "１２",
    "١٢",
    "12.5.1",
    "true",
    "12 ",  # "12 " is fine: stripped
]
WHOLE_ONLY = ["12.5", "2147483648"]  # wrong in an integer column
TOO_PRECISE = {  # more decimals than the column keeps, or more digits
    ("support_staff", "fte"): ["0.1234", "11"],
    ("risk", "share_pct"): ["12.345", "100.5"],
    ("outcome", "value"): ["1.23456", "1000000000000"],
    ("stated_total", "value"): ["1.2345", "1000000000000000"],
}
YEARS = ["2099/2100", "2024/2030", "2025/2025", "2099", "२०२५/२०२६", "2025/2026-2024/2025"]
PERSONAL = [
    "010203-12345",
    "010203 12345",
    "010203–12345",
    "01.02.03-12345",
    "０１０２０３－１２３４５",
    "01020312345",
    "321234-56789",
    "29123456",
    "+371 2912 3456",
    "00371 29123456",
    "(+371) 29-12-34-56",
    "tālr. 2912 3456",
    "anna.ozola@skola.lv",
    "jānis.bērziņš@skola.lv",
    "anna＠skola.lv",
    "Skolēni Jānis Bērziņš un Anna Ozola piedalījās",
    "Pasākumu vadīja Inese Kalniņa",
    "atbildīgais J. Bērziņš",
    "Bērziņš Jānis, 7.b",
    "Janis Berzins",
    "dzimis 05.05.2010",
    "dzimšanas datums: 2010-05-05",
    "dzīvo Rīgas ielā 5-12",
    "Brīvības iela 12, LV-1010",
]
FORMULAS = [
    "=1+1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/x","Atvērt")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
MARKUP = [
    "![x](http://host/pixel.png) [Sign in](http://evil.example)",
    "[Pieteikties](http://evil.example)",
    "<img src=x onerror=alert(1)>",
    "skatīt <script>alert(1)</script>",
]

# ------------------------------------------------------------------------------------------------
# Valid base files

BASE_ROWS = {
    "enrolment": {
        "school_id": SCHOOL,
        "school_year": YEAR,
        "start_year": "2025",
        "grade_band": "total",
        "pupils": "200",
        "classes": "",
        "source": SOURCE,
        "note": "",
    },
    "outcome": {
        "municipality": MUN,
        "scope": SCHOOL,
        "school_year": YEAR,
        "start_year": "2025",
        "level": "basic",
        "indicator": "repeaters",
        "subject": "",
        "threshold": "",
        "value": "3",
        "unit": "pupils",
        "source": SOURCE,
        "note": "",
    },
    "risk": {
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
        "source": SOURCE,
        "note": "",
    },
    "pumpurs": {
        "school_id": SCHOOL,
        "period": YEAR,
        "start_year": "2025",
        "end_year": "2025",
        "semester": "I",
        "iap_count": "5",
        "participants": "",
        "source": SOURCE,
        "note": "",
    },
    "support_staff": {
        "school_id": SCHOOL,
        "school_year": YEAR,
        "start_year": "2025",
        "role": "psychologist",
        "fte": "0.5",
        "source": SOURCE,
        "note": "",
    },
    "stated_total": {
        "municipality": MUN,
        "topic": "pumpurs",
        "measure": "iap_count",
        "period": YEAR,
        "semester": "I",
        "value": "40",
        "unit": "plans",
        "source": SOURCE,
        "note": "",
    },
}
NUMERIC = {
    "enrolment": ("pupils", "classes", "start_year"),
    "outcome": ("value", "start_year"),
    "risk": ("pupils", "share_pct", "end_year"),
    "pumpurs": ("iap_count", "participants"),
    "support_staff": ("fte",),
    "stated_total": ("value",),
}
INTEGER = {"pupils", "classes", "start_year", "end_year", "iap_count", "participants"}
PERIOD_COLUMN = {"enrolment": "school_year", "outcome": "school_year", "support_staff": "school_year"}


def csv_file(table: str, rows: list[dict], columns: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or TABLES[table].columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def row(table: str, **changes: str) -> dict:
    return {**BASE_ROWS[table], **changes}


def annex1(values: dict[str, object], year: int = 2026) -> bytes:
    """The annex 1 template of the demo municipality with row 6 (activity 1.1) filled as given."""
    wb = load_workbook(io.BytesIO(templates.annex1_template(MUN, year, [("1.1", "Lekcijas"), ("1.2", "Programma")])))
    ws = wb["Pielikums 1"]
    for cell, value in {"C6": "izpildīts", "D6": 48, "E6": "3 lekcijas skolā", **values}.items():
        ws[cell] = value
    return _save(wb)


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _annex6_workbook(values: dict | None = None):
    return load_workbook(io.BytesIO(fill_annex6(FIGURES if values is None else values)))


def annex6_with(edit) -> bytes:
    """The filled annex 6 with ``edit(workbook)`` applied."""
    wb = _annex6_workbook()
    edit(wb)
    return _save(wb)


def annex6_row(key: str) -> int:
    return templates.FIRST_FIELD_ROW + list(templates.FIELDS).index(key)


def annex6_cell(key: str, level: str) -> str:
    return f"{templates.LEVEL_COLUMNS[level]}{annex6_row(key)}"


# ------------------------------------------------------------------------------------------------
# The corpus


def corpus() -> list[Case]:
    cases = [
        *_valid(),
        *_nothing(),
        *_impossible_csv(),
        *_impossible_annex6(),
        *_impossible_other(),
        *_personal(),
        *_formulas(),
        *_malformed(),
        *_huge(),
    ]
    names = [c.what for c in cases]
    assert len(names) == len(set(names)), "every case has its own description"
    return cases


def _valid() -> Iterator[Case]:
    for table in BASE_ROWS:
        yield Case("valid", f"valid {table}.csv", f"{table}.csv", csv_file(table, [row(table)]))
    yield Case("valid", "valid annex 6", "ezermala.xlsx", fill_annex6(FIGURES))
    yield Case("valid", "valid annex 1", "annex1.xlsx", annex1({}))
    yield Case("valid", "valid onboarding", "onboarding.xlsx", fill_onboarding())


def _nothing() -> Iterator[Case]:
    for table in BASE_ROWS:
        yield Case("nothing", f"header only {table}.csv", f"{table}.csv", csv_file(table, []))
    yield Case("nothing", "blank annex 6", "tukss.xlsx", fill_annex6({}))
    wb = load_workbook(io.BytesIO(templates.annex1_template(MUN, 2026, [("1.1", "Lekcijas")])))
    yield Case("nothing", "blank annex 1", "tukss1.xlsx", _save(wb))


def _impossible_csv() -> Iterator[Case]:
    for table, columns in NUMERIC.items():
        for column in columns:
            values = [*NUMBERS[:-1]]
            values += WHOLE_ONLY if column in INTEGER else TOO_PRECISE.get((table, column), [])
            for value in values:
                yield Case(
                    "impossible",
                    f"{table}.{column}={value!r}",
                    f"{table}.csv",
                    csv_file(table, [row(table, **{column: value})]),
                )
        period = PERIOD_COLUMN.get(table, "period")
        for value in YEARS:
            changes = {period: value, "start_year": "", **({"end_year": ""} if "end_year" in BASE_ROWS[table] else {})}
            yield Case(
                "impossible", f"{table}.{period}={value!r}", f"{table}.csv", csv_file(table, [row(table, **changes)])
            )
    # the numbers a lenient reader accepts, in a row that is otherwise valid
    yield Case(
        "valid",
        "enrolment pupils '12 ' (spaces around)",
        "enrolment.csv",
        csv_file("enrolment", [row("enrolment", pupils=" 12 ")]),
    )


def _impossible_annex6() -> Iterator[Case]:
    bad = [
        "nan",
        "NaN",
        "inf",
        2**31,
        10**20,
        1e308,
        "1e308",
        "7_7",
        "120_000",
        "1 000",
        "1.000,5",
        -1,
        True,
        datetime(2025, 9, 1),
        "divsimt",
        "１２",
        1e12,
        1.23456,
    ]
    cells = [("pupils_start", "all", "count"), ("at_risk", "basic", "count"), ("unexcused_hours", "secondary", "hours")]
    for key, level, kind in cells:
        for value in bad + (["1,000", 1.5, 10_001] if kind == "count" else [2_000]):
            yield Case(
                "impossible",
                f"annex6 {key}/{level}={value!r}",
                "ezermala.xlsx",
                fill_annex6({**FIGURES, (key, level): value}),
            )
        # a number cell holding what openpyxl itself never writes: infinity, NaN (written into the XML)
        for raw in (b"1e999", b"-1e999", b"NaN", b"nan", b"1E+400"):
            yield Case(
                "impossible", f"annex6 {key}/{level} XML {raw.decode()}", "ezermala.xlsx", _raw_number(key, level, raw)
            )
    changes = {
        "end of year 99999 of 212": {("pupils_end", "all"): 99_999},
        "end of year 400 of 120": {("pupils_start", "all"): 120, ("pupils_end", "all"): 400},
        "500 at risk of 120": {("pupils_start", "all"): 120, ("pupils_end", "all"): 118, ("at_risk", "basic"): 500},
        "risk group over pupils at risk": {("risk_family", "all"): 50},
        "left early more than pupils": {("dropped_out", "basic"): 300},
        "transferred out more than pupils": {("transferred_out", "all"): 300},
        "grade 9 finished more than enrolled": {("grade9_report_only", "basic"): 30},
        "grade 12 finished more than enrolled": {("grade12_diploma", "secondary"): 30},
    }
    for what, values in changes.items():
        yield Case("impossible", f"annex6 {what}", "ezermala.xlsx", fill_annex6({**FIGURES, **values}))
    meta = {
        "version 99": ("version", "99"),
        "version 0": ("version", "0"),
        "version ²": ("version", "²"),
        "kind missing": ("kind", None),
        "school year 2099/2100": ("school_year", "2099/2100"),
        "school year ²²²²/2026": ("school_year", "²²²²/2026"),
        "school year 2025/2030": ("school_year", "2025/2030"),
        "school year 2025": ("school_year", "2025"),
        "another municipality": ("municipality", "LUD"),
        "unknown school": ("school_id", "demo_nav_tadas_skolas"),
        "school empty": ("school_id", None),
    }
    for what, (key, value) in meta.items():

        def edit(wb, key=key, value=value):
            ws = wb["meta"]
            for r in ws.iter_rows():
                if r[0].value == key:
                    r[1].value = value

        yield Case("impossible", f"annex6 meta {what}", "ezermala.xlsx", annex6_with(edit))
    layout = {
        "grey cell filled": lambda wb: wb["Pielikums 6"].__setitem__(annex6_cell("pupils_start", "basic"), 5),
        "a field row removed": lambda wb: wb["Pielikums 6"].delete_rows(annex6_row("dropped_out")),
        "a field twice": lambda wb: wb["Pielikums 6"].__setitem__(f"B{annex6_row('dropped_out')}", "at_risk"),
        "merged input cells": lambda wb: wb["Pielikums 6"].merge_cells("E10:F11"),
        "sheet renamed": lambda wb: setattr(wb["Pielikums 6"], "title", "Lapa1"),
        "a cell far away": lambda wb: wb["Pielikums 6"].__setitem__("XFD1048576", 1),
    }
    for what, edit in layout.items():
        yield Case("impossible", f"annex6 {what}", "ezermala.xlsx", annex6_with(edit))


def _raw_number(key: str, level: str, raw: bytes) -> bytes:
    parts = _xlsx_parts(fill_annex6({**FIGURES, (key, level): 987_654}))
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert sheet.count(b"<v>987654</v>") == 1
    return _zip_of({**parts, "xl/worksheets/sheet1.xml": sheet.replace(b"<v>987654</v>", b"<v>" + raw + b"</v>")})


def _impossible_other() -> Iterator[Case]:
    """Rows valid one column at a time that cannot be true together, or against the database."""
    cases = {
        "outcome repeaters in pct": ("outcome", [row("outcome", unit="pct")]),
        "outcome a share in pupils": ("outcome", [row("outcome", indicator="repeaters_pct", unit="pupils")]),
        "outcome hours in pupils": ("outcome", [row("outcome", indicator="unexcused_hours_per_pupil")]),
        "outcome hours 2000 per pupil": (
            "outcome",
            [row("outcome", indicator="unexcused_hours_per_pupil", unit="hours_per_pupil", value="2000")],
        ),
        "outcome hours 1e12": (
            "outcome",
            [row("outcome", indicator="unexcused_hours_per_pupil", unit="hours_per_pupil", value="1000000000000")],
        ),
        "outcome LUD with scope DEMO": ("outcome", [row("outcome", municipality="LUD", scope="DEMO")]),
        "outcome DEMO with a Ludza school": ("outcome", [row("outcome", scope="lud_ludzas_pilsetas_vidusskola")]),
        "outcome 999 at risk of 254 (database)": (
            "outcome",
            [row("outcome", school_year="2024/2025", start_year="2024", indicator="pupils_at_risk", value="999")],
        ),
        "outcome 200 + 200 repeaters of 254 (database)": (
            "outcome",
            [
                row("outcome", school_year="2024/2025", start_year="2024", value="200"),
                row("outcome", school_year="2024/2025", start_year="2024", level="secondary", value="200"),
            ],
        ),
        "risk 999 of 254 pupils (database)": (
            "risk",
            [row("risk", period="2024/2025", start_year="2024", end_year="2024", pupils="999")],
        ),
        "pumpurs 999 participants of 254 (database)": (
            "pumpurs",
            [row("pumpurs", period="2024/2025", start_year="2024", end_year="2024", participants="999")],
        ),
        "enrolment 10001 pupils in one school": ("enrolment", [row("enrolment", pupils="10001")]),
        "enrolment grades over the total": (
            "enrolment",
            [
                row("enrolment", pupils="100"),
                row("enrolment", grade_band="9", pupils="80"),
                row("enrolment", grade_band="12", pupils="70"),
            ],
        ),
        "pumpurs semesters and the year": ("pumpurs", [row("pumpurs"), row("pumpurs", semester="all", iap_count="9")]),
        "stated total share in pupils": (
            "stated_total",
            [row("stated_total", measure="participant_share_pct", semester="", unit="pupils", value="20")],
        ),
        "stated total share over 100": (
            "stated_total",
            [row("stated_total", measure="participant_share_pct", semester="", unit="% of pupils", value="150")],
        ),
        "stated total euro with a tenth of a cent": (
            "stated_total",
            [row("stated_total", measure="funding_eur", semester="", unit="EUR", value="10.001")],
        ),
        "duplicate rows": ("enrolment", [row("enrolment"), row("enrolment")]),
        "a row with a NUL byte": ("enrolment", [row("enrolment", note="piezīme\x00")]),
        "a bidirectional override": ("enrolment", [row("enrolment", note="skola \u202eetoN")]),
    }
    for what, (table, rows) in cases.items():
        yield Case("impossible", what, f"{table}.csv", csv_file(table, rows))
    period = {
        "municipality": "LUD",
        "indicator_no": "3",
        "breakdown": "",
        "start_year": "",
        "value": "70",
        "source": SOURCE,
        "note": "",
    }
    for value in ("2024/2030", "2099", "2099/2100"):
        yield Case(
            "impossible",
            f"indicator_value period {value}",
            "indicator_value.csv",
            csv_file("indicator_value", [{**period, "period": value}]),
        )
    for what, values in {
        "annex1 participants nan": {"D6": "nan"},
        "annex1 participants 2**31": {"D6": 2**31},
        "annex1 participants -5": {"D6": -5},
        "annex1 participants 7_7": {"D6": "7_7"},
        "annex1 status unknown": {"C6": "gandrīz"},
        "annex1 text too long": {"E6": "x" * 1500},
    }.items():
        yield Case("impossible", what, "annex1.xlsx", annex1(values))
    yield Case("impossible", "annex1 year 2099", "annex1.xlsx", annex1({}, year=2099))


def _personal() -> Iterator[Case]:
    for index, value in enumerate(PERSONAL):
        yield Case("personal", f"csv note {value!r}", "outcome.csv", csv_file("outcome", [row("outcome", note=value)]))
        yield Case("personal", f"annex1 text {value!r}", "annex1.xlsx", annex1({"F6": value}))
        place = index % 5  # each value in one more place, in turn
        if place == 0:
            yield Case(
                "personal",
                f"annex6 comment {value!r}",
                "ezermala.xlsx",
                annex6_with(lambda wb, v=value: setattr(wb["Pielikums 6"]["G7"], "comment", Comment(v, "x"))),
            )
        elif place == 1:
            yield Case(
                "personal",
                f"annex6 extra sheet {value!r}",
                "ezermala.xlsx",
                annex6_with(lambda wb, v=value: wb.create_sheet("Piezīmes").__setitem__("C3", v)),
            )
        elif place == 2:

            def hidden(wb, v=value):
                ws = wb.create_sheet("x")
                ws["A1"] = v
                ws.sheet_state = "hidden"

            yield Case("personal", f"annex6 hidden sheet {value!r}", "ezermala.xlsx", annex6_with(hidden))
        elif place == 3:
            yield Case(
                "personal",
                f"annex6 title property {value!r}",
                "ezermala.xlsx",
                annex6_with(lambda wb, v=value: setattr(wb.properties, "title", v)),
            )
        else:
            yield Case(
                "personal",
                f"annex6 custom property {value!r}",
                "ezermala.xlsx",
                annex6_with(lambda wb, v=value: wb.custom_doc_props.append(StringProperty("Skolēns", v))),
            )
    for value in ("Jānis Bērziņš", "010203-12345", "anna@skola.lv"):
        yield Case(
            "personal", f"file name {value!r}", f"enrolment_{value}.csv", csv_file("enrolment", [row("enrolment")])
        )
        yield Case(
            "personal",
            f"sheet name {value!r}",
            "ezermala.xlsx",
            annex6_with(lambda wb, v=value: wb.create_sheet(v[:31])),
        )
    for value in ("Vārds", "Personas kods", "E-pasts", "Tālrunis", "Adrese", "Dzimšanas datums"):
        columns = [*TABLES["enrolment"].columns, value]
        yield Case(
            "personal",
            f"csv column {value!r}",
            "enrolment.csv",
            csv_file("enrolment", [{**row("enrolment"), value: "x"}], columns),
        )
    for number in (1020312345, 1020312345.0, 29123456, 37129123456):
        yield Case(
            "personal",
            f"annex6 number {number!r}",
            "ezermala.xlsx",
            fill_annex6({**FIGURES, ("grade9_enrolled", "basic"): number}),
        )


def _formulas() -> Iterator[Case]:
    for value in [*FORMULAS, *MARKUP]:
        yield Case("formula", f"csv note {value!r}", "outcome.csv", csv_file("outcome", [row("outcome", note=value)]))
        yield Case("formula", f"csv source {value!r}", "risk.csv", csv_file("risk", [row("risk", source=value)]))
        yield Case("formula", f"annex1 text {value!r}", "annex1.xlsx", annex1({"E6": value}))
        yield Case("formula", f"annex1 evidence {value!r}", "annex1.xlsx", annex1({"H6": value}))
    for value in FORMULAS[:3]:  # openpyxl writes "=..." as a formula: a real formula cell
        yield Case(
            "formula",
            f"annex6 cell {value!r}",
            "ezermala.xlsx",
            annex6_with(lambda wb, v=value: wb["Pielikums 6"].__setitem__("G7", v)),
        )
        yield Case(
            "formula",
            f"annex6 label {value!r}",
            "ezermala.xlsx",
            annex6_with(lambda wb, v=value: wb["Pielikums 6"].__setitem__("D8", v)),
        )
    yield Case(
        "formula",
        "annex6 array formula",
        "ezermala.xlsx",
        annex6_with(lambda wb: wb["Pielikums 6"].__setitem__("G7", ArrayFormula("G7", "=SUM(1,2)"))),
    )
    yield Case("formula", "annex1 participants formula", "annex1.xlsx", annex1({"D6": "=40+8"}))


def _zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _xlsx_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def _sheet_xml(rows: str) -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    return (head + rows + "</sheetData></worksheet>").encode()


def _malformed() -> Iterator[Case]:
    good = fill_annex6(FIGURES)
    parts = _xlsx_parts(good)
    header = ",".join(TABLES["enrolment"].columns)
    yield Case("malformed", "empty csv", "enrolment.csv", b"")
    yield Case("malformed", "empty xlsx", "ezermala.xlsx", b"")
    yield Case("malformed", "a pdf", "report.pdf", b"%PDF-1.4 ...")
    yield Case("malformed", "no extension", "enrolment", csv_file("enrolment", [row("enrolment")]))
    yield Case("malformed", "an xls", "ezermala.xls", good)
    yield Case("malformed", "csv text named xlsx", "ezermala.xlsx", csv_file("enrolment", [row("enrolment")]))
    yield Case("malformed", "xlsx named csv", "enrolment.csv", good)
    yield Case("malformed", "not a zip", "ezermala.xlsx", b"PK\x03\x04 not really a zip")
    yield Case("malformed", "truncated xlsx", "ezermala.xlsx", good[: len(good) // 2])
    yield Case("malformed", "a zip of text", "ezermala.xlsx", _zip_of({"readme.txt": b"hello"}))
    yield Case(
        "malformed", "password-protected (OLE)", "ezermala.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    )
    yield Case("malformed", "macros", "ezermala.xlsx", _zip_of({**parts, "xl/vbaProject.bin": b"\0" * 64}))
    yield Case(
        "malformed",
        "external link",
        "ezermala.xlsx",
        _zip_of({**parts, "xl/externalLinks/externalLink1.xml": b"<externalLink/>"}),
    )
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    yield Case(
        "malformed",
        "XML entities",
        "ezermala.xlsx",
        _zip_of({**parts, "xl/worksheets/sheet1.xml": doctype + parts["xl/worksheets/sheet1.xml"][38:]}),
    )
    broken = parts["xl/worksheets/sheet1.xml"].replace(b"<sheetData>", b"<sheetData><row r=")
    yield Case("malformed", "broken sheet XML", "ezermala.xlsx", _zip_of({**parts, "xl/worksheets/sheet1.xml": broken}))
    yield Case(
        "malformed", "utf-16 csv", "enrolment.csv", csv_file("enrolment", [row("enrolment")]).decode().encode("utf-16")
    )
    yield Case(
        "malformed",
        "latin-1 csv",
        "enrolment.csv",
        csv_file("enrolment", [row("enrolment", note="skolä")]).decode().encode("latin-1"),
    )
    yield Case(
        "malformed", "semicolons", "enrolment.csv", csv_file("enrolment", [row("enrolment")]).replace(b",", b";")
    )
    yield Case("malformed", "a NUL byte", "enrolment.csv", csv_file("enrolment", [row("enrolment")]) + b"\x00\n")
    yield Case("malformed", "a ragged row", "enrolment.csv", (header + f"\n{SCHOOL},{YEAR},2025\n").encode())
    yield Case("malformed", "a missing column", "enrolment.csv", f"school_id,school_year\n{SCHOOL},{YEAR}\n".encode())
    yield Case(
        "malformed",
        "an unknown column",
        "enrolment.csv",
        csv_file("enrolment", [{**row("enrolment"), "extra": "1"}], [*TABLES["enrolment"].columns, "extra"]),
    )
    yield Case("malformed", "an unknown table", "weird.csv", b"foo,bar\n1,2\n")
    yield Case("malformed", "an unterminated quote", "enrolment.csv", (header + f'\n{SCHOOL},"{YEAR}\n').encode())
    yield Case("malformed", "100 columns", "enrolment.csv", (",".join(f"c{i}" for i in range(100)) + "\n").encode())
    yield Case(
        "malformed",
        "a cell of 2000 characters",
        "enrolment.csv",
        csv_file("enrolment", [row("enrolment", note="a" * 2000)]),
    )
    yield Case(
        "malformed",
        "a cell of 200000 characters",
        "enrolment.csv",
        csv_file("enrolment", [row("enrolment", note="a" * 200_000)]),
    )
    yield Case(
        "malformed",
        "a 130 KB note without spaces",
        "enrolment.csv",
        csv_file("enrolment", [row("enrolment", note="a." * 65_000)]),
    )


def _huge() -> Iterator[Case]:
    parts = _xlsx_parts(fill_annex6(FIGURES))
    yield Case("huge", "a file over 5 MB", "enrolment.csv", b"a" * (5 * 1024 * 1024 + 1))
    yield Case(
        "huge",
        "50001 rows",
        "enrolment.csv",
        csv_file("enrolment", [row("enrolment", grade_band=str(4 + i % 9)) for i in range(50_001)]),
    )
    bomb = _sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"a" * 40_000_000}</t></is></c></row>')
    yield Case(
        "huge",
        "a 40 MB inline string (zip bomb)",
        "ezermala.xlsx",
        _zip_of({**parts, "xl/worksheets/sheet1.xml": bomb}),
    )
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in range(1, 20_001))
    yield Case("huge", "20000 rows", "ezermala.xlsx", _zip_of({**parts, "xl/worksheets/sheet1.xml": _sheet_xml(rows)}))
    wide = "".join(
        f'<row r="{i}">' + "".join(f'<c r="{c}{i}"><v>1</v></c>' for c in "ABCDEFGHIJKLMNOPQRST") + "</row>"
        for i in range(1, 6_001)
    )
    yield Case(
        "huge", "120000 cells", "ezermala.xlsx", _zip_of({**parts, "xl/worksheets/sheet1.xml": _sheet_xml(wide)})
    )
    many = {**parts, **{f"xl/media/image{i}.png": b"" for i in range(400)}}
    yield Case("huge", "400 parts", "ezermala.xlsx", _zip_of(many))
