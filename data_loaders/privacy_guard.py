"""Refuse files that look like they hold personal data, before anything from them is stored.

Only anonymised per-school aggregates belong in the database (Ludza programme, confidentiality
rules). A column named like a personal attribute, or any cell holding a Latvian personal code (old
DDMMYY-NNNNN or new 32NNNN-NNNNN), an e-mail address, a phone number, a person's name, a birth date
or an address makes the whole file refused with the cell and the reason.

Text is normalised first (Unicode NFKC, so full-width digits and ＠ read as 0-9 and @; every kind
of dash, space and dot between digits), so ``010203–12345``, ``01.02.03-12345`` or ``(+371) 29-12-34-56``
are found as well. Numbers are looked at too (a personal code typed as a number loses its leading
zero). Every pattern runs in time proportional to the text: bounded repetitions only, e-mail
addresses looked for around each ``@`` rather than by a pattern that rescans a long run of letters
(which took 36 s on a 130 KB cell and stalled every other user of the app). The importer limits a
cell's length before any of this runs (``data_loaders.importers.limits``).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from data_loaders import person_names

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
    "pupil": "a pupil column",
    "pupil name": "a name column",
    "student": "a pupil column",
    "student name": "a name column",
    "skolens": "a pupil column (skolēns)",
    "skoleni": "a pupil column (skolēni)",
    "izglitojamais": "a pupil column (izglītojamais)",
    "personas kods": "a personal code column (personas kods)",
    "pers kods": "a personal code column (pers. kods)",
    "personal code": "a personal code column",
    "pk": "a personal code column (p.k.)",
    "e pasts": "an e-mail column (e-pasts)",
    "epasts": "an e-mail column (e-pasts)",
    "email": "an e-mail column",
    "e mail": "an e-mail column",
    "talrunis": "a phone column (tālrunis)",
    "talr": "a phone column (tālr.)",
    "tel": "a phone column (tel.)",
    "tel nr": "a phone column (tel. nr.)",
    "telefons": "a phone column (telefons)",
    "mobilais": "a phone column (mobilais)",
    "phone": "a phone column",
    "mobile": "a phone column",
    "dzimsanas datums": "a date-of-birth column (dzimšanas datums)",
    "dzimis": "a date-of-birth column (dzimis)",
    "date of birth": "a date-of-birth column",
    "birth date": "a date-of-birth column",
    "dob": "a date-of-birth column",
    "adrese": "an address column (adrese)",
    "dzivesvieta": "an address column (dzīvesvieta)",
    "address": "an address column",
    "skolena vards": "a pupil-name column",
    "berna vards": "a child-name column",
}
# Columns of the project's own tables that a personal-column name would match but that name an
# institution: a school's name. Allowed only in that table's file or sheet header.
INSTITUTION_COLUMNS: dict[str, frozenset[str]] = {"school": frozenset({"name"})}
# Columns that hold the name of a school or municipality (often after a person: "Valda Zālīša
# pamatskola"): the person-name rule does not apply to them; codes, phones and e-mails still do.
NAMES_OF_INSTITUTIONS: dict[str, frozenset[str]] = {
    "school": frozenset({"name"}),
    "school_event": frozenset({"former_name"}),
    "municipality": frozenset({"name_lv", "name_en"}),
}

REASONS = {
    "code": "looks like a Latvian personal code (DDMMYY-NNNNN)",
    "email": "looks like an e-mail address",
    "phone": "looks like a phone number",
    "name": "looks like a person's name",
    "birth_date": "looks like a date of birth",
    "address": "looks like an address",
}

_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
# digits, then an optional separator of at most one dot or dash with spaces around it
_SEP = r"[ ]?[.\-]?[ ]?"
# old format: day, month, year, then the century digit and four more; new format: 32 and nine digits
_OLD_CODE = re.compile(rf"(?<![\d])([0-3]\d){_SEP}([01]\d){_SEP}(\d\d){_SEP}([0-2]\d{{4}})(?![\d])")
_NEW_CODE = re.compile(rf"(?<![\d])32\d{{4}}{_SEP}\d{{5}}(?![\d])")
_PHONE_COUNTRY = re.compile(r"(?:\+|\b00)[ ]?\(?[ ]?371[ ]?\)?[ ]?[.\-]?[ ]?\d(?:[ ]?[.\-]?[ ]?\d){7}(?!\d)")
_PHONE_BRACKETED = re.compile(r"\([ ]?\+[ ]?371[ ]?\)[ ]?\d(?:[ ]?[.\-]?[ ]?\d){7}(?!\d)")
# a Latvian number without the country code: 8 digits from 2 (mobile) or 6 (landline), together or in
# groups; not inside a longer number, a decimal, a date or a school year, nor an education programme
# code (8 digits from 21, e.g. 21015811), which a note may well name
_PHONE_LOCAL = re.compile(r"(?<![\d/.,:])(?:[26]\d{7}|[26]\d{1,3}(?:[ \-]\d{2,4}){1,3})(?![\d/]|[.,:]\d)")
_AT = "@"
_DIGIT = re.compile(r"\d")
_EMAIL_LOCAL = re.compile(r"[\w.%+\-]")
_EMAIL_DOMAIN = re.compile(r"[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)?")
_BIRTH = re.compile(r"\b(?:dzim(?:is|usi|šanas|\.)|dz\.|born|date of birth|birth ?date|d\.o\.b\.?|dob)", re.IGNORECASE)
_DATE = re.compile(
    r"\b(?:\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}|\d{4}[./\-]\d{1,2}[./\-]\d{1,2}|\d{4}\. ?g(?:ada|\.)? ?\d{1,2}\.)"
)
_STREET = re.compile(
    r"\b[^\W\d_]{2,40}[ ](?:iela|ielā|ielas|iel\.|prospekts|prospektā|prosp\.|bulvāris|bulvārī|bulv\.|gatve|gatvē|"
    r"šoseja|šosejā|street|st\.|avenue|road)[ ,]{0,2}(?:nr\.[ ]?)?\d{1,4}",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"\bLV[ ]?-?[ ]?\d{4}\b")
MAX_AT_SIGNS = 200  # a cell is short (limits); past this many, it is not ordinary text anyway


@dataclass(frozen=True)
class Finding:
    where: str  # "row 5, column 'note'" or "sheet 'X', cell B7"
    reason: str
    row: int | None = None  # the spreadsheet row (header = 1), where the finding is in a cell
    column: str | None = None  # the column name or the cell (B7)
    kind: str = "value"  # "column" (a personal column name) or what a value looks like (REASONS)


def normalise(text: str) -> str:
    """A column name without diacritics, case or punctuation: "E-pasts" -> "e pasts"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def normalise_text(text: str) -> str:
    """Text as the patterns read it: NFKC (full-width forms to ASCII, ＠ to @), every dash to "-",
    every kind of space to one space, invisible characters removed."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _SPACES.sub(" ", _DASHES.sub("-", text))


def column_finding(name: str) -> str | None:
    return PERSONAL_COLUMNS.get(normalise(name))


def _personal_code(text: str) -> bool:
    for match in _OLD_CODE.finditer(text):
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return True
    return _NEW_CODE.search(text) is not None


def _year_like(group: str) -> bool:
    return len(group) == 4 and 1990 <= int(group) <= 2099


def _phone(text: str) -> bool:
    if _PHONE_COUNTRY.search(text) or _PHONE_BRACKETED.search(text):
        return True
    for match in _PHONE_LOCAL.finditer(text):
        groups = re.split(r"[ \-]", match.group())
        if sum(len(g) for g in groups) != 8:
            continue
        if len(groups) > 1 and _year_like(groups[0]):  # "2019-2022", "2021 09 01": years and dates
            continue
        if len(groups) == 1 and groups[0].startswith("21"):  # an education programme code (21011111)
            continue
        return True
    return False


def _email(text: str) -> bool:
    """An address around an ``@``: a local part's character before it, a domain with a dot and a
    top-level name of letters after it (read from the ``@`` on, bounded, so a cell of many ``@`` and
    long runs of letters costs time in proportion to its length)."""
    start, seen = 0, 0
    while (at := text.find(_AT, start)) != -1 and seen < MAX_AT_SIGNS:
        if at > 0 and _EMAIL_LOCAL.match(text[at - 1]) and _EMAIL_DOMAIN.match(text, at + 1, at + 256):
            return True
        start, seen = at + 1, seen + 1
    return False


def person_name(text: str) -> bool:
    """A person's name: a known given name next to a capitalised word ("Anna Ozola", "Ozola Anna"),
    a known surname after an initial ("J. Bērziņš"), or a known given name and surname in any case.
    Only words separated by spaces are paired (not across a full stop or a comma)."""
    given, family = person_names.given_names(), person_names.surnames()
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    for (first, _, first_end), (second, second_start, _) in itertools.pairwise(words):
        between = text[first_end:second_start]
        if between not in (" ", ". "):
            continue
        a, b = first.casefold(), second.casefold()
        if between == ". ":  # an initial before a surname: "J. Bērziņš"
            if len(first) == 1 and first.isupper() and b in family and second[0].isupper():
                return True
            continue
        if (a in given and b in family) or (a in family and b in given):
            return True
        capitals = first[0].isupper() and second[0].isupper() and len(second) > 1
        if capitals and (a in given or b in given) and not first.isupper() and not second.isupper():
            return True
    return False


def _birth_date(text: str) -> bool:
    return any(_DATE.search(text, m.end(), m.end() + 40) for m in _BIRTH.finditer(text))


def _address(text: str) -> bool:
    return bool(_STREET.search(text) or _POSTCODE.search(text))


def text_kind(value: str, names: bool = True) -> str | None:
    """What personal data a text looks like (a key of ``REASONS``), or None. ``names`` False: the
    person-name rule is left out (the name of a school or municipality)."""
    text = normalise_text(value)
    digits = _DIGIT.search(text) is not None  # codes, phones, dates and addresses all have digits
    if digits and _personal_code(text):
        return "code"
    if _AT in text and _email(text):
        return "email"
    if digits and _phone(text):
        return "phone"
    if digits and _birth_date(text):
        return "birth_date"
    if digits and _address(text):
        return "address"
    if names and person_name(text):
        return "name"
    return None


def number_kind(value: int | float) -> str | None:
    """A number typed into a cell: a personal code (11 digits, or 10 once Excel dropped the leading
    zero) or a phone number (8 digits from 2 or 6, or 371 and 8 digits)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not (value == value and abs(value) < 1e15 and value.is_integer()):
        return None
    digits = str(abs(int(value)))
    if len(digits) == 10:
        digits = "0" + digits
    if len(digits) == 11 and (_personal_code(digits) or (digits.startswith("371") and digits[3] in "26")):
        return "code" if _personal_code(digits) else "phone"
    if len(digits) == 8 and digits[0] in "26" and not digits.startswith("21"):
        return "phone"
    return None


