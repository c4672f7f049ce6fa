"""Headline figures on the real sample data match the programmes' documents."""

from __future__ import annotations

import duckdb
import pytest

from metrics.filters import Filters
from metrics.registry import compute


@pytest.fixture(scope="module")
def con(sample_db):
    connection = duckdb.connect(str(sample_db), read_only=True)
    yield connection
    connection.close()


def test_ludza_pupils_2022_and_2023(con):
    frame = compute(con, "pupils_total", Filters(municipality="LUD"))
    assert frame[["school_year", "pupils", "schools"]].values.tolist() == [
        ["2022/2023", 1878, 9],
        ["2023/2024", 1765, 8],
    ]


def test_jekabpils_pupils_2022(con):
    assert compute(con, "pupils_total", Filters(municipality="JEK"))["pupils"].tolist() == [4264]


def test_ludza_only_one_school_meets_the_staff_norm_in_2022(con):
    row = compute(con, "schools_below_staff_norm", Filters(municipality="LUD")).iloc[0]
    assert (row.school_year, row.schools_reporting, row.schools_meeting_norm) == ("2022/2023", 8, 1)


def test_ludza_pumpurs_283_pupils_and_jekabpils_plans(con):
    ludza = compute(con, "pumpurs_participants", Filters(municipality="LUD"))
    assert ludza[["period", "participants"]].values.tolist() == [["2021/2022-2022/2023", 283]]
    jek = compute(con, "pumpurs_iap", Filters(municipality="JEK"))
    assert int(jek["iap_count"].sum()) == 1788
