"""The Excel templates schools and the Education Board fill in once a year.

* Annex 6 (one school, one school year): the school's PMP risk situation report — pupils at the
  start and end of the year, transfers, pupils at risk and pupils who left by stage, unexcused
  hours per pupil, extended school year, insufficient marks, grade 9 and 12 results, and pupils
  at risk in each of the four risk groups (from which the ranking of annex 6 item 5 follows).
* Annex 1 (one municipality, one calendar year): the implementation report of each activity
  of the action plan.

Latvian headings with English in the row below; cells carry data-validation rules; a hidden
``meta`` sheet says which school/municipality and year the file is for. Free-text items of
annex 6 (causes, further measures, partners) are left out on purpose: they are discussed at
the meeting, and free text is where personal data slips in.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from data_loaders import safe_text

# The version written into every template's meta sheet. Change it whenever the rows or columns of a
# form move; READABLE_VERSIONS lists the versions the importer reads (an older layout it can convert
# stays in it, with its conversion in importers.py; any other is refused with a message).
TEMPLATE_VERSION = "1"
READABLE_VERSIONS = frozenset({TEMPLATE_VERSION})
HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")
GREY_FILL = PatternFill("solid", fgColor="D9D9D9")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")

LEVEL_COLUMNS = {"basic": "E", "secondary": "F", "all": "G"}
STATUS_LV = {"planned": "plānots", "in_progress": "notiek", "done": "izpildīts", "not_done": "nav izpildīts"}


@dataclass(frozen=True)
class Field:
    key: str
    number: str  # item number on the paper form
    label_lv: str
    label_en: str
    levels: tuple[str, ...]  # which of basic / secondary / all the form asks for
    kind: str = "count"  # count (whole pupils) or hours (decimal)
    table: str = "outcome"  # where the figure is stored
    target: str = ""  # outcome indicator, enrolment grade band or risk group


ANNEX6: tuple[Field, ...] = (
    Field(
        "pupils_start",
        "–",
        "Izglītojamo skaits mācību gada sākumā",
        "Pupils at the start of the school year",
        ("all",),
        table="enrolment",
        target="total",
    ),
    Field(
        "pupils_end",
        "–",
        "Izglītojamo skaits mācību gada beigās",
        "Pupils at the end of the school year",
        ("all",),
        target="pupils_end_of_year",
    ),
    Field(
        "transferred_out",
        "–",
        "Aizgājuši mācīties uz citu skolu (mācību gada laikā)",
        "Left for another school during the year",
        ("all",),
        target="transferred_out",
    ),
    Field(
        "transferred_in",
        "–",
        "Atnākuši no citas skolas",
        "Arrived from another school",
        ("all",),
        target="transferred_in",
    ),
    Field(
        "at_risk",
        "1",
        "PMP riskam pakļauto izglītojamo kopējais skaits",
        "Pupils at PMP risk",
        ("basic", "secondary"),
        target="pupils_at_risk",
    ),
    Field(
        "dropped_out",
        "2",
        "Priekšlaicīgi mācības pārtraukušo izglītojamo skaits",
        "Pupils who left education early",
        ("basic", "secondary"),
        target="dropped_out",
    ),
    Field(
        "risk_learning_school",
        "5",
        "Riska grupa: ar mācību darbu vai izglītības iestādes vidi saistītie riski (izglītojamo skaits)",
        "Risk group: learning / school environment (pupils)",
        ("all",),
        table="risk",
        target="learning_school",
    ),
    Field(
        "risk_social_health",
        "5",
        "Riska grupa: sociālās vides un veselības riski (izglītojamo skaits)",
        "Risk group: social environment and health (pupils)",
        ("all",),
        table="risk",
        target="social_health",
    ),
    Field(
        "risk_economic",
        "5",
        "Riska grupa: ekonomiskie riski (izglītojamo skaits)",
        "Risk group: economic (pupils)",
        ("all",),
        table="risk",
        target="economic",
    ),
    Field(
        "risk_family",
        "5",
        "Riska grupa: ar ģimeni saistītie riski (izglītojamo skaits)",
        "Risk group: family (pupils)",
        ("all",),
        table="risk",
        target="family",
    ),
    Field(
        "unexcused_hours",
        "6",
        "Neattaisnoto kavējumu skaits vidēji uz 1 izglītojamo (stundas)",
        "Average unexcused absences per pupil (hours)",
        ("basic", "secondary"),
        kind="hours",
        target="unexcused_hours_per_pupil",
    ),
    Field(
        "extended_year",
        "7",
        "Izglītojamo skaits, kam ir pagarināts mācību gads",
        "Pupils with an extended school year",
        ("basic",),
        target="extended_school_year",
    ),
    Field(
        "insufficient_mark",
        "8",
        "Izglītojamo skaits, kam ir nepietiekams vērtējums gadā",
        "Pupils with an insufficient yearly mark",
        ("basic",),
        target="insufficient_yearly_mark",
    ),
    Field(
        "grade9_enrolled",
        "11",
        "9. klasē mācījās",
        "Pupils enrolled in grade 9",
        ("basic",),
        table="enrolment",
        target="9",
    ),
    Field(
        "grade9_certificate",
        "11",
        "9. klasi beidza ar apliecību",
        "Finished grade 9 with the certificate",
        ("basic",),
        table="check",
        target="",
    ),
    Field(
        "grade9_report_only",
        "11",
        "9. klasi beidza ar liecību (bez apliecības)",
        "Finished grade 9 with only a report card",
        ("basic",),
        target="grade9_without_certificate",
    ),
    Field(
        "grade12_enrolled",
        "12",
        "12. klasē mācījās",
        "Pupils enrolled in grade 12",
        ("secondary",),
        table="enrolment",
        target="12",
    ),
    Field(
        "grade12_diploma",
        "12",
        "12. klasi beidza ar atestātu",
        "Finished grade 12 with the diploma",
        ("secondary",),
        table="check",
        target="",
    ),
    Field(
        "grade12_report_only",
        "12",
        "12. klasi beidza ar liecību (bez atestāta)",
        "Finished grade 12 with only a report card",
        ("secondary",),
        target="grade12_without_certificate",
    ),
)
FIELDS = {f.key: f for f in ANNEX6}
FIRST_FIELD_ROW = 7


def _style_header(cells) -> None:
    for cell in cells:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _meta(wb: Workbook, values: dict[str, str]) -> None:
    meta = wb.create_sheet("meta")
    for row, (key, value) in enumerate(values.items(), start=1):
        meta.cell(row=row, column=1, value=key)
        meta.cell(row=row, column=2, value=value)
    meta.sheet_state = "hidden"


def _save(wb: Workbook) -> bytes:
    """The workbook as bytes; any text that openpyxl would write as a formula (an activity's name from
    the database) is written as text (``safe_text.defuse_workbook``)."""
    safe_text.defuse_workbook(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def annex6_template(school_id: str, school_name: str, municipality: str, school_year: str) -> bytes:
    """The annex 6 workbook for one school and school year (empty cells to fill)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Pielikums 6"
    ws["A1"] = f"PMP (priekšlaicīgas mācību pārtraukšanas) riski. Situācijas apraksts par {school_year}. m.g."
    ws["A2"] = f"PMP (early school leaving) risks. Situation report for the school year {school_year}"
    ws["A3"] = f"Izglītības iestāde / School: {school_name}"
    ws["A4"] = (
        "Ievadiet skaitļus baltajās šūnās; tukša šūna nozīmē “nav datu”, nevis 0. Pelēkās šūnas neaizpilda. "
        "Neierakstiet vārdus, personas kodus vai kontaktinformāciju."
    )
    ws["A5"] = (
        "Fill in the white cells; an empty cell means 'no data', not 0. Leave grey cells empty. "
        "Do not enter names, personal codes or contact details."
    )
    ws["A1"].font = Font(bold=True, size=14)
    headers_lv = ["Nr.", "Lauks", "Rādītājs", "Indicator", "Pamatskolā", "Vidusskolā", "Kopā"]
    headers_en = ["No.", "Field", "", "", "Basic stage", "Secondary stage", "Total"]
    for col, (lv, en) in enumerate(zip(headers_lv, headers_en, strict=True), start=1):
        ws.cell(row=FIRST_FIELD_ROW - 1, column=col, value=f"{lv}\n{en}" if en else lv)
    _style_header(ws[FIRST_FIELD_ROW - 1])
    counts = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="100000",
        allow_blank=True,
        error="Veselu skaitli ≥ 0 / a whole number ≥ 0",
        showErrorMessage=True,
    )
    hours = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="10000",
        allow_blank=True,
        error="Skaitli ≥ 0 / a number ≥ 0",
        showErrorMessage=True,
    )
    ws.add_data_validation(counts)
    ws.add_data_validation(hours)
    for row, field in enumerate(ANNEX6, start=FIRST_FIELD_ROW):
        ws.cell(row=row, column=1, value=field.number)
        ws.cell(row=row, column=2, value=field.key)
        ws.cell(row=row, column=3, value=field.label_lv)
        ws.cell(row=row, column=4, value=field.label_en)
        for level, letter in LEVEL_COLUMNS.items():
            cell = ws[f"{letter}{row}"]
            if level in field.levels:
                cell.fill = INPUT_FILL
                (hours if field.kind == "hours" else counts).add(cell)
            else:
                cell.fill = GREY_FILL
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 20
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["D"].width = 45
    for letter in LEVEL_COLUMNS.values():
        ws.column_dimensions[letter].width = 14
    _meta(
        wb,
        {
            "kind": "annex6",
            "version": TEMPLATE_VERSION,
            "school_id": school_id,
            "municipality": municipality,
            "school_year": school_year,
        },
    )
    return _save(wb)


