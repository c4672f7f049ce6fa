"""One pydantic model per input table: types, ranges and known values of every column.

The DuckDB schema (``schema.sql``) states the same rules as constraints; these models check
them first so that a bad file is refused with its row and column named before anything is
written. ``tests/loaders/test_models_match_schema.py`` keeps the two in step.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

SCHOOL_YEAR_RE = r"^[0-9]{4}/[0-9]{4}$"
PERIOD_RE = r"^[0-9]{4}/[0-9]{4}(-[0-9]{4}/[0-9]{4})?$"

Text = Annotated[str, Field(min_length=1)]
SchoolYear = Annotated[str, Field(pattern=SCHOOL_YEAR_RE)]
Period = Annotated[str, Field(pattern=PERIOD_RE)]
Year = Annotated[int, Field(ge=2000, le=2100)]
Count = Annotated[int, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=100)]

Role = Literal[
    "psychologist",
    "speech_therapist",
    "special_educator",
    "social_pedagogue",
    "career_counsellor",
    "teacher_assistant_nurse",
]
RiskGroup = Literal["learning_school", "social_health", "family", "economic"]
SubRisk = Literal[
    "",
    "content_difficulty",
    "lag_previous_stage",
    "low_achievement",
    "language_barrier",
    "peer_conflicts",
    "parents_not_supporting",
    "long_absence",
    "health",
    "social_environment",
    "low_income",
    "other",
]
PreventionLevel = Literal["universal", "targeted", "tailored"]
Semester = Literal["I", "II", "all"]
OutcomeIndicator = Literal[
    "grade9_without_certificate",
    "grade9_without_certificate_pct",
    "grade12_without_certificate",
    "insufficient_yearly_mark",
    "insufficient_yearly_mark_pct",
    "expelled",
    "repeaters",
    "repeaters_pct",
    "low_exam_result",
    "unexcused_hours_per_pupil",
    "max_unexcused_hours_one_pupil",
    "pupils_with_unexcused_absences",
    "avg_unexcused_hours_of_those",
    "special_needs",
    "promoted_insufficient",
    "promoted_insufficient_pct",
    "dropped_out",
    "dropped_out_pct",
    "pupils_end_of_year",
    "transferred_out",
    "transferred_in",
    "pupils_at_risk",
    "extended_school_year",
]


def _refuse(code: str, message: str, column: str, **values: object) -> PydanticCustomError:
    """A rule across columns, refused with a message code (``data.problem.<code>`` in the locale
    files, so the Data page says it in the user's language), the column to point at, and the
    values the message names. ``message`` is the English text, with the values in {braces}."""
    return PydanticCustomError(code, message, {"column": column, **values})


def _check_school_year(value: str, column: str = "school_year") -> None:
    first, second = int(value[:4]), int(value[5:9])
    if second != first + 1:
        raise _refuse(
            "years_not_consecutive", "'{value}' must be two consecutive years, e.g. 2022/2023", column, value=value
        )


def _check_period(value: str) -> None:
    for part in value.split("-"):
        _check_school_year(part, "period")
    if int(value[:4]) > int(value.split("-")[-1][:4]):
        raise _refuse("period_backwards", "period '{value}' ends before it starts", "period", value=value)


class Row(BaseModel):
    """Common behaviour: empty cells of optional columns mean "no data" (None), never 0."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_is_missing(cls, data):
        if isinstance(data, dict):
            data = dict(data)
            for name, field in cls.model_fields.items():
                if not field.is_required() and field.default is None and data.get(name) == "":
                    data[name] = None
        return data


class Municipality(Row):
    """A municipality; its programme's period and target years are optional (a municipality
    without a programme yet is valid), but the period's two ends come together."""

    code: Annotated[str, Field(pattern=r"^[A-Z]{2,6}$")]
    name_lv: Text
    name_en: Text
    is_synthetic: bool
    plan_start: Year | None = None
    plan_end: Year | None = None
    target_year_1: Year | None = None
    target_year_2: Year | None = None
    source: Text

    @model_validator(mode="after")
    def _years(self):
        if (self.plan_start is None) != (self.plan_end is None):
            raise _refuse("plan_pair", "give both plan_start and plan_end, or neither", "plan_end")
        if self.plan_start is not None and self.plan_start > self.plan_end:
            raise _refuse("plan_backwards", "plan_start is after plan_end", "plan_end")
        targets = (self.target_year_1, self.target_year_2)
        if None not in targets and targets[0] >= targets[1]:
            raise _refuse("targets_backwards", "target_year_1 must be before target_year_2", "target_year_2")
        return self


class School(Row):
    school_id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    municipality: Text
    name: Text
    school_type: Literal[
        "secondary",
        "basic",
        "special_basic",
        "state_gymnasium",
        "primary",
        "evening_secondary",
        "boarding",
        "music_basic",
        "college",
        "art",
        "music_art",
        "music",
        "sports",
        "youth_centre",
    ]
    sector: Literal["general", "pre_vocational", "interest", "vocational"]
    is_municipal: bool
    merged_into: str | None = None
    merged_year: Year | None = None
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _merge_pair(self):
        if (self.merged_into is None) != (self.merged_year is None):
            raise _refuse("merge_pair", "merged_into and merged_year must be given together", "merged_year")
        return self


def _derive_years(data, period_column: str, *, end: bool):
    """A school year is written ``2020/2021`` wherever a person types it: ``start_year`` (and
    ``end_year``) may be left out or empty and are derived from it; given, they must match."""
    if isinstance(data, dict) and isinstance(data.get(period_column), str):
        period = data[period_column].strip()
        if re.match(PERIOD_RE, period):
            if data.get("start_year") in (None, ""):
                data = {**data, "start_year": int(period[:4])}
            if end and data.get("end_year") in (None, ""):
                data = {**data, "end_year": int(period.split("-")[-1][:4])}
    return data


class _SchoolYearRow(Row):
    school_year: SchoolYear
    start_year: Year

    @model_validator(mode="before")
    @classmethod
    def _derived(cls, data):
        return _derive_years(data, "school_year", end=False)

    @model_validator(mode="after")
    def _start_matches(self):
        _check_school_year(self.school_year)
        if self.start_year != int(self.school_year[:4]):
            raise _refuse(
                "start_year_mismatch",
                "start_year {value} does not match school year {period}",
                "start_year",
                value=self.start_year,
                period=self.school_year,
            )
        return self


class _PeriodRow(Row):
    period: Period
    start_year: Year
    end_year: Year

    @model_validator(mode="before")
    @classmethod
    def _derived(cls, data):
        return _derive_years(data, "period", end=True)

    @model_validator(mode="after")
    def _years_match(self):
        _check_period(self.period)
        if self.start_year != int(self.period[:4]) or self.end_year != int(self.period.split("-")[-1][:4]):
            raise _refuse(
                "years_mismatch", "start_year/end_year do not match period {period}", "start_year", period=self.period
            )
        return self


class Enrolment(_SchoolYearRow):
    school_id: Text
    grade_band: Literal["1-3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "total"]
    pupils: Count | None = None
    classes: Count | None = None
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _some_value(self):
        if self.pupils is None and self.classes is None:
            raise _refuse("needs_value", "a row needs {columns}", "pupils", columns="pupils, classes")
        return self


class SupportStaff(_SchoolYearRow):
    school_id: Text
    role: Role
    fte: Annotated[float, Field(ge=0, le=10)]
    source: Text
    note: str | None = None


class Pumpurs(_PeriodRow):
    school_id: Text
    semester: Semester
    iap_count: Count | None = None
    participants: Count | None = None
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _some_value(self):
        if self.iap_count is None and self.participants is None:
            raise _refuse("needs_value", "a row needs {columns}", "iap_count", columns="iap_count, participants")
        return self


class Risk(_PeriodRow):
    municipality: Text
    scope: Text
    risk_group: RiskGroup
    sub_risk: SubRisk
    pupils: Count | None = None
    share_pct: Share | None = None
    population: Text
    source: Text
    note: str | None = None


class Outcome(_SchoolYearRow):
    municipality: Text
    scope: Text
    level: Literal["basic", "secondary", "all"]
    indicator: OutcomeIndicator
    subject: Literal["", "mathematics", "english", "latvian", "social_sciences"]
    threshold: Literal["", "<5%", "<10%"]
    value: Annotated[float, Field(ge=0)]
    unit: Literal["pupils", "pct", "hours_per_pupil", "hours"]
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _pct_range(self):
        if self.unit == "pct" and self.value > 100:
            raise _refuse("share_over_100", "a share cannot be over 100 % (got {value})", "value", value=self.value)
        if self.unit == "pupils" and self.value != int(self.value):
            raise _refuse(
                "count_not_whole", "a count of pupils must be a whole number (got {value})", "value", value=self.value
            )
        return self


class Indicator(Row):
    municipality: Text
    indicator_no: Annotated[int, Field(ge=1, le=99)]
    breakdown: Literal["", "basic", "secondary", "extramural"]
    prevention_level: PreventionLevel
    name_lv: Text
    name_en: Text
    unit: Text
    desired_trend: Literal["increase", "decrease", "hold_zero", "keep_low"]
    baseline_value: Share | None = None
    baseline_year: str | None = None
    baseline_text: Text
    data_source_lv: Text
    data_source_en: Text
    ikms_code: str | None = None
    metric_id: str | None = None
    source: Text
    note: str | None = None


class IndicatorTarget(Row):
    municipality: Text
    indicator_no: Annotated[int, Field(ge=1, le=99)]
    breakdown: Literal["", "basic", "secondary", "extramural"]
    target_year: Year
    target_value: Share | None = None
    comparison: Literal["reach", "at_most"]
    target_text: Text
    source: Text


class IndicatorValue(Row):
    municipality: Text
    indicator_no: Annotated[int, Field(ge=1, le=99)]
    breakdown: Literal["", "basic", "secondary", "extramural"]
    period: Annotated[str, Field(pattern=r"^[0-9]{4}(/[0-9]{4})?$")]
    start_year: Year
    value: Share
    source: Text
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _derived(cls, data):
        if isinstance(data, dict) and data.get("start_year") in (None, "") and isinstance(data.get("period"), str):
            head = data["period"].strip()[:4]
            if head.isdigit():
                data = {**data, "start_year": int(head)}
        return data

    @model_validator(mode="after")
    def _start_matches(self):
        if self.start_year != int(self.period[:4]):
            raise _refuse(
                "start_year_mismatch",
                "start_year {value} does not match school year {period}",
                "start_year",
                value=self.start_year,
                period=self.period,
            )
        return self


class Activity(Row):
    municipality: Text
    activity_no: Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]+$")]
    prevention_level: PreventionLevel
    goal_no: Annotated[int, Field(ge=1, le=99)]
    goal_lv: Text
    goal_en: Text
    activity_lv: Text
    activity_en: Text
    expected_result_lv: str | None = None
    responsible_lv: Text
    involved_lv: str | None = None
    funding_source_lv: str | None = None
    funding_source_en: str | None = None
    invested_funding_eur: Annotated[float, Field(ge=0)] | None = None
    source: Text
    note: str | None = None


class ActivityYear(Row):
    municipality: Text
    activity_no: Text
    year: Year
    active: bool
    source: Text


class ActivityReport(Row):
    municipality: Text
    activity_no: Text
    year: Year
    status: Literal["planned", "in_progress", "done", "not_done"]
    participants: Count | None = None
    done_text: str | None = None
    impact_text: str | None = None
    factors_text: str | None = None
    source: Text


# Municipal totals of project Pumpurs that a municipality may report without a school breakdown.
PUMPURS_TOTALS = (
    "iap_count",  # individual support plans (per semester, or a whole school year)
    "participants",  # distinct pupils supported (per school year or a span)
    "participating_schools",
    "participant_share_pct",
    "avg_participant_share_pct",
    "funding_eur",  # project funding in the school year, to the cent
    "funding_eur_cumulative",  # project funding from the start up to the end of the period
)
MONEY = ("funding_eur", "funding_eur_cumulative")


class StatedTotal(Row):
    """A figure stated for the whole municipality: checked against the sum of its schools' rows
    where they exist, and shown as the municipality's figure "not split by school" where not."""

    municipality: Text
    topic: Literal["enrolment", "support_staff", "pumpurs", "outcome"]
    measure: Text
    period: Period
    semester: Literal["", "I", "II", "all"]
    value: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=3)]
    unit: Text
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _pumpurs_measure(self):
        _check_period(self.period)
        if self.topic == "pumpurs" and self.measure not in PUMPURS_TOTALS:
            raise _refuse("one_of", "Input should be {expected}", "measure", expected=", ".join(PUMPURS_TOTALS))
        if self.measure in MONEY and self.value != self.value.quantize(Decimal("0.01")):
            raise _refuse(
                "decimal_max_places",
                "euro amounts have at most 2 decimals, the cents (got {value})",
                "value",
                value=self.value,
            )
        if (self.measure in MONEY) != (self.unit == "EUR"):
            raise _refuse(
                "unit_for_measure",
                "euro amounts (funding_eur, funding_eur_cumulative) and only they have the unit EUR (got {value})",
                "unit",
                value=self.unit,
            )
        return self


