"""Booklets cut from the finished book: a workshop kit is pages of the book.

A kit's chapters (a phase, its steps, the worksheets and lessons they use)
are already laid out in the book, so the kit is made from the book's own
pages (pikepdf, on qpdf) after a cover and contents of its own (every
kit's front is laid out in one document, so the stylesheet and fonts are
read once): no page is laid out twice, and a kit costs a fraction of a
second. Its pages keep the book's running heads and page numbers, and its
contents list prints those numbers, so "page 31" means the same page in
the kit and in the book. Links
between pages of the kit keep working; links to pages it leaves out are
removed (their text stays). The kit carries its own outline; it is not
tagged (the book is), since the book's structure tree cannot be cut apart.

The module is longer than 300 lines because a kit's front, its pages, its
links and its outline are made together and only make sense together.
"""

from __future__ import annotations

import bisect
import logging
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import tree as t
from .book import PdfOptions, PrintBook, build_time, contents_list, cover, head, number_contents
from .files import replacing, scratch_path
from .layout import Rendered, render_pdf
from .nav import NavNode, walk
from .parallel import Alongside

if TYPE_CHECKING:
    import pikepdf

#: A temporary key on a link annotation: the book page it leads to.
_TARGET = "/APTargetPage"


def chapter_pages(starts: dict[str, int], total: int) -> dict[str, range]:
    """The pages (0-based) of each chapter: from its first page to the page
    before the next chapter starts (every chapter starts a page)."""
    firsts = sorted(set(starts.values()))
    out = {}
    for prefix, first in starts.items():
        after = bisect.bisect_right(firsts, first)
        end = firsts[after] if after < len(firsts) else total + 1
        out[prefix] = range(first - 1, end - 1)
    return out


#: The scheme of a kit contents entry's link while the fronts are laid out:
#: the entry's chapter (the pages are not in that document), pointed at the
#: kit's page once the kit is put together.
_CHAPTER = "ap-chapter:"


def fronts_html(excerpts: list[tuple[list[NavNode], PdfOptions]], when: datetime, prefix_of: dict[str, str],
                starts: dict[str, int]) -> str:
    """Every kit's cover and contents, one after the other in one document
    (laid out once: the stylesheet and fonts are read once for all kits);
    each kit's front starts at the anchor ``ap-kit-<n>`` and its page numbers
    start at 1. The contents print the book's page numbers."""
    body = t.element("body", {"class": "ap-book"})
    for n, (nav, options) in enumerate(excerpts):
        prefixes: dict[int, str] = {}
        for node, _depth in walk(nav):
            first = next((m for m, _d in walk([node]) if m.path in prefix_of), None)
            if first is not None:
                prefixes[id(node)] = prefix_of[str(first.path)]
        toc = t.element("nav", {"class": "ap-toc", "id": f"ap-kit-{n}-toc", "aria-label": options._("Contents")})
        toc.append(t.element("h1", {"class": "ap-toc-title ap-bm-1"}, options._("Contents")))
        toc.append(contents_list([m for m in nav if id(m) in prefixes], prefixes, 3))
        number_contents(toc, starts)
        for a in toc.iter("a"):
            a.set("href", _CHAPTER + (a.get("href") or "#")[1:])
        toc.append(t.element("p", {"class": "ap-muted"}, options._("The page numbers are those of the whole guide: the kit and the book can be used side by side.")))
        body.append(t.element("div", {"class": "ap-kit-front", "id": f"ap-kit-{n}"}, None, cover(options, when), toc))
    options = excerpts[0][1]
    root = t.element("html", {"lang": options.language or "en"}, None, head(options, when, []), body)
    return "<!DOCTYPE html>\n" + t.serialize(root)


class KitFronts:
    """The kits' covers and contents, one document (:func:`fronts_html`).

    When the book is laid out in parts, a worker makes it as soon as the
    book's page numbers are known, while the book is merged
    (:meth:`alongside`); otherwise :func:`cut_excerpts` makes it after the book.
    """

    def __init__(self, site_dir: Path, excerpts: list[tuple[list[NavNode], PdfOptions]]) -> None:
        self.site_dir, self.excerpts, self.when = site_dir, excerpts, build_time()
        self.target = scratch_path(excerpts[0][1].target(site_dir).with_name("kit-fronts.pdf"))
        self.job: Alongside | None = None

    def html(self, prefix_of: dict[str, str], starts: dict[str, int]) -> str:
        """The fronts' HTML (``prefix_of``: each page's chapter anchor; ``starts``: each chapter's first page)."""
        return fronts_html(self.excerpts, self.when, prefix_of, starts)

    def alongside(self, book: PrintBook) -> list[Alongside]:
        """The job for the book's workers, given the assembled book."""
        chapters = [prefix for prefix, _title in book.chapters]
        self.job = Alongside(lambda numbers: self.html(book.prefix_of, {p: numbers[p] for p in chapters if p in numbers}), self.target)
        return [self.job]

    def made(self, prefix_of: dict[str, str], starts: dict[str, int]) -> Rendered:
        """The fronts, laid out now unless a worker made them with the same page numbers."""
        if self.job is not None and self.job.rendered is not None and self.target.exists():
            return self.job.rendered
        self.target.parent.mkdir(parents=True, exist_ok=True)
        return render_pdf(self.html(prefix_of, starts), self.site_dir, self.target)


