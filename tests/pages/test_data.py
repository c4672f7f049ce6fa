from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import en, lv
from tests.signin import signed_in
from ui.navigation import ENTRY, from_entry


@pytest.fixture(autouse=True)
def with_accounts(accounts_db, monkeypatch):
    monkeypatch.setenv("PMP_DB", str(accounts_db))


def _data_page(user: str | None = None, lang: str = "lv", **query: str) -> AppTest:
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    if user:
        signed_in(at, user)
    at.run()
    at.switch_page(from_entry("pages/data.py"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_data_page_asks_to_sign_in():
    at = _data_page()
    assert [w.label for w in at.text_input] == [lv("auth.username"), lv("auth.password")]
    assert not at.tabs  # nothing else is shown before signing in


def test_without_accounts_the_page_says_how_to_create_one(sample_db, monkeypatch):
    monkeypatch.setenv("PMP_DB", str(sample_db))
    at = _data_page(lang="en")
    assert at.info[0].value == en("auth.no_accounts") and not at.tabs


def test_signed_in_admin_sees_templates_import_round_log_and_export():
    at = _data_page("anna", lang="en")
    tabs = ("templates", "import", "round", "log", "export")
    assert [t.label for t in at.tabs] == [en(f"data.tab_{tab}") for tab in tabs]
    signed = en("auth.signed_in_as", user="Anna Bērziņa", username="anna", role=en("auth.role.admin"))
    assert signed in [c.value for c in at.caption]
    downloads = [b.proto.label for b in at.get("download_button")]
    assert en("data.download_annex6") in downloads
    assert en("data.export_parquet") in downloads
    log = next(frame.value for frame in at.dataframe if "SHA-256" in frame.value.columns)
    columns = [en(f"data.log_{c}") for c in ("when", "by", "file", "result", "rows")]
    assert list(log.columns)[:5] == columns
    result, by, rows = columns[3], columns[1], columns[4]
    assert log[result].tolist()[-1] == en("data.result_built") and log[by].tolist()[-1] == "build"
    assert f"{en('data.tables.enrolment')} 648" in log[rows].tolist()[-1] and len(log["SHA-256"].tolist()[-1]) == 64


def test_admin_can_switch_suppression_off_for_their_own_view():
    at = _data_page("anna")
    assert at.session_state["_filters"].suppress is True  # default view always suppresses
    assert at.toggle(key="show_small_counts")  # offered to an admin only


def test_the_import_log_reads_in_words():
    import json

    import pandas as pd

    from ui.data_admin import log_table
    from ui.i18n import t

    log = pd.DataFrame(
        {
            "import_id": ["restore-imp-1-x", "imp-1", "build-1"],
            "imported_at": pd.to_datetime(["2026-08-21 10:00", "2026-08-20 09:30", "2026-08-01 08:00"]),
            "imported_by": ["Anna", "Anna", "build"],
            "file_name": ["imp-1", "ezermala.xlsx", "sample_data"],
            "sha256": ["0" * 64] * 3,
            "rows_json": [
                json.dumps({"undid": "imp-1", "restored": 3}),
                json.dumps({"inserted": {"enrolment": 3, "risk": 2}, "replaced": {"enrolment": 1}}),
                json.dumps({"enrolment": 648}),
            ],
            "result": ["restored", "imported", "built"],
            "undone": [False, True, False],
        }
    )
    shown = log_table(log)
    # Literal on purpose: the Latvian plural forms ("3 rindas", "1 rinda") and word order of the log.
    assert shown[t("data.log_rows")].tolist() == [
        "atjaunotas 3 rindas (imports imp-1)",
        "Izglītojamo skaits 3, PMP riski 2; aizstāta 1 rinda",
        "Izglītojamo skaits 648",
    ]
    results = [t(f"data.result_{r}") for r in ("restored", "imported", "built")]
    assert shown[t("data.log_result")].tolist() == results
    assert shown[t("data.log_undone")].tolist() == ["", t("data.yes"), ""]
    assert shown[t("data.log_when")].tolist()[1] == "2026-08-20 09:30"


def test_tables_are_named_in_the_users_language_with_their_file_name_beside():
    from ui.data_admin import table_name

    assert table_name("enrolment", with_id=True) == f"{lv('data.tables.enrolment')} (enrolment)"
    assert table_name("activity_report") == lv("data.tables.activity_report")
    assert table_name("no_such_table") == "no_such_table"


# --- the re-import, on the page ------------------------------------------------------

LPV = "lud_ludzas_pilsetas_vidusskola"


def _open(user: str, **query: str) -> AppTest:
    return _data_page(user, "en", **query)


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="uploads_0").set_value([(name, data, "application/octet-stream")]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_validation_report_says_what_a_reimport_replaces_and_where_parts_and_total_differ(own_db):
    """Ludzas pilsētas vidusskola 2022/2023 again, band 1-3 = 213 (was 113) and the total row still
    491: before confirming, the page says that 11 rows are replaced and that the grades add up to 591,
    and that the municipality's printed 1 878 pupils no longer match its schools' 1 978."""
    import duckdb

    from tests.loaders.test_system_of_record import _csv, _whole_school

    at = _upload(_open("anna", m="LUD"), "enrolment.csv", _csv("enrolment", _whole_school(491)))
    assert [s.value for s in at.success] == [en("data.file_ok", name="enrolment.csv", rows=11, replaced=11)]
    school, municipal = (w.value for w in at.warning[:2])  # the round tab's list of missing reports follows
    assert school == en(
        "data.problem.enrolment_stated_differs",
        school="Ludzas pilsētas vidusskola",
        year="2022/2023",
        summed=591,
        stated=491,
    )
    assert municipal.startswith("Ludza municipality, ") and "1878" in municipal and "1978" in municipal
    at.button(key="confirm_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with duckdb.connect(str(own_db), read_only=True) as con:
        got = con.execute(
            "SELECT e.pupils, t.pupils, t.stated_pupils, l.imported_by FROM enrolment e "
            "JOIN enrolment_total t USING (school_id, school_year) JOIN import_log l ON l.import_id = e.import_id "
            "WHERE e.school_id = ? AND e.school_year = '2022/2023' AND e.grade_band = '1-3'",
            [LPV],
        ).fetchall()
    assert got == [(213, 591, 491, "anna")]  # the signed-in account in the log


def test_a_confirmation_after_another_import_changed_the_report_asks_to_read_it_again(own_db):
    """Two admins upload the same school year. The second confirms first; the first one's click then
    writes nothing: the report is redrawn with what it replaces now and the page asks to confirm again."""
    import duckdb

    from tests.loaders.test_system_of_record import _csv, _whole_school

    one = _upload(_open("anna", m="LUD"), "one.csv", _csv("enrolment", _whole_school(591)))
    two = _upload(_open("anna", m="LUD"), "two.csv", _csv("enrolment", _whole_school(590)))
    two.button(key="confirm_import").click().run()
    assert not two.exception and two.success[0].value.startswith("Imported")

    def logged() -> list[str]:
        with duckdb.connect(str(own_db), read_only=True) as con:
            return [n for (n,) in con.execute("SELECT file_name FROM import_log WHERE result = 'imported'").fetchall()]

    one.button(key="confirm_import").click().run()
    (said,) = [w.value for w in one.warning if w.value.startswith(en("data.preview_changed"))]
    assert "two.csv, imported by anna on " in said and logged() == ["two.csv"]  # whose rows it would replace now
    one.button(key="confirm_import").click().run()  # read again, confirmed again
    assert not one.exception and logged() == ["two.csv", "one.csv"]


def test_an_import_landing_between_the_report_and_the_write_redraws_the_report_for_the_next_click(own_db, monkeypatch):
    """Another import lands after this run drew its report but before the write: nothing is written,
    the page says why above the report drawn again, and the next click imports (not a third)."""
    from data_loaders import importers
    from tests.loaders.test_system_of_record import _csv, _whole_school

    one = _upload(_open("anna", m="LUD"), "one.csv", _csv("enrolment", _whole_school(591)))
    real_apply = importers.apply

    def another_import_first(db, files, user, **kwargs):
        monkeypatch.setattr(importers, "apply", real_apply)
        other = importers.check(db, [importers.parse("two.csv", _csv("enrolment", _whole_school(590)))])
        real_apply(db, other, "berta")
        return real_apply(db, files, user, **kwargs)

    monkeypatch.setattr(importers, "apply", another_import_first)
    one.button(key="confirm_import").click().run()
    assert not one.exception
    assert [e.value for e in one.error] == [en("data.changed_meanwhile", reason=en("data.problem.changed_since_check"))]
    one.button(key="confirm_import").click().run()
    assert not one.exception and one.success[0].value.startswith("Imported")


def test_the_validation_report_says_a_one_band_reimport_leaves_the_school_without_a_pupil_total(own_db):
    """Grades 1-3 only for Ludzas pilsētas vidusskola 2022/2023 (it had every grade and a total row):
    before confirming, the page says on the school's own line that its total of 491 pupils is gone."""
    from tests.loaders.test_system_of_record import _csv, _enrolment

    at = _upload(_open("anna", m="LUD"), "enrolment.csv", _csv("enrolment", [_enrolment("1-3", 213)]))
    assert [s.value for s in at.success] == [en("data.file_ok", name="enrolment.csv", rows=1, replaced=11)]
    lost = en(
        "data.problem.enrolment_total_lost",
        school="Ludzas pilsētas vidusskola",
        year="2022/2023",
        bands="1-3",
        replaced=11,
        pupils=491,
    )
    assert lost in [w.value for w in at.warning]


def test_the_reporting_round_lists_who_sent_and_who_is_missing(own_db):
    """A school reporter sends their annex 6 on the page; the admin's reporting round then shows it
    received, by whom, and names the 6 other schools and the municipality's annex 1 as missing."""
    from tests.factories import FIGURES, fill_annex6

    reporter = _upload(_open("ezer"), "ezermala.xlsx", fill_annex6(FIGURES))
    reporter.button(key="confirm_import").click().run()
    assert not reporter.exception, [e.value for e in reporter.exception]

    at = _open("anna", m="DEMO")
    at.selectbox(key="round_year").select(2025).run()
    [metric] = [m for m in at.metric if m.label == en("data.round.sent_label", year="2025/2026")]
    assert metric.value == en("data.round.sent_value", sent="1", total="7")
    table = next(f.value for f in at.dataframe if en("data.round.col_status") in f.value.columns)
    status, by = en("data.round.col_status"), en("data.round.col_by")
    assert table[status].tolist().count(en("data.round.missing")) == 7  # 6 schools and the annex 1
    received = table[table[status] == en("data.round.received")]
    assert received[en("data.round.col_who")].tolist() == ["Ezermalas vidusskola"] and received[by].tolist() == ["ezer"]
    missing = [w.value for w in at.warning if w.value.startswith(en("data.round.missing_list", names="")[:10])]
    assert len(missing) == 1 and "Ezermalas vidusskola" not in missing[0]
    keys = [b.proto.id for b in at.get("download_button")]
    assert any(k.endswith("round_csv") for k in keys) and any(k.endswith("round_xlsx") for k in keys)
