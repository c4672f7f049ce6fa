"""Numbers as people read them: Latvian "1 878,5" (space, decimal comma), English "1,878.5".

Never via ``locale.setlocale``, which changes the whole process.
"""

from __future__ import annotations

import math

from presentation import cldr
from presentation.text import catalog

NBSP = "\u00a0"


def is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))  # NaN, pd.NA
    except TypeError:
        return True  # pd.NA comparisons raise: missing


def fmt_num(value: object, lang: str, decimals: int = 0, no_data: str = "–") -> str:
    """Format a number; ``no_data`` for a missing value (never 0)."""
    if is_missing(value):
        return no_data
    return cldr.number(value, lang, decimals)  # CLDR: "1 878,5" (lv), "1,878.5" (en)


def fmt_pct(value: object, lang: str, decimals: int = 1, no_data: str = "–") -> str:
    """A share: "4,0%" (lv), "4.0%" (en). A share that is not 0 never reads as 0: one too small for
    ``decimals`` reads "< 0,01%" (the smallest step shown)."""
    if is_missing(value):
        return no_data
    step = 10.0**-decimals
    if 0 < abs(float(value)) < step / 2:
        above = float(value) > 0
        return ("<" if above else ">") + NBSP + cldr.percent(step if above else -step, lang, decimals)
    return cldr.percent(value, lang, decimals)  # CLDR: "4,0%" (lv), "4.0%" (en)


def stored_decimals(value: object, most: int = 4) -> int:
    """As many decimals as a stored share has (0.02 stays 0.02, a printed 0.0011 stays 0.0011), at
    most ``most``; a computed ratio with more gets two."""
    return next((d for d in range(most + 1) if abs(round(float(value), d) - float(value)) < 1e-9), 2)


def fmt_eur(value: object, lang: str, no_data: str = "–") -> str:
    """An amount in euro to the cent: "74 695,28 EUR" (Latvian), "74,695.28 EUR" (English)."""
    if is_missing(value):
        return no_data
    return fmt_num(value, lang, 2) + NBSP + "EUR"


def fmt_date(value: object, lang: str, no_data: str = "–") -> str:
    """A date: "06.12.2026" (lv), "6 Dec 2026" (en)."""
    return no_data if is_missing(value) else cldr.date_text(value, lang)


def plotly_separators(lang: str) -> str:
    """Plotly's ``layout.separators``: decimal mark then thousands mark."""
    return ", " if lang == "lv" else ".,"


def fmt_period(period: str) -> str:
    """``2021/2022-2022/2023`` → ``2021/2022–2022/2023`` (an en dash reads as a range)."""
    return period.replace("-", "–")


def hidden_mark(lang: str) -> str:
    """The one mark of a figure hidden by disclosure control, whatever the reason (``common.hidden_mark``:
    "x"). Never "<5": a figure hidden to protect another may be of any size."""
    return catalog(lang if lang in ("lv", "en") else "lv").get("common.hidden_mark", "x")


def fmt_count(value: object, hidden: bool, lang: str, threshold: int = 5, no_data: str = "–") -> str:
    """A count of pupils: the hidden mark ("x") when hidden, ``no_data`` when missing, else the number.
    (``threshold`` is not shown: the mark says nothing about the figure's size.)"""
    if hidden:
        return hidden_mark(lang)
    return fmt_num(value, lang, 0, no_data)


def years_text(years: list[int] | tuple[int, ...]) -> str:
    """``[2024, 2025, 2026]`` → ``2024–2026``; gaps are listed: ``2024, 2026``."""
    years = sorted(set(int(y) for y in years))
    if not years:
        return ""
    runs: list[list[int]] = [[years[0]]]
    for year in years[1:]:
        if year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
