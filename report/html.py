"""The yearly report as one self-contained HTML file: interactive charts offline, print-ready on A4.

Everything is inside the file: plotly.js inline (once), each chart as JSON, the styles. Nothing is
fetched: no CDN, no web font, no MathJax, no map tiles (the report draws only bar and heat charts).
plotly.js itself carries URL strings it never fetches here (XML namespace names such as the SVG
namespace, licence banners, defaults of map traces); their slashes are written as ``\\/``, which a
JavaScript string, template or regular expression reads as the same ``/``, so no ``http(s)://``
address appears in the file at all. The browser test opens the file with the network blocked.

Print: ``@page`` A4 with the municipality, school year, language, generation and data dates, the
view and the page number in the page margins (repeated on every page); each section starts on a
new page; long tables split between rows and repeat their header row.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache

import plotly.io as pio
from plotly.offline import get_plotlyjs

from presentation.tables import Table, display
from presentation.text import Text, readable_sources
from report.sections import Report, Section

PRINT_WIDTH = 680  # px: the A4 text width (210 mm - 2 x 14 mm margins) at 96 dpi
PLOT_CONFIG = {"displaylogo": False, "responsive": False, "showLink": False, "showSendToCloud": False}
_URL = re.compile(r"(https?):/{2}", re.IGNORECASE)


@cache
def plotly_js() -> str:
    """plotly.js with every ``scheme://`` written ``scheme:\\/\\/`` (the same string to JavaScript)."""
    return _URL.sub(r"\1:\\/\\/", get_plotlyjs())


def _script_json(value: object) -> str:
    """JSON that is safe inside a <script> element and names no http(s) address."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _URL.sub(r"\1:\\/\\/", text.replace("</", "<\\/"))


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _figure_json(section: Section) -> dict:
    """The section's chart sized for the printed page (the app's projector sizes are too large)."""
    fig = section.figure
    figure = pio.from_json(fig.to_json(), skip_invalid=True)
    height = max(260, min(int((fig.layout.height or 420) * 0.8), 900))
    figure.update_layout(width=PRINT_WIDTH, height=height, font={"size": 12}, title_font={"size": 14})
    figure.update_layout(legend_font={"size": 11}, hoverlabel_font={"size": 12})
    figure.update_traces(textfont_size=11, selector={"type": "heatmap"})
    categories = max((len(trace.x) for trace in figure.data if trace.type == "bar" and trace.x is not None), default=0)
    figure.update_xaxes(tickfont_size=9 if categories > 10 else 11)
    return json.loads(pio.to_json(figure, validate=False))


def _grid(table: Table, report: Report, text: Text) -> str:
    shown = display(table, report.filters.lang, report.filters.threshold, text)
    kinds = ["num" if column.kind != "text" else "txt" for column in table.columns]
    head = "".join(f'<th class="{k}">{_e(h)}</th>' for h, k in zip(shown.columns, kinds, strict=True))
    rows = []
    for values in shown.itertuples(index=False):
        cells = "".join(f'<td class="{k}">{_e(v)}</td>' for v, k in zip(values, kinds, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _table(table: Table, report: Report, text: Text) -> str:
    """A table under its title; a grouped table as one sub-table per group, without the group column."""
    if table.group is None:
        return f"<h3>{_e(table.title)}</h3>{_grid(table, report, text)}"
    columns = tuple(c for c in table.columns if c.name != table.group)
    parts = [f"<h3>{_e(table.title)}</h3>"]
    for name, part in table.data.groupby(table.group, sort=False):
        sub = Table(str(name), part.reset_index(drop=True), columns)
        parts.append(f"<h4>{_e(name)}</h4>{_grid(sub, report, text)}")
    return "".join(parts)


def _section(number: int, section: Section, report: Report, text: Text) -> str:
    parts = [
        f'<section class="chapter" id="s-{section.key}" data-section="{section.key}">',
        f"<h2>{number}. {_e(section.title)}</h2>",
        f'<p class="lead">{_e(section.sentence)}</p>',
    ]
    if section.figure is not None:
        parts.append(f'<div class="chart" id="chart-{section.key}"></div>')
    parts += [_table(table, report, text) for table in section.tables]
    parts.append(f'<p class="question"><strong>{_e(text("report.question"))}:</strong> {_e(section.question)}</p>')
    if section.sources:
        parts.append(
            f'<p class="source">{_e(text("common.source", source=readable_sources(section.sources, text.lang)))}</p>'
        )
    parts.append("</section>")
    return "\n".join(parts)


def _styles(report: Report, text: Text) -> str:
    stamp, lang = report.stamp, report.filters.lang
    top_left = f"{stamp.municipality} · {text('report.cover_year', year=report.year)} · {lang.upper()}"
    top_right = (
        f"{text('report.data_date', date=stamp.data_date)} · {text('report.generated', date=report.generated_text)}"
    )
    bottom_left = text("report.filters", filters=stamp.line(text))
    return f"""
