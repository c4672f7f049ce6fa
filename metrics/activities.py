"""The action plan as data: who does what, in which years, and how each year's report went.

Pure Python and pandas (no streamlit). Institutions are free Latvian text in the documents
("Izglītības pārvalde, BJC.", "Sociālais dienests/Bāriņtiesa, pašvaldības policija"), so the
filter "what is the Social Service responsible for?" needs them split into single names that
compare equal: split at commas, " un ", "/" and a full stop that starts a new name; drop trailing
dots and an explanation after a dash; capitalise; and map the few spellings of one body to one name.
"""

from __future__ import annotations

import re

import pandas as pd

RESPONSIBLE, INVOLVED = "responsible", "involved"
# Report statuses of the yearly form, then the two states the page derives when no report exists.
REPORT_STATUSES = ("done", "in_progress", "not_done", "planned")
NO_REPORT = "no_report"
YEAR_STATUSES = (*REPORT_STATUSES, NO_REPORT)

# Names that contain a separator but are one body: kept whole.
KEEP_WHOLE = (
    "Rēzeknes, Balvu, Preiļu novadu pašvaldības",
    "interešu un profesionālās ievirzes izglītības iestādes",
    "Plānošanas un attīstības pārvalde",
)
# One body, several spellings (singular/plural, abbreviation/full name) → one name.
ALIASES = {
    "izglītības iestāde": "Izglītības iestādes",
    "nevalstiskās organizācijas": "NVO",
    "vecāku padomes": "Iestāžu vecāku padomes",
}
_SPLIT = re.compile(r"\s*,\s*|\s+un\s+|\s*/\s*|\.\s+(?=[A-ZĀČĒĢĪĶĻŅŠŪŽ“\"])")


def _clean(name: str) -> str:
    name = re.split(r"\s+[–-]\s+", name.strip(), maxsplit=1)[0]  # "NVO – potenciālais ..." → "NVO"
    name = name.strip().rstrip(".").strip()
    if not name:
        return ""
    name = name[0].upper() + name[1:]
    return ALIASES.get(name.lower(), name)


def split_institutions(text: object) -> list[str]:
    """Single institution names in a responsible/involved cell, in printed order, without repeats."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
        return []
    text = str(text)
    kept: dict[str, str] = {}
    for i, whole in enumerate(KEEP_WHOLE):
        if whole.lower() in text.lower():
            start = text.lower().index(whole.lower())
            token = f"\x00{i}\x00"
            kept[token] = text[start : start + len(whole)]
            text = text[:start] + token + text[start + len(whole) :]
    names: list[str] = []
    for part in _SPLIT.split(text):
        for token, whole in kept.items():
            part = part.replace(token, whole)
        name = _clean(part)
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def institution_roles(plan: pd.DataFrame) -> pd.DataFrame:
    """One row per (activity, institution) with its role; responsible wins over involved."""
    rows = []
    for row in plan.itertuples():
        responsible = split_institutions(row.responsible_lv)
        rows += [{"activity_no": row.activity_no, "institution": n, "role": RESPONSIBLE} for n in responsible]
        known = {n.lower() for n in responsible}
        rows += [
            {"activity_no": row.activity_no, "institution": n, "role": INVOLVED}
            for n in split_institutions(row.involved_lv)
            if n.lower() not in known
        ]
    return pd.DataFrame(rows, columns=["activity_no", "institution", "role"])


def institutions(roles: pd.DataFrame) -> list[str]:
    """Every institution named, the most often responsible first (the filter's option order)."""
    if roles.empty:
        return []
    score = roles.assign(resp=roles["role"] == RESPONSIBLE).groupby("institution")["resp"].agg(["sum", "count"])
    return score.sort_values(["sum", "count"], ascending=False).index.tolist()


def year_status(timeline: pd.DataFrame, this_year: int) -> pd.Series:
    """Each (activity, year) row's status: the report's own status if a report exists; otherwise
    ``planned`` for this year and later, and ``no_report`` for a past year the activity ran."""
    derived = ["planned" if year >= this_year else NO_REPORT for year in timeline["year"]]
    return timeline["status"].where(timeline["status"].notna(), pd.Series(derived, index=timeline.index))


def activity_sort_key(activity_no: str) -> tuple[int, int]:
    """``"8.10"`` sorts after ``"8.9"``."""
    goal, _, number = str(activity_no).partition(".")
    return int(goal), int(number or 0)
