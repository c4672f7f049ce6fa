"""The yearly reporting round on the Data page: for a chosen school year, which schools have sent
their annex 6 and the municipality its annex 1, when and by whom, and which are missing; the list
downloads so the coordinator can chase the missing ones."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from presentation.format import fmt_num
from ui import components
from ui.data import dataset
from ui.i18n import t


def round_table(found: pd.DataFrame, report_year: int) -> pd.DataFrame:
    """The round as the coordinator reads it: one row per school and one for the municipality's
    annex 1, the missing first; dates as dates, "–" where nothing was sent."""

    def when(value) -> str:
        return "–" if pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"

    def text(value) -> str:
        return "–" if value is None or pd.isna(value) else str(value)

    return pd.DataFrame(
        {
            t("data.round.col_who"): found["name"],
            t("data.round.col_form"): [
                t("data.round.form_annex6") if form == "annex6" else t("data.round.form_annex1", year=report_year)
                for form in found["form"]
            ],
            t("data.round.col_status"): [
                t("data.round.received") if received else t("data.round.missing") for received in found["received"]
            ],
            t("data.round.col_when"): [when(v) for v in found["imported_at"]],
            t("data.round.col_by"): [text(v) for v in found["imported_by"]],
            t("data.round.col_file"): [text(v) for v in found["file_name"]],
            t("data.round.col_figures"): [
                t("data.round.figures_yes") if has else t("data.round.figures_no") for has in found["has_figures"]
            ],
            t("data.round.col_import"): [text(v) for v in found["import_id"]],
        }
    )


def draw(municipality: str, start_years: list[int], lang: str) -> None:
    st.caption(t("data.round.caption"))
    start = st.selectbox(
        t("common.school_year"), start_years[::-1], format_func=lambda y: f"{y}/{y + 1}", key="round_year"
    )
    if start is None:
        components.no_data(t("data.round.no_years"))
        return
    school_year, report_year = f"{start}/{start + 1}", start + 1
    found = dataset("reporting_round.sql", municipality=municipality, school_year=school_year, report_year=report_year)
    schools = found[found["form"] == "annex6"]
    sent = int(schools["received"].sum())
    st.metric(
        t("data.round.sent_label", year=school_year),
        t("data.round.sent_value", sent=fmt_num(sent, lang), total=fmt_num(len(schools), lang)),
        border=True,
    )
    missing = found[~found["received"]]
    if missing.empty:
        st.success(t("data.round.all_in"))
    else:
        st.warning(t("data.round.missing_list", names=", ".join(missing["name"])))
    table = round_table(found, report_year)
    st.dataframe(table, hide_index=True, key="round_table")
    components.downloads(table, f"pmp_reporting_round_{start}-{start + 1}", "round")
