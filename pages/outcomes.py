"""Outcomes: who drops out, repeats, finishes without a certificate, fails or misses lessons, per
year and school, with the basis of every figure marked so that unlike figures are not compared."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from metrics import outcomes, provenance
from presentation import tables
from presentation.charts import TEMPLATE, heatmap, themed
from presentation.format import fmt_count, fmt_num, fmt_pct
from ui import components, figure_cache, filters
from ui.data import dataset, metric
from ui.i18n import t

f = filters.current()
lang, limit = f.lang, f.threshold
labels = {topic: t(f"outcomes.topic.{topic}.label") for topic in outcomes.TOPICS}
municipality = dataset("municipalities.sql").set_index("code").loc[f.municipality]

st.title(t("outcomes.title"))
st.subheader(t("outcomes.subtitle", municipality=municipality[f"name_{lang}"]))
if municipality["is_synthetic"]:
    st.warning(t("app.synthetic_warning"))
st.caption(t("outcomes.intro") + (" " + t("outcomes.schools_chosen") if f.schools else ""))

by_year = outcomes.ordered(outcomes.hide_derived(metric("outcomes_by_year", f), limit))
by_school = outcomes.ordered(outcomes.hide_derived(metric("outcomes_by_school", f), limit))
if by_year.empty:
    components.no_data(t("outcomes.no_outcomes"))
    st.stop()


def pct(value: object, printed: bool = False) -> str:
    return fmt_pct(value, lang, outcomes.pct_decimals(value, printed)) + ("*" if printed else "")


def cell(row, measure: str | None = None) -> str:
    """A figure as read: count ("x" if hidden), share (* printed, ≠ contradicting its count, "x" if hidden;
    one "x" for a row whose count and share are both hidden), hours."""
    parts: dict[str, str] = {}
    if row.pupils_hidden or pd.notna(row.pupils):
        parts["pupils"] = fmt_count(row.pupils, row.pupils_hidden, lang, limit)
    if row.mismatch:
        computed = f"{pct(row.rate_pct)} ≠ " if pd.notna(row.rate_pct) else ""
        parts["share"] = computed + pct(row.printed_pct, True) + ("" if computed else " ≠")
    elif pd.notna(row.share_pct):
        parts["share"] = pct(row.share_pct, row.share_basis == "printed")
    elif row.rate_hidden and (measure or "pupils" not in parts):
        parts["share"] = t("outcomes.hidden_share", limit=limit)
    if pd.notna(row.hours_per_pupil):
        parts["hours"] = t("outcomes.hours_value", value=fmt_num(row.hours_per_pupil, lang, 2))
    if measure:
        return parts.get(measure, "–")
    partial = outcomes.is_partial(row.basis, row.schools_reporting, row.schools_enrolled)
    return " · ".join(parts.values()) + (" †" if partial else "")


def breakdown(row) -> str:
    parts = outcomes.breakdown(row.topic, row.level, row.subject, row.threshold)
    return ", ".join(t("outcomes.threshold", value=v) if k == "threshold" else t(f"outcomes.{k}.{v}") for k, v in parts)


def name(row) -> str:
    """A yearly row is named by its topic; a school row by its school, or as the printed municipal figure."""
    if "school" not in row._fields:
        return labels[row.topic]
    return t("outcomes.municipal_row") if row.is_municipal_figure else row.school


def named(frame: pd.DataFrame, **texts: str | None) -> pd.DataFrame:
    """Rows named with their breakdown, and a ready-made text column per measure asked for."""
    rows = list(frame.itertuples())
    out = frame.assign(series=[breakdown(r) for r in rows])
    out["row"] = [f"{name(r)} – {s}" if s else name(r) for r, s in zip(rows, out["series"], strict=True)]
    return out.assign(**{column: [cell(r, measure) for r in rows] for column, measure in texts.items()})


by_year = named(by_year, text=None)
st.header(t("outcomes.summary_title"))
st.caption(t("outcomes.summary_caption"))
summary = tables.grid(by_year, t("outcomes.col_indicator"), "–")
first_column = {summary.columns[0]: st.column_config.TextColumn(width="large", pinned=True)}
st.dataframe(summary, hide_index=True, height="content", column_config=first_column, key="outcomes_summary_table")
components.downloads(summary, "outcomes_summary", "outcomes_summary")
st.caption(t("outcomes.legend", limit=limit))
components.source_caption(provenance.sources(by_year))

topics = outcomes.topics_present(by_year)
if st.session_state.get("outcomes_topic") not in topics:
    st.session_state["outcomes_topic"] = topics[0]
topic = st.selectbox(t("outcomes.topic_select"), topics, format_func=labels.get, key="outcomes_topic")
st.header(labels[topic])
st.caption(t(f"outcomes.topic.{topic}.about"))
for key, when in figure_cache.cached(outcomes.caveats, by_year, topic):  # a sixth of the run, once per content
    (st.info if key in ("partial", "check_agrees") else st.warning)(t(f"outcomes.caveat.{key}", years=when))

trend, schools = by_year[by_year["topic"] == topic], by_school[by_school["topic"] == topic]
options = outcomes.measures(trend, schools)
measure_key = f"outcomes_measure_{topic}"  # each topic keeps its own measure and opens on its fullest one
if st.session_state.get(measure_key) not in options:
    st.session_state[measure_key] = options[0]
if len(options) > 1:
    fmt = {m: t(f"outcomes.measure_{m}") for m in options}
    st.segmented_control(t("outcomes.measure"), options, format_func=fmt.get, key=measure_key, required=True)
measure = st.session_state[measure_key]
column, basis = outcomes.MEASURES[measure]
years = sorted(set(trend["school_year"]))
trend = named(trend, label=measure, pupils_text="pupils", share_text="share", hours_text="hours")
trend["trace"] = outcomes.trace_basis(trend, column, basis)
for code in ("basis", "share_basis", "hours_basis", "trace"):
    trend[f"{code}_text"] = [t(f"outcomes.basis.{v}") if isinstance(v, str) else "–" for v in trend[code]]


def trend_figure(trend: pd.DataFrame, column: str, measure: str, basis: str, years: list, topic: str, lang: str):
    """The topic's yearly line, "–" where a year has no figure (built once per content and language:
    ui/figure_cache; everything it reads is an argument, the language's texts through ``lang``)."""
    plotted = trend[trend["trace"].notna()]
    fig = px.line(
        plotted, x="school_year", y=column, color="series" if plotted["series"].nunique() > 1 else None,
        symbol="trace_text", text="label", markers=True, category_orders={"school_year": years},
        labels={"school_year": "", column: t(f"outcomes.measure_{measure}"), "series": t("outcomes.col_series"),
                "trace_text": t(f"outcomes.col_{basis}")}, template=TEMPLATE,
    )  # fmt: skip
    fig.update_traces(textposition="top center", marker={"size": 11}, line={"width": 3}, cliponaxis=False)
    for year, text in outcomes.gaps(trend, column, "–"):
        fig.add_annotation(x=year, y=0, text=text, showarrow=False, yshift=14, font={"color": "#6b7280"})
    fig = themed(fig, lang, height=480, title=t("outcomes.trend_title", topic=labels[topic]))
    fig.update_layout(legend_title_text="", margin={"t": 100}, title={"y": 0.97, "yanchor": "top"})
    fig.update_yaxes(rangemode="tozero", range=[0, 5] if measure == "pupils" and plotted[column].max() < 4 else None)
    return fig


