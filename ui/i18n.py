"""Translations: every visible string comes from ``presentation/locales/<lang>/*.toml`` by key.

Keys are ``<file>.<key>`` (e.g. ``overview.title``); a file's tables nest with dots. The
language lives in the session (``st.session_state["lang"]``), never in a module global.
"""

from __future__ import annotations

import streamlit as st

from presentation import text
from presentation.text import LANGS, LOCALES, catalog

__all__ = ["LANGS", "LOCALES", "catalog", "current_lang", "has", "t"]


def current_lang() -> str:
    lang = st.session_state.get("lang", "lv")
    return lang if lang in LANGS else "lv"


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The string for ``key`` in the session's language (``presentation.text.t``)."""
    return text.t(key, lang or current_lang(), **values)


def has(key: str, lang: str | None = None) -> bool:
    return key in catalog(lang or current_lang())