def cut_excerpts(book_pdf: Path, site_dir: Path, fronts: KitFronts, prefix_of: dict[str, str],
                 starts: dict[str, int], log: logging.Logger | logging.LoggerAdapter[Any]) -> None:
    """Cut each booklet of ``fronts`` from ``book_pdf``, saying so."""
    import pikepdf

    began = time.perf_counter()
    excerpts = fronts.excerpts
    try:
        rendered = fronts.made(prefix_of, starts)
        firsts = [rendered.anchor_pages[f"ap-kit-{n}"] - 1 for n in range(len(excerpts))] + [rendered.pages]
        with pikepdf.open(book_pdf) as book:
            ranges = chapter_pages(starts, len(book.pages))
            index_of = {page.obj.objgen: i for i, page in enumerate(book.pages)}
            names = _destinations(book)
            for n, (nav, options) in enumerate(excerpts):
                contents = rendered.anchor_pages[f"ap-kit-{n}-toc"] - 1 - firsts[n]
                pages = cut_excerpt(book, fronts.target, range(firsts[n], firsts[n + 1]), contents, site_dir, nav, options,
                                    prefix_of, ranges, index_of, names)
                log.info(f"PDF: wrote {options.target(site_dir).relative_to(site_dir).as_posix()} ({pages} pages, from the book)")
    finally:
        fronts.target.unlink(missing_ok=True)
    log.info(f"PDF: {len(excerpts)} excerpt(s) of the book in {time.perf_counter() - began:.1f} s")