if trend[column].isna().all():
    st.info(t("outcomes.all_hidden", limit=limit))
else:
    fig = figure_cache.cached(trend_figure, trend, column, measure, basis, years, topic, lang)
    names = {c: t(f"outcomes.col_{c.removesuffix('_text')}") for c in outcomes.table_columns(options, trend)}
    table = trend.assign(**{c: [fmt_num(v, lang) for v in trend[c]] for c in ("enrolled", "schools_enrolled")})
    table = table.fillna({"note": ""})[list(names)].rename(columns=names)
    components.chart_block(fig, table, f"outcomes_{topic}", provenance.sources(trend), "outcomes_trend")
    st.caption(t("outcomes.trend_caption"))

if not (~schools["is_municipal_figure"]).any():
    components.no_data(t("outcomes.no_school_figures"))
else:
    schools = named(schools, text=measure).assign(z=lambda d: pd.to_numeric(d[column], errors="coerce"))
    top = schools.loc[~schools["is_municipal_figure"], "z"].max()  # the printed total must not pale the schools
    rows = list(dict.fromkeys(schools["row"]))
    fig = figure_cache.cached(
        heatmap, schools, "school_year", "row", "z", lang=lang, text="text",
        title=t("outcomes.heat_title", topic=labels[topic]),
        colorscale="Blues" if topic in outcomes.NEUTRAL else "Oranges", zmin=0,
        zmax=float(top) if pd.notna(top) and top > 0 else 1.0, x_order=years, y_order=rows, height=140 + 50 * len(rows),
    )  # fmt: skip
    table = tables.grid(schools, t("common.school"), "–")
    components.chart_block(fig, table, f"outcomes_{topic}_by_school", provenance.sources(schools), "outcomes_heat")
    municipal = t("outcomes.heat_municipal") if schools["is_municipal_figure"].any() else ""
    st.caption(f"{t('outcomes.heat_caption', limit=limit)} {municipal}")
