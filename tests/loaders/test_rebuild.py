"""A build never drops what it cannot bring back: imported files and accounts, also when an import,
an account or another build lands while it waits for the writer lock (two replicas starting on an
empty shared folder, or a rebuild started during an import)."""

from __future__ import annotations

import fcntl
import shutil
import threading
from datetime import datetime

import duckdb
import pytest

from data_loaders import accounts, build, store
from data_loaders.build import LoadError
from tests.loaders.test_system_of_record import digest


def usernames(path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [name for (name,) in con.execute("SELECT username FROM account ORDER BY 1").fetchall()]
    finally:
        con.close()


def test_a_rebuild_does_not_drop_accounts_unless_forced(db):
    accounts.add(db, "anna", "admin", password="a-long-password-1")
    before = digest(db)
    with pytest.raises(LoadError, match=r"1 account\(s\): anna") as err:
        build.build(db)
    assert err.value.problems[0].code == "rebuild_drops_accounts" and "--force" in str(err.value)
    assert digest(db) == before
    build.build(db, force=True)  # the operator's choice: start again
    assert usernames(db) == []


def while_it_waits_for_the_lock(monkeypatch, db, work, meanwhile) -> None:
    """Run ``work`` in a thread while this thread holds ``db``'s writer lock; once the thread is about
    to take the lock, run ``meanwhile`` (what another process commits in that moment), then let go."""
    lock_path = db.with_name(db.name + ".lock")
    lock_path.touch()
    real_flock, waiting, main = fcntl.flock, threading.Event(), threading.get_ident()

    def flock(handle, operation):
        if operation == fcntl.LOCK_EX and threading.get_ident() != main:
            waiting.set()
        return real_flock(handle, operation)

    monkeypatch.setattr(store.fcntl, "flock", flock)
    errors: list[BaseException] = []

    def run():
        try:
            work()
        except BaseException as err:  # handed to the test
            errors.append(err)

    with lock_path.open("a") as handle:
        real_flock(handle, fcntl.LOCK_EX)
        thread = threading.Thread(target=run)
        thread.start()
        while not waiting.wait(0.05) and thread.is_alive():  # a condition, not a sleep
            pass
        if errors:  # it failed before it asked for the lock
            raise errors[0]
        assert waiting.is_set(), "the build ended without asking for the lock"
        meanwhile()
        real_flock(handle, fcntl.LOCK_UN)
    thread.join(300)
    assert not thread.is_alive(), "the build did not finish"
    if errors:
        raise errors[0]


def _import_committed(db) -> None:
    """What an import's commit leaves in the file (written here directly: the lock is this test's)."""
    con = duckdb.connect(str(db))
    try:
        con.execute(
            "INSERT INTO import_log (import_id, imported_at, imported_by, file_name, sha256, rows_json, result, kind) "
            "VALUES ('imp-race', $at, 'anna', 'enrolment.csv', repeat('0', 64), '{}', 'imported', 'csv:enrolment')",
            {"at": datetime(2026, 12, 7, 12)},
        )
    finally:
        con.close()


def test_an_import_that_lands_while_a_rebuild_waits_for_the_lock_is_kept(monkeypatch, db):
    with pytest.raises(LoadError, match=r"enrolment\.csv"):
        while_it_waits_for_the_lock(monkeypatch, db, lambda: build.build(db), lambda: _import_committed(db))
    assert build.imports_kept(db)[0][0] == "enrolment.csv"  # the import is still there


def test_two_first_starts_at_once_build_the_database_once(monkeypatch, tmp_path, sample_db):
    """Replica 2 finds no database and waits for the lock while replica 1 builds it and the operator
    adds the first account: replica 2 then leaves that database as it is."""
    db = tmp_path / "shared" / "pmp.duckdb"
    db.parent.mkdir()

    def first_replica_and_the_operator():
        shutil.copyfile(sample_db, db)
        accounts_con = duckdb.connect(str(db))
        accounts_con.execute(
            "INSERT INTO account (username, display_name, role, created_at) VALUES ('anna', 'Anna', 'admin', now())"
        )
        accounts_con.close()

    while_it_waits_for_the_lock(monkeypatch, db, lambda: build.ensure_database(db), first_replica_and_the_operator)
    assert usernames(db) == ["anna"]
