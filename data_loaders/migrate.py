"""Schema versions: ``schema.sql`` is the current schema; ``migrations/NNNN_*.sql`` upgrade older files.

A database records its version in ``schema_version`` (a database made before versions existed
has no such table: it is version 1). ``SCHEMA_VERSION`` is the number of the newest migration.
An older database is upgraded by applying the missing migrations in order, each in one
transaction on a copy that then replaces the file (``store.replace_atomically``), so an upgrade
that fails leaves the database at the last version it completed. A migration runs in place
(``ALTER``/``UPDATE`` on the copy) or, where DuckDB cannot alter a table that others reference,
as a copy migration (first line ``-- mode: copy``): a new file made from the migration's own DDL
and filled from the old file, attached read-only as ``migration_source``. A database newer than
this code is refused: an older release must not read, let alone write, a schema it does not know.

``python -m data_loaders.migrate [--db PATH]`` upgrades by hand; the app and every command upgrade
on start (``ensure_current``).
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from data_loaders.store import connect_read_only, is_remote, replace_atomically

MIGRATIONS = Path(__file__).with_name("migrations")
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def migrations() -> list[tuple[int, str, Path]]:
    """(version, description, file) of every migration, in order; numbered 2, 3, ... without gaps."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise RuntimeError(f"migration file {path.name} is not named NNNN_description.sql")
        found.append((int(match.group(1)), match.group(2).replace("_", " "), path))
    expected = list(range(2, len(found) + 2))
    if [v for v, _, _ in found] != expected:
        raise RuntimeError(f"migrations must be numbered {expected} without gaps, found {[v for v, _, _ in found]}")
    return found


SCHEMA_VERSION = 1 + len(migrations())


class SchemaError(Exception):
    """The database cannot be used by this code (newer than it, or not a PMP database)."""


def version_of(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> int:
    """The schema version of a database: the one ``con`` reads, or its attached ``catalog``."""
    where = "table_catalog = ?" if catalog else "table_catalog = current_database()"
    params = [catalog] if catalog else []
    names = {
        r[0] for r in con.execute(f"SELECT table_name FROM information_schema.tables WHERE {where}", params).fetchall()
    }
    if not names:  # a read-only snapshot: the tables are views in the current catalogue
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    prefix = f"{catalog}." if catalog else ""
    if "schema_version" in names:
        (version,) = con.execute(f"SELECT max(version) FROM {prefix}schema_version").fetchone()
        return int(version or 1)
    if "municipality" in names and "import_log" in names:
        return 1
    raise SchemaError("not a PMP database (no municipality and import_log tables)")


def stamp(con: duckdb.DuckDBPyConnection, version: int, description: str) -> None:
    con.execute(
        "INSERT INTO schema_version VALUES (?, ?, ?)", [version, datetime.now(UTC).replace(tzinfo=None), description]
    )


def is_copy(path: Path) -> bool:
    """A copy migration (first line ``-- mode: copy``) makes a new file from its own DDL and fills it
    from the old database attached as ``migration_source``; any other runs in place on a copy of the file."""
    return path.read_text(encoding="utf-8").startswith("-- mode: copy")


def newer_message(version: int) -> str:
    return (
        f"the database has schema version {version}, newer than this release knows ({SCHEMA_VERSION}): "
        "upgrade the dashboard before opening it (nothing was changed)"
    )


def other_version_message(version: int) -> str:
    if version > SCHEMA_VERSION:
        return newer_message(version)
    return (
        f"the database has schema version {version}, older than this release ({SCHEMA_VERSION}): "
        "restart the dashboard or run python -m data_loaders.migrate to upgrade it (nothing was changed)"
    )


@contextlib.contextmanager
def writing(location: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A change to the rows of a database of this release's schema (an import, an undo, an account):
    ``replace_atomically`` on a copy, refused with ``SchemaError`` if the file's version is another.
    The version is read under the writer lock, from the very file that is changed: a process that
    checked it when it started may meet a file that a newer release has upgraded since."""
    with replace_atomically(Path(location), copy_existing=True) as con:
        version = version_of(con)
        if version != SCHEMA_VERSION:
            raise SchemaError(other_version_message(version))
        yield con


def database_version(location: str | Path) -> int:
    con = connect_read_only(location)
    try:
        return version_of(con)
    finally:
        con.close()


class _AlreadyDone(Exception):
    """Another process applied the migration while this one waited for the writer's lock."""


def _apply(location: Path, version: int, description: str, path: Path) -> None:
    """One migration, atomically: the file is replaced only when the whole step succeeded."""
    sql = path.read_text(encoding="utf-8")
    label = f"migration {path.name}: {description}"
    if is_copy(path):
        if is_remote(location):
            raise SchemaError(f"{path.name} rebuilds the file: export the hosted database and upgrade a local copy")
        with replace_atomically(location, copy_existing=False, attach_original="migration_source") as con:
            if version_of(con, "migration_source") >= version:
                raise _AlreadyDone
            con.execute(sql)
            stamp(con, version, label)
        return
    with replace_atomically(location, copy_existing=True) as con:
        if version_of(con) >= version:
            raise _AlreadyDone
        con.execute(sql)
        stamp(con, version, label)


def ensure_current(location: str | Path) -> list[int]:
    """Upgrade an older database (each migration atomically, in order); refuse a newer one.
    Returns the versions applied."""
    current = database_version(location)
    if current > SCHEMA_VERSION:
        raise SchemaError(newer_message(current))
    applied = []
    for version, description, path in migrations():
        if version <= current:
            continue
        try:
            _apply(Path(location), version, description, path)
        except _AlreadyDone:
            continue
        applied.append(version)
    return applied


def main(argv: list[str] | None = None) -> int:
    from data_loaders.build import database_path

    parser = argparse.ArgumentParser(description="Upgrade a PMP database to this release's schema.")
    parser.add_argument("--db", help="database file (default: the `db` setting or data/pmp.duckdb)")
    args = parser.parse_args(argv)
    location = args.db or database_path()
    try:
        applied = ensure_current(location)
    except SchemaError as err:
        print(f"{location}: {err}", file=sys.stderr)
        return 1
    if applied:
        print(f"{location}: upgraded to schema version {SCHEMA_VERSION} (applied {applied})")
    else:
        print(f"{location}: schema version {SCHEMA_VERSION}, nothing to do")
    return 0


if __name__ == "__main__":
    sys.exit(main())
