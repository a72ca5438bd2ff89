"""The book's structure: the site navigation as a plain tree of pages.

The PDF follows the navigation: top-level entries are the parts of the book,
a section that opens with its index page (Material's ``navigation.indexes``)
becomes a chapter with sub-chapters. Nothing here imports MkDocs; the
navigation objects are read by their attributes only.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class NavNode:
    """One entry of the book: a page, a section, or a section that is a page."""

    title: str
    #: Site-relative URL of the page (``guide/challenges/``), None for a bare section.
    url: str | None = None
    #: The page's HTML file, relative to the site folder.
    path: str | None = None
    children: list[NavNode] = field(default_factory=list)

    @property
    def is_page(self) -> bool:
        """Whether the node has a page of its own (a bare section has none)."""
        return self.path is not None


def walk(nodes: Iterable[NavNode], depth: int = 1) -> Iterator[tuple[NavNode, int]]:
    """Every node with its depth (1 = top level), in reading order."""
    for node in nodes:
        yield node, depth
        yield from walk(node.children, depth + 1)


def nav_from_mkdocs(items: Iterable[Any]) -> list[NavNode]:
    """Convert MkDocs navigation items (Page, Section, Link) to :class:`NavNode`.

    A section whose first child is an index page takes that page as its own,
    as Material's ``navigation.indexes`` shows it. Links to other sites are
    left out: they have no content to print.
    """
    out: list[NavNode] = []
    for item in items:
        if getattr(item, "is_page", False):
            out.append(NavNode(page_title(item), item.url, item.file.dest_uri))
        elif getattr(item, "is_section", False):
            children = list(item.children)
            node = NavNode(html.unescape(str(item.title or "")))
            if children and getattr(children[0], "is_page", False) and getattr(children[0], "is_index", False):
                node.url, node.path = children[0].url, children[0].file.dest_uri
                children = children[1:]
            node.children = nav_from_mkdocs(children)
            out.append(node)
    return out


def page_title(page: Any) -> str:
    """A MkDocs page's title as plain text.

    Navigation titles arrive HTML-escaped (themes print them as they are);
    the book escapes its text itself, so they are unescaped once here.
    """
    title = page.title
    if not title:  # a page MkDocs has not read yet: name it after its file
        stem = posixpath.splitext(posixpath.basename(page.file.src_uri))[0]
        title = stem.replace("-", " ").replace("_", " ").capitalize()
    return html.unescape(str(title))


def attach_orphans(nodes: list[NavNode], pages: Iterable[NavNode]) -> list[NavNode]:
    """Put built pages that the navigation does not list under their parent page.

    Big sites list only the index of cases or lessons in the navigation (see
    the ``nav_limit`` option); the book still needs every case. A page goes
    under the navigation page whose URL is the longest prefix of its own
    (``lessons/x/`` under ``lessons/``). Returns the pages that found no parent.
    """
    listed: set[str | None] = {node.path for node, _ in walk(nodes) if node.path}
    by_dir = {_dir_key(node.url): node for node, _ in walk(nodes) if node.url is not None and _dir_key(node.url)}
    homeless: list[NavNode] = []
    for page in pages:
        if page.path in listed or page.url is None:
            continue
        parent = None
        url = page.url.rstrip("/")
        while url and parent is None:
            url = posixpath.dirname(url)
            parent = by_dir.get(url + "/") if url else None
        if parent is None:
            homeless.append(page)
        else:
            parent.children.append(page)
            listed.add(page.path)
    return homeless


def _dir_key(url: str) -> str:
    """``lessons/`` for the index page of the lessons folder, whatever the URL style."""
    if url.endswith("/"):
        return url
    if posixpath.basename(url) == "index.html":
        folder = posixpath.dirname(url)
        return folder + "/" if folder else ""
    return ""


def split_off(nodes: list[NavNode], prefixes: Iterable[str]) -> tuple[list[NavNode], list[NavNode]]:
    """(the tree without the pages whose URL starts with one of
    ``prefixes``, those pages with what is under them, in reading order).

    A section left with no pages goes; one whose own page moves keeps the
    rest of its pages where they were.
    """
    prefixes = tuple(prefixes)
    moved: list[NavNode] = []

    def keep(node: NavNode) -> NavNode | None:
        if node.url is not None and prefixes and node.url.startswith(prefixes):
            moved.append(node)
            return None
        children = [kept for child in node.children if (kept := keep(child)) is not None]
        if not node.is_page and not children:
            return None
        return NavNode(node.title, node.url, node.path, children)

    kept = [k for node in nodes if (k := keep(node)) is not None]
    return kept, moved


def retitle_home(nodes: list[NavNode], title: str) -> list[NavNode]:
    """The tree with its home page (URL ``""``) titled ``title``: the book
    opens with an introduction, not with "Home"."""
    return [NavNode(title if node.url == "" else node.title, node.url, node.path, retitle_home(node.children, title))
            for node in nodes]
