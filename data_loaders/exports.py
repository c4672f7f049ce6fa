"""Whole-database exports: every table as CSV (zip) or Parquet (zip), plus the data dictionary.

In the CSV, a text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, a tab or
a carriage return first) gets a leading apostrophe (``data_loaders.safe_text``); numbers, dates and
truth values stay as they are. Parquet keeps every value as stored: it is typed data that no
spreadsheet evaluates.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import duckdb

from data_loaders.dictionary import render as data_dictionary
from data_loaders.store import connect_read_only

# Never exported: the accounts hold password hashes and who may sign in.
NOT_EXPORTED = ("account",)
# what a spreadsheet runs as a formula (safe_text.FORMULA_START), as a DuckDB regular expression
_FORMULA = r"^[=+\-@\t\r]"
_QUOTE = "''''"  # a SQL literal holding one apostrophe


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    tables = con.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_oid").fetchall()
    return [name for (name,) in tables if name not in NOT_EXPORTED]


def _neutralised(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The table as a query whose text cells cannot be run as formulas, in the table's column order."""
    shown = []
    for name, kind, *_ in con.execute(f"DESCRIBE {table}").fetchall():
        column = f'"{name}"'
        if kind == "VARCHAR":
            column = f"CASE WHEN regexp_matches({column}, '{_FORMULA}') THEN {_QUOTE} || {column} ELSE {column} END"
        shown.append(f'{column} AS "{name}"')
    return f"(SELECT {', '.join(shown)} FROM {table})"


def export_zip(db_path: Path | str, fmt: str) -> bytes:
    """A zip with one file per table (``csv`` or ``parquet``) and ``data_dictionary.md``."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"unknown export format {fmt!r}")
    buffer = io.BytesIO()
    con = connect_read_only(db_path)  # the file as it is now, even in a process that read an older one
    try:
        with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in _tables(con):
                target = Path(folder) / f"{table}.{fmt}"
                options = "(HEADER, DELIMITER ',')" if fmt == "csv" else "(FORMAT parquet)"
                source = _neutralised(con, table) if fmt == "csv" else table
                con.execute(f"COPY {source} TO '{target}' {options}")
                archive.write(target, target.name)
            archive.writestr("data_dictionary.md", data_dictionary())
    finally:
        con.close()
    return buffer.getvalue()
