from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from metrics.privacy import reveal, suppress


def _frame(values, groups=None):
    data = {"n": values}
    if groups is not None:
        data["g"] = groups
    return pd.DataFrame(data)


def test_primary_suppression_hides_one_to_four_but_not_zero_or_five():
    out = suppress(_frame([0, 1, 4, 5, 100, None]), ["n"], threshold=5)
    assert out["n_hidden"].tolist()[:4] == [False, True, True, False]
    assert pd.isna(out["n"][1]) and pd.isna(out["n"][2])
    assert out["n"][3] == 5
    assert not out["n_hidden"][5]  # missing stays missing, and is not flagged as hidden


def test_a_lone_hidden_cell_takes_the_smallest_other_cell_of_its_group():
    # group a: 3 is hidden, total 3 + 10 + 50 would reveal it → the 10 is hidden too
    # group b: two hidden cells already protect each other
    out = suppress(_frame([3, 10, 50, 2, 1, 40], ["a", "a", "a", "b", "b", "b"]), ["n"], within=["g"], threshold=5)
    assert out["n_hidden"].tolist() == [True, True, False, True, True, False]


def test_zero_is_taken_as_the_complement_when_it_is_the_smallest():
    out = suppress(_frame([2, 0, 30], ["a", "a", "a"]), ["n"], within=["g"], threshold=5)
    assert out["n_hidden"].tolist() == [True, True, False]


def test_no_secondary_suppression_for_a_single_row_and_configurable_threshold():
    assert suppress(_frame([3]), ["n"])["n_hidden"].tolist() == [True]
    assert suppress(_frame([7, 30]), ["n"], threshold=10)["n_hidden"].tolist() == [True, True]
    assert suppress(_frame([7, 30]), ["n"], threshold=5)["n_hidden"].tolist() == [False, False]


def test_reveal_keeps_the_same_columns_with_nothing_hidden():
    out = reveal(_frame([1, 2]), ["n"])
    assert out["n"].tolist() == [1, 2]
    assert out["n_hidden"].tolist() == [False, False]


def test_a_ratio_goes_with_the_count_it_is_made_of():
    from metrics.privacy import hide_ratios

    frame = suppress(pd.DataFrame({"n": [3, 40, 200], "share": [1.2, 16.0, 82.8], "other": [None, 1.0, 2.0]}), ["n"])
    out = hide_ratios(frame, {"share": ("n",), "other": ("n",)})
    assert out["share_hidden"].tolist() == [True, True, False]
    assert out["share"].isna().tolist() == [True, True, False]
    assert out["other_hidden"].tolist() == [False, True, False]  # a ratio that never existed stays "no data"
    assert hide_ratios(out, {"share": ("n",)})["share_hidden"].tolist() == [True, True, False]  # idempotent


def _one_cell_at_a_time(values: list, groups: list, threshold: int) -> list[bool]:
    """The rule written plainly, cell by cell, as the reference for the vectorised ``suppress``."""
    hidden = [v is not None and 0 < v < threshold for v in values]
    for group in dict.fromkeys(groups):
        rows = [i for i, g in enumerate(groups) if g == group]
        if sum(hidden[i] for i in rows) == 1:
            others = [i for i in rows if not hidden[i] and values[i] is not None]
            if others:
                hidden[min(others, key=lambda i: (values[i], i))] = True
    return hidden


@given(
    cells=st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 40)), st.sampled_from("abc")), max_size=25),
    threshold=st.integers(1, 12),
)
def test_the_vectorised_rule_matches_the_plain_rule(cells, threshold):
    values, groups = [v for v, _ in cells], [g for _, g in cells]
    frame = pd.DataFrame({"n": pd.array(values, dtype="Int64"), "g": groups})
    out = suppress(frame, ["n"], within=["g"], threshold=threshold)
    assert out["n_hidden"].tolist() == _one_cell_at_a_time(values, groups, threshold)
    assert out["n"].isna().tolist() == [v is None or h for v, h in zip(values, out["n_hidden"], strict=True)]
