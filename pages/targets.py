"""Targets: is the programme on track for its target years? Every result indicator against its
baseline and targets, with a status by the explicit rule of ``metrics/targets.py`` (shown on the page)."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.express as px
import streamlit as st

from metrics.registry import METRICS
from metrics.targets import (
    JUDGED,
    LEVELS,
    assess_indicators,
    base_name,
    chart_points,
    computed_series,
    reason,
    side_by_side,
)
from ui import components, filters
from ui.charts import themed
from ui.data import dataset, metric
from ui.format import fmt_num, fmt_pct, is_missing
from ui.i18n import t

f = filters.current()
lang, no_data = f.lang, t("common.no_data")
municipality = dataset("municipalities.sql").set_index("code").loc[f.municipality]
years = [int(municipality["target_year_1"]), int(municipality["target_year_2"])]
values = dataset("target_indicator_values.sql", municipality=f.municipality, years=list(f.years))
a = assess_indicators(
    dataset("target_indicators.sql", municipality=f.municipality),
    dataset("target_indicator_targets.sql", municipality=f.municipality),
    values,
)

st.title(t("targets.title"))
st.subheader(t("targets.subtitle", municipality=municipality[f"name_{lang}"], year1=years[0], year2=years[1]))
if municipality["is_synthetic"]:
    st.warning(t("app.synthetic_warning"))
st.caption(t("targets.caption"))
for chosen, note in ((f.schools, "targets.schools_ignored"), (f.years, "targets.years_applied")):
    if chosen:
        st.caption(t(note))
if a.empty:
    components.no_data(t("targets.no_indicators"))
    st.stop()


def pct(value: object) -> str:
    """A share with as many decimals as stored (0,02 % stays 0,02 %); a computed ratio gets two."""
    if is_missing(value):
        return no_data
    return fmt_pct(value, lang, next((d for d in range(4) if abs(round(float(value), d) - value) < 1e-9), 2))


def goal(row: pd.Series, n: int) -> str:
    if is_missing(row.get(f"target{n}_value")):
        return t("targets.not_set")
    text = pct(row[f"target{n}_value"])
    return t("targets.at_most", value=text) if row[f"target{n}_comparison"] == "at_most" else text


def label(row: pd.Series) -> str:
    part = f" ({t('targets.breakdown.' + row['breakdown'])})" if row["breakdown"] else ""
    name = base_name(row[f"name_{lang}"], row["breakdown"]).rstrip(".")
    return f"{row['indicator_no']}{part}. " + textwrap.shorten(name, 70, placeholder="…")


def with_period(value: object, period: object) -> str:
    return t("targets.value_period", value=pct(value), period=period)


a["label"] = [label(row) for _, row in a.iterrows()]
a["status_text"] = [t(f"targets.status.{s}") for s in a["status"]]
table = pd.DataFrame(
    {
        t("targets.col_no"): [lb.split(". ")[0] for lb in a["label"]],
        t("targets.col_indicator"): a[f"name_{lang}"],
        t("targets.col_baseline"): [
            t("targets.not_set") if is_missing(v) else with_period(v, y)
            for v, y in zip(a["baseline_value"], a["baseline_year"], strict=True)
        ],
        t("targets.col_latest"): [
            no_data if is_missing(v) else with_period(v, p)
            for v, p in zip(a["latest_value"], a["latest_period"], strict=True)
        ],
        **{t("targets.col_target", year=y): [goal(r, n) for _, r in a.iterrows()] for n, y in enumerate(years, 1)},
        t("targets.col_status"): a["status_text"],
        t("targets.col_source"): a["latest_source"].where(a["latest_source"].notna(), a["source"]),
    }
)

counts = [(t(f"targets.status.{s}"), int((a["status"] == s).sum())) for s in JUDGED]
counts.append((t("targets.not_judged"), int((~a["status"].isin(JUDGED)).sum())))
for column, (name, count) in zip(st.columns(len(counts)), counts, strict=True):
    with column:
        components.kpi(name, fmt_num(count, lang))
st.caption(t("targets.count_caption", total=len(a)))
with st.expander(t("targets.rule_title")):
    st.markdown(t("targets.rule"))

COLOURS = {"achieved": "#009E73", "on_track": "#0072B2", "at_risk": "#B8860B", "off_track": "#D55E00"}
STYLES = {  # series: (mode, colour, line dash, marker symbol)
    "baseline": ("markers", "#6b7280", "solid", "circle-open"),
    "path": ("lines", "#6b7280", "dash", "circle"),
    "target": ("markers+text", "#1f2933", "solid", "diamond"),
    "actual": ("lines+markers", "#0072B2", "solid", "circle"),
    "computed": ("lines+markers", "#CC79A7", "dot", "square"),
    "pad": ("markers", "rgba(0,0,0,0)", "solid", "circle"),  # invisible: headroom for the target labels
}
NAMES = {s: t(f"targets.legend_{s}") if s != "pad" else " " for s in STYLES}


def progress_figure(points: pd.DataFrame, height: int, title: str | None = None, **facets: object):
    """Baseline, planned path, labelled targets and values over time; facets give the small multiples."""
    panel = facets.get("facet_col", "key")
    top = points.groupby(panel, sort=False)["value"].max()
    top = top.where(top > 0, 1)  # a 0 % line still gets an axis
    headroom = [v * 1.3 if v * 1.3 <= 100 else max(100.0, v * 1.12) for v in top]  # label room; shares stay ≤ ~100 %
    pad = pd.DataFrame({"series": "pad", "year": points["year"].min(), "value": headroom}, index=top.index)
    points = pd.concat([points, pad.rename_axis(panel).reset_index()], ignore_index=True)
    text = [pct(v) if s == "target" else "" for s, v in zip(points["series"], points["value"], strict=True)]
    points = points.assign(name=points["series"].map(NAMES), text=text)
    orders = {"name": list(NAMES.values()), **facets.pop("category_orders", {})}
    fig = px.line(points, x="year", y="value", color="name", text="text", category_orders=orders, **facets)
    for series, (mode, colour, dash, symbol) in STYLES.items():
        fig.update_traces(
            mode=mode, marker={"size": 13, "symbol": symbol, "color": colour}, line={"color": colour, "dash": dash},
            textposition="top center", cliponaxis=False, hoverinfo="skip" if series == "pad" else None,
            selector={"name": NAMES[series]},
        )  # fmt: skip
    seen: set[str] = set()
    for trace in fig.data:  # one legend entry per series, none for the padding
        trace.showlegend = trace.name not in seen and trace.name != NAMES["pad"]
        seen.add(trace.name)
    fig = themed(fig, lang, height=height, title=title)
    fig.update_yaxes(
        title=None, rangemode="tozero", matches=None, showticklabels=True, ticksuffix=fmt_pct(0, lang, 0)[1:]
    )
    fig.update_xaxes(title=None, dtick=2 if points["year"].max() - points["year"].min() > 6 else 1, showticklabels=True)
    if "facet_col" in facets:  # the panel titles sit above each panel: the legend goes above them all
        return fig.update_layout(legend={"title": None, "yref": "container", "y": 1, "yanchor": "top"}, margin_t=130)
    return fig.update_layout(legend_title=None, margin_t=110, title={"yref": "container", "y": 0.98, "yanchor": "top"})


st.subheader(t("targets.overview_title"))
st.caption(t("targets.overview_caption"))
shown = a[a["has_numbers"]]
if len(shown):
    colour = [COLOURS.get(status, "#4b5563") for status in shown["status"]]
    titles = ["<br>".join(textwrap.wrap(lb, 40)) for lb in shown["label"]]
    status_line = [
        f"<span style='color:{c}'>{text}</span>" for c, text in zip(colour, shown["status_text"], strict=True)
    ]
    shown = shown.assign(panel=[f"{title}<br>{line}" for title, line in zip(titles, status_line, strict=True)])
    points = chart_points(shown, values).merge(shown[["key", "panel"]], on="key")
    wrap = min(3, len(shown))
    rows = -(-len(shown) // wrap)
    height = 330 * rows + 90
    facets = {
        "facet_col": "panel",
        "facet_col_wrap": wrap,
        "facet_row_spacing": 120 / height,
        "facet_col_spacing": 0.07,
    }
    fig = progress_figure(points, height, category_orders={"panel": shown["panel"].tolist()}, **facets)
    fig.for_each_annotation(lambda n: n.update(text=n.text.split("=", 1)[-1], font={"size": 15}))
    components.chart_block(fig, table, "targets", "; ".join(sorted(set(a["source"]))), "targets_overview")
if (~a["has_numbers"]).any():
    st.info(t("targets.without_numbers", items="; ".join(a.loc[~a["has_numbers"], "label"])))

st.subheader(t("targets.levels_title"))
for level in LEVELS:
    if (a["prevention_level"] == level).any():
        st.markdown(f"**{t('targets.level.' + level)}**")
        st.table(table[(a["prevention_level"] == level).to_numpy()].iloc[:, :-1], hide_index=True)

st.subheader(t("targets.detail_title"))
keys = a["key"].tolist()
if st.session_state.get("targets_indicator") not in keys:  # another municipality: start at its first baseline
    st.session_state["targets_indicator"] = next(
        (k for k, b in zip(keys, a["judged_baseline"], strict=True) if not is_missing(b)), keys[0]
    )
names = dict(zip(keys, a["label"], strict=True))
key = st.selectbox(t("targets.detail_select"), keys, format_func=names.get, key="targets_indicator")
row = a.set_index("key").loc[key]
why, facts = reason(row)
facts = {k: pct(v) if k in ("value", "expected", "final") else v for k, v in facts.items()}
st.markdown(f"#### {row['status_text']}\n\n" + t(f"targets.why.{why}", **facts))
if row["baseline_measured"]:
    first = {"value": pct(row["judged_baseline"]), "period": int(row["judged_baseline_year"])}
    st.caption(t("targets.baseline_measured", text=row["baseline_text"], **first))
notes = [t("targets.data_source", source=row[f"data_source_{lang}"])]
st.caption(" · ".join(notes + ([] if is_missing(row["ikms_code"]) else [t("targets.ikms", code=row["ikms_code"])])))

own = chart_points(a[a["key"] == key], values)
computed = pd.DataFrame(columns=["period", "year", "value", "hidden", "source"])
if row["metric_id"] in METRICS:
    spec = METRICS[row["metric_id"]]
    linked = metric(spec.id, f.model_copy(update={"schools": ()}))  # the whole municipality, like the indicator
    computed = computed_series(linked, spec.column, row["breakdown"], spec.counts)
    st.caption(
        t("targets.linked" if len(computed) else "targets.linked_no_values", metric=t(f"metrics.{spec.id}.label"))
    )
    # hidden values stay in as gaps, so the line breaks instead of bridging them
    own = pd.concat([own, computed.assign(key=key, series="computed")], ignore_index=True)
elif not is_missing(row["metric_id"]):
    st.caption(t("targets.linked_missing", metric=row["metric_id"]))
hidden = t("targets.hidden_share", threshold=f.threshold)
if own.empty:
    components.no_data(t("targets.no_values"))
else:
    fig = progress_figure(own, 460, title=t("targets.progress_title", label=row["label"]))
    flags = own["hidden"].fillna(False).astype(bool) if "hidden" in own else pd.Series(False, index=own.index)
    shown_values = [hidden if h else pct(v) for v, h in zip(own["value"], flags, strict=True)]
    detail = own.assign(series=own["series"].map(NAMES), value=shown_values)[["period", "series", "value", "source"]]
    detail.columns = [t(f"targets.col_{c}") for c in ("period", "indicator", "value", "source")]
    components.chart_block(fig, detail, f"indicator_{key}", "; ".join(dict.fromkeys(own["source"])), "targets_detail")

both = side_by_side(own[own["series"] == "actual"][["year", "period", "value", "source"]], computed)
if len(both):
    st.markdown(f"**{t('targets.compare_title')}**")
    differs = int(both["differs"].sum())
    summary = t("targets.compare_differs", n=differs) if differs else t("targets.compare_same")
    st.caption(f"{t('targets.compare_caption')} {summary}")
    computed_text = [hidden if h else pct(v) for v, h in zip(both["value_computed"], both["hidden"], strict=True)]
    compare = {
        t("targets.col_period"): both["period_official"] + " / " + both["period_computed"],
        t("targets.col_official"): both["value_official"].map(pct),
        t("targets.col_computed"): computed_text,
        t("targets.col_difference"): [fmt_num(d, lang, 2) for d in both["difference"]],
        t("targets.col_source"): both["source_computed"],
    }
    st.table(pd.DataFrame(compare), hide_index=True)
