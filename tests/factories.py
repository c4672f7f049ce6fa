"""Rows for tiny test databases: valid defaults, with any column overridden by keyword."""

from __future__ import annotations

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
