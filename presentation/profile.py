"""The School profile's figures as text: the support-staff cells and the outcome cells.

The rows come from ``metrics.profile`` and ``metrics.staffing`` (numbers and hidden flags); visible
words and number formats are passed in by the caller, so this module stays free of the locale catalogue.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from metrics.staffing import NORM_ROLES

Formatter = Callable[[object, bool], str]  # fmt(value, flag): the hidden mark, or a printed share's star


def staff_cells(cells: pd.DataFrame, fte: Callable[[object], str], no_data: str, not_listed: str) -> pd.DataFrame:
    """Norm-role rows of ``staffing.assess`` with a cell ``label`` (the FTE, ``not_listed`` for a role a
    reporting school does not list, ``no_data`` for a year without a staff report) and ``coverage``
    (FTE over the norm, capped at 2 for the colour scale)."""
    out = cells[cells["role"].isin(NORM_ROLES)].copy()
    out["label"] = [
        no_data if not reporting else (fte(value) if listed else not_listed)
        for reporting, listed, value in zip(out["reporting"], out["listed"], out["fte"], strict=True)
    ]
    out["coverage"] = out["coverage"].astype("Float64").clip(upper=2)
    return out


def outcome_text(frame: pd.DataFrame, count: Formatter, share: Formatter, hours: Callable[[object], str]) -> list[str]:
    """One cell text per outcome row: the count (the hidden mark when hidden), its share
    (``share(value, printed)``) and the hours per pupil, joined by " · "; the hidden mark once for a
    row whose only figures are hidden; "–" for a row without any figure."""
    texts = []
    for row in frame.itertuples():
        gone = bool(row.pupils_hidden) or bool(getattr(row, "rate_hidden", False))
        parts = [count(row.pupils, True)] if gone else []
        parts += [count(row.pupils, False)] if pd.notna(row.pupils) else []
        parts += [share(row.share_pct, row.share_basis == "printed")] if pd.notna(row.share_pct) else []
        parts += [hours(row.hours_per_pupil)] if pd.notna(row.hours_per_pupil) else []
        texts.append(" · ".join(parts) or "–")
    return texts
