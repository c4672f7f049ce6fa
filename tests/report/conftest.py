from __future__ import annotations

import re
from html.parser import HTMLParser

import duckdb
import pytest

from report.sections import ConnectionReader

NBSP = "\u00a0"
MUNICIPALITIES = ("LUD", "JEK", "DEMO")


@pytest.fixture(scope="module")
def reader(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield ConnectionReader(con)
    con.close()


def number(text: str, lang: str) -> float | None:
    """A number as shown ("1 765", "3,83", "12,2 %" in Latvian; "1,765", "12.2%" in English);
    None for anything that is not a plain number ("<5", "nav datu", "–")."""
    value = str(text).replace(NBSP, "").replace("%", "").strip()
    value = value.replace(" ", "").replace(",", ".") if lang == "lv" else value.replace(",", "")
    return float(value) if re.fullmatch(r"-?\d+(\.\d+)?", value) else None


class Tables(HTMLParser):
    """Every <table> of an HTML document as rows of cell texts, by the section that holds it."""

    def __init__(self) -> None:
        super().__init__()
        self.section: str | None = None
        self.tables: dict[str, list[list[list[str]]]] = {}
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs.get("data-section")
        elif tag == "table":
            self.tables.setdefault(self.section, []).append([])
        elif tag == "tr":
            self.tables[self.section][-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[self.section][-1][-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def html_tables(document: str) -> dict[str, list[list[list[str]]]]:
    parser = Tables()
    parser.feed(document)
    return parser.tables
