"""Build the DuckDB file from ``sample_data/``: ``python -m data_loaders.build [--db PATH]``.

Every CSV is validated first (pydantic, keys, references); a single bad cell stops the build
with its file, row, column and reason, and the existing database is left as it was. The new
database is written to a temporary file beside the target and renamed over it, so a reader
never sees a half-built file.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
from pydantic import ValidationError

from data_loaders import migrate, settings
from data_loaders.store import connect_read_only, replace_atomically
from data_loaders.tables import DERIVED_COLUMNS, TABLES

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIRS = (ROOT / "sample_data" / "real", ROOT / "sample_data" / "demo")
SCHEMA = Path(__file__).with_name("schema.sql")
DEFAULT_DB = settings.DEFAULT_DB


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # spreadsheet row number: the header is row 1, the first data row is row 2
    column: str | None
    reason: str  # in English, for the command line and the logs
    # for the Data page: the same message in the user's language, ``data.problem.<code>`` in the locale
    # files with ``params`` filled in (a problem without a code is shown by its English reason)
    code: str = ""
    params: dict = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return ", ".join(where) + f": {self.reason}"


class LoadError(Exception):
    """Input refused; nothing was written. ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the input; nothing was written:\n{shown}{more}")


def database_path() -> str:
    """The database the app and the commands use: the ``db`` setting (``PMP_DB``, else ``db`` in
    ``.streamlit/secrets.toml``), else ``data/pmp.duckdb`` in the project (``data_loaders.settings``)."""
    return settings.load().db


def read_table_csv(path: Path, table: str) -> tuple[list[dict], list[Problem]]:
    """Validate one CSV file against its table's model. Returns the clean rows and every problem."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return [], [Problem(str(path), None, None, f"not UTF-8 text ({err.reason} at byte {err.start})")]
    return read_table_text(str(path), text, table)


def read_table_text(name: str, text: str, table: str) -> tuple[list[dict], list[Problem]]:
    """Validate CSV text against the table's model; ``name`` is how problems refer to the file."""
    spec = TABLES[table]
    problems: list[Problem] = []
    rows: list[dict] = []
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames
        if not header:
            return [], [Problem(name, None, None, "the file is empty (no header row)", "no_header")]
        missing = [c for c in spec.columns if c not in header and c not in DERIVED_COLUMNS]
        extra = [c for c in header if c not in spec.columns]
        for c in missing:
            problems.append(Problem(name, 1, c, "required column is missing", "missing_column"))
        for c in extra:
            problems.append(
                Problem(name, 1, c, f"unknown column for table '{table}'", "unknown_column", {"table": table})
            )
        if problems:
            return [], problems
        for line, raw in enumerate(reader, start=2):
            if None in raw or any(v is None for v in raw.values()):
                problems.append(
                    Problem(name, line, None, "the row has a different number of cells than the header", "cell_count")
                )
                continue
            try:
                rows.append(spec.model.model_validate(raw).model_dump())
            except ValidationError as err:
                problems.extend(validation_problems(name, line, raw, err))
    except csv.Error as err:
        problems.append(Problem(name, None, None, f"not a valid CSV file ({err})"))
    return rows, problems


# pydantic's error types -> message codes (``data.problem.*`` in the locale files). The models'
# own rules across columns (``models._refuse``) carry their code as their type, and the column to
# point at in their context.
_VALIDATION_CODES = {
    "missing": "value_missing",
    "string_too_short": "value_missing",
    "greater_than_equal": "min_value",
    "greater_than": "min_value",
    "less_than_equal": "max_value",
    "less_than": "max_value",
    "int_parsing": "not_number",
    "int_from_float": "not_whole",
    "float_parsing": "not_number",
    "literal_error": "one_of",
    "bool_parsing": "not_bool",
    "string_pattern_mismatch": "bad_format",
    "finite_number": "not_finite",
    "string_type": "not_text",
    "decimal_parsing": "not_number",
    "decimal_max_digits": "number_too_large",
    "decimal_whole_digits": "number_too_large",
    "date_from_datetime_parsing": "bad_format",
    "date_parsing": "bad_format",
    "int_type": "not_number",
    "float_type": "not_number",
    "decimal_type": "not_number",
    "bool_type": "not_bool",
}


