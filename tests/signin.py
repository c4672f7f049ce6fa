"""Accounts for tests: an admin, a school reporter of the demo's Ezermala school and a viewer,
all with one password; and a way to open the app already signed in as one of them."""

from __future__ import annotations

from pathlib import Path

from data_loaders import accounts
from tests.factories import SCHOOL

PASSWORD = "pareiza-parole-42"
ACCOUNTS = {
    "anna": ("admin", None, "Anna Bērziņa"),
    "ezer": ("school_reporter", SCHOOL, "Ezermalas skola"),
    "vera": ("viewer", None, "Vera"),
}


def add_accounts(db: Path) -> None:
    for username, (role, school, name) in ACCOUNTS.items():
        accounts.add(db, username, role, school_id=school, display_name=name, password=PASSWORD)


def signed_in(at, username: str):
    """Seed an AppTest's session as signed in (the account is read from the database on each run)."""
    from ui.auth import SESSION

    at.session_state[SESSION] = {"username": username, "via": "password"}
    return at
