"""Speed as a user feels it: every page in Chromium against a bare DuckDB + Plotly page.

    python -m benchmarks.browser [--scale 1 100] [--runs 5] [--query "m=LUD&y=2022/2023"] [--write NAME]

For each scale it builds the database (as ``benchmarks/run.py``: the sample data, plus the synthetic
municipalities for a scale above 1), serves the dashboard and the anchor page
(``benchmarks/anchor_app.py``: 1 000 000 DuckDB rows aggregated into one Plotly bar chart and a
table on every run) side by side, served the same way as the app
(uvicorn: ``benchmarks/serve_script.py``) from the project folder (so with the same
``.streamlit/config.toml``), and measures in Debian's Chromium (Playwright):

* **reload** – a page already open is reloaded; seconds from the navigation's start until the app
  is idle (no "running" indicator, nothing stale) with every element, chart (Plotly's SVG drawn)
  and table of the page on screen. Median of ``--runs``; the pages and the anchor take turns, so
  other work on the machine falls on all of them alike. ``÷ anchor`` is the page's median over the
  anchor's.
* **navigation** – a click on the page's link in the sidebar menu, from the page before it in the
  menu, until the new page is complete as above (median of ``--runs``; the Data page signed in as an
  admin through its form).
* **first visit** – a fresh server for each page (the browser's cache of Streamlit's
  front end kept): seconds from the page's request, sent as soon as the server answers its health
  check, until the page is complete.
* **fresh browser** – a new browser profile (nothing cached) opening the Overview of the warm
  server: seconds to its first chart drawn and to the whole page (median of ``--runs``).
* **kB sent** – the websocket bytes the server sent for one reload (the page's elements, Plotly's
  figure JSON, the tables' Arrow data).

The elements a complete page has are counted once per page beforehand (the page opened and left
until nothing changes for a second and a half); every timed wait is on those counts, never a fixed
sleep. The Data page needs a signed-in account, which a reload loses: it is left out of the reload
and first-visit figures and measured by navigation only.

It prints the tables, writes JSON (``--out``, default ``artifacts/browser.json``) and, with
``--write NAME``, puts the tables with the machine and the date into ``docs/performance.md``
between ``<!-- browser:NAME -->`` and ``<!-- /browser:NAME -->`` (added at the end if missing).
A benchmark, not a test: nothing fails on a slow machine.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANCHOR = ROOT / "benchmarks" / "anchor_app.py"
DOC = ROOT / "docs" / "performance.md"
USER, PASSWORD = "benchmark", "benchmark-parole-42"
SIGNED_IN = "data"  # the page that needs a signed-in account: measured by navigation only

# What the page shows now: whether the app is running (Streamlit's own script state; its "running"
# indicator only appears after half a second), stale elements (a rerun not finished), the
# main area's elements, the Plotly charts drawn (their SVG in place) and the tables.
STATE = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const count = (sel) => main ? main.querySelectorAll(sel).length : 0;
  const charts = main ? [...main.querySelectorAll('[data-testid=stPlotlyChart]')] : [];
  const h1 = main && main.querySelector('h1');
  return {
    running: document.querySelector('[data-testid=stApp]')?.dataset.testScriptState !== 'notRunning',
    plotly: charts.length,
    stale: document.querySelectorAll('[data-stale=true]').length,
    elements: count('[data-testid=stElementContainer]'),
    charts: charts.filter((c) => c.querySelector('.main-svg')).length,
    tables: count('[data-testid=stDataFrame], [data-testid=stTable]'),
    exceptions: count('[data-testid=stException]'),
    title: h1 ? h1.innerText.trim() : '',
    path: location.pathname,
  };
}"""

# True (the time since ``since``, or since the navigation started) once the page is complete.
DONE = (
    """([want, since]) => {
  const s = ("""
    + STATE
    + """)();
  const done = !s.running && s.stale === 0 && s.title === want.title && s.elements >= want.elements
    && s.charts >= want.charts && s.tables >= want.tables;
  return done ? performance.now() - (since === null ? 0 : window[since]) : false;
}"""
)
FIRST_CHART = "() => document.querySelector('[data-testid=stPlotlyChart] .main-svg') ? performance.now() : false"
TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class Target:
    name: str  # the page's url path, or "anchor"
    base: str  # the server it lives on
    path: str  # "" for the app's first page and for the anchor
    query: str

    @property
    def url(self) -> str:
        return f"{self.base}/{self.path}" + (f"?{self.query}" if self.query else "")


