"""Limits checked before any parsing or pattern matching, so that checking a file costs time and
memory in proportion to a file of the expected kind, never more, and one upload cannot stall the
app for everyone else (a 300 MB string in an xlsx, a million rows, a cell of 130 KB).

The yearly templates are a few kilobytes; the largest legitimate files are national CSVs of tens of
thousands of rows. Everything here is far above those and far below what hurts.
"""

from __future__ import annotations

import io
import re
import zipfile

from data_loaders.models import MAX_TEXT

MAX_BYTES = 5 * 1024 * 1024  # an uploaded file as it is sent
MAX_ROWS = 50_000  # data rows of a CSV
MAX_COLUMNS = 60  # cells in a CSV row, columns in use on a sheet
MAX_CELL_CHARS = MAX_TEXT  # characters in a cell (the models' longest text)
# an xlsx is a zip: what it unpacks to, checked from its directory before anything is unpacked
MAX_XLSX_UNCOMPRESSED = 12 * 1024 * 1024
MAX_XLSX_PARTS = 300
MAX_SHEET_ROWS = 10_000
MAX_CELLS = 100_000  # on all sheets together (an annex is a few hundred)
MAX_PROBLEMS = 50  # a file is refused after this many: the list stays readable, the check short
_ROW = re.compile(rb"<(?:\w{1,20}:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w{1,20}:)?c[\s>/]")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected workbook, or an old .xls
# parts of a workbook the dashboard never reads and that run or fetch something when it is opened
_ACTIVE_PARTS = {
    "vbaproject.bin": ("xlsx_macros", "the workbook holds macros"),
    "externallinks/": ("xlsx_external", "the workbook links to other files"),
    "embeddings/": ("xlsx_embedded", "the workbook holds embedded objects"),
    "activex/": ("xlsx_embedded", "the workbook holds embedded objects"),
}


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def xlsx_container(data: bytes) -> tuple[str, str, dict] | None:
    """What is wrong with an xlsx before it is opened, as (code, reason, params), or None.

    Read from the zip's directory and, for the XML parts, a bounded read of their bytes (a zip
    entry never unpacks to more than its declared size: Python's zipfile stops there and fails the
    checksum), so a zip bomb is refused in milliseconds."""
    if data.startswith(OLE_MAGIC):
        return (
            "xlsx_encrypted",
            "a password-protected workbook or an old .xls file: save it as an .xlsx workbook without a password",
            {},
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except Exception as err:  # BadZipFile, an unknown zip version (NotImplementedError), a damaged directory
        return "bad_xlsx", f"not a valid Excel (.xlsx) file: {type(err).__name__}", {}
    if len(parts) > MAX_XLSX_PARTS:
        return (
            "xlsx_parts",
            f"the workbook has {len(parts)} parts (at most {MAX_XLSX_PARTS})",
            {"limit": MAX_XLSX_PARTS},
        )
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_XLSX_UNCOMPRESSED:
        size, limit = megabytes(unpacked), megabytes(MAX_XLSX_UNCOMPRESSED)
        reason = f"the workbook unpacks to {size} MB (at most {limit} MB): it holds far more than a report"
        return "xlsx_too_large", reason, {"size": size, "limit": limit}
    for part in parts:
        name = part.filename.lower()
        for marker, (code, reason) in _ACTIVE_PARTS.items():
            if marker in name:
                return code, f"{reason} ({part.filename}): save it as a plain .xlsx workbook", {"part": part.filename}
    cells = 0
    try:
        for part in parts:
            name = part.filename.lower()
            if not name.endswith((".xml", ".rels", ".vml")):
                continue
            content = archive.read(part)
            if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
                reason = f"the workbook's part {part.filename} declares XML entities, which no spreadsheet writes"
                return "xlsx_doctype", reason, {"part": part.filename}
            if name.startswith("xl/worksheets/"):  # counted in the XML, before openpyxl builds a cell of them
                rows = len(_ROW.findall(content))
                cells += len(_CELL.findall(content))
                if rows > MAX_SHEET_ROWS:
                    reason = f"a sheet ({part.filename}) has {rows} rows (at most {MAX_SHEET_ROWS})"
                    return "sheet_rows", reason, {"rows": rows, "limit": MAX_SHEET_ROWS}
                if cells > MAX_CELLS:
                    return (
                        "too_many_cells",
                        f"the workbook holds over {MAX_CELLS} cells",
                        {"n": cells, "limit": MAX_CELLS},
                    )
    except Exception as err:  # a damaged part: BadZipFile, zlib.error, an unknown compression, ...
        return "bad_xlsx", f"not a valid Excel (.xlsx) file: {type(err).__name__}", {}
    return None
