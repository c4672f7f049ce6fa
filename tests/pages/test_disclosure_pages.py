"""Disclosure control as a user sees it: one mark ("x") for every hidden figure with one footnote,
never "<5"; and the admin's own "show small counts" view, which no one else can switch on."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import lv, open_on_demand, texts
from tests.signin import signed_in
from ui.navigation import ENTRY, from_entry


@pytest.fixture(autouse=True)
def with_accounts(accounts_db, monkeypatch):
    monkeypatch.setenv("PMP_DB", str(accounts_db))


def app(page: str, user: str | None = None, show_small: bool | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    if user:
        signed_in(at, user)
    if show_small is not None:  # as if the toggle were on in this session, whoever the user is
        at.session_state["show_small_counts"] = show_small
    at.run()
    at.switch_page(from_entry(page))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    open_on_demand(at)  # every chart's table tab too
    return at


def everything(at: AppTest) -> list[str]:
    """Every text a user can read: cards, captions, table cells, chart labels."""
    out = [texts(at)]
    for frame in [*at.dataframe, *at.table]:
        out += [str(v) for column in frame.value.columns for v in frame.value[column].tolist()]
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec).get("data", []):
            out += [str(trace.get("text", ""))]
    return out


def ranking(at: AppTest) -> dict[str, str]:
    school = lv("pumpurs.col_school")
    table = next(d.value for d in at.dataframe if school in d.value.columns)
    return table.set_index(school)[lv("pumpurs.col_participants")].to_dict()


@pytest.mark.parametrize("page", ["pages/pumpurs.py", "pages/outcomes.py"])
def test_ludza_pages_mark_every_hidden_figure_x_never_below_five(page):
    at = app(page, m="LUD")
    read = everything(at)
    assert not any(re.search(r"<\s*5(?![\d%])", text) for text in read)  # (an exam threshold "<5%" is no mark)
    cells = [text for text in read if text == "x" or text.startswith("x ·")]
    assert cells, "Ludza has hidden figures on this page"
    note = lv("common.hidden_note", mark="x", limit=5)
    notes = [c.value for c in at.caption if note.split(":")[0] in c.value]  # "x – slēpts privātuma dēļ"
    assert notes and all(note in n for n in notes)


def test_an_admin_may_show_small_counts_in_their_own_view():
    at = app("pages/pumpurs.py", user="anna", m="LUD")
    assert at.toggle(key="show_small_counts").value is False
    assert ranking(at)["Salnavas pamatskola"] == "x"
    at.toggle(key="show_small_counts").set_value(True).run()
    assert not at.exception
    assert ranking(at)["Salnavas pamatskola"] == "4" and ranking(at)["Pušmucovas pamatskola"] == "4"


@pytest.mark.parametrize("user", [None, "vera", "ezer"], ids=["not signed in", "viewer", "school reporter"])
def test_no_one_else_can_show_small_counts(user):
    at = app("pages/pumpurs.py", user=user, show_small=True, m="LUD")
    assert not [t for t in at.toggle if t.key == "show_small_counts"]
    assert ranking(at)["Salnavas pamatskola"] == "x" and ranking(at)["Pušmucovas pamatskola"] == "x"
