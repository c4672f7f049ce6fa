"""What an import works on: the importable tables, the scope a file replaces in each, and one
uploaded file after checking (``ParsedFile``) with the problems that refuse it."""

from __future__ import annotations

from dataclasses import dataclass, field

from data_loaders import onboarding, privacy_guard, templates
from data_loaders.build import Problem

# Every table a file may bring: a municipality's set-up (onboarding) and its yearly figures.
IMPORTABLE = (
    "municipality",
    "school",
    "school_event",
    "indicator",
    "indicator_target",
    "stated_total",
    "national_reference",
    "enrolment",
    "support_staff",
    "pumpurs",
    "risk",
    "outcome",
    "indicator_value",
    "activity_report",
)
# The scope a file reports on in each table: a school (or the municipality) and a year. Importing a
# file replaces everything its scopes had in that table: rows and cells the file leaves out are gone
# (kept in import_history, so a restore brings them back), the same rule for every table.
REPLACE_SCOPE = {
    "municipality": ("code",),
    "school": ("school_id",),
    "school_event": ("school_id",),  # a school's whole history
    "indicator": ("municipality", "indicator_no", "breakdown"),
    "indicator_target": ("municipality", "indicator_no", "breakdown"),  # all targets of the indicator
    "stated_total": ("municipality", "period"),
    "national_reference": ("measure", "period"),
    "enrolment": ("school_id", "school_year"),
    "support_staff": ("school_id", "school_year"),
    "pumpurs": ("school_id", "period"),
    "risk": ("scope", "period"),
    "outcome": ("scope", "school_year"),
    "indicator_value": ("municipality", "period"),
    "activity_report": ("municipality", "year"),
}
STATUS_FROM_LV = {lv: key for key, lv in templates.STATUS_LV.items()} | {k: k for k in templates.STATUS_LV}


@dataclass
class ParsedFile:
    """One uploaded file after checking: rows per table, or the reasons it is refused."""

    name: str
    sha256: str
    kind: str = ""  # annex6, annex1, onboarding or csv:<table>
    tables: dict[str, list[dict]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # accepted, but said before confirming: a stated total that differs from the sum of its parts
    warnings: list[Problem] = field(default_factory=list)
    replaces: dict[str, int] = field(default_factory=dict)  # rows of the database it would replace
    replaces_from: dict[str, tuple[str, ...]] = field(default_factory=dict)  # the imports those rows came from
    lines: dict[str, list[int]] = field(default_factory=dict)  # a workbook's row number of each row

    @property
    def preview(self) -> tuple:
        """What confirming this file would replace, as checked: which file, how many rows of each
        table and which earlier imports (or build) they came from. Another import of the same
        school year changes it."""
        found = tuple((t, self.replaces[t], self.replaces_from.get(t, ())) for t in sorted(self.replaces))
        return (self.name, self.sha256, found)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def empty(self) -> bool:
        """Valid, but without a single row to write (a header only, an empty template)."""
        return not any(self.tables.values())

    @property
    def row_counts(self) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.tables.items() if rows}

    def line(self, table: str, index: int) -> int | None:
        """The file's row number of the table's ``index``-th row (a CSV's header is row 1; a
        template's rows come from its cells, so a row of it has a line only where one was kept)."""
        lines = self.lines.get(table)
        if lines:
            return lines[index]
        return index + 2 if self.kind.startswith("csv:") else None

    def reported_on(self) -> dict[str, str | None]:
        """What the file is a report of, for the import log and the reporting round: its kind and
        the one municipality, school and period all its rows share (None where they differ)."""

        def shared(*columns: str) -> str | None:
            values = {str(r[c]) for rows in self.tables.values() for r in rows for c in columns if c in r}
            return values.pop() if len(values) == 1 else None

        if self.kind == onboarding.KIND:  # a municipality's set-up: no one school or year
            return {
                "kind": self.kind,
                "municipality": shared("code", "municipality"),
                "school_id": None,
                "period": None,
            }
        return {
            "kind": self.kind or None,
            "municipality": shared("municipality"),
            "school_id": shared("school_id", "scope") if self.kind != "annex1" else None,
            "period": shared("school_year", "period", "year"),
        }


def problem(
    parsed: ParsedFile, reason: str, row: int | None = None, column: str | None = None, code: str = "", **params
) -> None:
    """Refuse the file: the reason in English (the command line), the code and values for the Data
    page's message in the user's language (``data.problem.<code>``)."""
    parsed.problems.append(Problem(parsed.name, row, column, reason, code, {k: str(v) for k, v in params.items()}))


def refused(parsed: ParsedFile, finding: privacy_guard.Finding) -> None:
    reason = f"refused: {finding.reason} ({finding.where}); nothing from this file is stored"
    problem(
        parsed, reason, finding.row, finding.column, f"personal_{finding.kind}", where=finding.column or finding.where
    )


def clear(parsed: ParsedFile) -> None:
    """A refused file keeps no rows, so nothing of it can be written."""
    parsed.tables, parsed.replaces, parsed.replaces_from, parsed.warnings, parsed.lines = {}, {}, {}, [], {}
