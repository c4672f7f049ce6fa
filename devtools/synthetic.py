"""Seeded generator of the synthetic demo municipality "Parauga novads (sintētiski dati)".

The real programmes give one or two years per table; the demo municipality has complete
series 2018/2019-2024/2025 for every table so that every chart has something to show.
Same seed, same files: ``python -m devtools.synthetic`` rewrites ``sample_data/demo/``
and a test checks the committed files equal a fresh run. Nothing here is a real figure.

``python -m devtools.synthetic --scale N --out DIR`` writes, instead, the extra synthetic
municipalities of a national-scale data set (benchmarks, load tests): built together with
``sample_data/real`` and ``sample_data/demo`` they make the 1x, 10x or 100x database.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import math
import random
from collections.abc import Iterator
from pathlib import Path

from data_loaders.tables import TABLES, merge_events
from data_loaders.vocabularies import GRADE_BANDS, STAFF_ROLES
from devtools.seed_convert import school_id, write_all

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "sample_data" / "demo"
SEED = 2024
FIRST_YEAR, LAST_YEAR = 2018, 2024  # start years of 2018/2019 ... 2024/2025
# The rows' source names the module's first home (data_loaders/): the committed rows, databases built
# from them and the captions that read them stay as they were.
SOURCE = f"synthetic: data_loaders/synthetic.py (seed {SEED}); not a real figure"

# name, type, first grade band size, has secondary stage, merged_into, merged_year
SCHOOLS = [
    ("Parauga pilsētas vidusskola", "secondary", 62, True, None, None),
    ("Parauga 2. vidusskola", "secondary", 45, True, None, None),
    ("Ezermalas vidusskola", "secondary", 24, True, None, None),
    ("Priedaines pamatskola", "basic", 16, False, None, None),
    ("Lejasciema pamatskola", "basic", 11, False, None, None),
    ("Kalnienas pamatskola", "basic", 8, False, None, None),
    ("Parauga speciālā pamatskola", "special_basic", 5, False, None, None),
    ("Silmalas pamatskola", "basic", 7, False, "Priedaines pamatskola", 2021),
]
BANDS = list(GRADE_BANDS)
ROLES = STAFF_ROLES
LEARNING_SUB = ["content_difficulty", "lag_previous_stage", "low_achievement", "language_barrier", "peer_conflicts"]
FAMILY_SUB = ["parents_not_supporting", "long_absence", "other"]

INDICATORS = [
    # no, level, lv, en, unit, trend, baseline, baseline_year, t1, t2, comparison, metric_id
    (
        1,
        "universal",
        "Vecāku apmierinātība ar atbalsta grupām",
        "Parent satisfaction with support groups",
        "% of parents",
        "increase",
        58,
        "2023",
        70,
        80,
        "reach",
        "",
    ),
    (
        3,
        "universal",
        "Izglītojamo īpatsvars interešu izglītībā",
        "Pupils in interest education",
        "% of pupils",
        "increase",
        64,
        "2023",
        75,
        85,
        "reach",
        "",
    ),
    (
        6,
        "targeted",
        "Izglītojamie ar PMP atbalsta pasākumiem",
        "Pupils receiving PMP support measures",
        "% of pupils",
        "increase",
        5,
        "2023",
        8,
        12,
        "reach",
        "pumpurs_semesters",
    ),
    (
        8,
        "tailored",
        "Mācības pārtraukušo īpatsvars",
        "Share of pupils who dropped out",
        "% of pupils",
        "decrease",
        0.6,
        "2023",
        0.3,
        0.1,
        "at_most",
        "dropout_rate",
    ),
]

ACTIVITIES = [
    (
        "1.1",
        "universal",
        1,
        "Vecāku kompetences stiprināšana",
        "Strengthen parents' competence",
        "Lekcijas vecākiem",
        "Lectures for parents",
        "Izglītības pārvalde",
    ),
    (
        "1.2",
        "universal",
        1,
        "Vecāku kompetences stiprināšana",
        "Strengthen parents' competence",
        "Vecāku atbalsta grupas",
        "Parent support groups",
        "Sociālais dienests",
    ),
    (
        "2.1",
        "universal",
        2,
        "Jauniešu kopienas stiprināšana",
        "Strengthen the youth community",
        "Vasaras nometnes",
        "Summer camps",
        "Jaunatnes centrs",
    ),
    (
        "4.1",
        "targeted",
        4,
        "Vienaudžu attiecību uzlabošana",
        "Improve peer relationships",
        "Programma pret mobingu",
        "Anti-bullying programme",
        "Izglītības iestādes",
    ),
    (
        "5.1",
        "targeted",
        5,
        "Pedagogu kompetenču pilnveide",
        "Raise teachers' competence",
        "Supervīzijas pedagogiem",
        "Supervision for teachers",
        "Izglītības pārvalde",
    ),
    (
        "8.1",
        "tailored",
        8,
        "Atbalsta pakalpojumu pieejamība",
        "Availability of support services",
        "Atbalsta personāla pieejamība",
        "Availability of support staff",
        "Izglītības pārvalde",
    ),
    (
        "8.2",
        "tailored",
        8,
        "Atbalsta pakalpojumu pieejamība",
        "Availability of support services",
        "Individuālie atbalsta plāni",
        "Individual support plans",
        "Izglītības iestādes",
    ),
    (
        "8.3",
        "tailored",
        8,
        "Atbalsta pakalpojumu pieejamība",
        "Availability of support services",
        "Darbs ar ģimenes riskiem",
        "Action on family risks",
        "Sociālais dienests",
    ),
]


def _pumpurs(sid: str, year: str, start: int, semester: str, iaps: int, rng: random.Random, source: str) -> dict:
    """One school's Pumpurs semester: its support plans and the pupils they served (a few pupils
    have plans in both semesters, so participants are a little fewer)."""
    return {
        "school_id": sid,
        "period": year,
        "start_year": start,
        "end_year": start,
        "semester": semester,
        "iap_count": iaps,
        "participants": max(0, iaps - rng.randint(0, max(0, iaps // 5))),
        "source": source,
        "note": "",
    }


def _school_id(name: str) -> str:
    return school_id("DEMO", name)


def _year(start: int) -> str:
    return f"{start}/{start + 1}"


def _active(name: str, merged_year: int | None, start: int) -> bool:
    return merged_year is None or start < merged_year


def generate(seed: int = SEED) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    tables["municipality"].append(
        {
            "code": "DEMO",
            "name_lv": "Parauga novads (sintētiski dati)",
            "name_en": "Sample municipality (synthetic data)",
            "is_synthetic": "true",
            "plan_start": 2024,
            "plan_end": 2027,
            "target_year_1": 2025,
            "target_year_2": 2027,
            "source": SOURCE,
        }
    )
    schools = sorted(SCHOOLS, key=lambda s: s[4] is not None)
    for name, kind, *_rest, merged_into, merged_year in schools:
        tables["school"].append(
            {
                "school_id": _school_id(name),
                "municipality": "DEMO",
                "name": name,
                "school_type": kind,
                "sector": "general",
                "is_municipal": "true",
                "merged_into": _school_id(merged_into) if merged_into else "",
                "merged_year": merged_year or "",
                "source": SOURCE,
                "note": "",
            }
        )

    for name, _kind, base, secondary, _into, merged_year in SCHOOLS:
        sid = _school_id(name)
        size_trend = rng.uniform(-0.04, 0.01)
        risk_level = rng.uniform(0.04, 0.16)
        staff_level = rng.uniform(0.15, 0.9)
        for start in range(FIRST_YEAR, LAST_YEAR + 1):
            if not _active(name, merged_year, start):
                continue
            sy = _year(start)
            factor = (1 + size_trend) ** (start - FIRST_YEAR)
            total = 0
            for band in BANDS:
                if not secondary and band in ("10", "11", "12"):
                    continue
                pupils = _band_pupils(rng, base, band, factor)
                total += pupils
                tables["enrolment"].append(_enrol(sid, sy, start, band, pupils))
            tables["enrolment"].append(_enrol(sid, sy, start, "total", total))

            level = staff_level * (total / 250) ** 0.5 * (1 + 0.05 * (start - FIRST_YEAR))
            tables["support_staff"] += _staff_rows(rng, sid, sy, start, level, 0.12, SOURCE)

            at_risk = max(1, round(total * risk_level * rng.uniform(0.8, 1.2)))
            for semester in ("I", "II"):
                if start == 2022 and semester == "II" and name.startswith("Kalnienas"):
                    continue  # one unreported semester, so the "not reported" state has data
                iaps = round(at_risk * rng.uniform(0.3, 0.8))
                tables["pumpurs"].append(_pumpurs(sid, sy, start, semester, iaps, rng, SOURCE))

            shares = {"learning_school": 0.7, "family": 0.15, "social_health": 0.1, "economic": 0.05}
            tables["risk"] += _risk_rows(rng, sid, sy, start, at_risk, shares)

            grade9 = next(
                r["pupils"]
                for r in tables["enrolment"]
                if r["school_id"] == sid and r["school_year"] == sy and r["grade_band"] == "9"
            )
            out = {
                ("expelled", "all", ""): rng.randint(0, max(1, total // 120)),
                ("dropped_out", "all", ""): rng.randint(0, max(1, total // 200)),
                ("repeaters", "all", ""): rng.randint(0, max(1, total // 80)),
                ("grade9_without_certificate", "basic", ""): rng.randint(0, max(1, grade9 // 8)),
                ("insufficient_yearly_mark", "all", ""): rng.randint(0, max(1, total // 40)),
                ("special_needs", "all", ""): round(total * rng.uniform(0.01, 0.06)),
                ("low_exam_result", "basic", "mathematics"): rng.randint(0, max(1, grade9 // 6)),
                ("low_exam_result", "basic", "latvian"): rng.randint(0, max(1, grade9 // 10)),
            }
            if secondary:
                out[("grade12_without_certificate", "secondary", "")] = rng.randint(0, 3)
            tables["outcome"] += _outcome_counts(sid, sy, start, out)
            tables["outcome"].append(
                _outcome(
                    sid,
                    sy,
                    start,
                    "all",
                    "unexcused_hours_per_pupil",
                    "",
                    "",
                    round(rng.uniform(2, 14), 2),
                    "hours_per_pupil",
                )
            )

    for indicator in INDICATORS:
        no, base, t1, t2, comparison = indicator[0], indicator[6], indicator[8], indicator[9], indicator[10]
        key = {"municipality": "DEMO", "indicator_no": no, "breakdown": ""}
        tables["indicator"].append(_indicator_row(key, indicator, base, SOURCE))
        for year, value in ((2025, t1), (2027, t2)):
            tables["indicator_target"].append(_target_row(key, year, value, comparison, SOURCE))
        step = (t1 - base) / 2
        for year in (2024, 2025):
            value = max(0.0, round(base + step * (year - 2023) * rng.uniform(0.5, 1.3), 2))
            tables["indicator_value"].append(
                {
                    **key,
                    "period": str(year),
                    "start_year": year,
                    "value": value,
                    "source": SOURCE,
                    "note": "",
                }
            )

    _activities(rng, tables, "DEMO", SOURCE, funding=[0, 500, 1500, 3000], most=120)
    tables["pumpurs_support"] = _pumpurs_support(seed)
    tables["school_event"] = merge_events(tables["school"])
    return tables


def _pumpurs_support(seed: int) -> list[dict]:
    """The Pumpurs support mix for the whole demo period, from its own generator so that the
    other demo series stay as they were. Measures and specialists add up to 100 %; like the real
    data, the subject shares name only the main subjects, so they add up to less."""
    rng = random.Random(f"{seed}-pumpurs-mix")
    period = f"{_year(FIRST_YEAR)}-{_year(LAST_YEAR)}"
    parts = {
        "measure": {"subject_consultations": 80, "specialist_consultations": 14, "economic_support": 6},
        "subject": {"mathematics": 38, "latvian": 27, "english": 14},
        "specialist": {"psychologist": 42, "social_pedagogue": 30, "teacher": 20, "speech_therapist": 8},
    }
    complete = ("measure", "specialist")  # these parts cover every consultation: they add up to 100
    rows = []
    for breakdown, items in parts.items():
        shares = {item: max(1, share + rng.randint(-4, 4)) for item, share in items.items()}
        if breakdown in complete:
            first = next(iter(shares))
            shares[first] = 100 - sum(v for k, v in shares.items() if k != first)
        for item, share in shares.items():
            rows.append(
                {
                    "municipality": "DEMO",
                    "period": period,
                    "start_year": FIRST_YEAR,
                    "end_year": LAST_YEAR,
                    "breakdown": breakdown,
                    "item": item,
                    "share_pct": share,
                    "source": SOURCE,
                    "note": "",
                }
            )
    return rows


def _band_pupils(rng: random.Random, base: float, band: str, factor: float) -> int:
    """Pupils of one grade band: ``base`` a grade (three grades in 1-3, fewer in secondary), grown
    by ``factor``, with noise."""
    size = base * (3 if band == "1-3" else 1) * (0.8 if band in ("10", "11", "12") else 1)
    return max(0, round(size * factor * rng.uniform(0.85, 1.15)))


def _staff_rows(
    rng: random.Random, sid: str, sy: str, start: int, level: float, zero_share: float, source: str
) -> list[dict]:
    """A school year's support staff: FTE around ``level`` in quarters, 0 for about ``zero_share``
    of the roles, and a role now and then not reported at all (no data, not 0)."""
    rows = []
    for role in ROLES:
        if rng.random() < 0.06:
            continue  # the school did not report this role this year: no data, not 0
        fte = round(max(0.0, rng.gauss(level, 0.12)) * 4) / 4 if rng.random() > zero_share else 0.0
        rows.append(
            {
                "school_id": sid,
                "school_year": sy,
                "start_year": start,
                "role": role,
                "fte": min(fte, 3.0),
                "source": source,
                "note": "",
            }
        )
    return rows


def _risk_rows(rng: random.Random, sid: str, sy: str, start: int, at_risk: int, shares: dict[str, float]) -> list[dict]:
    """A school year's pupils at risk by group (about ``shares`` of ``at_risk``), the learning and
    family groups split into their sub-risks so that the parts add up to the group."""
    rows = []
    for group, share in shares.items():
        group_pupils = round(at_risk * share * rng.uniform(0.7, 1.3))
        rows.append(_risk(sid, sy, start, group, "", group_pupils))
        subs = LEARNING_SUB if group == "learning_school" else FAMILY_SUB if group == "family" else []
        remaining = group_pupils
        for i, sub in enumerate(subs):
            n = remaining if i == len(subs) - 1 else round(remaining * rng.uniform(0.3, 0.7))
            remaining -= n
            rows.append(_risk(sid, sy, start, group, sub, n))
    return rows


def _outcome_counts(sid: str, sy: str, start: int, counts: dict[tuple[str, str, str], int]) -> list[dict]:
    """Outcome rows of pupil counts: (indicator, level, subject) -> pupils; an exam's threshold is <10%."""
    return [
        _outcome(sid, sy, start, level, indicator, subject, "<10%" if subject else "", value, "pupils")
        for (indicator, level, subject), value in counts.items()
    ]


