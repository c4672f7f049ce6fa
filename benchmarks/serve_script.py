"""Serves any Streamlit script as ``python dashboard.py`` serves the app (uvicorn, no Nagle delay):
``python -m benchmarks.serve_script benchmarks/anchor_app.py --port P``. The browser benchmark serves
its bare page this way, so that the page and the app are compared on equal terms.

The script cannot serve itself: every session runs it as ``__main__`` (``dashboard.py`` and
``app/main.py`` are two files for the same reason)."""

from __future__ import annotations

import argparse
from pathlib import Path

import streamlit as st

from ui import startup


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("script", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8502)
    args = parser.parse_args(argv)
    # the front end's files from memory, as the app serves them (ui/startup.py, static_middleware)
    startup.serve(st.App(str(args.script.resolve()), middleware=startup.static_middleware()), args.host, args.port)


if __name__ == "__main__":
    main()
