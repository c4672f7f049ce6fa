"""Page and import benchmarks at national scale: ``python -m benchmarks.run --scale 1 10 100``.

For each scale, in a fresh process (so peak memory is that scale's own), it generates the extra
synthetic municipalities (``python -m devtools.synthetic --scale N``), builds them together
with the sample data in a child process, and measures:

* every page's first render (AppTest, caches cleared) and its warm rerun after a filter change
  (the school year switched to one not seen before in the session, median of several reruns),
  always for the demo municipality, so every scale draws the same picture from a bigger database;
* the DuckDB time of the page's queries alone during those reruns;
* the cold start: a fresh ``streamlit run`` process to the first Overview drawn in Chromium (its
  KPI cards and first chart on screen), and the same for a replica warmed at start by the script
  health check (a readiness probe); ``--cold-only`` runs just this, ``--runs N`` times each;
* the build, and the import of one more school year (2025/2026) of every fact table for every
  school, through the same importer as the Data page;
* peak memory of the build, of the server at its first render, and of the benchmark process.

It prints a table and writes JSON (``--out``, default ``artifacts/benchmarks.json``). The
figures of this machine are in ``docs/performance.md``. Benchmarks, not tests: nothing here
fails on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import script_cache

ROOT = Path(__file__).resolve().parent.parent
MUNICIPALITY = "DEMO"
RERUN_YEARS = [f"{y}/{y + 1}" for y in range(2024, 2017, -1)]  # the demo's seven years, newest first
FACT_TABLES = ("enrolment", "support_staff", "pumpurs", "risk", "outcome")
NEXT_YEAR = 2025


def _generate(scale: int, work: Path) -> tuple[list[Path], float]:
    from data_loaders import build
    from devtools import synthetic

    started = time.perf_counter()
    dirs = list(build.SAMPLE_DIRS)
    if scale > 1:
        extra = work / "national"
        synthetic.write_national(scale, extra)
        dirs.append(extra)
    return dirs, time.perf_counter() - started


def _build(db: Path, dirs: list[Path]) -> dict:
    """Build in a child process, so its peak memory is measured apart from the app's."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "data_loaders.build", "--db", str(db), "--data", *map(str, dirs)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return {
        "build_s": time.perf_counter() - started,
        "build_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _page_times(db: str) -> list[dict]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import metrics.query
    import metrics.registry
    import ui.data
    from ui.navigation import ENTRY, PAGES, from_entry

    if not script_cache.share():
        print("note: AppTest's script cache not shared (another Streamlit): reruns include compiling")
    query_seconds = [0.0]
    original = metrics.query.run_sql

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            query_seconds[0] += time.perf_counter() - started

    metrics.registry.run_sql = timed
    ui.data.run_sql = timed
    os.environ["PMP_DB"] = db
    from data_loaders import accounts
    from ui.auth import SESSION

    if accounts.lookup(db, "benchmark") is None:
        accounts.add(db, "benchmark", "admin")  # the Data page is for signed-in accounts
    rows = []
    for spec in PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ENTRY), default_timeout=300)
        at.query_params["m"] = MUNICIPALITY
        at.session_state[SESSION] = {"username": "benchmark", "via": "password"}
        started = time.perf_counter()
        at.run()
        if spec != PAGES[0]:
            at.switch_page(from_entry(spec.file))
            at.run()
        first = time.perf_counter() - started
        reruns, queries = [], []
        for year in RERUN_YEARS:
            view = dict(at.session_state["_view"])
            view["years"] = [year]
            at.session_state["_view"] = view
            query_seconds[0] = 0.0
            started = time.perf_counter()
            at.run()
            reruns.append(time.perf_counter() - started)
            queries.append(query_seconds[0])
        rows.append(
            {
                "page": spec.url_path,
                "first_render_s": first,
                "warm_rerun_s": statistics.median(reruns),
                "queries_s": statistics.median(queries),
                "errors": [str(e.value)[:200] for e in at.exception],
            }
        )
    metrics.registry.run_sql = original
    ui.data.run_sql = original
    return rows


# The Overview as a user sees it: its KPI cards and its first chart drawn (Plotly has put the plot's
# SVG in the page, which it does only once its code is loaded and the figure laid out), and the app
# no longer running (Streamlit's "running" indicator gone).
DRAWN = """() => document.querySelector('[data-testid=stMetric]')
    && document.querySelector('[data-testid=stPlotlyChart] .main-svg')
    && !document.querySelector('[data-testid=stStatusWidget]')"""


