"""Import schools' yearly reports: ``python -m data_loaders.importers FILE... [--db PATH]``.

Accepted files: the annex 6 / annex 1 Excel templates (``data_loaders/templates.py``), a new
municipality's workbook (``data_loaders/onboarding.py``) and CSVs of the importable tables in this
project's own format (``enrolment.csv``, ``outcome.csv``, ...; columns as in
``docs/data_dictionary.md``). Each file is checked completely before anything is written, in this
order, each step bounded in time by the one before it:

1. limits (``limits``): size, rows, columns, cell length, what an xlsx unpacks to;
2. the privacy guard (``data_loaders.privacy_guard``) over every cell, comment, sheet name, document
   property and the file name;
3. every value strictly against its table's model (``data_loaders.models``; ``annexes`` for the
   templates' cells): no NaN, infinity, ``7_7`` or rounding, formulas and merged cells refused;
4. the rules within the file (``checks.check_file``): parts and totals, school years within reach,
   plausibility, something to import at all;
5. against the database (``checks.check``): keys, duplicates, references, plausibility.

A file with any problem is refused whole, every problem named by file, sheet, row, column, value
and reason, in the user's language on the Data page (``data.problem.<code>``). Valid files are
written in one transaction on a copy of the database that then replaces it (``writing.apply``,
``data_loaders/store.py``), so a reader never sees a half-imported state. Re-importing a
school-year replaces its figures; the replaced rows are kept in ``import_history`` and ``restore``
puts them back.
"""

from __future__ import annotations

from data_loaders.importers.checks import (
    check,
    check_against_database,
    check_parts_and_totals,
    latest_start_year,
    whole_bands,
)
from data_loaders.importers.cli import main
from data_loaders.importers.files import IMPORTABLE, REPLACE_SCOPE, STATUS_FROM_LV, ParsedFile
from data_loaders.importers.limits import MAX_BYTES, MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS
from data_loaders.importers.reading import parse
from data_loaders.importers.writing import ImportRefused, apply, log_entry, restore

__all__ = [
    "IMPORTABLE",
    "MAX_BYTES",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "REPLACE_SCOPE",
    "STATUS_FROM_LV",
    "ImportRefused",
    "ParsedFile",
    "apply",
    "check",
    "check_against_database",
    "check_parts_and_totals",
    "import_files",
    "latest_start_year",
    "log_entry",
    "main",
    "parse",
    "restore",
    "whole_bands",
]


def import_files(db_path, named_files: list[tuple[str, bytes]], user: str) -> tuple[list[ParsedFile], list[str]]:
    """Parse, check and write: the whole path used by the page and the command line."""
    parsed = check(db_path, [parse(name, data) for name, data in named_files])
    return parsed, apply(db_path, parsed, user)
