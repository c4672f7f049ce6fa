"""The app's settings: the same ``data_loaders.settings`` the commands read (environment
``PMP_*`` first, then the secrets.toml files Streamlit reads, then the default), so a setting means one thing
everywhere. Secrets are never shown, logged or written to the URL."""

from __future__ import annotations

from data_loaders.settings import Settings, env_name, fields, load

__all__ = ["Settings", "env_name", "fields", "load", "suppression_threshold"]


def suppression_threshold() -> int:
    return load().suppression_threshold
