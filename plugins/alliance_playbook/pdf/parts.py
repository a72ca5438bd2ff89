"""The print book cut into parts that are laid out on their own, side by side.

Every page of the navigation starts a new page of paper, so the book can be
cut before any chapter without changing a single line of the layout. A
part is a whole HTML document (the same ``<head>``, the same stylesheet)
holding a run of chapters; when the run starts inside a navigation
section, that section is reopened as a "continued" shell (no id, no title)
which carries the section's title for the running head.

The front matter (cover and contents) is a part of its own, laid out last:
its contents list prints the page numbers the other parts ended up on.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from . import tree as t
from .book import number_contents
from .tree import Element

#: Never more parts than this: each costs a process start and a copy of the fonts.
MAX_PARTS = 8
#: Layout cost (see :func:`_cost`) that makes one part worth its overhead.
DEFAULT_PART_COST = 120_000


@dataclass
class PartSource:
    """One part to lay out: a whole HTML document holding a run of chapters."""

    html: str
    #: Anchors this part links to that other parts hold.
    elsewhere: list[str]
    #: Navigation anchors (chapter ids) in the part, in order.
    chapters: list[str] = field(default_factory=list)
    cost: int = 0
    #: Anchors of the part's page references (``a.ap-ref``), whose page
    #: numbers it is given once every part is laid out.
    refs: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """A book cut into parts: the front matter (laid out last) and the parts."""

    front: Element
    parts: list[PartSource]
    #: Link targets of the contents list (all in other parts).
    front_links: list[str]


def _is_node(el: Element) -> bool:
    return t.local_name(el) == "section" and t.has_class(el, "ap-node")


def _cost(el: Element) -> int:
    """Roughly what laying out ``el`` costs: its elements and its text."""
    total = 0
    for node in el.iter():
        total += 8 + len(node.text or "") + len(node.tail or "")
    return total


def _units(body: Element) -> list[tuple[Element, tuple[Element, ...], list[Element], int]]:
    """Every navigation section in reading order: (section, its ancestors, its own content, cost)."""
    out: list[tuple[Element, tuple[Element, ...], list[Element], int]] = []

    def walk(section: Element, ancestors: tuple[Element, ...]) -> None:
        own = [child for child in section if not _is_node(child)]
        out.append((section, ancestors, own, sum(_cost(child) for child in own) + 8))
        for child in section:
            if _is_node(child):
                walk(child, ancestors + (section,))

    for el in body:
        if _is_node(el):
            walk(el, ())
    return out


def book_cost(book_root: Element) -> int:
    """Roughly what laying out the whole book costs (see :func:`_cost`)."""
    body = book_root.find("body")
    assert body is not None  # the book from assemble_book always has one
    return sum(cost for *_rest, cost in _units(body))


#: Layout cost of the emptiest pages a book has many of (the seed averages
#: 2,100 a page): a book's cost over it bounds its page count from above.
LOW_COST_PER_PAGE = 1_200


def page_number_digits(book_root: Element) -> int:
    """How many digits the book's last page number will have, at most (2 at least), before it is laid out."""
    return max(2, len(str(book_cost(book_root) // LOW_COST_PER_PAGE)))


def part_count(book_root: Element, part_cost: int = DEFAULT_PART_COST) -> int:
    """How many parts the book is worth cutting into: its layout cost over
    ``part_cost``, from 1 to :data:`MAX_PARTS`."""
    return max(1, min(MAX_PARTS, round(book_cost(book_root) / max(part_cost, 1))))


def _title_of(section: Element) -> str:
    title = t.first(section, lambda el: t.has_class(el, "ap-title"))
    return (title.get("data-ap-title") or "") if title is not None else ""


def _shell(section: Element, top: bool) -> Element:
    """A navigation section reopened in a later part: its classes, no id, no title."""
    classes = [c for c in t.classes(section) if c != "ap-node"] + ["ap-continued"]
    attrs = {"class": " ".join(classes)}
    if top:
        attrs["data-ap-part"] = _title_of(section)
    return t.element("section", attrs)


def _document(root: Element, body_children: list[Element]) -> str:
    head = root.find("head")
    body = root.find("body")
    assert head is not None and body is not None  # the book from assemble_book always has both
    doc = t.element("html", dict(root.attrib), None, head, t.element("body", dict(body.attrib), None, *body_children))
    return "<!DOCTYPE html>\n" + t.serialize(doc)


def _links_and_ids(elements: list[Element], refs: set[str] | None = None) -> tuple[list[str], set[str]]:
    """The internal links (anchors) and the ids in ``elements``; the anchors of page references go into ``refs``."""
    links: list[str] = []
    ids: set[str] = set()
    for top in elements:
        for el in top.iter():
            if t.tag_name(el) is None:
                continue
            el_id = el.get("id")
            if el_id:
                ids.add(el_id)
            href = el.get("href")
            if href and href.startswith("#") and el.get("data-ap-link") is not None:
                links.append(href[1:])
                if refs is not None and t.has_class(el, "ap-ref"):
                    refs.add(href[1:])
    return links, ids


def plan_parts(book_root: Element, parts: int) -> Plan:
    """Cut the book (from :func:`.book.assemble_book`) into ``parts`` runs of chapters of about equal cost."""
    body = book_root.find("body")
    assert body is not None  # the book from assemble_book always has one
    front = [el for el in body if not _is_node(el)]
    units = _units(body)
    parts = max(1, min(parts, len(units)))
    total = sum(cost for *_rest, cost in units)
    # Cut where the running cost is nearest to each k/parts of the total.
    cuts: list[int] = []
    running = 0
    prefix = []
    for *_rest, cost in units:
        prefix.append(running)
        running += cost
    for k in range(1, parts):
        goal = total * k / parts
        best = min(range(1, len(units)), key=lambda i: abs(prefix[i] - goal))
        if best not in cuts and (not cuts or best > cuts[-1]):
            cuts.append(best)
    bounds = [0, *cuts, len(units)]

    sources: list[PartSource] = []
    for start, end in zip(bounds, bounds[1:]):
        top_level: list[Element] = []
        stack: list[tuple[Element, Element]] = []  # (original section, its element in this part)
        chapters: list[str] = []
        for section, ancestors, own, _cost in units[start:end]:
            while stack and stack[-1][0] not in ancestors:
                stack.pop()
            for depth, ancestor in enumerate(ancestors):
                if depth < len(stack):
                    continue
                shell = _shell(ancestor, top=depth == 0)
                (stack[-1][1].append(shell) if stack else top_level.append(shell))
                stack.append((ancestor, shell))
            copy = t.element("section", dict(section.attrib), None, *own)
            (stack[-1][1].append(copy) if stack else top_level.append(copy))
            stack.append((section, copy))
            chapters.append(section.get("id") or "")
        refs: set[str] = set()
        links, ids = _links_and_ids(top_level, refs)
        elsewhere = sorted({link for link in links if link not in ids})
        sources.append(PartSource(_document(book_root, top_level), elsewhere, chapters,
                                  sum(cost for *_r, cost in units[start:end]), sorted(refs)))
    front_links, _ids = _links_and_ids(front)
    return Plan(t.element("div", None, None, *front), sources, sorted(set(front_links)))


def front_html(book_root: Element, plan: Plan, pages: dict[str, int] | None, width: int = 4) -> str:
    """The cover and contents as a document; the contents list prints ``pages[anchor]``.

    Without ``pages`` every number is ``width`` zeros: a stand-in as wide
    as the real numbers (digits share one width), to learn how many pages
    the front matter takes before the real numbers are known.
    """
    front = []
    for el in plan.front:
        if t.has_class(el, "ap-toc"):
            el = copy.deepcopy(el)  # the book itself keeps its target-counter contents list
            number_contents(el, pages, width)
        front.append(el)
    return _document(book_root, front)
