"""The last line of defence over every generated page, on the other core.

:func:`..markup.safety.unsafe_content` reads each generated page's HTML as a
browser would, to stop a page that would run or load something (a fork's
template that prints YAML with ``|safe``). It is Python's HTML parser over
every page: at 10,000 case studies, 41 of a build's 250 seconds, on the one
core the build runs on. A large build hands the pages to a helper process
in batches and goes on; the findings are collected once every page is read,
before any is written (:meth:`PageScan.findings`, from the plugin's
``on_env``), so a finding still stops the build with nothing published.

The helper is this module run by the same Python (``python -m
alliance_playbook.adapters.scan``), fed length-prefixed JSON on its standard
input: not :mod:`multiprocessing`, whose ``spawn`` would import the script
that runs the build again (a build started from a script without a
``__main__`` guard would start over in the helper) and whose ``fork`` copies
a process that has threads. Threads write the batches and read the answers,
so the build never waits on the pipe.

A small build (or preview rebuild), or one where the helper cannot start or stops, scans in the
build's own process. ``ALLIANCE_SCAN_PROCESS`` forces the choice (``1``:
always a helper, ``0``: never), for tests.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from ..markup.safety import Finding, unsafe_content

#: Characters of generated pages a build reads before a helper pays for
#: itself: it starts in about 0.1 s on the other core, while the build reads
#: the pages. The seed guide reads 0.4 MB (scanned in the build); a preview
#: rebuild after one case edit reads 0.6 MB at 1,000 cases and 1.1 MB at
#: 3,000 (its index pages, each step page the case applies).
MIN_CHARS = 500_000
#: HTML sent to the helper at a time.
BATCH_CHARS = 1 << 19

Batch = list[tuple[str, str]]
Found = dict[str, list[Finding]]
log = logging.getLogger("mkdocs.plugins.alliance_playbook.scan")
_HEADER = struct.Struct(">Q")
#: The helper's first words: what comes before them (a ``sitecustomize`` that
#: prints) is skipped, and a helper that never says them is not trusted.
HELLO = b"alliance-scan 1\n"
#: The longest answer believed (findings of one batch), and the longest wait
#: for the last answers once every page is read.
MOST_ANSWER = 64 << 20
DEADLINE = 300.0


def scan_batch(batch: Batch) -> Found:
    """The pages of ``batch`` that hold something, with what."""
    return {src: found for src, html in batch if (found := unsafe_content(html))}


def wanted(chars: int, environ: dict[str, str] | None = None) -> bool:
    """Whether a build that reads ``chars`` characters of generated pages scans them in a helper."""
    forced = (os.environ if environ is None else environ).get("ALLIANCE_SCAN_PROCESS", "").strip().lower()
    if forced in ("1", "true", "yes", "on"):
        return True
    if forced in ("0", "false", "no", "off"):
        return False
    return chars >= MIN_CHARS and (os.cpu_count() or 1) > 1


def helper_env() -> dict[str, str]:
    """The environment of a helper process (``python -P -m ...``): this one's,
    with the folder this package is imported from, installed or not, first
    on the import path."""
    package_home = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (package_home, os.environ.get("PYTHONPATH", "")) if p)}


def _frame(payload: object) -> bytes:
    """One message: its length, then its JSON (lone surrogates passed through: json.loads reads them back)."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return _HEADER.pack(len(data)) + data


def _read(stream: IO[bytes], most: int = 1 << 40) -> Any:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    if size > most:
        raise ValueError(f"a message of {size} bytes")
    data = stream.read(size)
    return json.loads(data) if len(data) == size else None


def _found(answer: Any) -> tuple[int, Found]:
    """An answer of the helper, checked: (batch number, findings by page)."""
    number, found = answer
    if not isinstance(number, int) or not isinstance(found, dict):
        raise ValueError("not an answer")
    return number, {str(src): [Finding(str(what), str(value)) for what, value in items] for src, items in found.items()}


