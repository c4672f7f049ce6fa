"""Margins sized before a chart is sent, so the browser draws it once.

Every axis of the project's template has ``automargin``: Plotly first draws a chart inside the
figure's margins, then measures its tick labels, axis titles, legend and colour bar, and if they do
not fit it grows the margins and draws the whole chart again (up to three times). The figures' own
margins are small (``presentation.charts.themed``: 10 px on the sides), so nearly every chart was drawn two
or three times: 60-670 ms a chart in Chromium on this machine instead of 10-100 ms
(docs/performance.md, "In the browser").

``presize`` estimates from the figure itself how much room the labels need and sets the margins to
that before the figure is sent. ``automargin`` stays on: where the estimate is short (a font that
runs wider, labels Plotly turns), Plotly still grows the margins as before, so a label is never
cut; where it is long, the plot is a few pixels narrower than before. Only margins that are
smaller than the estimate change.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable

import plotly.graph_objects as go

SAFETY = 1.1  # the estimate of a text's width errs on the wide side
WIDTH = 940  # a chart's width in the main area of a 1400 px wide window beside the sidebar
LINE = 1.3  # line height in em
DEFAULT_SIZE = 16  # the template's font size (presentation/charts.py)
PLOTLY_DEFAULT = {"l": 80, "r": 80, "t": 100, "b": 80}  # Plotly's margins where a figure sets none
_TAG = re.compile(r"<[^>]+>")
_AXIS = re.compile(r"^([xy])axis(\d*)$")


# Advance widths of the template's sans-serif (Source Sans Pro) in em, by kind of character.
_WIDTHS = {**dict.fromkeys("il|.,:;'!`", 0.25), **dict.fromkeys('jftrI()[]{}/\\-"', 0.34), " ": 0.22}
_WIDTHS |= {**dict.fromkeys("mwMW%@", 0.82), **dict.fromkeys("0123456789", 0.5)}


def _em(char: str) -> float:
    if char in _WIDTHS:
        return _WIDTHS[char]
    return 0.6 if char.isupper() else 0.5


def _lines(text: object) -> list[str]:
    return [_TAG.sub("", part) for part in re.split(r"<br\s*/?>", str(text), flags=re.IGNORECASE)]


def text_size(texts: Iterable[object], size: float) -> tuple[float, float]:
    """Width and height in pixels of the widest and tallest of ``texts`` (``<br>`` breaks a line)."""
    width, lines = 0.0, 0
    for text in texts:
        parts = _lines(text)
        width = max(width, max((sum(map(_em, p)) for p in parts), default=0) * SAFETY * size)
        lines = max(lines, len(parts))
    return width, lines * LINE * size


def _number_labels(values: list[float], axis, size: float) -> list[str]:
    """Tick labels Plotly would write for a numeric axis: the range's ends with thousands grouped."""
    low, high = (axis.range or (None, None)) if axis.range else (None, None)
    finite = [v for v in values if v is not None and math.isfinite(v)]
    ends = [v for v in (low, high, *(finite and (min(finite), max(finite)))) if v is not None]
    if not ends:
        return []
    biggest = max(abs(v) for v in ends)
    text = f"{biggest:,.0f}" if biggest >= 10 else f"{biggest:.1f}"
    return [("-" if min(ends) < 0 else "") + text + "00" + (axis.ticksuffix or "")]  # two digits more, to be safe


def _numbers(values) -> list[float] | None:
    """The values as floats, or None if any is text (a category axis)."""
    if values is None:
        return []
    out = []
    for value in values:
        if value is None:
            continue
        if isinstance(value, str) or not isinstance(value, numbers.Number):
            return None
        out.append(float(value))
    return out


def _axis_values(fig: go.Figure) -> dict[str, list]:
    """Every value drawn on each axis (``xaxis``, ``yaxis2`` ...), from the traces."""
    seen: dict[str, list] = {}
    for trace in fig.data:
        for letter in ("x", "y"):
            name = getattr(trace, f"{letter}axis", None) or letter
            values = getattr(trace, letter, None)
            if values is not None:
                seen.setdefault(f"{letter}axis{name[1:]}", []).extend(list(values))
    return seen


def _labels(axis, values: list) -> tuple[list[str], list[str]]:
    """The axis's tick labels, and the outer labels of a two-level (multicategory) axis."""
    if axis.ticktext is not None:
        return [str(v) for v in axis.ticktext], []
    levels = [v for v in values if isinstance(v, (list, tuple))]
    if levels:  # a two-level axis: each trace gives (outer labels, inner labels)
        return [str(v) for inner in levels[1::2] for v in inner], [str(v) for outer in levels[0::2] for v in outer]
    numbers = _numbers(values)
    if numbers is None or axis.type == "category":
        return [str(v) for v in (axis.categoryarray if axis.categoryarray is not None else values)], []
    return _number_labels(numbers, axis, DEFAULT_SIZE), []


