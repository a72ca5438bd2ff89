"""Join the PDFs of a book's parts into one tagged PDF (pikepdf, on qpdf).

What one WeasyPrint PDF has once, the merge rebuilds for the whole book:

- the pages, in order (each part keeps its own embedded font subsets);
- the structure tree: one ``Document`` element holding every part's
  elements; the parent tree renumbered (a key per page, then a key per
  link annotation) and the pages' and annotations' keys with it;
- the named destinations: each part's own anchors only (the stand-ins a
  part made for anchors held by other parts are dropped), so every link
  lands on its real target;
- one outline from every part's bookmarks, nested by bookmark level
  across parts;
- the front matter's catalogue entries (language, viewer preferences,
  marked-content flag) and document information.

qpdf copies objects between files keeping a map per source file, so the
structure elements' page references and the destinations' page arrays,
copied after the pages, point at the merged pages.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from .files import replacing
from .layout import Bookmark, Part, Rendered

if TYPE_CHECKING:  # for the annotations only: pikepdf is imported where it is used, as below
    import pikepdf
    from pikepdf import OutlineItem


def _destinations(book: pikepdf.Pdf, source: pikepdf.Pdf, foreign: bool) -> list[tuple[str, pikepdf.Object]]:
    """(name, destination) pairs of ``source``'s /Dests name tree, as objects of ``book``."""
    import pikepdf

    names = source.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return []
    tree = names.Dests
    if foreign:  # qpdf copies indirect objects only; the page references come along, mapped
        tree = book.copy_foreign(source.make_indirect(tree))
    return [(str(key), value) for key, value in pikepdf.NameTree(tree).items()]


def _outline(bookmarks: list[Bookmark]) -> list[OutlineItem]:
    """Nest bookmarks by level, as WeasyPrint does within one document."""
    from pikepdf import OutlineItem, PageLocation

    root: list[OutlineItem] = []
    stack: list[tuple[int, list[OutlineItem]]] = [(0, root)]
    for mark in bookmarks:
        while len(stack) > 1 and stack[-1][0] >= mark.level:
            stack.pop()
        item = OutlineItem(mark.label, mark.page, PageLocation.XYZ, left=mark.x, top=mark.y, zoom=0)
        item.is_closed = mark.closed
        stack[-1][1].append(item)
        stack.append((mark.level, item.children))
    return root


def merge_parts(parts: list[Part], target: Path, *, front_pages: int | None = None) -> Rendered:
    """Write ``target`` from ``parts`` (the front matter first); returns the whole book's bookkeeping.

    ``front_pages``: pages the front matter must fill (blank pages are
    added if it came out shorter than the stand-in it was measured with).
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    target = Path(target)
    sources = [pikepdf.open(part.path) for part in parts]
    try:
        book = sources[0]
        padding = max(0, (front_pages or parts[0].pages) - parts[0].pages)
        for _ in range(padding):
            book.add_blank_page(page_size=(float(book.pages[0].mediabox[2]), float(book.pages[0].mediabox[3])))
        offsets: list[int] = []
        running = 0
        for index, (part, source) in enumerate(zip(parts, sources)):
            offsets.append(running)
            if index:
                with warnings.catch_warnings():
                    # It warns that named destinations do not come along: they are merged below.
                    warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                    book.pages.extend(source.pages)
            running += part.pages + (padding if index == 0 else 0)
        total_pages = running

        root = book.Root.StructTreeRoot
        document = root.K[0]
        nums: list[int | pikepdf.Object] = []
        annotation_key = total_pages
        dests: dict[str, pikepdf.Object] = {}
        bookmarks: list[Bookmark] = []
        merged = Rendered(pages=total_pages)
        for index, (part, source) in enumerate(zip(parts, sources)):
            offset = offsets[index]
            tree = root if index == 0 else book.copy_foreign(source.Root.StructTreeRoot)
            if index:
                for kid in tree.K[0].K:
                    kid.P = document
                    document.K.append(kid)
            old_nums = tree.ParentTree.Nums
            annotation_keys: dict[int, int] = {}
            for i in range(0, len(old_nums), 2):
                key, value = int(old_nums[i]), old_nums[i + 1]
                if key < part.pages:
                    nums.extend([offset + key, value])
                else:
                    annotation_keys[key] = annotation_key
                    nums.extend([annotation_key, value])
                    annotation_key += 1
            for number in range(part.pages):
                page = book.pages[offset + number].obj
                if "/StructParents" in page:
                    page.StructParents = offset + int(page.StructParents)
                for annotation in page.get("/Annots", []):
                    if "/StructParent" in annotation:
                        annotation.StructParent = annotation_keys[int(annotation.StructParent)]
            own = part.rendered.anchors
            for name, dest in _destinations(book, source, foreign=index > 0):
                if name in own and name not in dests:
                    dests[name] = dest
            for mark in part.bookmarks:
                bookmarks.append(Bookmark(mark.level, mark.label, offset + mark.page, mark.x, mark.y, mark.closed))
            rendered = part.rendered
            for key, count in rendered.link_areas.items():
                merged.link_areas[key] = merged.link_areas.get(key, 0) + count
            merged.stray_areas += rendered.stray_areas
            merged.anchors |= rendered.anchors
            merged.blocked.extend(rendered.blocked)
            for name, anchor_page in rendered.anchor_pages.items():
                merged.anchor_pages.setdefault(name, offset + anchor_page)

        merged.blocked = list(dict.fromkeys(merged.blocked))  # a URL blocked in several parts, once
        root.ParentTree = book.make_indirect(Dictionary(Nums=Array(nums)))
        root.ParentTreeNextKey = annotation_key
        names = book.Root.get("/Names")
        if names is None:
            book.Root.Names = names = book.make_indirect(Dictionary())
        flat = Array()
        for name in sorted(dests):
            flat.append(pikepdf.String(name))
            flat.append(dests[name])
        names.Dests = book.make_indirect(Dictionary(Names=flat))
        if "/Outlines" in book.Root:
            del book.Root[Name.Outlines]
        with book.open_outline() as outline:
            outline.root.extend(_outline(bookmarks))

        with replacing(target) as scratch:
            # deterministic_id: the file identifier is a digest of the content, so builds are reproducible.
            book.save(scratch, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    finally:
        for source in sources:
            source.close()
    return merged
