"""Charts of indicator progress: baseline, the planned path to the targets, the targets and the
values measured over time; one indicator, or all of them as small multiples with their status.

Used by the Targets page; the status colours also by the report's indicator chart."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from metrics.targets import chart_points
from ui.charts import themed
from ui.format import fmt_pct

STATUS_COLOURS = {"achieved": "#009E73", "on_track": "#0072B2", "at_risk": "#B8860B", "off_track": "#D55E00"}
NOT_JUDGED = "#4b5563"
STYLES = {  # series: (mode, colour, line dash, marker symbol)
    "baseline": ("markers", "#6b7280", "solid", "circle-open"),
    "path": ("lines", "#6b7280", "dash", "circle"),
    "target": ("markers+text", "#1f2933", "solid", "diamond"),
    "actual": ("lines+markers", "#0072B2", "solid", "circle"),
    "computed": ("lines+markers", "#CC79A7", "dot", "square"),
    "pad": ("markers", "rgba(0,0,0,0)", "solid", "circle"),  # invisible: headroom for the target labels
}


def progress_figure(
    points: pd.DataFrame,
    lang: str,
    names: Mapping[str, str],
    pct: Callable[[object], str],
    height: int,
    title: str | None = None,
    **facets: object,
) -> go.Figure:
    """Baseline, planned path, labelled targets and values over time (``chart_points`` rows);
    ``names`` gives each series' legend name; facets (``facet_col`` ...) give the small multiples."""
    names = {**names, "pad": " "}
    panel = facets.get("facet_col", "key")
    top = points.groupby(panel, sort=False)["value"].max()
    top = top.where(top > 0, 1)  # a 0 % line still gets an axis
    headroom = [v * 1.3 if v * 1.3 <= 100 else max(100.0, v * 1.12) for v in top]  # label room; shares stay ≤ ~100 %
    pad = pd.DataFrame({"series": "pad", "year": points["year"].min(), "value": headroom}, index=top.index)
    points = pd.concat([points, pad.rename_axis(panel).reset_index()], ignore_index=True)
    text = [pct(v) if s == "target" else "" for s, v in zip(points["series"], points["value"], strict=True)]
    points = points.assign(name=points["series"].map(names), text=text)
    orders = {"name": [names[s] for s in STYLES], **facets.pop("category_orders", {})}
    fig = px.line(points, x="year", y="value", color="name", text="text", category_orders=orders, **facets)
    for rank, (series, (mode, colour, dash, symbol)) in enumerate(STYLES.items()):
        # the baseline is a wide ring drawn over the rest, so a value measured in the baseline year
        # (often the baseline itself) does not hide it
        ring = {"size": 24, "line": {"width": 3}} if series == "baseline" else {"size": 13}
        fig.update_traces(
            mode=mode, marker={**ring, "symbol": symbol, "color": colour}, line={"color": colour, "dash": dash},
            textposition="top center", cliponaxis=False, hoverinfo="skip" if series == "pad" else None,
            legendrank=rank, selector={"name": names[series]},
        )  # fmt: skip
    fig.data = sorted(fig.data, key=lambda trace: trace.name == names["baseline"])
    seen: set[str] = set()
    for trace in fig.data:  # one legend entry per series, none for the padding
        trace.showlegend = trace.name not in seen and trace.name != names["pad"]
        seen.add(trace.name)
    fig = themed(fig, lang, height=height, title=title)
    fig.update_yaxes(
        title=None, rangemode="tozero", matches=None, showticklabels=True, ticksuffix=fmt_pct(0, lang, 0)[1:]
    )
    crowded = "facet_col" in facets and points["year"].max() - points["year"].min() > 6  # small panels: every 2nd year
    fig.update_xaxes(title=None, dtick=2 if crowded else 1, showticklabels=True)
    if "facet_col" in facets:  # the panel titles sit above each panel: the legend goes above them all
        return fig.update_layout(legend={"title": None, "yref": "container", "y": 1, "yanchor": "top"}, margin_t=130)
    return fig.update_layout(legend_title=None, margin_t=110, title={"yref": "container", "y": 0.98, "yanchor": "top"})


def small_multiples(
    shown: pd.DataFrame, values: pd.DataFrame, lang: str, names: Mapping[str, str], pct: Callable[[object], str]
) -> go.Figure:
    """One panel per indicator (``label``, ``status``, ``status_text`` columns of the assessed
    indicators), three to a row, each titled with its label and its status in the status colour."""
    titles = ["<br>".join(textwrap.wrap(label, 40)) for label in shown["label"]]
    lines = [
        f"<span style='color:{STATUS_COLOURS.get(status, NOT_JUDGED)}'>{text}</span>"
        for status, text in zip(shown["status"], shown["status_text"], strict=True)
    ]
    shown = shown.assign(panel=[f"{title}<br>{line}" for title, line in zip(titles, lines, strict=True)])
    points = chart_points(shown, values).merge(shown[["key", "panel"]], on="key")
    wrap = min(3, len(shown))
    height = 330 * -(-len(shown) // wrap) + 90
    facets = {
        "facet_col": "panel",
        "facet_col_wrap": wrap,
        "facet_row_spacing": 120 / height,
        "facet_col_spacing": 0.07,
    }
    orders = {"panel": shown["panel"].tolist()}
    fig = progress_figure(points, lang, names, pct, height, category_orders=orders, **facets)
    return fig.for_each_annotation(lambda note: note.update(text=note.text.split("=", 1)[-1], font={"size": 15}))