def _first_overview(chromium, db: str, warm_up: bool) -> tuple[float, float, float, int, float]:
    """Start a server, open the Overview in a browser profile with nothing cached; return seconds to
    healthy, seconds of the warm-up, seconds the user waited for the Overview, error elements and
    the server's peak memory (MB).

    With ``warm_up`` the replica is first warmed by the script health check (what a readiness probe
    calls, docs/deployment.md) and the user's wait is timed from then on; without it the wait is
    timed from the process start. The browser itself is started before either.
    """
    import urllib.request

    from tests.e2e.browser import start_server, stop_server

    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    process, base = start_server(db)
    try:
        healthy = time.perf_counter() - started
        warm = 0.0
        if warm_up:
            urllib.request.urlopen(f"{base}/_stcore/script-health-check", timeout=120).read()
            warm = time.perf_counter() - started
            started = time.perf_counter()
        page.goto(f"{base}/?m={MUNICIPALITY}")
        page.wait_for_function(DRAWN, timeout=60_000)
        waited = time.perf_counter() - started
        errors = page.locator("[data-testid=stException]").count()
        with open(f"/proc/{process.pid}/status", encoding="ascii") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    finally:
        stop_server(process)
        context.close()
    return healthy, warm, waited, errors, peak


def _cold_start(db: str, runs: int = 3) -> dict:
    """The first Overview drawn in Chromium by a fresh ``streamlit run`` (database already built),
    median of ``runs``: straight from the process start, and for a replica warmed at start."""
    from tests.e2e.browser import chromium_missing, launch

    reason = chromium_missing()
    if reason:
        return {"cold_start_s": None, "cold_start_note": reason}
    load = os.getloadavg()[0]
    with launch() as chromium:
        cold = [_first_overview(chromium, db, warm_up=False) for _ in range(runs)]
        warmed = [_first_overview(chromium, db, warm_up=True) for _ in range(runs)]
    return {
        "cold_start_s": statistics.median(r[2] for r in cold),
        "cold_start_runs_s": [r[2] for r in cold],
        "load_average": [load, os.getloadavg()[0]],  # other work on the machine, before and after
        "server_start_s": statistics.median(r[0] for r in cold),
        "warm_up_s": statistics.median(r[1] for r in warmed),
        "first_overview_after_warm_up_s": statistics.median(r[2] for r in warmed),
        "cold_start_errors": sum(r[3] for r in cold + warmed),
        "server_peak_mb": max(r[4] for r in cold + warmed),
    }