def _template(fig: go.Figure, path: str):
    """A layout setting the figure does not set itself, as its template gives it (None without)."""
    node = fig.layout.template.layout if fig.layout.template else None
    for part in path.split("."):
        if node is None:
            return None
        node = getattr(node, part, None)
    return node


def _title_room(axis) -> float:
    """An axis title's room: also for an empty title, which Plotly reserves room for all the same."""
    text = axis.title.text if axis.title else None
    if text is None:
        return 0.0
    size = (axis.title.font.size if axis.title.font and axis.title.font.size else 15) or 15
    standoff = axis.title.standoff if axis.title.standoff is not None else 15
    return text_size([text or " "], size)[1] + standoff


def _legend_room(fig: go.Figure, size: float, plot_height: float) -> tuple[str, float] | None:
    """The side (t or b) and room of a horizontal legend above or below the plot."""
    legend = fig.layout.legend
    names = [t.name for t in fig.data if t.showlegend is not False and t.name and t.name.strip()]
    shown = fig.layout.showlegend
    orientation = legend.orientation or _template(fig, "legend.orientation")
    if shown is False or (shown is None and len(names) < 2) or orientation != "h" or legend.yref == "container":
        return None
    names = list(dict.fromkeys(names))
    widths = [text_size([name], size)[0] + 46 for name in names]
    rows, line = 1, 0.0
    for width in widths:
        if line + width > WIDTH - 20 and line:
            rows, line = rows + 1, 0.0
        line += width
    title = legend.title.text if legend.title else None
    height = rows * (LINE * size + 8) + 16 + (text_size([title], size)[1] if title and not names else 0)
    y = legend.y if legend.y is not None else _template(fig, "legend.y")
    y = 1.02 if y is None else y
    if y >= 1:
        return "t", height + (y - 1) * plot_height
    if y <= 0 and (legend.yanchor or _template(fig, "legend.yanchor")) == "top":
        return "b", height - y * plot_height
    return None


def needed(fig: go.Figure) -> dict[str, float]:
    """The margins (l, r, t, b) the axes' tick labels and titles, a legend and a colour bar take, in pixels."""
    layout = fig.layout
    values = _axis_values(fig)
    base = layout.font.size if layout.font and layout.font.size else DEFAULT_SIZE
    room = {"l": 0.0, "r": 0.0, "t": 0.0, "b": 0.0}
    for key in layout.to_plotly_json():
        match = _AXIS.match(key)
        if not match:
            continue
        axis = layout[key]
        if axis.visible is False:
            continue
        size = axis.tickfont.size if axis.tickfont and axis.tickfont.size else base
        labels, outer = _labels(axis, values.get(key, [])) if axis.showticklabels is not False else ([], [])
        width, height = text_size(labels, size)
        if match.group(1) == "y":
            side = "r" if axis.side == "right" else "l"
            width += text_size(outer, size)[0] + 20 if outer else 0
            standoff = axis.ticklabelstandoff or _template(fig, "yaxis.ticklabelstandoff") or 0
            room[side] = max(room[side], width + standoff + 10 + _title_room(axis))
        else:
            side = "t" if axis.side == "top" else "b"
            angle = axis.tickangle
            if angle is None or angle == "auto":  # Plotly turns labels that would overlap by 30 degrees
                count = max(len(set(labels)), 1)
                angle = 30 if count * (width + 8) > WIDTH * 0.75 and count > 1 else 0
            turned = abs(math.sin(math.radians(float(angle))))
            extent = width * turned + height * math.cos(math.radians(float(angle)))
            room[side] = max(room[side], extent + 12 + _title_room(axis))
    for trace in fig.data:
        if trace.type == "heatmap" and trace.showscale is not False:
            title = trace.colorbar.title.text if trace.colorbar and trace.colorbar.title else None
            z = [v for row in (trace.z or []) for v in row if isinstance(v, (int, float)) and math.isfinite(v)]
            labels = [f"{max(abs(v) for v in z):,.0f}"] if z else []
            if trace.colorbar and trace.colorbar.orientation == "h":  # under the plot: bar, numbers, title
                room["b"] = max(room["b"], (trace.colorbar.thickness or 30) + 2.5 * LINE * base + 16)
                continue
            bar = text_size(labels, base)[0] + 70
            room["r"] = max(room["r"], bar, text_size([title], base)[0] + 60 if title else 0)
    height = layout.height or 450
    legend = _legend_room(fig, base, max(height - (layout.margin.t or 0) - (layout.margin.b or 0), 100))
    if legend:
        room[legend[0]] = max(room[legend[0]], legend[1])
    return room


def presize(fig: go.Figure) -> go.Figure:
    """Grow the figure's margins to what its labels need (never shrink them); returns the figure."""
    margin = fig.layout.margin
    current = {side: getattr(margin, side) for side in ("l", "r", "t", "b")}
    current = {side: PLOTLY_DEFAULT[side] if value is None else value for side, value in current.items()}
    room = needed(fig)
    update = {side: math.ceil(room[side]) for side in room if room[side] > current[side]}
    if update:
        fig.update_layout(margin=update)
    return fig
