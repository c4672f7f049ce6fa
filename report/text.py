"""The locale catalogue without streamlit: ``ui/locales/<lang>/*.toml``, keys ``<file>.<key>``.

The app (``ui.i18n.t``) takes the language from the session; a report is built for a language
chosen explicitly (a Latvian user may download the English report) and without a running app.
Both read the strings through ``catalog`` here.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parent.parent / "ui" / "locales"
LANGS = ("lv", "en")


def _flatten(prefix: str, table: dict, out: dict[str, str]) -> None:
    for key, value in table.items():
        if isinstance(value, dict):
            _flatten(f"{prefix}.{key}", value, out)
        else:
            out[f"{prefix}.{key}"] = str(value)


@cache
def catalog(lang: str) -> dict[str, str]:
    strings: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.toml")):
        with path.open("rb") as fh:
            _flatten(path.stem, tomllib.load(fh), strings)
    return strings


_DOCUMENT = re.compile(r"\b(\d{3}_[0-9a-f]{16})\.txt\b")


def readable_sources(source: str, lang: str) -> str:
    """A source reference for a caption: a programme document's file name ("000_1fa73b8ac5d971ff.txt |
    3.2. tabula ...") reads as the document's title (``documents.toml``). Tables, downloads and the
    database keep the file name itself, so every figure can still be traced to its row."""
    strings = catalog(lang)
    return _DOCUMENT.sub(lambda match: strings.get(f"documents.d{match.group(1)}", match.group(0)), source)


class Text:
    """``Text("lv")("report.title", year="2023/2024")``: the string with its fields filled in."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.strings = catalog(lang)

    def __call__(self, key: str, **values: object) -> str:
        text = self.strings.get(key)
        if text is None:
            raise KeyError(f"no translation for {key!r} in {self.lang}")
        return text.format(**values) if values else text
