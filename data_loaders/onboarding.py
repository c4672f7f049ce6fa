"""Setting up a new municipality from one Excel workbook (the onboarding template).

The workbook has one sheet per table: the municipality (code, names; a programme period and
target years are optional), its schools, their history (merged, closed, renamed, opened, with
dates), optionally the programme's indicators and targets, and figures stated for the whole
municipality (e.g. Pumpurs plans, pupils, schools and funding in euro when there is no school
breakdown). Row 1 of a sheet holds the column names, row 2 explains them in Latvian and English,
the data start on row 3. The importer reads it like any other file: every cell checked, the whole
file refused on any problem (named by sheet, row and column), written in one transaction with the
replaced rows kept for restore. Adding is the point: nothing of another municipality is touched.
"""

from __future__ import annotations

from typing import get_args

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from data_loaders import templates
from data_loaders.tables import DERIVED_COLUMNS, TABLES

KIND = "onboarding"
FIRST_ROW = 3
# sheet name -> table; the municipality sheet comes first, its code fills every other sheet's rows
SHEETS = {
    "Pašvaldība (Municipality)": "municipality",
    "Skolas (Schools)": "school",
    "Skolu vēsture (School history)": "school_event",
    "Rādītāji (Indicators)": "indicator",
    "Mērķi (Targets)": "indicator_target",
    "Kopsummas (Municipal totals)": "stated_total",
}
# filled by the reader, not typed: the municipality from the first sheet; test data are never onboarded
IMPLIED = {"municipality": "", "is_synthetic": False}

HELP: dict[str, tuple[str, str]] = {
    "code": ("Pašvaldības kods: 2–6 lielie burti, piem. ROB", "Municipality code: 2–6 capital letters, e.g. ROB"),
    "name_lv": ("Nosaukums latviski", "Name in Latvian"),
    "name_en": ("Nosaukums angliski", "Name in English"),
    "plan_start": ("Programmas pirmais gads (var neaizpildīt)", "Programme's first year (optional)"),
    "plan_end": ("Programmas pēdējais gads (var neaizpildīt)", "Programme's last year (optional)"),
    "target_year_1": ("Pirmais mērķa gads (var neaizpildīt)", "First target year (optional)"),
    "target_year_2": ("Otrais mērķa gads (var neaizpildīt)", "Second target year (optional)"),
    "source": ("Avots: dokuments un tabula vai lapa", "Source: document and table or page"),
    "school_id": ("Skolas kods: mazie burti, cipari, _ (piem. rob_robezu_vidusskola)", "School id: a-z, 0-9, _"),
    "name": ("Skolas nosaukums", "School name"),
    "school_type": ("Skolas veids (izvēlne)", "School type (list)"),
    "sector": ("Izglītības joma (izvēlne; vispārējā = general)", "Sector (list)"),
    "is_municipal": ("Pašvaldības skola? true/false", "Run by the municipality? true/false"),
    "merged_into": ("Skola, kurai pievienota (kods), ja pievienota", "School it merged into (id), if merged"),
    "merged_year": ("Pievienošanas gads", "Year of the merger"),
    "note": ("Piezīme (bez personas datiem)", "Note (no personal data)"),
    "event": ("Notikums: opened, closed, merged, renamed", "Event: opened, closed, merged, renamed"),
    "event_date": ("Datums GGGG-MM-DD", "Date YYYY-MM-DD"),
    "other_school_id": ("Apvienošana: skola, kurā iekļauta (kods)", "Merged: the school it became part of (id)"),
    "former_name": ("Pārdēvēšana: nosaukums līdz datumam", "Renamed: the name until the date"),
    "indicator_no": ("Rādītāja numurs programmā", "Indicator number in the programme"),
    "breakdown": ("Dalījums: tukšs, basic, secondary, extramural", "Breakdown: empty, basic, secondary, extramural"),
    "prevention_level": ("Prevencijas līmenis (izvēlne)", "Prevention level (list)"),
    "unit": ("Mērvienība (plans, pupils, schools, EUR, pct, ...)", "Unit (plans, pupils, schools, EUR, pct, ...)"),
    "desired_trend": ("Vēlamā virzība (izvēlne)", "Desired trend (list)"),
    "baseline_value": ("Bāzes vērtība (0–100)", "Baseline value (0–100)"),
    "baseline_year": ("Bāzes gads vai mācību gads", "Baseline year or school year"),
    "baseline_text": ("Bāzes vērtība, kā rakstīts programmā", "Baseline as printed in the programme"),
    "data_source_lv": ("Datu avots latviski", "Data source in Latvian"),
    "data_source_en": ("Datu avots angliski", "Data source in English"),
    "ikms_code": ("IKMS kods (var neaizpildīt)", "IKMS code (optional)"),
    "metric_id": ("Paneļa rādītāja id (var neaizpildīt)", "Dashboard metric id (optional)"),
    "target_year": ("Mērķa gads", "Target year"),
    "target_value": ("Mērķa vērtība (0–100)", "Target value (0–100)"),
    "comparison": ("reach = sasniegt; at_most = ne vairāk kā", "reach; at_most"),
    "target_text": ("Mērķis, kā rakstīts programmā", "Target as printed in the programme"),
    "topic": ("Joma: pumpurs, enrolment, support_staff, outcome", "Topic: pumpurs, enrolment, support_staff, outcome"),
    "measure": (
        "Rādītājs: iap_count, participants, participating_schools, funding_eur, funding_eur_cumulative, ...",
        "Measure: iap_count, participants, participating_schools, funding_eur, funding_eur_cumulative, ...",
    ),
    "period": ("Mācību gads, piem. 2020/2021 (vai 2018/2019-2022/2023)", "School year, e.g. 2020/2021"),
    "semester": ("Semestris: I, II vai tukšs (viss gads)", "Semester: I, II or empty (whole year)"),
    "value": ("Vērtība; eiro ar centiem, piem. 74695.28", "Value; euro with cents, e.g. 74695.28"),
}

