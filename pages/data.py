"""Data: yearly report templates, import with a validation report, the reporting round, the import
log with restore, and whole-database exports. Nothing is written before the user confirms.

Signed-in accounts only, each role to its reach (``data_loaders.accounts.REACH``): an admin sees
every tab; a school reporter the annex 6 template and the import of their own school's files
(anything else in a file refuses it); a viewer none of this page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_loaders import accounts, exports, importers, onboarding, templates
from data_loaders.build import LoadError
from data_loaders.importers import isolated
from data_loaders.safe_text import escape_markdown
from ui import auth, filters, reporting_round
from ui.data import dataset, db_path
from ui.data_admin import (
    FLASH,
    PREVIEW,
    REFUSED,
    finish,
    imports_new_in,
    log_table,
    problem_text,
    show_problems,
    table_name,
)
from ui.i18n import t

f = filters.current()
st.title(t("data.title"))
st.caption(t("data.caption"))
user = auth.require("admin", "school_reporter")
auth.signed_in_bar(user)

# a school reporter works on their own school whatever the sidebar shows; an admin on the sidebar's municipality
municipality = f.municipality if user.may("import_any_school") else user.municipality
schools = dataset("schools.sql", municipality=municipality)
schools = schools[schools["sector"] == "general"]
if not user.may("import_any_school"):
    schools = schools[schools["school_id"] == user.school_id]
    st.info(t("auth.reporter_scope", school=", ".join(schools["name"]) or user.school_id))
years = dataset("filter_options.sql", municipality=municipality)["start_year"].tolist()
next_years = sorted({*years, max(years, default=2023) + 1, max(years, default=2023) + 2})


def templates_tab() -> None:
    st.subheader(t("data.annex6_title"))
    st.caption(t("data.annex6_caption"))
    names = dict(zip(schools["school_id"], schools["name"], strict=True))
    c1, c2 = st.columns(2)
    school = c1.selectbox(t("common.school"), list(names), format_func=names.__getitem__, key="tpl_school")
    start = c2.selectbox(
        t("common.school_year"), next_years[::-1], format_func=lambda y: f"{y}/{y + 1}", key="tpl_year"
    )
    if school:
        st.download_button(
            t("data.download_annex6"),
            lambda: templates.annex6_template(school, names[school], municipality, f"{start}/{start + 1}"),
            file_name=f"pielikums6_{school}_{start}-{start + 1}.xlsx",
            key="dl_annex6",
            on_click="ignore",
        )
    if not user.may("annex1_template"):  # the municipality's activity report
        return
    st.subheader(t("data.annex1_title"))
    st.caption(t("data.annex1_caption"))
    year = st.selectbox(t("data.calendar_year"), list(range(2024, 2029)), key="tpl_annex1_year")
    activities = dataset("activities_list.sql", municipality=f.municipality, year=year)
    if activities.empty:
        st.info(t("data.no_activities", year=year))
    else:
        rows = list(zip(activities["activity_no"], activities["activity_lv"], strict=True))
        st.download_button(
            t("data.download_annex1"),
            lambda: templates.annex1_template(f.municipality, year, rows),
            file_name=f"pielikums1_{f.municipality}_{year}.xlsx",
            key="dl_annex1",
            on_click="ignore",
        )
    st.subheader(t("data.onboarding_title"))  # a new municipality: its schools, history, totals
    st.caption(t("data.onboarding_caption"))
    st.download_button(
        t("data.download_onboarding"),
        onboarding.template,
        file_name="pmp_pieslegsana_onboarding.xlsx",
        key="dl_onboarding",
        on_click="ignore",
    )


def import_tab() -> None:
    st.caption(t("data.import_caption"))
    if done := st.session_state.pop(FLASH, None):  # what the last confirmed import or restore did
        st.success(done)
    if refused := st.session_state.pop(REFUSED, None):  # why the last confirmation wrote nothing
        st.error(refused)
    # a new key after each import empties the uploader, so the imported files are not checked again
    upload_key = f"uploads_{st.session_state.get('uploads_round', 0)}"
    uploads = st.file_uploader(t("data.upload"), type=["xlsx", "csv"], accept_multiple_files=True, key=upload_key)
    if uploads:
        # each file is read in the server's upload worker process: a heavy file never slows another user's page
        files = importers.check(db_path(), [isolated.parse(u.name, u.getvalue()) for u in uploads])
        accounts.reach_problems(user, files)  # a school reporter: rows of their own school only
        # what the reader saw before clicking "confirm" is the last run's report, not this run's
        shown, now = st.session_state.get(PREVIEW), [f.preview for f in files]
        st.session_state[PREVIEW] = now
        for parsed in files:
            name = escape_markdown(parsed.name)  # the uploader's file name, shown as Markdown
            with st.container(border=True):
                if parsed.ok and parsed.empty:  # said, never imported or logged
                    st.info(t("data.file_empty", name=name))
                elif parsed.ok:
                    rows, replaced = sum(parsed.row_counts.values()), sum(parsed.replaces.values())
                    st.success(t("data.file_ok", name=name, rows=rows, replaced=replaced))
                    counts = [
                        {
                            t("data.col_table"): table_name(k, with_id=True),
                            t("data.col_rows"): v,
                            t("data.col_replaced"): parsed.replaces.get(k, 0),
                        }
                        for k, v in parsed.row_counts.items()
                    ]
                    st.dataframe(pd.DataFrame(counts), hide_index=True)
                    for warning in parsed.warnings:  # accepted, but the user should know before confirming
                        st.warning(problem_text(warning))
                else:
                    st.error(t("data.file_refused", name=name, n=len(parsed.problems)))
                    show_problems(parsed.problems)
        valid = [p for p in files if p.ok and not p.empty]
        if st.button(t("data.confirm", n=len(valid)), type="primary", disabled=not valid, key="confirm_import"):
            if shown != now:  # another import landed after the report the reader confirmed
                log = dataset("import_log.sql")
                newer = log[log["import_id"].isin(imports_new_in(shown, now))]
                by = [
                    t("data.replaces_now", file=escape_markdown(r.file_name), user=escape_markdown(r.imported_by),
                      when=f"{r.imported_at:%Y-%m-%d %H:%M}")
                    for r in newer.itertuples()
                ]  # fmt: skip
                st.warning("\n\n".join([t("data.preview_changed"), *by]))
                return
            try:
                ids = importers.apply(db_path(), files, user.username, reach=accounts.reach_now(user.username))
            except importers.ImportRefused as err:  # changed between this run's report and the write
                reason = "; ".join(problem_text(p) for refused in err.files for p in refused.problems)
                st.session_state[REFUSED] = t("data.changed_meanwhile", reason=reason)
                st.rerun()  # the report drawn again as the database is now: the next click confirms that one
            except LoadError as err:  # the database refused the write: nothing was written
                st.error(t("data.write_failed"))
                show_problems(err.problems)
            else:
                st.session_state["uploads_round"] = st.session_state.get("uploads_round", 0) + 1
                finish(t("data.imported", ids=", ".join(ids)))


def log_tab() -> None:
    log = dataset("import_log.sql")
    st.dataframe(log_table(log), hide_index=True, key="import_log_table")
    restorable = log[(log["result"] == "imported") & ~log["undone"]]
    if len(restorable) and user.may("restore"):
        labels = {
            i: f"{when:%Y-%m-%d %H:%M} · {name} · {i}"
            for i, when, name in zip(
                restorable["import_id"], restorable["imported_at"], restorable["file_name"], strict=True
            )
        }
        chosen = st.selectbox(t("data.restore_pick"), list(labels), format_func=labels.get, key="restore_pick")
        if st.button(t("data.restore"), key="restore_button"):
            try:
                count = importers.restore(db_path(), chosen, user.username)
            except (KeyError, ValueError) as err:
                st.error(escape_markdown(err))
            else:
                finish(t("data.restored", rows=count, id=chosen))


def export_tab() -> None:
    st.caption(t("data.export_caption"))
    path = db_path()
    for fmt in ("csv", "parquet"):
        st.download_button(
            t(f"data.export_{fmt}"),
            lambda fmt=fmt: exports.export_zip(path, fmt),  # built only when clicked
            file_name=f"pmp_{fmt}.zip",
            mime="application/zip",
            key=f"export_{fmt}",
            on_click="ignore",
        )
    st.download_button(
        t("data.export_dictionary"),
        exports.data_dictionary(),
        file_name="data_dictionary.md",
        key="export_dictionary",
        on_click="ignore",
    )


# The tabs in their order, each drawn only for a role that reaches it (accounts.REACH).
TABS = {
    "templates": templates_tab,
    "import": import_tab,
    "round": lambda: reporting_round.draw(f.municipality, next_years, f.lang),
    "log": log_tab,
    "export": export_tab,
}
shown = [name for name in TABS if user.may(name)]
for name, tab in zip(shown, st.tabs([t(f"data.tab_{name}") for name in shown]), strict=True):
    with tab:
        TABS[name]()
