"""Are we on track? The status rule for the programme's result indicators.

Pure Python and pandas (no streamlit, no SQL), so the rule the council reads on the Targets
page is exactly the rule the unit tests check. The wording shown on the page lives in
``presentation/locales/<lang>/targets.toml`` (``rule_*`` keys) and must stay in step with this docstring.

The rule
--------
* **Time.** A calendar year counts as itself; a school year counts at its end (2020/2021 → 2021),
  because its figures are known in the summer when the yearly monitoring report is written.
* **Planned path.** A straight line from the baseline to the first target and on to the second;
  after the last target year the path stays at the last target.
* **Direction.** "increase" indicators should be at or above the path; "decrease" indicators and
  every "at most" target (printed "<") at or below it.
* **achieved**: the latest value already meets the final target.
* **on track**: the latest value is on the path (exactly on the line counts) or better.
* **at risk**: behind the path, but at least half of the improvement planned by that date is made.
* **off track**: less than half of the planned improvement, no change, or a move the wrong way.
* **Ceilings.** "keep low" and "hold at 0" indicators start at or under their target, so a line
  makes no sense: the value must stay at or below the target in force (the next target due).
  At or below it: achieved (on track if only a lower final ceiling is still missed); above: off track.
* **Missing numbers** are never guessed: no numeric target → ``no_target``; a baseline "to be set"
  is taken from the first measurement (from the baseline year on), and without any measurement the
  status is ``no_baseline``; no measurement after the baseline → ``no_measurement``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

import pandas as pd

from metrics.privacy import hide_ratios, is_hidden

ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK = "achieved", "on_track", "at_risk", "off_track"
NO_MEASUREMENT, NO_BASELINE, NO_TARGET = "no_measurement", "no_baseline", "no_target"
# Best first; the page's colours, counts and legend follow this order.
STATUSES = (ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, NO_MEASUREMENT, NO_BASELINE, NO_TARGET)
JUDGED = (ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK)

CEILING_TRENDS = frozenset({"keep_low", "hold_zero"})
AT_RISK_SHARE = 0.5  # share of the planned improvement that separates "at risk" from "off track"
EPS = 1e-9  # values are stored with three decimals; this only absorbs float rounding
LEVELS = ("universal", "targeted", "tailored")
BREAKDOWNS = ("", "basic", "secondary", "extramural")


@dataclass(frozen=True)
class Target:
    year: int
    value: float | None  # None: the document says the target will be set later
    comparison: str = "reach"  # "reach" or "at_most"


@dataclass(frozen=True)
class Measurement:
    year: int  # measurement time, see ``period_year``
    value: float


@dataclass(frozen=True)
class Assessment:
    status: str
    value: float | None = None  # the latest measurement, if any
    year: int | None = None
    expected: float | None = None  # the planned path (or the ceiling in force) at ``year``
    baseline: float | None = None  # the baseline the status was judged against
    baseline_year: int | None = None
    baseline_measured: bool = False  # True when the baseline was "to be set" and came from a measurement


def period_year(period: object) -> int | None:
    """The year a period counts at: ``2024`` → 2024, ``2020/2021`` → 2021, ``2023.g`` → 2023.

    A school year counts at its end. Unreadable or empty text gives None (no date, no line).
    """
    if period is None or (isinstance(period, float) and pd.isna(period)):
        return None
    years = re.findall(r"\d{4}", str(period))
    return int(years[-1]) if years else None


def _meets(value: float, target: float, direction: int) -> bool:
    return direction * (value - target) >= -EPS


def _on_path(path: list[tuple[int, float]], year: int) -> float:
    """The planned value at ``year`` on the straight lines through ``path`` (sorted by year)."""
    if year <= path[0][0]:
        return path[0][1]
    for (y0, v0), (y1, v1) in pairwise(path):
        if year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return path[-1][1]


def assess(
    trend: str,
    baseline: float | None,
    baseline_year: int | None,
    targets: list[Target],
    measurements: list[Measurement],
) -> Assessment:
    """The status of an indicator's latest measurement against its baseline and targets."""
    numeric = sorted((t for t in targets if t.value is not None), key=lambda t: t.year)
    ordered = sorted(measurements, key=lambda m: m.year)
    latest = ordered[-1] if ordered else None
    seen = {"value": latest.value, "year": latest.year} if latest else {}
    if not numeric:
        return Assessment(NO_TARGET, **seen)
    measured = False
    if baseline is None or baseline_year is None:
        first = [m for m in ordered if baseline_year is None or m.year >= baseline_year]
        if not first:
            return Assessment(NO_BASELINE, **seen)
        baseline, baseline_year, measured = first[0].value, first[0].year, True
    base = {"baseline": baseline, "baseline_year": baseline_year, "baseline_measured": measured}
    if latest is None or latest.year <= baseline_year:
        return Assessment(NO_MEASUREMENT, **seen, **base)

    final = numeric[-1]
    if trend in CEILING_TRENDS:
        ceiling = next((t for t in numeric if t.year >= latest.year), final)
        if not _meets(latest.value, ceiling.value, -1):
            status = OFF_TRACK
        else:
            status = ACHIEVED if _meets(latest.value, final.value, -1) else ON_TRACK
        return Assessment(status, **seen, expected=ceiling.value, **base)

    direction = -1 if trend != "increase" or any(t.comparison == "at_most" for t in numeric) else 1
    path = [(baseline_year, baseline)] + [(t.year, t.value) for t in numeric if t.year > baseline_year]
    expected = _on_path(path, latest.year)
    if _meets(latest.value, final.value, direction):
        status = ACHIEVED
    elif _meets(latest.value, expected, direction):
        status = ON_TRACK
    else:
        planned = direction * (expected - baseline)
        made = direction * (latest.value - baseline)
        status = AT_RISK if planned > EPS and made >= AT_RISK_SHARE * planned - EPS else OFF_TRACK
    return Assessment(status, **seen, expected=expected, **base)


