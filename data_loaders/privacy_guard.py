"""Refuse files that look like they hold personal data, before anything from them is stored.

Only anonymised per-school aggregates belong in the database (Ludza programme, confidentiality
rules). A column named like a personal attribute, or any cell holding a Latvian personal code,
an e-mail address or a phone number, makes the whole file refused with the cell and the reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Column names, compared without diacritics, case or punctuation.
PERSONAL_COLUMNS = {
    "vards": "a first name column (vārds)",
    "uzvards": "a surname column (uzvārds)",
    "vards uzvards": "a name column (vārds, uzvārds)",
    "name": "a name column",
    "first name": "a name column",
    "last name": "a name column",
    "surname": "a name column",
    "full name": "a name column",
    "personas kods": "a personal code column (personas kods)",
    "personal code": "a personal code column",
    "pk": "a personal code column (p.k.)",
    "e pasts": "an e-mail column (e-pasts)",
    "epasts": "an e-mail column (e-pasts)",
    "email": "an e-mail column",
    "e mail": "an e-mail column",
    "talrunis": "a phone column (tālrunis)",
    "telefons": "a phone column (telefons)",
    "phone": "a phone column",
    "dzimsanas datums": "a date-of-birth column (dzimšanas datums)",
    "date of birth": "a date-of-birth column",
    "adrese": "an address column (adrese)",
    "address": "an address column",
    "skolena vards": "a pupil-name column",
    "berna vards": "a child-name column",
}
# Columns of the project's own tables that a personal-column name would match but that name an
# institution: a school's name. Allowed only in that table's file or sheet header.
INSTITUTION_COLUMNS: dict[str, frozenset[str]] = {"school": frozenset({"name"})}
PERSONAL_CODE = re.compile(r"(?<!\d)(?:[0-3]\d[01]\d\d\d|32\d{4})-?\d{5}(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?:\+371[\s-]?\d{8}(?!\d))|(?<![\d.,])[26]\d{2}[\s-]\d{2}[\s-]?\d{3}(?![\d.,])")


@dataclass(frozen=True)
class Finding:
    where: str  # "row 5, column 'note'" or "sheet 'X', cell B7"
    reason: str
    row: int | None = None  # the spreadsheet row (header = 1), where the finding is in a cell
    column: str | None = None  # the column name or the cell (B7)
    kind: str = "value"  # "column" (a personal column name) or what a value looks like: code, email, phone


def normalise(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def column_finding(name: str) -> str | None:
    return PERSONAL_COLUMNS.get(normalise(name))


def value_kind(value: str) -> str:
    """What a value refused by ``value_finding`` looks like: code, email or phone."""
    return "code" if PERSONAL_CODE.search(value) else "email" if EMAIL.search(value) else "phone"


def value_finding(value: str) -> str | None:
    if PERSONAL_CODE.search(value):
        return "looks like a Latvian personal code (DDMMYY-NNNNN)"
    if EMAIL.search(value):
        return "looks like an e-mail address"
    if PHONE.search(value):
        return "looks like a phone number"
    return None


def scan_table(
    header: Iterable[str],
    rows: Iterable[tuple[int, list[str]]],
    place: str = "",
    allowed: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Scan a header and (row number, cells) pairs; ``place`` prefixes each location (a sheet);
    ``allowed`` columns are the table's own institution names (``INSTITUTION_COLUMNS``)."""
    findings: list[Finding] = []
    columns = list(header)
    for column in columns:
        reason = column_finding(column) if column and column not in allowed else None
        if reason:
            findings.append(Finding(f"{place}column '{column}'", f"the file has {reason}", 1, column, "column"))
    for line, cells in rows:
        for index, cell in enumerate(cells):
            if cell is None or not isinstance(cell, str) or not cell.strip():
                continue
            reason = value_finding(cell)
            if reason:
                column = columns[index] if index < len(columns) else f"#{index + 1}"
                where = f"{place}row {line}, column '{column}'"
                findings.append(Finding(where, f"a value {reason}", line, column, value_kind(cell)))
    return findings
