"""Shared page pieces: KPI cards, a chart with its table and downloads, source captions."""

from __future__ import annotations

import io

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui.i18n import t


def kpi(label: str, value: str, caption: str | None = None, help_text: str | None = None) -> None:
    st.metric(label, value, help=help_text, border=True)
    if caption:
        st.caption(caption)


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()


def downloads(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX of exactly the table shown."""
    left, right = st.columns(2)
    left.download_button(
        t("common.download_csv"),
        frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    right.download_button(
        t("common.download_xlsx"),
        to_xlsx(frame, name),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
    )


def chart_block(fig: go.Figure, table: pd.DataFrame, name: str, source: str, key: str) -> None:
    """A chart with a table view beside it, downloads of the table, and its source."""
    chart_tab, table_tab = st.tabs([t("common.chart"), t("common.table")])
    with chart_tab:
        st.plotly_chart(fig, key=f"{key}_chart", theme=None, config={"displaylogo": False})
    with table_tab:
        st.dataframe(table, hide_index=True, key=f"{key}_table")
        downloads(table, name, key)
    st.caption(t("common.source", source=source))


def no_data(what: str) -> None:
    st.info(t("common.no_data_for", what=what))
