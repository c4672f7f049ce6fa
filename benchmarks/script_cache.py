"""The one place the project reaches into Streamlit's internals (benchmarks only, never the app).

AppTest compiles the page scripts again on every run; a server compiles each once and keeps it in
its ``ScriptCache``. To time a warm rerun as a user sees it, ``benchmarks/run.py`` makes AppTest use
one shared cache. AppTest has no public way to do that in Streamlit 1.67, so this replaces the
``ScriptCache`` name that ``streamlit.testing.v1.app_test`` and ``local_script_runner`` look up.
``tests/unit/test_benchmark_script_cache.py`` pins that those names exist and are used, so an
upgrade that moves them fails a test instead of silently adding compile time to the figures.
"""

from __future__ import annotations


def share() -> bool:
    """Make every AppTest of this process use one compiled-script cache; False if this Streamlit
    has not the names (then reruns are timed with compiling, as AppTest does by itself)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    if not all(hasattr(module, "ScriptCache") for module in (app_test, local_script_runner)):
        return False
    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    return True
