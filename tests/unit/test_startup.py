"""How the app is served (``dashboard.py``, ``app/main.py``) and the browser code the entry point asks
for first (ui/startup.py, docs/performance.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.web.server.app_discovery import discover_asgi_app

from tests.conftest import ROOT
from ui import startup
from ui.navigation import ENTRY


def test_streamlit_run_serves_dashboard_as_an_st_app():
    """Streamlit reads the file's syntax tree: with ``app = st.App(...)`` in it, ``streamlit run
    dashboard.py`` imports the module to serve the app, which is when the server is set up."""
    found = discover_asgi_app(ROOT / "dashboard.py")
    assert found.is_asgi_app and found.import_string == "dashboard:app"


def test_every_preloaded_module_is_in_this_streamlit():
    """The names are Streamlit's own front-end files; after an upgrade that renames one, this fails
    (the app itself would only lose the head start)."""
    files = startup.module_files()
    assert [f.split(".")[0] for f in files] == list(startup.MODULES)
    assert all((startup.STATIC_JS / f).is_file() for f in files)


def _client(monkeypatch, base_url_path: str = ""):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    real = startup.st.get_option
    option = lambda key: base_url_path if key == "server.baseUrlPath" else real(key)  # noqa: E731
    monkeypatch.setattr(startup.st, "get_option", option)
    return TestClient(Starlette(routes=startup.page_routes(["", "risks", "targets"])))


def test_a_pages_address_gets_streamlits_page_with_the_servers_address_and_the_first_screens_code(monkeypatch):
    """Streamlit's own index.html, unchanged but for one script before its code (which reads
    ``window.__streamlit`` once, as it starts) and the first screen's code named for preloading.
    The first page, at the root, gets no script: there the browser finds the server at once."""
    client = _client(monkeypatch)
    response = client.get("/risks?m=LUD")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"  # as Streamlit serves it: a new version is seen
    served, original = response.text, startup.INDEX.read_text(encoding="utf-8")
    named = re.findall(r'<link rel="modulepreload" crossorigin href="\./static/js/([\w.-]+)">', served)
    own = re.findall(r'<link rel="modulepreload" crossorigin href="\./static/js/([\w.-]+)">', original)
    added = [name for name in named if name not in own]
    assert len(named) == len(set(named))  # no file named twice
    assert set(startup.module_files()) <= set(added) and all((startup.STATIC_JS / n).is_file() for n in added)
    extra = "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{n}">\n' for n in added)
    script = startup._IMPORT_SCRIPT.replace("FILES", json.dumps(list(startup.module_files())))
    assert script in served and all(f"{f}" in script for f in startup.module_files())
    extra += script
    assert served.replace(startup._BASE_SCRIPT, "").replace("<head>\n\n", "<head>\n").replace(extra, "") == original
    assert served.index("BACKEND_BASE_URL") < served.index('<script type="module"')
    # the modules are evaluated by a script after Streamlit's own, which it does not hold up
    assert served.index('src="./static/js/index.') < served.index(script)
    root = client.get("/").text
    assert "BACKEND_BASE_URL" not in root and extra in root
    assert client.get("/nonexistent").status_code == 404  # no route of ours: Streamlit answers it


def test_a_browser_that_has_the_page_gets_not_modified(monkeypatch):
    client = _client(monkeypatch)
    etag = client.get("/targets").headers["etag"]
    again = client.get("/targets", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/targets", headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_routes_follow_the_servers_base_url_path(monkeypatch):
    client = _client(monkeypatch, "/pmp/")
    assert client.get("/pmp/risks").status_code == 200
    assert client.get("/risks").status_code == 404


def test_the_script_names_the_folder_above_the_page(monkeypatch):
    """What the line computes, run by Node when it is here; the browser test below runs it in
    Chromium (a reload of a page makes no request to the page's own ``_stcore``)."""
    import shutil
    import subprocess

    node = shutil.which("node")
    if not node:
        pytest.skip("node not installed: the browser test checks the same line")
    body = startup._BASE_SCRIPT.removeprefix("<script>").rsplit("</script>", 1)[0]
    cases = {
        "http://h:8501/risks?m=LUD#x": "http://h:8501/",
        "http://h:8501/risks/": "http://h:8501/",
        "https://h/pmp/risks?lang=en": "https://h/pmp",
    }
    for href, expected in cases.items():
        script = (
            f"const location = new URL({href!r}); const window = {{}};\n{body}\n"
            "console.log(window.__streamlit.BACKEND_BASE_URL)"
        )
        out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout.strip()
        assert out == expected, (href, out)


def test_no_page_relies_on_magic_which_is_off():
    """``runner.magicEnabled = false`` (.streamlit/config.toml): a value left on its own line in a page
    would silently not be drawn. Streamlit's own magic finds nothing to draw in any page script."""
    import ast

    from streamlit.runtime.scriptrunner import magic

    from ui.navigation import PAGES

    assert startup.st.get_option("runner.magicEnabled") is False
    for script in [Path(ENTRY), *(ROOT / spec.file for spec in PAGES)]:
        source = script.read_text(encoding="utf-8")
        transformed = ast.unparse(magic.add_magic(source, str(script)))
        assert "__streamlitmagic__.transparent_write" not in transformed, script


def _static_client(monkeypatch, base_url_path: str = ""):
    """The middleware in front of an app that answers everything else with 418, standing in for
    Streamlit: a 418 shows that a request was passed on."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route
    from starlette.testclient import TestClient

    real = startup.st.get_option
    option = lambda key: base_url_path if key == "server.baseUrlPath" else real(key)  # noqa: E731
    monkeypatch.setattr(startup.st, "get_option", option)
    teapot = Route("/{rest:path}", lambda request: Response("passed on", 418), methods=["GET", "HEAD", "POST"])
    return TestClient(Starlette(routes=[teapot], middleware=startup.static_middleware()))


def _front_end_file(kind: str) -> str:
    return next(n for n in startup.static_files() if n.endswith(kind))


def test_the_front_ends_files_are_served_from_memory_as_streamlit_serves_them(monkeypatch):
    """The file's own bytes and media type, kept a year (the names carry a content hash); 304 when the
    browser has it, the length alone for a HEAD."""
    client = _static_client(monkeypatch)
    for name, kind in [(_front_end_file(".js"), "javascript"), (_front_end_file(".css"), "text/css")]:
        response = client.get(f"/{name}")
        assert response.status_code == 200 and response.content == startup.static_files()[name].read_bytes()
        assert kind in response.headers["content-type"]
        assert response.headers["cache-control"] == "public, immutable, max-age=31536000"
        etag = response.headers["etag"]
        again = client.get(f"/{name}", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        assert client.get(f"/{name}", headers={"If-None-Match": '"other"'}).status_code == 200
        head = client.head(f"/{name}")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(response.content))
    font = next(n for n in startup.static_files() if n.endswith(".woff2"))
    assert client.get(f"/{font}").headers["content-type"] == "font/woff2"


def test_any_other_request_passes_on_to_streamlit(monkeypatch):
    """Only the folder's own files, by their exact names, with GET or HEAD: a path that climbs out of
    the folder, an unknown name, the page itself and a POST are all Streamlit's to answer."""
    client = _static_client(monkeypatch)
    name = _front_end_file(".js")
    for path in ["/static/js/nothing.js", "/static/js/../../index.html", "/static/index.html", "/index.html", "/"]:
        assert client.get(path).status_code == 418, path
    assert client.post(f"/{name}").status_code == 418
    assert client.get(f"/{name}".replace("/static/", "/static//")).status_code == 418
    # the middleware never reads a path from the address: every name it answers is a file in the folder
    folder = startup.STATIC / "static"
    assert all(folder in path.parents and path.is_file() for path in startup.static_files().values())


def test_the_front_end_follows_the_servers_base_url_path(monkeypatch):
    client = _static_client(monkeypatch, "/pmp/")
    name = _front_end_file(".js")
    assert client.get(f"/pmp/{name}").status_code == 200
    assert client.get(f"/{name}").status_code == 418
