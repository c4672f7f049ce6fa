"""``ui.data.derived``: a page's derivation of cached query results computed once per database
version and arguments, shared by sessions (the Overview's headline, the Targets assessment)."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.factories import same_named_page_functions
from ui import data

CALLS: list[tuple] = []


def _count_schools(municipality: str, lang: str) -> int:
    CALLS.append((municipality, lang))
    return len(data.dataset("schools.sql", municipality=municipality))


@pytest.fixture
def db(sample_db, tmp_path, monkeypatch):
    copy = tmp_path / "pmp.duckdb"
    shutil.copy(sample_db, copy)
    monkeypatch.setenv("PMP_DB", str(copy))
    CALLS.clear()
    data._derived.clear()
    yield copy
    data._derived.clear()


def test_computed_once_per_version_and_arguments(db):
    first = data.derived(_count_schools, "LUD", "lv")
    assert first > 0 and data.derived(_count_schools, "LUD", "lv") == first
    assert CALLS == [("LUD", "lv")]
    data.derived(_count_schools, "LUD", "en")  # another argument: computed for it
    data.derived(_count_schools, "JEK", "lv")
    assert CALLS == [("LUD", "lv"), ("LUD", "en"), ("JEK", "lv")]
    stat = db.stat()
    os.utime(db, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # an import replaced the file
    assert data.derived(_count_schools, "LUD", "lv") == first
    assert CALLS[-1] == ("LUD", "lv") and len(CALLS) == 4


def test_the_assessment_is_the_targets_rule_on_the_municipalitys_rows(db):
    from metrics import targets

    assessed, values, years = data.assessment("LUD", [])
    assert years == [2025, 2027]
    direct = targets.assess_indicators(
        data.dataset("target_indicators.sql", municipality="LUD"),
        data.dataset("target_indicator_targets.sql", municipality="LUD"),
        values,
    )
    assert assessed.equals(direct) and len(assessed) > 0


def test_two_page_functions_of_one_name_are_two_derivations(db):
    """Page scripts run as ``__main__``: a function defined in a page is told apart by its file."""
    one, two = same_named_page_functions("count")
    assert data.derived(one, "LUD") == "LUD 1"
    assert data.derived(two, "LUD") == "LUD 2"
