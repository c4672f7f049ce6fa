"""Settings, read in one place by the app and every command (``python -m data_loaders.*``).

Each setting is a field of ``Settings``. Its value comes from the environment (``PMP_<NAME>``,
e.g. ``PMP_DB``) first, then from the top level of ``.streamlit/secrets.toml`` in the project
folder (the key in lower case, e.g. ``db = "/srv/pmp/pmp.duckdb"``), then the default. An empty
value counts as not set. Secrets are never shown, logged or written to the URL.

The ``[auth]`` section of the same file is Streamlit's own (``st.login``): it is read by Streamlit,
not here (``ui/auth.py``).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "pmp.duckdb"
# Where the secrets are read from; tests point it elsewhere.
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
ENV_PREFIX = "PMP_"


class Settings(BaseSettings):
    """Every setting of the app and the commands; README's settings table lists each one."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_ignore_empty=True, extra="ignore", frozen=True, case_sensitive=False
    )

    db: str = Field(
        default=str(DEFAULT_DB),
        description="Database file, or a DuckDB connection string for a hosted database (md:...).",
    )
    suppression_threshold: int = Field(
        default=5,
        description="Counts of pupils below it are hidden everywhere, shown as 'x' (so are figures they follow from).",
    )
    viewer_password: SecretStr | None = Field(
        default=None, description="If set, viewing the dashboard needs this password (or a signed-in account)."
    )
    require_sign_in: bool = Field(default=False, description="If true, viewing the dashboard needs a named account.")
    throttle_file: str | None = Field(
        default=None,
        description="Shared state of wrong sign-in attempts (default: beside the database, <db>.signin).",
    )
    auth_provider: str | None = Field(
        default=None,
        description="With st.login: the provider section of [auth] to use (default: [auth] itself).",
    )

    @field_validator("suppression_threshold", mode="before")
    @classmethod
    def _threshold(cls, value: object) -> int:
        """Anything not a whole number falls back to 5; the rest is kept within 1..100000."""
        try:
            number = int(str(value).strip())
        except ValueError:
            return 5
        return max(1, min(100_000, number))

    @field_validator("viewer_password", "throttle_file", "auth_provider", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # arguments first (tests), then the environment, then secrets.toml; defaults last
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=SECRETS_FILE)

    def signin_state_file(self) -> Path:
        """The file every session, process and replica shares for wrong sign-in attempts."""
        if self.throttle_file:
            return Path(self.throttle_file)
        if self.db.startswith(("md:", "motherduck:")):  # a hosted database has no folder of ours
            return DEFAULT_DB.with_name("pmp.signin")
        db = Path(self.db)
        return db.with_name(db.name + ".signin")


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def fields() -> dict[str, str]:
    """Setting name -> its description (for the README check and ``--help`` texts)."""
    return {name: info.description or "" for name, info in Settings.model_fields.items()}


@lru_cache(maxsize=8)
def _load(environment: tuple[tuple[str, str], ...], secrets: tuple[str, int]) -> Settings:
    return Settings()


def load() -> Settings:
    """The settings as they are now: read again when a ``PMP_*`` variable or the secrets file changed."""
    environment = tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith(ENV_PREFIX)))
    try:
        stamp = SECRETS_FILE.stat().st_mtime_ns
    except OSError:
        stamp = -1
    return _load(environment, (str(SECRETS_FILE), stamp))
