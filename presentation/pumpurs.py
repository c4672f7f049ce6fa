"""The Pumpurs figures as text: school labels with their merge notes, semester tick labels, the
label above each semester's bar, the school-by-semester heat table, the table of institutions
outside the municipal schools and the plans-per-risk table.

The frames come from ``metrics.pumpurs`` (numbers, hidden flags, a semester's status); this module
only turns them into what a reader sees. Visible words are passed in by the caller (a page, the
profile, the report), so it stays free of the locale catalogue; numbers are read through ``fmt``.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from metrics.privacy import hidden_column, is_hidden
from metrics.pumpurs import risk_rates

Formatter = Callable[[object, bool], str]  # fmt(value, hidden): "x" for a hidden count


def label_schools(frame: pd.DataFrame, merged_into: str, absorbed: str) -> pd.DataFrame:
    """The frame with ``school_label``: the school's name with the school it merged into
    (``merged_into`` takes ``{school}`` and ``{year}``) or, in the merged view, the schools rolled
    into it (``absorbed``: ``{schools}``); and ``chart_label``, the same with the note on a second line."""
    out = frame.copy()
    labels = []
    for row in out.itertuples():
        note = ""
        if isinstance(row.merged_into_name, str) and row.merged_into_name:
            note = merged_into.format(school=row.merged_into_name, year=int(row.merged_year))
        elif isinstance(row.absorbed, str) and row.absorbed:
            note = absorbed.format(schools=row.absorbed)
        labels.append((str(row.school), note))
    out["school_label"] = [f"{name} {note}" if note else name for name, note in labels]
    out["chart_label"] = [f"{name}<br>{note}" if note else name for name, note in labels]
    return out


def _short(period: str) -> str:
    """``2018/2019`` → ``2018/19`` (a span keeps both ends: ``2021/22–2022/23``)."""
    return "–".join(f"{part[:4]}/{part[-2:]}" for part in str(period).split("-"))


def axis_labels(semesters: pd.DataFrame, schools: bool = False) -> list[str]:
    """Tick labels that fit many semesters side by side without turning: the short school year,
    the semester and, with ``schools``, the number of schools taking part in brackets ("(–)" when
    the semester was not reported)."""
    labels = []
    for row in semesters.itertuples():
        lines = [_short(row.period).replace("–", "–<br>")]
        if row.semester in ("I", "II"):
            lines.append(str(row.semester))
        if schools:
            lines.append(f"({row.schools if row.status == 'reported' else '–'})")
        labels.append("<br>".join(lines))
    return labels


def heat(
    cells: pd.DataFrame, semesters: pd.DataFrame, column: str, fmt: Formatter, missing: str, not_reported: str
) -> pd.DataFrame:
    """Long frame for the school-by-semester heat table, every school in every semester.

    Cell text: the count, the hidden mark when hidden (via ``fmt``), ``missing`` where the school has no row
    in a reported semester, ``not_reported`` in a semester no municipal school reported.
    """
    hidden = is_hidden(cells, column)
    values = {
        (r.school_label, r.period, r.semester): (getattr(r, column), bool(h))
        for r, h in zip(cells.itertuples(), hidden, strict=True)
    }
    rows = []
    for school in dict.fromkeys(cells["school_label"]):
        for sem in semesters.itertuples():
            value, hides = values.get((school, sem.period, sem.semester), (None, False))
            if sem.status == "not_reported":
                text = not_reported
            elif value is None or (pd.isna(value) and not hides):
                text = missing
            else:
                text = fmt(value, hides)
            rows.append({"school": school, "label": sem.label, "value": value, "text": text})
    frame = pd.DataFrame(rows, columns=["school", "label", "value", "text"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    return frame


def bar_tops(semesters: pd.DataFrame, column: str, fmt: Formatter, not_reported: str) -> list[str]:
    """The label above each semester's bar: ``fmt(value, hidden)`` ("x" for a hidden count),
    "–" where the chosen schools have no figure, ``not_reported`` for a semester no municipal
    school reported; so an empty slot never reads as 0."""
    hidden = is_hidden(semesters, column)
    return [
        not_reported if status != "reported" else fmt(value, h) if pd.notna(value) or h else "–"
        for value, h, status in zip(semesters[column], hidden, semesters["status"], strict=True)
    ]


def institution_table(
    cells: pd.DataFrame, totals: pd.DataFrame, semesters: pd.DataFrame, column: str, fmt: Formatter, total: str
) -> pd.DataFrame:
    """Institutions outside the municipal schools: one row each, a column per semester and their
    own total (header ``total``). The municipal "not reported" status does not apply to them."""
    grid = heat(cells.assign(school_label=cells["school"]), semesters.assign(status="reported"), column, fmt, "–", "")
    table = grid.pivot(index="school", columns="label", values="text").reindex(columns=list(semesters["label"]))
    sums = totals.set_index("school")
    table.insert(0, total, [fmt(sums.at[s, column], bool(sums.at[s, hidden_column(column)])) for s in table.index])
    return table.reset_index()


def risk_table(frame: pd.DataFrame, groups: dict[str, str], rate: Callable[[object], str], hidden: str) -> pd.DataFrame:
    """One row per school year of ``pumpurs_plans_per_risk``: plans, pupils at risk, the rate (and its
    text: ``rate(value)``, or ``hidden``), and the pupils of each risk group (columns named by ``groups``:
    risk group → header), each count with its ``_hidden`` flag."""
    out = risk_rates(frame).set_index("school_year")
    out["rate"] = [
        hidden if h else rate(v) for v, h in zip(out["plans_per_100"], out["plans_per_100_hidden"], strict=True)
    ]
    parts = frame[frame["risk_group"] != "all"]
    for group, header in groups.items():
        part = parts[parts["risk_group"] == group].set_index("school_year")
        out[header] = part["pupils_at_risk"].reindex(out.index)
        out[hidden_column(header)] = part[hidden_column("pupils_at_risk")].reindex(out.index).fillna(False)
    return out.reset_index()