def validation_problems(name: str, line: int, raw: dict, err: ValidationError) -> list[Problem]:
    """One Problem per pydantic error, naming the column and the value found."""
    found = []
    for e in err.errors():
        context = dict(e.get("ctx") or {})
        column = str(e["loc"][0]) if e["loc"] else context.pop("column", None)
        value = raw.get(column) if column else None
        got = f" (got {value!r})" if e["loc"] and value is not None else ""
        if e["type"] == "literal_error" and isinstance(context.get("expected"), str):
            # pydantic joins the last choice with an English " or "; a list reads the same in any language
            context["expected"] = ", ".join(context["expected"].rsplit(" or ", 1))
        params = {"value": value, **context}
        code = _VALIDATION_CODES.get(e["type"], e["type"])
        found.append(Problem(name, line, column, e["msg"] + got, code, {k: str(v) for k, v in params.items()}))
    return found


def load_dirs(dirs: tuple[Path, ...] | list[Path]) -> dict[str, list[dict]]:
    """Read and validate every table from the given folders; raise LoadError listing all problems."""
    tables: dict[str, list[dict]] = {t: [] for t in TABLES}
    origin: dict[str, list[tuple[str, int]]] = {t: [] for t in TABLES}
    problems: list[Problem] = []
    for folder in dirs:
        for table in TABLES:
            path = folder / f"{table}.csv"
            if not path.exists():
                problems.append(Problem(str(path), None, None, f"file for table '{table}' is missing"))
                continue
            rows, found = read_table_csv(path, table)
            problems.extend(found)
            tables[table].extend(rows)
            origin[table].extend((str(path), i) for i in range(2, len(rows) + 2))
    if not problems:
        problems = check_keys_and_references(tables, origin)
    if problems:
        raise LoadError(problems)
    return tables


def check_keys_and_references(tables: dict[str, list[dict]], origin: dict[str, list[tuple[str, int]]]) -> list[Problem]:
    """Duplicate keys and references to unknown schools, municipalities, indicators, activities."""
    problems: list[Problem] = []
    known = {
        ("municipality", "code"): {r["code"] for r in tables["municipality"]},
        ("school", "school_id"): {r["school_id"] for r in tables["school"]},
        ("indicator", "indicator_no"): {(r["municipality"], r["indicator_no"]) for r in tables["indicator"]},
        ("activity", "activity_no"): {(r["municipality"], r["activity_no"]) for r in tables["activity"]},
    }
    known[("scope", "scope")] = known[("municipality", "code")] | known[("school", "school_id")]
    for table, spec in TABLES.items():
        seen: dict[tuple, int] = {}
        for (file, line), row in zip(origin[table], tables[table], strict=True):
            key = tuple(row[c] for c in spec.key)
            if key in seen:
                problems.append(
                    Problem(
                        file,
                        line,
                        ", ".join(spec.key),
                        f"duplicate key {key} (first at row {seen[key]})",
                        "duplicate_key",
                        {"first": seen[key]},
                    )
                )
            else:
                seen[key] = line
            for column, target in spec.references.items():
                value = row[column]
                if value is None:
                    continue
                probe = (row["municipality"], value) if target[0] in ("indicator", "activity") else value
                if probe not in known[target]:
                    what = "school or municipality" if target[0] == "scope" else target[0]
                    problems.append(Problem(file, line, column, f"unknown {what} {value!r}"))
    return problems


def inputs_digest(dirs: tuple[Path, ...] | list[Path]) -> str:
    digest = hashlib.sha256()
    for folder in dirs:
        for table in TABLES:
            path = folder / f"{table}.csv"
            digest.update(table.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], import_id: str | None = None) -> None:
    """Insert validated rows written by the build or import ``import_id``; the database's own
    constraints are the second line of defence."""
    columns = TABLES[table].columns
    cols = ", ".join(columns)
    frame = pd.DataFrame.from_records(rows, columns=columns)  # noqa: F841 (read by DuckDB)
    try:
        con.execute(f"INSERT INTO {table} ({cols}, import_id) SELECT {cols}, $id FROM frame", {"id": import_id})
    except duckdb.Error as err:
        detail = str(err).splitlines()[0][:300]
        problem = Problem(
            f"table {table}", None, None, f"the database refused it: {err}", "write_refused", {"detail": detail}
        )
        raise LoadError([problem]) from err


