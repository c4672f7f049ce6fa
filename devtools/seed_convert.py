"""Convert the programmes' tidy seed CSVs (../shared/seed_data) into this project's tables.

Run once by a developer when the seeds change: ``python -m devtools.seed_convert``.
The output in ``sample_data/real/`` is committed; ``tests/loaders/test_reproducible.py``
checks that it is still exactly what this script produces. Every row keeps the seed's
``source``; municipal totals printed in the documents go to ``stated_total`` so the
per-school rows can be checked against them instead of being added twice.
"""

from __future__ import annotations

import argparse
import csv
import unicodedata
from collections import defaultdict
from pathlib import Path

from data_loaders.tables import TABLES, merge_events, write_csv

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT.parent / "shared" / "seed_data"
OUT_DIR = ROOT / "sample_data" / "real"

MUNICIPALITIES = {"Ludzas novads": "LUD", "Jēkabpils novads": "JEK"}

MUNICIPALITY_ROWS = [
    {
        "code": "LUD",
        "name_lv": "Ludzas novads",
        "name_en": "Ludza municipality",
        "is_synthetic": "false",
        "plan_start": "2024",
        "plan_end": "2027",
        "target_year_1": "2025",
        "target_year_2": "2027",
        "source": "000_1fa73b8ac5d971ff.txt | title page; 3.2.tab.",
    },
    {
        "code": "JEK",
        "name_lv": "Jēkabpils novads",
        "name_en": "Jēkabpils municipality",
        "is_synthetic": "false",
        "plan_start": "2024",
        "plan_end": "2028",
        "target_year_1": "2026",
        "target_year_2": "2028",
        "source": "004_b7416a05c39121db.txt | title page; 2.3. tabula",
    },
]

SCHOOL_TYPES = {
    "secondary school (grades 1-12)": "secondary",
    "basic school (grades 1-9)": "basic",
    "music basic school": "music_basic",
    "art school": "art",
    "music and art school": "music_art",
    "sports school": "sports",
    "children and youth centre": "youth_centre",
    "state gymnasium": "state_gymnasium",
    "special basic school": "special_basic",
    "boarding school": "boarding",
    "evening secondary school": "evening_secondary",
    "primary school (lower grades)": "primary",
    "college (vocational/short-cycle higher education)": "college",
    "music school": "music",
}
SECTORS = {
    "general education": "general",
    "pre-vocational (arts/music/sport) education": "pre_vocational",
    "interest (extracurricular) education": "interest",
    "vocational education": "vocational",
}
ROLES = {
    "psihologs": "psychologist",
    "logopēds": "speech_therapist",
    "speciālais pedagogs": "special_educator",
    "sociālais pedagogs": "social_pedagogue",
    "karjeras konsultants": "career_counsellor",
    "medmāsa/pedagoga palīgs": "teacher_assistant_nurse",
}
RISK_GROUPS = {
    "learning / school-environment risks": "learning_school",
    "social-environment and health risks": "social_health",
    "family-related risks": "family",
    "economic risks": "economic",
}
SUB_RISKS = {
    "": "",
    "difficulties learning the curriculum content": "content_difficulty",
    "lagging behind from the previous education stage": "lag_previous_stage",
    "low achievement": "low_achievement",
    "language barrier": "language_barrier",
    "conflicts with classmates/schoolmates": "peer_conflicts",
    "parents do not support the pupil's learning": "parents_not_supporting",
    "long absence": "long_absence",
    "other": "other",
}
LEVELS = {"pamatskola": "basic", "vidusskola": "secondary", "all": "all", "grades 1-12": "all"}
SUBJECTS = {
    "": "",
    "mathematics (matemātika)": "mathematics",
    "social sciences (sociālās zinības)": "social_sciences",
    "English (angļu valoda)": "english",
}
OUTCOME_INDICATORS = {
    "grade12_finished_without_secondary_certificate": "grade12_without_certificate",
    "pupils_with_insufficient_yearly_mark": "insufficient_yearly_mark",
    "pupils_with_insufficient_yearly_mark_share": "insufficient_yearly_mark_pct",
    "pupils_expelled": "expelled",
    "repeaters": "repeaters",
    "repeaters_share": "repeaters_pct",
    "pupils_with_low_centralised_exam_result": "low_exam_result",
    "unexcused_absence_hours_per_pupil": "unexcused_hours_per_pupil",
    "max_unexcused_absence_hours_single_pupil": "max_unexcused_hours_one_pupil",
    "pupils_with_unexcused_absences": "pupils_with_unexcused_absences",
    "avg_unexcused_hours_of_those_pupils": "avg_unexcused_hours_of_those",
    "pupils_with_special_needs": "special_needs",
    "promoted_with_insufficient_marks": "promoted_insufficient",
    "promoted_with_insufficient_marks_share": "promoted_insufficient_pct",
    "dropped_out_not_continuing_elsewhere": "dropped_out",
    "dropped_out_not_continuing_elsewhere_share": "dropped_out_pct",
}
UNITS = {
    "pupils": "pupils",
    "%": "pct",
    "% (as printed)": "pct",
    "% of pupils": "pct",
    "hours per pupil": "hours_per_pupil",
    "hours per listed pupil": "hours_per_pupil",
    "hours": "hours",
}
PREVENTION_LEVELS = {"universal": "universal", "targeted": "targeted", "tailored (indicated)": "tailored"}
BREAKDOWNS = {
    "": "",
    "basic school": "basic",
    "secondary school": "secondary",
    "part-time / distance (extramural) programmes": "extramural",
}
TRENDS = {
    "increase": "increase",
    "decrease": "decrease",
    "hold at 0": "hold_zero",
    "keep low (target is a ceiling above the baseline)": "keep_low",
}
# Indicators the dashboard can also compute from school data: (municipality, no, breakdown) -> metric id.
# Jēkabpils 8 is the dropout share of table 1.7. Ludza's early-leaving lines have no dropout counts in
# the document (its "expelled" pupils are on another basis), so they are not linked.
INDICATOR_METRICS = {("JEK", "8", ""): "dropout_rate"}

