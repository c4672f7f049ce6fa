"""The served app (``python dashboard.py``, as the README starts it) starts fast: no Nagle delay on
reused connections, a deep link on a cold server opens with the URL's filters, and the browser loads
the chart and widget code early without the element that asks for it taking any room on the page."""

from __future__ import annotations

import http.client
import statistics
import time
from urllib.parse import urlsplit

import pytest

from tests.e2e.browser import READY, chromium_missing, launch, open_page, serve, wait_idle
from ui import startup
from ui.i18n import catalog

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def app(sample_db):
    with serve(sample_db) as base:
        yield base


def test_responses_on_a_reused_connection_are_not_held_back(app):
    """Without TCP_NODELAY each response after the first on a connection waited ~40 ms for the
    client's delayed acknowledgement (``streamlit run`` in Streamlit 1.67; dashboard.py)."""
    url = urlsplit(app)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    waits = []
    try:
        for _ in range(8):
            started = time.perf_counter()
            connection.request("GET", "/_stcore/health")
            assert connection.getresponse().read() == b"ok"
            waits.append(time.perf_counter() - started)
    finally:
        connection.close()
    assert statistics.median(waits[1:]) < 0.02, waits


def test_the_served_app_answers_its_front_end_from_memory(app):
    """``dashboard.app`` has the middleware (ui/startup.py, ``static_middleware``): a file comes with
    its entity tag (Streamlit's own handler would send another, from the file's time and size)."""
    (name,) = [n for n in startup.static_files() if n.startswith("static/js/PlotlyChart.")]
    url = urlsplit(app)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request("GET", f"/{name}")
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 200 and response.getheader("etag") == startup.static_body(name)[1]
    assert body == startup.static_files()[name].read_bytes()


# when the page's first chart was drawn (its SVG in place), on the page's own clock
CHART_DRAWN = """new MutationObserver((_, observer) => {
  if (document.querySelector('[data-testid=stPlotlyChart] .main-svg')) {
    window.__chartDrawn = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true});"""


def test_the_browser_evaluates_the_first_screens_code_once_the_app_runs(app):
    """The page's head names the first screen's code and evaluates it once the app runs, before
    the first chart is drawn (ui/startup.py): every file loads, on the first page and on another."""
    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    with launch() as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.add_init_script(CHART_DRAWN)
        for address in (f"{app}/?m=DEMO", f"{app}/risks?m=LUD"):
            open_page(page, address)
            loaded = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name.split('/').pop())")
            assert set(startup.module_files()) <= set(loaded)
            page.wait_for_function(f"() => window.__pmpModules.ok === {len(startup.module_files())}")
            started, drawn = page.evaluate("() => [window.__pmpModules.started, window.__chartDrawn]")
            assert started is not None and drawn is not None and started < drawn
            assert page.locator("[data-testid=stException]").count() == 0


def test_a_deep_link_on_a_cold_server_opens_with_the_links_filters(sample_db):
    """The first request of a new server is a link to a page other than the first: it runs through
    the entry point (app/main.py), so the page shows the link's municipality and language. With the
    entry point beside ``pages/`` Streamlit ran such a page on its own, in Latvian, for the default
    municipality."""
    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    english = catalog("en")
    with serve(sample_db) as base, launch() as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        open_page(page, f"{base}/risks?m=JEK&lang=en")
        assert page.locator("[data-testid=stException]").count() == 0
        assert page.locator("h1").first.inner_text().strip() == english["risks.title"]
        assert page.evaluate("() => document.documentElement.lang") == "en"
        municipality = page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").first
        values = municipality.locator("input").evaluate_all("e => e.map(i => i.value)")
        shown = municipality.inner_text() + " ".join(values)
        assert "Jēkabpils municipality" in shown, shown
        assert page.url.split("?")[0].endswith("/risks") and "m=JEK" in page.url


def test_a_reloaded_page_connects_to_the_server_at_once_and_its_links_stay_right(app):
    """A page opened by its address (a reload, a shared link) asks the server at the right address
    first: before ``page_routes`` the browser code tried ``/risks/_stcore/health`` (a 404) and waited
    0.1 s before it tried ``/_stcore/health`` (ui/startup.py). The menu's links still lead to the
    app's pages, not below the page's address."""
    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    with launch() as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        asked: list[str] = []
        everything: list[str] = []
        page.on("request", lambda request: everything.append(request.url))
        page.on("request", lambda request: asked.append(urlsplit(request.url).path))
        page.on("websocket", lambda socket: asked.append(urlsplit(socket.url).path))
        open_page(page, f"{app}/risks?m=LUD")
        page.reload()
        page.wait_for_selector(READY, timeout=45_000, state="attached")
        wait_idle(page)
        origins = {urlsplit(url)._replace(path="", query="", fragment="").geturl() for url in everything}
        assert origins == {urlsplit(app)._replace(scheme="http").geturl()}, origins  # nothing to third parties
        core = [path for path in asked if "_stcore" in path]
        assert "/_stcore/health" in core and "/_stcore/stream" in core, core
        assert not [path for path in core if not path.startswith("/_stcore/")], core
        assert page.locator("[data-testid=stException]").count() == 0
        page.locator("[data-testid=stSidebarNav] a[href*='/targets']").first.click()
        page.wait_for_url(lambda url: urlsplit(url).path == "/targets", timeout=45_000)
        open_page(page, page.url)
        assert page.locator("h1").first.inner_text().strip() == catalog("lv")["targets.title"]
        assert "m=LUD" in page.url