def _enrol(sid: str, sy: str, start: int, band: str, pupils: int) -> dict:
    return {
        "school_id": sid,
        "school_year": sy,
        "start_year": start,
        "grade_band": band,
        "pupils": pupils,
        "classes": "",
        "source": SOURCE,
        "note": "",
    }


def _risk(sid: str, sy: str, start: int, group: str, sub: str, pupils: int) -> dict:
    return {
        "municipality": "DEMO",
        "scope": sid,
        "period": sy,
        "start_year": start,
        "end_year": start,
        "risk_group": group,
        "sub_risk": sub,
        "pupils": pupils,
        "share_pct": "",
        "population": "pupils at PMP risk (school yearly report)",
        "source": SOURCE,
        "note": "",
    }


def _outcome(sid, sy, start, level, indicator, subject, threshold, value, unit) -> dict:
    return {
        "municipality": "DEMO",
        "scope": sid,
        "school_year": sy,
        "start_year": start,
        "level": level,
        "indicator": indicator,
        "subject": subject,
        "threshold": threshold,
        "value": value,
        "unit": unit,
        "source": SOURCE,
        "note": "",
    }


# ---------------------------------------------------------------------------------------------
# National scale (``--scale N``): extra synthetic municipalities for benchmarks and load tests.
# Scale 1 is the sample data alone; scale N adds about (N - 1) * 7 schools in generated
# municipalities, so 100x is roughly Latvia's 600-700 general-education schools. Each
# municipality draws from its own generator, so scale 10's municipalities are the first ones of
# scale 100's, and the demo municipality above is untouched.
# ---------------------------------------------------------------------------------------------