# other.csv, topic "Pumpurs support measures": item (as in the seed) -> (breakdown, item)
PUMPURS_SUPPORT = {
    "share of support measures: subject consultations": ("measure", "subject_consultations"),
    "share of support measures: support-specialist consultations": ("measure", "specialist_consultations"),
    "share of support measures: economic support": ("measure", "economic_support"),
    "share of individual subject consultations given in mathematics": ("subject", "mathematics"),
    "share of individual subject consultations given in Latvian": ("subject", "latvian"),
    "share of individual subject consultations given in English": ("subject", "english"),
    "share of project funding used for support-specialist consultations": ("funding", "specialist_consultations"),
    "share of support-specialist consultations given by a psychologist": ("specialist", "psychologist"),
    "share of support-specialist consultations given by a social pedagogue": ("specialist", "social_pedagogue"),
    "share of support-specialist consultations given by a teacher": ("specialist", "teacher"),
    "share of support-specialist consultations given by a speech therapist": ("specialist", "speech_therapist"),
}


def school_id(municipality_code: str, name: str) -> str:
    """A stable ascii id: municipality code plus the school's name without diacritics."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = "".join(c if c.isalnum() else "_" for c in ascii_name.lower())
    slug = "_".join(part for part in slug.split("_") if part)
    return f"{municipality_code.lower()}_{slug}"


def start_year(period: str) -> int:
    return int(period[:4])


def end_year(period: str) -> int:
    return int(period.split("-")[-1][:4])


def read_seed(name: str, seed_dir: Path) -> list[dict[str, str]]:
    with (seed_dir / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _merge_source(rows: dict, key: tuple, row: dict) -> None:
    """Keep the first row of a key; a second printing of the same figure adds its source."""
    if key in rows:
        first = rows[key]
        if first["value"] != row["value"]:
            raise ValueError(f"conflicting stated totals for {key}: {first['value']} vs {row['value']}")
        if row["source"] not in first["source"]:
            first["source"] = f"{first['source']}; {row['source']}"
        return
    rows[key] = row


def _schools(seed_dir: Path) -> tuple[list[dict[str, str]], dict[tuple[str, str], str]]:
    """The schools, parents first, and each (municipality, school name)'s school_id."""
    ids: dict[tuple[str, str], str] = {}
    schools = []
    for r in read_seed("schools", seed_dir):
        code = MUNICIPALITIES[r["municipality"]]
        sid = school_id(code, r["school"])
        ids[(r["municipality"], r["school"])] = sid
        schools.append(
            {
                "school_id": sid,
                "municipality": code,
                "name": r["school"],
                "school_type": SCHOOL_TYPES[r["school_type_en"]],
                "sector": SECTORS[r["sector_en"]],
                "is_municipal": "false" if r["school_type_en"].startswith("college") else "true",
                "merged_into": "",
                "merged_year": r["merged_year"],
                "source": r["source"],
                "note": " ".join(x for x in (r["status_note"], r["note"]) if x),
                "_merged_into_name": r["merged_into"],
                "_municipality_name": r["municipality"],
            }
        )
    for s in schools:
        if s["_merged_into_name"]:
            s["merged_into"] = ids[(s["_municipality_name"], s["_merged_into_name"])]
        del s["_merged_into_name"], s["_municipality_name"]
    # Parents before the schools merged into them, so the self-reference resolves on insert.
    schools.sort(key=lambda s: (s["merged_into"] != "", s["municipality"], s["school_id"]))
    return schools, ids


