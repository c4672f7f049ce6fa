"""Overview: the headline figures of the chosen municipality, each with its year and source."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from metrics import provenance
from metrics.pumpurs import municipal_totals
from presentation import tables
from presentation.charts import TEMPLATE, labelled_bars, themed
from presentation.format import fmt_count, fmt_num, fmt_period
from ui import components, figure_cache, filters, headline
from ui.data import dataset, metric
from ui.i18n import t

f = filters.current()
lang, limit = f.lang, f.threshold
no_data = t("common.no_data")
municipality = dataset("municipalities.sql").set_index("code").loc[f.municipality]

st.title(t("overview.title"))
st.subheader(t("overview.subtitle", municipality=municipality[f"name_{lang}"]))
if municipality["is_synthetic"]:
    st.warning(t("app.synthetic_warning"))
headline.draw(f)  # the council's question first: on track for the targets? early leaving falling?
st.subheader(t("overview.figures_title"))
st.caption(t("overview.latest_note"))


def count(row: pd.Series, column: str) -> str:
    return fmt_count(row[column], bool(row.get(f"{column}_hidden", False)), lang, limit, no_data)


# Each card: (metric id, value text, when, sources, caption) from the latest row in the chosen period.
cards: list[tuple[str, str, str, list[str], str]] = []
enrol = metric("pupils_total", f)
if enrol.empty:
    cards.append(("pupils_total", no_data, "", [], t("overview.no_pupils")))
    # no pupil numbers yet: the schools in the municipality's register (general education, not merged)
    register = dataset("schools.sql", municipality=f.municipality)
    register = register[(register["sector"] == "general") & register["merged_into"].isna()]
    if f.schools:
        register = register[register["school_id"].isin(f.schools)]
    shown = fmt_num(len(register), lang) if len(register) else no_data
    cards.append(("schools_count", shown, "", [], t("overview.schools_registered") if len(register) else ""))
else:
    row = enrol.iloc[-1]
    cards.append(("pupils_total", count(row, "pupils"), row["school_year"], row["source"], row["school_year"]))
    cards.append(
        ("schools_count", fmt_num(row["schools"], lang), row["school_year"], row["source"], row["school_year"])
    )

pumpurs = metric("pumpurs_iap", f)
own = municipal_totals(metric("pumpurs_stated", f))  # a municipality's figures not split by school
if len(pumpurs):
    row, basis = pumpurs.iloc[-1], ""
    when = fmt_period(row["period"])
    if row["semesters"] in ("I", "II"):  # half a school year reported so far: say so
        when = t("overview.one_semester", period=when, semester=row["semesters"])
for metric_id, column in (("pumpurs_iap", "iap_count"), ("pumpurs_participants", "participants")):
    if pumpurs.empty and own.empty:
        cards.append((metric_id, no_data, "", [], t("overview.no_pumpurs")))
        continue
    if pumpurs.empty:  # the municipality's own totals: each card its latest year that has the figure
        given = own[own[column].notna() | own[f"{column}_hidden"].astype(bool)]
        row = given.iloc[-1] if len(given) else own.iloc[-1]
        when, basis = row["period"], t("overview.not_split")
        if column == "iap_count" and row["plans_semesters"] in ("I", "II"):
            when = t("overview.one_semester", period=when, semester=row["plans_semesters"])
    known = pd.notna(row[column]) or bool(row.get(f"{column}_hidden", False))
    value = count(row, column) if known else no_data
    caption = " · ".join(filter(None, [when, basis if known else ""]))  # "not split" only of a figure
    cards.append((metric_id, value, when if known else "", row["source"] if known else [], caption))

staff = metric("schools_below_staff_norm", f)
if staff.empty:
    cards.append(("schools_below_staff_norm", no_data, "", [], t("overview.no_staff")))
else:
    row = staff.iloc[-1]
    caption = t(
        "overview.of_reporting",
        below=fmt_num(row["schools_below_norm"], lang),
        reporting=fmt_num(row["schools_reporting"], lang),
        year=row["school_year"],
    )
    cards.append(
        (
            "schools_below_staff_norm",
            fmt_num(row["schools_below_norm"], lang),
            row["school_year"],
            row["source"],
            caption,
        )
    )

for column, (metric_id, value, _when, _source, caption) in zip(st.columns(len(cards)), cards, strict=True):
    with column:
        components.kpi(t(f"metrics.{metric_id}.label"), value, caption, t(f"metrics.{metric_id}.description"))

differs = dataset(
    "enrolment_stated_differs.sql", municipality=f.municipality, schools=list(f.schools), years=list(f.years)
)
for r in differs.itertuples():  # a stated total that is not the sum of its grades: said, never hidden
    shown = {k: fmt_count(getattr(r, k), getattr(r, k) < limit, lang, limit) for k in ("pupils", "stated_pupils")}
    st.warning(t("overview.stated_differs", school=r.school, year=r.school_year, **shown))

by_school = metric("pupils_by_school", f)
if by_school.empty:
    components.no_data(t("overview.no_pupils"))
else:
    year = by_school["school_year"].iloc[-1]
    latest = by_school[by_school["school_year"] == year].sort_values("pupils", ascending=False, na_position="last")
    latest = latest.assign(label=tables.count_labels(latest, "pupils", lang, limit))
    title = t("overview.pupils_by_school_title", year=year)
    fig = figure_cache.cached(labelled_bars, latest, "pupils", "school", "label", lang, title=title)  # once per content
    columns = {
        "school": t("common.school"),
        "school_year": t("common.school_year"),
        "pupils": t("common.pupils"),
        "source": t("overview.col_source"),
    }
    table = tables.display_table(latest, ["pupils"], lang, limit, columns)
    components.chart_block(fig, table, "pupils_by_school", provenance.sources(latest), "overview_by_school")

if len(enrol) > 1:
    fig = px.line(
        enrol,
        x="school_year",
        y="pupils",
        markers=True,
        labels={"pupils": t("common.pupils"), "school_year": ""},
        template=TEMPLATE,
    )
    fig = themed(fig, lang, height=360, title=t("overview.pupils_trend_title"))
    fig.update_yaxes(rangemode="tozero")  # from 0: a 6 % fall must not look like a collapse
    columns = {
        "school_year": t("common.school_year"),
        "pupils": t("common.pupils"),
        "schools": t("metrics.schools_count.label"),
        "source": t("overview.col_source"),
    }
    table = tables.display_table(enrol, ["pupils"], lang, limit, columns)
    components.chart_block(fig, table, "pupils_trend", provenance.sources(enrol), "overview_trend")

with st.expander(t("common.sources")):
    trace = pd.DataFrame(
        [
            {
                t("common.metric"): t(f"metrics.{metric_id}.label"),
                t("overview.col_year"): when or no_data,
                t("common.value"): value,
                t("overview.col_source"): provenance.joined(source) or no_data,
            }
            for metric_id, value, when, source, _caption in cards
        ]
    )
    st.dataframe(trace, hide_index=True)
