"""``presentation.charts.bars`` draws what ``px.bar`` draws (it only builds it faster), and the theme is the
template every figure starts from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import pytest

from presentation.charts import PALETTE, bars, themed

FRAME = pd.DataFrame(
    {
        "label": ["2023/24 I", "2023/24 I", "2023/24 II", "2023/24 II", "2024/25 I"],
        "value": pd.array([12, 7, None, 4, 9], dtype="Int64"),
        "school": ["Ezermala", "Other", "Ezermala", "Lejasciems", "Lejasciems"],
        "text": ["12", "7", "x", "4", "9"],
    }
)
CASES = [
    {"x": "label", "y": "value"},
    {"x": "label", "y": "value", "color": "school", "color_discrete_map": {"Other": "#9ca3af"}},
    {"x": "value", "y": "school", "orientation": "h", "text": "text", "labels": {"value": "Plans", "school": ""}},
    {"x": "value", "y": "label", "color": "school", "text": "text", "orientation": "h", "labels": {"school": "Who"}},
    {  # the support-staff gaps: schools and colours in a given order
        "x": "value", "y": "school", "color": "label", "orientation": "h",
        "category_orders": {"school": ["Lejasciems", "Ezermala", "Other"], "label": ["2024/25 I", "2023/24 II"]},
    },
    {"x": "label", "y": "value", "category_orders": {"label": ["2024/25 I", "2023/24 I", "2023/24 II"]}},
    {  # one school chosen: a role listed but absent keeps its colour for the others
        "x": "value", "y": "school", "color": "label", "orientation": "h",
        "category_orders": {"label": ["Absent", "2024/25 I", "2023/24 II", "2023/24 I"]},
    },
]  # fmt: skip


def _plain(values) -> list:
    """Values as a reader compares them: numbers as floats, missing as None."""
    out = []
    for v in np.asarray(values).tolist():
        if isinstance(v, int | float):
            v = None if np.isnan(v) else float(v)
        out.append(v)
    return out


@pytest.mark.parametrize("case", CASES)
def test_bars_draws_what_plotly_express_draws(case):
    ours, theirs = bars(FRAME, **case), px.bar(FRAME, **case)
    assert len(ours.data) == len(theirs.data)
    for mine, expected in zip(ours.data, theirs.data, strict=True):
        for prop in ("name", "legendgroup", "showlegend", "orientation", "hovertemplate", "textposition"):
            assert mine[prop] == expected[prop], prop
        assert mine.marker.color == expected.marker.color
        for prop in ("x", "y", "text"):
            if expected[prop] is None:
                assert mine[prop] is None
            else:
                assert _plain(mine[prop]) == _plain(expected[prop]), prop
    for prop in ("barmode",):
        assert ours.layout[prop] == theirs.layout[prop]
    assert ours.layout.xaxis.title.text == theirs.layout.xaxis.title.text
    assert ours.layout.yaxis.title.text == theirs.layout.yaxis.title.text
    assert ours.layout.legend.title.text == theirs.layout.legend.title.text
    for axis in ("xaxis", "yaxis"):
        assert ours.layout[axis].categoryarray == theirs.layout[axis].categoryarray, axis


def test_every_figure_starts_from_the_project_theme():
    fig = themed(go.Figure(go.Bar(x=["a"], y=[1])), "lv", height=300, title="t")
    template = fig.layout.template.layout
    assert list(template.colorway) == PALETTE and template.font.size == 16 and template.legend.orientation == "h"
    assert fig.layout.separators == ", " and fig.layout.height == 300 and fig.data[0].cliponaxis is False


def test_a_figure_has_the_project_theme_whatever_template_is_the_default(monkeypatch):
    """Importing streamlit after ``presentation.charts`` makes Streamlit's template the default: every
    builder still sets the project's on its figure (the import order does not matter)."""
    import plotly.io as pio

    from presentation.charts import TEMPLATE, heatmap, labelled_bars
    from presentation.staff_charts import gap_figure
    from presentation.target_charts import STYLES, progress_figure

    monkeypatch.setattr(pio.templates, "default", "plotly")  # as if charts' module-level defaults never ran
    monkeypatch.setattr(px.defaults, "template", None)
    monkeypatch.setattr(px.defaults, "color_discrete_sequence", None)
    assert go.Figure().layout.template != pio.templates[TEMPLATE]
    cells = pd.DataFrame({"school": ["A", "B"], "year": ["2023", "2023"], "value": [1.0, 2.0]})
    points = pd.DataFrame({"series": ["baseline", "actual"], "year": [2022, 2023], "value": [10.0, 12.0]})
    gaps = pd.DataFrame({"school": ["A", "A"], "role_label": ["psychologist", "speech"], "gap_fte": [0.5, 0.25]})
    figures = {
        "themed": themed(go.Figure(go.Bar(x=["a"], y=[1])), "lv"),
        "bars": themed(bars(FRAME, "label", "value", color="school"), "lv"),
        "labelled_bars": labelled_bars(cells.assign(text=["1", "2"]), "value", "school", "text", "en"),
        "heatmap": heatmap(cells, "year", "school", "value", lang="en"),
        "progress": progress_figure(points, "en", {s: s for s in STYLES}, str, 300),
        "gap": gap_figure(gaps, pd.Series({"A": 0.75}), ["psychologist", "speech"], "FTE", str, "en"),
        "express": themed(px.line(cells, x="year", y="value", color="school", template=TEMPLATE), "en"),
    }
    for name, fig in figures.items():
        template = fig.layout.template.layout
        assert list(template.colorway) == PALETTE and template.font.size == 16, name
    assert [trace.line.color for trace in figures["express"].data] == PALETTE[:2]