def _database(scale: int, work: Path) -> Path:
    """The scale's database (as benchmarks/run.py builds it) with an admin account for the Data page."""
    from benchmarks.run import _build, _generate
    from data_loaders import accounts

    db = work / "pmp.duckdb"
    dirs, _ = _generate(scale, work)
    _build(db, dirs)
    accounts.add(db, USER, "admin", password=PASSWORD)
    return db


@contextlib.contextmanager
def _server(db: Path | None, script: Path, port: int | None = None) -> Iterator[str]:
    from tests.e2e.browser import start_server, stop_server

    process, base = start_server(db, script=script, port=port)
    try:
        yield base
    finally:
        stop_server(process)


def settle(tab, quiet_s: float = 1.5, timeout_s: float = 120) -> dict:
    """Wait until the app is idle and nothing on the page changes for ``quiet_s``; return what it shows."""
    deadline = time.monotonic() + timeout_s
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        state = tab.evaluate(STATE)
        key = {k: v for k, v in state.items() if k != "path"}
        if key != last:
            last, since = key, time.monotonic()
        elif not state["running"] and not state["stale"] and state["title"]:
            quiet = time.monotonic() - since
            # every chart drawn (Plotly's code may still be loading), or at least nothing new for long
            if quiet >= quiet_s and (state["charts"] == state["plotly"] or quiet >= 4 * quiet_s):
                return state
        tab.wait_for_timeout(100)
    raise TimeoutError(f"the page did not settle: {last}")


def wait_done(tab, want: dict, since: str | None = None) -> float:
    """Seconds (browser clock) from the navigation's start, or from ``window[since]``, until complete."""
    handle = tab.wait_for_function(DONE, arg=[want, since], polling="raf", timeout=TIMEOUT_MS)
    return handle.json_value() / 1000


class Received:
    """What the server sent over the tab's websocket since ``reset``: bytes, and the times (the
    browser's network clock, independent of its busy main thread) of the document's request and of
    the first and last message. The last message ends the app's run (a "script finished" message)."""

    def __init__(self, tab) -> None:
        self.cdp = tab.context.new_cdp_session(tab)
        self.cdp.on("Network.requestWillBeSent", self._request)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)
        self.cdp.send("Network.enable")
        self.reset()

    def reset(self) -> None:
        self.bytes, self.requested, self.frames = 0, None, []

    def _request(self, event: dict) -> None:
        if event.get("type") == "Document" and self.requested is None:
            self.requested = event["timestamp"]

    def _frame(self, event: dict) -> None:
        self.bytes += len(event["response"]["payloadData"]) * 3 // 4  # binary frames arrive as base64
        self.frames.append(event["timestamp"])

    def phases(self, complete: float) -> tuple[float, float, float]:
        """Seconds from the request to the first message, from it to the last, and after the last
        until the page was complete (``complete``: seconds from the navigation's start)."""
        if self.requested is None or not self.frames:
            return complete, 0.0, 0.0
        before, last = self.frames[0] - self.requested, self.frames[-1] - self.requested
        return before, last - before, max(complete - last, 0.0)


def _calibrate(tab, targets: list[Target], rounds: int = 2) -> dict[str, dict]:
    """Each page's complete state: opened and settled ``rounds`` times, the most it showed. (A chart
    whose code is still loading has its place on the page but nothing in it yet; on a busy machine
    that can outlast the quiet time of one round.)"""
    wants: dict[str, dict] = {}
    for _ in range(rounds):
        for target in targets:
            tab.goto(target.url)
            state = settle(tab)
            if target.name in wants:
                for key in ("elements", "charts", "tables"):
                    state[key] = max(state[key], wants[target.name][key])
            wants[target.name] = state
    return wants


def reloads(tab, targets: list[Target], wants: dict[str, dict], runs: int) -> dict[str, dict]:
    """Reload to complete, ``runs`` rounds in which every target takes its turn."""
    received = Received(tab)
    times: dict[str, list[float]] = {t.name: [] for t in targets}
    sent: dict[str, list[int]] = {t.name: [] for t in targets}
    phases: dict[str, list[tuple[float, float, float]]] = {t.name: [] for t in targets}
    for _ in range(runs):
        for target in targets:
            tab.goto(target.url)
            wait_done(tab, wants[target.name])
            received.reset()
            tab.reload(wait_until="commit")
            times[target.name].append(wait_done(tab, wants[target.name]))
            sent[target.name].append(received.bytes)
            phases[target.name].append(received.phases(times[target.name][-1]))
    return {
        name: {
            "runs_s": times[name],
            "kb": statistics.median(sent[name]) / 1000,
            "phases_s": [statistics.median(p[i] for p in phases[name]) for i in range(3)],
        }
        for name in times
    }


