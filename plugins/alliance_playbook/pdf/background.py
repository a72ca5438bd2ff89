"""The second process of a PDF build: the worksheet sheets and the small
booklets, made while the main process (and its workers) make the book."""

from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .book import PdfError, PdfOptions
from .interrupts import ignore_interrupts, start_ignoring_interrupts
from .nav import NavNode
from .progress import Progress, progress_of
from .worksheets import Worksheet, build_worksheet_pdfs

_log = logging.getLogger(__name__)
#: How a booklet is made: :func:`.build._build_pdf` (passed in, since that
#: module starts this process; a module-level function, so a spawned process
#: can be given it).
BuildBooklet = Callable[[Path, list[NavNode], PdfOptions, Progress], Any]


@dataclass
class Booklet:
    """A smaller PDF made alongside the book: a phase's workshop kit, the
    maintainers' guide. Its chapters are pages of the same built site."""

    nav: list[NavNode]
    options: PdfOptions


class WorksheetsProcess:
    """The worksheet PDFs, made by a second process while this one makes the book."""

    def __init__(self, site_dir: Path, sheets: list[Worksheet], options: PdfOptions, booklets: list[Booklet], build: BuildBooklet) -> None:
        # spawn, not fork: the parent may hold GLib/fontconfig state that a forked child must not share.
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe(duplex=False)
        self.process = context.Process(target=_worksheets_process, args=(theirs, str(site_dir), sheets, options, booklets, build), daemon=True)
        self.finished = False
        try:
            start_ignoring_interrupts(self.process)
        except BaseException:
            self.conn.close()
            raise
        finally:
            theirs.close()

    def result(self) -> list[tuple[int, str]]:
        """The log lines of the finished job; raises PdfError as the job did, RuntimeError when it broke."""
        try:
            kind, payload = self.conn.recv()
        except EOFError:
            raise RuntimeError("the process stopped unexpectedly") from None
        self.finished = True
        if kind == "pdf-error":
            raise PdfError(payload)
        if kind == "error":
            raise RuntimeError(payload.strip().splitlines()[-1] if payload.strip() else "no message")
        lines: list[tuple[int, str]] = payload  # "done": what worksheets_job returned
        return lines

    def stop(self) -> None:
        """End the process: it has finished, or it is stopped now (the book failed, Ctrl-C)."""
        if not self.finished:
            self.process.terminate()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.conn.close()


def start_worksheets(site_dir: Path, sheets: list[Worksheet], options: PdfOptions, booklets: list[Booklet],
                     build: BuildBooklet) -> WorksheetsProcess | None:
    """The process that makes the sheets and the ``booklets`` (with ``build``), or None where one cannot be started."""
    if not (sheets or booklets) or (os.cpu_count() or 1) < 2:
        return None
    try:
        return WorksheetsProcess(site_dir, sheets, options, booklets, build)
    except Exception as exc:  # inside a daemonic process, no more processes, options that cannot be sent: make them here
        _log.debug(f"PDF: no second process for the worksheets ({exc!r}); making them after the book")
        return None


def _worksheets_process(conn: Connection, site_dir: str, sheets: list[Worksheet], options: PdfOptions, booklets: list[Booklet],
                        build: BuildBooklet) -> None:
    """The second process: makes the worksheet PDFs and sends back its log lines (or its error)."""
    ignore_interrupts()  # the book's process stops this one
    report: tuple[str, list[tuple[int, str]] | str]
    try:
        report = ("done", worksheets_job(site_dir, sheets, options, booklets, build))
    except PdfError as exc:
        report = ("pdf-error", str(exc))
    except Exception:  # noqa: BLE001 - the parent makes the sheets itself
        report = ("error", traceback.format_exc())
    with suppress(OSError):
        conn.send(report)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


def worksheets_job(site_dir: str, sheets: list[Worksheet], options: PdfOptions, booklets: list[Booklet],
                   build: BuildBooklet) -> list[tuple[int, str]]:
    """Make the worksheet PDFs, then the booklets (each in one piece: they
    are small); returns the log lines for the parent to show."""
    collect = _Collect()
    logger = logging.getLogger(f"{__name__}.worksheets")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(collect)
    try:
        if sheets:
            build_worksheet_pdfs(Path(site_dir), sheets, options, log=logger)
        for booklet in booklets:
            with progress_of(logger) as progress:
                build(Path(site_dir), booklet.nav, replace(booklet.options, parts=1), progress)
    finally:
        logger.removeHandler(collect)
    return collect.records