class SchoolEvent(Row):
    """A school's history: opened, closed, merged into another school, renamed."""

    school_id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    event: Literal["opened", "closed", "merged", "renamed"]
    event_date: date
    other_school_id: str | None = None
    former_name: str | None = None
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _event_fields(self):
        if (self.event == "merged") != (self.other_school_id is not None):
            raise _refuse("merged_needs_school", "a merger names the school it became part of", "other_school_id")
        if (self.event == "renamed") != (self.former_name is not None):
            raise _refuse("renamed_needs_name", "a renaming gives the former name", "former_name")
        if not 1900 <= self.event_date.year <= 2100:
            raise _refuse("max_value", "the date is out of range (got {value})", "event_date", value=self.event_date)
        return self


class NationalReference(Row):
    """A reference series for all of Latvia, shown beside municipalities and never added to them."""

    measure: Literal["pumpurs_iap_count"]
    period: SchoolYear
    start_year: Year
    value: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
    unit: Text
    source: Text
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _derived(cls, data):
        return _derive_years(data, "period", end=False)

    @model_validator(mode="after")
    def _start_matches(self):
        _check_school_year(self.period, "period")
        if self.start_year != int(self.period[:4]):
            raise _refuse(
                "start_year_mismatch",
                "start_year {value} does not match school year {period}",
                "start_year",
                value=self.start_year,
                period=self.period,
            )
        return self


class PumpursSupport(_PeriodRow):
    """A share of the Pumpurs support mix; ``breakdown`` says what the share is of."""

    municipality: Text
    breakdown: Literal["measure", "subject", "specialist", "funding"]
    item: Literal[
        "subject_consultations",
        "specialist_consultations",
        "economic_support",
        "mathematics",
        "latvian",
        "english",
        "psychologist",
        "social_pedagogue",
        "teacher",
        "speech_therapist",
    ]
    share_pct: Share
    source: Text
    note: str | None = None
