"""Issue 17 in AppTests: link values that cannot be honoured are said, the Overview answers first, the
meeting's stamp names the data's latest school year."""

from __future__ import annotations

from tests.pages.conftest import open_app, texts


def test_link_values_that_cannot_be_honoured_are_said():
    at = open_app("pages/overview.py", m="XXX", y="1999/2000")
    shown = texts(at)
    assert "Saitē norādītā pašvaldība “XXX” nav atrasta; rādīts: Ludzas novads." in shown
    assert "saitē norādītajam mācību gadam 1999/2000 nav datu; rādīti visi mācību gadi." in shown
    at = open_app("pages/overview.py", m="JEK", y="2023/2024", lang="en")
    assert "has no data for the school year 2023/2024 in the link; showing all school years." in texts(at)
    at = open_app("pages/overview.py", m="LUD", y="2022/2023")
    assert "Saitē" not in texts(at)  # an honoured link says nothing


def test_the_overview_answers_first():
    shown = texts(open_app("pages/overview.py", m="DEMO"))
    assert shown.index("Vai esam ceļā uz programmas mērķiem?") < shown.index("Galvenie skaitļi")
    assert "Ja līdzšinējā tendence turpinātos (3 gadu vērtības, 2023–2025)" in shown
    assert "iespējamais diapazons" in shown
    shown = texts(open_app("pages/overview.py", m="JEK", lang="en"))
    assert "Cannot project yet: there are 2 yearly values, at least 3 are needed." in shown
    assert "baseline 0.9% (2020/2021)" in shown


def test_the_meeting_stamp_names_the_latest_school_year():
    at = open_app("pages/meeting.py", m="JEK")
    assert "Jaunākie dati: 2022/2023" in texts(at) or "Jaunākie dati: 2023/2024" in texts(at)
    assert "Dati: 0" not in texts(at)  # no longer the date of the last import
