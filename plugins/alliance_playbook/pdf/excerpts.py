"""Booklets cut from the finished book: a workshop kit is pages of the book.

A kit's chapters (a phase, its steps, the worksheets and lessons they use)
are already laid out in the book, so the kit is made from the book's own
pages (pikepdf, on qpdf) after a cover and contents of its own: no page is
laid out twice, and a kit costs a fraction of a second. Its pages keep the
book's running heads and page numbers, and its contents list prints those
numbers, so "page 31" means the same page in the kit and in the book. Links
between pages of the kit keep working; links to pages it leaves out are
removed (their text stays). The kit carries its own outline; it is not
tagged (the book is), since the book's structure tree cannot be cut apart.
"""

from __future__ import annotations

import bisect
import logging
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import tree as t
from .book import PdfOptions, build_time, contents_list, cover, head
from .files import replacing, scratch_path
from .layout import render_pdf
from .nav import NavNode, walk

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


def front_html(nav: list[NavNode], options: PdfOptions, when: datetime, prefix_of: dict[str, str], starts: dict[str, int]) -> str:
    """The kit's cover and contents, the contents printing the book's page numbers."""
    prefixes: dict[int, str] = {}
    for node, _depth in walk(nav):
        first = next((n for n, _d in walk([node]) if n.path in prefix_of), None)
        if first is not None:
            prefixes[id(node)] = prefix_of[str(first.path)]
    toc = t.element("nav", {"class": "ap-toc", "id": "ap-toc", "aria-label": options._("Contents"), "data-ap-numbers": ""})
    toc.append(t.element("h1", {"class": "ap-toc-title ap-bm-1"}, options._("Contents")))
    toc.append(contents_list([n for n in nav if id(n) in prefixes], prefixes, 3))
    for a in toc.iter("a"):
        a.set("data-ap-page", str(starts.get((a.get("href") or "#")[1:], "")))
    toc.append(t.element("p", {"class": "ap-muted"}, options._("The page numbers are those of the whole guide: the kit and the book can be used side by side.")))
    body = t.element("body", {"class": "ap-book"}, None, cover(options, when), toc)
    root = t.element("html", {"lang": options.language or "en"}, None, head(options, when, [n.title for n in nav]), body)
    return "<!DOCTYPE html>\n" + t.serialize(root)


def cut_excerpts(book_pdf: Path, site_dir: Path, excerpts: list[tuple[list[NavNode], PdfOptions]], prefix_of: dict[str, str],
                 starts: dict[str, int], log: logging.Logger | logging.LoggerAdapter[Any]) -> None:
    """Cut each (navigation, options) booklet from ``book_pdf``, saying so."""
    began, when = time.perf_counter(), build_time()
    for nav, options in excerpts:
        pages = cut_excerpt(book_pdf, site_dir, nav, options, when, prefix_of, starts)
        log.info(f"PDF: wrote {options.target(site_dir).relative_to(site_dir).as_posix()} ({pages} pages, from the book)")
    log.info(f"PDF: {len(excerpts)} excerpt(s) of the book in {time.perf_counter() - began:.1f} s")


def cut_excerpt(book_pdf: Path, site_dir: Path, nav: list[NavNode], options: PdfOptions, when: datetime,
                prefix_of: dict[str, str], starts: dict[str, int]) -> int:
    """Write the booklet ``nav`` describes from the pages of ``book_pdf``
    (``prefix_of``: each page's chapter anchor; ``starts``: each chapter's
    first page, 1-based); returns its page count."""
    import pikepdf

    target = options.target(site_dir)
    front = scratch_path(target.with_name(target.stem + "-front.pdf"))
    try:
        render_pdf(front_html(nav, options, when, prefix_of, starts), site_dir, front)
        with pikepdf.open(book_pdf) as book, pikepdf.open(front) as kit:
            ranges = chapter_pages(starts, len(book.pages))
            chosen = [i for node, _d in walk(nav) if node.path in prefix_of for i in ranges.get(prefix_of[str(node.path)], ())]
            index_of = {page.obj.objgen: i for i, page in enumerate(book.pages)}
            names = _destinations(book)
            for i in chosen:
                _prepare_links(book.pages[i], index_of, names)
            offset = len(kit.pages)
            new_index = {old: offset + n for n, old in enumerate(chosen)}
            for i in chosen:
                kit.pages.append(book.pages[i])
            for page in list(kit.pages)[offset:]:
                _relink(kit, page, new_index)
            _untag(kit)
            _outline(kit, nav, prefix_of, ranges, new_index)
            with replacing(target) as scratch:
                # Reproducible: the same bytes for the same book (the ID from the content).
                kit.save(scratch, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
            return len(kit.pages)
    finally:
        front.unlink(missing_ok=True)


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
             new_index: dict[int, int]) -> None:
    """The kit's bookmarks: the contents, then its chapters as the kit nests them."""
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

    with kit.open_outline() as outline:  # after the front's own bookmark, "Contents"
        outline.root.extend(items(nav))