class PageScan:
    """One build's scan of its generated pages."""

    def __init__(self, helper: bool):
        self.found: Found = {}
        self.pages = 0
        #: Batches the helper answered.
        self.answered = 0
        self._batch: Batch = []
        self._chars = 0
        #: Batches sent and not yet answered, by number (scanned here if the helper fails).
        self._waiting: dict[int, Batch] = {}
        self._sent = 0
        self._lock = threading.Lock()
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._process: subprocess.Popen[bytes] | None = None
        self._threads: list[threading.Thread] = []
        if helper:
            self._start()

    def _start(self) -> None:
        try:
            # -P: the working folder is not put first on the import path (a
            # fork's own alliance_playbook/ or json.py there is not run).
            self._process = subprocess.Popen([sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.DEVNULL, env=helper_env())
        except OSError:
            return
        self._threads = [threading.Thread(target=self._writer, daemon=True), threading.Thread(target=self._reader, daemon=True)]
        for thread in self._threads:
            thread.start()

    @property
    def in_helper(self) -> bool:
        """Whether a helper process scans (it started)."""
        return self._process is not None

    def _writer(self) -> None:
        assert self._process is not None and self._process.stdin is not None
        stdin = self._process.stdin
        with contextlib.suppress(OSError, ValueError):
            while (data := self._outbox.get()) is not None:
                stdin.write(data)
                stdin.flush()
        with contextlib.suppress(OSError, ValueError):
            stdin.close()

    def _reader(self) -> None:
        process = self._process
        assert process is not None and process.stdout is not None
        try:
            said = process.stdout.readline(1 << 16)
            while said and not said.endswith(HELLO):
                said = process.stdout.readline(1 << 16)
            if not said:
                raise ValueError("the helper did not start")
            while (answer := _read(process.stdout, MOST_ANSWER)) is not None:
                number, found = _found(answer)
                self.answered += 1
                with self._lock:
                    self._waiting.pop(number, None)
                    self.found.update(found)
        except Exception:  # anything it says that is not an answer: the build scans what is left
            with contextlib.suppress(OSError):
                process.kill()

    def add(self, src: str, html: str) -> None:
        """A generated page's HTML, as the page will carry it."""
        self.pages += 1
        if self._process is None:
            if found := unsafe_content(html):
                self.found[src] = found
            return
        self._batch.append((src, html))
        self._chars += len(html)
        if self._chars >= BATCH_CHARS:
            self._send()

    def _send(self) -> None:
        batch, self._batch, self._chars = self._batch, [], 0
        if not batch:
            return
        if self._process is None:
            self.found.update(scan_batch(batch))
            return
        number, self._sent = self._sent, self._sent + 1
        with self._lock:
            self._waiting[number] = batch
        self._outbox.put(_frame([number, batch]))

    def findings(self) -> Found:
        """Every page that holds something (waits for the helper)."""
        self._send()
        process = self._process
        if process is not None:
            self._outbox.put(None)
            writer, reader = self._threads
            reader.join(DEADLINE)
            if reader.is_alive():  # stuck: what it has not answered is scanned here
                with contextlib.suppress(OSError):
                    process.kill()
                reader.join()
            writer.join()
            process.wait()
            _close(process)
            log.debug(f"{self.pages} generated pages scanned in a helper process")
            self._process = None
        for batch in self._waiting.values():  # the helper stopped before it answered: scan them here
            self.found.update(scan_batch(batch))
        self._waiting.clear()
        return self.found

    def close(self) -> None:
        """Stop the helper (a build that failed does not wait for its answers)."""
        process, self._process = self._process, None
        if process is not None:
            self._outbox.put(None)
            with contextlib.suppress(OSError):
                process.kill()
            process.wait()
            for thread in self._threads:
                thread.join(5)
            _close(process)


def _close(process: subprocess.Popen[bytes]) -> None:
    for pipe in (process.stdin, process.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError, ValueError):
                pipe.close()


def main() -> None:
    """The helper: answer each batch with its findings until the input ends."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print goes elsewhere than the answers
    stdout.write(HELLO)
    stdout.flush()
    while (request := _read(stdin)) is not None:
        number, batch = request
        found = scan_batch([(str(src), str(html)) for src, html in batch])
        stdout.write(_frame([number, {src: [[f.what, f.value] for f in items] for src, items in found.items()}]))
        stdout.flush()


if __name__ == "__main__":
    main()


__all__ = ["BATCH_CHARS", "DEADLINE", "HELLO", "MIN_CHARS", "MOST_ANSWER", "PageScan", "main", "scan_batch", "wanted"]
