"""Named accounts and roles: ``python -m data_loaders.accounts add|list|disable|enable|passwd``.

Accounts live in the database's ``account`` table (left out of every export). A password is
stored only as an argon2id hash (argon2-cffi, a salt of its own per hash); an account without
one signs in only through the identity provider (``st.login``), matched by its e-mail address
as user name. Roles and what each one reaches (``REACH``):

- ``admin``: everything (templates, import for any school, the reporting round, the import log,
  restore, export, switching small-count suppression off for their own view).
- ``school_reporter``: the annex 6 template and the import of their own school's files only
  (``reach_problems`` refuses a file with any row for another school or the municipality, and any
  file of the register or set-up: schools, school history, indicators, totals).
- ``viewer``: the dashboard only.

Sign-in (``sign_in``) checks the shared throttle first (``data_loaders/throttle.py``) and then the
password in constant time; an unknown or disabled user costs the same hash check as a real one.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from data_loaders import migrate
from data_loaders.build import Problem, database_path
from data_loaders.store import connect_read_only, is_remote
from data_loaders.throttle import Throttle
from data_loaders.vocabularies import ACCOUNT_ROLES

ROLES = ACCOUNT_ROLES
# What each role may do on the Data page; the page shows a tab only when its role reaches it.
REACH: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {"data_page", "templates", "annex1_template", "import", "import_any_school", "round", "log", "restore"}
        | {"export", "show_small_counts"}
    ),
    "school_reporter": frozenset({"data_page", "templates", "import"}),
    "viewer": frozenset(),
}
# The tables of a school's own yearly figures (annex 6, or their CSVs): all a school reporter may import.
SCHOOL_FIGURES = frozenset({"enrolment", "support_staff", "pumpurs", "risk", "outcome"})
USERNAME = re.compile(r"^[A-Za-z0-9._@+-]{2,120}$")  # as the schema's CHECK
MIN_PASSWORD = 10
MAX_PASSWORD = 1024

# exit codes of the command line
BAD_INPUT, NOT_FOUND, EXISTS = 2, 3, 4

_hasher = PasswordHasher()  # argon2id with the library's recommended cost (RFC 9106 low-memory profile)


class AccountError(Exception):
    """Refused; nothing was written. ``exit_code`` is what the command line returns."""

    def __init__(self, message: str, exit_code: int = BAD_INPUT):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: str
    municipality: str | None
    school_id: str | None
    disabled: bool
    has_password: bool

    def may(self, action: str) -> bool:
        return may(self.role, action)


def may(role: str | None, action: str) -> bool:
    return action in REACH.get(role or "", frozenset())


def normal(username: str) -> str:
    """User names (and the e-mail addresses of st.login) compare without case."""
    return username.strip().lower()


def hash_password(password: str) -> str:
    check_password(password)
    return _hasher.hash(password)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must have at most {MAX_PASSWORD} characters")


@cache
def _dummy_hash() -> str:
    """A hash no password matches, checked for unknown users so they take as long as real ones."""
    return _hasher.hash("not a password of anyone " + datetime.now(UTC).isoformat())


def _matches(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_COLUMNS = "username, display_name, role, municipality, school_id, disabled, password_hash IS NOT NULL"


def _account(row: tuple) -> Account:
    return Account(row[0], row[1], row[2], row[3], row[4], bool(row[5]), bool(row[6]))


def find(con: duckdb.DuckDBPyConnection, username: str) -> Account | None:
    """The account of ``username`` (disabled ones too), on an open connection (the app's snapshot)."""
    rows = con.execute(f"SELECT {_COLUMNS} FROM account WHERE username = ?", [normal(username)]).fetchall()
    return _account(rows[0]) if rows else None  # fetched whole: the connection may go on to write


def lookup(db: Path | str, username: str) -> Account | None:
    con = connect_read_only(db)
    try:
        return find(con, username)
    finally:
        con.close()


def list_accounts(db: Path | str) -> list[Account]:
    con = connect_read_only(db)
    try:
        return [_account(r) for r in con.execute(f"SELECT {_COLUMNS} FROM account ORDER BY username").fetchall()]
    finally:
        con.close()


def count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM account WHERE NOT disabled").fetchone()[0]


def verify(db: Path | str, username: str, password: str) -> Account | None:
    """The account when ``password`` is its password, else None (unknown, disabled, no password or
    wrong). Always one argon2 check, so the time taken does not tell whether the user exists."""
    con = connect_read_only(db)
    try:
        row = con.execute(
            f"SELECT {_COLUMNS}, password_hash FROM account WHERE username = ?", [normal(username)]
        ).fetchone()
    finally:
        con.close()
    stored = row[7] if row and not row[5] else None
    if not _matches(stored, password):
        return None
    return _account(row)


@dataclass(frozen=True)
class SignIn:
    account: Account | None
    wait: int  # seconds before another attempt is allowed (0: none needed)
    throttled: bool  # refused without checking the password


def sign_in(db: Path | str, username: str, password: str, throttle: Throttle) -> SignIn:
    """Check a user name and password through the shared throttle."""
    attempt = throttle.begin(username)
    if not attempt.allowed:
        return SignIn(None, attempt.wait, throttled=True)
    account = verify(db, username, password)
    if account is not None:
        throttle.succeeded(username)
        return SignIn(account, 0, throttled=False)
    return SignIn(None, throttle.wait(username), throttled=False)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def add(
    db: Path | str,
    username: str,
    role: str,
    *,
    school_id: str | None = None,
    display_name: str | None = None,
    password: str | None = None,
) -> Account:
    """Create an account; without a password it signs in only through the identity provider."""
    name = normal(username)
    if not USERNAME.match(name):
        raise AccountError(f"user name {username!r}: use 2-120 letters, digits and . _ @ + - (an e-mail address fits)")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    if role == "school_reporter" and not school_id:
        raise AccountError("a school reporter needs --school (the school_id of their school)")
    if role != "school_reporter" and school_id:
        raise AccountError("only a school reporter is tied to a school (leave out --school)")
    hashed = hash_password(password) if password is not None else None
    with _writing(db) as con:
        if con.execute("SELECT 1 FROM account WHERE username = ?", [name]).fetchone():
            raise AccountError(f"user {name!r} already exists (change it with passwd, disable or enable)", EXISTS)
        municipality = None
        if school_id:
            found = con.execute("SELECT municipality FROM school WHERE school_id = ?", [school_id]).fetchone()
            if not found:
                raise AccountError(f"unknown school {school_id!r} (see the school_id column of school)", NOT_FOUND)
            municipality = found[0]
        con.execute(
            "INSERT INTO account (username, display_name, role, municipality, school_id, password_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [name, (display_name or "").strip() or name, role, municipality, school_id, hashed, _now()],
        )
    return Account(name, (display_name or "").strip() or name, role, municipality, school_id, False, hashed is not None)


def set_password(db: Path | str, username: str, password: str | None) -> None:
    """A new password (None: none, sign-in through the identity provider only)."""
    hashed = hash_password(password) if password is not None else None
    _update(db, username, "password_hash = ?", [hashed])


def set_disabled(db: Path | str, username: str, disabled: bool) -> None:
    _update(db, username, "disabled = ?", [disabled])


def _update(db: Path | str, username: str, assignment: str, values: list) -> None:
    name = normal(username)
    with _writing(db) as con:
        if not con.execute("SELECT 1 FROM account WHERE username = ?", [name]).fetchone():
            raise AccountError(f"no user {name!r} (see: python -m data_loaders.accounts list)", NOT_FOUND)
        con.execute(f"UPDATE account SET {assignment} WHERE username = ?", [*values, name])


@contextlib.contextmanager
def _writing(db: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """``migrate.writing`` on the upgraded database; a schema changed meanwhile is an AccountError."""
    path = _existing(db)
    try:
        with migrate.writing(path) as con:
            yield con
    except migrate.SchemaError as err:
        raise AccountError(f"{db}: {err}", BAD_INPUT) from err


def _existing(db: Path | str) -> Path:
    """The database, upgraded to this release's schema (older ones have no account table)."""
    if not is_remote(db) and not Path(db).exists():
        raise AccountError(
            f"no database at {db}: build it first (python -m data_loaders.build) or start the app once", NOT_FOUND
        )
    try:
        migrate.ensure_current(db)
    except migrate.SchemaError as err:
        raise AccountError(f"{db}: {err}", BAD_INPUT) from err
    return Path(db)


def reach_problems(account: Account | None, files: list) -> None:
    """Refuse, inside each checked file (``importers.ParsedFile``), what the account may not import.

    An admin may import anything. A school reporter only their own school's yearly figures
    (``SCHOOL_FIGURES``): a file of the register or set-up (schools, school history, indicators,
    totals), a row naming another school, a municipality-wide row (a ``scope`` that is the
    municipality) or a row of another municipality refuses the whole file. Anyone else
    may import nothing. A refused file keeps no rows, so it cannot be applied."""
    if account is not None and account.may("import_any_school"):
        return
    for parsed in files:
        if not parsed.ok:
            continue
        if account is None or not account.may("import"):
            reason = "this account may not import files"
            parsed.problems.append(Problem(parsed.name, None, None, reason, "no_import_right"))
        else:
            _school_figures_only(parsed, account)
            if not parsed.problems:
                _own_school_only(parsed, account)
        if parsed.problems:
            parsed.tables, parsed.replaces, parsed.replaces_from, parsed.warnings = {}, {}, {}, []


def reach_now(username: str) -> Callable[[duckdb.DuckDBPyConnection, list], None]:
    """``reach_problems`` with the account as the database holds it at the write (``importers.apply``
    calls it under the writer lock): an account disabled, removed or given another school while its
    files were read (up to minutes for a large upload) imports nothing it may no longer."""

    def check(con: duckdb.DuckDBPyConnection, files: list) -> None:
        account = find(con, username)
        reach_problems(None if account is None or account.disabled else account, files)

    return check


def _school_figures_only(parsed, account: Account) -> None:
    """A school reporter sends the school's yearly figures, never the register the municipality
    keeps: a school's own ``school`` or ``school_event`` row could otherwise rename it, move it or
    close it (and so take it out of the reporting round)."""
    for table in parsed.tables:
        if table not in SCHOOL_FIGURES:
            reason = f"{table}: a school reporter may import only their own school's yearly figures"
            params = {"table": table, "own": account.school_id or ""}
            parsed.problems.append(Problem(parsed.name, None, None, reason, "reporter_not_school_figures", params))


def _own_school_only(parsed, account: Account) -> None:
    own = account.school_id
    seen: set[str] = set()
    for rows in parsed.tables.values():
        for index, row in enumerate(rows, start=2):
            named = row.get("school_id", row.get("scope"))
            if named == own or str(named) in seen:
                continue
            seen.add(str(named))
            if named is None or named in (row.get("municipality"), account.municipality):
                where = row.get("municipality") or str(named)
                reason = f"a row for the municipality {where} as a whole: a school reporter sends only {own}'s figures"
                code, params = "reporter_municipal_row", {"own": own, "where": where}
            else:
                reason = f"a row for {named}: a school reporter sends only {own}'s figures"
                code, params = "reporter_other_school", {"own": own, "school": str(named)}
            column = next((c for c in ("school_id", "scope") if c in row), None)
            parsed.problems.append(Problem(parsed.name, index, column, reason, code, params))


# --- command line ---------------------------------------------------------------------------


def _read_password(args: argparse.Namespace, stdin) -> str | None:
    if getattr(args, "no_password", False):
        return None
    if args.password_stdin:
        line = stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise AccountError("the two passwords differ")
    return first


def main(argv: list[str] | None = None, stdin=None) -> int:
    stdin = stdin or sys.stdin
    parser = argparse.ArgumentParser(
        prog="python -m data_loaders.accounts", description="Named accounts of the PMP dashboard."
    )
    parser.add_argument("--db", help="database file (default: the db setting, PMP_DB, or data/pmp.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True)

    add_cmd = commands.add_parser("add", help="create an account")
    add_cmd.add_argument("username", help="user name, or the e-mail address the identity provider gives (st.login)")
    add_cmd.add_argument("--role", required=True, choices=ROLES)
    add_cmd.add_argument("--school", help="school_id of a school reporter's school")
    add_cmd.add_argument("--name", help="display name (default: the user name)")
    given = add_cmd.add_mutually_exclusive_group()
    given.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    given.add_argument("--no-password", action="store_true", help="no password: signs in through st.login only")

    commands.add_parser("list", help="list the accounts (never the password hashes)")
    for name, text in (("disable", "stop an account from signing in"), ("enable", "let a disabled account in again")):
        commands.add_parser(name, help=text).add_argument("username")
    passwd = commands.add_parser("passwd", help="set a new password")
    passwd.add_argument("username")
    passwd_given = passwd.add_mutually_exclusive_group()
    passwd_given.add_argument("--password-stdin", action="store_true", help="read it from the first line of stdin")
    passwd_given.add_argument("--no-password", action="store_true", help="remove it: st.login only")

    for sub in commands.choices.values():  # --db after the command works too
        sub.add_argument("--db", dest="db_", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    db = args.db_ or args.db or database_path()
    try:
        if args.command == "add":
            account = add(
                db,
                args.username,
                args.role,
                school_id=args.school,
                display_name=args.name,
                password=_read_password(args, stdin),
            )
            where = f" ({account.school_id}, {account.municipality})" if account.school_id else ""
            print(f"added {account.username}: {account.role}{where}")
        elif args.command == "list":
            print("username\trole\tschool_id\tdisplay_name\tpassword\tdisabled")
            for a in list_accounts(db):
                password = "yes" if a.has_password else "no (st.login)"
                cells = (a.username, a.role, a.school_id or "", a.display_name, password, "yes" if a.disabled else "")
                print("\t".join(cells))
        elif args.command in ("disable", "enable"):
            set_disabled(db, args.username, args.command == "disable")
            print(f"{normal(args.username)}: {args.command}d")
        elif args.command == "passwd":
            set_password(db, args.username, _read_password(args, stdin))
            print(f"{normal(args.username)}: password changed")
    except AccountError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
