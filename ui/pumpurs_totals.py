"""A municipality's own Pumpurs figures, "not split by school" (stated_total): plans, pupils
supported, participating schools and funding in euro to the cent, on the Pumpurs page. Where the
schools report too, these stand beside the schools' figures, never added to them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics import provenance
from metrics.pumpurs import MUNICIPAL_MEASURES
from presentation.charts import labelled_bars
from presentation.format import fmt_count, fmt_eur, fmt_num
from ui import components
from ui.i18n import t

COUNTS = ("iap_count", "participants")


def _text(row: pd.Series, measure: str, lang: str, threshold: int) -> str:
    no_data = t("common.no_data")
    value = row[measure]
    if measure in COUNTS:
        return fmt_count(value, bool(row.get(f"{measure}_hidden", False)), lang, threshold, no_data)
    if measure.startswith("funding"):
        return fmt_eur(value, lang, no_data)
    return fmt_num(value, lang, 0, no_data)


def draw(own: pd.DataFrame, lang: str, threshold: int) -> None:
    st.subheader(t("pumpurs.own_title"))
    st.caption(t("pumpurs.own_caption"))
    # counts in one row, euro amounts (wider: "251 234,56 EUR" must fit) in the next; each card the
    # latest school year that has its figure, with that year (funding since the start may be given
    # for an earlier year than the plans), "no data" only where no year has it
    for row in (MUNICIPAL_MEASURES[:3], MUNICIPAL_MEASURES[3:]):
        for box, measure in zip(st.columns(len(row)), row, strict=True):
            known = own[own[measure].notna() | own.get(f"{measure}_hidden", False)]
            with box:
                if known.empty:
                    components.kpi(t(f"pumpurs.own_{measure}"), t("common.no_data"))
                    continue
                latest = known.iloc[-1]
                when = latest["period"]
                if measure == "iap_count" and latest["plans_semesters"] in ("I", "II"):
                    when = t("pumpurs.own_one_semester", year=latest["period"], semester=latest["plans_semesters"])
                components.kpi(t(f"pumpurs.own_{measure}"), _text(latest, measure, lang, threshold), when)
    shown = own.assign(
        **{m: [_text(r, m, lang, threshold) for _, r in own.iterrows()] for m in MUNICIPAL_MEASURES},
        label=[_text(r, "iap_count", lang, threshold) for _, r in own.iterrows()],
    )
    chart = own.assign(label=shown["label"], iap_count=own["iap_count"].where(~own["iap_count_hidden"].astype(bool)))
    fig = labelled_bars(chart, "period", "iap_count", "label", lang, horizontal=False, title=t("pumpurs.own_chart"))
    fig.update_layout(bargap=max(0.2, 0.8 - 0.15 * len(own)))  # one or two years: no bar across the page
    columns = {"period": t("pumpurs.own_year"), **{m: t(f"pumpurs.own_{m}") for m in MUNICIPAL_MEASURES}}
    columns["source"] = t("pumpurs.col_source")
    table = shown[[c for c in columns if c in shown]].rename(columns=columns)
    components.chart_block(fig, table, "pumpurs_municipal_totals", provenance.sources(own), "pumpurs_own")
