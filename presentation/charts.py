"""One chart theme: colour-blind-safe palette, large type for a projector, language-aware numbers."""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio

from presentation.format import plotly_separators

# Okabe-Ito palette (safe for the common colour-vision deficiencies)
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "Source Sans Pro, Arial, sans-serif"

# One registered template, the default of every figure, so every chart has the project's look from
# the first trace on: palette, projector-sized type, legend on top, grid colours. It keeps only the
# parts of "plotly_white" that 2-D bar, line and heat charts use: a figure carries its template to the
# browser and Plotly copies it several times while building a figure, so the full template (every
# trace type, 3-D scenes, maps) cost ~10 ms and 7 kB per chart, and settings applied to every figure
# afterwards cost ~5 ms each (docs/performance.md).
# Every builder sets it on its figure explicitly (``themed``; ``template=TEMPLATE`` in each Plotly
# Express call), so a figure looks the same whichever of streamlit and this module was imported first
# (importing streamlit makes its own template the default).
TEMPLATE = "pmp"
_WHITE = pio.templates["plotly_white"].to_plotly_json()["layout"]
_AXIS = {"automargin": True, "title": {"standoff": 15, "font": {"size": 15}}}
pio.templates[TEMPLATE] = go.layout.Template(
    layout={
        **{k: _WHITE[k] for k in ("autotypenumbers", "hovermode", "paper_bgcolor", "plot_bgcolor", "coloraxis")},
        **{k: _WHITE[k] for k in ("colorscale", "shapedefaults", "annotationdefaults", "title")},
        "colorway": PALETTE,
        "font": {"family": FONT, "size": 16, "color": "#1f2933"},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "hoverlabel": {"align": "left", "font": {"size": 15}},
        "xaxis": {**_WHITE["xaxis"], **_AXIS},
        # separatethousands: 1 880 (1,880) on a value axis, as in the cards and tables; Plotly groups
        # only 5+ digits. Not on x, where years stand (2 024 is no year). The standoff keeps an "x" label
        # of an empty bar apart from the school's name.
        "yaxis": {**_WHITE["yaxis"], **_AXIS, "gridcolor": "#e5e7eb", "separatethousands": True}
        | {"ticklabelstandoff": 6},
    },
    data={k: pio.templates["plotly_white"].data[k] for k in ("bar", "scatter", "heatmap")},
)
pio.templates[TEMPLATE].data.heatmap[0].colorbar.separatethousands = True
# Also the default, for a figure drawn without a builder (the warm-up's); no builder relies on it.
pio.templates.default = TEMPLATE
px.defaults.template = TEMPLATE
px.defaults.color_discrete_sequence = PALETTE


def themed(fig: go.Figure, lang: str, *, height: int = 420, title: str | None = None) -> go.Figure:
    """The figure's own settings: number format of the language, height, title and margins (the rest
    of the look is the template's, set here if the figure was built on another)."""
    template = pio.templates[TEMPLATE]
    if fig.layout.template != template:  # comparing costs ~0.2 ms, setting ~3.5 ms: only when it differs
        fig.update_layout(template=template)
    fig.update_layout(
        separators=plotly_separators(lang),
        title={"text": title, "font": {"size": 20}} if title else None,
        height=height,
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
    )
    fig.update_traces(cliponaxis=False, selector={"type": "bar"})
    return fig


