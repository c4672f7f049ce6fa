"""Where would an indicator be in a target year if its trend went on? A careful, honest projection.

None of the programme documents or the tools they name projects a municipal target; this is the
dashboard's own arithmetic, shown as such on the Overview:

* Only the indicator's own measured values (and its measured baseline) are used, one per year.
* **At least three values**, else no projection ("cannot project yet"): two points always make a
  line and say nothing about how sure it is.
* A straight line fitted by least squares, extended to each target year after the last value.
* **An honest range**: the 80 % prediction interval of that line (Student's t with n − 2 degrees of
  freedom, widening with the distance from the measured years). With three or four values it is
  wide, and it is meant to be: it says how little the values tell.
* Shares stay within 0-100 %: the line's value and its range are clipped there (a line falling
  below 0 % says the share is near 0, not that it is negative).
* The verdict only says where the target lies against the range: inside it ("may or may not be
  reached"), on the good side of all of it ("likely"), or beyond it ("unlikely at this trend").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

MIN_POINTS = 3
# Student's t, two-sided 80 % (0.90 quantile), by degrees of freedom; beyond 30 the normal value.
T80 = {1: 3.078, 2: 1.886, 3: 1.638, 4: 1.533, 5: 1.476, 6: 1.440, 7: 1.415, 8: 1.397, 9: 1.383, 10: 1.372}
T80_LARGE = {15: 1.341, 20: 1.325, 30: 1.310}
Z80 = 1.2816

LIKELY, POSSIBLE, UNLIKELY = "likely", "possible", "unlikely"


@dataclass(frozen=True)
class Projection:
    year: int
    value: float  # the trend line's value in ``year``
    low: float  # the 80 % prediction interval
    high: float
    points: int  # how many values the line is fitted to
    first_year: int
    last_year: int


def t80(df: int) -> float:
    if df in T80:
        return T80[df]
    for limit, value in sorted(T80_LARGE.items()):
        if df <= limit:
            return value
    return Z80


def yearly(points: Iterable[tuple[int, float]]) -> list[tuple[int, float]]:
    """One value per year (the last given for a year wins), in year order; missing values dropped."""
    by_year: dict[int, float] = {}
    for year, value in points:
        if year is None or value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        by_year[int(year)] = float(value)
    return sorted(by_year.items())


def project(
    points: Iterable[tuple[int, float]], years: Iterable[int], bounds: tuple[float, float] | None = (0.0, 100.0)
) -> list[Projection] | None:
    """The trend's value in each of ``years`` after the last measured year, with its 80 % range; None
    when there are fewer than ``MIN_POINTS`` yearly values (a list without the years already past)."""
    series = yearly(points)
    if len(series) < MIN_POINTS:
        return None
    xs, ys = [float(x) for x, _ in series], [y for _, y in series]
    n = len(series)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    residual = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    spread = math.sqrt(residual / (n - 2)) if n > 2 else 0.0
    out = []
    for year in sorted(set(years)):
        if year <= series[-1][0]:
            continue
        value = intercept + slope * year
        half = t80(n - 2) * spread * math.sqrt(1 + 1 / n + (year - mean_x) ** 2 / sxx)
        low, high = value - half, value + half
        if bounds is not None:
            low, high = max(bounds[0], min(low, bounds[1])), min(bounds[1], max(high, bounds[0]))
            value = min(max(value, bounds[0]), bounds[1])  # a share below 0 % is no share
        out.append(Projection(year, value, low, high, n, series[0][0], series[-1][0]))
    return out


def verdict(projection: Projection, target: object, lower_is_better: bool) -> str:
    """Where the target lies against the projection's range: ``likely`` when the whole range is on
    the target's good side, ``unlikely`` when all of it is on the wrong side, else ``possible``."""
    target = float(target)
    if lower_is_better:
        if projection.high <= target:
            return LIKELY
        return UNLIKELY if projection.low > target else POSSIBLE
    if projection.low >= target:
        return LIKELY
    return UNLIKELY if projection.high < target else POSSIBLE
