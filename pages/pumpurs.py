"""Pumpurs: who got individual support plans (IAP), where and when, what support, and the link to risk."""

from __future__ import annotations

from functools import partial

import streamlit as st

from metrics import provenance, pumpurs
from presentation import pumpurs as pumpurs_text
from presentation import tables
from presentation.charts import bars as bar_chart
from presentation.charts import heatmap, label_categories, themed
from presentation.format import fmt_count, fmt_num, fmt_pct
from ui import components, filters, pumpurs_totals
from ui.data import dataset, metric
from ui.i18n import t

f = filters.current()
lang, limit, no_data = f.lang, f.threshold, t("common.no_data")
count = partial(fmt_count, lang=lang, threshold=limit, no_data=no_data)  # count(value, hidden): "x" when hidden
st.title(t("pumpurs.title"))
st.caption(t("pumpurs.intro"))
if dataset("municipalities.sql").set_index("code").loc[f.municipality, "is_synthetic"]:
    st.warning(t("app.synthetic_warning"))
left, right = st.columns(2)
merged = left.toggle(t("pumpurs.merged_toggle"), key="pumpurs_merged", help=t("pumpurs.merged_help"))
share_view = right.toggle(t("pumpurs.share_toggle"), key="pumpurs_share")
stated, total = metric("pumpurs_stated", f), metric("pumpurs_total", f, merged=merged)
semesters = pumpurs.with_status(metric("pumpurs_semesters", f, merged=merged), stated)
own = pumpurs.municipal_totals(stated)  # the municipality's own figures, not split by school
if total.empty:  # no school reports: the municipality's own figures, if it has any
    if own.empty:
        components.no_data(t("pumpurs.what"))
    else:
        pumpurs_totals.draw(own, lang, limit)
    st.stop()


def names(*keys: str) -> dict[str, str]:
    """Table headers: frame column -> its ``pumpurs.col_<column>`` text."""
    return {key: t(f"pumpurs.col_{key}") for key in keys}


column = pumpurs.value_column(semesters)
figures = pumpurs.headline(total, semesters, stated)
for box, (key, fig) in zip(st.columns(4), figures.items(), strict=True):
    value = fmt_pct(fig["value"], lang, 1, no_data) if key == "share" else count(fig["value"], fig["hidden"])
    when = t(f"pumpurs.when_{fig['basis']}", when=fig["when"]) if fig["when"] else None
    with box:
        components.kpi(t(f"pumpurs.kpi_{key}"), value, when, t(f"pumpurs.kpi_{key}_help"))
for row in semesters[semesters["status"] == "not_reported"].itertuples():
    zero = t("pumpurs.printed_zero") if row.stated_iap == 0 else ""
    st.warning(f"{t('pumpurs.not_reported', semester=row.label)} {zero}")

notes = (t("pumpurs.merged_into"), t("pumpurs.absorbed"))
cells = pumpurs.protect(metric("pumpurs_school_semesters", f, merged=merged), column)
cells = pumpurs_text.label_schools(cells, *notes)
ranking = pumpurs_text.label_schools(metric("pumpurs_school_totals", f, merged=merged), *notes)
order, not_reported = list(semesters["label"]), t("pumpurs.not_reported_cell")
semesters["status_text"] = [t(f"pumpurs.status_{s}") for s in semesters["status"]]
semesters["basis"] = [t(f"pumpurs.basis_{b}") if isinstance(b, str) else "" for b in semesters["share_basis"]]
semesters["share_text"] = [fmt_pct(v, lang, 1) for v in semesters["share"]]

if len(semesters) < 2:
    st.info(t("pumpurs.one_period", period=order[0] if order else ""))
elif share_view and semesters["share"].isna().all():
    components.no_data(t("pumpurs.no_share"))
else:
    shown = "share" if share_view else column
    top_text = (lambda v, _: fmt_pct(v, lang, 1)) if share_view else count
    tops = pumpurs_text.bar_tops(semesters, shown, top_text, not_reported)
    if share_view:
        fig = bar_chart(semesters, x="label", y="share", color="basis", labels={"share": t("pumpurs.axis_share")})
    else:
        bars = pumpurs.timeline(cells, semesters, ranking, column)
        bars["school"] = bars["school"].replace({pumpurs.OTHER: t("pumpurs.other_schools")})
        grey = {t("pumpurs.other_schools"): "#9ca3af"}
        fig = bar_chart(bars, x="label", y="value", color="school", color_discrete_map=grey)
    heights = semesters[shown].astype(float).fillna(0)
    fig.add_scatter(x=order, y=heights, text=tops, mode="text", textposition="top center", showlegend=False)
    title = t("pumpurs.share_title") if share_view else t(f"pumpurs.timeline_title_{column}")
    fig = themed(fig, lang, height=560, title=title)
    label_categories(fig, order, pumpurs_text.axis_labels(semesters, schools=True))
    fig.update_xaxes(title=None, categoryarray=order)
    axis = t("pumpurs.axis_share") if share_view else t(f"pumpurs.col_{column}")
    fig.update_layout(legend={"title": None, "y": -0.2, "yanchor": "top"}, yaxis_title=axis)
    st.caption(t("pumpurs.share_caption") if share_view else t("pumpurs.timeline_caption"))
    shown = {"label": t("pumpurs.col_semester"), **names(column, "schools"), "share_text": t("pumpurs.col_share")}
    shown |= {"basis": t("pumpurs.col_basis"), "status_text": t("pumpurs.col_status"), **names("source")}
    table = tables.display_table(semesters, [column], lang, limit, shown)
    components.chart_block(fig, table, "pumpurs_semesters", provenance.sources(semesters), "pumpurs_timeline")

