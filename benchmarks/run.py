"""Page and import benchmarks at national scale: ``python -m benchmarks.run --scale 1 10 100``.

For each scale it generates the data (``data_loaders.synthetic --scale N``), builds the database,
and then, in a fresh process per scale (so peak memory is that scale's own):

* every page's first render (AppTest, caches cleared) and its warm rerun after a filter change
  (the school year switched to one not seen before in the session, median of several reruns);
* the DuckDB time of the page's queries alone during those reruns;
* the build, and the import of one further school year of data for every school;
* the process's peak memory.

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

ROOT = Path(__file__).resolve().parent.parent
RERUNS = 5


def _generate_and_build(scale: int, work: Path) -> dict:
    from data_loaders import build, synthetic

    started = time.perf_counter()
    dirs = list(build.SAMPLE_DIRS)
    if scale > 1:
        extra = work / "national"
        synthetic.main(["--scale", str(scale), "--out", str(extra)])
        dirs.append(extra)
    generated = time.perf_counter()
    db = build.build(work / "pmp.duckdb", dirs)
    built = time.perf_counter()
    return {"db": str(db), "generate_s": generated - started, "build_s": built - generated}


def _page_times(db: str) -> list[dict]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import metrics.query
    import metrics.registry
    import ui.data
    from ui.navigation import PAGES

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
    rows = []
    for spec in PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.query_params["m"] = "DEMO"
        at.session_state["admin_user"] = "benchmark"
        started = time.perf_counter()
        at.run()
        if spec != PAGES[0]:
            at.switch_page(spec.file)
            at.run()
        first = time.perf_counter() - started
        years = [f"{y}/{y + 1}" for y in range(2024, 2024 - RERUNS, -1)]
        reruns, queries = [], []
        for year in years:
            view = dict(at.session_state["_view"])
            view["years"] = [year]
            at.session_state["_view"] = view
            query_seconds[0] = 0.0
            started = time.perf_counter()
            at.run()
            reruns.append(time.perf_counter() - started)
            queries.append(query_seconds[0])
        errors = [str(e.value)[:200] for e in at.exception]
        rows.append(
            {
                "page": spec.url_path,
                "first_render_s": first,
                "warm_rerun_s": statistics.median(reruns),
                "queries_s": statistics.median(queries),
                "errors": errors,
            }
        )
    metrics.registry.run_sql = original
    ui.data.run_sql = original
    return rows


def _import_year(db: str, work: Path) -> dict:
    """One more school year (2025/2026) of enrolment and outcomes for every school, as table CSVs."""
    import csv

    import duckdb

    from data_loaders import importers
    from data_loaders.tables import TABLES

    con = duckdb.connect(db, read_only=True)
    schools = con.execute(
        "SELECT s.school_id, s.municipality, e.pupils FROM school s JOIN enrolment e USING (school_id) "
        "WHERE e.grade_band = 'total' AND e.school_year = '2024/2025'"
    ).fetchall()
    con.close()
    files = []
    for table, make in (
        ("enrolment", lambda sid, mun, n: {"school_id": sid, "school_year": "2025/2026", "start_year": 2025,
                                           "grade_band": "total", "pupils": n, "source": "benchmark"}),
        ("outcome", lambda sid, mun, n: {"municipality": mun, "scope": sid, "school_year": "2025/2026",
                                         "start_year": 2025, "level": "all", "indicator": "repeaters",
                                         "subject": "", "threshold": "", "value": n // 100, "unit": "pupils",
                                         "source": "benchmark"}),
    ):  # fmt: skip
        path = work / f"{table}_2025.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=TABLES[table].columns)
            writer.writeheader()
            for sid, mun, pupils in schools:
                writer.writerow(make(sid, mun, pupils))
        files.append((path.name, path.read_bytes()))
    started = time.perf_counter()
    parsed, ids = importers.import_files(db, files, "benchmark")
    return {
        "import_s": time.perf_counter() - started,
        "import_rows": sum(sum(p.row_counts.values()) for p in parsed),
        "import_ok": bool(ids) and all(p.ok for p in parsed),
    }


def one_scale(scale: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        result = {"scale": scale, **_generate_and_build(scale, work)}
        import duckdb

        con = duckdb.connect(result["db"], read_only=True)
        result["schools"] = con.execute("SELECT count(*) FROM school").fetchone()[0]
        result["fact_rows"] = sum(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("enrolment", "support_staff", "pumpurs", "risk", "outcome")
        )
        con.close()
        result["pages"] = _page_times(result["db"])
        result.update(_import_year(result["db"], work))
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result.pop("db")
    return result


def _table(results: list[dict]) -> str:
    lines = [
        f"{'scale':>5} {'schools':>7} {'rows':>9} {'build s':>8} {'import s':>8} {'peak MB':>8}",
    ]
    for r in results:
        lines.append(
            f"{r['scale']:>5} {r['schools']:>7} {r['fact_rows']:>9} {r['build_s']:>8.1f} "
            f"{r['import_s']:>8.2f} {r['peak_rss_mb']:>8.0f}"
        )
    lines.append("")
    heads = "".join(" {:>10} {:>7} {:>6}".format(f"x{r['scale']} first", "rerun", "sql") for r in results)
    lines.append(f"{'page':<16}{heads}")
    for index, page in enumerate(results[0]["pages"]):
        cells = "".join(
            f" {r['pages'][index]['first_render_s'] * 1000:>8.0f}ms {r['pages'][index]['warm_rerun_s'] * 1000:>5.0f}ms"
            f" {r['pages'][index]['queries_s'] * 1000:>4.0f}ms"
            for r in results
        )
        lines.append(f"{page['page']:<16}{cells}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "benchmarks.json")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one scale in this process
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_scale(args.one)))
        return 0
    results = []
    for scale in args.scale:
        run = subprocess.run(
            [sys.executable, "-m", "benchmarks.run", "--one", str(scale)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if run.returncode != 0:
            print(run.stderr[-3000:], file=sys.stderr)
            return 1
        results.append(json.loads(run.stdout.strip().splitlines()[-1]))
        print(f"scale {scale}: done", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(_table(results))
    print(f"\nwritten {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
