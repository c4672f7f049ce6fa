"""Comparing municipalities: key measures side by side, as rates per 100 pupils where the
denominator exists, with all of Latvia as a reference line (never as a municipality)."""

from __future__ import annotations

import streamlit as st

from presentation.format import fmt_num
from ui import compare_charts, components, filters
from ui.data import dataset, metric
from ui.i18n import t

f = filters.current()
lang, limit = f.lang, f.threshold
st.title(t("compare.title"))
st.caption(t("compare.intro"))

towns = dataset("municipalities.sql")
names = dict(zip(towns["code"], towns[f"name_{lang}"], strict=True))
chosen = compare_charts.chosen_municipalities(list(names), f.municipality)
chosen = st.multiselect(
    t("compare.choose"),
    list(names),
    default=chosen,
    format_func=names.__getitem__,
    key="compare_municipalities",
    on_change=compare_charts.remember_choice,
    placeholder=t("compare.choose_placeholder"),
    select_all=False,  # Streamlit's "Select all" is English only
    filter_mode=None,  # a short list: no typing, so no English "No results" either
)
if not chosen:
    components.no_data(t("compare.what"))
    st.stop()

labels = {m: t(f"compare.measure_{m}") for m in compare_charts.MEASURES}  # a lookup made in this run's language
measure = st.radio(
    t("compare.measure"),
    list(labels),
    format_func=labels.__getitem__,
    key="compare_measure",
    horizontal=True,
)

frame = metric("compare_municipalities", f.model_copy(update={"schools": ()}), municipalities=sorted(chosen))
reference = metric("national_reference", f)  # in the table always; a line beside the plans
national = reference if measure == "iap_count" else None
if frame.empty or frame[measure].isna().all():
    components.no_data(t(f"compare.measure_{measure}"))
else:
    fig = compare_charts.comparison_chart(frame, measure, national, lang, names)
    table = compare_charts.comparison_table(frame, lang, limit, reference)
    sources = compare_charts.sources(frame, reference)
    components.chart_block(fig, table, "compare_municipalities", sources, "compare")
    no_pupils, no_figure = compare_charts.without_line(frame, measure, chosen)  # in the legend, but no line
    for key, codes in (("compare.no_pupils", no_pupils), ("compare.no_figure", no_figure)):
        if codes:
            st.caption(t(key, municipalities=", ".join(names[m] for m in codes), measure=labels[measure]))
    partial = frame[frame["pumpurs_semesters"].isin(["I", "II"])]
    for row in partial.itertuples():
        st.caption(
            t(
                "compare.one_semester",
                municipality=names[row.municipality],
                year=row.school_year,
                semester=row.pumpurs_semesters,
            )
        )
    municipal = frame[frame["pumpurs_basis"] == "municipal"]
    if len(municipal):
        shown = ", ".join(sorted({names[m] for m in municipal["municipality"]}))
        st.caption(t("compare.municipal_basis", municipalities=shown))
    if national is not None and len(national):
        st.caption(t("compare.national_note", n=fmt_num(len(national), lang)))
if f.schools:
    st.caption(t("compare.schools_ignored"))
