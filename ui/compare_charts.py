"""The comparison of municipalities: which are chosen (kept in the URL as ``?cmp=LUD,JEK``), the
chart of one measure with a line per municipality and all of Latvia as a reference, and the table
of every measure side by side."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import provenance
from metrics.privacy import is_hidden
from presentation import tables
from presentation.charts import PALETTE, themed
from presentation.format import fmt_num, hidden_mark
from ui.i18n import t

# measure -> (decimals shown, is a count of pupils or plans)
MEASURES = {
    "iap_per_100": (1, False),
    "participants_per_100": (1, False),
    "staff_fte_per_100": (2, False),
    "iap_count": (0, True),
    "pupils": (0, True),
}
# a rate per 100 pupils -> the figure it divides by the pupils
RATES = {"iap_per_100": "iap_count", "participants_per_100": "participants", "staff_fte_per_100": "staff_fte"}
QUERY = "cmp"
# all of Latvia: its own style, never one a municipality gets (dashed, grey, diamonds, right axis)
NATIONAL_COLOUR = "#555555"
NATIONAL_SYMBOL = "diamond"
# a municipality's markers: the palette's colours with the first symbol, then again with the next
MUNICIPALITY_SYMBOLS = ("circle", "square", "triangle-up", "x", "star", "cross")


def municipality_style(code: str, every_code: list[str]) -> tuple[str, str]:
    """The colour and marker symbol of a municipality, by its place among all the database's
    municipalities in code order: the same whichever others are chosen beside it, in either language."""
    order = sorted(set(every_code) | {code})
    place = order.index(code)
    return PALETTE[place % len(PALETTE)], MUNICIPALITY_SYMBOLS[(place // len(PALETTE)) % len(MUNICIPALITY_SYMBOLS)]


def chosen_municipalities(codes: list[str], current: str) -> list[str]:
    """The municipalities the link names (``?cmp=LUD,JEK``), known ones only; else the sidebar's
    municipality. Unknown codes are said, not silently dropped."""
    if "compare_municipalities" in st.session_state:
        return [c for c in st.session_state["compare_municipalities"] if c in codes]
    asked = [c for c in st.query_params.get(QUERY, "").split(",") if c]
    unknown = [c for c in asked if c not in codes]
    if unknown:
        st.warning(t("compare.unknown", codes=", ".join(unknown)))
    known = [c for c in asked if c in codes]
    return known or [current]


def remember_choice() -> None:
    """on_change: the chosen municipalities go into the URL, so a copied link shows the same."""
    st.query_params[QUERY] = ",".join(st.session_state["compare_municipalities"])


def _shown(frame: pd.DataFrame, column: str) -> pd.Series:
    """The values a chart may draw: hidden (suppressed) ones left out, like missing ones."""
    values = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return values.mask(is_hidden(frame, column))


def comparison_chart(
    frame: pd.DataFrame, measure: str, national: pd.DataFrame | None, lang: str, names: dict[str, str]
) -> go.Figure:
    """A line per chosen municipality (``names``: every municipality of the database, which fixes
    each one's colour) and all of Latvia's plans as a reference line on an axis of its own."""
    fig = go.Figure()
    years = sorted(set(frame["school_year"]) | (set(national["school_year"]) if national is not None else set()))
    for code, rows in frame.groupby("municipality", sort=True):
        values = _shown(rows, measure)
        colour, symbol = municipality_style(code, list(names))
        fig.add_trace(
            go.Scatter(
                x=rows["school_year"].tolist(),
                y=values.tolist(),
                name=names.get(code, code),
                mode="lines+markers",
                line={"color": colour},
                marker={"color": colour, "symbol": symbol},
                connectgaps=False,
            )
        )
    if national is not None and len(national):
        fig.add_trace(
            go.Scatter(
                x=national["school_year"].tolist(),
                y=national["value"].tolist(),
                name=t("compare.national_line"),
                mode="lines+markers",
                line={"dash": "dash", "color": NATIONAL_COLOUR},
                marker={"symbol": NATIONAL_SYMBOL, "color": NATIONAL_COLOUR},
                yaxis="y2",
            )
        )
        fig.update_layout(
            yaxis2={
                "title": {"text": t("compare.national_axis")},
                "overlaying": "y",
                "side": "right",
                "rangemode": "tozero",
                "showgrid": False,
                "tickformat": ",d",
                "tickmode": "auto",  # its own round steps, not the left axis's grid
                "nticks": 6,
            }
        )
    fig.update_layout(
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": years, "title": None},
        yaxis={"title": {"text": t(f"compare.measure_{measure}")}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.2},
    )
    return themed(fig, lang, height=460, title=t("compare.chart_title", measure=t(f"compare.measure_{measure}")))


def without_line(frame: pd.DataFrame, measure: str, chosen: list[str]) -> tuple[list[str], list[str]]:
    """The chosen municipalities the chart has no line for, by why: (no pupil numbers to divide
    their figure by, no yearly figure at all). A rate is missing for the first kind even though
    the figure it is made of is there (a municipality that reports its own totals, no pupils)."""
    drawn = set(frame.loc[frame[measure].notna(), "municipality"])
    counted = set(frame.loc[frame[RATES[measure]].notna(), "municipality"]) if measure in RATES else set()
    missing = [code for code in sorted(chosen) if code not in drawn]
    return [c for c in missing if c in counted], [c for c in missing if c not in counted]


def comparison_table(
    frame: pd.DataFrame, lang: str, threshold: int, national: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every measure side by side, counts "x" where hidden, rates in the language's format and
    "no data" where the denominator is missing; all of Latvia's plans, when given, in rows of their
    own after the municipalities (what the chart's reference line draws, in the table and downloads)."""
    no_data = t("common.no_data")
    out = frame.copy()
    if national is not None and len(national):
        reference = pd.DataFrame(
            {
                f"name_{lang}": t("compare.national_row"),
                "school_year": national["school_year"],
                "iap_count": national["value"],
                "pumpurs_basis": "national",
                "source": national["source"],
            }
        )
        out = pd.concat([out, reference], ignore_index=True)
    for measure, (decimals, is_count) in MEASURES.items():
        if is_count:
            continue
        hidden = is_hidden(out, measure)
        out[measure] = [
            hidden_mark(lang) if h else fmt_num(v, lang, decimals, no_data)
            for v, h in zip(out[measure], hidden, strict=True)
        ]
    out["staff_fte"] = [fmt_num(v, lang, 2, no_data) for v in out["staff_fte"]]
    out["pumpurs_basis"] = [t(f"compare.basis_{b}") if isinstance(b, str) else no_data for b in out["pumpurs_basis"]]
    out["municipality"] = out[f"name_{lang}"]
    columns = {
        c: t(f"compare.col_{c}")
        for c in (
            "municipality",
            "school_year",
            "pupils",
            "iap_count",
            "iap_per_100",
            "participants",
            "participants_per_100",
            "pumpurs_basis",
            "staff_fte",
            "staff_fte_per_100",
            "source",
        )
    }
    return tables.display_table(out, ["pupils", "iap_count", "participants"], lang, threshold, columns)


def sources(frame: pd.DataFrame, national: pd.DataFrame | None) -> list[str]:
    return provenance.sources(frame, *([national] if national is not None else []))