class _Stated(dict):
    """Municipal totals stated in the documents, one row a (municipality, topic, measure, period,
    semester); a figure printed in several places keeps every source."""

    def add(self, municipality, topic, measure, period, semester, value, unit, source, note=""):
        row = {
            "municipality": MUNICIPALITIES[municipality],
            "topic": topic,
            "measure": measure,
            "period": period,
            "semester": semester,
            "value": value,
            "unit": unit,
            "source": source,
            "note": note,
        }
        _merge_source(self, (row["municipality"], topic, measure, period, semester), row)


def _enrolment(seed_dir: Path, ids: dict, stated: _Stated) -> list[dict[str, str]]:
    """Pupils and classes per school, year and grade band; municipal totals go to ``stated``."""
    enrolment: dict[tuple, dict[str, str]] = {}
    for r in read_seed("enrolment", seed_dir):
        if r["school"] == "ALL":
            stated.add(
                r["municipality"],
                "enrolment",
                r["measure"],
                r["school_year"],
                "",
                r["value"],
                r["unit"],
                r["source"],
                r["note"],
            )
            continue
        if r["measure"] == "avg_pupils_per_class":
            continue  # derived: pupils / classes
        key = (ids[(r["municipality"], r["school"])], r["school_year"], r["grade_band"])
        row = enrolment.setdefault(
            key,
            {
                "school_id": key[0],
                "school_year": key[1],
                "start_year": str(start_year(key[1])),
                "grade_band": key[2],
                "pupils": "",
                "classes": "",
                "source": r["source"],
                "note": r["note"],
            },
        )
        row[r["measure"]] = r["value"]
    return list(enrolment.values())


def _support_staff(seed_dir: Path, ids: dict, stated: _Stated) -> list[dict[str, str]]:
    """FTE per school, year and role; municipal totals and project hours go to ``stated``."""
    staff = []
    for r in read_seed("support_staff_fte", seed_dir):
        if r["value_type"] == "school_value":
            staff.append(
                {
                    "school_id": ids[(r["municipality"], r["school"])],
                    "school_year": r["school_year"],
                    "start_year": str(start_year(r["school_year"])),
                    "role": ROLES[r["role_lv"]],
                    "fte": r["value"],
                    "source": r["source"],
                    "note": r["note"],
                }
            )
        elif r["value_type"] == "municipal_total_stated":
            stated.add(
                r["municipality"],
                "support_staff",
                ROLES[r["role_lv"]],
                r["school_year"],
                "",
                r["value"],
                "fte",
                r["source"],
                r["note"],
            )
        else:
            stated.add(
                r["municipality"],
                "support_staff",
                "project_support_hours",
                r["school_year"],
                "",
                r["value"],
                "hours",
                r["source"],
                r["note"],
            )
    return staff


def _pumpurs(seed_dir: Path, ids: dict, stated: _Stated) -> list[dict[str, str]]:
    """Support plans and pupils per school and semester; a school's year total is checked against its
    semesters, not stored; municipal totals go to ``stated``."""
    pumpurs = []
    row_totals: dict[tuple[str, str], float] = {}
    school_sums: dict[tuple[str, str], float] = defaultdict(float)
    for r in read_seed("pumpurs_participation", seed_dir):
        if r["school"].startswith("ALL"):
            stated.add(
                r["municipality"],
                "pumpurs",
                r["measure"],
                r["school_year"],
                r["semester"],
                r["value"],
                r["unit"],
                r["source"],
                r["note"],
            )
            continue
        sid = ids[(r["municipality"], r["school"])]
        if r["semester"] == "all" and r["measure"] == "iap_count":
            row_totals[(sid, r["school_year"])] = float(r["value"])  # checked below, not stored
            continue
        if r["measure"] == "iap_count":
            school_sums[sid] += float(r["value"])
        pumpurs.append(
            {
                "school_id": sid,
                "period": r["school_year"],
                "start_year": str(start_year(r["school_year"])),
                "end_year": str(end_year(r["school_year"])),
                "semester": r["semester"] or "all",
                "iap_count": r["value"] if r["measure"] == "iap_count" else "",
                "participants": r["value"] if r["measure"] == "participants" else "",
                "source": r["source"],
                "note": r["note"],
            }
        )
    for (sid, _period), total in row_totals.items():
        if abs(school_sums[sid] - total) > 1e-9:
            raise ValueError(f"Pumpurs row total of {sid} is {total}, semesters sum to {school_sums[sid]}")
    return pumpurs


