"""Named accounts: argon2 hashes only, the command line, sign-in, and a school reporter's reach."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest

from data_loaders import accounts, importers
from data_loaders.tables import TABLES
from data_loaders.throttle import Throttle
from tests.factories import FIGURES, MUN, SCHOOL, YEAR, fill_annex6
from tests.loaders.test_system_of_record import digest
from tests.signin import PASSWORD

OTHER = "demo_parauga_2_vidusskola"  # another school of the same municipality


def _rows(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT username, role, school_id, municipality, password_hash FROM account").fetchall()


def _cli(db, *args: str, stdin: str = "") -> int:
    return accounts.main([*args, "--db", str(db)], stdin=io.StringIO(stdin))


def test_passwords_are_stored_only_as_salted_argon2_hashes(db):
    accounts.add(db, "anna", "admin", password=PASSWORD)
    accounts.add(db, "berta", "viewer", password=PASSWORD)
    hashes = [row[4] for row in _rows(db)]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert hashes[0] != hashes[1]  # a salt of its own: the same password hashes differently
    raw = db.read_bytes()
    assert PASSWORD.encode() not in raw and PASSWORD.encode("utf-16-le") not in raw


def test_verify_right_wrong_unknown_disabled_and_provider_only(db):
    accounts.add(db, "Anna", "admin", display_name="Anna Bērziņa", password=PASSWORD)
    accounts.add(db, "olga@novads.lv", "viewer")  # no password: st.login only
    found = accounts.verify(db, "ANNA ", PASSWORD)  # user names compare without case
    assert found and (found.username, found.display_name, found.role) == ("anna", "Anna Bērziņa", "admin")
    assert accounts.verify(db, "anna", PASSWORD + "x") is None
    assert accounts.verify(db, "nobody", PASSWORD) is None
    assert accounts.verify(db, "olga@novads.lv", "") is None
    accounts.set_disabled(db, "anna", True)
    assert accounts.verify(db, "anna", PASSWORD) is None
    accounts.set_disabled(db, "anna", False)
    assert accounts.verify(db, "anna", PASSWORD)


def test_an_unknown_user_costs_the_same_hash_check(db, monkeypatch):
    """No timing oracle: a missing, disabled or password-less user is checked against a hash too."""
    accounts.add(db, "anna", "admin", password=PASSWORD)
    checked = []
    real = accounts._hasher

    class Spy:
        def hash(self, password):
            return real.hash(password)

        def verify(self, stored, password):
            checked.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(accounts, "_hasher", Spy())
    for user in ("anna", "nobody"):
        accounts.verify(db, user, "wrong password")
    assert len(checked) == 2 and all(h.startswith("$argon2id$") for h in checked)


def test_the_command_line_creates_lists_disables_and_changes_passwords(db, capsys):
    assert _cli(db, "add", "anna", "--role", "admin", "--name", "Anna", "--password-stdin", stdin=PASSWORD + "\n") == 0
    assert _cli(db, "add", "ezer", "--role", "school_reporter", "--school", SCHOOL, "--no-password") == 0
    assert _rows(db)[1][1:4] == ("school_reporter", SCHOOL, MUN)  # the school's municipality goes with it
    assert _cli(db, "list") == 0
    out = capsys.readouterr().out
    assert "anna\tadmin\t\tAnna\tyes" in out and f"ezer\tschool_reporter\t{SCHOOL}" in out
    assert "$argon2" not in out  # never the hashes
    assert _cli(db, "disable", "anna") == 0 and accounts.verify(db, "anna", PASSWORD) is None
    assert _cli(db, "enable", "anna") == 0
    assert _cli(db, "passwd", "anna", "--password-stdin", stdin="jauna-parole-99\n") == 0
    assert accounts.verify(db, "anna", "jauna-parole-99") and not accounts.verify(db, "anna", PASSWORD)


@pytest.mark.parametrize(
    ("args", "stdin", "code", "says"),
    [
        (["add", "x1", "--role", "school_reporter", "--no-password"], "", accounts.BAD_INPUT, "needs --school"),
        (["add", "x1", "--role", "viewer", "--school", SCHOOL, "--no-password"], "", accounts.BAD_INPUT, "only a"),
        (
            ["add", "x1", "--role", "school_reporter", "--school", "nav", "--no-password"],
            "",
            accounts.NOT_FOUND,
            "unknown school",
        ),
        (["add", "anna", "--role", "viewer", "--no-password"], "", accounts.EXISTS, "already exists"),
        (["add", "ANNA", "--role", "viewer", "--no-password"], "", accounts.EXISTS, "already exists"),
        (["add", "x y", "--role", "viewer", "--no-password"], "", accounts.BAD_INPUT, "user name"),
        (["add", "x1", "--role", "viewer", "--password-stdin"], "short\n", accounts.BAD_INPUT, "at least 10"),
        (["passwd", "ghost", "--no-password"], "", accounts.NOT_FOUND, "no user"),
        (["disable", "ghost"], "", accounts.NOT_FOUND, "no user"),
    ],
)
def test_the_command_line_refuses_clearly(db, capsys, args, stdin, code, says):
    accounts.add(db, "anna", "admin", password=PASSWORD)
    before = db.read_bytes()
    assert _cli(db, *args, stdin=stdin) == code
    assert says in capsys.readouterr().err
    assert db.read_bytes() == before  # nothing written


def test_a_missing_database_is_named(tmp_path, capsys):
    assert _cli(tmp_path / "none.duckdb", "add", "anna", "--role", "viewer", "--no-password") == accounts.NOT_FOUND
    assert "build it first" in capsys.readouterr().err


def test_an_unknown_role_is_an_argparse_error(db):
    with pytest.raises(SystemExit) as stop:
        _cli(db, "add", "anna", "--role", "root", "--no-password")
    assert stop.value.code == 2


def test_sign_in_goes_through_the_throttle(db, tmp_path, monkeypatch):
    accounts.add(db, "anna", "admin", password=PASSWORD)
    now = [1_000_000.0]
    gate = Throttle(tmp_path / "signin", clock=lambda: now[0])
    for _ in range(3):
        assert accounts.sign_in(db, "anna", "wrong password", gate).account is None
    checked = []
    monkeypatch.setattr(accounts, "verify", lambda *a: checked.append(a))
    refused = accounts.sign_in(db, "anna", PASSWORD, gate)  # locked: the password is not even checked
    assert refused.throttled and refused.wait == 5 and refused.account is None and checked == []
    monkeypatch.undo()
    now[0] += 5
    assert accounts.sign_in(db, "anna", PASSWORD, gate).account.username == "anna"
    assert gate.failures("anna") == 0  # the right password starts the count again


# --- what a school reporter may import -------------------------------------------------------


def _csv(table: str, rows: list[dict]) -> tuple[str, bytes]:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TABLES[table].columns)
    writer.writeheader()
    writer.writerows([{c: row.get(c, "") for c in TABLES[table].columns} for row in rows])
    return f"{table}.csv", out.getvalue().encode()


def _risk(scope: str) -> dict:
    return {
        "municipality": MUN,
        "scope": scope,
        "period": YEAR,
        "start_year": "2025",
        "end_year": "2025",
        "risk_group": "family",
        "pupils": "4",
        "population": "pupils",
        "source": "x",
    }


def _checked(db, files, account):
    parsed = importers.check(db, [importers.parse(name, data) for name, data in files])
    accounts.reach_problems(account, parsed)
    return parsed


def test_a_school_reporter_imports_only_their_own_school(db):
    accounts.add(db, "ezer", "school_reporter", school_id=SCHOOL, password=PASSWORD)
    reporter = accounts.lookup(db, "ezer")
    own, other = _checked(
        db, [("ezermala.xlsx", fill_annex6(FIGURES)), ("cita.xlsx", fill_annex6(FIGURES, school=OTHER))], reporter
    )
    (whole,) = _checked(db, [_csv("risk", [_risk(MUN)])], reporter)  # the municipality as a whole
    (mixed,) = _checked(db, [_csv("risk", [_risk(SCHOOL), _risk(OTHER)])], reporter)
    assert own.ok, own.problems
    assert not other.ok and {p.code for p in other.problems} == {"reporter_other_school"}
    assert other.problems[0].params == {"own": SCHOOL, "school": OTHER} and other.tables == {}
    assert [p.code for p in whole.problems] == ["reporter_municipal_row"]
    assert [(p.code, p.row, p.column) for p in mixed.problems] == [("reporter_other_school", 3, "scope")]
    ids = importers.apply(db, [own, other], reporter.username)  # the refused one writes nothing
    assert len(ids) == 1
    with duckdb.connect(str(db), read_only=True) as con:
        logged = con.execute("SELECT imported_by, school_id FROM import_log WHERE import_id = ?", ids).fetchone()
        schools = con.execute("SELECT DISTINCT school_id FROM enrolment WHERE school_year = ?", [YEAR]).fetchall()
    assert logged == ("ezer", SCHOOL) and schools == [(SCHOOL,)]


def test_a_school_reporter_cannot_change_the_school_register(db):
    """Their own school's register row or history would rename it, move it to another municipality
    or close it, taking it out of the reporting round: the admin's, not the reporter's."""
    accounts.add(db, "ezer", "school_reporter", school_id=SCHOOL, password=PASSWORD)
    reporter = accounts.lookup(db, "ezer")
    school = {
        "school_id": SCHOOL,
        "municipality": "LUD",
        "name": "Cits nosaukums",
        "school_type": "secondary",
        "sector": "general",
        "is_municipal": "false",
        "source": "x",
    }
    closed = {"school_id": SCHOOL, "event": "closed", "event_date": "2020-06-30", "source": "x"}
    files = [_csv("school", [school]), _csv("school_event", [closed])]
    as_admin = importers.check(db, [importers.parse(name, data) for name, data in files])
    assert all(p.ok for p in as_admin)  # valid files: only the role refuses them
    refused = _checked(db, files, reporter)
    assert [[(p.code, p.params) for p in f.problems] for f in refused] == [
        [("reporter_not_school_figures", {"table": "school", "own": SCHOOL})],
        [("reporter_not_school_figures", {"table": "school_event", "own": SCHOOL})],
    ]
    assert all(f.tables == {} for f in refused) and importers.apply(db, refused, reporter.username) == []
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT name, municipality FROM school WHERE school_id = ?", [SCHOOL]).fetchone() == (
            "Ezermalas vidusskola",
            MUN,
        )


def test_an_admin_imports_anything_and_a_viewer_nothing(db):
    accounts.add(db, "anna", "admin", password=PASSWORD)
    accounts.add(db, "vera", "viewer", password=PASSWORD)
    files = [("cita.xlsx", fill_annex6(FIGURES, school=OTHER)), _csv("risk", [_risk(MUN)])]
    assert all(p.ok for p in _checked(db, files, accounts.lookup(db, "anna")))
    refused = _checked(db, files, accounts.lookup(db, "vera"))
    assert [p.problems[0].code for p in refused] == ["no_import_right"] * 2
    assert [p.problems[0].code for p in _checked(db, files, None)] == ["no_import_right"] * 2


def test_the_refusal_reads_in_both_languages():
    from presentation.text import catalog

    for lang in ("lv", "en"):
        codes = ("reporter_other_school", "reporter_municipal_row", "reporter_not_school_figures", "no_import_right")
        for code in codes:
            text = catalog(lang)[f"data.problem.{code}"]
            assert text.format(own=SCHOOL, school=OTHER, where=MUN, table="school")


def test_an_account_disabled_while_its_files_were_read_imports_nothing(db):
    """The rights are read again at the write, under the lock, from the database as it is then."""
    accounts.add(db, "ezer", "school_reporter", school_id=SCHOOL, password=PASSWORD)
    reporter = accounts.lookup(db, "ezer")
    (own,) = _checked(db, [("ezermala.xlsx", fill_annex6(FIGURES))], reporter)
    assert own.ok
    accounts.set_disabled(db, "ezer", True)  # by an admin, while the upload was being read
    before = digest(db)
    with pytest.raises(importers.ImportRefused, match="may not import"):
        importers.apply(db, [own], reporter.username, reach=accounts.reach_now(reporter.username))
    assert own.problems[0].code == "no_import_right" and digest(db) == before
    accounts.set_disabled(db, "ezer", False)
    (again,) = _checked(db, [("ezermala.xlsx", fill_annex6(FIGURES))], reporter)
    assert importers.apply(db, [again], reporter.username, reach=accounts.reach_now(reporter.username))
