"""Hidden figures in metric frames: the ``<col>_hidden`` flags, the admin's own unsuppressed view and
ratios hidden with the counts they are made of.

Which counts are hidden is decided centrally by disclosure control (``metrics/disclosure.py``: cell
suppression with protection intervals over every view a user can reach), applied by the metric
registry to every frame; a page never decides it. A hidden figure is shown with one mark ("x",
``common.hidden_mark``) whatever the reason, never "<5": a figure hidden to protect another may be
of any size. Pure pandas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

DEFAULT_THRESHOLD = 5


def hidden_column(column: str) -> str:
    return f"{column}_hidden"


def is_hidden(frame: pd.DataFrame, column: str) -> pd.Series:
    """Which rows of ``column`` are hidden (none where the frame has no flag for it)."""
    flag = hidden_column(column)
    return frame[flag].fillna(False).astype(bool) if flag in frame else pd.Series(False, index=frame.index)


def reveal(frame: pd.DataFrame, counts: Sequence[str]) -> pd.DataFrame:
    """The same shape as ``registry.compute`` gives, with nothing hidden (an admin's own view)."""
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
            hidden |= is_hidden(out, count)
        values = pd.to_numeric(out[ratio], errors="coerce").astype("Float64")
        before = is_hidden(out, ratio)
        out[hidden_column(ratio)] = before | (hidden & values.notna()).astype(bool)  # applying it twice changes nothing
        out[ratio] = values.mask(hidden)
    return out
