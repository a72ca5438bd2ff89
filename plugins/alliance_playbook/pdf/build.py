"""``build_pdf``: the whole guide as one PDF, checked before it is written.

Used by the ``alliance-pdf`` MkDocs plugin after a build, and by anything
else that has a built site and its navigation (``alliance pdf``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .background import Booklet, start_worksheets, worksheets_job
from .book import PdfError, PdfOptions, PrintBook, assemble_book, build_time
from .excerpts import KitFronts, cut_excerpts
from .files import private_tempdir, remove_scratch_files
from .fonts import chapter_texts, missing_glyphs, warnings_for
from .interrupts import interrupt_once
from .layout import Rendered, render_part
from .nav import NavNode
from .paper import defer_page_references
from .parallel import Alongside, NoWorkers, jobs_for, render_parts
from .parts import page_number_digits, part_count, plan_parts
from .progress import Progress, progress_of
from .worksheets import Worksheet

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


def build_pdf(site_dir: Path, nav_pages: list[NavNode], options: PdfOptions, log: logging.Logger | logging.LoggerAdapter[Any] | None = None,
              alongside: Callable[[PrintBook], list[Alongside]] | None = None) -> PdfResult:
    """Write ``<site_dir>/pdf/<options.pdf_name>`` from the built pages in
    ``nav_pages`` order (and, if the book is laid out in parts, the
    documents ``alongside`` asks for once the book is assembled).

    Raises :class:`PdfError` when a navigation page is missing from the
    result, so a book never silently loses a chapter. Says what it is doing
    at least every :data:`.progress.EVERY` seconds; on Ctrl-C it stops its
    workers and leaves no PDF (``KeyboardInterrupt`` goes on to the caller).
    """
    with interrupt_once(), progress_of(log or _log) as progress:
        return _build_pdf(Path(site_dir), nav_pages, options, progress, alongside)


def _build_pdf(site_dir: Path, nav_pages: list[NavNode], options: PdfOptions, log: Progress,
               alongside: Callable[[PrintBook], list[Alongside]] | None = None) -> PdfResult:
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
            rendered = render_parts(plan, book.root, site_dir, target, jobs=jobs, log=log, alongside=alongside(book) if alongside else None)
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
    background = start_worksheets(site_dir, sheets, options, booklets, _build_pdf)
    kits = KitFronts(site_dir, [(b.nav, b.options) for b in excerpts]) if excerpts else None
    try:
        result = _build_pdf(site_dir, nav_pages, options, log, kits.alongside if kits else None)
        if kits:
            log.doing("cutting the workshop kits from the book")
            cut_excerpts(result.path, site_dir, kits, result.prefix_of, result.chapter_starts, log)
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
            messages = worksheets_job(str(site_dir), sheets, options, booklets, _build_pdf)
    finally:
        if kits:
            kits.target.unlink(missing_ok=True)
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


__all__ = ["Booklet", "PdfError", "PdfOptions", "PdfResult", "build_book_and_worksheets", "build_pdf"]
