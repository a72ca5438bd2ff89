"""``build_pdf``: the whole guide as one PDF, checked before it is written.

Used by the ``alliance-pdf`` MkDocs plugin after a build, and by anything
else that has a built site and its navigation (``alliance pdf``).
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import time
import traceback
from contextlib import suppress
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .book import PdfError, PdfOptions, PrintBook, assemble_book, build_time
from .excerpts import cut_excerpts
from .files import private_tempdir, remove_scratch_files
from .fonts import chapter_texts, missing_glyphs, warnings_for
from .interrupts import ignore_interrupts, interrupt_once, start_ignoring_interrupts
from .layout import Rendered, render_part
from .nav import NavNode
from .paper import defer_page_references
from .parallel import NoWorkers, jobs_for, render_parts
from .parts import page_number_digits, part_count, plan_parts
from .progress import Progress, progress_of
from .worksheets import Worksheet, build_worksheet_pdfs

_log = logging.getLogger(__name__)


@dataclass
class PdfResult:
    """What :func:`build_pdf` wrote: the file, its pages, its size in bytes, the
    seconds it took, and what went wrong with links."""

    path: Path
    pages: int
    size: int
    seconds: float
    #: Internal links in the print HTML; each became at least one link in the PDF.
    internal_links: int
    #: Links printed as text, images left out (each with its reason).
    issues: list[str] = field(default_factory=list)
    #: URLs WeasyPrint wanted to load and was refused.
    blocked: list[str] = field(default_factory=list)
    #: The first page (1-based) of each chapter, by its anchor, and each
    #: page file's chapter anchor: where an excerpt finds its pages.
    chapter_starts: dict[str, int] = field(default_factory=dict)
    prefix_of: dict[str, str] = field(default_factory=dict)


def build_pdf(site_dir: Path, nav_pages: list[NavNode], options: PdfOptions, log: logging.Logger | logging.LoggerAdapter[Any] | None = None) -> PdfResult:
    """Write ``<site_dir>/pdf/<options.pdf_name>`` from the built pages in ``nav_pages`` order.

    Raises :class:`PdfError` when a navigation page is missing from the
    result, so a book never silently loses a chapter. Says what it is doing
    at least every :data:`.progress.EVERY` seconds; on Ctrl-C it stops its
    workers and leaves no PDF (``KeyboardInterrupt`` goes on to the caller).
    """
    with interrupt_once(), progress_of(log or _log) as progress:
        return _build_pdf(Path(site_dir), nav_pages, options, progress)


def _build_pdf(site_dir: Path, nav_pages: list[NavNode], options: PdfOptions, log: Progress) -> PdfResult:
    start = time.perf_counter()
    when = build_time()
    log.doing("collecting the pages for the book")
    book = assemble_book(site_dir, nav_pages, options, when)
    log.info(f"PDF: {len(book.chapters)} chapters collected in {time.perf_counter() - start:.1f} s")
    for warning in warnings_for(missing_glyphs(chapter_texts(book.root))):
        log.warning(warning)
    target = options.target(site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    parts = options.parts or part_count(book.root)
    rendered = None
    if parts > 1:
        defer_page_references(book.root, "0" * page_number_digits(book.root))  # digits share one width
        plan = plan_parts(book.root, parts)
        jobs = jobs_for(len(plan.parts), options.jobs or None)
        log.info(f"PDF: laying out {len(plan.parts)} parts on {jobs} cores...")
        try:
            rendered = render_parts(plan, book.root, site_dir, target, jobs=jobs, log=log)
        except NoWorkers as exc:
            log.info(f"PDF: {exc}; laying the book out in one piece")
            defer_page_references(book.root, None)  # one piece: WeasyPrint numbers them itself
            book.__dict__.pop("html", None)
    if rendered is None:
        if parts <= 1:
            log.info("PDF: laying out the book in one piece...")
        log.doing("laying out the book in one piece")
        rendered = render_part(book.html, site_dir, target, laid_out=lambda _rendered: log.doing("writing the book")).rendered

    lost = [f"{title!r} (#{prefix})" for prefix, title in book.chapters if prefix not in rendered.anchors]
    if lost:
        target.unlink(missing_ok=True)
        raise PdfError("these navigation pages did not make it into the PDF: " + ", ".join(lost))
    issues = list(book.issues)
    dropped = [book.internal_links[i] for i in range(len(book.internal_links)) if rendered.link_areas.get(i, 0) == 0]
    for anchor in dropped:
        issues.append(f"the link to #{anchor} is not clickable in the PDF (it was not laid out)")
    for url in rendered.blocked:
        log.warning(f"PDF: not loaded (only the site's own files and data: URLs are allowed): {url}")
    if book.issues:
        log.info(f"PDF: {len(book.issues)} link(s) or image(s) printed as text:\n  " + "\n  ".join(book.issues))
    for message in issues[len(book.issues):]:
        log.warning(f"PDF: {message}")

    seconds = time.perf_counter() - start
    starts = {prefix: rendered.anchor_pages[prefix] for prefix, _title in book.chapters if prefix in rendered.anchor_pages}
    result = PdfResult(target, rendered.pages, target.stat().st_size, seconds, len(book.internal_links), issues, rendered.blocked,
                       starts, book.prefix_of)
    if options.debug:
        _write_debug(target, book, rendered)
    log.info(f"PDF: wrote {target.relative_to(site_dir).as_posix()} ({result.pages} pages, {result.size / 1e6:.1f} MB) in {seconds:.1f} s")
    return result


def _write_debug(target: Path, book: PrintBook, rendered: Rendered) -> None:
    """The print HTML and the link bookkeeping, for tests and for debugging layouts."""
    target.with_suffix(".print.html").write_text(book.html, encoding="utf-8")
    data = {
        "pages": rendered.pages,
        "internal_links": len(book.internal_links),
        "internal_link_targets": book.internal_links,
        "link_areas": sum(rendered.link_areas.values()),
        "links_without_area": [i for i in range(len(book.internal_links)) if not rendered.link_areas.get(i)],
        "stray_link_areas": rendered.stray_areas,
        "external_links": book.external_links,
        "chapters": [{"anchor": a, "title": title, "page": rendered.anchor_pages.get(a)} for a, title in book.chapters],
        "issues": book.issues,
        "blocked": rendered.blocked,
    }
    target.with_suffix(".links.json").write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


@dataclass
class Booklet:
    """A smaller PDF made alongside the book: a phase's workshop kit, the
    maintainers' guide. Its chapters are pages of the same built site."""

    nav: list[NavNode]
    options: PdfOptions


