"""PMP risks: which risk groups and sub-risks are identified, how that changes, and where to act."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from metrics import provenance, risks
from presentation import tables
from presentation.charts import TEMPLATE, labelled_bars, themed
from presentation.format import fmt_num, fmt_pct, fmt_period
from ui import components, figure_cache, filters
from ui.data import dataset, metric
from ui.i18n import has, t

f = filters.current()
lang, limit, no_data = f.lang, f.threshold, t("common.no_data")
municipality = dataset("municipalities.sql").set_index("code").loc[f.municipality]
name = municipality[f"name_{lang}"]


def group_name(group: str) -> str:
    return t(f"risks.group.{group}")


def ratio(frame: pd.DataFrame, column: str, pct: bool = True, missing: str = no_data) -> list[str]:
    """A share or rate as text: "x" where its count is hidden, ``missing`` where there is none."""
    fmt, pairs = (fmt_pct if pct else fmt_num), zip(frame[column], frame[f"{column}_hidden"], strict=True)
    return [t("risks.hidden", limit=limit) if hidden else fmt(v, lang, 1, missing) for v, hidden in pairs]


st.title(t("risks.title"))
st.subheader(t("risks.subtitle", municipality=name))
if municipality["is_synthetic"]:
    st.warning(t("app.synthetic_warning"))
st.caption(t("risks.intro"))

groups = metric("risk_group_share", f)
if groups.empty:
    whole = metric("risk_group_share", f.model_copy(update={"schools": ()})) if f.schools else groups
    components.no_data(t("risks.no_school_data" if len(whole) else "risks.no_data", municipality=name))
    st.stop()
# One set of table headings: each table shows the columns it has, in this order.
columns = {
    "rank_text": t("risks.col_rank"), "school": t("common.school"), "period": t("common.period"),
    "school_year": t("common.school_year"), "group": t("risks.col_group"), "sub": t("risks.col_sub"),
    "share": t("risks.col_share"), "per_100_text": t("risks.col_per_100"), "pupils": t("risks.col_pupils"),
    "identified": t("risks.col_identified"), "enrolled": t("risks.col_enrolled"),
    "prev_rank_text": t("risks.col_prev_rank"), "basis": t("risks.col_basis"),
    "population": t("risks.col_population"), "note": t("risks.col_note"), "source": t("risks.col_source"),
}  # fmt: skip
period = risks.latest_period(groups)
latest = groups[groups["period"] == period]
latest = latest.assign(
    group=latest["risk_group"].map(group_name),
    share=ratio(latest, "share_pct"),
    per_100_text=ratio(latest, "per_100", pct=False),
    basis=[t(f"risks.basis_{b}") if isinstance(b, str) else no_data for b in latest["share_basis"]],
)
first, stated = latest.iloc[0], bool(latest["share_basis"].eq("stated").any())
st.subheader(t("risks.groups_title"))
total = tables.count_labels(latest, "identified", lang, limit)[0]
caption = "risks.groups_caption_stated" if stated else "risks.groups_caption_counts"
st.caption(t(caption, period=fmt_period(period), identified=total, schools=first["schools"]))
fig = figure_cache.cached(  # built once per content and language (ui/figure_cache): a chart is most of a run
    labelled_bars, latest, "share_pct", "group", "share", lang, title=t("risks.groups_chart", period=fmt_period(period))
)
table = tables.display_table(latest, ["pupils", "identified", "enrolled"], lang, limit, columns)
components.chart_block(fig, table, "risk_groups", provenance.sources(latest), "risks_groups")
if missing := ", ".join(latest.loc[latest["share_pct"].isna() & ~latest["share_pct_hidden"], "group"]):
    st.caption(t("risks.groups_missing", groups=missing))
if stated and abs(first["stated_sum"] - 100) >= 0.05:
    st.caption(t("risks.stated_sum", total=fmt_pct(first["stated_sum"], lang, 1)))
if first["schools_incomplete"] > 0:
    st.caption(t("risks.incomplete", count=first["schools_incomplete"]))
if first["pumpurs_tool"]:  # the tool's nature, and what this municipality's own programme says of it (if anything)
    own = f"risks.pumpurs_caveat_{f.municipality}"
    st.info(" ".join([t("risks.pumpurs_caveat")] + ([t(own)] if has(own) else [])))

st.subheader(t("risks.sub_title"))
subs = risks.sub_shares(metric("risk_sub_share", f), groups).loc[lambda d: d["period"] == period]
options = [g for g in risks.GROUPS if g in set(subs["risk_group"])]
if not options:
    components.no_data(t("risks.no_sub", period=fmt_period(period)))
else:
    if st.session_state.get("risks_sub_group") not in options:
        st.session_state["risks_sub_group"] = options[0]
    chosen = st.segmented_control(
        t("risks.choose_group"), options, format_func=group_name, key="risks_sub_group", required=True
    )
    sub = subs[subs["risk_group"] == chosen]
    sub = sub.assign(
        sub=[t(f"risks.sub.{s}") for s in sub["sub_risk"]],
        share=ratio(sub, "share_pct", missing=t("risks.share_not_given")),
    )
    kind = sub["share_basis"].dropna().iloc[0] if sub["share_basis"].notna().any() else "named"
    st.caption(t(f"risks.sub_caption_{kind}"))
    title = t("risks.sub_chart", group=group_name(chosen), period=fmt_period(period))
    fig = figure_cache.cached(labelled_bars, sub, "share_pct", "sub", "share", lang, title=title)
    table = tables.display_table(sub, ["pupils"], lang, limit, columns)
    components.chart_block(fig, table, "risk_sub_risks", provenance.sources(sub), "risks_sub")

lines = risks.trend_lines(groups)
if lines["period"].nunique() > 1:
    st.subheader(t("risks.trend_title"))
    st.caption(t("risks.trend_caption", limit=limit))
    texts = pd.Series(ratio(lines, "per_100", pct=False), index=lines.index)
    end = texts.where(lines["risk_group"] == "total", "")  # the headline line carries its figures
    lines = lines.assign(
        group=lines["risk_group"].map(group_name), per_100=lines["per_100"].astype(float), per_100_text=texts, end=end
    )
    fig = px.line(
        lines,
        x="period",
        y="per_100",
        color="group",
        text="end",
        markers=True,
        labels={"per_100": ""},
        template=TEMPLATE,
    )
    fig.update_traces(textposition="top center", line={"width": 3})
    fig.update_traces(line={"width": 5, "dash": "dot"}, selector={"name": group_name("total")})
    fig = themed(fig, lang, height=480, title=t("risks.trend_chart"))
    fig.update_layout(legend={"title": None, "y": -0.12, "yanchor": "top"}, xaxis_title=None, yaxis_rangemode="tozero")
    table = tables.display_table(lines, ["pupils", "identified", "enrolled"], lang, limit, columns)
    components.chart_block(fig, table, "risk_trend", provenance.sources(lines), "risks_trend")

st.subheader(t("risks.focus_title"))
# ranked among all the municipality's schools, then the chosen ones kept (a school alone is not "1.")
focus = risks.focus_schools(metric("focus_schools", f.model_copy(update={"schools": ()})), f.schools)
if focus.empty:
    components.no_data(t("risks.no_focus", municipality=name))
else:
    year, start = focus["school_year"].iloc[0], int(focus["start_year"].iloc[0])
    chosen_note = f" {t('risks.focus_chosen')}" if f.schools else ""
    st.caption(t("risks.focus_caption", year=year, prev=f"{start - 1}/{start}") + chosen_note)
    rates = ratio(focus, "per_100", pct=False)
    before = [t("risks.prev_rank", rank=p) if pd.notna(p) else t("risks.prev_none") for p in focus["prev_rank"]]
    focus = focus.assign(
        per_100_text=rates,
        rank_text=[fmt_num(r, lang) for r in focus["rank"]],
        prev_rank_text=[fmt_num(r, lang) for r in focus["prev_rank"]],
        label=[s if pd.isna(r) else f"{r}. {s}" for r, s in zip(focus["rank"], focus["school"], strict=True)],
        bar_text=[f"{v}  ({p})" for v, p in zip(rates, before, strict=True)],
    )
    table = tables.display_table(focus, ["identified", "enrolled"], lang, limit, columns)
    fig = figure_cache.cached(
        labelled_bars, focus, "per_100", "label", "bar_text", lang, title=t("risks.focus_chart", year=year)
    )
    components.chart_block(fig, table, "focus_schools", provenance.sources(focus), "risks_focus")
    components.profile_link(focus, "risks_focus")
    if focus["rank"].isna().any():
        st.caption(t("risks.unranked"))
