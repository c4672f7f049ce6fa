"""Writing to the database without ever exposing a half-written state.

Readers (the app) hold read-only connections. A writer copies the database file, changes the
copy in one transaction, and renames it over the original; readers see either the old or the
new file, never a mixture. A lock file serialises writers (two imports at once queue up).
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb

from data_loaders import integrity

REMOTE_PREFIXES = ("md:", "motherduck:")
_TMP_MIDDLE = re.compile(r"[a-z0-9_]{1,32}")  # the random part tempfile.mkstemp puts in a name


def is_remote(location: str | Path) -> bool:
    """A DuckDB connection string for a hosted service (MotherDuck) rather than a local file."""
    return str(location).startswith(REMOTE_PREFIXES)


def connect_read_only(location: str | Path) -> duckdb.DuckDBPyConnection:
    """Readers: a read-only view of the database file as it is now, or a connection to a hosted database.

    A file is attached read-only to a connection of its own, with a view per table. Not
    ``duckdb.connect(path, read_only=True)``: DuckDB hands every connect of a path the instance the
    process already has open for it, which keeps reading the file an import has since replaced,
    so a running app would never see an import.
    """
    if is_remote(location):
        return duckdb.connect(str(location))
    con = duckdb.connect()
    quoted = str(location).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS snapshot (READ_ONLY)")
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'snapshot'").fetchall()
    for (table,) in tables:
        con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM snapshot."{table}"')
    # the schema's own views (e.g. enrolment_total), defined again over the views above
    views = con.execute(
        "SELECT sql FROM duckdb_views() WHERE database_name = 'snapshot' AND NOT internal ORDER BY view_oid"
    ).fetchall()
    for (sql,) in views:
        con.execute(sql)
    return con


@contextlib.contextmanager
def writer_lock(db_path: Path) -> Iterator[None]:
    lock_path = db_path.with_name(db_path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sync(path: Path) -> None:
    """fsync a file or a folder (a folder's entry list holds the rename)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temporary_path(db_path: Path) -> Path:
    """A fresh name beside the database (same file system, so the rename is atomic)."""
    fd, name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    os.unlink(name)
    return Path(name)


def remove_leftovers(path: Path) -> None:
    for leftover in (path, Path(str(path) + ".wal")):
        leftover.unlink(missing_ok=True)


def remove_stale_temporaries(db_path: Path) -> list[Path]:
    """The copies an interrupted write left beside the database (a killed import or build: the
    process had no chance to remove its ``<db>.<random>.tmp`` and its ``.wal``). Called with the
    writer lock held, so no other write is using one of them: every writer makes its copy under the
    lock. Only names of exactly that form are removed, never the database or anything else."""
    removed = []
    for leftover in db_path.parent.glob(f"{glob.escape(db_path.name)}.*.tmp*"):
        name = leftover.name[len(db_path.name) + 1 :]
        stem = name.removesuffix(".wal")
        if stem.endswith(".tmp") and _TMP_MIDDLE.fullmatch(stem.removesuffix(".tmp")) and leftover.is_file():
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


@contextlib.contextmanager
def replace_atomically(
    db_path: Path, *, copy_existing: bool, attach_original: str | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a copy (or a new file); on success rename it into place.

    Any exception leaves ``db_path`` exactly as it was, byte for byte; so does a change that would
    leave a row pointing at nothing (``integrity.check`` runs before the commit). A hosted database
    (``md:...``) has no file to swap: there the change is one ACID transaction on the service.
    ``attach_original`` names the original file, attached read-only to the new one while it is
    written (a migration that makes a new file from the old one's rows).
    """
    if is_remote(db_path):
        con = duckdb.connect(str(db_path))
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()
        return
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(db_path):
        remove_stale_temporaries(db_path)  # an earlier write that was killed half-way
        tmp = temporary_path(db_path)
        try:
            if copy_existing:
                shutil.copyfile(db_path, tmp)
            con = duckdb.connect(str(tmp))
            try:
                if attach_original:
                    quoted = str(db_path).replace("'", "''")
                    con.execute(f"ATTACH '{quoted}' AS {attach_original} (READ_ONLY)")
                con.execute("BEGIN TRANSACTION")
                yield con
                integrity.check(con)  # no row may point at nothing (the schema has no FOREIGN KEYs)
                con.execute("COMMIT")
                if attach_original:
                    con.execute(f"DETACH {attach_original}")
                con.execute("CHECKPOINT")
            finally:
                con.close()
            _sync(tmp)  # the new file's bytes on disk before its name replaces the old one
            os.replace(tmp, db_path)
            _sync(db_path.parent)  # and the rename itself, so a reported write survives a power cut
        finally:
            remove_leftovers(tmp)
