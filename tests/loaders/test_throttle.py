"""Wrong sign-in attempts are counted in a file that every session, process and replica shares.

No real waiting: the clock is injected; the processes below share only the file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from data_loaders.throttle import OVERALL, PER_KEY, Policy, Throttle
from tests.conftest import ROOT

T0 = 1_800_000_000.0


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def fail(gate: Throttle, name: str, times: int = 1) -> list[bool]:
    return [gate.begin(name).allowed for _ in range(times)]


def test_three_tries_then_a_doubling_wait_and_a_right_password_resets(tmp_path, clock):
    gate = Throttle(tmp_path / "signin", clock=clock)
    assert fail(gate, "anna", 3) == [True, True, True]
    assert gate.wait("anna") == 5
    refused = gate.begin("anna")
    assert not refused.allowed and refused.wait == 5 and gate.failures("anna") == 3  # refusals do not count
    clock.now += 5
    assert fail(gate, "anna") == [True] and gate.wait("anna") == 10
    clock.now += 10
    assert fail(gate, "anna") == [True] and gate.wait("anna") == 20
    assert [PER_KEY.wait_after(n) for n in (1, 2, 3, 4, 5, 30)] == [0, 0, 5, 10, 20, PER_KEY.max_wait]
    clock.now += 20
    assert gate.begin("anna").allowed
    gate.succeeded("anna")
    assert gate.failures("anna") == 0 and gate.wait("anna") == 0


def test_names_are_counted_apart_and_without_case(tmp_path, clock):
    gate = Throttle(tmp_path / "signin", clock=clock)
    fail(gate, "Anna ", 3)
    assert gate.wait("anna") == 5 and gate.wait("berta") == 0


def test_two_sessions_share_the_count(tmp_path, clock):
    """Two Throttle objects (two sessions, or two processes) on one file: one count."""
    one, two = Throttle(tmp_path / "signin", clock=clock), Throttle(tmp_path / "signin", clock=clock)
    fail(one, "anna", 2)
    fail(two, "anna")
    assert not one.begin("anna").allowed and not two.begin("anna").allowed


def test_a_free_try_is_not_refused_because_another_process_wrote_a_later_time(tmp_path):
    """Two processes whose clocks are a moment apart (or one that read the time before the other
    wrote): a failure within the free tries locks no one, so the earlier time is not refused."""
    later, earlier = Clock(), Clock()
    later.now += 1
    fail(Throttle(tmp_path / "signin", clock=later), "anna")
    assert fail(Throttle(tmp_path / "signin", clock=earlier), "anna") == [True]
    assert Throttle(tmp_path / "signin", clock=earlier).failures("anna") == 2


def test_the_time_is_read_under_the_lock(tmp_path):
    """The clock is read only once the file's write lock is held, so no attempt compares the lock
    against a time taken while it waited for another process."""
    path = tmp_path / "signin"
    gate = Throttle(path)
    seen = []

    def clock():
        con = sqlite3.connect(path, timeout=0)
        try:
            con.execute("BEGIN IMMEDIATE")  # must fail: begin() holds the lock while it reads the time
            seen.append("free")
            con.execute("ROLLBACK")
        except sqlite3.OperationalError:
            seen.append("locked")
        finally:
            con.close()
        return T0

    gate.wait("anna")  # create the file
    gate.clock = clock
    gate.begin("anna")
    assert seen == ["locked"]


def test_a_count_is_forgotten_after_a_quiet_day(tmp_path, clock):
    gate = Throttle(tmp_path / "signin", clock=clock)
    fail(gate, "anna", 5)
    clock.now += PER_KEY.forget_after + 1
    assert gate.failures("anna") == 0 and gate.begin("anna").allowed


def test_guessing_across_many_names_slows_everyone(tmp_path, clock):
    overall = Policy(free=4, first_wait=1.0, max_wait=60.0, forget_after=900.0)
    gate = Throttle(tmp_path / "signin", clock=clock, overall=overall)
    for name in ("a1", "a2", "a3", "a4"):
        assert gate.begin(name).allowed
    assert gate.wait("someone_else") == 1 and not gate.begin("someone_else").allowed
    assert OVERALL.free > PER_KEY.free  # the global key only catches what no single name does


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )


FAIL_IN_ANOTHER_PROCESS = """
import sys
from data_loaders.throttle import Throttle
gate = Throttle(sys.argv[1])
print(sum(gate.begin("anna").allowed for _ in range(int(sys.argv[2]))))
"""


def test_another_process_sees_the_lockout(tmp_path):
    """The state is the file, not the process: wrong attempts in another process lock this one out."""
    path = tmp_path / "signin"
    assert _run(FAIL_IN_ANOTHER_PROCESS, str(path), "3").stdout.strip() == "3"
    here = Throttle(path)
    assert not here.begin("anna").allowed and 1 <= here.wait("anna") <= 5


def test_attempts_at_once_from_many_processes_cannot_slip_through(tmp_path):
    """Each attempt is counted before its password is checked, under SQLite's lock: of 8 processes
    trying at once, exactly the 3 free tries get through."""
    path = tmp_path / "signin"
    Throttle(path).wait("anna")  # create the file first
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", FAIL_IN_ANOTHER_PROCESS, str(path), "1"], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(8)
    ]
    allowed = sum(int(p.communicate(timeout=60)[0].strip()) for p in processes)
    assert allowed == 3
