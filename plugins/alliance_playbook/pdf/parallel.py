"""Lay out the parts of a book on several cores, then merge them into one PDF.

Each worker is a spawned process that lays out one part at a time with
WeasyPrint. Page numbers run on across parts: when a worker has laid out
its part's pages (the margin boxes, where page numbers print, come last)
it says how many there are and waits for its offset, which is known once
every earlier part has said the same (see :func:`.layout.page_offset`).
It then holds the laid-out part and lays out the next one. Once every
part is laid out, every anchor's page is known: each held part is written
with its page references numbered (:func:`.refs.number_references`),
while this process lays out the front matter again with the real numbers
(it was first laid out with stand-ins, to learn its length), and
:func:`.merge.merge_parts` joins everything into one tagged PDF with one
outline and one set of named destinations.

The parts depend only on the content (never on the number of cores), so
the PDF is the same bytes on any machine for the same SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, cast

from .book import PdfError
from .interrupts import ignore_interrupts, start_ignoring_interrupts
from .layout import LaidOut, Part, Rendered, lay_out_part, layout_pages, render_part, write_part
from .parts import Plan, front_html
from .progress import doing
from .tree import Element

_log = logging.getLogger(__name__)


class _Stop(Exception):
    pass


@dataclass
class Alongside:
    """A small document that needs the book's page numbers (a workshop
    kit's contents): a worker lays it out and writes it once every part is
    placed, while the parts are written and merged, instead of after the book."""

    #: Its HTML, from the book's page number of each anchor.
    html: Callable[[dict[str, int]], str]
    target: Path
    #: What laying it out found, once it is written.
    rendered: Rendered | None = None


class NoWorkers(PdfError):
    """Worker processes could not be started here (the book is laid out in one piece instead)."""


def _worker(conn: Connection, site_dir: str) -> None:
    """A worker process: lays out parts, and writes them, until told to stop (``None``).

    A job is ``("lay out", index, html, elsewhere, target)``, ``("write",
    index, numbers)`` or ``("render", index, html, target)`` (a whole small
    document, see :class:`Alongside`). A laid-out part is held until every part of the book
    is laid out, since only then are the page numbers its references print
    known; meanwhile the worker lays out the next part. Ctrl-C is left to
    the coordinator, which stops the workers itself (it may be waiting for
    this one's page count); a coordinator that is gone shows as a closed
    pipe, and the worker just ends.
    """
    ignore_interrupts()
    held: dict[int, LaidOut] = {}
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index = job[1]

        def ask(pages: int, index: int = index) -> int:
            conn.send(("pages", index, pages))
            offset: int | None = conn.recv()
            if offset is None:  # the build failed elsewhere: stop
                raise _Stop
            return offset

        report: tuple[str, int, Any]
        try:
            if job[0] == "write":
                report = ("done", index, write_part(held.pop(index), job[2]))
            elif job[0] == "render":  # a document alongside the book (:class:`Alongside`)
                report = ("rendered", index, render_part(job[2], Path(site_dir), Path(job[3])).rendered)
            else:
                _kind, _index, html_text, elsewhere, target = job
                held[index] = lay_out_part(html_text, Path(site_dir), Path(target), elsewhere=elsewhere, ask_offset=ask)
                report = ("anchors", index, held[index].part.rendered.anchor_pages)
        except (_Stop, EOFError, ConnectionError):  # told to stop, or the coordinator is gone
            return
        except Exception:  # noqa: BLE001 - reported to the parent, which fails the build
            report = ("error", index, traceback.format_exc())
        try:
            conn.send(report)
        except OSError:
            return
        if report[0] == "error":
            return


def page_numbers(front_pages: int, parts: list[tuple[int, dict[str, int]]]) -> dict[str, int]:
    """The book's page number of each anchor, from each part's page count and its anchors' pages in it (1-based)."""
    numbers: dict[str, int] = {}
    offset = front_pages
    for pages, anchors in parts:
        for name, page in anchors.items():
            numbers.setdefault(name, offset + page)
        offset += pages
    return numbers


def jobs_for(parts: int, wanted: int | None = None) -> int:
    """How many processes lay out ``parts`` parts: ``wanted``, else one per core
    this process may use, never more than the parts."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(parts, wanted or cores))


def render_parts(plan: Plan, book_root: Element, site_dir: Path, target: Path, *, jobs: int,
                 log: logging.Logger | logging.LoggerAdapter[Any] | None = None,
                 merge: Callable[..., Rendered] | None = None, worker: Callable[[Connection, str], None] | None = None,
                 alongside: list[Alongside] | None = None) -> Rendered:
    """Lay out ``plan``'s parts on ``jobs`` processes and write the merged
    book to ``target``, and the documents ``alongside`` it (each gets its
    ``rendered``) once the page numbers are known.

    A failure or Ctrl-C (``KeyboardInterrupt``) stops the workers at once
    and removes the parts; ``target`` is only ever written whole.
    ``merge`` and ``worker`` stand in for :func:`.merge.merge_parts` and
    :func:`_worker` (tests use them to see failures handled).
    """
    from .merge import merge_parts

    log = log or _log
    merge = merge or merge_parts
    start = time.perf_counter()
    context = multiprocessing.get_context("spawn")  # not fork: the parent may hold GLib/fontconfig state
    with tempfile.TemporaryDirectory(prefix="alliance-pdf-") as scratch:
        workers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
        finished = False
        try:
            for _ in range(jobs):
                ours, theirs = context.Pipe()
                process = context.Process(target=worker or _worker, args=(theirs, str(site_dir)), daemon=True)
                try:
                    start_ignoring_interrupts(process, Path(scratch) / "tmp")
                except (AssertionError, OSError) as exc:  # e.g. inside a daemonic process, or no more processes allowed
                    raise NoWorkers(f"cannot start a worker process ({exc or type(exc).__name__})") from None
                theirs.close()
                workers.append((process, ours))
            queue = list(range(len(plan.parts)))
            #: What each worker is doing (the part it lays out or writes), for messages.
            busy: dict[Connection, int] = {}
            #: The laid-out parts each worker holds, to write once every part is laid out.
            held: dict[Connection, list[int]] = {conn: [] for _process, conn in workers}
            numbers: dict[str, int] | None = None
            extras = list(alongside or [])
            #: The documents alongside not yet given to a worker (once the numbers are known).
            extra_queue: list[int] = []

            def give(conn: Connection) -> None:
                busy.pop(conn, None)
                if queue:
                    index = queue.pop(0)
                    source = plan.parts[index]
                    conn.send(("lay out", index, source.html, source.elsewhere, str(Path(scratch) / f"part-{index:03d}.pdf")))
                    busy[conn] = index
                elif numbers is not None and held[conn]:
                    index = held[conn].pop(0)
                    conn.send(("write", index, {ref: numbers[ref] for ref in plan.parts[index].refs if ref in numbers}))
                    busy[conn] = index
                elif numbers is not None and extra_queue:
                    index = extra_queue.pop(0)
                    conn.send(("render", index, extras[index].html(numbers), str(extras[index].target)))
                    busy[conn] = len(plan.parts) + index

            for _process, conn in workers:
                give(conn)

            counts: dict[int, int] = {}
            waiting: dict[int, Connection] = {}
            anchors: dict[int, dict[str, int]] = {}
            parts: dict[int, Part] = {}
            front: Part | None = None
            sent = 0  # parts 0..sent-1 have their offset

            def tell() -> None:
                doing(log, f"laying out {len(plan.parts)} parts: {len(counts)} laid out, {len(parts)} written")

            # The front matter's length, with stand-in numbers, while the workers lay out.
            doing(log, "measuring the contents while the parts are laid out")
            front_pages = layout_pages(front_html(book_root, plan, None), site_dir)
            log.debug(f"PDF: front matter measured ({front_pages} pages) at {time.perf_counter() - start:.1f} s")
            tell()

            def send_offsets() -> None:
                nonlocal sent
                while sent in waiting and all(i in counts for i in range(sent)):
                    waiting.pop(sent).send(front_pages + sum(counts[i] for i in range(sent)))
                    sent += 1

            def what(index: int) -> str:
                return f"part {index + 1}" if index < len(plan.parts) else "a document alongside the book"

            def receive() -> None:
                nonlocal numbers, front
                # wait() hands back some of the connections it was given
                for conn in cast("list[Connection]", wait(list(busy))):
                    try:
                        message = conn.recv()
                    except EOFError:
                        doing_what = "writing" if numbers is not None else "laying out"
                        raise PdfError(f"a PDF worker stopped unexpectedly while {doing_what} {what(busy[conn])}") from None
                    kind, index, payload = message
                    if kind == "pages":
                        counts[index] = payload
                        waiting[index] = conn
                        log.info(f"PDF: part {index + 1}/{len(plan.parts)} laid out ({payload} pages, {time.perf_counter() - start:.0f} s)")
                    elif kind == "anchors":
                        anchors[index] = payload
                        held[conn].append(index)
                        give(conn)
                    elif kind == "done":
                        parts[index] = payload
                        log.debug(f"PDF: part {index + 1} took " + ", ".join(f"{k} {v:.1f} s" for k, v in payload.seconds.items()))
                        give(conn)
                    elif kind == "rendered":
                        extras[index].rendered = payload
                        give(conn)
                    else:
                        which = what(busy[conn])
                        log.debug(f"PDF: {which} failed:\n{payload}")
                        last = payload.strip().splitlines()[-1] if payload.strip() else "no message"
                        raise PdfError(f"laying out {which} of the PDF failed: {last} (run mkdocs build -v for the details)")
                    tell()
                send_offsets()
                if numbers is None and len(anchors) == len(plan.parts):
                    # Every page is placed: the parts are written with their page references numbered,
                    # the documents alongside are made, and the contents get their numbers meanwhile.
                    numbers = page_numbers(front_pages, [(counts[i], anchors[i]) for i in range(len(plan.parts))])
                    extra_queue.extend(range(len(extras)))
                    for _process, conn in workers:
                        give(conn)
                    front = render_part(front_html(book_root, plan, numbers), site_dir, Path(scratch) / "front.pdf",
                                        elsewhere=plan.front_links)

            while len(parts) < len(plan.parts):
                receive()

            ordered = [parts[i] for i in range(len(plan.parts))]
            assert front is not None
            if front.pages > front_pages:
                raise PdfError(f"the contents took {front.pages} pages with their page numbers, {front_pages} with stand-ins; "
                               "set ALLIANCE_PDF_PARTS=1 to lay the book out in one piece")
            if front.pages < front_pages:
                log.info(f"PDF: the contents took {front.pages} page(s) with their numbers, {front_pages} with stand-ins: a blank page follows them")
            log.info(f"PDF: {len(plan.parts)} parts laid out on {jobs} cores in {time.perf_counter() - start:.1f} s "
                     f"(front matter: {front.seconds.get('layout', 0) + front.seconds.get('write', 0):.1f} s); merging...")
            doing(log, f"merging {len(plan.parts) + 1} parts into one PDF")
            merged = merge([front, *ordered], target, front_pages=front_pages)
            while busy:  # the documents alongside, made while the book was merged
                receive()
            finished = True
            return merged
        finally:
            # Before the scratch folder goes: no worker may still be writing into it.
            stop_workers(workers, at_once=not finished)


def stop_workers(workers: list[tuple[multiprocessing.process.BaseProcess, Connection]], *, at_once: bool) -> None:
    """End the worker processes: asked to (their work is done), or ``at_once`` (a failure, Ctrl-C).

    A worker still laying out a part would only see the request once its
    part is done, which can take minutes: after a failure it is terminated.
    """
    for process, conn in workers:
        if at_once:
            process.terminate()
        else:
            with suppress(OSError, ValueError):
                conn.send(None)
    for process, conn in workers:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
        conn.close()
