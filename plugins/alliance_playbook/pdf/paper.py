"""The print HTML made for paper: tables marked wide or long, wide blank
worksheets turned to landscape, the ends of chapters held together, and the
page number after each link to another chapter."""

from __future__ import annotations

from . import tree as t
from .tree import Element

#: Tables wider than this many columns print in smaller type.
WIDE_COLUMNS = 6
#: Tables longer than this many rows may break across pages (header repeated).
LONG_ROWS = 18


def mark_tables(root: Element) -> None:
    """Mark tables wider than :data:`WIDE_COLUMNS` columns ``ap-wide``, and
    longer than :data:`LONG_ROWS` rows ``ap-long``, for the print CSS."""
    for table in t.find_all(root, lambda el: t.local_name(el) == "table" and not t.is_svg(el)):
        rows = [el for el in table.iter() if t.local_name(el) == "tr"]
        columns = max((len([c for c in row if t.local_name(c) in ("td", "th")]) for row in rows), default=0)
        if columns > WIDE_COLUMNS:
            t.add_class(table, "ap-wide")
        if len(rows) > LONG_ROWS:
            t.add_class(table, "ap-long")
    _turn_wide_blanks(root)


def _turn_wide_blanks(root: Element) -> None:
    """Mark a blank worksheet with a wide table ``ap-blank-wide`` (landscape
    pages, room to write in every column); the heading just before it moves
    in, so that it turns with it rather than staying alone on the page before."""
    parents = t.parent_map(root)
    for blank in t.find_all(root, lambda el: t.has_class(el, "ap-print-blank")):
        if t.first(blank, lambda el: t.local_name(el) == "table" and t.has_class(el, "ap-wide")) is None:
            continue
        t.add_class(blank, "ap-blank-wide")
        parent = parents.get(blank)
        index = list(parent).index(blank) if parent is not None else 0
        if parent is None or index == 0:
            continue
        before = parent[index - 1]
        if t.local_name(before) in ("h2", "h3") and not (before.tail or "").strip():
            parent.remove(before)
            before.tail, blank.text = blank.text, None
            blank.insert(0, before)


#: A chapter's last page carries at least this many lines (estimated):
#: fewer look like a stray overflow of the page before.
LAST_PAGE_LINES = 8
_CONTAINERS = frozenset(("ul", "ol", "dl", "div", "section", "blockquote", "details"))
_BLOCKS = _CONTAINERS | frozenset(("p", "li", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "table", "figure", "pre", "hr"))


def _lines(el: Element) -> int:
    """About how many lines ``el`` takes on the page."""
    name = t.local_name(el)
    if name in ("figure", "svg") or t.first(el, lambda e: t.local_name(e) == "svg") is not None:
        return 14
    if name == "table":
        return 2 + 2 * len([r for r in el.iter() if t.local_name(r) == "tr"])
    rules = len([r for r in el.iter() if t.has_class(r, "ap-rule")])
    return max(1, len(" ".join(t.text_of(el).split())) // 95 + 1) + rules * 2


def keep_chapter_ends(body: Element) -> None:
    """Hold the last blocks of a chapter together (``ap-keep``: no page break
    before them) until they fill :data:`LAST_PAGE_LINES` lines, so that a
    chapter never ends with a page of two or three stray lines. The hold
    reaches into a list or a box at the end, item by item."""
    _keep_end(body, LAST_PAGE_LINES)


def _keep_end(container: Element, need: int) -> int:
    """Mark the last children of ``container`` until ``need`` lines are held;
    returns the lines still needed (0 when held)."""
    children = [el for el in container if t.tag_name(el) is not None and t.local_name(el) in _BLOCKS]
    for index in range(len(children) - 1, -1, -1):
        el = children[index]
        lines = _lines(el)
        if lines >= need and t.local_name(el) in _CONTAINERS and len(el):
            need = _keep_end(el, need)
        else:
            need -= lines
            if t.local_name(el) in _CONTAINERS:
                t.add_class(el, "ap-keep-whole")  # held whole: no break inside either
        if need <= 0:
            return 0
        if index > 0:
            t.add_class(el, "ap-keep")  # no break between it and the block before
    return need


def defer_page_references(root: Element, placeholder: str | None) -> None:
    """Make :func:`page_references` print ``placeholder`` while laid out: a
    book laid out in parts learns each page number only once every part is
    laid out (see :func:`.refs.number_references`). ``None`` undoes it."""
    for a in t.find_all(root, lambda el: t.has_class(el, "ap-ref")):
        if placeholder is None:
            a.attrib.pop("data-ap-at", None)
        else:
            a.set("data-ap-at", placeholder)


def page_references(root: Element, word: str) -> None:
    """Give each link to another chapter of the book its page number in
    print, "(page 24)": on paper the page is where the link goes. Left out:
    the contents (which have their own), headings, drawings, and links to
    the chapter they are in."""
    skip = {id(el) for box in t.find_all(root, lambda el: t.has_class(el, "ap-toc") or t.has_class(el, "ap-part-contents")
                                         or t.local_name(el) in ("h1", "h2", "h3", "h4", "h5", "h6") or t.is_svg(el))
            for el in box.iter()}
    for chapter in t.find_all(root, lambda el: t.has_class(el, "ap-node")):
        body = next((el for el in chapter if t.has_class(el, "ap-body")), None)
        if body is None:  # a part: a title and its contents list
            continue
        own = chapter.get("id") or ""
        for a in t.find_all(body, lambda el: t.local_name(el) == "a" and (el.get("href") or "").startswith("#")):
            href = a.get("href") or ""
            if id(a) in skip or href == f"#{own}" or href.startswith(f"#{own}--"):
                continue
            t.add_class(a, "ap-ref")
            a.set("data-ap-page", word)
