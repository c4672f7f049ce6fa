"""School profile rules (metrics/profile.py): which row a card shows, merge notes, the staff norm per
school, and that a school's counts are hidden exactly where the municipal pages hide them."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics import profile, staffing
from metrics.filters import Filters
from metrics.registry import compute
from presentation import profile as profile_text
from tests import factories

Y22, Y23 = "2022/2023", "2023/2024"


def _rows(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def test_latest_takes_the_last_row_in_the_chosen_years_and_a_hidden_count_is_a_figure():
    frame = _rows(
        {"start_year": 2021, "end_year": 2022, "pupils": 28.0, "pupils_hidden": False, "source": "span"},
        {"start_year": 2022, "end_year": 2022, "pupils": None, "pupils_hidden": True, "source": "hidden"},
        {"start_year": 2023, "end_year": 2023, "pupils": None, "pupils_hidden": False, "source": "empty"},
    )
    assert profile.latest(frame, [], "pupils")["source"] == "hidden"  # "<5" is a figure, an empty row is not
    assert profile.latest(frame, [2021], "pupils")["source"] == "span"  # a span that includes the chosen year
    assert profile.latest(frame, [2023], "pupils") is None  # no figure that year: "no data", never 0
    assert profile.latest(frame, [2023])["source"] == "empty"  # without a column, any row counts
    assert profile.chosen(frame, [2022]).tolist() == [True, True, False]
    assert profile.latest(frame.iloc[0:0], [2022], "pupils") is None  # an empty frame keeps its columns


def test_merge_note_names_the_school_merged_into_and_the_schools_merged_in():
    schools = _rows(
        {"school_id": "a", "name": "A", "merged_into": None, "merged_year": None},
        {"school_id": "b", "name": "B", "merged_into": "a", "merged_year": 2022},
        {"school_id": "c", "name": "C", "merged_into": "a", "merged_year": 2018},
        {"school_id": "d", "name": "D", "merged_into": None, "merged_year": None},
    )
    assert profile.merge_note(schools, "b") == ("merged_into", {"school": "A", "year": 2022})
    assert profile.merge_note(schools, "a") == ("absorbed", {"schools": "C (2018), B (2022)"})
    assert profile.merge_note(schools, "d") is None


def _assessed(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["pupils_hidden"] = False
    return staffing.assess(frame, staffing.DEFAULT_RULE.params())


def _staff_rows(school: str, fte: dict[str, float | None], reporting: bool = True, year: str = Y22) -> list[dict]:
    return [
        {"school_id": school, "school": school, "school_year": year, "start_year": int(year[:4]), "role": role,
         "fte": fte.get(role), "reporting": reporting, "pupils": 100, "source": "s"}
        for role in staffing.ROLES
    ]  # fmt: skip


def test_norm_met_counts_the_four_roles_and_a_school_without_a_report_has_no_data():
    cells = _assessed(
        _staff_rows("a", {"psychologist": 0.3, "speech_therapist": 0.2, "special_educator": 1.0})
        + _staff_rows("b", {}, reporting=False)
    )
    assert profile.norm_met(cells[cells["school_id"] == "a"]) == (2, 4)  # exactly 0.3 meets it; not listed is below
    assert profile.norm_met(cells[cells["school_id"] == "b"]) is None
    grid = profile_text.staff_cells(cells, lambda v: f"{v:.1f}", "no data", "not listed")
    labels = grid.set_index(["school_id", "role"])["label"].to_dict()
    assert labels[("a", "speech_therapist")] == "0.2"
    assert labels[("a", "social_pedagogue")] == "not listed"
    assert labels[("b", "psychologist")] == "no data"
    assert set(grid["role"]) == set(staffing.NORM_ROLES)  # context roles have no norm to colour


def test_left_school_prefers_the_dropout_indicator_and_falls_back_to_expelled():
    rows = _rows(
        {"topic": "expelled", "pupils": 3.0, "pupils_hidden": False},
        {"topic": "dropped_out", "pupils": None, "pupils_hidden": True},
    )
    assert profile.left_school(rows)[0] == "dropped_out"
    assert profile.left_school(rows[rows["topic"] == "expelled"])[0] == "expelled"
    topic, none = profile.left_school(_rows({"topic": "repeaters", "pupils": 2.0, "pupils_hidden": False}))
    assert topic is None and none.empty


def test_outcome_text_shows_hidden_counts_as_hidden_and_a_row_without_figures_as_a_dash():
    rows = _rows(
        {"pupils": None, "pupils_hidden": True, "share_pct": None, "share_basis": None, "hours_per_pupil": None},
        {"pupils": 6.0, "pupils_hidden": False, "share_pct": 6.5, "share_basis": "computed", "hours_per_pupil": 33.0},
        {"pupils": None, "pupils_hidden": False, "share_pct": 10.0, "share_basis": "printed", "hours_per_pupil": None},
        {"pupils": None, "pupils_hidden": False, "share_pct": None, "share_basis": None, "hours_per_pupil": None},
        {"pupils": 0.0, "pupils_hidden": False, "share_pct": 0.0, "share_basis": "computed", "hours_per_pupil": None},
    )
    texts = profile_text.outcome_text(
        rows,
        lambda v, hidden: "<5" if hidden else f"{v:.0f}",
        lambda v, printed: f"{v:g}%" + ("*" if printed else ""),
        lambda v: f"{v:g} h",
    )
    assert texts == ["<5", "6 · 6.5% · 33 h", "10%*", "–", "0 · 0%"]


# A school's figures on the profile are the municipal frame's cells: secondary suppression holds there.
@pytest.fixture
def con(tiny_db):
    return tiny_db(
        {
            "municipality": [factories.municipality("AAA")],
            "school": [factories.school(s) for s in ("a", "b", "c")],
            "enrolment": [
                factories.enrolment("a", Y22, 3),  # hidden
                factories.enrolment("b", Y22, 40),  # hidden with it, or a = total - b - c
                factories.enrolment("c", Y22, 200),
                factories.enrolment("b", Y23, 42),
            ],
        }
    )


def test_a_count_hidden_to_protect_another_school_stays_hidden_on_the_profile(con):
    whole = compute(con, "pupils_by_school", Filters(municipality="AAA"))
    b = profile.of_school(whole, "b")
    assert b.loc[b["school_year"] == Y22, "pupils_hidden"].item()  # as on the Overview
    alone = compute(con, "pupils_by_school", Filters(municipality="AAA", schools=("b",)))
    assert alone.loc[alone["school_year"] == Y22, "pupils_hidden"].item()  # the registry keeps it hidden too
    assert profile.hidden_years((b, ["pupils"])) == {Y22}


def test_risk_lines_hide_every_figure_of_a_period_the_municipal_frames_hide():
    def group(period: str, name: str, pupils: float) -> dict:
        return {"period": period, "start_year": int(period[:4]), "end_year": int(period[:4]), "risk_group": name,
                "share_basis": "counts", "pupils": pupils, "identified": 40.0, "enrolled": 200.0,
                "per_100": pupils / 2, "identified_per_100": 20.0, "source": "s"}  # fmt: skip

    groups = pd.DataFrame([group(p, g, 10.0) for p in (Y22, Y23) for g in ("learning_school", "family")])
    for column in ("pupils", "identified", "enrolled", "per_100", "identified_per_100"):
        groups[f"{column}_hidden"] = False
    lines = profile.risk_lines(groups, {Y22})
    hidden, shown = lines[lines["period"] == Y22], lines[lines["period"] == Y23]
    assert hidden[["pupils", "identified", "per_100", "identified_per_100"]].isna().all().all()
    assert hidden["per_100_hidden"].all() and hidden["pupils_hidden"].all()
    assert set(shown["risk_group"]) == {"total", "learning_school", "family"}
    assert shown.loc[shown["risk_group"] == "total", "per_100"].item() == 20.0
    assert not shown["per_100_hidden"].any()
