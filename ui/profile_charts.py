"""The School profile's charts: one school's figures over every year it has them, each returned with the
table shown beside it (the same figures as text, "x" where hidden) for ``components.chart_block``.

``chosen`` is the start years the user picked; their columns are shaded (``mark``), nothing when none is picked.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from metrics import outcomes, profile
from metrics.staffing import NORM_ROLES
from presentation import pumpurs, tables
from presentation.charts import TEMPLATE, bars, heatmap, label_categories, themed
from presentation.format import fmt_count, fmt_num, fmt_pct
from presentation.profile import outcome_text
from ui.i18n import t

Chart = tuple[go.Figure, pd.DataFrame]
# The Support staff page's two colours: orange below the norm (coverage < 1 of 2), blue at or above it.
NORM_SCALE = [[0, "#D55E00"], [0.4999, "#F6D0A5"], [0.5, "#B8D8EE"], [1, "#0072B2"]]


def mark(fig: go.Figure, slots: pd.DataFrame, chosen: list[int]) -> go.Figure:
    """Frame the x-axis categories (one per row of ``slots``, in order) that fall in the chosen years: an
    outline, not a tint, so the colours of a heat table keep their meaning."""
    if chosen:
        for i, on in enumerate(profile.chosen(slots.reset_index(drop=True), chosen)):
            if on:
                fig.add_vrect(x0=i - 0.5, x1=i + 0.5, line={"color": "#1f2933", "width": 3}, layer="above")
    return fig


def _year_heads(fig: go.Figure, years: list[str]) -> go.Figure:
    """Column heads "2018/" over "2019": seven school years fit side by side without turning, written
    in full as everywhere else (never "2018/19")."""
    return fig.update_xaxes(tickvals=years, ticktext=[y.replace("/", "/<br>", 1) for y in years], tickangle=0)


def _heads(**extra: str) -> dict[str, str]:
    return {"school_year": t("common.school_year"), "period": t("common.period"), **extra}


def pupils(enrol: pd.DataFrame, chosen: list[int], lang: str, limit: int) -> Chart:
    shown = enrol.assign(pupils=enrol["pupils"].astype(float), text=tables.count_labels(enrol, "pupils", lang, limit))
    fig = px.line(
        shown,
        x="school_year",
        y="pupils",
        text="text",
        markers=True,
        labels={"pupils": "", "school_year": ""},
        template=TEMPLATE,
    )
    fig.update_traces(textposition="top center", line={"width": 4}, marker={"size": 12})
    fig.update_yaxes(range=[0, 1.25 * max(shown["pupils"].max(), 4)])  # room for the labels above the points
    fig = mark(themed(fig, lang, height=340, title=t("profile.pupils_chart")), enrol, chosen)
    heads = _heads(pupils=t("common.pupils"), source=t("profile.col_source"))
    return fig, tables.display_table(enrol, ["pupils"], lang, limit, heads)


def risks(lines: pd.DataFrame, chosen: list[int], lang: str, limit: int) -> Chart:
    """Identified risks per 100 pupils, a line per risk group and one for all groups (as on the Risks page)."""
    texts = [
        t("risks.hidden", limit=limit) if hidden else fmt_num(value, lang, 1)
        for value, hidden in zip(lines["per_100"], lines["per_100_hidden"], strict=True)
    ]
    # A group without one drawn point keeps its legend entry, which says why there is no line
    drawn = lines.groupby("risk_group")["per_100"].transform(lambda v: v.notna().any())
    any_hidden = lines.groupby("risk_group")["per_100_hidden"].transform("any")
    groups = [
        t(f"risks.group.{g}")
        if d
        else f"{t(f'risks.group.{g}')} – {t('risks.hidden', limit=limit) if h else t('common.no_data')}"
        for g, d, h in zip(lines["risk_group"], drawn, any_hidden, strict=True)
    ]
    shown = lines.assign(group=groups, value=texts, per_100=lines["per_100"].astype(float))
    fig = px.line(
        shown,
        x="period",
        y="per_100",
        color="group",
        markers=True,
        labels={"per_100": "", "period": ""},
        template=TEMPLATE,
    )
    fig.update_traces(line={"width": 3}, marker={"size": 10})
    fig.update_traces(line={"width": 5, "dash": "dot"}, selector={"name": t("risks.group.total")})
    fig = themed(fig, lang, height=460, title=t("profile.risk_chart"))
    fig.update_layout(legend={"title": None, "y": -0.12, "yanchor": "top"}, yaxis_rangemode="tozero")
    heads = _heads(group=t("risks.col_group"), value=t("risks.col_per_100"), pupils=t("risks.col_pupils"))
    table = tables.display_table(shown, ["pupils"], lang, limit, heads | {"source": t("profile.col_source")})
    return mark(fig, shown.drop_duplicates("period"), chosen), table


def plans(cells: pd.DataFrame, slots: pd.DataFrame, column: str, chosen: list[int], lang: str, limit: int) -> Chart:
    """The school's Pumpurs figure in every semester (or span) the municipality reports: the count, "x",
    "–" (no figure for the school) or "not reported" (no school reported that semester) above each slot."""
    count = partial(fmt_count, lang=lang, threshold=limit, no_data=t("common.no_data"))
    grid = pumpurs.heat(cells.assign(school_label=""), slots, column, count, "–", t("pumpurs.not_reported_cell"))
    order, heights = list(slots["label"]), grid["value"].astype(float)
    fig = bars(grid.assign(value=heights), x="label", y="value", labels={"label": "", "value": ""})
    fig.add_scatter(x=order, y=heights.fillna(0), text=grid["text"], mode="text", textposition="top center",
                    showlegend=False, hoverinfo="skip")  # fmt: skip
    fig = themed(fig, lang, height=420, title=t(f"profile.pumpurs_chart_{column}"))
    fig.update_layout(bargap=0.6 if len(order) < 3 else 0.25)  # a lone span is not a wall of colour
    label_categories(fig, order, pumpurs.axis_labels(slots)).update_xaxes(categoryarray=order)
    fig.update_yaxes(range=[0, 1.25 * max(heights.max(), 4) if heights.notna().any() else 5])
    heads = {"label": t("pumpurs.col_semester"), "text": t(f"pumpurs.col_{column}")}
    return mark(fig, slots, chosen), grid[list(heads)].rename(columns=heads)


def staff(grid: pd.DataFrame, chosen: list[int], lang: str) -> Chart:
    """The four norm roles by school year, coloured below / at the norm, with the FTE (or why there is none)."""
    roles = [t(f"support_staff.role.{r}") for r in NORM_ROLES]
    grid = grid.assign(role_label=[t(f"support_staff.role.{r}") for r in grid["role"]])
    years = grid.drop_duplicates("school_year")
    fig = heatmap(grid, "school_year", "role_label", "coverage", lang=lang, text="label", colorscale=NORM_SCALE,
                  zmin=0, zmax=2, x_order=list(years["school_year"]), y_order=roles, title=t("profile.staff_chart"),
                  height=130 + 60 * len(roles))  # fmt: skip
    table = grid.pivot(index="role_label", columns="school_year", values="label").reindex(index=roles)
    table = table.rename_axis(columns=None).reset_index(names=t("profile.col_role"))
    fig = _year_heads(fig.update_traces(showscale=False), list(years["school_year"]))
    return mark(fig, years, chosen), table


def results(rows: pd.DataFrame, chosen: list[int], lang: str, limit: int) -> Chart:
    """Outcome indicators by school year: count · share (colour: the share; grey: none, or hidden with its count)."""

    def name(topic: str, level: str, subject: str, threshold: str) -> str:
        parts = outcomes.breakdown(topic, level, subject, threshold)
        text = [t("outcomes.threshold", value=v) if k == "threshold" else t(f"outcomes.{k}.{v}") for k, v in parts]
        return ", ".join([t(f"outcomes.topic.{topic}.label"), *text])

    def share(value: object, printed: bool) -> str:
        return fmt_pct(value, lang, outcomes.pct_decimals(value, printed)) + ("*" if printed else "")

    count = partial(fmt_count, lang=lang, threshold=limit, no_data="–")
    keys = rows[["topic", "level", "subject", "threshold"]].itertuples(index=False)
    rows = rows.assign(
        row=[name(*key) for key in keys],
        text=outcome_text(rows, count, share, lambda v: t("outcomes.hours_value", value=fmt_num(v, lang, 2))),
    )
    years, names = rows.drop_duplicates("school_year").sort_values("start_year"), list(dict.fromkeys(rows["row"]))
    rows["chart_text"] = rows["text"].str.replace(" · ", "<br>")  # narrow columns: one figure a line
    fig = heatmap(rows, "school_year", "row", "share_pct", lang=lang, text="chart_text", colorscale="Oranges", zmin=0,
                  x_order=list(years["school_year"]), y_order=names, title=t("profile.outcomes_chart"),
                  height=150 + 56 * len(names))  # fmt: skip
    table = tables.grid(rows, t("profile.col_indicator"), "–")
    fig = _year_heads(fig.update_traces(showscale=False), list(years["school_year"]))
    return mark(fig, years, chosen), table
