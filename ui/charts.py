"""One chart theme: colour-blind-safe palette, large type for a projector, language-aware numbers."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio

from ui.format import plotly_separators

# Okabe-Ito palette (safe for the common colour-vision deficiencies)
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "Source Sans Pro, Arial, sans-serif"

# One registered template, so Plotly Express draws in the palette from the first trace on.
pio.templates["pmp"] = go.layout.Template(pio.templates["plotly_white"])
pio.templates["pmp"].layout.colorway = PALETTE
px.defaults.template = "pmp"
px.defaults.color_discrete_sequence = PALETTE


def themed(fig: go.Figure, lang: str, *, height: int = 420, title: str | None = None) -> go.Figure:
    fig.update_layout(
        template="pmp",
        colorway=PALETTE,
        separators=plotly_separators(lang),
        font={"family": FONT, "size": 16, "color": "#1f2933"},
        title={"text": title, "font": {"size": 20}} if title else None,
        height=height,
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"size": 15}},
    )
    fig.update_traces(cliponaxis=False, selector={"type": "bar"})
    fig.update_xaxes(automargin=True, title_font={"size": 15})
    fig.update_yaxes(automargin=True, title_font={"size": 15}, gridcolor="#e5e7eb")
    return fig