NATIONAL_FIRST_YEAR, NATIONAL_LAST_YEAR = 2013, 2024  # 12 school years: 2013/2014 ... 2024/2025
NATIONAL_SOURCE = f"synthetic national-scale data: data_loaders/synthetic.py --scale (seed {SEED}); not a real figure"
SCHOOLS_PER_SCALE = 7
# type, Latvian name stem, share of schools, grade bands, median pupils per grade (town, country)
NATIONAL_KINDS = [
    ("secondary", "Sintētiskā vidusskola", 0.38, BANDS, (55, 22)),
    ("basic", "Sintētiskā pamatskola", 0.46, BANDS[:7], (16, 9)),
    ("primary", "Sintētiskā sākumskola", 0.08, BANDS[:4], (14, 8)),
    ("special_basic", "Sintētiskā speciālā pamatskola", 0.08, BANDS[:7], (6, 4)),
]


def national_code(index: int) -> str:
    """SY + three letters (SYAAA, SYAAB, ...): a valid municipality code no real one uses."""
    letters = ""
    for _ in range(3):
        index, rest = divmod(index, 26)
        letters = chr(ord("A") + rest) + letters
    return f"SY{letters}"


def generate_national(scale: int, seed: int = SEED) -> Iterator[dict[str, list[dict]]]:
    """The extra municipalities of a scale, one at a time (all tables of one municipality each).

    Yielding per municipality keeps memory flat at 100x (about half a million rows in all).
    """
    wanted = max(0, scale - 1) * SCHOOLS_PER_SCALE
    made, index = 0, 0
    while made < wanted:
        rng = random.Random(f"{seed}-national-{index}")
        # municipality sizes are skewed: many small rural ones, a few large towns
        size = min(wanted - made, max(3, min(30, round(rng.lognormvariate(math.log(6.5), 0.45)))))
        yield _national_municipality(rng, index, size)
        made += size
        index += 1


