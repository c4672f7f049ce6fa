"""Rows for tiny test databases: valid defaults, with any column overridden by keyword."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from data_loaders import templates

SRC = "test"


def municipality(code: str = "AAA", **columns) -> dict:
    return {
        "code": code,
        "name_lv": code,
        "name_en": code,
        "is_synthetic": False,
        "plan_start": 2024,
        "plan_end": 2027,
        "target_year_1": 2025,
        "target_year_2": 2027,
        "source": SRC,
        **columns,
    }


def school(school_id: str, municipality: str = "AAA", **columns) -> dict:
    return {
        "school_id": school_id,
        "municipality": municipality,
        "name": school_id.upper(),
        "school_type": "basic",
        "sector": "general",
        "is_municipal": True,
        "source": SRC,
        **columns,
    }


def enrolment(school_id: str, school_year: str, pupils: int | None, grade_band: str = "total", **columns) -> dict:
    """A pupil count; a row without one carries a class count (the schema wants one of the two)."""
    return {
        "school_id": school_id,
        "school_year": school_year,
        "start_year": int(school_year[:4]),
        "grade_band": grade_band,
        "pupils": pupils,
        "classes": 3 if pupils is None else None,
        "source": f"enrolment {school_id}",
        **columns,
    }


def staff(school_id: str, role: str, fte: float, school_year: str = "2022/2023", **columns) -> dict:
    return {
        "school_id": school_id,
        "school_year": school_year,
        "start_year": int(school_year[:4]),
        "role": role,
        "fte": fte,
        "source": SRC,
        **columns,
    }


# A filled annex 6 (the school's yearly PMP report) for a demo school's next year.
SCHOOL, MUN, YEAR = "demo_ezermalas_vidusskola", "DEMO", "2025/2026"


def fill_annex6(values: dict[tuple[str, str], object], school: str = SCHOOL, year: str = YEAR) -> bytes:
    """The template the Data page hands out, with ``values`` typed into (field key, level) cells."""
    wb = load_workbook(io.BytesIO(templates.annex6_template(school, "Ezermalas vidusskola", MUN, year)))
    ws = wb["Pielikums 6"]
    rows = {row[1].value: row[0].row for row in ws.iter_rows(min_row=templates.FIRST_FIELD_ROW)}
    for (key, level), value in values.items():
        ws[f"{templates.LEVEL_COLUMNS[level]}{rows[key]}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FIGURES = {
    ("pupils_start", "all"): 212,
    ("pupils_end", "all"): 205,
    ("transferred_out", "all"): 9,
    ("transferred_in", "all"): 2,
    ("at_risk", "basic"): 17,
    ("at_risk", "secondary"): 6,
    ("dropped_out", "basic"): 0,
    ("dropped_out", "secondary"): 2,
    ("risk_learning_school", "all"): 15,
    ("risk_family", "all"): 5,
    ("unexcused_hours", "basic"): 6.25,
    ("unexcused_hours", "secondary"): 11.5,
    ("insufficient_mark", "basic"): 3,
    ("grade9_enrolled", "basic"): 24,
    ("grade9_certificate", "basic"): 22,
    ("grade9_report_only", "basic"): 2,
    ("grade12_enrolled", "secondary"): 18,
    ("grade12_diploma", "secondary"): 17,
    ("grade12_report_only", "secondary"): 1,
}
