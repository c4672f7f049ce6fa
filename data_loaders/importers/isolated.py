"""Reading uploaded files in a process of their own, so that one user's upload never slows another's page.

The app serves every session from one Python process. Checking a file is pure Python (unzipping,
XML, the privacy guard's patterns, the models) and holds the interpreter lock while it runs: a heavy
upload, checked in the uploader's own thread, made another user's Overview take 2-4 times as long
(issue 15; the first review saw 0.2 s become 22 s). Here the Data page hands each file to one worker
process that does nothing else, so the server's interpreter stays free for every other session and
the operating system shares the machine's cores between the two.

* One worker for the whole server, started on the first upload and kept: the checks of two users'
  uploads queue behind each other, and one core stays free for the pages on a two-core machine.
* A file that takes longer than ``TIME_LIMIT`` or needs more memory than ``MEMORY_LIMIT`` is refused
  with that reason (the worker is stopped and a new one started for the next file); nothing is
  stored either way, as for any refused file.
* ``parse`` in the worker is the same ``reading.parse`` the command line uses: the result is the
  same ``ParsedFile``, sent back through a pipe.

A new interpreter (``python -m data_loaders.importers.isolated``), not a fork of the server (it has
threads, and a fork copies their locks half-held) nor multiprocessing's spawn (it runs the parent's
main script again, and under ``streamlit run`` or a test runner that is not ours to guard). Messages
are pickles with a length in front, over the worker's stdin and stdout; both ends are this module.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO

from data_loaders.build import Problem
from data_loaders.importers.files import ParsedFile, clear

TIME_LIMIT = 120.0  # s for one file; the heaviest files the limits let through take about 10 s of CPU
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space; the heaviest files need a few hundred MB
ROOT = Path(__file__).resolve().parents[2]
_LENGTH = struct.Struct("!Q")


def _send(stream: BinaryIO, message: object) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(body)) + body)
    stream.flush()


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("the other end has gone")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(stream: BinaryIO) -> object:
    (size,) = _LENGTH.unpack(_read_exactly(stream, _LENGTH.size))
    return pickle.loads(_read_exactly(stream, size))  # only ever from this module's other end


def _limit_memory() -> None:
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not on this system: the file limits still hold
        pass


def serve() -> None:
    """The worker: parse each (name, data) it receives and send the ParsedFile back."""
    requests, replies = sys.stdin.buffer, os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # a stray print must not corrupt the replies
    _limit_memory()
    from data_loaders.importers.reading import parse

    while True:
        try:
            name, data = _receive(requests)
        except EOFError:  # the server has gone
            return
        try:
            result: ParsedFile = parse(name, data)
        except MemoryError:  # parse catches everything else and refuses the file with the reason
            result = _refused(name, "the file needs more memory than a report can", "too_much_memory")
        _send(replies, result)


def _refused(name: str, reason: str, code: str, **params: str) -> ParsedFile:
    parsed = ParsedFile(name=name, sha256="")
    parsed.problems.append(Problem(name, None, None, f"{reason}; nothing from it is stored", code, params))
    clear(parsed)
    return parsed


class Worker:
    """One worker process and the pipes to it; ``parse`` is safe to call from many threads."""

    def __init__(self, time_limit: float = TIME_LIMIT) -> None:
        self.time_limit = time_limit
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    def _start(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "data_loaders.importers.isolated"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT,
            )  # fmt: skip
        return self._process

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)
            for stream in (self._process.stdin, self._process.stdout):
                if stream is not None:
                    stream.close()
        self._process = None

    def parse(self, name: str, data: bytes) -> ParsedFile:
        with self._lock:
            process = self._start()
            assert process.stdin is not None and process.stdout is not None
            try:
                _send(process.stdin, (name, data))
                ready, _, _ = select.select([process.stdout], [], [], self.time_limit)
                if ready:
                    return _receive(process.stdout)  # type: ignore[return-value]
                seconds = f"{self.time_limit:g}"
                refusal = _refused(name, f"checking the file took longer than {seconds} s", "too_slow", seconds=seconds)
            except (EOFError, OSError):  # the worker died (out of memory): a new one for the next file
                refusal = _refused(name, "the file needs more memory than a report can", "too_much_memory")
            self.stop()
            return refusal


_worker = Worker()


def parse(name: str, data: bytes) -> ParsedFile:
    """``reading.parse`` in the server's upload worker process (see the module's text)."""
    return _worker.parse(name, data)


if __name__ == "__main__":
    serve()