INSTRUCTIONS = (
    ("Jaunas pašvaldības pieslēgšana PMP panelim", "Adding a municipality to the PMP dashboard"),
    (
        "1. Aizpildiet lapu “Pašvaldība”: viena rinda. Programmas periods un mērķa gadi nav obligāti.",
        "1. Fill in the “Municipality” sheet: one row. The programme period and target years are optional.",
    ),
    (
        "2. Lapā “Skolas” – katra skola vienā rindā, ar kodu, kas nemainās (arī pēc pārdēvēšanas).",
        "2. “Schools”: one row per school, with an id that never changes (not even when it is renamed).",
    ),
    (
        "3. “Skolu vēsture”: apvienošana, slēgšana, pārdēvēšana, atvēršana ar datumu (piem. 2021. gada reforma).",
        "3. “School history”: merged, closed, renamed, opened, with the date (e.g. the 2021 territorial reform).",
    ),
    (
        "4. “Rādītāji” un “Mērķi” – tikai ja pašvaldībai ir PMP programma. Var atstāt tukšas.",
        "4. “Indicators” and “Targets” only if the municipality has a PMP programme. May stay empty.",
    ),
    (
        "5. “Kopsummas”: skaitļi visai pašvaldībai, ja nav sadalījuma pa skolām (Pumpurs plāni, skolēni, "
        "skolas, finansējums eiro ar centiem). Nekad nerakstiet gan semestrus, gan gada summu vienam gadam.",
        "5. “Municipal totals”: figures for the whole municipality where there is no school breakdown (Pumpurs "
        "plans, pupils, schools, funding in euro with cents). Never give both semesters and a year total.",
    ),
    (
        "Mācību gadu rakstiet 2020/2021. Tukša šūna nozīmē “nav datu”, nevis 0. Nekādu personas datu.",
        "Write a school year as 2020/2021. An empty cell means “no data”, not 0. No personal data at all.",
    ),
    (
        "Augšupielādējiet failu lapā “Dati” → “Imports” vai: python -m data_loaders.importers FAILS.xlsx",
        "Upload it on the Data page → Import, or: python -m data_loaders.importers FILE.xlsx",
    ),
)


