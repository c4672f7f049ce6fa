"""Fixtures of the loader tests."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture
def db(sample_db, tmp_path):
    """A copy of the sample database this test may change."""
    copy = tmp_path / "pmp.duckdb"
    shutil.copyfile(sample_db, copy)
    return copy
