"""Small-number suppression: counts of pupils below the threshold are hidden ("<5").

Primary suppression hides every count with 0 < value < threshold. Secondary suppression then
makes sure a hidden value cannot be worked out from a shown total and the other parts: within
each group of rows that add up to a shown total (``within``), a lone hidden cell takes the
smallest other cell with it. Zero is not hidden on its own (nobody can be identified by it), but
it is taken as the complementary cell when it is the smallest, since it would give the hidden
value away. Pure pandas; the app applies it to every metric that declares count columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 5


def hidden_column(column: str) -> str:
    return f"{column}_hidden"


def suppress(
    frame: pd.DataFrame, counts: Sequence[str], within: Sequence[str] = (), threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """A copy with small counts replaced by missing values and ``<col>_hidden`` flags beside them.

    Vectorised (every page calls it on every rerun): groups are numbered once, and the complement of
    each group's lone hidden cell is the first row of its candidates sorted by (group, value, row)."""
    out = frame.copy()
    if within:
        groups = out.groupby(list(within), dropna=False, sort=False).ngroup().to_numpy()
    else:
        groups = np.zeros(len(out), dtype=np.int64)
    secondary = bool(within) or len(out) > 1
    for column in counts:
        values = pd.to_numeric(out[column], errors="coerce").astype("Float64")
        number = values.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            hidden = (number > 0) & (number < threshold)
        if secondary and hidden.any():
            lone = np.bincount(groups, weights=hidden)[groups] == 1
            rows = np.flatnonzero(lone & ~hidden & ~np.isnan(number))
            order = np.lexsort((rows, number[rows], groups[rows]))
            ranked = groups[rows][order]
            first = np.r_[True, ranked[1:] != ranked[:-1]] if len(ranked) else np.zeros(0, dtype=bool)
            hidden[rows[order][first]] = True
        out[column] = values.mask(hidden)
        out[hidden_column(column)] = hidden
    return out


def reveal(frame: pd.DataFrame, counts: Sequence[str]) -> pd.DataFrame:
    """The same shape as ``suppress`` gives, with nothing hidden (an admin's own view)."""
    out = frame.copy()
    for column in counts:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Float64")
        out[hidden_column(column)] = False
    return out


def hide_ratios(frame: pd.DataFrame, ratios: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """A copy where each ratio is missing wherever one of the counts it is computed from is hidden.

    A share or rate next to the total it is a part of (or the enrolment it divides by) gives the
    hidden count back, so it goes with it. ``<ratio>_hidden`` flags the ratios hidden this way (a
    ratio that did not exist stays "no data", not "hidden").
    """
    out = frame.copy()
    for ratio, counts in ratios.items():
        if ratio not in out:
            continue
        hidden = pd.Series(False, index=out.index)
        for count in counts:
            flag = hidden_column(count)
            if flag in out:
                hidden |= out[flag].fillna(False).astype(bool)
        values = pd.to_numeric(out[ratio], errors="coerce").astype("Float64")
        flag = hidden_column(ratio)
        before = out[flag].fillna(False).astype(bool) if flag in out else pd.Series(False, index=out.index)
        out[flag] = before | (hidden & values.notna()).astype(bool)  # applying it twice changes nothing
        out[ratio] = values.mask(hidden)
    return out
