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


# A third municipality set up through the onboarding workbook: schools (one renamed, one merged in
# the 2021 territorial reform) and Pumpurs figures for the whole municipality only (no school
# breakdown), as a municipality publishes them. Test figures, not a real municipality's.
NEW_MUN = "TST"
NEW_SCHOOLS = [
    {"school_id": "tst_upes_vidusskola", "name": "Upes vidusskola", "school_type": "secondary"},
    {"school_id": "tst_meza_pamatskola", "name": "Meža pamatskola", "school_type": "basic"},
    {"school_id": "tst_lauku_pamatskola", "name": "Lauku pamatskola", "school_type": "basic"},
]
NEW_TOTALS = [  # (measure, period, semester, value, unit)
    ("iap_count", "2022/2023", "I", "140", "plans"),
    ("iap_count", "2022/2023", "II", "146", "plans"),
    ("participants", "2022/2023", "", "180", "pupils"),
    ("participating_schools", "2022/2023", "", "3", "schools"),
    ("funding_eur", "2022/2023", "", "74695.28", "EUR"),
    ("funding_eur_cumulative", "2022/2023", "", "251234.56", "EUR"),
]


def fill_onboarding(
    code: str = NEW_MUN,
    schools: list[dict] | None = None,
    totals: list[tuple] | None = None,
    programme: bool = False,
    extra: dict[str, list[dict]] | None = None,
    template: bytes | None = None,
) -> bytes:
    """The onboarding workbook the Data page hands out (or ``template``, a blank one written
    elsewhere), filled for a test municipality."""
    from data_loaders import onboarding

    wb = load_workbook(io.BytesIO(onboarding.template() if template is None else template))
    sheets = {table: sheet for sheet, table in onboarding.SHEETS.items()}
    src = "test: onboarding workbook"
    rows: dict[str, list[dict]] = {
        "municipality": [
            {
                "code": code,
                "name_lv": "Testa novads",
                "name_en": "Test Municipality",
                "source": src,
                **(
                    {"plan_start": 2025, "plan_end": 2028, "target_year_1": 2026, "target_year_2": 2028}
                    if programme
                    else {}
                ),
            }
        ],
        "school": [
            {"sector": "general", "is_municipal": "true", "source": src, **s}
            for s in (NEW_SCHOOLS if schools is None else schools)
        ],
        "school_event": [
            {
                "school_id": "tst_lauku_pamatskola",
                "event": "merged",
                "event_date": "2021-07-01",
                "other_school_id": "tst_meza_pamatskola",
                "source": src,
            },
            {
                "school_id": "tst_upes_vidusskola",
                "event": "renamed",
                "event_date": "2021-07-01",
                "former_name": "Upes 1. vidusskola",
                "source": src,
            },
        ]
        if schools is None
        else [],
        "stated_total": [
            {"topic": "pumpurs", "measure": m, "period": p, "semester": s, "value": v, "unit": u, "source": src}
            for m, p, s, v, u in (NEW_TOTALS if totals is None else totals)
        ],
    }
    for table, more in (extra or {}).items():
        rows.setdefault(table, []).extend(more)
    for table, records in rows.items():
        ws = wb[sheets[table]]
        columns = onboarding.columns(table)
        for offset, record in enumerate(records):
            for col, name in enumerate(columns, start=1):
                if name in record:
                    ws.cell(row=onboarding.FIRST_ROW + offset, column=col, value=record[name])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def same_named_page_functions(name: str) -> tuple:
    """Two functions called ``name``, defined in two page scripts (``pages/one.py``, ``pages/two.py``),
    which Streamlit runs as ``__main__``: ``f(text)`` returns ``text + " 1"`` and ``text + " 2"``. A
    cache keyed by module and name alone would take one for the other (``ui.data.function_key``)."""
    functions = []
    for n, page in ((1, "pages/one.py"), (2, "pages/two.py")):
        scope = {"__name__": "__main__"}
        exec(compile(f"def {name}(text):\n    return text + ' {n}'", page, "exec"), scope)
        functions.append(scope[name])
    return tuple(functions)