def cut_excerpt(book: pikepdf.Pdf, fronts: Path, front_pages: range, contents_page: int, site_dir: Path, nav: list[NavNode], options: PdfOptions,
                prefix_of: dict[str, str], ranges: dict[str, range], index_of: dict[tuple[int, int], int],
                names: dict[str, Any]) -> int:
    """Write the booklet ``nav`` describes: pages ``front_pages`` of
    ``fronts`` (its contents list on the kit's page ``contents_page``,
    0-based), then its chapters' pages of ``book`` (``prefix_of``: each
    page's chapter anchor; ``ranges``: each chapter's pages, 0-based);
    returns its page count."""
    import pikepdf

    target = options.target(site_dir)
    with pikepdf.open(fronts) as kit:
        for i in reversed(range(len(kit.pages))):
            if i not in front_pages:
                del kit.pages[i]
        for key in ("/Names", "/Outlines"):  # the other kits' (the structure tree goes in _untag)
            if key in kit.Root:
                del kit.Root[key]
        chosen = [i for node, _d in walk(nav) if node.path in prefix_of for i in ranges.get(prefix_of[str(node.path)], ())]
        for i in chosen:
            _prepare_links(book.pages[i], index_of, names)
        offset = len(kit.pages)
        new_index = {old: offset + n for n, old in enumerate(chosen)}
        for i in chosen:
            kit.pages.append(book.pages[i])
        for page in list(kit.pages)[offset:]:
            _relink(kit, page, new_index)
        for page in list(kit.pages)[:offset]:
            _link_contents(kit, page, ranges, new_index)
        _untag(kit)
        _outline(kit, nav, prefix_of, ranges, new_index, options._("Contents"), contents_page)
        _describe(kit, options, nav)
        with replacing(target) as scratch:
            # Reproducible: the same bytes for the same book (the ID from the content).
            kit.save(scratch, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return len(kit.pages)


def _link_contents(kit: pikepdf.Pdf, page: Any, ranges: dict[str, range], new_index: dict[int, int]) -> None:
    """A contents entry (a link to :data:`_CHAPTER` and its chapter) leads
    to the chapter's first page in the kit: one clickable area per entry
    (WeasyPrint gives one to every box inside a link), the largest."""
    import pikepdf

    annots = page.obj.get("/Annots")
    if annots is None:
        return
    kept, entries = pikepdf.Array(), []
    for annot in annots:
        action = annot.get("/A")
        uri = str(action.get("/URI", "")) if action is not None else ""
        if uri.startswith(_CHAPTER):
            x0, y0, x1, y1 = (float(v) for v in annot.Rect)
            entries.append(((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), uri, annot))
        else:
            kept.append(annot)
    entries.sort(key=lambda e: (e[0][2] - e[0][0]) * (e[0][3] - e[0][1]), reverse=True)
    areas: list[tuple[tuple[float, float, float, float], str]] = []
    for rect, uri, annot in entries:
        pages = ranges.get(uri.removeprefix(_CHAPTER), range(0))
        inside = any(u == uri and r[0] - 1 <= rect[0] and r[1] - 1 <= rect[1] and rect[2] <= r[2] + 1 and rect[3] <= r[3] + 1
                     for r, u in areas)
        if inside or not (len(pages) and pages[0] in new_index):
            continue  # a box inside an entry's area; or not in this kit (a contents entry always is)
        areas.append((rect, uri))
        for key in ("/A", "/Contents"):  # the stand-in address, also as the link's description
            if key in annot:
                del annot[key]
        annot.Dest = pikepdf.Array([kit.pages[new_index[pages[0]]].obj, pikepdf.Name.Fit])
        kept.append(annot)
    page.obj.Annots = kept


def _describe(kit: pikepdf.Pdf, options: PdfOptions, nav: list[NavNode]) -> None:
    """The kit's own title, subject and keywords (the fronts' document had the first kit's)."""
    info = kit.docinfo
    info["/Title"] = options.site_name
    for key, value in (("/Subject", options.description), ("/Keywords", ", ".join(n.title for n in nav if n.title))):
        if value:
            info[key] = value
        elif key in info:
            del info[key]


def _destinations(book: pikepdf.Pdf) -> dict[str, Any]:
    import pikepdf

    names = book.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    return {str(key): value for key, value in pikepdf.NameTree(names.Dests).items()}


def _link_destination(annot: Any, names: dict[str, Any]) -> Any:
    """The explicit destination array of an internal link, or None."""
    import pikepdf

    dest = annot.get("/Dest")
    action = annot.get("/A")
    if dest is None and action is not None and action.get("/S") == pikepdf.Name.GoTo:
        dest = action.get("/D")
    if isinstance(dest, (pikepdf.String, pikepdf.Name)):
        dest = names.get(str(dest).lstrip("/"))
    if isinstance(dest, pikepdf.Dictionary):
        dest = dest.get("/D")
    return dest if isinstance(dest, pikepdf.Array) and len(dest) else None


def _prepare_links(page: Any, index_of: dict[tuple[int, int], int], names: dict[str, Any]) -> None:
    """Before a page is copied: each internal link notes the book page it
    leads to (a number, not a reference, so that copying the page does not
    drag the target page along). (Its structure keys go with the kit's, in
    :func:`_untag`.)"""
    import pikepdf

    for annot in page.obj.get("/Annots", []):
        if annot.get("/Subtype") != pikepdf.Name.Link:
            continue
        dest = _link_destination(annot, names)
        if dest is None:
            continue
        annot[_TARGET] = pikepdf.Array([index_of.get(dest[0].objgen, -1), *list(dest)[1:]])
        for key in ("/Dest", "/A"):
            if key in annot:
                del annot[key]


def _relink(kit: pikepdf.Pdf, page: Any, new_index: dict[int, int]) -> None:
    """After: a link to a page of the kit points at it; one to a page left out goes."""
    import pikepdf

    annots = page.obj.get("/Annots")
    if annots is None:
        return
    kept = pikepdf.Array()
    for annot in annots:
        target = annot.get(_TARGET)
        if target is not None:
            del annot[_TARGET]
            where = new_index.get(int(target[0]))
            if where is None:
                continue
            annot.Dest = pikepdf.Array([kit.pages[where].obj, *list(target)[1:]])
        kept.append(annot)
    page.obj.Annots = kept


def _untag(kit: pikepdf.Pdf) -> None:
    """The front's structure tree covers only the front: the kit goes untagged."""
    for key in ("/StructTreeRoot", "/MarkInfo"):
        if key in kit.Root:
            del kit.Root[key]
    for page in kit.pages:
        _strip_structure(page)


def _strip_structure(page: Any) -> None:
    """A page's and its annotations' keys into a structure tree (which a kit does not keep)."""
    for key in ("/StructParents", "/Tabs"):
        if key in page.obj:
            del page.obj[key]
    for annot in page.obj.get("/Annots", []):
        if "/StructParent" in annot:
            del annot["/StructParent"]


def _outline(kit: pikepdf.Pdf, nav: list[NavNode], prefix_of: dict[str, str], ranges: dict[str, range],
             new_index: dict[int, int], contents_title: str, contents_page: int) -> None:
    """The kit's bookmarks: the contents (on page ``contents_page``, 0-based), then its chapters as the kit nests them."""
    from pikepdf import OutlineItem

    def first_page(node: NavNode) -> int | None:
        for n, _d in walk([node]):
            pages = ranges.get(prefix_of.get(str(n.path), ""), range(0))
            if len(pages):
                return new_index[pages[0]]
        return None

    def items(nodes: list[NavNode]) -> list[OutlineItem]:
        out = []
        for node in nodes:
            page = first_page(node)
            if page is None:
                continue
            item = OutlineItem(node.title, page)
            item.children.extend(items(node.children))
            out.append(item)
        return out

    with kit.open_outline() as outline:
        outline.root.append(OutlineItem(contents_title, contents_page))
        outline.root.extend(items(nav))