def cold_only(scale: int, runs: int) -> dict:
    """Only the cold start (``--cold-only``): build the scale's database and time the first Overview."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db = work / "pmp.duckdb"
        dirs, _ = _generate(scale, work)
        _build(db, dirs)
        return {"scale": scale, **_cold_start(str(db), runs)}


def _next_year_files(db: str, work: Path) -> list[tuple[str, bytes]]:
    """One more school year for every school: each fact table's 2024/2025 rows carried forward to
    2025/2026, as table CSVs like those a national operator would import."""
    import duckdb

    from data_loaders.tables import TABLES

    year, next_year = f"{NEXT_YEAR - 1}/{NEXT_YEAR}", f"{NEXT_YEAR}/{NEXT_YEAR + 1}"
    shifted = {
        "school_year": f"'{next_year}'",
        "period": f"'{next_year}'",
        "start_year": "start_year + 1",
        "end_year": "end_year + 1",
        "source": f"'benchmark: {year} carried forward to {next_year}'",
        "note": "NULL",
    }
    con = duckdb.connect(db, read_only=True)
    files = []
    try:
        for table in FACT_TABLES:
            columns = TABLES[table].columns
            select = ", ".join(f"{shifted.get(c, c)} AS {c}" for c in columns)
            where = "school_year" if "school_year" in columns else "period"
            path = work / f"{table}_{NEXT_YEAR}.csv"
            con.execute(f"COPY (SELECT {select} FROM {table} WHERE {where} = '{year}') TO '{path}' (HEADER)")
            files.append((path.name, path.read_bytes()))
    finally:
        con.close()
    return files


def _import_year(db: str, work: Path) -> dict:
    from data_loaders import importers

    files = _next_year_files(db, work)
    started = time.perf_counter()
    parsed, ids = importers.import_files(db, files, "benchmark")
    return {
        "import_s": time.perf_counter() - started,
        "import_rows": sum(sum(p.row_counts.values()) for p in parsed),
        "import_ok": bool(ids) and all(p.ok for p in parsed),
        "import_problems": [str(problem) for p in parsed for problem in p.problems][:5],
    }


def one_scale(scale: int, browser: bool = True) -> dict:
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db = work / "pmp.duckdb"
        dirs, generate_s = _generate(scale, work)
        result = {"scale": scale, "generate_s": generate_s, **_build(db, dirs)}
        con = duckdb.connect(str(db), read_only=True)
        result["municipalities"] = con.execute("SELECT count(*) FROM municipality").fetchone()[0]
        result["schools"] = con.execute("SELECT count(*) FROM school").fetchone()[0]
        result["fact_rows"] = sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in FACT_TABLES)
        con.close()
        result["db_mb"] = db.stat().st_size / 1e6
        result["pages"] = _page_times(str(db))
        if browser:
            result.update(_cold_start(str(db)))
        result.update(_import_year(str(db), work))
        result["process_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.0f}"


def table(results: list[dict]) -> str:
    """The summary and per-page table (milliseconds), as in docs/performance.md."""
    lines = [
        "| scale | municipalities | schools | fact rows | DB MB | build s | build peak MB | import s (rows) "
        "| cold start s | warmed: ready / Overview s | server peak MB | bench peak MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cold = "–" if r.get("cold_start_s") is None else f"{r['cold_start_s']:.2f}"
        warmed = (
            "–"
            if r.get("cold_start_s") is None
            else (f"{r['warm_up_s']:.2f} / {r['first_overview_after_warm_up_s']:.2f}")
        )
        server = "–" if r.get("server_peak_mb") is None else f"{r['server_peak_mb']:.0f}"
        lines.append(
            f"| {r['scale']}x | {r['municipalities']} | {r['schools']} | {r['fact_rows']:,} | {r['db_mb']:.0f} "
            f"| {r['build_s']:.1f} | {r['build_peak_mb']:.0f} | {r['import_s']:.1f} ({r['import_rows']:,}) "
            f"| {cold} | {warmed} | {server} | {r['process_peak_mb']:.0f} |"
        )
    first, last = results[0], results[-1]
    heads = " | ".join(f"{r['scale']}x first / rerun / SQL" for r in results)
    ratio = f"rerun {last['scale']}x ÷ {first['scale']}x | rerun ÷ SQL ({last['scale']}x)"
    lines += ["", f"| page | {heads} | {ratio} |", "|---|" + "---:|" * (len(results) + 2)]
    for index, page in enumerate(first["pages"]):
        cells = " | ".join(
            f"{_ms(p['first_render_s'])} / {_ms(p['warm_rerun_s'])} / {_ms(p['queries_s'])}"
            for p in (r["pages"][index] for r in results)
        )
        big = last["pages"][index]
        growth = big["warm_rerun_s"] / page["warm_rerun_s"]
        share = f"{big['warm_rerun_s'] / big['queries_s']:.1f}" if big["queries_s"] else "no query (cached)"
        flag = " ⚠" if big["errors"] else ""
        lines.append(f"| {page['page']}{flag} | {cells} | {growth:.2f} | {share} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "benchmarks.json")
    parser.add_argument("--no-browser", action="store_true", help="skip the cold start in Chromium")
    parser.add_argument("--cold-only", action="store_true", help="only the cold start in Chromium (quick)")
    parser.add_argument(
        "--runs", type=int, default=3, help="with --cold-only: cold starts per figure (median; default 3)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one scale in this process
    args = parser.parse_args(argv)
    if args.cold_only:
        for scale in args.scale:
            r = cold_only(scale, args.runs)
            if r["cold_start_s"] is None:
                print(f"{scale}x: {r['cold_start_note']}")
                continue
            runs = ", ".join(f"{s:.2f}" for s in r["cold_start_runs_s"])
            print(
                f"{scale}x: cold start {r['cold_start_s']:.2f} s (runs {runs}); warmed: ready {r['warm_up_s']:.2f} s, "
                f"Overview {r['first_overview_after_warm_up_s']:.2f} s; errors {r['cold_start_errors']}; "
                f"server peak {r['server_peak_mb']:.0f} MB; "
                f"load average {r['load_average'][0]:.1f} / {r['load_average'][1]:.1f}"
            )
        return 0
    if args.one:
        print(json.dumps(one_scale(args.one, browser=not args.no_browser)))
        return 0
    results = []
    for scale in args.scale:
        command = [sys.executable, "-m", "benchmarks.run", "--one", str(scale)]
        run = subprocess.run(
            command + (["--no-browser"] if args.no_browser else []),
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if run.returncode != 0:
            print(run.stderr[-3000:], file=sys.stderr)
            return 1
        results.append(json.loads(run.stdout.strip().splitlines()[-1]))
        print(f"scale {scale}: done", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))
    print(f"\nwritten {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