def _sign_in(tab) -> None:
    tab.locator("[data-testid=stForm] input").nth(0).fill(USER)
    tab.locator("[data-testid=stForm] input").nth(1).fill(PASSWORD)
    tab.locator("[data-testid=stForm] input").nth(1).press("Enter")
    tab.wait_for_selector("[data-testid=stTabs]", timeout=TIMEOUT_MS)


def navigation(tab, app: str, specs: list, query: str, runs: int) -> dict[str, list[float]]:
    """A click on each page's menu link from the page before it, signed in; ``runs`` rounds after one
    round that counts what each page shows when opened this way."""
    from ui.navigation import PAGES, route

    data = next(spec for spec in PAGES if spec.url_path == SIGNED_IN)
    tab.goto(f"{app}/{route(data)}?{query}")  # sign in on the Data page first
    settle(tab)
    if tab.locator("[data-testid=stForm]").count():
        _sign_in(tab)
    settle(tab)
    wants: dict[str, dict] = {}
    times: dict[str, list[float]] = {spec.url_path: [] for spec in specs}
    for round_ in range(runs + 1):
        for spec in specs:
            tab.evaluate(
                """(i) => { window.__navStart = performance.now();
                   document.querySelectorAll('[data-testid=stSidebarNavLink]')[i].click(); }""",
                PAGES.index(spec),
            )
            if round_ == 0:
                tab.wait_for_function(f"() => location.pathname.endsWith('/{route(spec)}')", timeout=TIMEOUT_MS)
                wants[spec.url_path] = settle(tab)
            else:
                times[spec.url_path].append(wait_done(tab, wants[spec.url_path], since="__navStart"))
    return times


def first_visits(chromium, db: Path, targets: list[Target], wants: dict[str, dict]) -> dict[str, dict]:
    """Each page (and the anchor) from a freshly started server; the browser's cache kept."""
    from tests.e2e.browser import free_port

    port = free_port()
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    out = {}
    try:
        for target in targets:
            script = ANCHOR if target.name == "anchor" else ROOT / "dashboard.py"
            started = time.perf_counter()
            with _server(None if target.name == "anchor" else db, script, port) as base:
                healthy = time.perf_counter() - started
                tab.goto(Target(target.name, base, target.path, target.query).url, wait_until="commit")
                out[target.name] = {"healthy_s": healthy, "first_visit_s": wait_done(tab, wants[target.name])}
    finally:
        context.close()
    return out


