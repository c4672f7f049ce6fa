"""Support staff: each school's FTE against the norm, what is missing, and what closing the gaps costs."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from metrics import provenance
from metrics.staffing import NORM_ROLES, ROLES, NormRule, display_decimals, pupils_per_fte, yearly_cost
from presentation import staff_charts
from presentation.charts import TEMPLATE, heatmap, themed
from presentation.format import fmt_count, fmt_num
from ui import components, figure_cache, filters
from ui.data import dataset, metric
from ui.i18n import t

f = filters.current()
lang, no_data, limit = f.lang, t("common.no_data"), f.threshold
place = dataset("municipalities.sql").set_index("code").loc[f.municipality]
municipality = place[f"name_{lang}"]
roles = {role: t(f"support_staff.role.{role}") for role in (*ROLES, "project_support_hours")}


def fte(value: object) -> str:
    return fmt_num(value, lang, display_decimals(value), no_data)


st.title(t("support_staff.title"))
if place["is_synthetic"]:
    st.warning(t("app.synthetic_warning"))
if metric("staff_gap_fte", f).empty:  # no chosen school reported staff in the chosen years
    anywhere = not metric("staff_gap_fte", f.model_copy(update={"years": (), "schools": ()})).empty
    st.info(t("support_staff.no_fte_chosen" if anywhere else "support_staff.no_fte_table", name=municipality))
    st.stop()
st.caption(t("support_staff.intro", municipality=municipality))
# The rule as it reads, then its settings in a popover: a planner's tool, one click away, that the
# council does not need on screen (and six widgets the browser would draw on every visit)
rule_line = st.empty()
settings = st.popover(t("support_staff.rule_change"), icon=":material/tune:")
kinds = {"flat": t("support_staff.rule_flat"), "scaled": t("support_staff.rule_scaled")}
scaled = settings.radio(t("support_staff.rule"), list(kinds), format_func=kinds.get, key="staff_rule") == "scaled"
# FTE choices as lists, so they read in the language's number format (0,30), which a number input cannot
fte_choice = {"format_func": lambda v: fmt_num(v, lang, 2)}
bases, steps = [round(0.05 * i, 2) for i in range(1, 41)], [round(0.05 * i, 2) for i in range(21)]
base = settings.selectbox(t("support_staff.base_fte"), bases, bases.index(0.3), key="staff_base", **fte_choice)
up_to = settings.number_input(t("support_staff.up_to"), 0, 3000, 300, 50, key="staff_up_to", disabled=not scaled)
step = settings.selectbox(
    t("support_staff.step_fte"), steps, steps.index(0.1), key="staff_step", disabled=not scaled, **fte_choice
)
per = settings.number_input(t("support_staff.per"), 10, 1000, 100, 10, key="staff_per", disabled=not scaled)
cost = settings.number_input(t("support_staff.cost_per_fte"), min_value=0.0, value=None, step=1000.0, format="%.0f",
                             key="staff_cost", placeholder=t("support_staff.cost_placeholder"))  # fmt: skip
rule = NormRule(base, int(up_to) if scaled else None, step, int(per))
values = {"base": fte(rule.base_fte), "up_to": fmt_num(up_to, lang), "step": fte(step), "per": fmt_num(per, lang)}
rule_text = t(f"support_staff.rule_{'scaled' if scaled else 'flat'}_text", **values)
rule_line.markdown(f"**{rule_text}**")

by_year = metric("staff_gap_fte", f, **rule.params())
years = by_year["school_year"].tolist()
year = st.selectbox(t("common.school_year"), years, index=len(years) - 1, key="staff_year", width=220)
row = by_year.set_index("school_year").loc[year]
cells = metric("staff_gap_by_school", f, **rule.params())
one = cells[cells["school_year"] == year].assign(role_label=lambda d: d["role"].map(roles))
schools = one.drop_duplicates("school").set_index("school")
missing = schools.index[schools["school_status"] == "no_data"].tolist()
year_cost = yearly_cost(row["gap_fte"], cost)
unknown = row["schools_norm_unknown"]
gap_note = t("support_staff.unknown_note", n=unknown) if unknown else t("support_staff.gap_note")
kpis = [
    ("meets", fmt_num(row["schools_meeting_norm"], lang), t("support_staff.of_reporting", n=row["schools_reporting"])),
    ("gap", fte(row["gap_fte"]), gap_note),
    ("no_data", fmt_num(len(missing), lang), ", ".join(missing)),
]
for column, (key, value, caption) in zip(st.columns(3), kpis, strict=True):
    with column:
        components.kpi(t(f"support_staff.kpi_{key}"), value, caption or None)
cost_key = "support_staff.cost_hint" if year_cost is None else "support_staff.cost_line"
st.markdown(t(cost_key, fte=fte(row["gap_fte"]), cost=fmt_num(cost, lang), total=fmt_num(year_cost, lang), year=year))

stated = dataset("staffing_stated_totals.sql", municipality=f.municipality, years=[year])
for r in stated[stated["school_sum"].notna() & stated["difference"].ne(0)].itertuples():
    values = {"stated": fte(r.stated), "summed": fte(r.school_sum), "diff": fte(abs(r.difference))}
    st.warning(t("support_staff.stated_differs", role=roles.get(r.measure, r.measure), year=year, **values))

norm_labels, labels = [roles[r] for r in NORM_ROLES], [roles[r] for r in ROLES]
norm = one[one["role"].isin(NORM_ROLES)].assign(coverage=lambda d: d["coverage"].clip(upper=2))
norm["label"] = [
    no_data if not reporting else (fte(v) if listed else t("support_staff.not_listed"))
    for reporting, listed, v in zip(norm["reporting"], norm["listed"], norm["fte"], strict=True)
]
scale = [[0, "#D55E00"], [0.4999, "#F6D0A5"], [0.5, "#B8D8EE"], [1, "#0072B2"]]
# built once per content and language (ui/figure_cache: a third of this page's run); no colour bar: two
# colours, explained in the caption
heat_cells = norm[["role_label", "school", "coverage", "label"]]
fig = figure_cache.cached(heatmap, heat_cells, "role_label", "school", "coverage", lang=lang, text="label",
                          colorscale=scale, zmin=0, zmax=2, showscale=False)  # fmt: skip
table = norm.pivot(index="school", columns="role_label", values="label").reindex(schools.index)[norm_labels]
table.insert(0, t("common.pupils"), [fmt_count(p, h, lang, limit, no_data) for p, h in
                                     zip(schools["pupils"], schools["pupils_hidden"], strict=True)])  # fmt: skip
table[t("support_staff.col_norm")] = schools["required_fte"].map(fte)
table[t("support_staff.col_gap")] = schools["school_gap_fte"].map(fte)
table[t("support_staff.col_status")] = schools["school_status"].map(lambda s: t(f"support_staff.status.{s}"))
table = table.assign(**{t("support_staff.col_rule"): rule_text}).rename_axis(t("common.school")).reset_index()
source = provenance.sources(one, columns=provenance.COLUMNS)  # the staff reports and the pupil counts
st.subheader(t("support_staff.heat_title", year=year))
st.caption(t("support_staff.heat_caption"))
components.chart_block(fig, table, f"support_staff_{year[:4]}", source, "staff_heat")

gaps = norm[norm["gap_fte"].fillna(0) > 0]
if len(gaps):
    totals = schools["school_gap_fte"].dropna()
    totals = totals[totals > 0].sort_values()  # schools meeting the norm are in the heat table above
    fig = figure_cache.cached(
        staff_charts.gap_figure, gaps, totals, norm_labels, t("support_staff.axis_gap"), fte, lang
    )
    gap_table = norm.pivot(index="school", columns="role_label", values="gap_fte").loc[totals.index[::-1], norm_labels]
    gap_table = gap_table.assign(**{t("support_staff.col_gap"): totals}).map(fte).rename_axis(t("common.school"))
    gap_table = gap_table.assign(**{t("support_staff.col_rule"): rule_text}).reset_index()
    st.subheader(t("support_staff.gap_title", year=year))
    st.caption(t("support_staff.gap_caption", rule=rule_text))
    # below the first screen, and the heat table above already marks every gap: drawn on demand
    if box := components.on_demand(t("support_staff.gap_open"), "staff_gaps_open"):
        with box:
            components.chart_block(fig, gap_table, f"support_staff_gap_{year[:4]}", source, "staff_gap")
            components.profile_link(schools.loc[totals.index[::-1]].reset_index(), "staff_gap")

st.subheader(t("support_staff.ratio_title", year=year))
st.caption(t("support_staff.ratio_caption"))
# two heat tables of many worded cells, below the first screen: drawn on demand
if box := components.on_demand(t("support_staff.ratio_open"), "staff_ratio_open"):
    with box:
        chosen = "support_staff.total_chosen" if f.schools else "support_staff.total"  # not the municipality's
        total = t(chosen)
        ratios = pupils_per_fte(one, total).assign(role_label=lambda d: d["role"].map(roles))
        ratios["label"] = [
            f"{fmt_num(r, lang)}<br>({fte(v)})"
            if pd.notna(r)
            else (t("support_staff.hidden", limit=limit) if h else t("support_staff.no_fte"))
            for r, v, h in zip(ratios["ratio"], ratios["fte"], ratios["pupils_hidden"], strict=True)
        ]
        # two tables on one colour scale, the norm's roles and the others: side by side on a screen, one under
        # the other on a phone, where seven columns of figures beside the school names would overprint
        top = float(ratios["ratio"].max()) if ratios["ratio"].notna().any() else None
        parts = [[r for r in labels if r in norm_labels], [r for r in labels if r not in norm_labels]]
        figures = []
        for part in (p for p in parts if ratios["role_label"].isin(p).any()):
            cells = ratios[ratios["role_label"].isin(part)]
            fig = heatmap(cells, "role_label", "school", "ratio", lang=lang, text="label", colorscale="Purples",
                          x_order=part, zmin=0, zmax=top, colorbar_title=t("support_staff.axis_ratio"))  # fmt: skip
            heads = [x.replace(" / ", " /<br>").replace(" ", "<br>", 1) for x in part]  # two or three short lines
            figures.append(fig.update_xaxes(tickvals=part, ticktext=heads))  # level where they fit, turned on a phone
        for fig in figures[:-1]:
            fig.update_traces(showscale=False)  # one colour bar, under the last table
        ratio_table = ratios.pivot(index="school", columns="role_label", values="label")
        ratio_table = ratio_table.loc[ratios["school"].unique(), labels].replace("<br>", " ", regex=True)
        ratio_table = ratio_table.reset_index().rename(columns={"school": t("common.school")})
        name, title = f"support_staff_pupils_per_fte_{year[:4]}", t("support_staff.ratio_title", year=year)
        components.chart_block(figures, ratio_table, name, source, "staff_ratio", title=title, per_row=2)

if len(by_year) > 1:
    trend = by_year.assign(cost=[fmt_num(yearly_cost(g, cost), lang) for g in by_year["gap_fte"]], rule=rule_text)
    fig = px.line(trend, x="school_year", y="gap_fte", markers=True, text=trend["gap_fte"].map(fte),
                  labels={"gap_fte": t("support_staff.axis_gap"), "school_year": ""}, template=TEMPLATE)  # fmt: skip
    fig = themed(fig.update_traces(textposition="top center", cliponaxis=False), lang, height=380)
    fig.update_yaxes(rangemode="tozero")
    columns = {"school_year": t("common.school_year"), "schools_reporting": t("support_staff.col_reporting"),
               "schools_meeting_norm": t("support_staff.kpi_meets"), "gap_fte": t("support_staff.col_gap"),
               "cost": t("support_staff.kpi_cost"), "rule": t("support_staff.col_rule")}  # fmt: skip
    trend_table = trend.assign(gap_fte=trend["gap_fte"].map(fte))[list(columns)].rename(columns=columns)
    st.subheader(t("support_staff.trend_title"))
    st.caption(t("support_staff.trend_caption"))
    components.chart_block(fig, trend_table, "support_staff_trend", provenance.sources(trend), "staff_trend")

if len(stated):
    shown = provenance.readable_cells(stated.assign(measure=stated["measure"].map(roles).fillna(stated["measure"])))
    shown[["stated", "school_sum", "difference"]] = shown[["stated", "school_sum", "difference"]].map(fte)
    with st.expander(t("support_staff.stated_title")):
        st.dataframe(shown.rename(columns=lambda c: t(f"support_staff.stated_col.{c}")), hide_index=True)
