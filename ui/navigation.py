"""The menu: every page once, in the order the interagency group goes through them.

Tests (AppTest and browser) take their list of pages from here, so a new page is covered
by the smoke tests as soon as it is added.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    file: str  # path relative to the project root
    url_path: str  # the file's stem: a cold server routes a deep link by file name first
    title_key: str  # locale key of the menu title
    icon: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "overview", "nav.overview", "🏠"),
    PageSpec("pages/targets.py", "targets", "nav.targets", "🎯"),
    PageSpec("pages/risks.py", "risks", "nav.risks", "⚠️"),
    PageSpec("pages/support_staff.py", "support_staff", "nav.support_staff", "👥"),
    PageSpec("pages/pumpurs.py", "pumpurs", "nav.pumpurs", "🌱"),
    PageSpec("pages/outcomes.py", "outcomes", "nav.outcomes", "🎓"),
    PageSpec("pages/action_plan.py", "action_plan", "nav.action_plan", "🗓️"),
    PageSpec("pages/data.py", "data", "nav.data", "🗄️"),
)


def route(spec: PageSpec) -> str:
    """The page's URL path: the first page is the default and is served at the app root."""
    return "" if spec == PAGES[0] else spec.url_path
