"""Serves the app: ``python dashboard.py`` (also ``uvicorn dashboard:app`` or ``streamlit run dashboard.py``).

``app`` is the app as an ``st.App`` (an ASGI application): every browser session runs
``app/main.py`` (``ENTRY``), which draws the app; this module only sets up the server and warms it
in the background (``ui/warmup.py``) when it is imported to serve the app.

``python dashboard.py [--host H] [--port P]`` serves it with uvicorn, which binds its own socket as
a TCP socket, so asyncio switches Nagle's algorithm off on every connection: a response on a
reused connection comes at once (about 1 ms) instead of waiting about 40 ms for the browser's
delayed acknowledgement, as it does under ``streamlit run`` in Streamlit 1.67, whose server binds
its socket without naming the protocol (docs/performance.md). ``streamlit run dashboard.py`` finds
``app`` below and serves the same app, with that delay.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent


def serve(argv: list[str] | None = None) -> None:
    """Serve ``dashboard:app`` with uvicorn on ``--host``/``--port`` (Streamlit's own port by default)."""
    from ui import startup

    parser = argparse.ArgumentParser(description="Serve the PMP dashboard.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    parser.add_argument("--port", type=int, default=8501)
    args = parser.parse_args(argv)
    print(f"PMP dashboard: http://{'localhost' if args.host in ('127.0.0.1', '0.0.0.0') else args.host}:{args.port}")
    startup.serve("dashboard:app", args.host, args.port, app_dir=str(ROOT))


if __name__ == "__main__":
    serve()
else:
    from ui import startup, warmup
    from ui.navigation import ENTRY, PAGES, route

    warmup.start()  # the libraries, the pages' modules and the first page, before the first user
    # each page's address answered so that the browser connects at once, and the front end's files
    # from memory (ui/startup.py: page_routes, static_middleware)
    app = st.App(
        ENTRY,
        routes=startup.page_routes([route(spec) for spec in PAGES]),
        middleware=startup.static_middleware(),
    )