def _risk(seed_dir: Path) -> list[dict[str, str]]:
    """Shares of pupils at risk by group and sub-risk, for the municipality."""
    risk = []
    for r in read_seed("risk_groups", seed_dir):
        code = MUNICIPALITIES[r["municipality"]]
        risk.append(
            {
                "municipality": code,
                "scope": code,
                "period": r["period"],
                "start_year": str(start_year(r["period"])),
                "end_year": str(end_year(r["period"])),
                "risk_group": RISK_GROUPS[r["risk_group_en"]],
                "sub_risk": SUB_RISKS[r["sub_risk_en"]],
                "pupils": "",
                "share_pct": r["share_pct"],
                "population": r["population"],
                "source": r["source"],
                "note": r["note"],
            }
        )
    return risk


def _outcomes(seed_dir: Path, ids: dict) -> list[dict[str, str]]:
    """Outcome indicators per school or municipality and year, in this project's indicator names."""
    outcome = []
    for r in read_seed("outcomes", seed_dir):
        code = MUNICIPALITIES[r["municipality"]]
        unit = UNITS[r["unit"]]
        indicator = r["indicator"]
        if indicator == "grade9_finished_without_basic_education_certificate":
            indicator = "grade9_without_certificate_pct" if unit == "pct" else "grade9_without_certificate"
        else:
            indicator = OUTCOME_INDICATORS[indicator]
        outcome.append(
            {
                "municipality": code,
                "scope": code if r["school"] == "ALL" else ids[(r["municipality"], r["school"])],
                "school_year": r["school_year"],
                "start_year": str(start_year(r["school_year"])),
                "level": LEVELS[r["level"]],
                "indicator": indicator,
                "subject": SUBJECTS[r["subject"]],
                "threshold": r["threshold"],
                "value": r["value"],
                "unit": unit,
                "source": r["source"],
                "note": r["note"],
            }
        )
    return outcome


def _indicators(seed_dir: Path, outcome: list[dict[str, str]]) -> tuple[list, list, list]:
    """The result indicators, their two targets each, and the yearly values known from the outcomes."""
    indicators, targets, values = [], [], []
    for r in read_seed("indicators", seed_dir):
        code = MUNICIPALITIES[r["municipality"]]
        breakdown = BREAKDOWNS[r["breakdown_en"]]
        name_lv = r["indicator_lv"] + (f" ({r['breakdown_lv']})" if r["breakdown_lv"] else "")
        name_en = r["indicator_en"] + (f" ({r['breakdown_en']})" if r["breakdown_en"] else "")
        indicators.append(
            {
                "municipality": code,
                "indicator_no": r["indicator_no"],
                "breakdown": breakdown,
                "prevention_level": PREVENTION_LEVELS[r["prevention_level_en"]],
                "name_lv": name_lv,
                "name_en": name_en,
                "unit": r["unit"],
                "desired_trend": TRENDS[r["desired_trend"]],
                "baseline_value": r["baseline_value"],
                "baseline_year": r["baseline_year"],
                "baseline_text": r["baseline_text"],
                "data_source_lv": r["data_source_lv"],
                "data_source_en": r["data_source_en"],
                "ikms_code": r["ikms_code"],
                "metric_id": INDICATOR_METRICS.get((code, r["indicator_no"], breakdown), ""),
                "source": r["source"],
                "note": r["note"],
            }
        )
        for n in ("1", "2"):
            targets.append(
                {
                    "municipality": code,
                    "indicator_no": r["indicator_no"],
                    "breakdown": breakdown,
                    "target_year": r[f"target{n}_year"],
                    "target_value": r[f"target{n}_value"],
                    "comparison": r[f"target{n}_comparison"] or "reach",
                    "target_text": r[f"target{n}_text"],
                    "source": r["source"],
                }
            )
    # Jēkabpils indicator 8 is the dropout share of table 1.7: its yearly values are actuals.
    for o in outcome:
        if o["municipality"] == "JEK" and o["indicator"] == "dropped_out_pct":
            values.append(
                {
                    "municipality": "JEK",
                    "indicator_no": "8",
                    "breakdown": "",
                    "period": o["school_year"],
                    "start_year": o["start_year"],
                    "value": o["value"],
                    "source": o["source"],
                    "note": "same figure as outcome dropped_out_pct (table 1.7)",
                }
            )
    return indicators, targets, values


