"""The Overview's answer first: is the programme on track for its target years, and is early school
leaving falling? Before any count of pupils or schools.

* A box per programme goal (prevention level): how many of its indicators are in each status, and
  the indicators behind the counts (the same rule as the Targets page, ``metrics/targets.py``).
* Early leaving (indicator 8 in both programmes and the demo): its latest value against the baseline
  and both targets, and a careful projection to each target year (``metrics/projection.py``) only
  where there are at least three yearly values, with its range; else "cannot project yet".
"""

from __future__ import annotations

import textwrap

import pandas as pd
import streamlit as st

from metrics import projection, targets
from metrics.filters import Filters
from presentation.format import fmt_num, fmt_pct, is_missing
from ui.data import dataset
from ui.i18n import t

EARLY_LEAVING = 8  # the indicator number of early school leaving in both programmes (DOMAIN.md §8)
LOWER_IS_BETTER = frozenset({"decrease", "keep_low", "hold_zero"})


def _pct(value: object) -> str:
    if is_missing(value):
        return t("common.no_data")
    return fmt_pct(value, st.session_state.get("lang", "lv"), targets_decimals(value))


def _rough(value: float) -> str:
    """A projected share: two decimals at most, since a trend line is no measurement."""
    return fmt_pct(value, st.session_state.get("lang", "lv"), 2)


def targets_decimals(value: object) -> int:
    """As many decimals as the figure has (0,02% stays 0,02%), at most three, at least none."""
    return next((d for d in range(4) if abs(round(float(value), d) - float(value)) < 1e-9), 3)


def _name(row: pd.Series, lang: str, width: int = 70) -> str:
    part = f" ({t('targets.breakdown.' + row['breakdown'])})" if row["breakdown"] else ""
    name = targets.base_name(row[f"name_{lang}"], row["breakdown"]).rstrip(".")
    return f"{row['indicator_no']}{part}: " + textwrap.shorten(name, width, placeholder="…")  # "8." would start a list


def _goal(row: pd.Series, n: int) -> str:
    value = row.get(f"target{n}_value")
    if is_missing(value):
        return t("targets.not_set")
    text = _pct(value)
    return t("targets.at_most", value=text) if row.get(f"target{n}_comparison") == "at_most" else text


def assessed(f: Filters) -> tuple[pd.DataFrame, pd.DataFrame, list[int]] | None:
    """The indicators assessed as on the Targets page, their values and the two target years; None
    for a municipality without a programme."""
    place = dataset("municipalities.sql").set_index("code").loc[f.municipality]
    if is_missing(place["target_year_1"]) or is_missing(place["target_year_2"]):
        return None
    years = [int(place["target_year_1"]), int(place["target_year_2"])]
    values = dataset("target_indicator_values.sql", municipality=f.municipality, years=list(f.years))
    a = targets.assess_indicators(
        dataset("target_indicators.sql", municipality=f.municipality),
        dataset("target_indicator_targets.sql", municipality=f.municipality),
        values,
    )
    return a, values, years


def draw(f: Filters) -> None:
    """The headline: status per goal, then early leaving with its projection."""
    lang = f.lang
    found = assessed(f)
    st.subheader(t("headline.title"))
    if found is None:
        st.info(t("headline.no_programme"))
        return
    a, values, years = found
    if a.empty:
        st.info(t("headline.no_indicators"))
        return
    st.caption(t("headline.caption", year1=years[0], year2=years[1], total=len(a)))
    levels = [lv for lv in targets.LEVELS if (a["prevention_level"] == lv).any()]
    for box, level in zip(st.columns(len(levels)), levels, strict=True):
        own = a[a["prevention_level"] == level]
        with box.container(border=True):
            st.markdown(f"**{t('targets.level.' + level)}**")
            counts = [(s, int((own["status"] == s).sum())) for s in targets.JUDGED]
            counts.append(("not_judged", int((~own["status"].isin(targets.JUDGED)).sum())))
            shown = [
                f"{t('targets.not_judged') if s == 'not_judged' else t('targets.status.' + s)}: {fmt_num(n, lang)}"
                for s, n in counts
                if n
            ]
            st.markdown("  \n".join(shown))
            items = [f"- {_name(row, lang, 60)} — {t('targets.status.' + row['status'])}" for _, row in own.iterrows()]
            st.caption("\n".join(items))
    leaving = a[a["indicator_no"] == EARLY_LEAVING]
    if leaving.empty:
        return
    with st.container(border=True):
        st.markdown(f"**{t('headline.leaving_title')}**")
        for _, row in leaving.iterrows():
            st.markdown(_leaving_line(row, values, years))
        st.caption(t("headline.method", points=projection.MIN_POINTS))


def _leaving_line(row: pd.Series, values: pd.DataFrame, years: list[int]) -> str:
    """One early-leaving indicator: latest against baseline and targets, status, projection."""
    name = _name(row, st.session_state.get("lang", "lv"), 90)
    latest = (
        t("headline.latest", value=_pct(row["latest_value"]), period=row["latest_period"])
        if not is_missing(row["latest_value"])
        else t("headline.no_latest")
    )
    baseline = (
        t("targets.not_set")
        if is_missing(row["baseline_value"])
        else t("targets.value_period", value=_pct(row["baseline_value"]), period=row["baseline_year"])
    )
    goals = ", ".join(t("headline.target", year=y, value=_goal(row, n)) for n, y in enumerate(years, start=1))
    status = t(f"targets.status.{row['status']}")
    points = targets.chart_points(pd.DataFrame([row]), values)
    measured = points[points["series"].isin(["baseline", "actual"])]
    pairs = [(int(y), float(v)) for y, v in zip(measured["year"], measured["value"], strict=True)]
    result = projection.project(pairs, years)
    count = len(projection.yearly(pairs))
    if result is None:
        outlook = t("headline.cannot_project", n=count, need=projection.MIN_POINTS)
    elif not result:
        outlook = t("headline.past_targets")
    else:
        parts = []
        for p in result:
            n = years.index(p.year) + 1
            target = row.get(f"target{n}_value")
            lower = row["desired_trend"] in LOWER_IS_BETTER
            judged = "" if is_missing(target) else " " + t(f"headline.verdict.{projection.verdict(p, target, lower)}")
            shown = {"value": _rough(p.value), "low": _rough(p.low), "high": _rough(p.high)}
            parts.append(t("headline.projected", year=p.year, **shown) + judged)
        span = {"n": count, "first": result[0].first_year, "last": result[0].last_year}
        outlook = t("headline.projection", **span) + " " + "; ".join(parts)
    return f"**{name}**  \n{latest}; {t('headline.baseline', value=baseline)}; {goals}. {status}.  \n{outlook}"
