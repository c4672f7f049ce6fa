"""Action plan: the programme's prevention activities by level and goal — who is responsible, who
takes part, funding, the years each runs — and each year's implementation report (annex 1 form)."""

from __future__ import annotations

import textwrap
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_loaders.safe_text import escape_markdown
from metrics import provenance
from metrics.activities import YEAR_STATUSES, institution_roles, institutions, year_status
from metrics.targets import LEVELS
from presentation.charts import themed
from presentation.format import fmt_count, fmt_num, is_missing, years_text
from ui import components, figure_cache, filters
from ui.data import dataset, metric
from ui.i18n import t

COLOURS = {"done": "#009E73", "in_progress": "#0072B2", "not_done": "#D55E00", "planned": "#56B4E9"}
f = filters.current()
lang = f.lang
municipality = dataset("municipalities.sql").set_index("code").loc[f.municipality]
if is_missing(municipality["plan_start"]):
    st.title(t("action_plan.title"))  # a municipality without a programme (yet): no plan to show
    st.info(t("action_plan.no_programme", municipality=municipality[f"name_{lang}"]))
    st.stop()
first, last = int(municipality["plan_start"]), int(municipality["plan_end"])
plan = dataset("activity_plan.sql", municipality=f.municipality)
timeline = dataset("activity_timeline.sql", municipality=f.municipality)
reports = metric("activity_participants", f)
STATUS = {s: t(f"action_plan.status.{s}") for s in YEAR_STATUSES}
ROLE = {r: t(f"action_plan.role_option.{r}") for r in ("any", "responsible", "involved")}
LEVEL = {lv: t(f"targets.level.{lv}") for lv in LEVELS}
text, funding = ("activity_en", "funding_source_en") if lang == "en" else ("activity_lv", "funding_source_lv")

st.title(t("action_plan.title"))
st.subheader(t("action_plan.subtitle", municipality=municipality[f"name_{lang}"], start=first, end=last))
if municipality["is_synthetic"]:
    st.warning(t("app.synthetic_warning"))
st.caption(t("action_plan.caption"))
notes = [t("action_plan.latvian_only")] if lang == "en" else []  # said once, for every Latvian-only field
notes += [t("action_plan.filters_ignored")] if f.schools or f.years else []
if notes:
    st.caption(" ".join(notes))
if plan.empty:
    components.no_data(t("action_plan.no_activities"))
    st.stop()

# Page settings: the calendar year, an institution and its role, statuses. The page opens on the latest
# year with reports (a status or participants), else on the last year that has ended: a year is
# reported on after it ends, so this calendar year never has reports yet.
years, today = list(range(first, last + 1)), date.today().year
roles = institution_roles(plan)
names = {"": t("action_plan.all_institutions"), **{n: n for n in institutions(roles)}}
filed = sorted(y for y in {*reports["year"], *timeline.loc[timeline["status"].notna(), "year"]} if first <= y <= last)
opening = int(filed[-1]) if filed else min(max(today - 1, first), last)
for key, options, default in (("plan_year", years, opening), ("plan_institution", names, "")):
    if st.session_state.get(key) not in options:  # another municipality: its own years and institutions
        st.session_state[key] = default
left, middle, right, last_col = st.columns([0.8, 2, 2.4, 2])
year = left.selectbox(t("action_plan.year"), years, key="plan_year")
institution = middle.selectbox(t("action_plan.institution"), list(names), format_func=names.get, key="plan_institution")
role = right.segmented_control(
    t("action_plan.role"), list(ROLE), format_func=ROLE.get, default="any", required=True, key="plan_role"
)
chosen = last_col.multiselect(
    t("action_plan.status_filter"), list(STATUS), format_func=STATUS.get, placeholder=t("action_plan.all_statuses"),
    key="plan_status", select_all=False, filter_mode=None,  # no English "Select all", "No results": none chosen is all
)  # fmt: skip

timeline["reported"] = timeline["status"].notna()
timeline["status"] = year_status(timeline, today)
plan["status"] = plan["activity_no"].map(timeline[timeline["year"] == year].set_index("activity_no")["status"])
if institution:
    mine = roles[(roles["institution"] == institution) & ((roles["role"] == role) | (role == "any"))]
    plan = plan.merge(mine[["activity_no", "role"]], on="activity_no")
if chosen:
    plan = plan[plan["status"].isin(chosen)]
if plan.empty:
    st.info(t("action_plan.nothing_matches"))
    st.stop()

shown = timeline[timeline["activity_no"].isin(plan["activity_no"])]
in_year = shown[shown["year"] == year]
cards = [
    ("kpi_running", plan["status"].notna().sum(), t("action_plan.kpi_running_caption", total=len(plan))),
    ("kpi_reported", in_year["reported"].sum(), t("action_plan.kpi_reported_caption")),
    ("kpi_done", (in_year["status"] == "done").sum(), t("action_plan.kpi_status_caption")),
    ("kpi_not_done", (in_year["status"] == "not_done").sum(), t("action_plan.kpi_status_caption")),
]
for column, (name, value, caption) in zip(st.columns(4), cards, strict=True):
    with column:
        components.kpi(t(f"action_plan.{name}", year=year), fmt_num(value, lang), caption)

