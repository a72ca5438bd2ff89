"""What the PDF step is doing, said at least every few seconds.

WeasyPrint lays a document out in one call: a guide with one very long page
can spend minutes there, and a build that prints nothing for minutes looks
stuck. :class:`Progress` is the step's log: when nothing was said for
:data:`EVERY` seconds it says what the step is still doing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

from .interrupts import interrupts_blocked

#: Seconds without a line in the log before the step says what it is still doing.
EVERY = 10.0


class Progress(logging.LoggerAdapter[Any]):
    """A log (wrapping another) that says "PDF: still <doing> (<n> s so far)" when it has been quiet.

    Use it as a context manager: the reminders come from a helper thread
    while the block runs.
    """

    def __init__(self, logger: logging.Logger | logging.LoggerAdapter[Any], every: float | None = None) -> None:
        super().__init__(logger, {})
        self.every = every if every is not None else EVERY
        self.started = time.monotonic()
        self._said = self.started
        self._doing = "making the PDF"
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        return msg, kwargs  # the wrapped log adds its own prefix and extras

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if level >= logging.INFO:  # what the person sees (debug lines are not shown by default)
            self._said = time.monotonic()
        super().log(level, msg, *args, **kwargs)

    def doing(self, what: str) -> None:
        """Name the work from now on, for the next reminder ("laying out the book in one piece")."""
        self._doing = what

    def __enter__(self) -> Progress:
        self._thread = threading.Thread(target=self._remind, name="alliance-pdf-progress", daemon=True)
        with interrupts_blocked():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()

    def _remind(self) -> None:
        while not self._done.wait(max(0.05, self._said + self.every - time.monotonic())):
            if time.monotonic() - self._said >= self.every:
                self.info(f"PDF: still {self._doing} ({time.monotonic() - self.started:.0f} s so far)")


def doing(log: logging.Logger | logging.LoggerAdapter[Any], what: str) -> None:
    """Tell ``log`` what comes next, when it is a :class:`Progress` (any other log has no reminders)."""
    if isinstance(log, Progress):
        log.doing(what)


@contextmanager
def progress_of(log: logging.Logger | logging.LoggerAdapter[Any]) -> Iterator[Progress]:
    """``log`` as a running :class:`Progress`: the same one when it is one already."""
    if isinstance(log, Progress):
        yield log
        return
    with Progress(log) as progress:
        yield progress
