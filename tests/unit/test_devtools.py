"""The developer tools (``devtools/``: seed converter, synthetic data) are not part of the app."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_never_imports_the_developer_tools():
    app = [ROOT / "dashboard.py"]
    for folder in ("data_loaders", "metrics", "ui", "report", "pages"):
        app += (ROOT / folder).rglob("*.py")
    for path in app:
        assert not re.search(r"^\s*(import|from) devtools\b", path.read_text(encoding="utf-8"), re.M), path