def build_book_and_worksheets(site_dir: Path, nav_pages: list[NavNode], sheets: list[Worksheet], options: PdfOptions,
                              log: logging.Logger | logging.LoggerAdapter[Any] | None = None,
                              booklets: list[Booklet] | None = None) -> PdfResult:
    """The book, and the blank worksheets and the ``booklets`` alongside it
    in a process of their own.

    A large book is laid out in parts on every core and merged
    (:mod:`.parallel`); the worksheets are independent of it and are made
    while it is laid out.

    On Ctrl-C every process is stopped and none of the PDFs is left (a site
    must not offer some worksheets and no book); ``KeyboardInterrupt`` goes
    on to the caller, which says so.
    """
    site_dir = Path(site_dir)
    with private_tempdir(), interrupt_once(), progress_of(log or _log) as progress:
        try:
            return _book_and_worksheets(site_dir, nav_pages, sheets, options, progress, booklets or [])
        except KeyboardInterrupt:
            remove_pdfs(site_dir, options, sheets, booklets or [])
            raise


def _book_and_worksheets(site_dir: Path, nav_pages: list[NavNode], sheets: list[Worksheet], options: PdfOptions,
                         log: Progress, booklets: list[Booklet]) -> PdfResult:
    # Excerpts (the workshop kits) are cut from the finished book; the other
    # booklets are laid out in the worksheets' process, alongside the book.
    excerpts = [b for b in booklets if b.options.excerpt]
    booklets = [b for b in booklets if not b.options.excerpt]
    background = _start_worksheets(site_dir, sheets, options, booklets)
    try:
        result = build_pdf(site_dir, nav_pages, options, log)
        if excerpts:
            log.doing("cutting the workshop kits from the book")
            cut_excerpts(result.path, site_dir, [(b.nav, b.options) for b in excerpts], result.prefix_of, result.chapter_starts, log)
        messages = None
        if background is not None:
            log.doing("making the worksheet PDFs")
            try:
                messages = background.result()
            except PdfError:
                raise
            except Exception as exc:  # a broken worker: do it here
                log.debug(f"PDF: worksheets in a second process failed ({exc}); making them here")
        if messages is None:
            if sheets or booklets:
                log.doing("making the worksheet PDFs")
            messages = _worksheets_job(str(site_dir), sheets, options, booklets)
    finally:
        if background is not None:
            background.stop()
    for level, message in messages:
        log.log(level, message)
    return result