def _national_municipality(rng: random.Random, index: int, size: int) -> dict[str, list[dict]]:
    code = national_code(index)
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    tables["municipality"].append(
        {
            "code": code,
            "name_lv": f"Sintētiskais novads {index + 1:03d} (sintētiski dati)",
            "name_en": f"Synthetic municipality {index + 1:03d} (synthetic data)",
            "is_synthetic": "true",
            "plan_start": 2024,
            "plan_end": rng.choice([2027, 2028]),
            "target_year_1": 2025,
            "target_year_2": 2027,
            "source": NATIONAL_SOURCE,
        }
    )
    town = rng.random()  # 0 = remote rural, 1 = a town: bigger schools, steadier enrolment
    schools = []
    for number in range(1, size + 1):
        kind, stem, _share, bands, (town_size, rural_size) = rng.choices(
            NATIONAL_KINDS, weights=[k[2] for k in NATIONAL_KINDS]
        )[0]
        if number == 1:
            kind, stem, _share, bands, (town_size, rural_size) = NATIONAL_KINDS[0]  # every municipality has one
        median = rural_size + (town_size - rural_size) * town
        schools.append(
            {
                "school_id": f"{code.lower()}_s{number:03d}",
                "name": f"{stem} S{number:03d}",
                "kind": kind,
                "bands": bands,
                "base": max(2.0, rng.lognormvariate(math.log(median), 0.35)),
                "trend": rng.uniform(-0.045, 0.0) + 0.03 * town * rng.random(),
                "merged_year": rng.randint(2015, 2024) if kind == "basic" and rng.random() < 0.06 else None,
            }
        )
    for school in schools:
        merged = school["merged_year"] is not None
        tables["school"].append(
            {
                "school_id": school["school_id"],
                "municipality": code,
                "name": school["name"],
                "school_type": school["kind"],
                "sector": "general",
                "is_municipal": "true",
                "merged_into": schools[0]["school_id"] if merged else "",
                "merged_year": school["merged_year"] or "",
                "source": NATIONAL_SOURCE,
                "note": "",
            }
        )
        _national_school_years(rng, tables, code, school)
    _national_plan(rng, tables, code)
    return tables


