"""The browser-speed pieces (docs/performance.md, "In the browser"): margins sized before a chart is
sent (presentation/margins.py), figures built once per content (ui/figure_cache.py) and the warm-up of a new
server process (ui/warmup.py)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from presentation import margins
from presentation.charts import heatmap, labelled_bars, themed
from tests.factories import same_named_page_functions
from ui import figure_cache, warmup

SCHOOLS = ["Ludzas pilsētas vidusskola", "Mērdzenes pamatskola", "Ciblas vidusskola"]


def _bars() -> go.Figure:
    frame = pd.DataFrame({"school": SCHOOLS, "pupils": [420.0, None, 88.0], "label": ["420", "<5", "88"]})
    return labelled_bars(frame, "pupils", "school", "label", "lv", title="Skolēni")


def test_long_category_labels_get_their_room_before_the_chart_is_sent():
    fig = _bars()
    assert fig.layout.margin.l == 10  # themed: the labels' room was left to the browser
    margins.presize(fig)
    width, _ = margins.text_size(SCHOOLS, 16)
    assert fig.layout.margin.l >= width + 6  # the widest school name, the tick standoff
    assert margins.text_size(["Ludzas<br>pilsētas"], 16)[1] == 2 * margins.text_size(["Ludzas"], 16)[1]


def test_presize_never_shrinks_a_margin_and_changes_nothing_the_second_time():
    fig = themed(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), "lv", title="Virsraksts")
    fig.update_layout(margin={"l": 400, "t": 90})
    before = fig.to_plotly_json()["layout"]["margin"]
    margins.presize(fig)
    after = fig.layout.margin
    assert after.l == 400 and after.t == 90 and after.r >= before["r"] and after.b >= before["b"]
    again = fig.to_plotly_json()
    assert margins.presize(fig).to_plotly_json() == again


def test_a_heat_table_leaves_room_for_its_colour_bar_and_its_labels_on_top():
    frame = pd.DataFrame(
        {"school": SCHOOLS * 2, "role": ["a"] * 3 + ["b"] * 3, "value": [1.0, 5.0, 9.0, 2.0, 3.0, 40.0]}
    )
    fig = margins.presize(heatmap(frame, "role", "school", "value", lang="en", colorbar_title="Pupils per FTE"))
    # the colour bar lies under the table (issue 17: on a phone one beside it left the cells no room)
    assert fig.layout.margin.b >= 60 and fig.layout.margin.t >= 20 and fig.layout.margin.l > 150


def test_a_figure_is_built_once_per_content_and_language():
    calls = []

    def build(frame: pd.DataFrame, lang: str, fmt) -> go.Figure:
        calls.append(lang)
        return themed(go.Figure(go.Bar(x=frame["x"], y=frame["y"])), lang)

    frame = pd.DataFrame({"x": ["a", "b"], "y": [1, 2], "source": [["doc 1"], ["doc 1", "doc 2"]]})
    first = figure_cache.cached(build, frame, "lv", str)
    assert figure_cache.cached(build, frame.copy(), "lv", str) is first  # same content: the same figure
    assert figure_cache.cached(build, frame, "en", str) is not first
    assert figure_cache.cached(build, frame.assign(y=[1, 3]), "lv", str) is not first
    assert calls == ["lv", "en", "lv"]


def test_a_cached_figure_is_sized_once_and_a_figure_with_its_table_is_cached_too():
    frame = pd.DataFrame({"school": SCHOOLS, "pupils": [420.0, 1.0, 88.0], "label": ["420", "x", "88"]})

    def chart(frame: pd.DataFrame, lang: str) -> tuple[go.Figure, pd.DataFrame]:
        return labelled_bars(frame, "pupils", "school", "label", lang, title="Skolēni"), frame[["school"]]

    fig, table = figure_cache.cached(chart, frame, "lv")
    assert figure_cache.is_built(fig) and fig.layout.margin.l > 10  # sized when built
    assert list(table["school"]) == SCHOOLS
    assert not figure_cache.is_built(_bars())  # a figure built on the page: chart_block sizes it


def test_two_page_functions_of_one_name_are_two_builders():
    """Page scripts run as ``__main__``: a builder defined in a page is told apart by its file."""
    one, two = same_named_page_functions("build")
    assert figure_cache.cached(one, "lv") == "lv 1"
    assert figure_cache.cached(two, "lv") == "lv 2"


def test_the_warm_up_imports_every_module_the_pages_import():
    modules = warmup.page_modules()
    expected = ("ui.components", "presentation.charts", "presentation.target_charts", "metrics.provenance")
    for name in (*expected, "report.sections"):
        assert name in modules
    assert all(not name.startswith(("streamlit", "pandas", "plotly")) for name in modules)


def test_the_warm_up_sets_the_libraries_aside_from_the_garbage_collector(monkeypatch):
    """After the warm-up a full collection walks only what the sessions made (ui/warmup.py)."""
    import gc

    calls: list[str] = []
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append("collect") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    warmup.warm()
    assert calls == ["collect", "freeze"]  # the warm-up's garbage collected before the rest is frozen