def indicator_key(no: object, breakdown: object) -> str:
    """A stable key for one indicator line: ``3``, ``8-basic``."""
    return f"{int(no)}-{breakdown}" if breakdown else str(int(no))


def base_name(name: str, breakdown: str) -> str:
    """An indicator's name without the breakdown the loader appends in parentheses at its end.

    ``"... pakāpē (%). (pamatskolā)"`` → ``"... pakāpē (%)."``; nested parentheses are matched, as
    in ``"(part-time / distance (extramural) programmes)"``. Names without a breakdown are kept whole.
    """
    text = name.rstrip()
    if not breakdown or not text.endswith(")"):
        return text
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            return text[:i].rstrip() or text
    return text


def keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with the indicator ``key`` (and, where it has periods, the measurement ``year``)."""
    keys = [indicator_key(n, b) for n, b in zip(frame["indicator_no"], frame["breakdown"], strict=True)]
    out = frame.assign(key=pd.Series(keys, index=frame.index, dtype=object))
    if "period" in frame:
        out["year"] = pd.Series([period_year(p) for p in frame["period"]], index=frame.index, dtype="Int64")
    return out


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def assess_indicators(indicators: pd.DataFrame, targets: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: its columns, its targets side by side, the latest value and the status.

    Target columns are ``target{n}_year/_value/_comparison/_text`` in year order. Status columns
    come from ``assess``; ``measurements`` counts the actual values; ``has_numbers`` is False where
    the document gives no baseline, no target number and no value (nothing to draw).
    """
    out = keyed(indicators)
    targets = keyed(targets).sort_values("target_year")
    values = keyed(values).sort_values("year")
    rows = []
    for row in out.itertuples():
        own_targets = targets[targets["key"] == row.key]
        own_values = values[values["key"] == row.key]
        result = assess(
            row.desired_trend,
            _number(row.baseline_value),
            period_year(row.baseline_year),
            [Target(int(t.target_year), _number(t.target_value), t.comparison) for t in own_targets.itertuples()],
            [Measurement(int(v.year), float(v.value)) for v in own_values.itertuples()],
        )
        record = {
            "status": result.status,
            "latest_value": result.value,
            "latest_period": own_values["period"].iloc[-1] if len(own_values) else None,
            "latest_source": own_values["source"].iloc[-1] if len(own_values) else None,
            "measurements": len(own_values),
            "expected": result.expected,
            "judged_baseline": result.baseline,
            "judged_baseline_year": result.baseline_year,
            "baseline_measured": result.baseline_measured,
            "has_numbers": bool(
                _number(row.baseline_value) is not None or len(own_values) or own_targets["target_value"].notna().any()
            ),
        }
        for n, t in enumerate(own_targets.itertuples(), start=1):
            record |= {
                f"target{n}_year": int(t.target_year),
                f"target{n}_value": _number(t.target_value),
                f"target{n}_comparison": t.comparison,
                f"target{n}_text": t.target_text,
            }
        rows.append(record)
    return pd.concat([out.reset_index(drop=True), pd.DataFrame(rows)], axis=1)


