"""Pieces of the Data page: the validation report of a refused file, the import log as a reader
wants it, and the rerun after a write (so the page shows the new database snapshot)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from ui.i18n import current_lang, has, t

FLASH = "data_flash"
REFUSED = "data_refused"  # why the last confirmation was refused, said above the redrawn report
PREVIEW = "data_preview"  # what the import report said in the reader's last run (``ParsedFile.preview``)


def finish(message: str) -> None:
    """After a write: keep the message for the next run and rerun, so the log and every figure
    come from the new database snapshot (a run reads the snapshot pinned at its start)."""
    st.session_state[FLASH] = message
    st.rerun()


def imports_new_in(shown: list | None, now: list) -> set[str]:
    """The imports whose rows the files would replace now but did not in the report the reader saw
    (``ParsedFile.preview``: name, sha, then per table the rows and the imports they came from)."""

    def sources(previews: list | None) -> set[str]:
        return {i for preview in previews or [] for _, _, ids in preview[2] for i in ids}

    return sources(now) - sources(shown)


def table_name(table: str, with_id: bool = False) -> str:
    """A database table as the reader knows it ("Izglītojamo skaits"), with its own name after it
    where a file must be matched to it ("Izglītojamo skaits (enrolment)")."""
    if not has(f"data.tables.{table}"):
        return table
    return t(f"data.tables.{table}") + (f" ({table})" if with_id else "")


def problem_table(problems: list) -> pd.DataFrame:
    """Every problem of a refused file: where (sheet, row, column or cell), the value found and why."""
    sheets = any(p.params.get("sheet") for p in problems)
    return pd.DataFrame(
        [
            {
                **({t("data.col_sheet"): p.params.get("sheet") or "–"} if sheets else {}),
                t("data.col_row"): "–" if p.row is None else str(p.row),
                t("data.col_column"): p.column or "–",
                t("data.col_value"): _shown(p.params.get("value")),
                t("data.col_reason"): problem_text(p),
            }
            for p in problems
        ]
    )


PROBLEM_ROW_HEIGHT = 84  # rows taller than 4 rem let Streamlit's table wrap a cell's text: three lines of a reason


def show_problems(problems: list) -> None:
    """The validation report as a table whose reason reads whole: the widest column, wrapped over
    up to three lines (a one-line row cut it off: "Datubāzē nav šādas skolas, pašvaldības, …")."""
    table = problem_table(problems)
    reason = st.column_config.TextColumn(width="large")
    st.dataframe(table, hide_index=True, row_height=PROBLEM_ROW_HEIGHT, column_config={t("data.col_reason"): reason})


def _shown(value: object) -> str:
    if value is None or value == "":
        return "–"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def problem_text(problem) -> str:
    """A validation problem in the user's language where the loaders give it a code, else as given."""
    key = f"data.problem.{problem.code}"
    try:
        return t(key, **_in_language(problem.params)) if problem.code and has(key) else problem.reason
    except KeyError:  # a parameter the message needs is missing: the English reason still says it all
        return problem.reason


def _in_language(params: dict) -> dict:
    """A name the loaders give in each language (``municipality_lv``, ``municipality_en``) becomes
    the one of the user's language (``municipality``)."""
    lang = current_lang()
    chosen = {k.removesuffix(f"_{lang}"): v for k, v in params.items() if k.endswith(f"_{lang}")}
    return {**params, **chosen}


def log_table(log: pd.DataFrame) -> pd.DataFrame:
    """The import log as a reader wants it: own headings, results in words, row counts per table."""

    def rows(text: str) -> str:
        """{"enrolment": 648, ...} (a build), {"inserted": {...}, "replaced": {...}} (an import) or
        {"undid": id, "restored": n} (a restore), in words."""
        found = json.loads(text) if text else {}

        def counts(by_table: dict) -> str:
            return ", ".join(f"{table_name(table)} {n}" for table, n in by_table.items()) or "0"

        if "inserted" in found:
            replaced = sum(found.get("replaced", {}).values())
            return t("data.log_rows_import", rows=counts(found["inserted"]), replaced=replaced)
        if "undid" in found:
            return t("data.log_rows_restore", rows=found.get("restored", 0), id=found["undid"])
        return counts(found)

    return pd.DataFrame(
        {
            t("data.log_when"): log["imported_at"].dt.strftime("%Y-%m-%d %H:%M"),
            t("data.log_by"): log["imported_by"],
            t("data.log_file"): log["file_name"],
            t("data.log_result"): [t(f"data.result_{r}") for r in log["result"]],
            t("data.log_rows"): log["rows_json"].map(rows),
            t("data.log_undone"): [t("data.yes") if u else "" for u in log["undone"]],
            t("data.log_id"): log["import_id"],
            "SHA-256": log["sha256"],
        }
    )
