"""benchmarks/script_cache.py, the benchmarks' one use of Streamlit internals: the names it
replaces still exist and are what AppTest uses, so a warm rerun is timed without compiling."""

from __future__ import annotations

from streamlit.testing.v1 import app_test, local_script_runner

from benchmarks import script_cache


def test_apptest_runs_share_one_compiled_script_cache(monkeypatch):
    monkeypatch.setattr(app_test, "ScriptCache", app_test.ScriptCache)
    monkeypatch.setattr(local_script_runner, "ScriptCache", local_script_runner.ScriptCache)
    assert script_cache.share()
    assert app_test.ScriptCache() is local_script_runner.ScriptCache()
    at = app_test.AppTest.from_string("import streamlit as st\nst.write('x')").run()
    assert not at.exception
