"""The locale catalogue without streamlit: ``presentation/locales/<lang>/*.toml``, keys ``<file>.<key>``.

The app (``ui.i18n.t``) takes the language from the session; a report is built for a language
chosen explicitly (a Latvian user may download the English report) and without a running app.
Both read the strings through ``catalog`` here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from presentation.cldr import format_text

LOCALES = Path(__file__).resolve().parent / "locales"
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


_DOCUMENT = re.compile(r"^(\d{3}_[0-9a-f]{16})\.txt \| (.*)$", re.DOTALL)


def readable_sources(sources: Iterable[str] | str, lang: str) -> str:
    """A caption's source reference from a list of sources (``metrics.provenance``; a single text is
    one source, never split: a source may hold "; " itself). Programme documents are named by title
    (``documents.toml``) instead of file name, once per document with its tables after it:
    ["000_1fa73b8ac5d971ff.txt | 1.1.tab. A", "000_1fa73b8ac5d971ff.txt | 3.2.tab. B"] reads
    "<title>: 1.1.tab. A; 3.2.tab. B"; different documents and other sources are separated by " · ".
    Tables, downloads and the database keep the file names, so every figure stays traceable to its row."""
    strings = catalog(lang)
    parts: dict[str, list[str]] = {}
    listed = [sources] if isinstance(sources, str) else sources
    for part in dict.fromkeys(s.strip() for s in listed if isinstance(s, str) and s.strip()):
        match = _DOCUMENT.match(part)
        title = strings.get(f"documents.d{match.group(1)}") if match else None
        if title is None:
            parts.setdefault(_said(part, strings), [])
        else:
            parts.setdefault(title, []).append(match.group(2))
    return " · ".join(f"{head}: {'; '.join(tails)}" if tails else head for head, tails in parts.items())


# Sources the app itself writes (data_loaders/synthetic.py, data_loaders/importers.py) -> their
# wording in documents.toml, with the parts that identify them (generator and seed; form and file).
_OWN_SOURCES = {
    "synthetic": re.compile(
        r"^synthetic(?: national-scale data)?: (?P<generator>\S+)(?: --scale)? "
        r"\(seed (?P<seed>\d+)\); not a real figure$"
    ),
    "imported": re.compile(r"^import: annex (?P<annex>\d) (?P<scope>\S+) (?P<year>\S+) \((?P<file>.*?)\)$"),
}


def _said(part: str, strings: dict[str, str]) -> str:
    """One source that is not a programme document, in the reader's language where it is one of the
    app's own (a synthetic figure, an import), else as stored."""
    for key, pattern in _OWN_SOURCES.items():
        if (match := pattern.match(part)) and f"documents.{key}" in strings:
            return strings[f"documents.{key}"].format(**match.groupdict())
    return part


def t(key: str, lang: str, **values: object) -> str:
    """The string for ``key`` in ``lang``, with ``{name}`` fields filled in (plural forms by CLDR)."""
    text = catalog(lang).get(key)
    if text is None:
        raise KeyError(f"no translation for {key!r} in {lang}")
    return format_text(text, lang, values) if values else text


class Text:
    """``Text("lv")("report.title", year="2023/2024")``: the string with its fields filled in."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.strings = catalog(lang)

    def __call__(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)
