"""Overview: the headline figures of the chosen municipality, each with its year and source."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from ui import components, filters
from ui.charts import themed
from ui.data import dataset, metric
from ui.format import fmt_num, fmt_period
from ui.i18n import t

f = filters.current()
lang = f.lang
no_data = t("common.no_data")
municipality = dataset("municipalities.sql").set_index("code").loc[f.municipality]

st.title(t("overview.title"))
st.subheader(t("overview.subtitle", municipality=municipality[f"name_{lang}"]))
if municipality["is_synthetic"]:
    st.warning(t("app.synthetic_warning"))
st.caption(t("overview.latest_note"))

enrol = metric("pupils_total", f)
pumpurs = metric("pumpurs_iap", f)
staff = metric("schools_below_staff_norm", f)

trace: list[dict] = []
cols = st.columns(4)
with cols[0]:
    if enrol.empty:
        components.kpi(t("metrics.pupils_total.label"), no_data)
    else:
        row = enrol.iloc[-1]
        components.kpi(
            t("metrics.pupils_total.label"),
            fmt_num(row["pupils"], lang),
            row["school_year"],
            t("metrics.pupils_total.description"),
        )
        trace.append(
            {"metric": "pupils_total", "year": row["school_year"], "value": row["pupils"], "source": row["source"]}
        )
with cols[1]:
    if enrol.empty:
        components.kpi(t("metrics.schools_count.label"), no_data)
    else:
        row = enrol.iloc[-1]
        components.kpi(
            t("metrics.schools_count.label"),
            fmt_num(row["schools"], lang),
            row["school_year"],
            t("metrics.schools_count.description"),
        )
        trace.append(
            {"metric": "schools_count", "year": row["school_year"], "value": row["schools"], "source": row["source"]}
        )
with cols[2]:
    if pumpurs.empty:
        components.kpi(t("metrics.pumpurs_iap.label"), no_data, t("overview.no_pumpurs"))
    else:
        row = pumpurs.iloc[-1]
        period = fmt_period(row["period"])
        if pd.notna(row["iap_count"]):
            components.kpi(
                t("metrics.pumpurs_iap.label"),
                fmt_num(row["iap_count"], lang),
                period,
                t("metrics.pumpurs_iap.description"),
            )
            trace.append({"metric": "pumpurs_iap", "year": period, "value": row["iap_count"], "source": row["source"]})
        else:
            components.kpi(
                t("metrics.pumpurs_participants.label"),
                fmt_num(row["participants"], lang),
                period,
                t("metrics.pumpurs_participants.description"),
            )
            trace.append(
                {
                    "metric": "pumpurs_participants",
                    "year": period,
                    "value": row["participants"],
                    "source": row["source"],
                }
            )
with cols[3]:
    if staff.empty:
        components.kpi(t("metrics.schools_below_staff_norm.label"), no_data, t("overview.no_staff"))
    else:
        row = staff.iloc[-1]
        components.kpi(
            t("metrics.schools_below_staff_norm.label"),
            fmt_num(row["schools_below_norm"], lang),
            t(
                "overview.of_reporting",
                below=fmt_num(row["schools_below_norm"], lang),
                reporting=fmt_num(row["schools_reporting"], lang),
                year=row["school_year"],
            ),
            t("metrics.schools_below_staff_norm.description"),
        )
        trace.append(
            {
                "metric": "schools_below_staff_norm",
                "year": row["school_year"],
                "value": row["schools_below_norm"],
                "source": row["source"],
            }
        )

by_school = metric("pupils_by_school", f)
if by_school.empty:
    components.no_data(t("overview.no_pupils"))
else:
    year = by_school["school_year"].iloc[-1]
    latest = by_school[by_school["school_year"] == year].sort_values("pupils")
    fig = px.bar(
        latest,
        x="pupils",
        y="school",
        orientation="h",
        text="pupils",
        labels={"pupils": t("common.pupils"), "school": ""},
    )
    fig.update_traces(texttemplate="%{x:,.0f}", textposition="outside", cliponaxis=False)
    fig = themed(fig, lang, height=max(320, 48 * len(latest)), title=t("overview.pupils_by_school_title", year=year))
    table = latest.sort_values("pupils", ascending=False)[["school", "school_year", "pupils", "source"]].rename(
        columns={
            "school": t("common.school"),
            "school_year": t("common.school_year"),
            "pupils": t("common.pupils"),
            "source": t("overview.col_source"),
        }
    )
    components.chart_block(fig, table, "pupils_by_school", latest["source"].iloc[0], "overview_by_school")

if len(enrol) > 1:
    fig = px.line(
        enrol, x="school_year", y="pupils", markers=True, labels={"pupils": t("common.pupils"), "school_year": ""}
    )
    fig = themed(fig, lang, height=360, title=t("overview.pupils_trend_title"))
    table = enrol[["school_year", "pupils", "schools"]].rename(
        columns={
            "school_year": t("common.school_year"),
            "pupils": t("common.pupils"),
            "schools": t("metrics.schools_count.label"),
        }
    )
    components.chart_block(fig, table, "pupils_trend", enrol["source"].iloc[-1], "overview_trend")

if trace:
    with st.expander(t("common.sources")):
        frame = pd.DataFrame(trace)
        frame["metric"] = [t(f"metrics.{m}.label") for m in frame["metric"]]
        st.dataframe(
            frame.rename(
                columns={
                    "metric": t("common.metric"),
                    "year": t("overview.col_year"),
                    "value": t("common.value"),
                    "source": t("overview.col_source"),
                }
            ),
            hide_index=True,
        )