@page {{
  size: A4; margin: 20mm 14mm 18mm 14mm;
  @top-left {{ content: {_css_string(top_left)}; font: 8.5pt Arial, sans-serif; color: #374151; }}
  @top-right {{ content: {_css_string(top_right)}; font: 8.5pt Arial, sans-serif; color: #374151; }}
  @bottom-left {{ content: {_css_string(bottom_left)}; font: 7.5pt Arial, sans-serif; color: #4b5563; }}
  @bottom-right {{ content: {_css_string(text("report.page_of"))} " " counter(page) " / " counter(pages);
                   font: 8.5pt Arial, sans-serif; color: #374151; }}
}}
* {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ font-family: "Source Sans Pro", Arial, sans-serif; color: #1f2933; font-size: 11pt; line-height: 1.4;
        max-width: 190mm; margin: 0 auto; padding: 8mm 4mm; }}
h1 {{ font-size: 22pt; margin: 0 0 4mm; }}
h2 {{ font-size: 16pt; margin: 0 0 3mm; border-bottom: 2px solid #0072B2; padding-bottom: 1mm; break-after: avoid; }}
h3 {{ font-size: 11.5pt; margin: 5mm 0 2mm; break-after: avoid; }}
h4 {{ font-size: 10.5pt; margin: 3mm 0 1.5mm; color: #0b4f7c; break-after: avoid; }}
.cover .place {{ font-size: 16pt; margin: 0; }}
.cover .year {{ font-size: 14pt; margin: 1mm 0 6mm; }}
.cover .meta {{ list-style: none; padding: 0; margin: 0 0 6mm; }}
.warning {{ border-left: 4px solid #D55E00; background: #fdf2e9; padding: 2mm 3mm; }}
.note {{ color: #374151; }}
.contents li {{ margin: 1mm 0; }}
.lead {{ font-size: 12.5pt; font-weight: 600; margin: 0 0 4mm; }}
.chart {{ width: {PRINT_WIDTH}px; max-width: 100%; margin: 0 auto 3mm; break-inside: avoid; }}
table {{ width: 100%; border-collapse: collapse; font-size: 9pt; margin-bottom: 3mm; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
th {{ background: #e5eef6; text-align: left; vertical-align: bottom; }}
th, td {{ border: 1px solid #cbd5e1; padding: 1.2mm 1.6mm; }}
td.num, th.num {{ text-align: right; }}
td.num {{ white-space: nowrap; }}
tbody tr:nth-child(even) td {{ background: #f8fafc; }}
.question {{ border-left: 4px solid #0072B2; background: #eef5fb; padding: 2mm 3mm; break-inside: avoid; }}
.source {{ font-size: 8.5pt; color: #4b5563; overflow-wrap: anywhere; }}
.chapter {{ break-before: page; padding-top: 2mm; }}
@media screen {{ .chapter {{ border-top: 1px solid #e5e7eb; margin-top: 10mm; }} }}
"""


def render(report: Report) -> str:
    """The whole report as one HTML document (UTF-8 text)."""
    text = Text(report.filters.lang)
    stamp = report.stamp
    contents = "".join(f'<li><a href="#s-{s.key}">{_e(s.title)}</a></li>' for s in report.sections)
    warning = f'<p class="warning">{_e(text("app.synthetic_warning"))}</p>' if stamp.synthetic else ""
    meta = [
        text("report.generated", date=report.generated_text),
        text("report.data_date", date=stamp.data_date),
        text("report.language"),
        text("report.filters", filters=stamp.line(text)),
    ]
    cover = f"""
<header class="cover">
<h1>{_e(text("report.doc_title"))}</h1>
<p class="place">{_e(stamp.municipality)}</p>
<p class="year">{_e(text("report.cover_year", year=report.year))}</p>
{warning}
<ul class="meta">{"".join(f"<li>{_e(m)}</li>" for m in meta)}</ul>
<p class="note">{_e(text("report.cover_note", limit=report.filters.threshold))}</p>
<h2 class="contents-title">{_e(text("report.contents"))}</h2>
<ol class="contents">{contents}</ol>
</header>"""
    body = "\n".join(_section(i, s, report, text) for i, s in enumerate(report.sections, start=1))
    charts = {s.key: _figure_json(s) for s in report.sections if s.figure is not None}
    draw = (
        f"const charts = {_script_json(charts)};\n"
        f"const config = {_script_json(PLOT_CONFIG)};\n"
        "for (const [key, fig] of Object.entries(charts)) {\n"
        "  Plotly.newPlot('chart-' + key, fig.data, fig.layout, config);\n"
        "}\n"
    )
    title = f"{text('report.doc_title')} – {stamp.municipality} – {report.year}"
    return f"""<!DOCTYPE html>
<html lang="{report.filters.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{_styles(report, text)}</style>
<script>window.PlotlyConfig = {{MathJaxConfig: "local"}};</script>
<script>{plotly_js()}</script>
</head>
<body>
{cover}
{body}
<script>{draw}</script>
</body>
</html>
"""
