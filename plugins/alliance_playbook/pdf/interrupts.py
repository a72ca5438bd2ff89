"""Ctrl-C during the PDF: one clean stop, however many processes are at work.

A terminal sends Ctrl-C (SIGINT) to every process of the command. Worker
processes that took it would each die with a traceback wherever they were,
and leave their files behind. Instead they ignore it: the process that
started them gets it as ``KeyboardInterrupt``, stops them, removes the
temporary files and says so once.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType
from typing import NoReturn


def _main_thread() -> bool:
    # signal.signal works in the main thread only, and only there does Python raise KeyboardInterrupt.
    return threading.current_thread() is threading.main_thread()


def start_ignoring_interrupts(process: BaseProcess, tmpdir: Path | None = None) -> None:
    """Start ``process`` (a spawned ``multiprocessing`` process) so that Ctrl-C never reaches its code.

    An ignored signal stays ignored in a new program, and Python installs its
    KeyboardInterrupt handler only when SIGINT is at its default: so a child
    started while SIGINT is ignored here ignores it from its first line, also
    while it imports, before :func:`ignore_interrupts` could run. This
    process ignores it only for the milliseconds the start takes; a Ctrl-C
    in that moment is lost (the next one is not).

    ``tmpdir``: the child's temporary folder (its ``TMPDIR``), so that what a
    stopped child leaves there goes when the caller removes that folder.
    """
    saved = os.environ.get("TMPDIR")
    if tmpdir is not None:
        tmpdir.mkdir(parents=True, exist_ok=True)
        os.environ["TMPDIR"] = str(tmpdir)  # a spawned child copies the environment as it starts
    try:
        if not _main_thread():
            process.start()  # the child calls ignore_interrupts() once it runs
            return
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            process.start()
        finally:
            signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
    finally:
        if tmpdir is not None:
            if saved is None:
                os.environ.pop("TMPDIR", None)
            else:
                os.environ["TMPDIR"] = saved


def ignore_interrupts() -> None:
    """In a worker process: leave Ctrl-C to the process that started it, which stops the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def interrupt_once() -> Iterator[None]:
    """The first Ctrl-C stops the work in the block; more are ignored until the block has cleaned up.

    Someone waiting for a build often presses Ctrl-C twice: a second
    KeyboardInterrupt while the workers are being stopped would leave them
    running and their files behind. Only Python's own handler is replaced
    (a program that installed another one keeps it).
    """
    if not _main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> NoReturn:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@contextmanager
def interrupts_blocked() -> Iterator[None]:
    """Threads started in this block never take SIGINT, so it always reaches the main thread.

    A signal wakes only the thread the system hands it to. A helper thread
    that took Ctrl-C would leave the main thread asleep in its wait for a
    worker's message, possibly for minutes.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks (and no such wait)
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
