"""Wrong sign-in attempts, counted in one file shared by every session, process and replica.

The state is a small SQLite file beside the database (``<db>.signin``, or the ``throttle_file``
setting): SQLite locks it for each change, so processes and replicas that reach the same folder
count together. Each key (a user name, the viewing password, and one global key for all of them)
keeps its failures in a row and the time before which further attempts are refused.

An attempt is counted as a failure when it starts (``begin``), before the password is checked, so
many attempts sent at once cannot all slip through before the first failure is written; a right
password then clears the user's count (``succeeded``). An attempt while a key is locked is refused
without checking the password at all, and the caller is told how many seconds to wait.
"""

from __future__ import annotations

import math
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GLOBAL_KEY = "*"


@dataclass(frozen=True)
class Policy:
    free: int  # failures in a row without any wait
    first_wait: float  # seconds to wait after failure number ``free``; doubles with each further one
    max_wait: float
    forget_after: float  # a count with no failure for this long starts again from 0

    def wait_after(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(self.max_wait, self.first_wait * 2 ** min(failures - self.free, 30))


# One user (or the viewing password): 3 tries, then 5 s, 10 s, 20 s ... up to 15 minutes.
PER_KEY = Policy(free=3, first_wait=5.0, max_wait=900.0, forget_after=86_400.0)
# Everyone together (guessing across many user names): 30 failures in a row, then 1 s ... 60 s.
OVERALL = Policy(free=30, first_wait=1.0, max_wait=60.0, forget_after=900.0)


@dataclass(frozen=True)
class Attempt:
    allowed: bool
    wait: int  # whole seconds until the next attempt is allowed (0: none needed)


def key_for(name: str) -> str:
    return "user:" + name.strip().lower()[:200]


class Throttle:
    """``with``-free and short-lived: each call opens the file, changes it in one transaction, closes it."""

    def __init__(
        self,
        path: Path | str,
        clock: Callable[[], float] = time.time,
        per_key: Policy = PER_KEY,
        overall: Policy = OVERALL,
    ):
        self.path = Path(path)
        self.clock = clock
        self.per_key = per_key
        self.overall = overall

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.execute(
            "CREATE TABLE IF NOT EXISTS attempt "
            "(key TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until REAL NOT NULL, last_failure REAL NOT NULL)"
        )
        return con

    def _policy(self, key: str) -> Policy:
        return self.overall if key == GLOBAL_KEY else self.per_key

    def _read(self, con: sqlite3.Connection, key: str, now: float) -> tuple[int, float]:
        row = con.execute("SELECT failures, locked_until, last_failure FROM attempt WHERE key = ?", [key]).fetchone()
        if row is None or now - row[2] > self._policy(key).forget_after:
            return 0, 0.0
        return int(row[0]), float(row[1])

    def wait(self, name: str) -> int:
        """Seconds before ``name`` may try again (0: now)."""
        now = self.clock()
        con = self._connect()
        try:
            until = max(self._read(con, k, now)[1] for k in (key_for(name), GLOBAL_KEY))
        finally:
            con.close()
        return max(0, math.ceil(until - now))

    def begin(self, name: str) -> Attempt:
        """Start an attempt for ``name``: refused while locked; else counted as a failure until ``succeeded``."""
        keys = (key_for(name), GLOBAL_KEY)
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")  # one writer at a time across processes
            try:
                now = self.clock()  # read under the lock: a time read while waiting for it is already stale
                state = {k: self._read(con, k, now) for k in keys}
                until = max(locked for _, locked in state.values())
                if until > now:
                    con.execute("COMMIT")
                    return Attempt(False, max(1, math.ceil(until - now)))
                for key, (failures, _) in state.items():
                    failures += 1
                    wait = self._policy(key).wait_after(failures)
                    # no wait, no lock: an attempt whose time was read a moment earlier is not refused
                    locked = now + wait if wait > 0 else 0.0
                    con.execute(
                        "INSERT OR REPLACE INTO attempt VALUES (?, ?, ?, ?)",  # key, failures, locked_until, last
                        [key, failures, locked, now],
                    )
                # forgotten rows go, so names typed once do not pile up
                con.execute("DELETE FROM attempt WHERE last_failure < ?", [now - self.per_key.forget_after])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            con.close()
        return Attempt(True, 0)

    def succeeded(self, name: str) -> None:
        """The password was right: ``name`` starts again from 0; the global count takes this attempt back."""
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute("DELETE FROM attempt WHERE key = ?", [key_for(name)])
            con.execute("UPDATE attempt SET failures = max(0, failures - 1) WHERE key = ?", [GLOBAL_KEY])
            con.execute("COMMIT")
        finally:
            con.close()

    def failures(self, name: str) -> int:
        now = self.clock()
        con = self._connect()
        try:
            return self._read(con, key_for(name), now)[0]
        finally:
            con.close()
