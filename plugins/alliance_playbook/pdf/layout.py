"""HTML to PDF with WeasyPrint: tagged, fonts embedded, nothing fetched.

Rendering is split from writing so the laid-out pages can be checked first:
every page of the navigation must have landed somewhere, and every internal
link must have become at least one clickable area.

:func:`render_pdf` lays out one whole document. :func:`render_part` lays out
one part of a book that is laid out in parts on several cores (see
:mod:`.parallel`): its page numbers start where the parts before it end, it
keeps links to anchors in other parts, and it reports what the merge needs
(anchors, bookmarks, link areas).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..gcpause import paused_gc
from . import tree as t
from .files import replacing

if TYPE_CHECKING:
    from .fetcher import SiteFetcher

#: Options for every PDF this package writes. Tagged for screen readers;
#: WeasyPrint always embeds (subsets of) the fonts it uses.
PDF_OPTIONS = {"pdf_tags": True, "uncompressed_pdf": False}
#: CSS pixels to PDF points.
PT = 0.75


@dataclass
class Rendered:
    """What laying out a document found: its page count, its link areas and anchors, and the URLs refused."""

    pages: int
    #: Clickable areas per numbered internal link (``data-ap-link``); a link
    #: broken over two lines has two.
    link_areas: dict[int, int] = field(default_factory=dict)
    #: Internal link areas that belong to no numbered link.
    stray_areas: int = 0
    anchors: set[str] = field(default_factory=set)
    blocked: list[str] = field(default_factory=list)
    #: Page number (1-based) of each anchor, for checks and the debug file.
    anchor_pages: dict[str, int] = field(default_factory=dict)


@dataclass
class Bookmark:
    """One entry of the PDF's outline: its level, its label and where it points."""

    level: int
    label: str
    #: 0-based page index in its part (in the book once merged).
    page: int
    #: Position on the page in PDF points, from the bottom left.
    x: float
    y: float
    closed: bool


@dataclass
class Part:
    """One laid-out part of a book, as the merge needs it (picklable)."""

    path: str
    rendered: Rendered
    bookmarks: list[Bookmark] = field(default_factory=list)
    #: Seconds spent laying out, waiting for the page offset, and writing.
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """How many pages the part has."""
        return self.rendered.pages


