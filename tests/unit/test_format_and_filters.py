from __future__ import annotations

import pandas as pd
import pytest

from metrics.filters import Filters
from presentation.format import NBSP, fmt_num, fmt_pct, fmt_period, plotly_separators, years_text


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (1878, "lv", 0, f"1{NBSP}878"),
        (1878, "en", 0, "1,878"),
        (3.25, "lv", 2, "3,25"),
        (3.25, "en", 2, "3.25"),
        (1234567.891, "lv", 1, f"1{NBSP}234{NBSP}567,9"),
        (0, "lv", 0, "0"),
    ],
)
def test_numbers_in_latvian_and_english(value, lang, decimals, expected):
    assert fmt_num(value, lang, decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_is_never_zero(missing):
    assert fmt_num(missing, "lv", no_data="nav datu") == "nav datu"
    assert fmt_pct(missing, "en") == "–"


def test_percent_and_period_and_plotly_separators():
    assert fmt_pct(0.9, "lv") == "0,9%"
    assert fmt_pct(0.9, "en") == "0.9%"
    assert fmt_period("2021/2022-2022/2023") == "2021/2022–2022/2023"
    assert plotly_separators("lv") == ", "
    assert plotly_separators("en") == ".,"


def test_years_text():
    assert years_text([2024, 2025, 2026, 2027]) == "2024–2027"
    assert years_text([2024, 2026]) == "2024, 2026"
    assert years_text([]) == ""


def test_filters_round_trip_through_the_url():
    filters = Filters(municipality="JEK", schools=("a", "b"), years=("2021/2022", "2022/2023"), lang="en")
    query = filters.to_query()
    assert query == {"m": "JEK", "y": "2021/2022,2022/2023", "s": "a,b", "lang": "en"}
    assert Filters.from_query(query) == filters


def test_filters_from_a_bad_url_fall_back_to_defaults():
    filters = Filters.from_query({"lang": "de", "y": ",,", "m": ""})
    assert filters == Filters()
    assert filters.params() == {"municipality": "LUD", "schools": [], "years": [], "start_years": []}


def test_a_sentence_starting_with_a_year_is_not_read_as_a_numbered_list():
    from ui.components import literal

    assert literal("2024. gadā rīcības plānā ir pasākumi: 24.") == "2024\\. gadā rīcības plānā ir pasākumi: 24."
    assert literal("In 2024 the plan has 24.") == "In 2024 the plan has 24."
