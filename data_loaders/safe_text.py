"""Stored text on its way out: never a live formula in a download, never Markdown on a page.

* A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
  return before one) as a formula: ``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``. In a CSV such a text
  gets a leading apostrophe (what a spreadsheet itself shows for text typed that way); in an XLSX the
  cell is written as text (``defuse_workbook``), so nothing is lost. Numbers stay numbers.
* Streamlit renders captions, messages, table cells of ``st.table`` and widget labels as Markdown:
  ``![x](http://host/pixel.png)`` makes the browser fetch an image, ``[Sign in](...)`` shows a link.
  ``escape_markdown`` makes stored text read as the characters it holds.

The importer refuses such text in the first place (``data_loaders.models.text_rule``); this is the
second line, for whatever the database holds from before or from elsewhere.
"""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl import load_workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What makes stored text do something in Markdown: brackets (links, images, Streamlit's coloured
# text ":red[...]"), angle brackets (HTML, <autolinks>), backticks, dollars (LaTeX), the backslash
# itself; and the start of a bare web address that GitHub-style Markdown turns into a link. Other
# punctuation (a full stop, parentheses, an underscore in data_loaders/synthetic.py) stays as it is,
# so the text reads the same in the page's source as on screen.
_MARKDOWN = re.compile(r"([\\\[\]<>`$])")
_AUTOLINK = re.compile(r"\b(https?|ftp|mailto|www)([:.])", re.IGNORECASE)

# a number as a page shows it ("-5", "+1,5", "-1 878", "4,0%"): what a spreadsheet reads as that number
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9\s\u00a0\u202f.,]*%?")


def formula_like(value: object) -> bool:
    """Text a spreadsheet would run as a formula (a plain signed number is just that number)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return False
    return not _PLAIN_NUMBER.fullmatch(value) and value.strip() not in ("-", "+")


def neutralise(value: object) -> object:
    """A CSV cell that a spreadsheet will not run: text starting like a formula gets a leading "'"."""
    return "'" + value if formula_like(value) else value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the frame whose text cells (and column names) are neutralised; numbers untouched."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def defuse_workbook(workbook) -> None:
    """Every cell openpyxl would write as a formula is written as text instead: the dashboard's
    workbooks hold figures and words, never formulas, so a cell that reads as one came from data."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def defused_xlsx(data: bytes) -> bytes:
    """An XLSX made elsewhere (``presentation.table_export``), with ``defuse_workbook`` applied."""
    workbook = load_workbook(io.BytesIO(data))
    if not any(cell.data_type == "f" for ws in workbook.worksheets for row in ws.iter_rows() for cell in row):
        return data
    defuse_workbook(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def escape_markdown(text: object) -> str:
    """Text that Markdown shows as the characters it holds: no link, image, HTML, code or formula."""
    return _AUTOLINK.sub(r"\1\\\2", _MARKDOWN.sub(r"\\\1", str(text)))
