"""Settings, read in one place by the app and every command (``python -m data_loaders.*``).

Each setting is a field of ``Settings``. Its value comes from the environment (``PMP_<NAME>``,
e.g. ``PMP_DB``) first, then from the top level of the secrets files Streamlit reads (the key in
lower case, e.g. ``db = "/srv/pmp/pmp.duckdb"``), then the default. An empty value counts as not
set. Secrets are never shown, logged or written to the URL.

The secrets files are Streamlit 1.67's default ``secrets.files``, in its order, a later file's key
winning over an earlier one's: ``~/.streamlit/secrets.toml``, then ``.streamlit/secrets.toml`` in
the working folder, then the one beside the app's main script (``dashboard.py``: the project
folder's). So ``db`` in ``~/.streamlit/secrets.toml`` is the app's and every command's alike.

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
# The secrets file beside the app's main script (dashboard.py), the last of Streamlit's defaults.
PROJECT_SECRETS = ROOT / ".streamlit" / "secrets.toml"
# The secrets files read, first to last; None: Streamlit's defaults (``secrets_files``). Tests set it.
SECRETS_FILES: list[Path] | None = None
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
        # arguments first (tests), then the environment, then the secrets files; defaults last
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=secrets_files())

    def signin_state_file(self) -> Path:
        """The file every session, process and replica shares for wrong sign-in attempts."""
        if self.throttle_file:
            return Path(self.throttle_file)
        if self.db.startswith(("md:", "motherduck:")):  # a hosted database has no folder of ours
            return DEFAULT_DB.with_name("pmp.signin")
        db = Path(self.db)
        return db.with_name(db.name + ".signin")


def secrets_files() -> list[Path]:
    """The secrets.toml files Streamlit reads by default, first to last (a later one's key wins, as
    in Streamlit: ``config.get_config_files("secrets.toml")``): the user's home folder's, the
    working folder's, then the main script's folder's (the project's) where that is another one."""
    if SECRETS_FILES is not None:
        return list(SECRETS_FILES)
    found = [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]
    if PROJECT_SECRETS not in found:
        found.append(PROJECT_SECRETS)
    return [path for path in found if path.is_file()]


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def fields() -> dict[str, str]:
    """Setting name -> its description (for the README check and ``--help`` texts)."""
    return {name: info.description or "" for name, info in Settings.model_fields.items()}


@lru_cache(maxsize=8)
def _load(environment: tuple[tuple[str, str], ...], secrets: tuple[tuple[str, int], ...]) -> Settings:
    return Settings()


def load() -> Settings:
    """The settings as they are now: read again when a ``PMP_*`` variable or a secrets file changed."""
    environment = tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith(ENV_PREFIX)))
    return _load(environment, tuple((str(path), _stamp(path)) for path in _candidates()))


def _candidates() -> list[Path]:
    """Every file ``secrets_files`` may read, whether it exists now or not (one made later counts)."""
    if SECRETS_FILES is not None:
        return list(SECRETS_FILES)
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml", PROJECT_SECRETS]


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1