def _activities(seed_dir: Path) -> tuple[list, list]:
    """The action plan's activities and the years each is planned for."""
    activities, activity_years = [], []
    for r in read_seed("activities", seed_dir):
        code = MUNICIPALITIES[r["municipality"]]
        activities.append(
            {
                "municipality": code,
                "activity_no": r["activity_no"],
                "prevention_level": PREVENTION_LEVELS[r["prevention_level_en"]],
                "goal_no": r["goal_no"],
                "goal_lv": r["goal_lv"],
                "goal_en": r["goal_en"],
                "activity_lv": r["activity_lv"],
                "activity_en": r["activity_en"],
                "expected_result_lv": r["expected_result_lv"],
                "responsible_lv": r["responsible_institution_lv"],
                "involved_lv": r["involved_institutions_lv"],
                "funding_source_lv": r["funding_source_lv"],
                "funding_source_en": r["funding_source_en"],
                "invested_funding_eur": r["invested_funding_eur"],
                "source": r["source"],
                "note": r["note"],
            }
        )
        for year in range(2024, 2029):
            flag = r[f"y{year}"]
            if flag:
                activity_years.append(
                    {
                        "municipality": code,
                        "activity_no": r["activity_no"],
                        "year": str(year),
                        "active": "true" if flag == "1" else "false",
                        "source": r["source"] + " (" + r["years_basis"] + ")",
                    }
                )
    return activities, activity_years


def _pumpurs_support(seed_dir: Path) -> list[dict[str, str]]:
    """The shares of the Pumpurs support mix."""
    support = []
    for r in read_seed("other", seed_dir):
        if r["topic"] != "Pumpurs support measures":
            continue
        breakdown, item = PUMPURS_SUPPORT[r["item"]]
        support.append(
            {
                "municipality": MUNICIPALITIES[r["municipality"]],
                "period": r["period"],
                "start_year": str(start_year(r["period"])),
                "end_year": str(end_year(r["period"])),
                "breakdown": breakdown,
                "item": item,
                "share_pct": r["value"],
                "source": r["source"],
                "note": r["note"],
            }
        )
    return support


def convert(seed_dir: Path = SEED_DIR) -> dict[str, list[dict[str, str]]]:
    """Every table of the two programmes, from the seed CSVs."""
    schools, ids = _schools(seed_dir)
    stated = _Stated()
    enrolment = _enrolment(seed_dir, ids, stated)
    staff = _support_staff(seed_dir, ids, stated)
    pumpurs = _pumpurs(seed_dir, ids, stated)
    outcome = _outcomes(seed_dir, ids)
    indicators, targets, values = _indicators(seed_dir, outcome)
    activities, activity_years = _activities(seed_dir)
    return {
        "municipality": MUNICIPALITY_ROWS,
        "school": schools,
        "enrolment": enrolment,
        "support_staff": staff,
        "pumpurs": pumpurs,
        "risk": _risk(seed_dir),
        "outcome": outcome,
        "indicator": indicators,
        "indicator_target": targets,
        "indicator_value": values,
        "activity": activities,
        "activity_year": activity_years,
        "activity_report": [],
        "stated_total": list(stated.values()),
        "pumpurs_support": _pumpurs_support(seed_dir),
        "school_event": merge_events(schools),
        "national_reference": [{**row, "start_year": row["period"][:4]} for row in NATIONAL_REFERENCE],
    }


# Project Pumpurs in the whole of Latvia: individual support plans (IAP) per school year, as the
# project published them. A reference line beside a municipality's figures, never added to them.
NATIONAL_SOURCE = (
    "ESF projekts Nr. 8.3.4.0/16/I/001 “Atbalsts priekšlaicīgas mācību pārtraukšanas samazināšanai” (Pumpurs): "
    "publiskotie rezultāti, individuālie atbalsta plāni Latvijā pa mācību gadiem"
)
NATIONAL_REFERENCE = [
    {"measure": "pumpurs_iap_count", "period": period, "value": value, "unit": "plans", "source": NATIONAL_SOURCE}
    for period, value in (("2017/2018", 6834), ("2018/2019", 15129), ("2019/2020", 21732), ("2020/2021", 19757))
]


def write_all(tables: dict[str, list[dict[str, str]]], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        write_csv(out_dir / f"{name}.csv", name, tables[name])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed-dir", type=Path, default=SEED_DIR)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    write_all(convert(args.seed_dir), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
