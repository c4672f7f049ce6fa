"""One pydantic model per input table: types, ranges and known values of every column.

The DuckDB schema (``schema.sql``) states the same rules as constraints; these models check
them first so that a bad file is refused with its row and column named before anything is
written. Known values come from ``vocabularies.py``; ``tests/loaders/test_vocabularies.py`` keeps
the models, the schema's CHECK lists and the SQL in step with it.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Annotated, Literal, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from data_loaders.vocabularies import (
    DESIRED_TRENDS,
    ENROLMENT_BANDS,
    EXAM_SUBJECTS,
    EXAM_THRESHOLDS,
    INDICATOR_BREAKDOWNS,
    MONEY,
    NATIONAL_MEASURES,
    OUTCOME_INDICATORS,
    OUTCOME_LEVELS,
    OUTCOME_UNITS,
    PREVENTION_LEVELS,
    PUMPURS_TOTALS,
    REPORT_STATUSES,
    RISK_GROUPS,
    SCHOOL_EVENTS,
    SCHOOL_TYPES,
    SECTORS,
    SEMESTERS,
    STAFF_ROLES,
    STATED_SEMESTERS,
    STATED_TOPICS,
    SUB_RISKS,
    SUPPORT_BREAKDOWNS,
    SUPPORT_ITEMS,
    TARGET_COMPARISONS,
)

SCHOOL_YEAR_RE = r"^[0-9]{4}/[0-9]{4}$"
PERIOD_RE = r"^[0-9]{4}/[0-9]{4}(-[0-9]{4}/[0-9]{4})?$"

# Values are read strictly (``Row``): a number is ASCII digits with an optional sign and decimal
# point, nothing else (no spaces, underscores, thousands separators, exponents, NaN or infinity);
# an integer fits the database's INTEGER, a decimal its DECIMAL(precision, scale) without rounding.
INT32_MAX = 2**31 - 1
MAX_TEXT = 1000  # characters in any text cell: free text is short by design
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]{1,40}(?:\.[0-9]{1,40})?")
# C0 control characters (tab and line breaks allowed) and the bidirectional overrides that make
# text read differently from what it holds
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
# what a spreadsheet reads as a formula (= + - @ first), and Markdown or HTML that a page would render
FORMULA_START = "=+-@"
MARKUP = re.compile(r"!\[|\]\(|<[A-Za-z!/?]|javascript:|data:text", re.IGNORECASE)


def _refuse(code: str, message: str, column: str, **values: object) -> PydanticCustomError:
    """A rule across columns, refused with a message code (``data.problem.<code>`` in the locale
    files, so the Data page says it in the user's language), the column to point at, and the
    values the message names. ``message`` is the English text, with the values in {braces}."""
    return PydanticCustomError(code, message, {"column": column, **values})


def fits(precision: int, scale: int):
    """A decimal column's DECIMAL(precision, scale): more decimals than ``scale`` are refused, not
    rounded; so is a number too large for the column."""
    limit = Decimal(10) ** (precision - scale)

    def check(value):
        if value is None:
            return value
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise PydanticCustomError("not_finite", "must be a finite number (got {value})", {"value": value})
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -scale:
            raise PydanticCustomError(
                "too_many_decimals", "at most {places} decimals (got {value})", {"places": scale, "value": value}
            )
        if abs(number) >= limit:
            raise PydanticCustomError("number_too_large", "too large for this column (got {value})", {"value": value})
        return value

    return AfterValidator(check)


Text = Annotated[str, Field(min_length=1)]
SchoolYear = Annotated[str, Field(pattern=SCHOOL_YEAR_RE)]
Period = Annotated[str, Field(pattern=PERIOD_RE)]
Year = Annotated[int, Field(ge=2000, le=2100)]
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
Share = Annotated[float, Field(ge=0, le=100), fits(8, 3)]

Role = Literal[STAFF_ROLES]
RiskGroup = Literal[RISK_GROUPS]
SubRisk = Literal[SUB_RISKS]
PreventionLevel = Literal[PREVENTION_LEVELS]
Semester = Literal[SEMESTERS]
OutcomeIndicator = Literal[OUTCOME_INDICATORS]


def _check_school_year(value: str, column: str = "school_year") -> None:
    first, second = int(value[:4]), int(value[5:9])
    if second != first + 1:
        raise _refuse(
            "years_not_consecutive", "'{value}' must be two consecutive years, e.g. 2022/2023", column, value=value
        )


def _check_start_year(start_year: int, value: str, column: str) -> None:
    """``start_year`` is the first year of ``value``: a school year (two consecutive years) or, where
    the column allows it, a calendar year, which stands alone."""
    if "/" in value:
        _check_school_year(value, column)
    if start_year != int(value[:4]):
        raise _refuse(
            "start_year_mismatch",
            "start_year {value} does not match school year {period}",
            "start_year",
            value=start_year,
            period=value,
        )


def _check_period(value: str) -> None:
    for part in value.split("-"):
        _check_school_year(part, "period")
    if int(value[:4]) > int(value.split("-")[-1][:4]):
        raise _refuse("period_backwards", "period '{value}' ends before it starts", "period", value=value)


class Row(BaseModel):
    """Common behaviour: empty cells of optional columns mean "no data" (None), never 0; every
    value is read strictly (``_strict``) before its type and range are checked."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_is_missing(cls, data):
        if isinstance(data, dict):
            data = dict(data)
            for name, field in cls.model_fields.items():
                if not field.is_required() and field.default is None and data.get(name) == "":
                    data[name] = None
            _strict(cls, data)
        return data


@cache
def _number_columns(model: type[BaseModel]) -> dict[str, type]:
    """The model's numeric columns and their type (int, float or Decimal)."""
    found = {}
    for name, field in model.model_fields.items():
        # int, int | None, Annotated[int, ...] | None: the type itself, a union's members, Annotated's first
        members = [field.annotation, *get_args(field.annotation)]
        members = [get_args(a)[0] if get_origin(a) is Annotated else a for a in members]
        kinds = [a for a in members if a in (int, float, Decimal)]
        if kinds:
            found[name] = kinds[0]
    return found


def _strict(model: type[BaseModel], data: dict) -> None:
    """Refuse what a lenient parser would turn into a number or keep as text unseen: "7_7" (77),
    "1e3", "NaN", infinity, True as 1; control characters (a NUL byte), text a spreadsheet would
    run as a formula, Markdown links or images and HTML, and text longer than ``MAX_TEXT``."""
    numbers = _number_columns(model)
    for name, value in data.items():
        kind = numbers.get(name)
        if kind is not None:
            _strict_number(name, value, kind)
        elif isinstance(value, str):
            _strict_text(name, value)


def _strict_number(name: str, value: object, kind: type) -> None:
    if isinstance(value, bool):
        raise _refuse("not_number", "must be a number (got {value})", name, value=value)
    if isinstance(value, float | Decimal):
        try:
            finite = math.isfinite(value)
        except (InvalidOperation, ValueError):
            finite = False
        if not finite:
            raise _refuse("not_finite", "must be a finite number (got {value})", name, value=value)
        return
    if not isinstance(value, str) or not value.strip():
        return
    text = value.strip()
    # an integer column's word ("daudz") keeps the type's own message; a decimal parser would read "nan"
    if not PLAIN_NUMBER.fullmatch(text) and (kind is not int or any(c.isdigit() for c in text)):
        raise _refuse(
            "number_syntax",
            "must be written with digits and an optional decimal point only: no spaces, underscores, "
            "thousands separators or exponents (got {value})",
            name,
            value=value,
        )
    if kind is int and "." in text:
        raise _refuse("not_whole", "must be a whole number (got {value})", name, value=value)


def _strict_text(name: str, value: str) -> None:
    found = text_rule(value)
    if found:
        code, message, params = found
        raise _refuse(code, message, name, **params)


def text_rule(value: str) -> tuple[str, str, dict] | None:
    """What is wrong with a text cell, as (code, English message with {fields}, fields), or None."""
    text = value.strip()
    if len(value) > MAX_TEXT:
        return "text_too_long", "at most {limit} characters (got {length})", {"limit": MAX_TEXT, "length": len(value)}
    if found := CONTROL.search(value):
        return "control_character", "holds the control character {char}", {"char": f"U+{ord(found.group()):04X}"}
    if text and text[0] in FORMULA_START and not PLAIN_NUMBER.fullmatch(text) and text != "-":
        message = "text must not start with = + - @ (a spreadsheet would run it as a formula; got {value})"
        return "formula_text", message, {"value": value[:60]}
    if MARKUP.search(value):
        return "markup_text", "text must not hold links, images or HTML (got {value})", {"value": value[:60]}
    return None


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
    school_type: Literal[SCHOOL_TYPES]
    sector: Literal[SECTORS]
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
        _check_start_year(self.start_year, self.school_year, "school_year")
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
    grade_band: Literal[ENROLMENT_BANDS]
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
    fte: Annotated[float, Field(ge=0, le=10), fits(6, 3)]
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
    share_pct: Annotated[float, Field(ge=0, le=100), fits(6, 2)] | None = None
    population: Text
    source: Text
    note: str | None = None


class Outcome(_SchoolYearRow):
    municipality: Text
    scope: Text
    level: Literal[OUTCOME_LEVELS]
    indicator: OutcomeIndicator
    subject: Literal[EXAM_SUBJECTS]
    threshold: Literal[EXAM_THRESHOLDS]
    value: Annotated[float, Field(ge=0), fits(12, 4)]
    unit: Literal[OUTCOME_UNITS]
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _pct_range(self):
        unit = outcome_unit(self.indicator)
        if self.unit != unit:
            raise _refuse(
                "unit_for_indicator",
                "the indicator {indicator} is measured in {expected} (got {value})",
                "unit",
                indicator=self.indicator,
                expected=unit,
                value=self.unit,
            )
        if self.unit == "pct" and self.value > 100:
            raise _refuse("share_over_100", "a share cannot be over 100 % (got {value})", "value", value=self.value)
        if self.unit == "pupils" and self.value != int(self.value):
            raise _refuse(
                "count_not_whole", "a count of pupils must be a whole number (got {value})", "value", value=self.value
            )
        return self


def outcome_unit(indicator: str) -> str:
    """The one unit an outcome indicator is measured in: a share in percent, hours per pupil, the
    hours of one pupil, else a count of pupils."""
    if indicator.endswith("_pct"):
        return "pct"
    if indicator in ("unexcused_hours_per_pupil", "avg_unexcused_hours_of_those"):
        return "hours_per_pupil"
    return "hours" if indicator == "max_unexcused_hours_one_pupil" else "pupils"


class Indicator(Row):
    municipality: Text
    indicator_no: Annotated[int, Field(ge=1, le=99)]
    breakdown: Literal[INDICATOR_BREAKDOWNS]
    prevention_level: PreventionLevel
    name_lv: Text
    name_en: Text
    unit: Text
    desired_trend: Literal[DESIRED_TRENDS]
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
    breakdown: Literal[INDICATOR_BREAKDOWNS]
    target_year: Year
    target_value: Share | None = None
    comparison: Literal[TARGET_COMPARISONS]
    target_text: Text
    source: Text


class IndicatorValue(Row):
    municipality: Text
    indicator_no: Annotated[int, Field(ge=1, le=99)]
    breakdown: Literal[INDICATOR_BREAKDOWNS]
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
        _check_start_year(self.start_year, self.period, "period")
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
    invested_funding_eur: Annotated[float, Field(ge=0), fits(12, 2)] | None = None
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
    status: Literal[REPORT_STATUSES]
    participants: Count | None = None
    done_text: str | None = None
    impact_text: str | None = None
    factors_text: str | None = None
    source: Text


class StatedTotal(Row):
    """A figure stated for the whole municipality: checked against the sum of its schools' rows
    where they exist, and shown as the municipality's figure "not split by school" where not."""

    municipality: Text
    topic: Literal[STATED_TOPICS]
    measure: Text
    period: Period
    semester: Literal[STATED_SEMESTERS]
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
        share = self.measure.endswith("_pct")
        if share != (self.unit.startswith("%") or self.unit == "pct"):
            raise _refuse(
                "unit_for_measure_pct",
                "a share (a measure ending in _pct) and only a share has a unit in % (got {value})",
                "unit",
                value=self.unit,
            )
        if share and self.value > 100:
            raise _refuse("share_over_100", "a share cannot be over 100 % (got {value})", "value", value=self.value)
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
    event: Literal[SCHOOL_EVENTS]
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

    measure: Literal[NATIONAL_MEASURES]
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
        _check_start_year(self.start_year, self.period, "period")
        return self


class PumpursSupport(_PeriodRow):
    """A share of the Pumpurs support mix; ``breakdown`` says what the share is of."""

    municipality: Text
    breakdown: Literal[SUPPORT_BREAKDOWNS]
    item: Literal[SUPPORT_ITEMS]
    share_pct: Annotated[float, Field(ge=0, le=100), fits(5, 2)]
    source: Text
    note: str | None = None