def test_the_hidden_mark_is_found_only_where_a_figure_is_hidden():
    from ui.components import hidden_mark

    assert hidden_mark(pd.DataFrame({"skola": ["A", "B"], "izgl.": ["12", "x"]})) == "x"
    assert hidden_mark(pd.DataFrame({"school": ["A"], "share": ["x · 0,1 %*"]})) == "x"
    assert hidden_mark(pd.DataFrame({"school": ["A"], "rate": ["x  (last year: 3.)"]})) == "x"
    assert hidden_mark(pd.DataFrame({"school": ["Max x Y"], "pupils": [3]})) is None  # text, not a mark
    assert hidden_mark(pd.DataFrame({"school": ["A"], "pupils": ["–"]})) is None
    assert hidden_mark(pd.DataFrame({"school": ["A"], "pupils": ["<5"]})) is None  # the old mark is gone


def _heat(values: list, text: list | None = None) -> go.Figure:
    from presentation.charts import heatmap

    frame = pd.DataFrame({"school": ["A", "A", "B"], "year": ["2023", "2024", "2023"], "n": values})
    if text:
        frame["label"] = text
    return heatmap(frame, "year", "school", "n", lang="lv", text="label" if text else None)


def test_a_heat_tables_colour_bar_reads_as_its_values_do():
    assert _heat([0, 0, None]).data[0].showscale is False  # one value shown: a one-colour scale says nothing
    small = _heat([0, 3, 1]).data[0]
    assert small.showscale and small.colorbar.dtick == 1  # whole pupils, not 0,2 of a pupil
    assert _heat([0.5, 120.0, 3.0]).data[0].colorbar.dtick is None
    fig = _heat([1880, 1765, 40])
    assert fig.layout.template.layout.yaxis.separatethousands  # 1 880 on a value axis, as in the tables
    assert not fig.layout.template.layout.xaxis.separatethousands  # where years stand: 2024, not 2 024
    assert fig.layout.template.data.heatmap[0].colorbar.separatethousands


def test_a_heat_table_with_every_cell_hidden_still_shows_its_cells_and_labels():
    trace = _heat([None, None, None], ["x", "–", "x"]).data[0]
    assert [list(row) for row in trace.z] == [[0.0, 0.0], [0.0, 0.0]]  # drawn (Plotly skips an all-empty z) ...
    assert {c for row in trace.colorscale for c in row[1:]} == {"#e5e7eb"}  # ... in the "no value" grey
    assert [list(row) for row in trace.text] == [["x", "–"], ["x", "–"]] and trace.showscale is False
