"""Meeting mode: the interagency group's running order, one screen at a time – one chart, one
sentence with the key figure, the view stamped on top and a question to discuss underneath.

The screens are the chapters of the yearly report (``report/sections.py``), so a figure on the
screen is the figure in the report. Previous/next with the buttons or the arrow keys; the screen
number is in the URL (``?meeting=1&screen=4``) so a link opens the same screen.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from presentation.format import is_missing
from presentation.tables import display
from presentation.text import Text
from report.sections import SECTIONS, build, default_report_year, plan_year_of, school_years, stamp
from ui import components, data, filters, meeting
from ui.i18n import t

f = filters.current()
on = meeting.active()
if on:
    meeting.present()
count = len(SECTIONS)
number = meeting.screen(count)
# The year of the report the screens follow: the chosen school year, else the latest one with data (as the
# Yearly report page), so the action plan screen shows the activity reports of that report's year.
known = school_years(data, f.municipality)
report_year = default_report_year(f, known)
plan_year = plan_year_of(report_year) if report_year else None
place = data.dataset("municipalities.sql").set_index("code").loc[f.municipality]
if plan_year is not None and not is_missing(place["plan_start"]):  # a year the action plan covers
    plan_year = min(max(plan_year, int(place["plan_start"])), int(place["plan_end"]))
section = build(data, f, (SECTIONS[number - 1],), plan_year=plan_year)[0]
titles = [t(f"report.{key}.title") for key in SECTIONS]


CHART_HEIGHT = 330  # with the stamp, title, sentence, tabs, sources and question: one 1280x720 screen
ROW = 24  # px per bar of a horizontal bar chart at the smaller type, so that Plotly drops no label


def projector(fig: go.Figure) -> go.Figure:
    """The section's chart with type large enough to read from the back of the room. A bar chart with
    many rows (Jēkabpils' 14 schools) gets smaller labels and a taller plot: at 20 px Plotly would
    leave out every other school's name to keep them from overlapping."""
    big = go.Figure(fig)
    big.update_layout(font_size=20, legend_font_size=18, height=CHART_HEIGHT)
    rows = {y for trace in big.data if getattr(trace, "orientation", None) == "h" for y in (trace.y or ())}
    if len(rows) > 10:
        big.update_layout(height=max(CHART_HEIGHT, ROW * len(rows) + 70))
        big.update_yaxes(tickfont_size=16)
    return big.update_traces(textfont_size=18, selector={"type": "heatmap"})


# The view's stamp and the way on, at the top: on a projector (1280x720) the buttons stay on screen
# whatever the chart's height; the arrow keys and Esc work too.
head, place, back, forward, leave = st.columns([3.6, 0.6, 1.2, 1.2, 1.2], vertical_alignment="center")
view = stamp(data, f)  # the data's latest school year, not the date of the last import (it read as the data's date)
head.caption(
    t("meeting.stamp", municipality=view.municipality, years=view.years, schools=view.schools,
      latest=known[-1] if known else t("common.no_data"))
)  # fmt: skip
place.markdown(f"**{t('meeting.screen_of', number=number, count=count)}**")
back.button(
    t("meeting.prev"), key="meeting_prev", on_click=meeting.go, args=(number - 1,), disabled=number == 1,
    shortcut="Left", width="stretch",  # Streamlit shows the arrow key beside the label: no second arrow icon
)  # fmt: skip
forward.button(
    t("meeting.next"), key="meeting_next", on_click=meeting.go, args=(number + 1,), disabled=number == count,
    shortcut="Right", width="stretch", type="primary",
)  # fmt: skip
if on:
    leave.button(
        t("meeting.exit"), key="meeting_exit", on_click=meeting.leave, shortcut="Esc", icon=":material/close:",
        width="stretch",
    )  # fmt: skip
st.title(section.title)
if section.figure is None:
    st.info(components.literal(section.sentence), icon=":material/info:")
else:
    st.subheader(components.literal(section.sentence), anchor=False)
    table = section.tables[0]
    shown = display(table, f.lang, f.threshold, Text(f.lang))
    name = f"meeting_{section.key}_{f.municipality}"
    components.chart_block(projector(section.figure), shown, name, section.sources, f"meeting_{section.key}")
st.info(f"**{t('report.question')}:** {section.question}", icon=":material/forum:")

jump, start = st.columns([3, 1], vertical_alignment="bottom", width=820)
jump.selectbox(
    t("meeting.jump"), range(1, count + 1), index=number - 1, format_func=lambda n: f"{n}. {titles[n - 1]}",
    key=f"meeting_jump_{number}", on_change=lambda: meeting.go(st.session_state[f"meeting_jump_{number}"]),
)  # fmt: skip
if not on:  # on the page (sidebar shown): the switch into meeting mode, as the sidebar's toggle
    start.button(
        t("meeting.start"), key="meeting_start", on_click=meeting.set_active, args=(True,),
        icon=":material/present_to_all:", width="stretch",
    )  # fmt: skip