def columns(table: str) -> list[str]:
    """The columns a person types on the table's sheet (not the implied or derived ones)."""
    return [c for c in TABLES[table].columns if c not in IMPLIED and c not in DERIVED_COLUMNS]


def _choices(table: str, column: str) -> list[str]:
    annotation = TABLES[table].model.model_fields[column].annotation
    return [str(v) for v in get_args(annotation) if isinstance(v, str) and v]


def template() -> bytes:
    """The bilingual onboarding workbook: instructions, then one sheet per table."""
    wb = Workbook()
    guide = wb.active
    guide.title = "Instrukcija (Instructions)"
    for row, (lv, en) in enumerate(INSTRUCTIONS, start=1):
        guide.cell(row=row, column=1, value=lv)
        guide.cell(row=row, column=2, value=en)
    templates._style_header(guide[1])
    guide.column_dimensions["A"].width = guide.column_dimensions["B"].width = 90
    for sheet, table in SHEETS.items():
        ws = wb.create_sheet(sheet)
        for col, name in enumerate(columns(table), start=1):
            ws.cell(row=1, column=col, value=name)
            lv, en = HELP.get(name, (name, name))
            ws.cell(row=2, column=col, value=f"{lv}\n{en}")
            ws.column_dimensions[get_column_letter(col)].width = 24
            options = _choices(table, name)
            if options and len(",".join(options)) < 250:  # Excel's limit for a list typed in the rule
                rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
                ws.add_data_validation(rule)
                rule.add(f"{get_column_letter(col)}{FIRST_ROW}:{get_column_letter(col)}500")
        templates._style_header(ws[1])
        templates._style_header(ws[2])
        ws.freeze_panes = f"A{FIRST_ROW}"
    templates._meta(wb, {"kind": KIND, "version": templates.TEMPLATE_VERSION})
    return templates._save(wb)


def read(wb) -> tuple[dict[str, list[tuple[str, int, dict]]], list[tuple[str, int | None, str | None, str, str]]]:
    """The raw rows of each table as (sheet, row number, cells), and the layout problems found
    as (sheet, row, column, reason, code). Values are checked by the importer against the models."""
    found: dict[str, list[tuple[str, int, dict]]] = {}
    problems: list[tuple[str, int | None, str | None, str, str]] = []
    for sheet, table in SHEETS.items():
        if sheet not in wb.sheetnames:
            problems.append((sheet, None, None, f"the sheet '{sheet}' is missing", "onboarding_sheet"))
            continue
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        expected = columns(table)
        if [h for h in header if h not in (None, "")] != expected:
            problems.append((sheet, 1, None, f"row 1 must hold the columns {', '.join(expected)}", "onboarding_header"))
            continue
        for cells in ws.iter_rows(min_row=FIRST_ROW, max_col=len(expected)):
            values = [c.value for c in cells]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            raw = {name: _cell(value) for name, value in zip(expected, values, strict=False)}
            found.setdefault(table, []).append((sheet, cells[0].row, raw))
    municipality = found.get("municipality", [])
    if not problems and len(municipality) != 1:
        problems.append(
            (
                "Pašvaldība (Municipality)",
                FIRST_ROW,
                None,
                f"the municipality sheet must have exactly one row (found {len(municipality)})",
                "onboarding_one_municipality",
            )
        )
    if problems:
        return {}, problems
    code = municipality[0][2].get("code") or ""
    for table, rows in found.items():
        for _sheet, _line, raw in rows:
            raw.update({k: v for k, v in IMPLIED.items() if k in TABLES[table].columns})
            if "municipality" in TABLES[table].columns:
                raw["municipality"] = code
    return found, []


def _cell(value: object) -> object:
    """A cell as the models read a CSV cell: text as typed, dates as ISO text, empty as ''."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "date") else value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
