"""School profile: one school on one screen (pupils, PMP risks, Pumpurs, support staff against the norm,
outcomes), each over every year the school has figures for, with the chosen year marked."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pandas as pd
import streamlit as st

from metrics import outcomes, profile, provenance, pumpurs
from metrics.staffing import DEFAULT_RULE, display_decimals
from presentation import profile as profile_text
from presentation.format import fmt_count, fmt_num
from ui import components, figure_cache, filters, profile_charts
from ui.data import dataset, metric
from ui.i18n import t

f = filters.current()
lang, limit, no_data, years = f.lang, f.threshold, t("common.no_data"), f.start_years
place = dataset("municipalities.sql").set_index("code").loc[f.municipality]
schools = dataset("schools.sql", municipality=f.municipality)
names = dict(zip(schools["school_id"], schools["name"], strict=True))
st.title(t("profile.title"))
if place["is_synthetic"]:
    st.warning(t("app.synthetic_warning"))
if not names:
    components.no_data(t("profile.no_schools", municipality=place[f"name_{lang}"]))
    st.stop()


def choose() -> None:
    """The school chosen here goes into the URL (``school=``), so a link opens this profile; the
    sidebar's filters stay as they were (they belong to the pages the user comes from)."""
    st.session_state[components.PROFILE_SCHOOL] = st.session_state["profile_school"]


# The profile's school: the drill-down's or this page's choice (``school=`` in the URL), else the
# sidebar's first chosen school, else the first school of the municipality.
asked = st.session_state.get(components.PROFILE_SCHOOL) or st.query_params.get("school")
st.session_state["profile_school"] = (
    asked if asked in names else (f.schools[0] if f.schools and f.schools[0] in names else next(iter(names)))
)
code = st.selectbox(
    t("profile.choose"),
    list(names),
    format_func=names.get,
    key="profile_school",
    on_change=choose,
    help=t("profile.choose_help"),
    width=520,
)
st.session_state[components.PROFILE_SCHOOL] = code
if st.query_params.get("school") != code:
    st.query_params["school"] = code
st.subheader(t("profile.subtitle", school=names[code], municipality=place[f"name_{lang}"]))
if len(f.schools) > 1 and code == f.schools[0]:
    st.caption(t("profile.several"))
if note := profile.merge_note(schools, code):
    st.info(t(f"profile.{note[0]}", **note[1]))
when = t("profile.when_chosen", years=", ".join(f.years)) if f.years else t("profile.when_latest")
st.caption(t("profile.intro", when=when))

# Counts come from the municipal frames, so they are hidden exactly where the other pages hide them
# (metrics/profile.py); only the risk-group breakdown, which exists per school alone, is computed for it.
whole, one = f.model_copy(update={"schools": (), "years": ()}), f.model_copy(update={"schools": (code,), "years": ()})
enrol = profile.of_school(metric("pupils_by_school", whole), code)
focus = profile.of_school(metric("focus_schools", whole), code)
hidden = profile.hidden_years((enrol, ["pupils"]), (focus, ["identified", "enrolled"]))
lines = profile.risk_lines(metric("risk_group_share", one), hidden)
semesters = pumpurs.with_status(metric("pumpurs_semesters", whole), metric("pumpurs_stated", whole))
column = pumpurs.value_column(semesters)
municipal = bool(schools.set_index("school_id").at[code, "is_municipal"])
plans = pumpurs.protect(metric("pumpurs_school_semesters", whole, municipal=municipal), column)
cells = profile.of_school(plans, code)
staff = profile.of_school(metric("staff_gap_by_school", whole), code)
results = outcomes.ordered(outcomes.hide_derived(metric("outcomes_by_school", whole), limit))
results = profile.of_school(results, code, "scope")


def fte(value: object) -> str:
    return fmt_num(value, lang, display_decimals(value), no_data)


def count(row: pd.Series, column: str) -> str:
    return fmt_count(row[column], bool(row[f"{column}_hidden"]), lang, limit, no_data)


Card = tuple[str, str, str, list[str], str]  # label, value, year or period, sources, help


def card(key: str, row: pd.Series | None, value: Callable, when: Callable = lambda r: r["school_year"]) -> Card:
    """A headline card from the latest row in the chosen years; "no data" (never 0) without one."""
    label, help_text = t(key), t(f"{key}_help", norm=fte(DEFAULT_RULE.base_fte))
    return (
        (label, no_data, "", [], help_text) if row is None else (label, value(row), when(row), row["source"], help_text)
    )