ranked = ranking.sort_values(column, na_position="first")
ranked["bar"] = ranked[column].astype(float).fillna(0)  # a hidden school keeps its row and its "x" label
span = figures["plans"]["when"]
labels = {"bar": t(f"pumpurs.col_{column}"), "chart_label": ""}
fig = bar_chart(ranked, x="bar", y="chart_label", orientation="h", labels=labels)
fig.update_traces(text=tables.count_labels(ranked, column, lang, limit), textposition="outside")
fig = themed(fig, lang, height=max(320, 52 * len(ranked)), title=t(f"pumpurs.ranking_title_{column}", span=span))
st.caption(t("pumpurs.ranking_caption"))
shown = {"school_label": t("pumpurs.col_school"), **names(column, "semesters", "source")}
table = tables.display_table(ranked.iloc[::-1], [column], lang, limit, shown)
components.chart_block(fig, table, "pumpurs_schools", provenance.sources(ranked), "pumpurs_ranking")

if len(semesters) > 1:  # chart labels wrap onto a second line (<br>); the table reads them on one
    wrapped = "<br>".join(not_reported.split(" ", 1))
    grid = pumpurs_text.heat(cells.assign(school_label=cells["chart_label"]), semesters, column, count, "–", wrapped)
    rows = list(ranked["chart_label"].iloc[::-1])
    table = grid.pivot(index="school", columns="label", values="text").reindex(index=rows, columns=order)
    fig = heatmap(grid, "label", "school", "value", lang=lang, text="text", x_order=order, y_order=rows)
    label_categories(fig.update_traces(showscale=False), order, pumpurs_text.axis_labels(semesters))
    title = {"text": t("pumpurs.heat_title"), "y": 0.995, "yanchor": "top"}  # above the semester labels
    fig.update_layout(title=title, margin={"t": 110}, height=max(320, 56 * len(rows) + 170))
    st.caption(t("pumpurs.heat_caption"))
    table = table.reset_index(names=t("pumpurs.col_school")).replace("<br>", " ", regex=True)
    components.chart_block(fig, table, "pumpurs_school_semesters", provenance.sources(cells), "pumpurs_heat")

apart = not dataset("schools.sql", municipality=f.municipality)["is_municipal"].all()  # rare: skip the query
if apart and not (outside := pumpurs.protect(metric("pumpurs_school_semesters", f, municipal=False), column)).empty:
    st.subheader(t("pumpurs.outside_title"))
    st.caption(t("pumpurs.outside_caption"))
    totals = metric("pumpurs_school_totals", f, municipal=False)
    table = pumpurs_text.institution_table(outside, totals, semesters, column, count, t("pumpurs.col_total"))
    st.dataframe(table.rename(columns={"school": t("pumpurs.col_school")}), hide_index=True)
    components.source_caption(provenance.sources(outside))

mix = metric("pumpurs_support_mix", f)
st.subheader(t("pumpurs.mix_title"))
if mix.empty:
    components.no_data(t("pumpurs.no_mix"))
else:
    mix["item"] = [t(f"pumpurs.item_{b}_{i}") for b, i in zip(mix["breakdown"], mix["item"], strict=True)]
    mix["breakdown"] = [t(f"pumpurs.breakdown_{b}") for b in mix["breakdown"]]
    mix["text"] = [fmt_pct(v, lang, 0) for v in mix["share_pct"]]
    fig = bar_chart(mix, x="share_pct", y="item", color="breakdown", text="text", orientation="h")
    fig = themed(fig.update_traces(textposition="outside"), lang, height=max(360, 44 * len(mix) + 140))
    fig.update_layout(legend={"title": None}, xaxis_title="%", yaxis={"title": None, "autorange": "reversed"})
    st.caption(t("pumpurs.mix_caption", period=pumpurs.period_label(mix["period"].iloc[0], None)))
    shown = names("breakdown", "item", "share_pct", "source")
    table = mix[list(shown)].rename(columns=shown)
    components.chart_block(fig, table, "pumpurs_support_mix", provenance.sources(mix), "pumpurs_mix")

risk = metric("pumpurs_plans_per_risk", f)
st.subheader(t("pumpurs.risk_title"))
if risk.empty:
    st.info(t("pumpurs.no_risk"))
else:
    groups = {g: t(f"pumpurs.group_{g}") for g in ("learning_school", "social_health", "family", "economic")}
    wide = pumpurs_text.risk_table(risk, groups, lambda v: fmt_num(v, lang, 1), t("pumpurs.rate_hidden"))
    labels = {"plans_per_100": t("pumpurs.axis_rate"), "school_year": ""}
    fig = themed(bar_chart(wide, x="school_year", y="plans_per_100", text="rate", labels=labels), lang, height=420)
    st.caption(t("pumpurs.risk_caption"))
    shown = {"school_year": t("common.school_year"), **names("iap_count", "pupils_at_risk", "rate")}
    counts = ["iap_count", "pupils_at_risk", *groups.values()]
    table = tables.display_table(wide, counts, lang, limit, shown | {g: g for g in groups.values()})
    components.chart_block(fig, table, "pumpurs_plans_per_risk", provenance.sources(risk), "pumpurs_risk")

# Beside the schools' figures, never added to them: the municipality's own figures where they add
# something the schools' rows cannot give (funding); printed plan totals are already in the table above.
if own[["funding_eur", "funding_eur_cumulative"]].notna().any().any():
    pumpurs_totals.draw(own, lang, limit)