def remove_pdfs(site_dir: Path, options: PdfOptions, sheets: list[Worksheet], booklets: list[Booklet] | None = None) -> None:
    """Remove the book, the worksheet sheets, the booklets and the scratch
    files of a PDF step that did not finish."""
    folder = Path(site_dir) / "pdf"
    options.target(site_dir).unlink(missing_ok=True)
    for sheet in sheets:
        (folder / "worksheets" / f"{sheet.id}.pdf").unlink(missing_ok=True)
    booklets = booklets or []
    for booklet in booklets:
        booklet.options.target(site_dir).unlink(missing_ok=True)
    subfolders = sorted({folder / "worksheets", *(folder / b.options.folder for b in booklets if b.options.folder)})
    for scratch in (folder, *subfolders):  # a stopped process could not remove its own
        remove_scratch_files(scratch)
    for empty in (*subfolders, folder):
        with suppress(OSError):
            empty.rmdir()


class _Worksheets:
    """The worksheet PDFs, made by a second process while this one makes the book."""

    def __init__(self, site_dir: Path, sheets: list[Worksheet], options: PdfOptions, booklets: list[Booklet]) -> None:
        # spawn, not fork: the parent may hold GLib/fontconfig state that a forked child must not share.
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe(duplex=False)
        self.process = context.Process(target=_worksheets_process, args=(theirs, str(site_dir), sheets, options, booklets), daemon=True)
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
        lines: list[tuple[int, str]] = payload  # "done": what _worksheets_job returned
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


def _start_worksheets(site_dir: Path, sheets: list[Worksheet], options: PdfOptions, booklets: list[Booklet]) -> _Worksheets | None:
    if not (sheets or booklets) or (os.cpu_count() or 1) < 2:
        return None
    try:
        return _Worksheets(site_dir, sheets, options, booklets)
    except Exception as exc:  # inside a daemonic process, no more processes, options that cannot be sent: make them here
        _log.debug(f"PDF: no second process for the worksheets ({exc!r}); making them after the book")
        return None


def _worksheets_process(conn: Connection, site_dir: str, sheets: list[Worksheet], options: PdfOptions, booklets: list[Booklet]) -> None:
    """The second process: makes the worksheet PDFs and sends back its log lines (or its error)."""
    ignore_interrupts()  # the book's process stops this one
    report: tuple[str, list[tuple[int, str]] | str]
    try:
        report = ("done", _worksheets_job(site_dir, sheets, options, booklets))
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


def _worksheets_job(site_dir: str, sheets: list[Worksheet], options: PdfOptions, booklets: list[Booklet]) -> list[tuple[int, str]]:
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
                _build_pdf(Path(site_dir), booklet.nav, replace(booklet.options, parts=1), progress)
    finally:
        logger.removeHandler(collect)
    return collect.records


__all__ = ["Booklet", "PdfError", "PdfOptions", "PdfResult", "build_book_and_worksheets", "build_pdf"]
