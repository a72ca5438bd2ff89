"""A small HTML toolkit over ElementTree: parse, query by class, serialize.

The PDF code works on the built HTML. It parses with tinyhtml5 (the HTML5
parser WeasyPrint itself uses, so nothing new is installed) and writes HTML
back with :func:`serialize`, because ElementTree's own HTML writer mangles
inline SVG (``ns0:svg``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from html import escape

import tinyhtml5

SVG_NS = "{http://www.w3.org/2000/svg}"
_NAMESPACES = (SVG_NS, "{http://www.w3.org/1998/Math/MathML}")
_XLINK = "{http://www.w3.org/1999/xlink}"
_XML = "{http://www.w3.org/XML/1998/namespace}"
VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])
_RAW = frozenset(("script", "style"))

Element = ET.Element


def parse_fragment(html: str) -> Element:
    """Parse an HTML fragment; returns the ``<body>`` element holding it."""
    root: Element = tinyhtml5.parse(html, namespace_html_elements=False)
    body = root.find("body")
    return body if body is not None else root


def tag_name(el: Element) -> str | None:
    """``el.tag`` when it names an element; None for comments and processing instructions.

    Their tag is a function (``ET.Comment``), and tinyhtml5 keeps comments
    in the tree; the stubs type every node of a tree with a ``str`` tag.
    """
    tag: object = el.tag
    return tag if isinstance(tag, str) else None


def local_name(el: Element) -> str:
    """``svg`` for ``{http://www.w3.org/2000/svg}svg``; '' for comments."""
    tag = tag_name(el)
    if tag is None:
        return ""
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def is_svg(el: Element) -> bool:
    """Whether ``el`` is in the SVG namespace."""
    return isinstance(el.tag, str) and el.tag.startswith(SVG_NS)


def classes(el: Element) -> list[str]:
    """The classes of ``el``, in order."""
    return (el.get("class") or "").split()


def has_class(el: Element, name: str) -> bool:
    """Whether ``el`` has the class ``name``."""
    return name in classes(el)


def add_class(el: Element, *names: str) -> None:
    """Give ``el`` each class of ``names`` it does not have yet."""
    current = classes(el)
    el.set("class", " ".join(current + [n for n in names if n not in current]))


def parent_map(root: Element) -> dict[Element, Element]:
    """The parent of every element under ``root``: ElementTree keeps no links upwards."""
    return {child: parent for parent in root.iter() for child in parent}


def find_all(root: Element, match: Callable[[Element], bool]) -> list[Element]:
    """Every descendant (not ``root``) that ``match`` accepts, in document order."""
    return [el for el in root.iter() if el is not root and isinstance(el.tag, str) and match(el)]


def first(root: Element, match: Callable[[Element], bool]) -> Element | None:
    """The first element that ``match`` accepts, ``root`` included (unlike :func:`find_all`), or None."""
    return next((el for el in root.iter() if isinstance(el.tag, str) and match(el)), None)


def text_of(el: Element) -> str:
    """The element's text content, whitespace collapsed."""
    return " ".join("".join(el.itertext()).split())


def remove(el: Element, parents: dict[Element, Element]) -> None:
    """Remove ``el`` but keep its tail text in place."""
    parent = parents.get(el)
    if parent is None:
        return
    _move_tail(el, parent)
    parent.remove(el)


def unwrap(el: Element, parents: dict[Element, Element]) -> None:
    """Replace ``el`` by its children (text included)."""
    parent = parents.get(el)
    if parent is None:
        return
    index = list(parent).index(el)
    children = list(el)
    _append_text(parent, index, el.text)
    for offset, child in enumerate(children):
        parent.insert(index + 1 + offset, child)
        parents[child] = parent
    # The unwrapped element's tail now follows its last child.
    if children:
        children[-1].tail = (children[-1].tail or "") + (el.tail or "")
        el.tail = None
    _move_tail(el, parent)
    parent.remove(el)


def replace(el: Element, new: Element, parents: dict[Element, Element]) -> None:
    """Put ``new`` in the place of ``el``, with ``el``'s tail; nothing happens when ``el`` has no parent."""
    parent = parents.get(el)
    if parent is None:
        return
    new.tail = el.tail
    index = list(parent).index(el)
    parent.remove(el)
    parent.insert(index, new)
    parents[new] = parent


def _append_text(parent: Element, index: int, text: str | None) -> None:
    """Add ``text`` just before child number ``index`` of ``parent``."""
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        prev = parent[index - 1]
        prev.tail = (prev.tail or "") + text


def _move_tail(el: Element, parent: Element) -> None:
    if el.tail:
        _append_text(parent, list(parent).index(el), el.tail)
        el.tail = None


def element(tag: str, attrs: dict[str, str] | None = None, text: str | None = None, *children: Element) -> Element:
    """A new element; attributes whose value is None are left out."""
    el = ET.Element(tag, {k: v for k, v in (attrs or {}).items() if v is not None})
    el.text = text
    el.extend(children)
    return el


def _attr_name(name: str) -> str:
    if name.startswith(_XLINK):
        return "xlink:" + name[len(_XLINK):]
    if name.startswith(_XML):
        return "xml:" + name[len(_XML):]
    return name.rsplit("}", 1)[-1] if name.startswith("{") else name


def iter_serialized(el: Element) -> Iterator[str]:
    """HTML text of ``el`` (its tail excluded), escaping all text and attributes."""
    tag = tag_name(el)
    if tag is None:  # comments and processing instructions are dropped
        return
    name = local_name(el)
    svg = tag.startswith(_NAMESPACES)
    attrs = "".join(f' {_attr_name(k)}="{escape(v, quote=True)}"' for k, v in el.attrib.items())
    if svg and len(el) == 0 and not el.text:
        yield f"<{name}{attrs}/>"
        return
    yield f"<{name}{attrs}>"
    if name in VOID and not svg:
        return
    if el.text:
        yield el.text if name in _RAW and not svg else escape(el.text, quote=False)
    for child in el:
        yield from iter_serialized(child)
        if child.tail:
            yield escape(child.tail, quote=False)
    yield f"</{name}>"


def serialize(el: Element) -> str:
    """The HTML text of ``el`` and everything in it (see :func:`iter_serialized`)."""
    return "".join(iter_serialized(el))

