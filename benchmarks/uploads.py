"""Another user's page beside heavy uploads: ``python -m benchmarks.uploads [--runs N]``.

Renders the Overview (AppTest, a session of its own) alone, then while the heaviest uploads the
importer's limits let through are checked over and over in another thread, as the server does for a
second session: once read in the server's own process (``reading.parse``, as before issue 15's
worker) and once in the upload worker process (``isolated.parse``, as the Data page does now). Prints
each median and its ratio to the page alone. A benchmark, not a test: nothing here fails on a slow
machine; the figures of this machine are in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ui.navigation import ENTRY

ROOT = Path(__file__).resolve().parent.parent


def _render() -> float:
    from streamlit.testing.v1 import AppTest

    start = time.perf_counter()
    at = AppTest.from_file(str(ENTRY), default_timeout=120)
    at.query_params.update({"m": "DEMO", "lang": "en"})
    at.run()
    assert at.metric and not at.exception  # the Overview drew its figures
    return time.perf_counter() - start


def _beside(parse: Callable, uploads: list[tuple[str, bytes]], runs: int) -> tuple[float, int]:
    stop, started, checked = threading.Event(), threading.Event(), [0]

    def upload_session() -> None:
        while not stop.is_set():
            for name, data in uploads:
                started.set()
                parse(name, data)
                checked[0] += 1
                if stop.is_set():
                    return

    worker = threading.Thread(target=upload_session, daemon=True)
    worker.start()
    started.wait(timeout=120)
    time.sleep(0.5)  # a benchmark, not a test: let the first file's check get going
    try:
        return statistics.median(_render() for _ in range(runs)), checked[0]
    finally:
        stop.set()
        worker.join(timeout=300)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from data_loaders.build import build
    from data_loaders.importers import isolated, reading
    from tests.pages.test_upload_responsiveness import heaviest_uploads

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PMP_DB"] = str(build(Path(tmp) / "pmp.duckdb"))
        uploads = heaviest_uploads()
        _render()  # the first run builds caches that the others share
        isolated.parse("warm.csv", b"")  # the worker started, as after the first upload
        alone = statistics.median(_render() for _ in range(args.runs))
        rows = [("Overview alone", alone, 0)]
        for label, parse in (("beside uploads read in the server", reading.parse),
                             ("beside uploads read in the worker", isolated.parse)):  # fmt: skip
            took, checked = _beside(parse, uploads, args.runs)
            rows.append((label, took, checked))
    print(f"{'':38} {'median s':>9} {'÷ alone':>8} {'files':>6}")
    for label, took, checked in rows:
        print(f"{label:38} {took:9.2f} {took / alone:8.1f} {checked:6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
