"""The menu: every page once, in the order the interagency group goes through them.

Tests (AppTest and browser) take their list of pages from here, so a new page is covered
by the smoke tests as soon as it is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "app" / "main.py"  # the script every session runs (and every AppTest)


@dataclass(frozen=True)
class PageSpec:
    file: str  # path relative to the project root
    url_path: str  # the file's stem, the page's address
    title_key: str  # locale key of the menu title
    icon: str  # a Material Symbols name: drawn by Streamlit's own font, not the system's emoji


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "overview", "nav.overview", ":material/home:"),
    PageSpec("pages/targets.py", "targets", "nav.targets", ":material/flag:"),
    PageSpec("pages/risks.py", "risks", "nav.risks", ":material/warning:"),
    PageSpec("pages/support_staff.py", "support_staff", "nav.support_staff", ":material/groups:"),
    PageSpec("pages/pumpurs.py", "pumpurs", "nav.pumpurs", ":material/spa:"),
    PageSpec("pages/outcomes.py", "outcomes", "nav.outcomes", ":material/school:"),
    PageSpec("pages/school_profile.py", "school_profile", "nav.school_profile", ":material/account_balance:"),
    PageSpec("pages/action_plan.py", "action_plan", "nav.action_plan", ":material/event_note:"),
    PageSpec("pages/compare.py", "compare", "nav.compare", ":material/compare_arrows:"),
    PageSpec("pages/meeting.py", "meeting", "nav.meeting", ":material/co_present:"),
    PageSpec("pages/report.py", "report", "nav.report", ":material/summarize:"),
    PageSpec("pages/data.py", "data", "nav.data", ":material/database:"),
)


def route(spec: PageSpec) -> str:
    """The page's URL path: the first page is the default and is served at the app root."""
    return "" if spec == PAGES[0] else spec.url_path


def script(file: str) -> str:
    """A page file's full path, as ``st.Page`` and ``st.switch_page`` take it: they read a relative
    path from the folder of the script the sessions run (``app/``), and the pages are in ``pages/``."""
    return str(ROOT / file)


def from_entry(file: str) -> str:
    """A page file's path relative to the entry script's folder, as ``AppTest.switch_page`` takes it."""
    return str(Path("..") / file)