def annex1_template(municipality: str, year: int, activities: list[tuple[str, str]]) -> bytes:
    """The annex 1 workbook for a municipality and calendar year: one row per activity."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Pielikums 1"
    ws["A1"] = f"Pasākumu īstenošanas atskaite, {year}. gads"
    ws["A2"] = f"Activity implementation report, {year}"
    ws["A3"] = "Neierakstiet vārdus, personas kodus vai kontaktinformāciju. / Do not enter names or contact details."
    ws["A1"].font = Font(bold=True, size=14)
    headers = [
        ("Nr.", "No."),
        ("Pasākums", "Activity"),
        ("Statuss", "Status"),
        ("Dalībnieku skaits", "Participants"),
        ("Kas paveikts (datums, vieta)", "What was done (date, venue)"),
        ("Ietekme uz mērķi", "Impact against the goal"),
        ("Veicinošie un kavējošie faktori", "Factors that helped or hindered"),
        ("Informācijas avoti", "Evidence sources"),
    ]
    for col, (lv, en) in enumerate(headers, start=1):
        ws.cell(row=5, column=col, value=f"{lv}\n{en}")
    _style_header(ws[5])
    status = DataValidation(type="list", formula1='"' + ",".join(STATUS_LV.values()) + '"', allow_blank=True)
    participants = DataValidation(type="whole", operator="between", formula1="0", formula2="1000000", allow_blank=True)
    ws.add_data_validation(status)
    ws.add_data_validation(participants)
    for row, (number, name) in enumerate(activities, start=6):
        ws.cell(row=row, column=1, value=number)
        ws.cell(row=row, column=2, value=name)
        status.add(ws.cell(row=row, column=3))
        participants.add(ws.cell(row=row, column=4))
    for letter, width in zip("ABCDEFGH", (7, 45, 14, 12, 40, 40, 40, 30), strict=True):
        ws.column_dimensions[letter].width = width
    _meta(wb, {"kind": "annex1", "version": TEMPLATE_VERSION, "municipality": municipality, "year": str(year)})
    return _save(wb)


def read_meta(wb) -> dict[str, str]:
    if "meta" not in wb.sheetnames:
        return {}
    return {str(r[0].value): str(r[1].value) for r in wb["meta"].iter_rows(min_row=1, max_col=2) if r[0].value}
