"""Accessibility and the page's frame: the document's language and title, contrast, narrow screens,
print, and a text alternative for every chart.

* ``page_head``: ``<html lang>`` set to the UI language (Streamlit leaves "en"), and the app-wide CSS:
  captions and disabled labels dark enough for WCAG AA (4.5:1; Streamlit's faded grey is ~3.9:1),
  a phone layout (390 px: less padding, the sidebar collapsed by ``initial_sidebar_state="auto"``),
  and a print layout without sidebar, header or chart toolbars.
* ``chart_description``: a chart's title and its table's rows as text, read by a screen reader and
  kept out of sight (the table itself is the tab beside the chart).
* ``CHART_CONFIG``: Plotly's toolbar off: its tooltips are English only, it covered chart titles on
  a phone and was printed with the page; the table and downloads beside every chart do its work.
"""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui.i18n import current_lang, t

CHART_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}
MARK = "pmp-head"
TEXT = "#4a4a48"  # captions: 8.6:1 on white, 8.2:1 on the sidebar's grey
MUTED = "#636261"  # labels of disabled widgets: 6.0:1 on white

_CSS = f"""
.stElementContainer:has(#{MARK}), .element-container:has(#{MARK}) {{ display: none; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{ color: {TEXT}; opacity: 1; }}
[data-testid="stWidgetLabel"]:has(+ * :disabled) p, .stSelectbox:has(:disabled) [data-testid="stWidgetLabel"] p,
[data-testid="stNumberInput"]:has(:disabled) [data-testid="stWidgetLabel"] p {{ color: {MUTED}; }}
.stElementContainer:has(.pmp-sr), .element-container:has(.pmp-sr) {{
  position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); margin: 0; }}
/* st.metric cuts a long label or value with an ellipsis and has no option not to: on a 1280 px
   projector five cards read "Pumpurs plān..." and "nav d...". They wrap instead (tests/e2e/test_council.py) */
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div, [data-testid="stMetricValue"],
[data-testid="stMetricValue"] div, [data-testid="stMetricValue"] p {{
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: break-word; }}
.pmp-app-title {{ font-size: 1.5rem; font-weight: 700; line-height: 1.2; margin: 0.5rem 0 0 0; }}
[data-testid="stMarkdownContainer"] p.pmp-app-tagline {{
  font-size: 0.875rem; color: {TEXT}; margin: 0.25rem 0 0.75rem 0; }}
@media (max-width: 640px) {{
  [data-testid="stMainBlockContainer"] {{ padding-left: 0.8rem; padding-right: 0.8rem; padding-top: 3.2rem; }}
  [data-testid="stMain"] h1 {{ font-size: 2rem; }}
  [data-testid="stMetricValue"] {{ font-size: 1.8rem; }}
}}
@media print {{
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], .modebar-container,
  [data-testid="stElementToolbar"] {{ display: none !important; }}
}}
"""
_HTML = """<style>{css}</style><span id="{mark}"></span>
<script type="module">document.documentElement.lang = {lang};</script>"""


def page_head(lang: str) -> None:
    """The document's language and the app-wide CSS (once per run, before the page draws)."""
    st.html(_HTML.format(css=_CSS, mark=MARK, lang=json.dumps(lang)), unsafe_allow_javascript=True)


def _plain(text: object) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(text))).strip()


def describe(fig: go.Figure, table: pd.DataFrame, limit: int = 15, title: str | None = None) -> str:
    """The chart as text: its title (``title`` for a set of small figures), then its table's rows
    ("column: value; ..."), at most ``limit``."""
    if title is None:
        title = fig.layout.title.text if fig.layout.title and fig.layout.title.text else t("common.chart")
    lines = [t("a11y.chart_intro", title=_plain(title), rows=len(table))]
    columns = [c for c in table.columns if "source" not in str(c).lower() and "avot" not in str(c).lower()]
    for _, row in table.head(limit).iterrows():
        lines.append("; ".join(f"{_plain(c)}: {_plain(row[c])}" for c in columns))
    if len(table) > limit:
        lines.append(t("a11y.chart_more", rows=len(table) - limit))
    return " ".join(line if line.endswith(".") else line + "." for line in lines)


def chart_description(fig: go.Figure, table: pd.DataFrame, title: str | None = None) -> None:
    """The text alternative of the chart drawn next, out of sight."""
    text = html.escape(describe(fig, table, title=title))
    st.markdown(f'<p class="pmp-sr" lang="{current_lang()}">{text}</p>', unsafe_allow_html=True)
