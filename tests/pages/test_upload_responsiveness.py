"""A slow or huge upload does not slow another session's page (issue 15).

The adversarial review saw one upload freeze everyone: a 130 KB note cell made the privacy guard's
e-mail pattern run for 36 s, and a regular expression holds Python's interpreter lock for as long
as it runs, so another user's Overview took 22 s instead of 0.2 s. Now a cell is at most 1,000
characters before any pattern looks at it, every pattern is linear, an xlsx is refused from its zip
directory before it is unpacked, and the Data page reads every upload in a worker process of its own
(``data_loaders/importers/isolated.py``), so the server's interpreter is never held by a check.

These tests check each of the heaviest uploads in bounded time, that the worker gives exactly what
reading in the server would, that the Data page uses it, and that a file past the worker's time or
memory limit is refused and the next one checked. How much another page slows beside uploads is a
measurement, not a test: ``python -m benchmarks.uploads``."""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path

from data_loaders import importers
from data_loaders.importers import isolated, reading
from data_loaders.tables import TABLES
from tests.factories import FIGURES, fill_annex6
from tests.loaders.bad_files import _sheet_xml, _xlsx_parts, _zip_of, row
from tests.pages.conftest import data_page, en


def _csv(note: str, rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TABLES["enrolment"].columns)
    writer.writeheader()
    for i in range(rows):
        year = 2000 + (i // 9) % 25
        writer.writerow(
            row("enrolment", note=note, grade_band=str(4 + i % 9), school_year=f"{year}/{year + 1}", start_year="")
        )
    return out.getvalue().encode()


def heaviest_uploads() -> list[tuple[str, bytes]]:
    """The largest files the limits let through, with the patterns' worst text in every cell, and the
    ones the review used (past the limits, refused before any work)."""
    parts = _xlsx_parts(fill_annex6(FIGURES))
    numbers = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in "ABCDEFGHIJ") + "</row>"
        for r in range(1, 9_001)
    )
    bomb = _sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"a" * 30_000_000}</t></is></c></row>')
    return [
        ("enrolment.csv", _csv("a@" * 495, 4_800)),  # 5 MB of e-mail-like text: the pattern that was quadratic
        ("enrolment.csv", _csv("Ab1-@. " * 140, 4_800)),  # digits, dashes, dots, capitals: every pattern at work
        ("ezermala.xlsx", _zip_of({**parts, "xl/worksheets/sheet2.xml": _sheet_xml(numbers)})),  # 90,000 cells
        ("enrolment.csv", _csv("a" * 130_000, 1)),  # the review's 130 KB note
        ("ezermala.xlsx", _zip_of({**parts, "xl/worksheets/sheet1.xml": bomb})),  # a 30 MB string
    ]


def test_each_heavy_upload_is_checked_in_bounded_time():
    for name, data in heaviest_uploads():
        start = time.process_time()
        parsed = importers.parse(name, data)
        took = time.process_time() - start
        assert took < 10, f"{name} ({len(data) / 1e6:.1f} MB): {took:.1f} s of CPU"
        assert parsed.ok or all(p.code != "unreadable" for p in parsed.problems)


def test_the_worker_gives_what_reading_in_the_server_gives():
    worker = isolated.Worker()
    try:
        for name, data in [*heaviest_uploads(), ("ezermala.xlsx", fill_annex6(FIGURES))]:
            assert worker.parse(name, data) == reading.parse(name, data), name
        assert worker.pid is not None and worker.pid != os.getpid()
    finally:
        worker.stop()


def test_a_file_past_the_time_limit_is_refused_and_the_next_is_checked():
    worker = isolated.Worker()
    try:
        assert worker.parse("ezermala.xlsx", fill_annex6(FIGURES)).ok  # started, warm
        first = worker.pid
        worker.time_limit = 0.05  # the 5 MB CSV takes seconds to check
        slow = worker.parse(*heaviest_uploads()[0])
        assert not slow.ok and [p.code for p in slow.problems] == ["too_slow"]
        assert not slow.tables and worker.pid is None  # nothing kept; the stuck worker is stopped
        worker.time_limit = isolated.TIME_LIMIT
        assert worker.parse("ezermala.xlsx", fill_annex6(FIGURES)).ok
        assert worker.pid not in (None, first)  # a new worker took over
    finally:
        worker.stop()


def test_the_worker_s_memory_is_limited():
    worker = isolated.Worker()
    try:
        worker.parse("ezermala.xlsx", fill_annex6(FIGURES))
        limits = Path(f"/proc/{worker.pid}/limits").read_text()
        line = next(x for x in limits.splitlines() if x.startswith("Max address space"))
        assert int(line.split()[3]) == isolated.MEMORY_LIMIT, line
    finally:
        worker.stop()


def test_the_data_page_reads_uploads_in_the_worker(own_db, monkeypatch):
    """Reading a file in the server itself is made to fail: the page still checks the upload."""

    def not_here(*args, **kwargs):
        raise AssertionError("an upload was read in the server's own process")

    monkeypatch.setattr(reading, "parse", not_here)
    monkeypatch.setattr(importers, "parse", not_here)
    at = data_page()
    at.file_uploader(key="uploads_0").set_value([("ezermala.xlsx", fill_annex6(FIGURES), "application/octet-stream")])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    valid = en("data.file_ok", name="ezermala.xlsx", rows=17, replaced=0)
    assert valid in [s.value for s in at.success], [s.value for s in at.success]


def test_a_heavy_upload_takes_no_time_from_the_server_s_interpreter():
    """What slowed the other session was the check holding the server's interpreter. Counted in CPU
    time, not wall time (which a busy machine stretches): the heaviest file costs the server only the
    pipe, while the worker does the seconds of work."""
    worker = isolated.Worker()
    try:
        worker.parse("ezermala.xlsx", fill_annex6(FIGURES))  # started
        name, data = heaviest_uploads()[1]  # 5 MB: every pattern of the privacy guard at work
        server = time.process_time()
        parsed = worker.parse(name, data)
        server = time.process_time() - server
        fields = Path(f"/proc/{worker.pid}/stat").read_text().rsplit(")", 1)[1].split()
        worker_cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        assert parsed.ok and sum(parsed.row_counts.values()) == 4_800
        assert worker_cpu > 1.0, worker_cpu  # the check's work was done ...
        assert server < 0.25 * worker_cpu, (server, worker_cpu)  # ... and not by the server
    finally:
        worker.stop()
