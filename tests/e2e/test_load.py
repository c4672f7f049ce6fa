"""Many users at once: 30 real websocket sessions on the served app, on a national-scale database,
each switching pages and filters, while an import replaces figures in the middle.

No session may see an error, and none may see a half-imported state: the Overview's pupil total
of the demo municipality is always either the old or the new figure, always equal to the sum of
the per-school table drawn in the same run, and the new figure once the import has finished.
Rerun times (p50/p95) go to artifacts/load.json. Bounded: 30 sessions, 6 reruns each, 150 s
(plus the reading time between clicks).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import random
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import duckdb
import pytest

from data_loaders import importers
from data_loaders.build import SAMPLE_DIRS, build
from data_loaders.tables import TABLES
from devtools import synthetic
from tests.e2e.browser import ROOT, serve
from ui.i18n import t
from ui.navigation import PAGES, route

pytestmark = pytest.mark.e2e

try:
    from tests.e2e.streamlit_ws import Render, Session, string_array, string_value
except ImportError as err:  # websockets comes with streamlit; without it no session can be opened
    pytest.skip(f"load test skipped: cannot speak Streamlit's websocket protocol ({err})", allow_module_level=True)

SCALE = 100  # the national data set: about 700 schools, 12 school years
SESSIONS = 30
ACTIONS = 4  # page or filter changes per session, between its first and its last Overview
# Seconds a user reads before the next click. The default is a stress test (everyone clicks at once);
# PMP_LOAD_THINK="5,15" gives users who read what they see (docs/performance.md).
THINK = tuple(float(v) for v in os.environ.get("PMP_LOAD_THINK", "0.1,0.6").split(","))
DEADLINE = 150.0 + ACTIONS * THINK[1]  # seconds for all sessions together
BUMP = 10  # pupils the import adds to every grade band of every demo school in the latest year
YEAR = "2024/2025"
OUT = ROOT / "artifacts" / "load.json"


@dataclass
class Log:
    renders: list[tuple[str, float, float, Render]] = field(default_factory=list)  # (what, start, end, render)
    import_window: tuple[float, float] | None = None
    done: int = 0


@pytest.fixture(scope="module")
def national_db(tmp_path_factory):
    work = tmp_path_factory.mktemp("load")
    synthetic.write_national(SCALE, work / "national")
    return build(work / "pmp.duckdb", [*SAMPLE_DIRS, work / "national"])


def _demo_year(db) -> tuple[list[dict], int]:
    """The demo municipality's enrolment rows of the latest year, and its pupil total."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute(
            "SELECT e.* FROM enrolment e JOIN school s USING (school_id) "
            "WHERE s.municipality = 'DEMO' AND e.school_year = ? ORDER BY ALL",
            [YEAR],
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    finally:
        con.close()
    return rows, sum(r["pupils"] for r in rows if r["grade_band"] == "total")


def _bumped_enrolment(rows: list[dict]) -> bytes:
    """The same rows with BUMP more pupils in every band (and the total to match), as a CSV."""
    bands = {}
    for row in rows:
        if row["grade_band"] != "total":
            bands[row["school_id"]] = bands.get(row["school_id"], 0) + 1
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TABLES["enrolment"].columns, extrasaction="ignore")  # not import_id
    writer.writeheader()
    for row in rows:
        extra = BUMP * (bands[row["school_id"]] if row["grade_band"] == "total" else 1)
        writer.writerow({**row, "pupils": row["pupils"] + extra, "source": "load test import", "note": ""})
    return out.getvalue().encode()


def _number(text: str) -> int:
    return int("".join(c for c in text if c.isdigit()))


def _overview_total(render: Render, lang: str) -> tuple[int, int]:
    """The Overview's pupil KPI and the sum of the per-school chart's bar labels drawn in the same run
    (the chart's table is drawn when its tab is opened)."""
    kpi = _number(render.metrics[t("metrics.pupils_total.label", lang)])
    title = t("overview.pupils_by_school_title", lang, year="")
    for chart in render.of_type("plotly_chart"):
        figure = json.loads(chart.spec)
        if title in json.dumps(figure["layout"].get("title", {}), ensure_ascii=False):
            return kpi, sum(_number(v) for v in figure["data"][0]["text"])
    raise AssertionError("the Overview drew no chart of pupils by school")


