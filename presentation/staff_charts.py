"""The support-staff gap chart, drawn the same on the Support staff page and in the yearly report
(and its meeting screen)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from presentation.charts import bars, themed


def gap_figure(
    gaps: pd.DataFrame,
    totals: pd.Series,
    roles: Sequence[str],
    axis_title: str,
    fte: Callable[[float], str],
    lang: str,
) -> go.Figure:
    """FTE missing to reach the norm, a bar per school stacked by role, the school's total at its
    end, the largest gap on top. ``gaps``: rows with a gap (``school``, ``role_label``, ``gap_fte``);
    ``totals``: each school's gap, indexed by school, in ascending order."""
    fig = bars(
        gaps, "gap_fte", "school", color="role_label", orientation="h",
        category_orders={"school": totals.index[::-1].tolist(), "role_label": list(roles)},
        labels={"gap_fte": axis_title, "school": "", "role_label": ""},
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(x=totals, y=totals.index, mode="text", text=[fte(v) for v in totals], textposition="middle right",
                   showlegend=False, hoverinfo="skip")
    )  # fmt: skip
    fig = themed(fig, lang, height=max(320, 48 * len(totals) + 140))
    if len(totals):  # room for the total at the end of the longest bar ("0,833" as printed, not cut)
        fig.update_xaxes(range=[0, float(totals.max()) * 1.16])
    return fig.update_layout(legend_title=None)