def fresh_browsers(chromium, target: Target, want: dict, runs: int) -> dict:
    """A new browser profile (nothing cached) opening ``target``: first chart drawn, and complete."""
    first, whole = [], []
    for _ in range(runs):
        context = chromium.new_context(viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        try:
            tab.goto(target.url, wait_until="commit")
            first.append(tab.wait_for_function(FIRST_CHART, polling="raf", timeout=TIMEOUT_MS).json_value() / 1000)
            whole.append(wait_done(tab, want))
        finally:
            context.close()
    return {"first_chart_runs_s": first, "complete_runs_s": whole}


PARTS = ("reload", "navigation", "first", "fresh")


def one_scale(scale: int, runs: int, query: str, only: list[str] | None = None, parts=PARTS) -> dict:
    """Every measure of one scale (``only``: these pages' url paths; ``parts``: these measures)."""
    from tests.e2e.browser import launch
    from ui.navigation import PAGES, route

    specs = [s for s in PAGES if not only or s.url_path in only]
    load_before = os.getloadavg()
    result = {"scale": scale, "query": query, "runs": runs, "reload": {}, "navigation": {}, "first_visit": {}}
    with tempfile.TemporaryDirectory() as folder:
        db = _database(scale, Path(folder))
        with _server(db, ROOT / "dashboard.py") as app, _server(None, ANCHOR) as anchor, launch() as chromium:
            targets = [Target("anchor", anchor, "", "")]
            targets += [Target(s.url_path, app, route(s), query) for s in specs if s.url_path != SIGNED_IN]
            context = chromium.new_context(viewport={"width": 1400, "height": 1000})
            tab = context.new_page()
            result["wants"] = wants = _calibrate(tab, targets)
            if "reload" in parts:
                result["reload"] = reloads(tab, targets, wants, runs)
            context.close()
            if "navigation" in parts:
                context = chromium.new_context(viewport={"width": 1400, "height": 1000})
                result["navigation"] = navigation(context.new_page(), app, specs, query, runs)
                context.close()
            if "fresh" in parts:
                result["fresh_browser"] = {
                    target.name: fresh_browsers(chromium, target, wants[target.name], runs) for target in targets[:2]
                }
        if "first" in parts:
            with launch() as chromium:
                result["first_visit"] = first_visits(chromium, db, targets, wants)
    result["load_average"] = [load_before[0], os.getloadavg()[0]]
    return result


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def table(result: dict) -> str:
    """One scale's figures as a Markdown table: seconds, median (min–max)."""
    reload = result["reload"]
    anchor = statistics.median(reload["anchor"]["runs_s"]) if reload else float("nan")
    lines = [
        f"**{result['scale']}x** (`?{result['query']}`; median of {result['runs']}, (min–max); "
        f"load average {result['load_average'][0]:.1f} before, {result['load_average'][1]:.1f} after)",
        "",
        "| page | reload to complete s | ÷ anchor | navigation s | first visit s | kB sent "
        "| charts / tables / elements | before / server run / drawing after s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    names = list(dict.fromkeys(["anchor", *result["wants"], *result["navigation"]]))
    for name in names:
        want = result["wants"].get(name)
        cells = ["–"] * 7
        if name in reload:
            r = reload[name]["runs_s"]
            cells[0], cells[1] = _spread(r), f"{statistics.median(r) / anchor:.2f}"
            cells[4] = f"{reload[name]['kb']:.0f}"
            cells[6] = " / ".join(f"{v:.2f}" for v in reload[name]["phases_s"])
        if name in result["navigation"]:
            cells[2] = _spread(result["navigation"][name])
        if name in result["first_visit"]:
            cells[3] = f"{result['first_visit'][name]['first_visit_s']:.2f}"
        if want:
            cells[5] = f"{want['charts']} / {want['tables']} / {want['elements']}"
        label = "**anchor** (bare DuckDB + Plotly)" if name == "anchor" else name
        flag = " ⚠ error shown" if want and want["exceptions"] else ""
        lines.append(f"| {label}{flag} | " + " | ".join(cells) + " |")
    fresh = result.get("fresh_browser")
    lines += (
        []
        if not fresh
        else [
            "",
            "Fresh browser (nothing cached), first chart drawn / page complete, s: "
            + "; ".join(
                f"{name} {_spread(v['first_chart_runs_s'])} / {_spread(v['complete_runs_s'])}"
                for name, v in fresh.items()
            )
            + ".",
        ]
    )
    return "\n".join(lines)


def _version(command: list[str]) -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False).stdout.strip()
    return "?"


def machine() -> str:
    import duckdb
    import pandas
    import plotly
    import streamlit

    from tests.e2e.browser import CHROMIUM

    cpu = "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="ascii") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), "?")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} CPU ({cpu}), {memory:.0f} GB RAM, Linux {platform.release()}; Python "
        f"{platform.python_version()}, Streamlit {streamlit.__version__}, DuckDB {duckdb.__version__}, pandas "
        f"{pandas.__version__}, Plotly {plotly.__version__}; {_version([CHROMIUM, '--version'])} headless"
    )


def write_doc(name: str, text: str, path: Path = DOC) -> None:
    """Put ``text`` between this name's markers in docs/performance.md (at the end if they are missing)."""
    start, end = f"<!-- browser:{name} -->", f"<!-- /browser:{name} -->"
    doc = path.read_text(encoding="utf-8")
    block = f"{start}\n{text}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    doc = pattern.sub(lambda _: block, doc) if pattern.search(doc) else doc.rstrip("\n") + f"\n\n{block}\n"
    path.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median; default 5)")
    parser.add_argument("--query", default="m=LUD&y=2022/2023", help="the view every page opens with")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "browser.json")
    parser.add_argument("--write", metavar="NAME", help="write the tables into docs/performance.md under NAME")
    parser.add_argument("--pages", nargs="+", metavar="URL_PATH", help="only these pages (and the anchor)")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS), help="only these measures")
    args = parser.parse_args(argv)
    from tests.e2e.browser import chromium_missing

    reason = chromium_missing()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    started = datetime.datetime.now().astimezone()
    results = []
    for scale in args.scale:
        results.append(one_scale(scale, args.runs, args.query, args.pages, args.parts))
        print(table(results[-1]) + "\n", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if args.write:
        head = f"Measured {started:%Y-%m-%d %H:%M %Z} on {machine()}."
        write_doc(args.write, "\n\n".join([head, *map(table, results)]))
        print(f"written {DOC} ({args.write})")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
