"""Issue 15 in the app: the Data page lists every file of a batch whatever is wrong with one of them
(the NaN cell that used to stop the page), says "nothing to import", and shows a write the database
refuses as a message instead of a traceback; stored Markdown is shown as text (the Action plan's
reports, a chart's sources); ``?meeting=1&screen=²`` opens the first screen."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from data_loaders.build import LoadError, Problem
from tests.factories import FIGURES, fill_annex6
from tests.loaders.bad_files import csv_file, row
from tests.pages.conftest import data_page, digest, en, open_app, texts

NAMED = "Skolēni Jānis Bērziņš un Anna Ozola piedalījās"  # the note in skoleni.csv: two names
MARKUP = "![x](http://host.example/pixel.png) [Sign in](http://evil.example)"


BATCH = [
    ("nan.xlsx", fill_annex6({**FIGURES, ("pupils_start", "all"): "nan"})),
    ("huge.xlsx", fill_annex6({**FIGURES, ("at_risk", "basic"): 2**31}, year="2024/2025")),
    ("hours.xlsx", fill_annex6({**FIGURES, ("unexcused_hours", "basic"): 1e12}, year="2023/2024")),
    ("skoleni.csv", csv_file("outcome", [row("outcome", note=NAMED)])),
    ("enrolment.csv", csv_file("enrolment", [])),
    ("ezermala.xlsx", fill_annex6(FIGURES)),
]


def test_one_bad_file_does_not_stop_the_batch_and_a_refused_write_is_said(own_db, monkeypatch):
    at = data_page()
    at.file_uploader(key="uploads_0").set_value([(n, d, "application/octet-stream") for n, d in BATCH]).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert [e.split(":")[0] for e in errors] == ["nan.xlsx", "huge.xlsx", "hours.xlsx", "skoleni.csv"]
    assert en("data.file_empty", name="enrolment.csv") in [i.value for i in at.info]
    assert at.success[0].value == en("data.file_ok", name="ezermala.xlsx", rows=17, replaced=0)
    reasons = " ".join(" ".join(f.value.astype(str).agg(" ".join, axis=1)) for f in at.dataframe)
    assert en("data.problem.cell_not_number", cell="G7", value="nan") in reasons
    assert en("data.problem.personal_name", where="note") in reasons  # the column that holds a name
    # the reason reads whole (issue 17):
    report = next(f for f in at.dataframe if en("data.col_reason") in f.value.columns)
    assert report.proto.row_height > 64 and '"width": "large"' in report.proto.columns  # wrapped in a wide column
    assert at.button(key="confirm_import").label == en("data.confirm", n=1)

    from data_loaders import importers

    def refused(*args, **kwargs):
        reason = "the database refused the import, nothing was written: CHECK constraint failed"
        raise LoadError([Problem("database", None, None, reason, "write_refused", {"detail": "CHECK failed"})])

    before = digest(own_db)
    monkeypatch.setattr(importers, "apply", refused)
    at.button(key="confirm_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert en("data.write_failed") in [e.value for e in at.error]
    assert digest(own_db) == before


def test_stored_markdown_is_shown_as_text(sample_db, tmp_path, monkeypatch):
    """The Action plan shows the activities' sources in a caption and the yearly reports in st.table,
    both rendered as Markdown: a stored link or image reads as the characters typed."""
    db = tmp_path / "pmp.duckdb"
    shutil.copyfile(sample_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE activity_report SET done_text = ? WHERE municipality = 'DEMO'", [MARKUP])
        con.execute("UPDATE activity SET source = ? WHERE municipality = 'DEMO'", [MARKUP])
        (year,) = con.execute("SELECT max(year) FROM activity_report WHERE municipality = 'DEMO'").fetchone()
    monkeypatch.setenv("PMP_DB", str(db))
    at = open_app("pages/action_plan.py", m="DEMO", lang="en")
    at.selectbox(key="plan_year").set_value(year).run()
    assert not at.exception, [e.value for e in at.exception]
    escaped = r"!\[x\](http\://host.example/pixel.png) \[Sign in\](http\://evil.example)"
    said = texts(at)
    assert escaped in said and MARKUP not in said
    cells = [str(v) for table in at.table for v in table.value.to_numpy().ravel()]
    assert escaped in cells and MARKUP not in cells


@pytest.mark.parametrize("screen", ["²", "٣", "99999999999999999999", "-1", "abc", ""])
def test_an_odd_meeting_screen_in_the_link_opens_a_screen(screen):
    at = open_app(m="LUD", meeting="1", screen=screen)
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["meeting_screen"] == 1  # not a traceback: the first screen