# Gantt-style timeline: a bar per activity and year the plan runs it, coloured by that year's status,
# with the activities grouped by prevention level on the axis.
plan["label"] = [
    f"{n} {textwrap.shorten(a, 56, placeholder='…')}" for n, a in zip(plan["activity_no"], plan[text], strict=True)
]


def gantt(plan: pd.DataFrame, shown: pd.DataFrame, year: int, first: int, last: int, lang: str) -> go.Figure:
    """The timeline (built once per content and language: ui/figure_cache; the status and level names
    are the language's, ``lang``)."""
    bars = shown.merge(plan[["activity_no", "label", "prevention_level"]], on="activity_no")
    axis = [plan["prevention_level"].map(LEVEL), plan["label"]]
    fig = go.Figure(go.Bar(y=axis, x=[0] * len(plan), showlegend=False, hoverinfo="skip"))  # fixes the row order
    for status, name in STATUS.items():
        part = bars[bars["status"] == status]
        fig.add_bar(
            y=[part["prevention_level"].map(LEVEL), part["label"]], x=[0.9] * len(part), base=part["year"] - 0.45,
            orientation="h", name=name, marker_color=COLOURS.get(status, "#9CA3AF"), customdata=part["year"],
            hovertemplate="%{y}<br>%{customdata}: " + name + "<extra></extra>",
        )  # fmt: skip
    fig.add_vrect(x0=year - 0.5, x1=year + 0.5, fillcolor="#F0E442", opacity=0.3, line_width=0, layer="below")
    fig = themed(fig, lang, height=150 + 34 * len(plan), title=t("action_plan.gantt_title", start=first, end=last))
    fig.update_xaxes(tickvals=list(range(first, last + 1)), range=[first - 0.55, last + 0.55], showgrid=False)
    fig.update_yaxes(autorange="reversed", tickfont={"size": 14}, showgrid=False)
    return fig.update_layout(barmode="overlay")


fig = figure_cache.cached(gantt, plan, shown, year, first, last, lang)

table = pd.DataFrame(
    {
        t("action_plan.col_no"): plan["activity_no"],
        t("action_plan.col_level"): plan["prevention_level"].map(LEVEL),
        t("action_plan.col_goal"): plan[f"goal_{lang}"],
        t("action_plan.col_activity"): plan[text],
        t("action_plan.col_responsible"): plan["responsible_lv"],
        t("action_plan.col_involved"): plan["involved_lv"].fillna("–"),
        t("action_plan.col_funding"): plan[funding].fillna("–"),
        t("action_plan.col_invested"): [fmt_num(v, lang) for v in plan["invested_funding_eur"]],
        t("action_plan.col_years"): [years_text(list(y)) or "–" for y in plan["years"]],
        t("action_plan.col_status", year=year): plan["status"].map(STATUS).fillna("–"),
        **({t("action_plan.col_role"): plan["role"].map(ROLE)} if institution else {}),
    }
)
st.caption(t("action_plan.gantt_caption"))
source = provenance.sources(plan, shown)  # the plan, and each bar's status (a yearly report or the plan's years)
components.chart_block(fig, table, f"action_plan_{f.municipality}_{year}", source, "plan_gantt")

# The yearly reports of the shown activities, in the columns of the report form (annex 1).
st.subheader(t("action_plan.reports_title", year=year))
st.caption(t("action_plan.reports_caption"))
own = reports[(reports["year"] == year) & reports["activity_no"].isin(plan["activity_no"])]
if own.empty:
    filed = reports[reports["activity_no"].isin(plan["activity_no"])]["year"]
    hint = [t("action_plan.latest_reports", year=int(filed.max()))] if len(filed) else []
    st.info(" ".join([t("action_plan.no_reports", year=year), *hint]))
else:
    counts = zip(own["participants"], own["participants_hidden"], strict=True)
    form = pd.DataFrame(
        {
            t("action_plan.col_activity"): own["activity_no"] + " " + own[text],
            t("action_plan.col_date"): own["year"].astype(str),
            t("action_plan.col_status", year=year): own["status"].map(STATUS),
            t("action_plan.col_done"): own["done_text"].fillna("–"),
            t("action_plan.col_participants"): [fmt_count(v, h, lang, f.threshold) for v, h in counts],
            t("action_plan.col_impact"): own["impact_text"].fillna("–"),
            t("action_plan.col_factors"): own["factors_text"].fillna("–"),
            t("action_plan.col_source"): [provenance.joined(s) for s in own["source"]],
        }
    )
    st.table(form.map(escape_markdown), hide_index=True)  # st.table renders Markdown: stored text read as typed
    components.downloads(form, f"activity_reports_{f.municipality}_{year}", "plan_reports")
