"""A fast first page: the front end's files from memory, the browser code named in the page's head
(docs/performance.md, "The cold start"), and no detour to find the server from a page's own address.

The other start-up fix, no Nagle delay on the server's connections, is how the app is served:
``python dashboard.py`` serves it with uvicorn, which switches Nagle's algorithm off on every
connection (``dashboard.py``; ``serve`` here, also used for the benchmarks' bare page).

* ``static_middleware()``: Streamlit's front-end files (``static/...``) served from memory
  (``StaticFromMemory``): less work for the server when a browser opens the app for the first time.
* ``page_routes()``: every page's address is answered with Streamlit's own ``index.html`` and two
  additions (any other address is answered by Streamlit as before):

  - The first screen's widget, chart and table code (``MODULES`` and what they import, 60 files)
    is named in the page's head as ``<link rel="modulepreload">``, as Streamlit names its own code
    there. The browser fetches and compiles it while Streamlit's code starts, not after the first
    element arrives: on a reload, drawing after the last message took 0.45 → 0.35 s on Support
    staff; a fresh browser's first chart 2.35 → 2.12 s (docs/performance.md). A script after
    Streamlit's own evaluates it once the page's first element is drawn (``_IMPORT_SCRIPT``), while
    the server works, not when the first chart arrives at the end of the run (Plotly: 4.7 MB of
    JavaScript, 0.1 s to evaluate on a reload and 0.7 s in a fresh browser).
  - A page other than the first, opened by its address (a reload, a shared link), waited 0.1 s
    before it connected: the browser code first tries the page's address as the server's
    (``/support_staff/_stcore/health``, a 404), then waits its first retry delay before it tries
    the folder above it, the right one. One line first in the head names that folder as
    ``window.__streamlit.BACKEND_BASE_URL`` (Streamlit's setting for a page that hosts the app), so
    the browser connects at once.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st
from anyio import to_thread
from starlette.datastructures import Headers

ROOT = Path(__file__).resolve().parent.parent

STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"
# Streamlit's lazily loaded front-end modules that the first screens draw with: the language switch,
# selectboxes, multiselects, toggles, KPI cards, charts, tables and the page head (ui/a11y.py).
MODULES = (
    "ButtonGroup",
    "Selectbox",
    "Multiselect",
    "Checkbox",
    "Metric",
    "PlotlyChart",
    "DataFrame",
    "Html",
)


@cache
def module_files() -> tuple[str, ...]:
    """File names of ``MODULES`` in this Streamlit installation (a name found once, or left out)."""
    found = [sorted(STATIC_JS.glob(f"{name}.*.js")) for name in MODULES]
    return tuple(files[0].name for files in found if len(files) == 1)


INDEX = Path(st.__file__).parent / "static" / "index.html"
# The server's address, for a page opened by its own: the page's address less its last part (as a
# reverse proxy that adds a prefix sees it too). Before Streamlit's code, which reads it once.
_BASE_SCRIPT = """<script>(() => {
  const url = new URL(location.href);
  url.pathname = url.pathname.replace(/\\/+$/, "").replace(/\\/[^/]*$/, "") || "/";
  url.search = url.hash = "";
  window.__streamlit = {...(window.__streamlit || {}), BACKEND_BASE_URL: url.href};
})();</script>
"""


# Evaluates ``MODULES`` (fetched and compiled by the modulepreload links) once the first element of the
# page is drawn, early in the app's run. Not at once, nor when the app starts to run: in a fresh
# browser Plotly's evaluation (0.7 s) would hold up the connection or the first messages (a fresh
# browser's first chart, 9 profiles each in turns: 1.94 s this way, 2.02 s as the run starts, 2.01 s
# without the script, the bare page 1.81 s; docs/performance.md). ``window.__pmpModules`` records when
# it started and how many files loaded (the browser test reads it).
_IMPORT_SCRIPT = """<script type="module">(() => {
  const files = FILES;
  const loaded = window.__pmpModules = {started: null, ok: 0};
  const ready = () => document.querySelector('[data-testid=stMain] [data-testid=stElementContainer]');
  const start = () => {
    observer.disconnect();
    loaded.started = performance.now();
    for (const file of files) import(`./static/js/${file}`).then(() => { loaded.ok += 1; }, () => {});
  };
  const observer = new MutationObserver(() => { if (ready()) start(); });
  observer.observe(document.documentElement, {subtree: true, childList: true});
})();</script>
"""

_IMPORT = re.compile(r'(?:from|import)\s*"\./([\w.-]+\.js)"')


def _imports(name: str, found: set[str]) -> set[str]:
    """The file and every front-end file it imports, however deep (its static imports)."""
    if name not in found and (STATIC_JS / name).is_file():
        found.add(name)
        for other in _IMPORT.findall((STATIC_JS / name).read_text(encoding="utf-8")):
            _imports(other, found)
    return found


@cache
def first_screen_files() -> tuple[str, ...]:
    """``module_files()`` and what they import, less what ``index.html`` already loads."""
    html = INDEX.read_text(encoding="utf-8")
    loaded = set(re.findall(r"static/js/([\w.-]+\.js)", html))
    found: set[str] = set()
    for name in module_files():
        _imports(name, found)
    return tuple(sorted(found - loaded))


@cache
def page_index(base_script: bool = True) -> tuple[bytes, str]:
    """Streamlit's ``index.html`` with ``_BASE_SCRIPT`` first in its head (``base_script``), and the
    first screen's widget, chart and table code fetched at once, as Streamlit has the browser fetch its
    own code (``<link rel="modulepreload">``); and its entity tag."""
    html = INDEX.read_text(encoding="utf-8")
    head = html.index("<head>") + len("<head>")
    if base_script:
        html = html[:head] + "\n" + _BASE_SCRIPT + html[head:]
    links = "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{f}">\n' for f in first_screen_files())
    links += _IMPORT_SCRIPT.replace("FILES", json.dumps(list(module_files())))
    end = html.index("</head>")
    html = html[:end] + links + html[end:]
    page = html.encode()
    return page, _etag(page)


def _etag(body: bytes) -> str:
    """An entity tag from the content itself."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _cached_response(body: bytes, etag: str, media_type: str, cache_control: str, if_none_match: str | None) -> Any:
    """``body`` with its entity tag and caching rule, or 304 when the browser has it (``If-None-Match``).
    For a HEAD, uvicorn sends the headers alone."""
    from starlette.responses import Response

    headers = {"Cache-Control": cache_control, "ETag": etag}
    if if_none_match == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def page_routes(url_paths: list[str]) -> list[Any]:
    """Routes that answer each page's address (``url_paths``, under ``server.baseUrlPath``) with
    ``page_index()``: ``no-cache``, as Streamlit serves its page, and 304 when the browser has it. The
    app's root (the first page, ``""``) gets it without ``_BASE_SCRIPT``: there the browser finds the
    server at once."""
    from starlette.routing import Route

    def index(base_script: bool):
        async def respond(request: Any) -> Any:
            page, etag = page_index(base_script)
            return _cached_response(page, etag, "text/html", "no-cache", request.headers.get("if-none-match"))

        return respond

    return [Route(f"{_prefix()}/{path}", index(bool(path)), methods=["GET", "HEAD"]) for path in url_paths]


