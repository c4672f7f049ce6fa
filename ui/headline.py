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
from ui.data import assessment, derived
from ui.i18n import t

EARLY_LEAVING = 8  # the indicator number of early school leaving in both programmes (DOMAIN.md §8)
LOWER_IS_BETTER = frozenset({"decrease", "keep_low", "hold_zero"})


def _pct(value: object, lang: str) -> str:
    if is_missing(value):
        return t("common.no_data", lang)
    return fmt_pct(value, lang, targets_decimals(value))


def _rough(value: float, lang: str) -> str:
    """A projected share: two decimals at most, since a trend line is no measurement."""
    return fmt_pct(value, lang, 2)


def targets_decimals(value: object) -> int:
    """As many decimals as the figure has (0,02% stays 0,02%), at most three, at least none."""
    return next((d for d in range(4) if abs(round(float(value), d) - float(value)) < 1e-9), 3)


def _name(row: pd.Series, lang: str, width: int = 70) -> str:
    part = f" ({t('targets.breakdown.' + row['breakdown'], lang)})" if row["breakdown"] else ""
    name = targets.base_name(row[f"name_{lang}"], row["breakdown"]).rstrip(".")
    return f"{row['indicator_no']}{part}: " + textwrap.shorten(name, width, placeholder="…")  # "8." would start a list


def _goal(row: pd.Series, n: int, lang: str) -> str:
    value = row.get(f"target{n}_value")
    if is_missing(value):
        return t("targets.not_set", lang)
    text = _pct(value, lang)
    return t("targets.at_most", lang, value=text) if row.get(f"target{n}_comparison") == "at_most" else text


def content(municipality: str, chosen_years: list[str], lang: str) -> dict | None:
    """What the headline says, as text: None without a programme; else the caption, a box per goal
    (its title, its status counts, its indicators) and the early-leaving lines. Computed once per
    database version, view and language (``ui.data.derived``): it is a sixth of the Overview's run."""
    found = assessment(municipality, chosen_years)
    if found is None:
        return None
    a, values, years = found
    if a.empty:
        return {"caption": "", "boxes": [], "leaving": []}
    boxes = []
    for level in (lv for lv in targets.LEVELS if (a["prevention_level"] == lv).any()):
        own = a[a["prevention_level"] == level]
        counts = [(s, int((own["status"] == s).sum())) for s in targets.JUDGED]
        counts.append(("not_judged", int((~own["status"].isin(targets.JUDGED)).sum())))
        shown = [
            f"{t('targets.not_judged' if s == 'not_judged' else 'targets.status.' + s, lang)}: {fmt_num(n, lang)}"
            for s, n in counts
            if n
        ]
        items = [
            f"- {_name(row, lang, 60)} — {t('targets.status.' + row['status'], lang)}" for _, row in own.iterrows()
        ]
        boxes.append((t("targets.level." + level, lang), "  \n".join(shown), "\n".join(items)))
    leaving = a[a["indicator_no"] == EARLY_LEAVING]
    return {
        "caption": t("headline.caption", lang, year1=years[0], year2=years[1], total=len(a)),
        "boxes": boxes,
        "leaving": [_leaving_line(row, values, years, lang) for _, row in leaving.iterrows()],
    }


def draw(f: Filters) -> None:
    """The headline: status per goal, then early leaving with its projection."""
    said = derived(content, f.municipality, list(f.years), f.lang)
    st.subheader(t("headline.title"))
    if said is None:
        st.info(t("headline.no_programme"))
        return
    if not said["boxes"]:
        st.info(t("headline.no_indicators"))
        return
    st.caption(said["caption"])
    # each box's title and counts one element, its indicators another (as a caption): few elements
    for column, (title, counts, items) in zip(st.columns(len(said["boxes"])), said["boxes"], strict=True):
        with column.container(border=True):
            st.markdown(f"**{title}**\n\n{counts}")
            st.caption(items)
    if not said["leaving"]:
        return
    with st.container(border=True):
        st.markdown("\n\n".join([f"**{t('headline.leaving_title')}**", *said["leaving"]]))
        st.caption(t("headline.method", points=projection.MIN_POINTS))


def _leaving_line(row: pd.Series, values: pd.DataFrame, years: list[int], lang: str) -> str:
    """One early-leaving indicator: latest against baseline and targets, status, projection."""
    name = _name(row, lang, 90)
    latest = (
        t("headline.latest", lang, value=_pct(row["latest_value"], lang), period=row["latest_period"])
        if not is_missing(row["latest_value"])
        else t("headline.no_latest", lang)
    )
    baseline = (
        t("targets.not_set", lang)
        if is_missing(row["baseline_value"])
        else t("targets.value_period", lang, value=_pct(row["baseline_value"], lang), period=row["baseline_year"])
    )
    goals = ", ".join(
        t("headline.target", lang, year=y, value=_goal(row, n, lang)) for n, y in enumerate(years, start=1)
    )
    status = t(f"targets.status.{row['status']}", lang)
    points = targets.chart_points(pd.DataFrame([row]), values)
    measured = points[points["series"].isin(["baseline", "actual"])]
    pairs = [(int(y), float(v)) for y, v in zip(measured["year"], measured["value"], strict=True)]
    result = projection.project(pairs, years)
    count = len(projection.yearly(pairs))
    if result is None:
        outlook = t("headline.cannot_project", lang, n=count, need=projection.MIN_POINTS)
    elif not result:
        outlook = t("headline.past_targets", lang)
    else:
        parts = []
        for p in result:
            n = years.index(p.year) + 1
            target = row.get(f"target{n}_value")
            lower = row["desired_trend"] in LOWER_IS_BETTER
            verdict = projection.verdict(p, target, lower)
            judged = "" if is_missing(target) else " " + t(f"headline.verdict.{verdict}", lang)
            shown = {"value": _rough(p.value, lang), "low": _rough(p.low, lang), "high": _rough(p.high, lang)}
            parts.append(t("headline.projected", lang, year=p.year, **shown) + judged)
        span = {"n": count, "first": result[0].first_year, "last": result[0].last_year}
        outlook = t("headline.projection", lang, **span) + " " + "; ".join(parts)
    return f"**{name}**  \n{latest}; {t('headline.baseline', lang, value=baseline)}; {goals}. {status}.  \n{outlook}"
