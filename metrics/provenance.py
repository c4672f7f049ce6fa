"""Where a figure comes from: every frame the SQL returns carries its provenance as lists.

Each fact row names one source (a programme document and table such as ``000_1fa73b8ac5d971ff.txt |
1.1.tab. A``, a synthetic-data note, or an import); a metric row made of several fact rows carries
the list of their distinct sources in its ``source`` column. A source may itself hold "; " (a
document table title, the synthetic note), so sources are never joined into one text and split
again: lists are merged (each source once, in first-seen order), and only the very edge (a caption
through ``presentation.text.readable_sources``, a table cell, a download) joins them for the reader.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

# The columns of the SQL files that hold provenance (``run_sql`` makes each cell a list of str).
# ``pupils_source`` is where the pupil count beside a support-staff row comes from.
COLUMNS: tuple[str, ...] = ("source", "pupils_source")
SEPARATOR = "; "  # how a table cell or a download shows a row's sources


def as_list(value: object) -> list[str]:
    """One cell's sources as a list: a list (or array, tuple) as it is, a single text as a list of
    one, a missing cell as an empty list. Missing and empty items are left out."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return [str(item) for item in value if isinstance(item, str) and item]
    return []


def merge(*cells: object) -> list[str]:
    """The sources of several cells (each a list, a text or missing), each once, in first-seen order."""
    return list(dict.fromkeys(source for cell in cells for source in as_list(cell)))


def sources(*frames: pd.DataFrame, columns: Iterable[str] = ("source",)) -> list[str]:
    """Every source named by the frames' rows (in ``columns``, where a frame has them), each once,
    in first-seen order: the sources of a chart or a table drawn from these rows."""
    wanted = tuple(columns)
    return merge(*(cell for frame in frames for column in wanted if column in frame for cell in frame[column]))


def joined(value: object) -> str:
    """A row's sources as one text for a table cell or a download (the reader's edge: never split again)."""
    return SEPARATOR.join(as_list(value))


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each provenance column as Python lists of str (DuckDB gives a VARCHAR[] column
    as numpy arrays and a NULL list as a missing value; an empty list is "no source")."""
    for column in COLUMNS:
        if column in frame:
            frame[column] = pd.Series([as_list(v) for v in frame[column]], index=frame.index, dtype=object)
    return frame


def is_list_cell(value: object) -> bool:
    return isinstance(value, list | tuple | np.ndarray)


def readable_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every list cell (a row's sources) joined into one text, for a table on screen or
    a download; other cells as they are. Returns the frame itself when it holds no list cell."""
    columns = [(i, c) for i, (_, c) in enumerate(frame.items()) if c.dtype == object and any(map(is_list_cell, c))]
    if not columns:
        return frame
    out = frame.copy()
    for i, column in columns:  # by position: a shown table may repeat a heading
        out.iloc[:, i] = [SEPARATOR.join(str(x) for x in v if not pd.isna(x)) if is_list_cell(v) else v for v in column]
    return out