def value_kind(value: object, names: bool = True) -> str | None:
    if isinstance(value, str):
        return text_kind(value, names) if value.strip() else None
    return number_kind(value)  # type: ignore[arg-type]


def value_finding(value: object, names: bool = True) -> str | None:
    """The reason a value is refused, or None."""
    kind = value_kind(value, names)
    return REASONS[kind] if kind else None


def scan_table(
    header: Iterable[str],
    rows: Iterable[tuple[int, list[str]]],
    place: str = "",
    allowed: frozenset[str] = frozenset(),
    institutions: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Scan a header and (row number, cells) pairs; ``place`` prefixes each location (a sheet);
    ``allowed`` columns are the table's own institution names (``INSTITUTION_COLUMNS``), and
    ``institutions`` the columns the person-name rule skips (``NAMES_OF_INSTITUTIONS``)."""
    findings: list[Finding] = []
    columns = list(header)
    for column in columns:
        reason = column_finding(column) if column and column not in allowed else None
        if reason:
            findings.append(Finding(f"{place}column '{column}'", f"the file has {reason}", 1, column, "column"))
        elif column and (kind := text_kind(column)):
            where = f"{place}column '{column}'"
            findings.append(Finding(where, f"a column name {REASONS[kind]}", 1, column, kind))
    for line, cells in rows:
        for index, cell in enumerate(cells):
            if cell is None or not isinstance(cell, str) or not cell.strip():
                continue
            column = columns[index] if index < len(columns) else f"#{index + 1}"
            kind = text_kind(cell, names=column not in institutions)
            if kind:
                where = f"{place}row {line}, column '{column}'"
                findings.append(Finding(where, f"a value {REASONS[kind]}", line, column, kind))
    return findings
