"""Yearly report: the Education Board's August monitoring report for the chosen municipality and
school year, as a self-contained HTML file (print-ready on A4) and an XLSX with a sheet per section.

The sections are those of the meeting mode (``report/sections.py``), read through the same cached
metrics as every page; the files are built only when a download button is clicked.
"""

from __future__ import annotations

import streamlit as st

from presentation.text import Text
from report import html, xlsx
from report.sections import default_report_year, school_years, yearly_report
from ui import components, data, filters
from ui.i18n import LANGS, t

f = filters.current()
st.title(t("report.page_title"))
st.caption(t("report.page_caption"))
years = school_years(data, f.municipality)
if not years:
    components.no_data(t("report.page_year"))
    st.stop()

if st.session_state.get("report_year") not in years:  # another municipality: its own latest year
    st.session_state["report_year"] = default_report_year(f, years)
if st.session_state.get("report_lang") not in LANGS:
    st.session_state["report_lang"] = f.lang
left, right = st.columns([1, 2])
year = left.selectbox(t("report.page_year"), years[::-1], key="report_year")
lang = right.segmented_control(
    t("report.page_lang"), list(LANGS), format_func=lambda code: t(f"filters.lang_{code}"), key="report_lang",
    required=True,
)  # fmt: skip

report = yearly_report(data, f.model_copy(update={"lang": lang}), year)
plan_year = next((s.figures.get("year") for s in report.sections if s.key == "action_plan"), None)
stamp = report.stamp
st.info(
    t("report.page_scope", municipality=stamp.municipality, year=year, years=stamp.years, schools=stamp.schools,
      plan_year=plan_year or "–"),
    icon=":material/description:",
)  # fmt: skip
if stamp.synthetic:
    st.warning(t("app.synthetic_warning"))

name = f"pmp_{'parskats' if lang == 'lv' else 'report'}_{f.municipality}_{year.replace('/', '-')}_{lang}"
first, second = st.columns([1.4, 1])
first.download_button(
    t("report.download_html"), lambda: html.render(report).encode("utf-8"), file_name=f"{name}.html",
    mime="text/html", key="report_html", on_click="ignore", icon=":material/print:", type="primary",
)  # fmt: skip
second.download_button(
    t("report.download_xlsx"), lambda: xlsx.render(report), file_name=f"{name}.xlsx", key="report_xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
    icon=":material/table_view:",
)  # fmt: skip
st.caption(t("report.print_hint"))

st.subheader(t("report.preview"))
st.caption(t("report.preview_caption"))
for number, section in enumerate(report.sections, start=1):
    with st.container(border=True):
        st.markdown(f"**{number}. {section.title}**")
        st.markdown(components.literal(section.sentence))
        st.caption(f"{Text(lang)('report.question')}: {section.question}")