def _values(column: pd.Series) -> list | np.ndarray:
    """A column as Plotly takes it: numbers as floats (missing = NaN), anything else as a list."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=float, na_value=np.nan)
    return column.astype(object).where(column.notna(), None).tolist()


def bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    color: str | None = None,
    orientation: str = "v",
    text: str | None = None,
    labels: dict[str, str] | None = None,
    color_discrete_map: dict[str, str] | None = None,
    category_orders: dict[str, list] | None = None,
) -> go.Figure:
    """``px.bar`` for the cases the pages use, drawn the same way (one trace per colour in order of
    first appearance or of ``category_orders``, the palette after the fixed colours, stacked, axis
    and legend titles from ``labels``, category axes in the given order, the first on top of a
    horizontal chart) but built from graph objects: Plotly Express spends ~12 ms on one bar trace
    and ~25 ms on a stacked chart, this 1-3 ms (docs/performance.md)."""
    labels = labels or {}
    orders = category_orders or {}
    colours = dict(color_discrete_map or {})
    groups = frame.groupby(color, sort=False, dropna=False) if color else [(None, frame)]
    if color in orders:  # as Plotly Express: each listed category keeps its colour, present or not
        rank = {value: i for i, value in enumerate(orders[color])}
        groups = sorted(groups, key=lambda group: rank.get(group[0], len(rank)))
        for value in orders[color]:
            colours.setdefault(value, PALETTE[len(colours) % len(PALETTE)])
    fig = go.Figure()
    for value, part in groups:
        hover = [f"{labels.get(c, c)}=%{{{axis}}}" for c, axis in ((x, "x"), (y, "y"), (text, "text")) if c]
        if color:
            colours.setdefault(value, PALETTE[len(colours) % len(PALETTE)])
            hover.insert(0, f"{labels.get(color, color)}={value}")
        fig.add_trace(
            go.Bar(
                x=_values(part[x]),
                y=_values(part[y]),
                orientation=orientation,
                name="" if value is None else str(value),
                legendgroup="" if value is None else str(value),
                showlegend=color is not None,
                marker={"color": colours[value] if color else PALETTE[0]},
                text=_values(part[text]) if text else None,
                textposition="auto",
                hovertemplate="<br>".join(hover) + "<extra></extra>",
            )
        )
    legend = {"tracegroupgap": 0, **({"title": {"text": labels.get(color, color)}} if color else {})}
    fig.update_layout(
        barmode="relative", xaxis_title=labels.get(x, x), yaxis_title=labels.get(y, y), legend=legend, margin={"t": 60}
    )
    if x in orders:
        fig.update_xaxes(categoryorder="array", categoryarray=list(orders[x]))
    if y in orders:  # the y axis runs upwards: reversed, the first category is on top
        order = list(orders[y])
        fig.update_yaxes(categoryorder="array", categoryarray=order[::-1] if orientation == "h" else order)
    return fig


def labelled_bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    text: str,
    lang: str,
    horizontal: bool = True,
    colour: str | None = None,
    title: str | None = None,
) -> go.Figure:
    """Bars with their labels ("x" for a hidden figure, "no data"): a row without a value keeps its
    place and its label, never a 0 bar; ``colour`` groups bars side by side. The pages and the report."""
    value, category = (x, y) if horizontal else (y, x)
    frame = frame.assign(**{value: pd.to_numeric(frame[value], errors="coerce").astype(float)})
    fig = bars(
        frame, x, y, orientation="h" if horizontal else "v", text=text, color=colour,
        labels={x: "", y: "", **({colour: ""} if colour else {})},
    ).update_layout(barmode="group")  # fmt: skip
    fig.update_traces(textposition="outside")
    for row in frame[frame[value].isna()].itertuples():
        where = {"x": 0, "y": getattr(row, category), "xanchor": "left", "xshift": 6}
        if not horizontal:
            where = {"x": getattr(row, category), "y": 0, "yanchor": "bottom", "yshift": 6}
        fig.add_annotation(text=getattr(row, text), showarrow=False, font={"color": "#4b5563"}, **where)
    top = 1.3 * max(float(frame[value].fillna(0).max()), 1)
    size = len(frame)
    fig = themed(fig, lang, height=max(300, 90 + 52 * size) if horizontal else 420, title=title)
    if horizontal:
        fig.update_xaxes(range=[0, top], showticklabels=False, showgrid=False)
        fig.update_yaxes(autorange="reversed", ticksuffix="  ")
    else:
        fig.update_yaxes(range=[0, top], rangemode="tozero")
        fig.update_xaxes(type="category")
    return fig


def heatmap(
    frame,
    x: str,
    y: str,
    value: str,
    *,
    lang: str,
    text: str | None = None,
    title: str | None = None,
    colorscale: str | list = "Blues",
    zmin: float | None = None,
    zmax: float | None = None,
    zmid: float | None = None,
    x_order: list | None = None,
    y_order: list | None = None,
    colorbar_title: str | None = None,
    height: int | None = None,
    showscale: bool = True,
) -> go.Figure:
    """A school-by-something heat table. Cells without a value (no data, or suppressed) stay
    grey and show their ``text`` label ("–", "x", "nav datu"), so "no data" never looks like 0.

    ``frame`` is long (one row per cell); ``text`` names a column of ready-made cell labels.
    Drawn to stay readable on a phone (390 px): long row names over two lines, worded cell labels
    over two ("nav<br>norādīts"), the colour bar under the table instead of beside it.
    """
    xs = x_order or list(dict.fromkeys(frame[x]))
    ys = y_order or list(dict.fromkeys(frame[y]))
    values = frame.pivot_table(index=y, columns=x, values=value, aggfunc="first", dropna=False)
    values = values.reindex(index=ys, columns=xs)
    labels = None
    if text:
        labels = frame.pivot_table(index=y, columns=x, values=text, aggfunc="first").reindex(index=ys, columns=xs)
        labels = [[narrow(v) for v in row] for row in labels.astype(object).where(labels.notna(), "–").values]
    z = values.astype(float).values.tolist()
    # The colour bar reads as the values do: none where every shown cell has one value (a scale of
    # one colour says nothing), whole steps where the cells hold small whole numbers (no 0,2 pupils).
    shown = {v for row in z for v in row if not math.isnan(v)}
    colorbar = {"orientation": "h", "y": -0.02, "yanchor": "top", "thickness": 14, "title": {"side": "top"}}
    if colorbar_title:
        colorbar["title"]["text"] = colorbar_title
    if shown and all(v.is_integer() for v in shown) and max(shown) - min(shown) <= 10:
        colorbar["dtick"] = 1
    if not shown:
        # Every cell empty (no data, or hidden): Plotly would draw nothing, not even the labels. Draw
        # the cells in the "no value" grey with their labels, as they look beside other cells.
        z = [[0.0 for _ in row] for row in z]
        colorscale, zmin, zmax, zmid = [[0, "#e5e7eb"], [1, "#e5e7eb"]], None, None, None
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(v) for v in xs],
            y=[str(v) for v in ys],
            text=labels,
            texttemplate="%{text}" if labels else "%{z}",
            textfont={"size": 15},
            colorscale=colorscale,
            zmin=zmin,
            zmax=zmax,
            zmid=zmid,
            xgap=2,
            ygap=2,
            hoverongaps=False,
            hovertemplate=None if shown or not labels else "%{y} · %{x}: %{text}<extra></extra>",
            colorbar=colorbar or None,
            showscale=showscale and len(shown) > 1,
        )
    )
    fig = themed(fig, lang, height=height or max(300, 44 * len(ys) + 120), title=title)
    fig.update_layout(plot_bgcolor="#e5e7eb")
    names = [str(v) for v in ys]
    fig.update_yaxes(autorange="reversed", showgrid=False, tickvals=names, ticktext=[wrap_name(n) for n in names])
    fig.update_xaxes(side="top", showgrid=False, type="category", tickfont={"size": crowded_ticks(len(xs))})
    return fig


def wrap_name(name: str, width: int = 22) -> str:
    """A long row name over two lines ("Ludzas Mūzikas<br>pamatskola"): on a phone the names take
    the width the cells need, and Plotly cut a long one at the left edge ("zas Mūzikas pamatskola")."""
    lines = textwrap.wrap(name, width, break_long_words=False)
    return name if len(lines) < 2 else lines[0] + "<br>" + " ".join(lines[1:])


def narrow(label: object) -> str:
    """A worded cell label over two lines ("nav<br>norādīts"), so it fits a cell on a phone; a figure
    keeps its line (Latvian groups digits with a no-break space, which is not split)."""
    text = str(label)
    return text.replace(" ", "<br>", 1) if " " in text and "<br>" not in text else text


def crowded_ticks(count: int) -> int:
    """Tick label size for ``count`` categories side by side: smaller type past ten (14 semesters of
    "2018/19" fit on a laptop screen without running into each other)."""
    return 16 if count <= 10 else 13


def label_categories(fig: go.Figure, values: list, texts: list[str]) -> go.Figure:
    """The x axis's categories named by ``texts`` (semesters as "2018/19<br>I"), level and in a type
    size that fits their number."""
    return fig.update_xaxes(
        tickvals=list(values), ticktext=texts, tickangle=0, tickfont={"size": crowded_ticks(len(texts))}
    )
