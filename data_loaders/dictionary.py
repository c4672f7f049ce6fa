"""Generate ``docs/data_dictionary.md`` from ``schema.sql``: ``python -m data_loaders.dictionary``.

A test regenerates it and fails when the committed file is out of date, so the dictionary can
never drift from the schema.
"""

from __future__ import annotations

import duckdb

from data_loaders.build import ROOT, SCHEMA
from data_loaders.integrity import REFERENCES

OUT = ROOT / "docs" / "data_dictionary.md"

TABLE_DOCS = {
    "municipality": "A municipality and its programme: plan period and the two target years.",
    "school": "Every school or institution named by a programme. `is_municipal` is false for state "
    "institutions reported apart (the Jēkabpils Agrobusiness College); `merged_into`/`merged_year` "
    "record the school-network reform.",
    "enrolment": "Pupils (and classes where known) per school, school year (1 September) and grade band; "
    "`total` is the school's total. Municipal totals printed in the documents are in `stated_total`.",
    "support_staff": "Support-staff FTE (slodzes) per school, school year and role. A role a school "
    "does not list has no row: it counts as missing against the norm, and is shown as not listed, not 0.",
    "pumpurs": "ESF project Pumpurs: individual support plans (`iap_count`) and supported pupils per "
    "school and semester; `period` may span several school years (Ludza 2021/2022-2022/2023).",
    "risk": "PMP risk groups and sub-risks: pupils and/or share (%) per scope (a school or the "
    "municipality) and period. `sub_risk = ''` is the group itself.",
    "outcome": "Outcome figures per scope, school year, stage (`level`) and indicator, with subject and "
    "threshold for exam results. `unit` tells counts from shares; shares are as printed.",
    "indicator": "Policy result indicators of a programme with their baseline.",
    "indicator_target": "The indicator's targets (Ludza 2025/2027, Jēkabpils 2026/2028); "
    "`comparison = at_most` for targets printed with `<`.",
    "indicator_value": "Actual indicator values measured over time.",
    "activity": "Prevention activities of the action plan by level and goal, with responsible bodies and funding.",
    "activity_year": "The years in which an activity runs.",
    "activity_report": "The yearly implementation report of an activity (Ludza annex 1).",
    "stated_total": "Figures stated for a whole municipality: checked against the sum of its schools' rows "
    'where they exist (never added to them), and shown as the municipality\'s figure "not split by school" '
    "where there are none (e.g. Pumpurs plans, pupils, schools and funding in euro, to the cent).",
    "school_event": "A school's history: opened, closed, merged into another school, renamed, with the date.",
    "national_reference": "Reference series for the whole of Latvia (e.g. Pumpurs individual support plans per "
    "school year), shown beside municipalities and never added to them.",
    "pumpurs_support": "ESF project Pumpurs: the support mix as printed shares for the project period "
    "(`breakdown` is the base: all measures, subject consultations, specialist consultations, funding).",
    "import_log": "Every build and import: who, when, file, SHA-256, rows per table and the result.",
    "import_history": "Rows that an import replaced, as JSON, so the import can be undone (restored).",
    "account": "Named accounts and their role (admin, school reporter for one school, viewer); passwords "
    "only as argon2 hashes. With an identity provider (`st.login`) the row gives a signed-in e-mail its role.",
    "schema_version": "The schema version of the file and when each migration was applied "
    "(`data_loaders/migrations/`).",
}


def render() -> str:
    con = duckdb.connect()
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_oid").fetchall()]
    lines = [
        "# Data dictionary",
        "",
        "Generated from `data_loaders/schema.sql` by `python -m data_loaders.dictionary`; do not edit by hand.",
        "Every fact row carries `source` (the seed document and table, a synthetic-data note, or an import id).",
        '"No data" is a missing row or NULL, never 0. School years are `YYYY/YYYY` with an integer `start_year`.',
        "",
    ]
    for table in tables:
        lines += [f"## `{table}`", "", TABLE_DOCS[table], ""]
        lines += ["| column | type | required | rules |", "|---|---|---|---|"]
        constraints = con.execute(
            """SELECT constraint_type, expression, constraint_text, constraint_column_names
               FROM duckdb_constraints() WHERE table_name = ? ORDER BY constraint_index""",
            [table],
        ).fetchall()
        multi = []
        for name, dtype, nullable, *_ in con.execute(f"DESCRIBE {table}").fetchall():
            rules = []
            for kind, expression, text, columns in constraints:
                if columns != [name]:
                    continue
                if kind == "CHECK":
                    rules.append(f"`{expression}`")
                elif kind == "FOREIGN KEY":
                    rules.append(text.replace("FOREIGN KEY", "references").split("REFERENCES ")[-1])
                elif kind in ("PRIMARY KEY", "UNIQUE"):
                    rules.append(kind.lower())
            rules += [
                f"references {ref.target}({ref.target_columns[0]})" + (" or the municipality" if ref.scope else "")
                for ref in REFERENCES
                if ref.table == table and ref.columns == (name,)
            ]
            required = "yes" if nullable == "NO" else "no"
            lines.append(f"| `{name}` | {dtype} | {required} | {'; '.join(rules).replace('|', '/')} |")
        for kind, expression, text, columns in constraints:
            if len(columns) > 1 or kind in ("PRIMARY KEY", "UNIQUE"):
                multi.append(f"- {kind.lower()}: `{expression or text}`")
        multi += [f"- references: `{ref}`" for ref in REFERENCES if ref.table == table and len(ref.columns) > 1]
        if multi:
            lines += ["", "Table rules:", "", *dict.fromkeys(multi)]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