async def _user(number: int, base: str, log: Log, demo_names: set[str], import_due: asyncio.Event) -> None:
    """One user: opens the Overview, makes ACTIONS page or filter changes, ends on the Overview."""
    rng = random.Random(number)
    pages = [route(p) for p in PAGES]
    async with Session(base, "m=DEMO") as session:

        async def run(what: str, page: str | None = None) -> Render:
            started = time.perf_counter()
            render = await session.run(page)
            log.renders.append((what, started, time.perf_counter(), render))
            log.done += 1
            if log.done >= SESSIONS * 2:
                import_due.set()
            return render

        render = await run("first", "")
        for _ in range(ACTIONS):
            await asyncio.sleep(rng.uniform(*THINK))  # a user reads before the next click
            action = rng.choice(["page", "page", "year", "municipality", "language"])
            if action == "page":
                render = await run("page", rng.choice(pages))
                continue
            if action == "year":
                widget = render.widget("w_years")
                session.set_widget(string_array(widget.id, [rng.choice(list(widget.options))]))
            elif action == "municipality":
                widget = render.widget("w_municipality")
                session.set_widget(string_value(widget.id, rng.choice(list(widget.options))))
            else:
                widget = render.widget("w_lang")
                session.set_widget(string_array(widget.id, [rng.choice([o.content for o in widget.options])]))
            render = await run(action)
        # back to the demo municipality, all years, on the Overview: the figure the import changes
        municipality = render.widget("w_municipality")
        demo = next(o for o in municipality.options if o in demo_names)
        session.set_widget(string_value(municipality.id, demo))
        session.set_widget(string_array(render.widget("w_years").id, []))
        await run("last", "")


async def _crowd(base: str, db, files: list[tuple[str, bytes]], demo_names: set[str]) -> Log:
    log = Log()
    import_due = asyncio.Event()

    async def importer() -> None:
        await import_due.wait()
        started = time.perf_counter()
        parsed, ids = await asyncio.to_thread(importers.import_files, db, files, "load-test")
        assert ids and all(p.ok for p in parsed), [str(x) for p in parsed for x in p.problems]
        log.import_window = (started, time.perf_counter())

    users = [_user(n, base, log, demo_names, import_due) for n in range(SESSIONS)]
    async with asyncio.timeout(DEADLINE):
        await asyncio.gather(importer(), *users)
    return log


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def test_thirty_sessions_switch_pages_and_filters_while_an_import_runs(national_db):
    rows, old_total = _demo_year(national_db)
    files = [("enrolment_load.csv", _bumped_enrolment(rows))]
    new_total = old_total + sum(BUMP for r in rows if r["grade_band"] != "total")
    con = duckdb.connect(str(national_db), read_only=True)
    demo_names = set(con.execute("SELECT name_lv, name_en FROM municipality WHERE code = 'DEMO'").fetchall()[0])
    con.close()

    with serve(national_db) as base:
        warm = asyncio.run(_warm(base))  # the process's first run imports the libraries: not a user's wait
        assert warm.errors == []
        started = time.perf_counter()
        log = asyncio.run(_crowd(base, national_db, files, demo_names))
        wall = time.perf_counter() - started

    errors = [(what, r.page, e) for what, _s, _e, r in log.renders for e in r.errors]
    assert errors == [], errors[:10]
    assert len(log.renders) == SESSIONS * (ACTIONS + 2)
    assert log.import_window is not None
    import_start, import_end = log.import_window
    assert any(s < import_start for _w, s, _e, _r in log.renders), "the import began before any session"
    assert any(s > import_end for _w, s, _e, _r in log.renders), "the import ended after every session"

    seen = {"old": 0, "new": 0}
    for what, start, _end, render in log.renders:
        if render.page != "" or not _shows_demo_all_years(render):
            continue
        kpi, schools = _overview_total(render, parse_qs(render.query).get("lang", ["lv"])[0])
        assert kpi in (old_total, new_total), (what, kpi, old_total, new_total)
        assert kpi == schools, f"KPI {kpi} and per-school sum {schools} from different versions"
        if start > import_end:
            assert kpi == new_total, (what, kpi, "a run that began after the import showed the old figure")
        seen["old" if kpi == old_total else "new"] += 1
    assert seen["new"] >= SESSIONS, seen  # at least every session's last Overview

    reruns = [r.seconds for what, _s, _e, r in log.renders if what != "first"]
    firsts = [r.seconds for what, _s, _e, r in log.renders if what == "first"]
    report = {
        "sessions": SESSIONS,
        "think_s": THINK,
        "scale": SCALE,
        "renders": len(log.renders),
        "wall_s": round(wall, 1),
        "import_s": round(import_end - import_start, 2),
        "rerun_p50_s": round(statistics.median(reruns), 3),
        "rerun_p95_s": round(_percentile(reruns, 0.95), 3),
        "rerun_max_s": round(max(reruns), 3),
        "first_render_p50_s": round(statistics.median(firsts), 3),
        "first_render_p95_s": round(_percentile(firsts, 0.95), 3),
        "overview_figures_seen": seen,
        "old_total": old_total,
        "new_total": new_total,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nload test: {json.dumps(report)}")


def _shows_demo_all_years(render: Render) -> bool:
    """The demo municipality over all years and schools (its latest year's KPI is the figure changed)."""
    query = parse_qs(render.query)
    return query.get("m") == ["DEMO"] and "y" not in query and "s" not in query


async def _warm(base: str) -> Render:
    async with Session(base, "m=DEMO") as session:
        return await session.run("")
