"""Writing checked files: ``apply`` (one transaction on a copy of the database that then replaces
it, ``data_loaders.store``), ``restore`` (undo an import), and the import log."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from data_loaders import integrity, migrate
from data_loaders.build import LoadError, Problem, insert_rows
from data_loaders.importers.checks import SCOPES, check_against_database, scopes
from data_loaders.importers.files import IMPORTABLE, ParsedFile, problem
from data_loaders.tables import TABLES


class ImportRefused(Exception):
    """The database changed between the check and the confirmation so that a file no longer fits."""

    def __init__(self, files: list[ParsedFile]):
        self.files = files
        super().__init__("; ".join(str(p) for f in files for p in f.problems))


def apply(
    db_path: Path | str,
    files: list[ParsedFile],
    user: str,
    reach: Callable[[duckdb.DuckDBPyConnection, list[ParsedFile]], None] | None = None,
) -> list[str]:
    """Write every valid file in one transaction; return the import ids. Refused files and files
    without rows are skipped (never logged as an import). Raises ``ImportRefused`` if a file no
    longer fits the database (or, with ``reach``, the user's rights as the database holds them
    under the lock: ``accounts.reach_now``), ``LoadError`` if the database refuses the write;
    either way nothing is written."""
    valid = [f for f in files if f.ok and not f.empty]
    if not valid:
        return []
    checked = {id(f): f.preview for f in valid}
    ids = []
    try:
        with migrate.writing(db_path) as con:
            now = datetime.now(UTC).replace(tzinfo=None)  # under the lock: the log's order is the writes' order
            check_against_database(con, valid)  # again, inside the lock, against the very file we change
            for parsed in valid:
                if parsed.ok and parsed.preview != checked[id(parsed)]:
                    problem(
                        parsed,
                        "another import changed the rows this file replaces since it was checked: check it again",
                        code="changed_since_check",
                    )
            if reach is not None:
                reach(con, valid)
            refused = [f for f in valid if not f.ok]
            if refused:
                raise ImportRefused(refused)
            for parsed in valid:
                ids.append(_write(con, parsed, now, user))
    except (duckdb.Error, integrity.IntegrityError, migrate.SchemaError) as err:
        detail = str(err).splitlines()[0][:300]
        reason = f"the database refused the import, nothing was written: {detail}"
        raise LoadError([Problem("database", None, None, reason, "write_refused", {"detail": detail})]) from err
    return ids


def _write(con: duckdb.DuckDBPyConnection, parsed: ParsedFile, now: datetime, user: str) -> str:
    import_id = f"imp-{now:%Y%m%d%H%M%S}-{parsed.sha256[:8]}-{uuid.uuid4().hex[:4]}"
    for table, rows in parsed.tables.items():
        if not rows:
            continue
        with scopes(con, table, rows) as on:
            con.execute(
                "INSERT INTO import_history (import_id, table_name, row_json, replaced_at, row_import_id) "
                f"SELECT $import_id, '{table}', to_json(t)::VARCHAR, $now, t.import_id "
                f"FROM {table} t SEMI JOIN {SCOPES} s ON {on}",
                {"import_id": import_id, "now": now},
            )
            con.execute(f"DELETE FROM {table} t USING {SCOPES} s WHERE {on}")
        insert_rows(con, table, rows, import_id)
    log_entry(
        con,
        import_id,
        now,
        user,
        parsed.name,
        parsed.sha256,
        {"inserted": parsed.row_counts, "replaced": parsed.replaces},
        "imported",
        **parsed.reported_on(),
    )
    return import_id


def restore(db_path: Path | str, import_id: str, user: str) -> int:
    """Undo an import: remove its rows and put back the rows it replaced. Returns rows restored.
    Raises KeyError for an unknown import, ValueError if it cannot be undone (nothing changes)."""
    try:
        with migrate.writing(db_path) as con:
            return _restore(con, import_id, user, datetime.now(UTC).replace(tzinfo=None))
    except migrate.SchemaError as err:
        raise ValueError(f"{import_id} was not undone: {err}") from err
    except integrity.IntegrityError as err:
        raise ValueError(f"undoing {import_id} would leave rows pointing at nothing: {err}") from err
    except duckdb.Error as err:
        raise ValueError(f"the database refused to undo {import_id}: {str(err).splitlines()[0]}") from err


def _restore(con: duckdb.DuckDBPyConnection, import_id: str, user: str, now: datetime) -> int:
    found = con.execute("SELECT file_name, sha256 FROM import_log WHERE import_id = ?", [import_id]).fetchone()
    if not found:
        raise KeyError(f"no import {import_id!r} in the log")
    later = con.execute(
        "SELECT DISTINCT import_id FROM import_history WHERE import_id <> ? AND row_import_id = ?",
        [import_id, import_id],
    ).fetchall()
    if later:
        raise ValueError(f"a later import ({later[0][0]}) replaced figures of {import_id}: restore that one first")
    restored = 0
    for table in IMPORTABLE:
        con.execute(f"DELETE FROM {table} WHERE import_id = ?", [import_id])
        # one statement per table: each column read back from the row's JSON (to_json, as kept at
        # import) and cast to the table's own type by the insert
        columns = [*TABLES[table].columns, "import_id"]
        values = ", ".join(f"json_extract_string(row_json, '$.\"{c}\"')" for c in columns)
        (count,) = con.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM import_history "
            "WHERE import_id = ? AND table_name = ?",
            [import_id, table],
        ).fetchone()
        restored += count
    con.execute("DELETE FROM import_history WHERE import_id = ?", [import_id])
    log_entry(
        con,
        f"restore-{import_id}-{now:%H%M%S}",
        now,
        user,
        found[0],
        found[1],
        {"undid": import_id, "restored": restored},
        "restored",
        kind="restore",
        undoes=import_id,
    )
    return restored


def log_entry(
    con: duckdb.DuckDBPyConnection,
    import_id: str,
    at: datetime,
    user: str,
    file_name: str,
    sha256: str,
    rows: dict,
    result: str,
    **about: str | None,
) -> None:
    """One row of the import log; ``about`` names what the file reported on (kind, municipality,
    school_id, period) or which import a restore undid (undoes)."""
    columns = ("kind", "municipality", "school_id", "period", "undoes")
    con.execute(
        "INSERT INTO import_log (import_id, imported_at, imported_by, file_name, sha256, rows_json, result, "
        f"{', '.join(columns)}) VALUES (?, ?, ?, ?, ?, ?, ?, {', '.join('?' * len(columns))})",
        [import_id, at, user, file_name, sha256, json.dumps(rows, sort_keys=True), result]
        + [about.get(c) for c in columns],
    )
