"""Schema versions: ``schema.sql`` is the current schema; ``migrations/NNNN_*.sql`` upgrade older files.

A database records its version in ``schema_version`` (a database made before versions existed
has no such table: it is version 1). ``SCHEMA_VERSION`` is the number of the newest migration.
An older database is upgraded by applying the missing migrations in order, in one transaction on
a copy that then replaces the file (``store.replace_atomically``), so an upgrade that fails
leaves the database as it was. A database newer than this code is refused: an older release must
not read, let alone write, a schema it does not know.

``python -m data_loaders.migrate [--db PATH]`` upgrades by hand; the app and every command upgrade
on start (``ensure_current``).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from data_loaders.store import connect_read_only, replace_atomically

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


def version_of(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of the database ``con`` is connected to (its main catalogue or views)."""
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "schema_version" in names:
        (version,) = con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(version or 1)
    if "municipality" in names and "import_log" in names:
        return 1
    raise SchemaError("not a PMP database (no municipality and import_log tables)")


def stamp(con: duckdb.DuckDBPyConnection, version: int, description: str) -> None:
    con.execute(
        "INSERT INTO schema_version VALUES (?, ?, ?)", [version, datetime.now(UTC).replace(tzinfo=None), description]
    )


def upgrade_connection(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration the database lacks, in order, on ``con`` (inside its transaction)."""
    current = version_of(con)
    if current > SCHEMA_VERSION:
        raise SchemaError(newer_message(current))
    applied = []
    for version, description, path in migrations():
        if version <= current:
            continue
        con.execute(path.read_text(encoding="utf-8"))
        stamp(con, version, f"migration {path.name}: {description}")
        applied.append(version)
    return applied


def newer_message(version: int) -> str:
    return (
        f"the database has schema version {version}, newer than this release knows ({SCHEMA_VERSION}): "
        "upgrade the dashboard before opening it (nothing was changed)"
    )


def database_version(location: str | Path) -> int:
    con = connect_read_only(location)
    try:
        return version_of(con)
    finally:
        con.close()


def ensure_current(location: str | Path) -> list[int]:
    """Upgrade an older database in place (atomically); refuse a newer one. Returns the versions applied."""
    current = database_version(location)
    if current > SCHEMA_VERSION:
        raise SchemaError(newer_message(current))
    if current == SCHEMA_VERSION:
        return []
    with replace_atomically(Path(location), copy_existing=True) as con:
        return upgrade_connection(con)  # checks the version again inside the writer's lock


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
