"""The locale catalogue without streamlit: ``ui/locales/<lang>/*.toml``, keys ``<file>.<key>``.

The app (``ui.i18n.t``) takes the language from the session; a report is built for a language
chosen explicitly (a Latvian user may download the English report) and without a running app.
Both read the strings through ``catalog`` here.
"""

from __future__ import annotations

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
