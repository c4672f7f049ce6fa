"""Shared fixtures: a database built from the sample data, and tiny hand-made databases."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

# streamlit first, as in the app (importing it makes Streamlit's Plotly template the default; every chart
# builder sets the project's on its figure whatever the order: tests/unit/test_charts.py).
import streamlit  # noqa: F401

from data_loaders import settings
from data_loaders.build import SAMPLE_DIRS, SCHEMA, build, insert_rows
from data_loaders.tables import TABLES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def no_local_secrets(tmp_path_factory):
    """No test reads a developer's own .streamlit/secrets.toml: settings come from what a test sets."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "SECRETS_FILES", [tmp_path_factory.mktemp("secrets") / "secrets.toml"])
        yield


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The real + demo sample data built once per test session."""
    return build(tmp_path_factory.mktemp("db") / "pmp.duckdb")


@pytest.fixture(scope="session")
def accounts_db(sample_db, tmp_path_factory) -> Path:
    """The sample database with an admin, a school reporter and a viewer (``tests/signin.py``)."""
    from tests.signin import add_accounts

    db = tmp_path_factory.mktemp("accounts") / "pmp.duckdb"
    shutil.copyfile(sample_db, db)
    add_accounts(db)
    return db


@pytest.fixture
def sample_dirs(tmp_path) -> list[Path]:
    """A writable copy of sample_data/real and sample_data/demo."""
    copies = []
    for folder in SAMPLE_DIRS:
        target = tmp_path / folder.name
        shutil.copytree(folder, target)
        copies.append(target)
    return copies


def _defaults(table: str) -> dict:
    return {name: None for name in TABLES[table].columns}


def make_db(path: Path, tables: dict[str, list[dict]]) -> duckdb.DuckDBPyConnection:
    """A tiny database: schema.sql plus the given rows (missing columns are NULL)."""
    con = duckdb.connect(str(path))
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    for table in TABLES:
        rows = tables.get(table, [])
        if rows:
            insert_rows(con, table, [{**_defaults(table), **row} for row in rows])
    return con


@pytest.fixture
def tiny_db(tmp_path):
    """Factory: ``tiny_db({"school": [...], ...})`` → connection to a fresh tiny database."""
    cons = []

    def factory(tables: dict[str, list[dict]]) -> duckdb.DuckDBPyConnection:
        con = make_db(tmp_path / f"tiny{len(cons)}.duckdb", tables)
        cons.append(con)
        return con

    yield factory
    for con in cons:
        con.close()