def write_database(
    tables: dict[str, list[dict]], db_path: Path, digest: str, before: Callable[[], None] | None = None
) -> None:
    """Write validated tables into a new file and rename it over ``db_path`` in one step.
    ``before`` runs first under the writer lock (it may raise to leave the file as it is), so what it
    checked about the file cannot change before the new one replaces it."""
    build_id = f"build-{digest[:16]}"
    with replace_atomically(db_path, copy_existing=False) as con:
        if before is not None:
            before()
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        migrate.stamp(con, migrate.SCHEMA_VERSION, "built from schema.sql")
        for table, rows in tables.items():
            if rows:
                insert_rows(con, table, rows, build_id)
        counts = {t: len(r) for t, r in tables.items()}
        con.execute(
            "INSERT INTO import_log (import_id, imported_at, imported_by, file_name, sha256, rows_json, result, kind) "
            "VALUES ($id, $at, 'build', 'sample_data', $sha, $rows, 'built', 'build')",
            {
                "id": build_id,
                "at": datetime.now(UTC).replace(tzinfo=None),
                "sha": digest,
                "rows": json.dumps(counts, sort_keys=True),
            },
        )


class _AlreadyBuilt(Exception):
    """Another process built the database while this one waited for the writer lock."""


def build(
    db_path: Path | str | None = None,
    dirs: tuple[Path, ...] | list[Path] = SAMPLE_DIRS,
    force: bool = False,
    *,
    if_missing: bool = False,
) -> Path:
    """Build a new database from the folders' CSVs. An existing database that holds what no build
    can bring back (files imported and not undone, accounts) is not replaced unless ``force``: a
    build would drop them silently. ``if_missing``: build only if there is no database yet (first
    start; another process may be building it at the same moment). Both are decided under the
    writer lock, so an import or a build that finishes while this one waits is never overwritten."""
    path = Path(db_path or database_path())
    tables = load_dirs(dirs)

    def replaceable() -> None:
        if not path.exists():
            return
        if if_missing:
            raise _AlreadyBuilt
        if not force:
            refuse_to_drop(path)

    with contextlib.suppress(_AlreadyBuilt):
        write_database(tables, path, inputs_digest(dirs), before=replaceable)
    return path


def refuse_to_drop(path: Path) -> None:
    """Raise LoadError if ``path`` holds imports or accounts a rebuild from the sample data would drop."""
    kept, accounts = imports_kept(path), accounts_kept(path)
    if not (kept or accounts):
        return
    held = []
    if kept:
        names = ", ".join(f"{name} ({when:%Y-%m-%d})" for name, when in kept[:5])
        more = f" and {len(kept) - 5} more" if len(kept) > 5 else ""
        held.append(f"{len(kept)} imported file(s): {names}{more}")
    if accounts:
        held.append(f"{len(accounts)} account(s): {', '.join(accounts[:5])}{' ...' if len(accounts) > 5 else ''}")
    reason = (
        f"{path} holds {' and '.join(held)}, which a rebuild from the sample data would drop. Nothing was "
        "changed. Export the data first (Data page), then rebuild with --force if you really mean to start again"
    )
    code = "rebuild_drops_imports" if kept else "rebuild_drops_accounts"
    raise LoadError([Problem(str(path), None, None, reason, code)])


def imports_kept(path: Path) -> list[tuple[str, datetime]]:
    """The files imported into the database and not undone since, newest first."""
    con = connect_read_only(path)
    try:
        return con.execute(
            "SELECT l.file_name, l.imported_at FROM import_log l WHERE l.result = 'imported' AND NOT EXISTS "
            "(SELECT 1 FROM import_log r WHERE r.result = 'restored' AND r.rows_json LIKE '%' || l.import_id || '%') "
            "ORDER BY l.imported_at DESC"
        ).fetchall()
    finally:
        con.close()


def accounts_kept(path: Path) -> list[str]:
    """The user names of the database's accounts (a build from the sample data has none)."""
    con = connect_read_only(path)
    try:
        if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'account'").fetchone()[0]:
            return []  # a database from before accounts
        return [name for (name,) in con.execute("SELECT username FROM account ORDER BY username").fetchall()]
    finally:
        con.close()


def ensure_database(db_path: Path | str | None = None) -> Path:
    """Build the database from the sample data if it does not exist yet (first start; two processes
    starting at once build it once); upgrade an older one to this release's schema
    (``migrate.ensure_current``; a newer one is refused)."""
    path = Path(db_path or database_path())
    if not path.exists():
        build(path, if_missing=True)
    migrate.ensure_current(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the PMP DuckDB file from sample_data/.")
    parser.add_argument("--db", help="database file (default: the db setting, PMP_DB, or data/pmp.duckdb)")
    parser.add_argument("--data", nargs="+", type=Path, help="input folders (default: sample_data/real and demo)")
    parser.add_argument("--force", action="store_true", help="replace a database that holds imports (drops them)")
    args = parser.parse_args(argv)
    try:
        path = build(args.db, args.data or SAMPLE_DIRS, force=args.force)
    except LoadError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"built {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
