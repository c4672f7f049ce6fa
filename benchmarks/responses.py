"""Time per HTTP response on a reused connection: ``python -m benchmarks.responses``.

Serves the app both ways the project allows, ``python dashboard.py`` (uvicorn binds its own socket)
and ``streamlit run dashboard.py`` (Streamlit 1.67 binds it), and times ``GET /_stcore/health``
requests one after another on one keep-alive connection, as a browser loads Streamlit's front end.
Where the server's socket does not switch Nagle's algorithm off, each response after the first waits
for the client's delayed acknowledgement (about 40 ms on Linux). Figures in docs/performance.md
("The cold start"). A benchmark, not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit

from tests.e2e.browser import start_server, stop_server


def _start(how: str) -> tuple[subprocess.Popen, str]:
    return start_server(streamlit_run=how.startswith("streamlit run"))


def per_response(base: str, requests: int) -> list[float]:
    """Seconds of each request after the first on one connection."""
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    waits = []
    try:
        for _ in range(requests + 1):
            started = time.perf_counter()
            connection.request("GET", "/_stcore/health")
            connection.getresponse().read()
            waits.append(time.perf_counter() - started)
    finally:
        connection.close()
    return waits[1:]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args(argv)
    for how in ("python dashboard.py", "streamlit run dashboard.py"):
        process, base = _start(how)
        try:
            waits = per_response(base, args.requests)
        finally:
            stop_server(process)
        print(f"{how:28} median {statistics.median(waits) * 1000:6.1f} ms per response, "
              f"max {max(waits) * 1000:6.1f} ms ({args.requests} requests on one connection)")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
