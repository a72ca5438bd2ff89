"""Page references of a book laid out in parts, numbered once every part is placed.

A link to another chapter prints "(page N)" (:func:`.paper.page_references`).
In one piece WeasyPrint counts N itself (``target-counter``); in parts it
cannot, so each reference prints a stand-in while laid out and
:func:`number_references` gives it its number before the part is drawn.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def number_references(document: Any, numbers: Mapping[str, int]) -> int:  # document: a weasyprint Document
    """Print each deferred page reference's number, once every page of the book is placed.

    A part of a book laid out in parts cannot know, while it is laid out,
    on which page an anchor of another part lands (nor where its own pages
    start). Its references print a stand-in during layout (zeros, as
    many as the book's page numbers may have digits, see
    :func:`.paper.defer_page_references`); here,
    before the part is drawn, each one's text becomes the real number and
    what follows it on its line moves by the difference in width, so the
    line reads as if it had been laid out with the number. Returns how
    many references were numbered; one whose anchor has no page loses its
    "(page N)" altogether.
    """
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.line_break import line_size

    numbered = 0
    for page in document.pages:
        for path in _deferred_references(page._page_box, boxes):
            box = path[-1]
            href = (box.element.get("href") or "#")[1:]
            number = numbers.get(href)
            before, _stand_in, after = box.text.rpartition(box.element.get("data-ap-at"))
            text = f"{before}{number}{after}" if number is not None else "\u200b"  # a box keeps some text
            layout = box.pango_layout
            layout.text = text
            layout.reactivate(box.style)
            first_line, _index = layout.get_first_line()
            width = line_size(first_line, box.style)[0]
            layout.deactivate()
            box.text = text
            _resize_on_line(path, width - box.width, boxes)
            numbered += number is not None
    return numbered


def _deferred_references(root: Any, boxes: Any) -> Iterator[list[Any]]:
    """The path (from ``root``) to each text box of a deferred reference's ``::after``."""
    stack: list[list[Any]] = [[root]]
    while stack:
        path = stack.pop()
        box = path[-1]
        if isinstance(box, boxes.TextBox):
            el = box.element
            if (box.element_tag or "").endswith("::after") and el is not None and el.get("data-ap-at") \
                    and el.get("data-ap-at") in box.text:
                yield path
            continue
        children = getattr(box, "children", None)
        if children:
            stack.extend([*path, child] for child in reversed(children))


def _resize_on_line(path: list[Any], dx: float, boxes: Any) -> None:
    """Make the last box of ``path`` ``dx`` wider, and move what follows it on its line.

    Going up: an inline box grows with it and its later children move; a
    line box's later children move; an inline block of one line grows and
    its line goes on moving; anything else (a block, a block of several
    lines) ends the line, and the move with it.
    """
    if not dx:
        return
    path[-1].width += dx
    for child, parent in zip(reversed(path), reversed(path[:-1])):
        if isinstance(parent, (boxes.InlineBox, boxes.LineBox)):
            later = parent.children[parent.children.index(child) + 1:]
            for box in later:
                box.translate(dx, 0)
            if isinstance(parent, boxes.InlineBox):
                parent.width += dx
        elif isinstance(parent, boxes.InlineBlockBox) and len(parent.children) == 1:
            parent.width += dx
        else:
            return
