"""School profile: one school's rows picked out of the frames the other pages show, and shaped for one screen.

Every count on the profile is the very cell the municipal pages show (``of_school``), hidden where
they hide it: disclosure control (``metrics/disclosure.py``) decides each cell once for the
municipality, so the profile can show nothing another page hides. The risk-group breakdown exists
only per school (the municipal frame sums the groups), so it comes from the one-school metric (whose
figures the same pattern decides) and is also hidden wherever the municipal frames hide the school's
risk total or its enrolment (``risk_lines``), since a rate times the enrolment gives the count.

Pure pandas; numbers and flags only: the cell texts are made in ``presentation/profile.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from metrics import risks
from metrics.privacy import hidden_column, is_hidden
from metrics.staffing import MEETS, NORM_ROLES

LEFT_SCHOOL = ("dropped_out", "expelled")  # the card shows the first the school has figures for


def of_school(frame: pd.DataFrame, school_id: str, column: str = "school_id") -> pd.DataFrame:
    return frame[frame[column] == school_id].reset_index(drop=True)


def chosen(frame: pd.DataFrame, start_years: Iterable[int]) -> pd.Series:
    """Rows whose school year (or span of years) includes one of ``start_years``; all rows when none is chosen."""
    years = set(start_years)
    if not years:
        return pd.Series(True, index=frame.index)
    end = frame["end_year"] if "end_year" in frame else frame["start_year"]
    spans = zip(frame["start_year"].astype(int), end.astype(int), strict=True)
    return pd.Series([any(start <= y <= stop for y in years) for start, stop in spans], index=frame.index, dtype=bool)


def latest(frame: pd.DataFrame, start_years: Iterable[int], column: str | None = None) -> pd.Series | None:
    """The last row in the chosen years (by end, then start year) that has a figure in ``column`` (a
    value or a hidden one: "x" is a figure); None when there is none, which the page shows as "no data"."""
    rows = frame[chosen(frame, start_years)]
    if column is not None:
        rows = rows[rows[column].notna() | is_hidden(rows, column)]
    if rows.empty:
        return None
    end = "end_year" if "end_year" in rows else "start_year"
    return rows.sort_values([end, "start_year"], kind="stable").iloc[-1]


def merge_note(schools: pd.DataFrame, school_id: str) -> tuple[str, dict[str, object]] | None:
    """("merged_into", {school, year}) for a school closed in the school-network reform, ("absorbed",
    {schools}) for a school that others were merged into, else None. ``schools`` is ``schools.sql``."""
    by_id = schools.set_index("school_id")
    into = by_id.at[school_id, "merged_into"]
    if isinstance(into, str) and into:
        name = by_id.at[into, "name"] if into in by_id.index else into
        return "merged_into", {"school": name, "year": int(by_id.at[school_id, "merged_year"])}
    merged = schools[schools["merged_into"] == school_id].sort_values(["merged_year", "name"])
    if merged.empty:
        return None
    parts = [f"{name} ({int(year)})" for name, year in zip(merged["name"], merged["merged_year"], strict=True)]
    return "absorbed", {"schools": ", ".join(parts)}


def hidden_years(*frames: tuple[pd.DataFrame, Iterable[str]]) -> set[str]:
    """School years in which any of the given count columns is hidden: (frame, columns) pairs."""
    return {
        year
        for frame, columns in frames
        for column in columns
        for year in frame.loc[is_hidden(frame, column), "school_year"]
    }


def risk_lines(groups: pd.DataFrame, hidden: set[str]) -> pd.DataFrame:
    """The Risks page's trend rows (``risks.trend_lines``) for one school, with every figure of a period
    in ``hidden`` hidden: the groups add up to the total, and the rate times the enrolment gives the count."""
    lines = risks.trend_lines(groups)
    mask = lines["period"].isin(hidden)
    for column in ("pupils", "identified", "enrolled", "per_100", "identified_per_100"):
        flag = hidden_column(column)
        lines[flag] = is_hidden(lines, column) | (mask & (lines[column].notna() | is_hidden(lines, column)))
        lines[column] = lines[column].astype("Float64").mask(mask)
    return lines


def norm_met(cells: pd.DataFrame) -> tuple[int, int] | None:
    """(norm roles meeting the norm, norm roles) in one school-year of ``staffing.assess`` rows; None
    when the school reported no staff that year (no data, not "0 of 4")."""
    if cells.empty or not cells["reporting"].any():
        return None
    norm = cells[cells["role"].isin(NORM_ROLES)]
    return int(norm["status"].eq(MEETS).sum()), len(NORM_ROLES)


def left_school(rows: pd.DataFrame) -> tuple[str | None, pd.DataFrame]:
    """The first of ``LEFT_SCHOOL`` the school has a figure for, and its rows (``outcomes_by_school``)."""
    for topic in LEFT_SCHOOL:
        part = rows[rows["topic"] == topic]
        if (part["pupils"].notna() | is_hidden(part, "pupils")).any():
            return topic, part
    return None, rows.iloc[0:0]
