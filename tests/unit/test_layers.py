"""``metrics/`` computes numbers; the text a reader sees is made in ``presentation/`` (issue 19).

import-linter (``pyproject.toml``) already stops ``metrics`` importing ``presentation``, but display code
crept into ``metrics`` without an import: functions took a number formatter as an argument
(``fmt: Callable[[object, bool], str]``) and returned cell texts. This scan of the source fails when
such a function, a formatter type, an import of the presentation layer or Plotly's ``<br>`` markup comes
back into ``metrics/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

DISPLAY_PACKAGES = ("presentation", "ui", "report", "pages", "app")
FORMATTER_NAMES = {"Formatter"}


def _is_text_callable(node: ast.expr | None) -> bool:
    """``Callable[..., str]`` (``typing.Callable``, ``collections.abc.Callable`` or a quoted annotation)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return False
    if not isinstance(node, ast.Subscript):
        return False
    base = node.value
    name = base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else None
    if name != "Callable" or not isinstance(node.slice, ast.Tuple) or len(node.slice.elts) != 2:
        return False
    returns = node.slice.elts[1]
    return isinstance(returns, ast.Name) and returns.id == "str"


def _is_formatter(node: ast.expr | None) -> bool:
    """A parameter annotation that is a text formatter: ``Formatter``, ``Callable[..., str]``, or either
    inside a union or an ``Optional``."""
    if node is None:
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return False
    return any(
        (isinstance(part, ast.Name) and part.id in FORMATTER_NAMES)
        or (isinstance(part, ast.Attribute) and part.attr in FORMATTER_NAMES)
        or _is_text_callable(part)
        for part in ast.walk(node)
    )


def display_code(path: Path) -> list[str]:
    """What in one module of ``metrics/`` belongs to the presentation layer, as "file:line what" lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(path.parents[1]) if len(path.parents) > 1 else path
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = node.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
                if arg is not None and _is_formatter(arg.annotation):
                    name = getattr(node, "name", "<lambda>")
                    found.append(f"{where}:{node.lineno} {name}() takes a formatter ({arg.arg})")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if any(n in FORMATTER_NAMES for n in names) or _is_text_callable(node.value):
                found.append(f"{where}:{node.lineno} defines a formatter type {names}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in DISPLAY_PACKAGES:
                    found.append(f"{where}:{node.lineno} imports {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").split(".")[0] in DISPLAY_PACKAGES:
                found.append(f"{where}:{node.lineno} imports from {node.module}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "<br>" in node.value:
            found.append(f"{where}:{node.lineno} writes Plotly markup ({node.value!r})")
    return found


def test_metrics_compute_numbers_and_leave_the_text_to_presentation():
    files = sorted((ROOT / "metrics").rglob("*.py"))
    assert len(files) > 10, "the scan found no metrics modules"
    found = [line for path in files for line in display_code(path)]
    assert found == [], "display code in metrics/ (move it to presentation/):\n" + "\n".join(found)


def test_the_scan_sees_what_it_looks_for(tmp_path):
    """The scan itself: each kind of display code it forbids is found (the old ``metrics/pumpurs.py``
    had all of them)."""
    module = tmp_path / "metrics" / "old.py"
    module.parent.mkdir()
    module.write_text(
        "from __future__ import annotations\n"
        "from collections.abc import Callable\n"
        "import typing\n"
        "from presentation.format import fmt_count\n"
        "Formatter = Callable[[object, bool], str]\n"
        "def heat(cells, fmt: Formatter, missing: str): ...\n"
        "def risk_table(frame, rate: Callable[[object], str]): ...\n"
        "def quoted(frame, rate: 'typing.Callable[[object], str] | None' = None): ...\n"
        "def axis_labels(rows): return '<br>'.join(rows)\n"
        "def fine(frame, view: Callable[[object], object], name: str) -> str: ...\n",
        encoding="utf-8",
    )
    found = display_code(module)
    assert [line.split(" ", 1)[1] for line in found] == [
        "imports from presentation.format",
        "defines a formatter type ['Formatter']",
        "heat() takes a formatter (fmt)",
        "risk_table() takes a formatter (rate)",
        "quoted() takes a formatter (rate)",
        "writes Plotly markup ('<br>')",
    ], found
