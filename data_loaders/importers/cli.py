"""``python -m data_loaders.importers FILE... [--db PATH] [--user NAME] [--dry-run] [--lang lv|en]``
imports files; ``--template onboarding|annex6|annex1 --out FILE.xlsx`` writes the blank template the
Data page hands out (built by the same functions: ``data_loaders.onboarding``, ``data_loaders.templates``).

Every message is a string of ``presentation/locales/<lang>/cli.toml`` (English unless ``--lang lv``),
counts in the language's plural forms; a refused file's problems read as on the Data page."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from data_loaders import migrate, onboarding, templates
from data_loaders.build import LoadError, Problem, database_path
from data_loaders.importers.checks import check
from data_loaders.importers.limits import MAX_BYTES
from data_loaders.importers.reading import parse
from data_loaders.importers.writing import ImportRefused, apply
from data_loaders.store import connect_read_only, is_remote
from presentation.text import LANGS, catalog, t

TEMPLATES = ("onboarding", "annex6", "annex1")
SCHOOL_YEAR = re.compile(r"^(\d{4})/(\d{4})$")


def problem_line(problem: Problem, lang: str) -> str:
    """A problem as the Data page words it (``data.problem.<code>``), with where it is; the loader's
    English reason where the locales have no wording for it."""
    where = [problem.file]
    if problem.row is not None:
        where.append(t("cli.row", lang, row=problem.row))
    if problem.column:
        where.append(t("cli.column", lang, column=problem.column))
    key = f"data.problem.{problem.code}"
    try:
        said = t(key, lang, **problem.params) if problem.code and key in catalog(lang) else problem.reason
    except KeyError:  # a parameter the wording needs is missing: the English reason still says it all
        said = problem.reason
    return ", ".join(where) + f": {said}"


def write_template(args: argparse.Namespace, db: Path, lang: str) -> int:
    """The blank template to ``--out``; annex 6 and annex 1 name their school or municipality and year
    from the database, as the Data page does."""
    if args.out is None:
        print(t("cli.template_needs_out", lang), file=sys.stderr)
        return 2
    if args.template == "onboarding":
        data = onboarding.template()
    else:
        if not is_remote(db) and not db.exists():
            print(t("cli.no_database", lang, db=db), file=sys.stderr)
            return 2
        with connect_read_only(db) as con:
            if args.template == "annex6":
                match = SCHOOL_YEAR.match(args.year or "")
                if not args.school or not match or int(match[2]) != int(match[1]) + 1:
                    print(t("cli.annex6_needs", lang), file=sys.stderr)
                    return 2
                found = con.execute(
                    "SELECT name, municipality FROM school WHERE school_id = ?", [args.school]
                ).fetchone()
                if found is None:
                    print(t("cli.unknown_school", lang, school=args.school), file=sys.stderr)
                    return 2
                data = templates.annex6_template(args.school, found[0], found[1], args.year)
            else:
                if not args.municipality or not (args.year or "").isdigit():
                    print(t("cli.annex1_needs", lang), file=sys.stderr)
                    return 2
                year = int(args.year)
                # the activities of the municipality's action plan active that year (metrics/sql/activities_list.sql)
                rows = con.execute(
                    """SELECT a.activity_no, a.activity_lv FROM activity a
                    JOIN activity_year y USING (municipality, activity_no)
                    WHERE a.municipality = ? AND y.year = ? AND y.active
                    ORDER BY string_split(a.activity_no, '.')[1]::INTEGER,
                             string_split(a.activity_no, '.')[2]::INTEGER""",
                    [args.municipality, year],
                ).fetchall()
                if not rows:
                    print(t("cli.no_activities", lang, municipality=args.municipality, year=year), file=sys.stderr)
                    return 2
                data = templates.annex1_template(args.municipality, year, [(n, name) for n, name in rows])
    try:
        args.out.write_bytes(data)
    except OSError as err:
        print(t("cli.cannot_write", lang, path=args.out, error=err.strerror), file=sys.stderr)
        return 2
    print(t("cli.template_written", lang, path=args.out))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Exit codes: 0 imported (or, with --dry-run, every file valid; or the template written), 1 a
    file refused (nothing written), 2 no database, a file that cannot be read or written, or a
    template asked for without what it needs."""
    parser = argparse.ArgumentParser(
        prog="python -m data_loaders.importers",
        description="Import filled templates or table CSVs into the PMP database, or write a blank template.",
    )
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--db", help="database file (default: the db setting, PMP_DB, or data/pmp.duckdb)")
    parser.add_argument("--user", default=getpass.getuser(), help="who imports (for the import log)")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check only; write nothing (an older database is upgraded on a temporary copy only)",
    )
    parser.add_argument("--lang", choices=LANGS, default="en", help="language of the messages (default: en)")
    parser.add_argument("--template", choices=TEMPLATES, help="write this blank template instead of importing")
    parser.add_argument("--out", type=Path, help="with --template: the .xlsx file to write")
    parser.add_argument("--school", help="with --template annex6: the school id")
    parser.add_argument("--municipality", help="with --template annex1: the municipality code")
    parser.add_argument("--year", help="with --template: annex6 a school year (2025/2026), annex1 a calendar year")
    args = parser.parse_args(argv)
    lang = args.lang
    db = Path(args.db or database_path())
    if args.template:
        if args.files:
            parser.error("--template writes a template; it imports no files")
        return write_template(args, db, lang)
    if not args.files:
        parser.error("name the files to import, or --template")
    if not is_remote(db) and not db.exists():
        print(t("cli.no_database", lang, db=db), file=sys.stderr)
        return 2
    with contextlib.ExitStack() as stack:
        try:
            if args.dry_run:  # the database is left byte for byte as it is
                checked = stack.enter_context(_upgraded_copy(db))
            else:
                migrate.ensure_current(db)  # an older database is upgraded first; a newer one is refused
                checked = db
        except migrate.SchemaError as err:
            print(f"{t('cli.error', lang)}: {db}: {err}", file=sys.stderr)
            return 2
        return _run(args, db, checked, lang)


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


