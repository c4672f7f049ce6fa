"""Translations: every visible string comes from ``ui/locales/<lang>/*.toml`` by key.

Keys are ``<file>.<key>`` (e.g. ``overview.title``); a file's tables nest with dots. The
language lives in the session (``st.session_state["lang"]``), never in a module global.
"""

from __future__ import annotations

import streamlit as st

from report.text import LANGS, LOCALES, catalog
from ui.cldr import format_text

__all__ = ["LANGS", "LOCALES", "catalog", "current_lang", "has", "t"]


def current_lang() -> str:
    lang = st.session_state.get("lang", "lv")
    return lang if lang in LANGS else "lv"


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The string for ``key`` in the session's language, with ``{name}`` fields filled in."""
    lang = lang or current_lang()
    text = catalog(lang).get(key)
    if text is None:
        raise KeyError(f"no translation for {key!r} in {lang}")
    return format_text(text, lang, values) if values else text  # plural forms by CLDR (ui/cldr.py)


def has(key: str, lang: str | None = None) -> bool:
    return key in catalog(lang or current_lang())
