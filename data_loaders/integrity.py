"""References between tables, checked inside every write before it commits.

The schema has no FOREIGN KEY clauses (DuckDB cannot update or replace a row that one points at,
and a municipality's or school's details must stay correctable). Instead ``store.replace_atomically``
calls ``check`` on the new file before the transaction commits: a write that would leave a row
pointing at nothing (an import naming an unknown school, a restore that would take away a school
later rows use) is rolled back whole, and the file stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Reference:
    table: str
    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]
    scope: bool = False  # the column names a school or the municipality itself

    def __str__(self) -> str:
        return f"{self.table}({', '.join(self.columns)}) → {self.target}({', '.join(self.target_columns)})"


_MUN = ("municipality",), "municipality", ("code",)
_SCHOOL = ("school_id",), "school", ("school_id",)
REFERENCES: tuple[Reference, ...] = (
    Reference("school", *_MUN),
    Reference("school", ("merged_into",), "school", ("school_id",)),
    Reference("school_event", *_SCHOOL),
    Reference("school_event", ("other_school_id",), "school", ("school_id",)),
    Reference("enrolment", *_SCHOOL),
    Reference("support_staff", *_SCHOOL),
    Reference("pumpurs", *_SCHOOL),
    Reference("risk", *_MUN),
    Reference("risk", ("scope",), "school", ("school_id",), scope=True),
    Reference("outcome", *_MUN),
    Reference("outcome", ("scope",), "school", ("school_id",), scope=True),
    Reference("indicator", *_MUN),
    Reference(
        "indicator_target",
        ("municipality", "indicator_no", "breakdown"),
        "indicator",
        ("municipality", "indicator_no", "breakdown"),
    ),
    Reference(
        "indicator_value",
        ("municipality", "indicator_no", "breakdown"),
        "indicator",
        ("municipality", "indicator_no", "breakdown"),
    ),
    Reference("activity", *_MUN),
    Reference("activity_year", ("municipality", "activity_no"), "activity", ("municipality", "activity_no")),
    Reference("activity_report", ("municipality", "activity_no"), "activity", ("municipality", "activity_no")),
    Reference("stated_total", *_MUN),
    Reference("pumpurs_support", *_MUN),
    Reference("account", *_MUN),
    Reference("account", *_SCHOOL),
)


class IntegrityError(Exception):
    """A write would leave rows pointing at nothing; ``problems`` says which, with examples."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("the change would leave rows pointing at nothing: " + "; ".join(problems))


def _orphans_sql(ref: Reference) -> str:
    present = " AND ".join(f"t.{c} IS NOT NULL" for c in ref.columns)
    match = " AND ".join(f"p.{tc} = t.{c}" for c, tc in zip(ref.columns, ref.target_columns, strict=True))
    where = f"{present} AND NOT EXISTS (SELECT 1 FROM {ref.target} p WHERE {match})"
    if ref.scope:  # a scope names a school of the row's municipality, or the municipality itself
        where = (
            f"{present} AND t.{ref.columns[0]} <> t.municipality AND NOT EXISTS "
            f"(SELECT 1 FROM school p WHERE p.school_id = t.{ref.columns[0]} AND p.municipality = t.municipality)"
        )
    shown = " || ', ' || ".join(f"coalesce(CAST(t.{c} AS VARCHAR), '')" for c in ref.columns)
    return f"SELECT count(*), list(DISTINCT {shown})[1:3] FROM {ref.table} t WHERE {where}"


def problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every reference that some row breaks, with the count and up to three of the values."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    found = []
    for ref in REFERENCES:
        if ref.table not in tables or ref.target not in tables:
            continue
        count, examples = con.execute(_orphans_sql(ref)).fetchone()
        if count:
            found.append(f"{count} row(s) of {ref} point at nothing (e.g. {', '.join(examples)})")
    return found


def check(con: duckdb.DuckDBPyConnection) -> None:
    found = problems(con)
    if found:
        raise IntegrityError(found)