class _Quiet(logging.Filter):
    """WeasyPrint logs each blocked URL as an error; the build reports them once."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "alliance-pdf: not loaded" not in record.getMessage()


@contextmanager
def fast_page_references() -> Iterator[None]:
    """Make pydyf's ``PDF.page_references`` a cached tuple while a PDF is written.

    pydyf 0.13 rebuilds the tuple of every page reference on each access, and
    WeasyPrint's tagging reads it once per tagged element: quadratic in the
    page count (on a 1,600-page book, 350 million string formats, 40 % of
    the whole PDF time). The cache is keyed on the page count, the only
    thing the tuple depends on, so the output is byte for byte the same.
    """
    import pydyf

    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property):  # a pydyf that changed it: leave it alone
        yield
        return

    def page_references(self: Any) -> tuple[bytes, ...]:  # self: a pydyf.PDF
        kids = self.pages["Kids"]
        cached: tuple[int, tuple[bytes, ...]] | None = self.__dict__.get("_alliance_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
            self.__dict__["_alliance_page_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


@contextmanager
def _weasyprint() -> Iterator[None]:
    from weasyprint.logger import LOGGER

    quiet = _Quiet()
    LOGGER.addFilter(quiet)
    try:
        with fast_page_references(), paused_gc():
            yield
    finally:
        LOGGER.removeFilter(quiet)


@contextmanager
def page_offset(ask: Callable[[int], int]) -> Iterator[None]:
    """Number the pages from ``ask(pages) + 1`` on, in the running heads and feet.

    WeasyPrint makes the margin boxes (where ``counter(page)`` is printed)
    after every page is laid out, so the first of them is the moment the
    part's page count is known. ``ask`` gets that count and returns how many
    pages come before the part; it may wait for other parts to say theirs.
    Only the margin boxes see the shifted counter: nothing else in the book
    prints ``counter(page)`` (the contents list prints numbers it is given).
    """
    import weasyprint.layout as layout

    original = layout.make_margin_boxes
    offset: list[int] = []

    def make_margin_boxes(context: Any, page: Any, state: Any) -> Any:  # weasyprint's layout objects
        if not offset:
            offset.append(ask(state[1]["pages"][-1]))
        if offset[0]:
            counters = dict(state[1])
            counters["page"] = [value + offset[0] for value in counters["page"]]
            state = (state[0], counters, *state[2:])
        return original(context, page, state)

    layout.make_margin_boxes = make_margin_boxes
    try:
        yield
    finally:
        layout.make_margin_boxes = original


def _html(html_text: str, site_dir: Path) -> tuple[Any, SiteFetcher]:  # a weasyprint HTML
    # Imported late: WeasyPrint needs Pango, and builds without the PDF
    # (previews, ALLIANCE_PDF=0) should not.
    from weasyprint import HTML

    from .fetcher import SiteFetcher

    fetcher = SiteFetcher(site_dir)
    return HTML(string=html_text, base_url=Path(site_dir).resolve().as_uri() + "/", url_fetcher=fetcher), fetcher


def render_pdf(html_text: str, site_dir: Path, target: Path) -> Rendered:
    """Lay out ``html_text`` (URLs relative to ``site_dir``) and write ``target``: a whole document."""
    return render_part(html_text, site_dir, target).rendered


def layout_pages(html_text: str, site_dir: Path) -> int:
    """How many pages ``html_text`` takes (laid out, not written)."""
    with _weasyprint():
        html, _fetcher = _html(html_text, site_dir)
        return len(html.render(**PDF_OPTIONS).pages)


@dataclass
class LaidOut:
    """A part laid out but not yet written (held in the process that laid it out)."""

    document: Any  # a weasyprint Document
    target: Path
    part: Part
    start: float


def render_part(html_text: str, site_dir: Path, target: Path, *, elsewhere: Iterable[str] = (),
                ask_offset: Callable[[int], int] | None = None,
                laid_out: Callable[[Rendered], None] | None = None) -> Part:
    """Lay out and write one part of a book (or a whole document, given only the first three arguments).

    ``laid_out`` hears where the anchors are as soon as the pages are laid
    out, before the (slower) writing. See :func:`lay_out_part` for the rest.
    """
    held = lay_out_part(html_text, site_dir, target, elsewhere=elsewhere, ask_offset=ask_offset)
    if laid_out is not None:
        laid_out(held.part.rendered)
    return write_part(held)


def lay_out_part(html_text: str, site_dir: Path, target: Path, *, elsewhere: Iterable[str] = (),
                 ask_offset: Callable[[int], int] | None = None) -> LaidOut:
    """Lay out one part of a book; :func:`write_part` writes it.

    ``elsewhere``: anchors this part links to that other parts hold. They
    are given a stand-in on the part's first page so WeasyPrint keeps the
    links (it drops links to anchors it cannot see); the merge keeps only
    each part's own destinations, so the links land on the real anchors.
    """
    seconds: dict[str, float] = {}
    start = time.perf_counter()

    def ask(pages: int) -> int:
        seconds["layout"] = time.perf_counter() - start
        offset = ask_offset(pages) if ask_offset else 0
        seconds["wait"] = time.perf_counter() - start - seconds["layout"]
        return offset

    with _weasyprint(), page_offset(ask):
        html, fetcher = _html(html_text, site_dir)
        document = html.render(**PDF_OPTIONS)
    done = time.perf_counter()
    rendered = Rendered(pages=len(document.pages), blocked=fetcher.blocked)
    _count_link_areas(html.etree_element, document, rendered)
    bookmarks = [Bookmark(level, label, number, x * PT, (page.height - y) * PT, state == "closed")
                 for number, page in enumerate(document.pages)
                 for level, label, (x, y), state in page.bookmarks]
    if document.pages:
        stand_ins = document.pages[0].anchors
        for name in elsewhere:
            if name not in rendered.anchors:
                stand_ins[name] = (0, 0, 0, 0)
    seconds["margins"] = done - start - seconds.get("layout", 0) - seconds.get("wait", 0)
    seconds["inventory"] = time.perf_counter() - done
    return LaidOut(document, target, Part(str(target), rendered, bookmarks, seconds), time.perf_counter())


def write_part(held: LaidOut, numbers: Mapping[str, int] | None = None) -> Part:
    """Write a laid-out part; with ``numbers`` (the book's page of each
    anchor), its deferred page references print them first (see
    :func:`.refs.number_references`)."""
    if numbers is not None:
        from .refs import number_references

        began = time.perf_counter()
        number_references(held.document, numbers)
        held.part.seconds["numbering"] = time.perf_counter() - began
    with _weasyprint(), replacing(held.target) as scratch:
        held.document.write_pdf(scratch, **PDF_OPTIONS)
    held.part.seconds["write"] = time.perf_counter() - held.start
    return held.part


def _count_link_areas(root: t.Element, document: Any, result: Rendered) -> None:  # document: a weasyprint Document
    """Note each page's anchors, and make each internal link one clickable area.

    WeasyPrint gives a link an area for every box inside it (a ``<strong>``
    in the link text, its ``::after``), so one link would count as several.
    Only the link's own box is kept (the print CSS makes links inside pages
    inline blocks, so wrapped text stays one box); a link broken across two
    pages keeps one area on each.
    """
    parents = t.parent_map(root)
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            result.anchors.add(name)
            result.anchor_pages.setdefault(name, number)
        dropped: set[int] = set()
        by_link: dict[int, list[tuple[int, bool]]] = {}
        for position, (link_type, _target, _rect, box) in enumerate(page.links):
            if link_type != "internal":
                continue
            el = getattr(box, "element", None)
            while el is not None and el.get("data-ap-link") is None:
                el = parents.get(el)
            if el is None:
                result.stray_areas += 1
            else:
                by_link.setdefault(int(el.get("data-ap-link")), []).append((position, box.element is el and "::" not in (box.element_tag or "")))
        for key, areas in by_link.items():
            own = [position for position, is_own in areas if is_own] or [areas[0][0]]
            dropped.update(position for position, _is_own in areas if position not in own)
            result.link_areas[key] = result.link_areas.get(key, 0) + len(own)
        if dropped:
            page.links[:] = [link for position, link in enumerate(page.links) if position not in dropped]
