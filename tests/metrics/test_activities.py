"""The action plan as data: institution names split and normalised, year statuses, the SQL on a
tiny database, and the real plans of Ludza and Jēkabpils."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from metrics.activities import institution_roles, institutions, split_institutions, year_status
from metrics.filters import Filters
from metrics.query import run_sql
from metrics.registry import compute


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Izglītības pārvalde, BJC.", ["Izglītības pārvalde", "BJC"]),
        (
            "Sociālais dienests/Bāriņtiesa, pašvaldības policija",
            ["Sociālais dienests", "Bāriņtiesa", "Pašvaldības policija"],
        ),
        ("Sociālais dienests un bāriņtiesa.", ["Sociālais dienests", "Bāriņtiesa"]),
        ("Izglītības iestādes. Iestāžu vecāku padomes", ["Izglītības iestādes", "Iestāžu vecāku padomes"]),
        ("Izglītības iestādes, NVO – potenciālais pakalpojuma sniedzējs.", ["Izglītības iestādes", "NVO"]),
        ("Izglītības iestāde.", ["Izglītības iestādes"]),  # singular and plural are one body
        ("NVO, Nevalstiskās organizācijas", ["NVO"]),
        ("Plānošanas un attīstības pārvalde", ["Plānošanas un attīstības pārvalde"]),  # one body with "un"
        ("Rēzeknes, Balvu, Preiļu novadu pašvaldības.", ["Rēzeknes, Balvu, Preiļu novadu pašvaldības"]),
        ("", []),
        (None, []),
    ],
)
def test_split_institutions(text, names):
    assert split_institutions(text) == names


def test_roles_responsible_wins_and_the_most_responsible_come_first():
    plan = pd.DataFrame(
        {
            "activity_no": ["1.1", "9.1", "2.1"],
            "responsible_lv": ["Izglītības pārvalde.", "Sociālais dienests", "Izglītības pārvalde"],
            "involved_lv": ["Sociālais dienests", "Izglītības iestādes, sociālais dienests", None],
        }
    )
    roles = institution_roles(plan)
    assert roles[roles["activity_no"] == "9.1"].values.tolist() == [
        ["9.1", "Sociālais dienests", "responsible"],  # also listed as involved: counted once, as responsible
        ["9.1", "Izglītības iestādes", "involved"],
    ]
    assert institutions(roles) == ["Izglītības pārvalde", "Sociālais dienests", "Izglītības iestādes"]


def test_year_status_uses_the_report_and_otherwise_the_calendar():
    timeline = pd.DataFrame({"year": [2024, 2025, 2026, 2027], "status": ["done", None, None, "not_done"]})
    assert year_status(timeline, this_year=2026).tolist() == ["done", "no_report", "planned", "not_done"]


SRC = "test"


def _activity(no, responsible="Izglītības pārvalde", involved=None):
    goal = int(no.split(".")[0])
    return {"municipality": "AAA", "activity_no": no, "prevention_level": "tailored", "goal_no": goal,
            "goal_lv": "M", "goal_en": "G", "activity_lv": f"A{no}", "activity_en": f"E{no}",
            "responsible_lv": responsible, "involved_lv": involved, "source": SRC}  # fmt: skip


def _year(no, year, active=True):
    return {"municipality": "AAA", "activity_no": no, "year": year, "active": active, "source": SRC}


def _report(no, year, status, participants):
    return {"municipality": "AAA", "activity_no": no, "year": year, "status": status,
            "participants": participants, "done_text": "x", "source": f"{SRC} report"}  # fmt: skip


@pytest.fixture
def con(tiny_db):
    municipality = {"code": "AAA", "name_lv": "A", "name_en": "A", "is_synthetic": False, "plan_start": 2024,
                    "plan_end": 2027, "target_year_1": 2025, "target_year_2": 2027, "source": SRC}  # fmt: skip
    return tiny_db(
        {
            "municipality": [municipality],
            "activity": [_activity("8.10"), _activity("8.9", "Sociālais dienests"), _activity("1.1")],
            "activity_year": [
                _year("8.9", 2024),
                _year("8.9", 2025),
                _year("8.9", 2026, active=False),
                _year("1.1", 2024),
            ],
            "activity_report": [
                _report("8.9", 2024, "done", 40),
                _report("8.9", 2026, "done", 3),  # a report for a year the plan did not foresee
                _report("1.1", 2024, "in_progress", 60),
            ],
        }
    )


def test_plan_sql_orders_activities_by_number_and_lists_active_years(con):
    plan = run_sql(con, "activity_plan.sql", {"municipality": "AAA"})
    assert plan["activity_no"].tolist() == ["1.1", "8.9", "8.10"]
    assert [list(y) for y in plan["years"]] == [[2024], [2024, 2025], []]


def test_timeline_keeps_planned_years_without_report_as_missing_not_not_done(con):
    timeline = run_sql(con, "activity_timeline.sql", {"municipality": "AAA"}).set_index(["activity_no", "year"])
    assert timeline.loc[("8.9", 2024), "status"] == "done"
    assert pd.isna(timeline.loc[("8.9", 2025), "status"])  # planned, nothing filed yet
    assert timeline.loc[("8.9", 2026), "status"] == "done" and pd.isna(timeline.loc[("8.9", 2026), "planned"])
    assert ("8.10", 2024) not in timeline.index  # no year flags, no report: nothing to draw


def test_report_participants_are_suppressed_below_the_threshold(con):
    reports = compute(con, "activity_participants", Filters(municipality="AAA")).set_index(["activity_no", "year"])
    assert bool(reports.loc[("8.9", 2026), "participants_hidden"])
    assert pd.isna(reports.loc[("8.9", 2026), "participants"])
    assert reports["participants_hidden"].sum() == 1  # nothing adds them up: nothing else needs hiding
    revealed = compute(con, "activity_participants", Filters(municipality="AAA", suppress=False))
    assert sorted(revealed["participants"].tolist()) == [3, 40, 60]


@pytest.fixture(scope="module")
def real(sample_db):
    connection = duckdb.connect(str(sample_db), read_only=True)
    yield lambda sql, code: run_sql(connection, sql, {"municipality": code})
    connection.close()


def test_the_social_service_is_responsible_for_family_risk_work(real):
    for code, expected in (("LUD", ["8.5"]), ("JEK", ["9.1"])):
        roles = institution_roles(real("activity_plan.sql", code))
        mine = roles[(roles["institution"] == "Sociālais dienests") & (roles["role"] == "responsible")]
        assert mine["activity_no"].tolist() == expected


def test_real_plans_have_their_years_and_no_reports_yet(real):
    ludza = real("activity_plan.sql", "LUD")
    assert len(ludza) == 26 and ludza["activity_no"].iloc[0] == "1.1"
    assert list(ludza.set_index("activity_no").loc["1.4", "years"]) == [2024]
    jek = real("activity_plan.sql", "JEK")
    assert max(max(y) for y in jek["years"] if len(y)) == 2028  # Jēkabpils runs to 2028
    assert real("activity_reports.sql", "LUD").empty and real("activity_reports.sql", "JEK").empty
    assert set(real("activity_reports.sql", "DEMO")["year"]) == {2024, 2025}