# Streamlit's front end is served from memory (``StaticFromMemory``). Its own handler (Starlette's
# ``StaticFiles``) reads each file through worker threads, 64 kB at a time: a fresh browser asks for
# about 130 files, which cost the server 0.3 s of CPU per browser (py-spy), while the browser needs
# the machine's cores to compile the same files (the server's CPU per fresh browser: 0.78 -> 0.42 s).
# Streamlit keeps ``/static/`` from an app's routes, so this is a middleware
# (``st.App(middleware=...)``), which runs before Streamlit's own. Files are looked up by name in
# the folder's listing, never by a path built from the address; any other request (another address,
# another method, a name not in the folder) passes on to Streamlit, as before.
STATIC = INDEX.parent
# as Streamlit serves them: the names carry a content hash, so a browser keeps them for a year
STATIC_CACHE = "public, immutable, max-age=31536000"


@cache
def static_files() -> dict[str, Path]:
    """Every file of the front end's ``static/`` folder, by its address below the app's root."""
    return {p.relative_to(STATIC).as_posix(): p for p in sorted((STATIC / "static").rglob("*")) if p.is_file()}


_static_bodies: dict[str, tuple[bytes, str, str]] = {}


def static_body(name: str) -> tuple[bytes, str, str]:
    """A file's bytes, entity tag and media type, read once (the files never change while served)."""
    if name not in _static_bodies:
        body = static_files()[name].read_bytes()
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        _static_bodies[name] = (body, _etag(body), kind)
    return _static_bodies[name]


class StaticFromMemory:
    """ASGI middleware: a GET or HEAD of one of the front end's files (``static/...`` under
    ``server.baseUrlPath``) is answered from memory, ``immutable`` as Streamlit serves it, 304 when the
    browser has it; every other request goes on to the app."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.prefix = _prefix() + "/"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        name = path[len(self.prefix) :] if path.startswith(self.prefix) else ""
        if scope.get("method") not in ("GET", "HEAD") or name not in static_files():
            await self.app(scope, receive, send)
            return
        # read from disk once, in a worker thread; from memory after that
        body, etag, kind = _static_bodies.get(name) or await to_thread.run_sync(static_body, name)
        asked = Headers(scope=scope).get("if-none-match")
        await _cached_response(body, etag, kind, STATIC_CACHE, asked)(scope, receive, send)


def static_middleware() -> list[Any]:
    """``StaticFromMemory`` for ``st.App(middleware=...)``."""
    from starlette.middleware import Middleware

    return [Middleware(StaticFromMemory)]


def _prefix() -> str:
    """``server.baseUrlPath`` as a path's prefix: ``""`` or ``"/base"``."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def serve(app: Any, host: str, port: int, **options: Any) -> None:
    """Serve an ``st.App`` (or its ``"module:attribute"``) with uvicorn, from the project folder."""
    import uvicorn

    os.chdir(ROOT)  # Streamlit reads .streamlit/config.toml and secrets.toml from the working folder
    uvicorn.run(
        app,
        host=host,
        port=port,
        # as Streamlit configures uvicorn for ``streamlit run``: its websocket implementation and
        # limits, no compression of the websocket, no access log
        ws="websockets-sansio",
        ws_max_size=int(st.get_option("server.maxMessageSize")) * 1_000_000,
        ws_per_message_deflate=bool(st.get_option("server.enableWebsocketCompression")),
        access_log=False,
        **options,
    )
