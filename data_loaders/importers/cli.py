"""``python -m data_loaders.importers FILE... [--db PATH] [--user NAME] [--dry-run]``."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from data_loaders import migrate
from data_loaders.build import LoadError, database_path
from data_loaders.importers.checks import check
from data_loaders.importers.limits import MAX_BYTES
from data_loaders.importers.reading import parse
from data_loaders.importers.writing import ImportRefused, apply
from data_loaders.store import is_remote


def main(argv: list[str] | None = None) -> int:
    """Exit codes: 0 imported (or, with --dry-run, every file valid), 1 a file refused (nothing
    written), 2 no database or a file that cannot be read."""
    parser = argparse.ArgumentParser(
        prog="python -m data_loaders.importers",
        description="Import filled templates or table CSVs into the PMP database.",
    )
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--db", help="database file (default: the db setting, PMP_DB, or data/pmp.duckdb)")
    parser.add_argument("--user", default=getpass.getuser(), help="who imports (for the import log)")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check only; write nothing (an older database is upgraded on a temporary copy only)",
    )
    args = parser.parse_args(argv)
    db = Path(args.db or database_path())
    if not is_remote(db) and not db.exists():
        print(f"error: database {db} does not exist (build it: python -m data_loaders.build)", file=sys.stderr)
        return 2
    with contextlib.ExitStack() as stack:
        try:
            if args.dry_run:  # the database is left byte for byte as it is
                checked = stack.enter_context(_upgraded_copy(db))
            else:
                migrate.ensure_current(db)  # an older database is upgraded first; a newer one is refused
                checked = db
        except migrate.SchemaError as err:
            print(f"error: {db}: {err}", file=sys.stderr)
            return 2
        return _run(args, db, checked)


@contextlib.contextmanager
def _upgraded_copy(db: Path) -> Iterator[Path]:
    """A dry run checks against the database as an import would find it: an older one upgraded, but
    on a temporary copy, so the file itself is not touched (a newer one is refused as ever)."""
    current = migrate.database_version(db)
    if current > migrate.SCHEMA_VERSION:
        raise migrate.SchemaError(migrate.newer_message(current))
    if current == migrate.SCHEMA_VERSION:
        yield db
        return
    if is_remote(db):
        raise migrate.SchemaError(
            f"schema version {current} would be upgraded to {migrate.SCHEMA_VERSION} first; a dry run cannot "
            "check a hosted database of an older schema (upgrade it: python -m data_loaders.migrate)"
        )
    print(
        f"dry run: {db} has schema version {current}; an import would first upgrade it to version "
        f"{migrate.SCHEMA_VERSION}. The files are checked against an upgraded temporary copy; "
        "the database is left as it is."
    )
    with tempfile.TemporaryDirectory(prefix="pmp-dry-run-") as folder:
        copy = Path(folder) / db.name
        shutil.copyfile(db, copy)
        wal = db.with_name(db.name + ".wal")  # changes DuckDB has not yet written into the file
        if wal.exists():
            shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
        migrate.ensure_current(copy)
        yield copy


def _run(args: argparse.Namespace, db: Path, checked: Path) -> int:
    named = []
    for path in args.files:
        try:
            with path.open("rb") as handle:  # no more than the limit is read, whatever the file's size
                named.append((path.name, handle.read(MAX_BYTES + 1)))
        except OSError as err:
            print(f"{path}: cannot read the file ({err.strerror})", file=sys.stderr)
            return 2
    parsed = check(checked, [parse(name, data) for name, data in named])
    for f in parsed:
        if f.ok and f.empty:
            print(f"{f.name}: nothing to import (no figures in it)")
        elif f.ok:
            print(f"{f.name}: OK — rows {f.row_counts}, replaces {f.replaces}")
            for warning in f.warnings:
                print(f"  ! {warning}")
        else:
            print(f"{f.name}: REFUSED", file=sys.stderr)
            for problem in f.problems:
                print(f"  - {problem}", file=sys.stderr)
    if any(not f.ok for f in parsed):
        print("nothing was written: fix the files above and import again", file=sys.stderr)
        return 1
    if args.dry_run:
        return 0
    if all(f.empty for f in parsed):
        print("nothing to import: the files hold no figures; nothing was written")
        return 0
    try:
        ids = apply(db, parsed, args.user)
    except (ImportRefused, LoadError) as err:
        print(f"nothing was written: {err}", file=sys.stderr)
        return 1
    print(f"imported {len(ids)} file(s): {', '.join(ids)}")
    return 0
