"""Every fixed list of values in one place: the models (``models.py``) read them, and the schema's
CHECK lists and the SQL files that name them are tested against them (``CHECKED`` below;
``tests/loaders/test_vocabularies.py``). To add a value: add it here, to the CHECK in ``schema.sql``
and in a new migration (``data_loaders/migrations/``), and its label to the locale files.

The order is the order the pages show them in.
"""

from __future__ import annotations

SCHOOL_TYPES = (
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
)
SECTORS = ("general", "pre_vocational", "interest", "vocational")
SCHOOL_EVENTS = ("opened", "closed", "merged", "renamed")
GRADE_BANDS = ("1-3", "4", "5", "6", "7", "8", "9", "10", "11", "12")
ENROLMENT_BANDS = (*GRADE_BANDS, "total")  # a band, or the school's stated total

# Support staff: the norm is about the first four; the other two are shown for context.
NORM_ROLES = ("psychologist", "speech_therapist", "special_educator", "social_pedagogue")
CONTEXT_ROLES = ("career_counsellor", "teacher_assistant_nurse")
STAFF_ROLES = NORM_ROLES + CONTEXT_ROLES

SEMESTERS = ("I", "II", "all")  # "all": the whole school year
STATED_SEMESTERS = ("", *SEMESTERS)  # a stated total may be for no semester in particular

RISK_GROUPS = ("learning_school", "social_health", "family", "economic")
SUB_RISKS = (
    "",  # the group as a whole
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
)
PREVENTION_LEVELS = ("universal", "targeted", "tailored")

OUTCOME_LEVELS = ("basic", "secondary", "all")
OUTCOME_INDICATORS = (
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
)
EXAM_SUBJECTS = ("", "mathematics", "english", "latvian", "social_sciences")
EXAM_THRESHOLDS = ("", "<5%", "<10%")
OUTCOME_UNITS = ("pupils", "pct", "hours_per_pupil", "hours")

INDICATOR_BREAKDOWNS = ("", "basic", "secondary", "extramural")
DESIRED_TRENDS = ("increase", "decrease", "hold_zero", "keep_low")
TARGET_COMPARISONS = ("reach", "at_most")
REPORT_STATUSES = ("planned", "in_progress", "done", "not_done")

STATED_TOPICS = ("enrolment", "support_staff", "pumpurs", "outcome")
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
NATIONAL_MEASURES = ("pumpurs_iap_count",)

SUPPORT_BREAKDOWNS = ("measure", "subject", "specialist", "funding")
SUPPORT_ITEMS = (
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
)

IMPORT_RESULTS = ("built", "imported", "refused", "restored")
ACCOUNT_ROLES = ("admin", "school_reporter", "viewer")

# (table, column) -> its vocabulary: every `column IN (...)` CHECK of schema.sql, exactly.
CHECKED: dict[tuple[str, str], tuple[str, ...]] = {
    ("school", "school_type"): SCHOOL_TYPES,
    ("school", "sector"): SECTORS,
    ("school_event", "event"): SCHOOL_EVENTS,
    ("enrolment", "grade_band"): ENROLMENT_BANDS,
    ("support_staff", "role"): STAFF_ROLES,
    ("pumpurs", "semester"): SEMESTERS,
    ("risk", "risk_group"): RISK_GROUPS,
    ("risk", "sub_risk"): SUB_RISKS,
    ("outcome", "level"): OUTCOME_LEVELS,
    ("outcome", "indicator"): OUTCOME_INDICATORS,
    ("outcome", "subject"): EXAM_SUBJECTS,
    ("outcome", "threshold"): EXAM_THRESHOLDS,
    ("outcome", "unit"): OUTCOME_UNITS,
    ("indicator", "breakdown"): INDICATOR_BREAKDOWNS,
    ("indicator", "prevention_level"): PREVENTION_LEVELS,
    ("indicator", "desired_trend"): DESIRED_TRENDS,
    ("indicator_target", "comparison"): TARGET_COMPARISONS,
    ("activity", "prevention_level"): PREVENTION_LEVELS,
    ("activity_report", "status"): REPORT_STATUSES,
    ("stated_total", "topic"): STATED_TOPICS,
    ("stated_total", "semester"): STATED_SEMESTERS,
    ("national_reference", "measure"): NATIONAL_MEASURES,
    ("import_log", "result"): IMPORT_RESULTS,
    ("pumpurs_support", "breakdown"): SUPPORT_BREAKDOWNS,
    ("pumpurs_support", "item"): SUPPORT_ITEMS,
    ("account", "role"): ACCOUNT_ROLES,
}
# Columns whose values the models check but schema.sql does not (a CHECK would need a migration).
MODELS_ONLY: dict[tuple[str, str], tuple[str, ...]] = {
    ("indicator_target", "breakdown"): INDICATOR_BREAKDOWNS,
    ("indicator_value", "breakdown"): INDICATOR_BREAKDOWNS,
}
