"""``python -m data_loaders.importers FILE... [--db PATH] [--user NAME] [--dry-run]``."""

from __future__ import annotations

import argparse
import getpass
import sys
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
    parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    args = parser.parse_args(argv)
    db = Path(args.db or database_path())
    if not is_remote(db) and not db.exists():
        print(f"error: database {db} does not exist (build it: python -m data_loaders.build)", file=sys.stderr)
        return 2
    try:
        migrate.ensure_current(db)  # an older database is upgraded first; a newer one is refused
    except migrate.SchemaError as err:
        print(f"error: {db}: {err}", file=sys.stderr)
        return 2
    named = []
    for path in args.files:
        try:
            with path.open("rb") as handle:  # no more than the limit is read, whatever the file's size
                named.append((path.name, handle.read(MAX_BYTES + 1)))
        except OSError as err:
            print(f"{path}: cannot read the file ({err.strerror})", file=sys.stderr)
            return 2
    parsed = check(db, [parse(name, data) for name, data in named])
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
