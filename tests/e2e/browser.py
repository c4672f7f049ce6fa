"""Serve the app on a free loopback port and drive Debian's Chromium with Playwright.

Used by the browser tests and, from the command line, to take screenshots of any page:

    python -m tests.e2e.browser overview --query "m=LUD&y=2022/2023" --out artifacts/overview.png
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PMP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
IDLE = """() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'
  && document.querySelector('[data-testid=stApp]')?.dataset.testConnectionState === 'CONNECTED'
  && !document.querySelector('[data-testid=stStatusWidget], [data-stale=true]')
  && !document.querySelector('[data-testid=stSkeleton], [data-testid=stSkeletonElement], [data-testid=stAppSkeleton]')
  && [...document.querySelectorAll('[data-testid=stPlotlyChart]')].every(c => c.querySelector('.main-svg'))
  && document.getAnimations().every(a => a.playState !== 'running' || a.effect.getTiming().iterations === Infinity)"""
READY = (
    "[data-testid=stMetric], [data-testid=stException], [data-testid=stAlert], [data-testid=stDataFrame], "
    "[data-testid=stPlotlyChart]"
)


def chromium_missing() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        return f"Chromium not found at {CHROMIUM} (Debian package 'chromium'); browser tests skipped"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the 'playwright' Python package is not installed; browser tests skipped"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    db_path: str | Path | None = None,
    env: dict[str, str] | None = None,
    *,
    script: Path = ROOT / "dashboard.py",
    port: int | None = None,
    streamlit_run: bool = False,
) -> tuple[subprocess.Popen, str]:
    """Serve the app as the README says, ``python dashboard.py`` (another ``script`` the same way,
    through ``benchmarks/serve_script.py``; with ``streamlit_run``: ``streamlit run`` it), on a
    loopback port (a free one unless given); return the process and its base URL once healthy."""
    port = port or free_port()
    environment = {**os.environ, **(env or {})}
    if db_path:
        environment["PMP_DB"] = str(db_path)
    # the server's log goes to a file: a pipe nobody reads would fill up and stall a long-running server
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the process in stop_server)
    if script == ROOT / "dashboard.py" and not streamlit_run:
        command = [sys.executable, str(script), "--host", "127.0.0.1", "--port", str(port)]
    elif not streamlit_run:  # another script (the benchmark's bare page) served the same way
        command = [sys.executable, "-m", "benchmarks.serve_script", str(script), "--host", "127.0.0.1",
                   "--port", str(port)]  # fmt: skip
    else:
        command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                   "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--browser.gatherUsageStats", "false"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=log)
    process.log = log  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                return process, base
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {server_log(process)[-2000:]}")
        time.sleep(0.05)
    stop_server(process)
    raise RuntimeError("the server did not become healthy within 60 s")


def server_log(process: subprocess.Popen) -> str:
    """What the server wrote to stderr so far."""
    log = process.log  # type: ignore[attr-defined]
    log.seek(0)
    return log.read().decode(errors="replace")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.log.close()  # type: ignore[attr-defined]


@contextlib.contextmanager
def serve(db_path: str | Path | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """Serve the app on loopback; yield its base URL; stop it afterwards."""
    process, base = start_server(db_path, env)
    try:
        yield base
    finally:
        stop_server(process)


@contextlib.contextmanager
def launch():
    """Debian's Chromium under Playwright (a Browser; open tabs with ``new_page``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def browser(width: int = 1400, height: int = 1000):
    """One tab in a fresh browser."""
    with launch() as chromium:
        yield chromium.new_page(viewport={"width": width, "height": height})


def wait_idle(page, timeout: int = 45_000) -> None:
    """Until the app is idle: its script has run to the end (Streamlit's own state on ``stApp``, not
    the status widget, which only appears after a delay), nothing is stale or a skeleton still, every
    chart is drawn and no fade is running."""
    page.wait_for_function(IDLE, timeout=timeout)


def open_page(page, url: str) -> None:
    """Load a page and wait until Streamlit has drawn its content."""
    page.goto(url)
    page.wait_for_selector(READY, timeout=45_000, state="attached")
    wait_idle(page)


def sign_in(page, url: str, user: str, password: str) -> None:
    """Open ``url`` (a page that asks to sign in) and sign in with a named account's password."""
    page.goto(url)  # the sign-in form: none of the elements open_page waits for
    form = page.locator("[data-testid=stForm]")
    form.wait_for(timeout=45_000)
    form.locator("input[type=text]").fill(user)
    form.locator("input[type=password]").fill(password)
    form.locator("[data-testid=stFormSubmitButton] button").click()


def pick(page, widget, option: str, attempts: int = 3) -> None:
    """Open a selectbox or multiselect and click one of its options. A click that lands while the
    app is still redrawing the sidebar can leave the list closed: then it is opened again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    choice = page.get_by_role("option", name=option, exact=True)
    for attempt in range(attempts):
        widget.click()
        try:
            choice.wait_for(state="visible", timeout=10_000)
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")
            time.sleep(0.5)
            continue
        choice.click()
        return


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshot a page of the served dashboard.")
    parser.add_argument("page", nargs="?", default="", help="url path of the page, e.g. risks (default: overview)")
    parser.add_argument("--query", default="", help='URL parameters, e.g. "m=LUD&lang=en"')
    parser.add_argument("--out", required=True)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--db", help="database file (default: $PMP_DB or data/pmp.duckdb)")
    args = parser.parse_args(argv)
    with serve(args.db) as base, browser(args.width, args.height) as page:
        open_page(page, f"{base}/{args.page}?{args.query}")
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=args.out, full_page=True)
        errors = page.locator("[data-testid=stException]").count()
    print(f"saved {args.out}; error elements on the page: {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