def per_100(row: pd.Series) -> str:
    return t("risks.hidden", limit=limit) if row["per_100_hidden"] else fmt_num(row["per_100"], lang, 1)


def norm_met(row: pd.Series) -> str:
    met, roles = profile.norm_met(staff[staff["school_year"] == row["school_year"]])
    return t("profile.kpi_staff_value", met=met, of=roles)


topic, left = profile.left_school(results)
plan_key = "profile.kpi_iap_count" if column == "iap_count" else "profile.kpi_participants"
cards = [
    card("profile.kpi_pupils", profile.latest(enrol, years, "pupils"), lambda r: count(r, "pupils")),
    card("profile.kpi_risk", profile.latest(lines[lines["risk_group"] == "total"], years, "per_100"), per_100,
         lambda r: r["period"]),
    card(plan_key, profile.latest(cells, years, column), lambda r: count(r, column),
         lambda r: pumpurs.period_label(r["period"], r["semester"])),
    card("profile.kpi_staff", profile.latest(staff[staff["reporting"]], years), norm_met,
         lambda r: t("profile.kpi_staff_when", year=r["school_year"], norm=fte(DEFAULT_RULE.base_fte))),
    card(f"profile.kpi_{topic or 'left'}", profile.latest(left, years, "pupils"), lambda r: count(r, "pupils")),
]  # fmt: skip
for box, (label, value, period, _source, help_text) in zip(st.columns(len(cards)), cards, strict=True):
    with box:
        components.kpi(label, value, period or None, help_text)


def section(name: str, empty: bool, caption: str = "", *, later: bool = False, **values: object):
    """A section's title, then its one-sentence caption, or the "no data for ..." box instead of a chart.
    Returns where its chart goes (None: nothing to draw); the ``later`` sections, below the first screen,
    are drawn on demand (``components.on_demand``: the cards above already give each one's latest figure)."""
    st.subheader(t(f"profile.{name}_title"))
    if empty:
        components.no_data(t(f"profile.no_{name}"))
        return None
    st.caption(t(f"profile.{caption or name}_caption", **values))
    if not later:
        return contextlib.nullcontext()
    return components.on_demand(t("profile.show_chart"), f"profile_{name}_open")


# the first screen's two charts built once per content and language (ui/figure_cache): a fifth of the run
if (box := section("pupils", enrol.empty)) is not None:
    with box:
        fig, table = figure_cache.cached(profile_charts.pupils, enrol, years, lang, limit)
        components.chart_block(fig, table, "profile_pupils", provenance.sources(enrol), "profile_pupils")
drawn = lines[lines["per_100"].notna() | lines["per_100_hidden"]]
if (box := section("risk", drawn.empty, limit=limit)) is not None:
    with box:
        fig, table = figure_cache.cached(profile_charts.risks, lines, years, lang, limit)
        components.chart_block(fig, table, "profile_risks", provenance.sources(lines), "profile_risks")
if (box := section("pumpurs", cells.empty, f"pumpurs_{column}", later=True)) is not None:
    with box:
        slots = semesters if municipal else semesters.assign(status="reported")  # the college: its own semesters
        fig, table = profile_charts.plans(cells, slots, column, years, lang, limit)
        components.chart_block(fig, table, "profile_pumpurs", provenance.sources(cells), "profile_pumpurs")
grid = profile_text.staff_cells(staff, fte, no_data, t("support_staff.not_listed"))
if (box := section("staff", not grid["reporting"].any(), later=True, norm=fte(DEFAULT_RULE.base_fte))) is not None:
    with box:
        fig, table = profile_charts.staff(grid, years, lang)
        components.chart_block(fig, table, "profile_support_staff", provenance.sources(grid), "profile_staff")
if (box := section("outcomes", results.empty, later=True)) is not None:
    with box:
        fig, table = profile_charts.results(results, years, lang, limit)
        components.chart_block(fig, table, "profile_outcomes", provenance.sources(results), "profile_outcomes")

with st.expander(t("common.sources")):
    heads = [t("profile.col_measure"), t("profile.col_value"), t("profile.col_when"), t("profile.col_source")]
    rows = [
        [label, value, period or no_data, provenance.joined(source) or no_data]
        for label, value, period, source, _ in cards
    ]
    st.dataframe(pd.DataFrame(rows, columns=heads), hide_index=True)