def _run(args: argparse.Namespace, db: Path, checked: Path, lang: str) -> int:
    named = []
    for path in args.files:
        try:
            with path.open("rb") as handle:  # no more than the limit is read, whatever the file's size
                named.append((path.name, handle.read(MAX_BYTES + 1)))
        except OSError as err:
            print(t("cli.cannot_read", lang, path=path, error=err.strerror), file=sys.stderr)
            return 2
    parsed = check(checked, [parse(name, data) for name, data in named])
    for f in parsed:
        if f.ok and f.empty:
            print(t("cli.file_empty", lang, name=f.name))
        elif f.ok:
            rows, replaced = sum(f.row_counts.values()), sum(f.replaces.values())
            print(t("cli.file_ok", lang, name=f.name, rows=rows, replaced=replaced))
            for warning in f.warnings:
                print(f"  ! {warning}")
        else:
            print(t("cli.file_refused", lang, name=f.name, n=len(f.problems)), file=sys.stderr)
            for problem in f.problems:
                print(f"  - {problem_line(problem, lang)}", file=sys.stderr)
    if any(not f.ok for f in parsed):
        print(t("cli.nothing_written", lang), file=sys.stderr)
        return 1
    if args.dry_run:
        return 0
    if all(f.empty for f in parsed):
        print(t("cli.nothing_to_import", lang))
        return 0
    try:
        ids = apply(db, parsed, args.user)
    except LoadError as err:
        print(t("cli.database_refused", lang, n=len(err.problems)), file=sys.stderr)
        for problem in err.problems:
            print(f"  - {problem_line(problem, lang)}", file=sys.stderr)
        return 1
    except ImportRefused as err:  # the database changed since the check: the files that no longer fit
        for f in err.files:
            print(t("cli.file_refused", lang, name=f.name, n=len(f.problems)), file=sys.stderr)
            for problem in f.problems:
                print(f"  - {problem_line(problem, lang)}", file=sys.stderr)
        print(t("cli.nothing_written", lang), file=sys.stderr)
        return 1
    print(t("cli.imported", lang, n=len(ids), ids=", ".join(ids)))
    return 0
