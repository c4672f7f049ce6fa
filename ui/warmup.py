"""Warm a new server process before its first user (docs/performance.md, "In the browser").

Serving the app imports ``dashboard`` once (``python dashboard.py``, uvicorn or ``streamlit run``); that import calls
``start()``, which does in a background thread what would otherwise fall on the first visit of each
page after a start (up to several seconds for a page whose modules nobody had loaded yet):

* imports every module the pages import (read from the page files, so a new page is covered) and
  the libraries behind them: pandas, DuckDB, Plotly and Plotly Express, pyarrow;
* builds one small figure of each kind the pages draw (bars, lines, heat tables, facets) and turns
  it into JSON, which loads Plotly's validators; converts a small frame to Arrow, as a table does;
* then sets what it loaded aside from Python's garbage collector (``gc.freeze()``): the libraries'
  150 000 objects live as long as the process, yet a full collection walked all of them, 120–145 ms
  with the interpreter held, whenever enough new objects had piled up: a pause that fell on a
  random user's page (docs/performance.md). After the freeze a full collection walks only what
  the sessions made.

It does not run the app itself (as the readiness probe ``/_stcore/script-health-check`` does): that
run took the cores from a user who arrived at once, whose browser was still fetching Plotly's code
from the same process (tests/e2e/test_startup.py). Everything here is work the first run needs anyway,
done sooner. Nothing here is needed for the app to work: any failure is logged and the thread ends.
"""

from __future__ import annotations

import ast
import gc
import importlib
import logging
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("pandas", "duckdb", "pyarrow", "plotly.graph_objects", "plotly.express", "plotly.io")
log = logging.getLogger(__name__)


def page_modules() -> list[str]:
    """The project's modules imported at the top of the page files (``from ui import components`` names
    ``ui.components``), first seen first."""
    from ui.navigation import PAGES

    names: list[str] = []
    for spec in PAGES:
        for node in ast.parse((ROOT / spec.file).read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
                names += [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in dict.fromkeys(names) if (ROOT / Path(*name.split("."))).with_suffix(".py").exists()]


def _import(names: list[str] | tuple[str, ...]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # a module that cannot load here will say so on its page
            log.debug("warm-up: %s not imported", name, exc_info=True)


def _figures() -> None:
    """Plotly builds its validators on a trace type's first use and Arrow its converters on the first
    table: do it once here. The figures are thrown away."""
    import pandas as pd
    import plotly.express as px
    import plotly.graph_objects as go
    import plotly.io as pio
    import pyarrow as pa

    frame = pd.DataFrame({"x": ["a", "b", "a", "b"], "y": [1.0, 2.0, 3.0, 4.0], "c": ["p", "p", "q", "q"]})
    fig = go.Figure([go.Bar(x=frame["x"], y=frame["y"], text=["1", "2", "3", "4"]), go.Scatter(x=[1], y=[1])])
    fig.add_trace(go.Heatmap(z=[[1, 2]], text=[["1", "2"]], texttemplate="%{text}"))
    fig.add_vrect(x0=0, x1=1)
    fig.add_annotation(text="a", x=0, y=0)
    pio.to_json(fig, validate=False)
    facets = px.line(frame, x="x", y="y", color="c", facet_col="c", facet_col_wrap=2, markers=True, text="y")
    pio.to_json(facets.update_traces(textposition="top center"), validate=False)
    pa.Table.from_pandas(frame)


def warm() -> None:
    started = time.perf_counter()
    try:
        _import(LIBRARIES)
        _import(page_modules())
        _figures()
        gc.collect()  # the warm-up's own garbage first: what is frozen is never freed
        gc.freeze()
    except Exception:
        log.warning("warm-up failed; the first visits will do this work", exc_info=True)
        return
    log.info("warm-up done in %.1f s", time.perf_counter() - started)


def start() -> threading.Thread:
    """Warm this process in a background thread (called when ``dashboard`` is imported to serve the app)."""
    thread = threading.Thread(target=warm, name="pmp-warm-up", daemon=True)
    thread.start()
    return thread