def _national_school_years(rng: random.Random, tables: dict[str, list[dict]], code: str, school: dict) -> None:
    sid, bands = school["school_id"], school["bands"]
    risk_level = rng.uniform(0.03, 0.18)
    staff_level = rng.uniform(0.1, 0.9)
    for start in range(NATIONAL_FIRST_YEAR, NATIONAL_LAST_YEAR + 1):
        if school["merged_year"] is not None and start >= school["merged_year"]:
            break
        sy = _year(start)
        factor = (1 + school["trend"]) ** (start - NATIONAL_FIRST_YEAR)
        pupils_by_band = {}
        for band in bands:
            pupils_by_band[band] = _band_pupils(rng, school["base"], band, factor)
        total = sum(pupils_by_band.values())
        if rng.random() < 0.02:
            continue  # the school sent no report this year: no rows at all, which is "no data"
        for band, pupils in (*pupils_by_band.items(), ("total", total)):
            tables["enrolment"].append({**_enrol(sid, sy, start, band, pupils), "source": NATIONAL_SOURCE})

        level = staff_level * (total / 250) ** 0.5 * (1 + 0.04 * max(0, start - 2018))
        tables["support_staff"] += _staff_rows(rng, sid, sy, start, level, 0.15, NATIONAL_SOURCE)

        at_risk = max(0, round(total * risk_level * rng.uniform(0.8, 1.2)))
        for semester in ("I", "II"):
            iaps = round(at_risk * rng.uniform(0.2, 0.8))
            tables["pumpurs"].append(_pumpurs(sid, sy, start, semester, iaps, rng, NATIONAL_SOURCE))

        shares = {"learning_school": 0.68, "family": 0.16, "social_health": 0.1, "economic": 0.06}
        tables["risk"] += [{**row, "municipality": code} for row in _risk_rows(rng, sid, sy, start, at_risk, shares)]

        grade9 = pupils_by_band.get("9", 0)
        out = {
            ("expelled", "all", ""): rng.randint(0, max(1, total // 150)),
            ("dropped_out", "all", ""): rng.randint(0, max(1, total // 200)),
            ("repeaters", "all", ""): rng.randint(0, max(1, total // 80)),
            ("insufficient_yearly_mark", "all", ""): rng.randint(0, max(1, total // 40)),
            ("special_needs", "all", ""): round(total * rng.uniform(0.01, 0.06)),
        }
        if "9" in bands:
            out[("grade9_without_certificate", "basic", "")] = rng.randint(0, max(1, grade9 // 8))
            out[("low_exam_result", "basic", "mathematics")] = rng.randint(0, max(1, grade9 // 6))
            out[("low_exam_result", "basic", "latvian")] = rng.randint(0, max(1, grade9 // 10))
        if "12" in bands:
            out[("grade12_without_certificate", "secondary", "")] = rng.randint(0, max(1, pupils_by_band["12"] // 15))
        tables["outcome"] += [
            {**row, "municipality": code, "source": NATIONAL_SOURCE} for row in _outcome_counts(sid, sy, start, out)
        ]
        hours = _outcome(sid, sy, start, "all", "unexcused_hours_per_pupil", "", "", 0, "hours_per_pupil")
        tables["outcome"].append(
            {**hours, "municipality": code, "value": round(rng.uniform(2, 16), 2), "source": NATIONAL_SOURCE}
        )


def _national_plan(rng: random.Random, tables: dict[str, list[dict]], code: str) -> None:
    """The municipality's plan: the demo's indicators and activities with its own figures."""
    for indicator in INDICATORS:
        no, t1, t2, comparison = indicator[0], indicator[8], indicator[9], indicator[10]
        base = round(indicator[6] * rng.uniform(0.7, 1.3), 1)
        key = {"municipality": code, "indicator_no": no, "breakdown": ""}
        tables["indicator"].append(_indicator_row(key, indicator, base, NATIONAL_SOURCE))
        for year, value in ((2025, t1), (2027, t2)):
            tables["indicator_target"].append(_target_row(key, year, value, comparison, NATIONAL_SOURCE))
        for year in (2024, 2025):
            value = min(100.0, max(0.0, round(base + (t1 - base) / 2 * (year - 2023) * rng.uniform(0.3, 1.4), 2)))
            tables["indicator_value"].append(
                {
                    **key,
                    "period": str(year),
                    "start_year": year,
                    "value": value,
                    "source": NATIONAL_SOURCE,
                    "note": "",
                }
            )
    _activities(rng, tables, code, NATIONAL_SOURCE, funding=[0, 500, 1500, 3000, 8000], most=300)
    for row in _pumpurs_support(rng.randint(0, 10**9)):
        tables["pumpurs_support"].append({**row, "municipality": code, "source": NATIONAL_SOURCE})


def _indicator_row(key: dict, indicator: tuple, base: float, source: str) -> dict:
    """An indicator of the plan (one of ``INDICATORS``) with its baseline value."""
    _no, level, lv, en, unit, trend, _base, base_year, _t1, _t2, _comparison, metric_id = indicator
    return {
        **key,
        "prevention_level": level,
        "name_lv": lv,
        "name_en": en,
        "unit": unit,
        "desired_trend": trend,
        "baseline_value": base,
        "baseline_year": base_year,
        "baseline_text": f"{base}%",
        "data_source_lv": "sintētiski dati",
        "data_source_en": "synthetic data",
        "ikms_code": "",
        "metric_id": metric_id,
        "source": source,
        "note": "",
    }


def _target_row(key: dict, year: int, value: float, comparison: str, source: str) -> dict:
    return {
        **key,
        "target_year": year,
        "target_value": value,
        "comparison": comparison,
        "target_text": f"{'<' if comparison == 'at_most' else ''}{value}%",
        "source": source,
    }


def _activities(
    rng: random.Random, tables: dict[str, list[dict]], code: str, source: str, funding: list[int], most: int
) -> None:
    """The plan's activities (``ACTIVITIES``), the years each is planned for and its yearly reports
    (``most``: the most participants a report may name)."""
    for no, level, goal_no, goal_lv, goal_en, act_lv, act_en, responsible in ACTIVITIES:
        tables["activity"].append(
            {
                "municipality": code,
                "activity_no": no,
                "prevention_level": level,
                "goal_no": goal_no,
                "goal_lv": goal_lv,
                "goal_en": goal_en,
                "activity_lv": act_lv,
                "activity_en": act_en,
                "expected_result_lv": "",
                "responsible_lv": responsible,
                "involved_lv": "",
                "funding_source_lv": "Pašvaldības finansējums",
                "funding_source_en": "municipal funding",
                "invested_funding_eur": rng.choice(funding),
                "source": source,
                "note": "",
            }
        )
        first = rng.choice([2024, 2024, 2025])
        for year in range(2024, 2028):
            active = year >= first
            tables["activity_year"].append(
                {"municipality": code, "activity_no": no, "year": year, "active": str(active).lower(), "source": source}
            )
            if active and year <= 2025:
                tables["activity_report"].append(
                    {
                        "municipality": code,
                        "activity_no": no,
                        "year": year,
                        "status": rng.choice(["done", "done", "in_progress", "not_done"]),
                        "participants": rng.randint(5, most),
                        "done_text": f"{act_lv}: {year}. gada pasākumi (sintētisks apraksts)",
                        "impact_text": "sintētisks ietekmes apraksts",
                        "factors_text": "sintētisks faktoru apraksts",
                        "source": source,
                    }
                )


def write_national(scale: int, out_dir: Path, seed: int = SEED) -> dict[str, int]:
    """Write the extra municipalities of ``scale`` as one CSV per table; return rows per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = dict.fromkeys(TABLES, 0)
    with contextlib.ExitStack() as stack:
        writers = {}
        for table in TABLES:
            handle = stack.enter_context((out_dir / f"{table}.csv").open("w", encoding="utf-8", newline=""))
            writers[table] = csv.DictWriter(handle, fieldnames=TABLES[table].columns, lineterminator="\n")
            writers[table].writeheader()
        for tables in generate_national(scale, seed):
            for table, rows in tables.items():
                columns = TABLES[table].columns
                writers[table].writerows({c: "" if r.get(c) is None else r[c] for c in columns} for r in rows)
                counts[table] += len(rows)
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--scale",
        type=int,
        help="write the EXTRA municipalities of a national-scale data set instead of the demo: N adds about "
        f"(N - 1) * {SCHOOLS_PER_SCALE} schools (1 = none); build them together with sample_data/real and demo",
    )
    args = parser.parse_args(argv)
    if args.scale is None:
        write_all(generate(args.seed), args.out)
        print(f"wrote {args.out}")
        return
    if args.scale < 1 or args.out == OUT_DIR:
        parser.error("--scale needs N >= 1 and its own --out folder (it must not overwrite sample_data/demo)")
    counts = write_national(args.scale, args.out, args.seed)
    print(f"wrote {args.out}: {counts['school']} schools, {sum(counts.values())} rows")


if __name__ == "__main__":
    main()
