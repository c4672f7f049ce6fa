"""Settings are data: each has a name, where it is read from, a default and a help text.

Values come from the environment (``PMP_...``) first, then ``.streamlit/secrets.toml``,
then the default. Secrets are never shown, logged or written to the URL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("admin_password", "PMP_ADMIN_PASSWORD", None, "Secret for the Data page (import, export, restore)."),
    Setting("viewer_password", "PMP_VIEWER_PASSWORD", None, "If set, viewing the dashboard needs this password."),
    Setting("suppression_threshold", "PMP_SUPPRESSION_THRESHOLD", "5", "Counts of pupils below this show as '<N'."),
    Setting("db", "PMP_DB", None, "Database file (default data/pmp.duckdb)."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str | None:
    setting = _BY_NAME[name]
    value = os.environ.get(setting.env)
    if value:
        return value
    try:
        secret = st.secrets.get(name)
    except Exception:  # no secrets.toml: that is the normal case
        secret = None
    return str(secret) if secret not in (None, "") else setting.default


def suppression_threshold() -> int:
    raw = get("suppression_threshold") or "5"
    try:
        return max(1, min(100_000, int(raw)))
    except ValueError:
        return 5
