"""Charts of indicator progress: baseline, the planned path to the targets, the targets and the
values measured over time; one indicator, or each in a small panel with its status.

Used by the Targets page; the status colours also by the report's indicator chart."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from metrics.targets import chart_points
from presentation.charts import TEMPLATE, themed
from presentation.format import fmt_pct

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


PANEL_HEIGHT = 330  # a small panel's plot; its title adds its own lines above
TITLE_LINE = 22  # px a line of a small panel's title takes (15 px type and its leading)


def progress_figure(
    points: pd.DataFrame,
    lang: str,
    names: Mapping[str, str],
    pct: Callable[[object], str],
    height: int,
    title: str | None = None,
    legend: bool = True,
) -> go.Figure:
    """Baseline, planned path, labelled targets and values over time of one indicator
    (``chart_points`` rows); ``names`` gives each series' legend name. Without ``legend`` it is a
    small panel: the page's caption says what each mark is."""
    names = {**names, "pad": " "}
    top = points["value"].max()
    top = top if top > 0 else 1  # a 0 % line still gets an axis
    headroom = top * 1.3 if top * 1.3 <= 100 else max(100.0, top * 1.12)  # label room; shares stay ≤ ~100 %
    pad = pd.DataFrame({"series": ["pad"], "year": [points["year"].min()], "value": [headroom]})
    points = pd.concat([points, pad], ignore_index=True)
    text = [pct(v) if s == "target" else "" for s, v in zip(points["series"], points["value"], strict=True)]
    points = points.assign(name=points["series"].map(names), text=text)
    orders = {"name": [names[s] for s in STYLES]}
    fig = px.line(points, x="year", y="value", color="name", text="text", category_orders=orders, template=TEMPLATE)
    for rank, (series, (mode, colour, dash, symbol)) in enumerate(STYLES.items()):
        # the baseline is a wide ring drawn over the rest, so a value measured in the baseline year
        # (often the baseline itself) does not hide it
        ring = {"size": 24 if legend else 18, "line": {"width": 3}} if series == "baseline" else {"size": 13}
        fig.update_traces(
            mode=mode, marker={**ring, "symbol": symbol, "color": colour}, line={"color": colour, "dash": dash},
            textposition="top center", cliponaxis=False, hoverinfo="skip" if series == "pad" else None,
            legendrank=rank, selector={"name": names[series]},
        )  # fmt: skip
    fig.data = sorted(fig.data, key=lambda trace: trace.name == names["baseline"])
    for trace in fig.data:  # no legend entry for the padding
        trace.showlegend = legend and trace.name != names["pad"]
    fig = themed(fig, lang, height=height, title=title)
    fig.update_yaxes(title=None, rangemode="tozero", ticksuffix=fmt_pct(0, lang, 0)[1:])
    if legend:
        fig.update_xaxes(title=None, dtick=1)
        title_at = {"yref": "container", "y": 0.98, "yanchor": "top"}
        return fig.update_layout(legend_title=None, margin_t=110, title=title_at)
    # a small panel: every other year, counted back from the last target year, so the target years are named
    last = int(points["year"].max())
    span = last - int(points["year"].min())
    fig.update_xaxes(title=None, tick0=last, dtick=2 if span >= 4 else 1, tickangle=0)
    lines = len(title.split("<br>")) if title else 0
    # Plotly centres the title in the top margin: room for its lines and a gap above the top tick label
    title_at = {"font": {"size": 15}, "x": 0, "xanchor": "left"}
    return fig.update_layout(showlegend=False, margin_t=TITLE_LINE * lines + 60, title=title_at)


def panel_title(label: str, status: str, status_text: str) -> str:
    """A small panel's title: its label over a few short lines, then its status in the status colour."""
    colour = STATUS_COLOURS.get(status, NOT_JUDGED)
    return "<br>".join([*textwrap.wrap(label, 32), f"<span style='color:{colour}'>{status_text}</span>"])


def panel_figure(
    indicator: pd.DataFrame, values: pd.DataFrame, lang: str, names: Mapping[str, str], pct: Callable[[object], str]
) -> go.Figure:
    """The small figure of one indicator (a one-row frame of the assessed indicators: ``key``,
    ``label``, ``status``, ``status_text``), titled with its label and status; the Targets page sets
    them side by side in columns, which Streamlit stacks on a narrow screen (``components.chart_block``)."""
    row = indicator.iloc[0]
    title = panel_title(row["label"], row["status"], row["status_text"])
    height = PANEL_HEIGHT + TITLE_LINE * len(title.split("<br>")) + 60
    return progress_figure(chart_points(indicator, values), lang, names, pct, height, title=title, legend=False)
