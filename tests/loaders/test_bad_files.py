"""The generated corpus of bad files (``tests/loaders/bad_files.py``) through the importer, the way
the Data page and the command line use it: no traceback, no run over 30 s, the database byte for
byte as it was after each refusal, every personal-data, formula and impossible-value file refused,
every message in both languages. The counts are printed (``pytest -s``) for the closing note."""

from __future__ import annotations

import collections
import contextlib
import hashlib
import io
import shutil
import time
from pathlib import Path

import pytest

from data_loaders import importers
from presentation.text import catalog
from tests.loaders.bad_files import Case, corpus

LIMIT_S = 30.0
# the reason a file of the group must be refused for (the start of a problem code), not another one
REASONS = {"personal": "personal_", "formula": ("formula_cell", "formula_text", "markup_text")}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _message_problems(case: Case, parsed) -> list[str]:
    """Every problem and note must say itself in Latvian and English (a code, every field filled)."""
    found = []
    for problem in [*parsed.problems, *parsed.warnings]:
        for lang in ("lv", "en"):
            text = catalog(lang).get(f"data.problem.{problem.code}")
            if not problem.code or text is None:
                found.append(f"{case.what}: no {lang} message for {problem.code!r} ({problem})")
                continue
            try:
                text.format(**problem.params)
            except (KeyError, IndexError, ValueError) as err:
                found.append(f"{case.what}: {lang} message {problem.code} lacks {err} ({problem.params})")
    return found


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return corpus()


def test_the_corpus_is_refused_cleanly(sample_db, tmp_path, cases, capsys):
    db = tmp_path / "pmp.duckdb"
    shutil.copyfile(sample_db, db)
    before = digest(db)
    failures: list[str] = []
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    slowest = (0.0, "")
    for case in cases:
        start = time.perf_counter()
        try:
            parsed, ids = importers.import_files(db, [(case.name, case.data)], "corpus")
        except Exception as err:  # a traceback: the very thing this corpus is here to catch
            failures.append(f"{case.what}: {type(err).__name__}: {err}")
            continue
        took = time.perf_counter() - start
        slowest = max(slowest, (took, case.what))
        result = "accepted" if ids else "nothing" if parsed[0].ok and parsed[0].empty else "refused"
        counts[(case.group, result)] += 1
        if took > LIMIT_S:
            failures.append(f"{case.what}: {took:.1f} s")
        if any(p.code == "unreadable" for p in parsed[0].problems):
            failures.append(f"{case.what}: an unexpected error was caught: {parsed[0].problems}")
        failures += _message_problems(case, parsed[0])
        expected = {"refuse": "refused", "accept": "accepted", "nothing": "nothing"}[case.expect]
        if result != expected:
            failures.append(f"{case.what}: {result}, expected {expected} {[str(p) for p in parsed[0].problems]}")
        codes = {p.code for p in parsed[0].problems}
        if result == "refused":
            if not all(p.code and str(p).startswith(case.name) for p in parsed[0].problems):
                failures.append(f"{case.what}: a problem without a code or file name: {parsed[0].problems}")
            if case.group in REASONS and not any(c.startswith(REASONS[case.group]) for c in codes):
                failures.append(f"{case.what}: refused, but not for its {case.group} content: {sorted(codes)}")
        if ids:  # a valid file was written: start again from the untouched database
            shutil.copyfile(sample_db, db)
        elif digest(db) != before:
            failures.append(f"{case.what}: the database changed although nothing was imported")
            shutil.copyfile(sample_db, db)
    refused = sum(n for (_, result), n in counts.items() if result == "refused")
    accepted = sum(n for (_, result), n in counts.items() if result == "accepted")
    nothing = sum(n for (_, result), n in counts.items() if result == "nothing")
    with capsys.disabled():
        print(f"\nimport corpus: {len(cases)} files tried, {refused} refused, {accepted} accepted, {nothing} nothing")
        for group in sorted({g for g, _ in counts}):
            print(f"  {group}: " + ", ".join(f"{r} {n}" for (g, r), n in sorted(counts.items()) if g == group))
        print(f"  slowest: {slowest[1]} ({slowest[0]:.2f} s)")
    assert not failures, "\n".join(failures[:40])
    groups = {g for g, _ in counts}
    assert {"impossible", "personal", "formula", "malformed", "huge", "nothing", "valid"} <= groups
    assert sum(n for (g, _), n in counts.items() if g == "personal") >= 60
    assert sum(n for (g, _), n in counts.items() if g == "impossible") >= 250


def test_the_command_line_says_every_file_without_a_traceback(sample_db, tmp_path, cases):
    """Every fifth file through ``python -m data_loaders.importers --dry-run`` (in-process): an exit
    code, never an exception; 1 for a refused file, 0 otherwise; the database untouched."""
    db = tmp_path / "pmp.duckdb"
    shutil.copyfile(sample_db, db)
    before = digest(db)
    failures = []
    for index, case in enumerate(cases[::5]):
        path = tmp_path / f"{index}" / case.name
        path.parent.mkdir()
        path.write_bytes(case.data)
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = importers.main([str(path), "--db", str(db), "--dry-run"])
        except BaseException as error:  # SystemExit included: main returns its code
            failures.append(f"{case.what}: {type(error).__name__}: {error}")
            continue
        wanted = 1 if case.expect == "refuse" else 0
        if code != wanted:
            failures.append(f"{case.what}: exit {code}, expected {wanted}: {err.getvalue()[:300]}")
        if code == 1 and "nothing was written" not in err.getvalue():
            failures.append(f"{case.what}: the refusal does not say that nothing was written")
    assert not failures, "\n".join(failures)
    assert digest(db) == before