def chart_points(assessed: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Everything a progress chart draws, long: rows (key, series, year, value, period, source).

    ``series`` is ``baseline`` (the judged baseline), ``path`` (the planned line: from the baseline
    straight to each later target; for a ceiling indicator the ceiling in force, as a step), ``target``
    (every numeric target, also where no baseline exists yet) or ``actual`` (the indicator's values).
    Nothing is drawn where the document gives no number.
    """
    rows = []
    target_numbers = sorted(int(c[6:-5]) for c in assessed.columns if re.fullmatch(r"target\d+_year", c))
    for row in assessed.to_dict("records"):
        key, source = row["key"], row["source"]
        base, base_year = _number(row["judged_baseline"]), row["judged_baseline_year"]
        goals = [(int(row[f"target{n}_year"]), _number(row[f"target{n}_value"])) for n in target_numbers]
        goals = [(year, value) for year, value in goals if value is not None]
        if base is not None:
            period = row["baseline_year"] if not row["baseline_measured"] else str(base_year)
            rows.append((key, "baseline", int(base_year), base, str(period), source))
            later = [(y, v) for y, v in goals if y > base_year]
            if row["desired_trend"] in CEILING_TRENDS and later:  # hold under the ceiling due next
                line = [(int(base_year), later[0][1])]
                for (y0, v0), (_, v1) in pairwise(later):
                    line += [(y0, v0), (y0, v1)] if v1 != v0 else [(y0, v0)]
                line.append(later[-1])
            else:
                line = [(int(base_year), base), *later]
            rows += [(key, "path", y, v, str(y), source) for y, v in line]
        rows += [(key, "target", y, v, str(y), source) for y, v in goals]
    actual = keyed(values)
    actual = actual[actual["key"].isin(assessed["key"])]
    columns = ["key", "series", "year", "value", "period", "source"]
    rows += list(actual.assign(series="actual")[columns].itertuples(index=False, name=None))
    return pd.DataFrame(rows, columns=columns).astype({"year": "int64", "value": "float64"})


def computed_series(
    frame: pd.DataFrame, column: str, breakdown: str = "", counts: tuple[str, ...] = ()
) -> pd.DataFrame:
    """A linked metric's rows read at the indicator's grain: columns period, year, value, hidden, source.

    The metric frames come from the school data at their own grain, so they are narrowed to what
    the indicator measures: the indicator's level (``level`` column: ``all`` for a whole-school
    indicator, else its breakdown) without a subject or exam threshold; a per-semester metric at
    the end of the school year (semester II, as a school year counts at its end); and only shares
    the dashboard really recomputed (``share_basis = 'computed'``; a printed share is the document's
    own figure, not a second measurement). A value whose pupil count is suppressed is hidden with
    it (``hidden``), since the share would give the count away. Rows without a value are dropped.
    """
    keep = pd.Series(True, index=frame.index)
    narrow = {"level": breakdown or "all", "subject": "", "threshold": "", "semester": "II", "share_basis": "computed"}
    for name, wanted in narrow.items():
        if name in frame:
            keep &= frame[name].fillna("") == wanted
    frame = hide_ratios(frame[keep], {column: counts})
    hidden = is_hidden(frame, column)
    period_column = "school_year" if "school_year" in frame else "period"
    cited = frame["source"] if "source" in frame else pd.Series([[] for _ in range(len(frame))], index=frame.index)
    out = pd.DataFrame(
        {
            "period": frame[period_column],
            "year": [period_year(p) for p in frame[period_column]],
            "value": pd.to_numeric(frame[column], errors="coerce").astype("float64").mask(hidden),
            "hidden": hidden,
            "source": cited,
        }
    )
    return out[out["value"].notna() | out["hidden"]].reset_index(drop=True)


def reason(row: pd.Series) -> tuple[str, dict[str, object]]:
    """Why an assessed indicator has its status: the key of the sentence (``why.<key>`` in the
    locale files) and the raw figures it names (formatting is the page's job)."""
    status = row["status"]
    key = status
    if status in JUDGED and row["desired_trend"] in CEILING_TRENDS:
        key = "ceiling_over" if status == OFF_TRACK else "ceiling_ok"
    elif status == NO_MEASUREMENT and row["measurements"]:
        key = "baseline_is_latest"  # the only values are the baseline measurement itself (or older)
    target_numbers = sorted(int(c[6:-5]) for c in row.index if re.fullmatch(r"target\d+_year", c))
    final = next((row[f"target{n}_value"] for n in reversed(target_numbers) if pd.notna(row[f"target{n}_value"])), None)
    facts = {
        "value": row["latest_value"],
        "period": row["latest_period"],
        "expected": row["expected"],
        "final": final,
        "year": int(row["judged_baseline_year"]) if row["baseline_measured"] else row["baseline_year"],
        "text": row["target1_text"] if status == NO_TARGET and target_numbers else row["baseline_text"],
    }
    return key, facts


def side_by_side(official: pd.DataFrame, computed: pd.DataFrame) -> pd.DataFrame:
    """Officially reported and computed values of the same measurement year, with the difference
    (computed − official, percentage points). Years with only one of the two are left out."""
    both = official.merge(computed, on="year", suffixes=("_official", "_computed"))
    both["difference"] = both["value_computed"] - both["value_official"]
    both["differs"] = both["difference"].abs() > 0.005  # beyond the rounding of a printed 0.01
    return both
