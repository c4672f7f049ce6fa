"""The app uses Streamlit and asyncio only through their public interfaces (issue 19): nothing of
theirs is patched, so an upgrade cannot silently undo a fix. The behaviour the old patches bought is
tested where it shows: no Nagle delay and a cold deep link with its filters (tests/e2e/test_startup.py),
a click on a switched-to page in AppTest (tests/pages/test_import_safety.py). This scan of the
source is the complement: it fails when a patch comes back."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

APP = ["dashboard.py", "app", "ui", "pages", "metrics", "report", "data_loaders"]
PUBLIC_STREAMLIT = {"streamlit", "streamlit.components.v1", "streamlit.column_config"}
GUARDED = ("streamlit", "asyncio")


def _sources() -> list[Path]:
    files: list[Path] = []
    for name in APP:
        path = ROOT / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return files


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded: set[str] = set()  # local names bound to streamlit or asyncio modules and objects
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in GUARDED:
                    guarded.add((alias.asname or alias.name).split(".")[0])
                    if alias.name.startswith("streamlit") and alias.name not in PUBLIC_STREAMLIT:
                        found.append(f"{path.name}:{node.lineno} imports {alias.name}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in GUARDED:
            guarded |= {alias.asname or alias.name for alias in node.names}
            if node.module.startswith("streamlit") and node.module not in PUBLIC_STREAMLIT:
                found.append(f"{path.name}:{node.lineno} imports from {node.module}")
            if node.module.startswith("asyncio") or any(a.name.startswith("_") for a in node.names):
                found.append(f"{path.name}:{node.lineno} imports from {node.module}")
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = [node.target] if not isinstance(node, ast.Delete) else node.targets
        for target in targets:
            # st.query_params[...] = ... and st.session_state[...] = ... are the public way to write them
            if isinstance(target, ast.Attribute) and _root_name(target) in guarded:
                found.append(f"{path.name}:{node.lineno} assigns {ast.unparse(target)}")
        called = node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else None
        if called in ("setattr", "delattr") and node.args and _root_name(node.args[0]) in guarded:
            found.append(f"{path.name}:{node.lineno} calls {node.func.id} on {ast.unparse(node.args[0])}")
        private = (
            node.attr.startswith("_") and not node.attr.endswith("__") if isinstance(node, ast.Attribute) else False
        )
        if private and _root_name(node) in guarded:
            found.append(f"{path.name}:{node.lineno} reads {ast.unparse(node)}")
    return found


def test_the_app_patches_nothing_of_streamlit_or_asyncio():
    sources = _sources()
    assert len(sources) > 50 and ROOT / "app" / "main.py" in sources
    assert [f for path in sources for f in _findings(path)] == []


def test_the_scan_sees_a_patch(tmp_path):
    """The scan would have caught each of the three patches issue 19 removed."""
    sample = tmp_path / "patches.py"
    sample.write_text(
        "import asyncio.base_events\nimport streamlit as st\n"
        "from streamlit.runtime.pages_manager import PagesManager\n"
        "asyncio.base_events._set_nodelay = print\nPagesManager.uses_pages_directory = False\n"
        "setattr(st, 'x', 1)\n"
    )
    assert len(_findings(sample)) >= 5


def test_serving_the_app_leaves_asyncio_as_it_is():
    """Importing ``dashboard`` (what uvicorn and ``streamlit run`` do to serve it) changes nothing of
    asyncio (in a process of its own: the import starts the server's warm-up)."""
    check = (
        "import asyncio.base_events as b; before = b._set_nodelay; import dashboard; "
        "assert b._set_nodelay is before and before.__module__ == 'asyncio.base_events'; "
        "assert type(dashboard.app).__name__ == 'App'"
    )
    subprocess.run([sys.executable, "-c", check], cwd=ROOT, check=True, capture_output=True, timeout=120)
