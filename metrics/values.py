"""What counts as a missing value in a frame cell: None, NaN, pd.NA, NaT ("no data", never 0)."""

from __future__ import annotations

import pandas as pd


def is_missing(value: object) -> bool:
    """True for None, NaN, pd.NA and NaT; False for anything else, a list cell (provenance) too."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
