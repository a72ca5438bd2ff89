"""The print HTML of the whole guide: cover, contents, then every page.

One lean HTML document (no theme CSS, no scripts) is what makes WeasyPrint
fast; its structure carries the book features: nested ``section``s follow
the navigation, titles carry bookmark levels and running heads, and the
contents list gets its page numbers from ``target-counter``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from importlib import metadata, resources
from pathlib import Path

from ..model.types import slugify
from ..urls import pdf_path
from . import tree as t
from .fonts import font_face_css, pin_svg_fonts
from .links import LinkMap, collect_ids, prefix_ids, rewrite_links, rewrite_media
from .nav import NavNode, walk
from .page import printable_article
from .paper import keep_chapter_ends, mark_tables, page_references
from .tree import Element


def _slug(text: str) -> str:
    """An anchor made of any text, not cut (the ids of the pages are unique)."""
    return slugify(text, max_length=None)


class PdfError(Exception):
    """The PDF cannot be made as asked; the message says what to fix."""


@dataclass
class PdfOptions:
    """What the book says about itself, and where it goes."""

    site_name: str
    #: File name inside ``site/pdf/``; default: the slug of the site name.
    filename: str = ""
    author: str = ""
    organization: str = ""
    language: str = "en"
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    #: Logo image, relative to the site folder ('' for none).
    logo: str = ""
    site_url: str = ""
    version: str = ""
    #: Labels in the book's language, like :class:`alliance_playbook.i18n.Translator`.
    translate: Callable[[str], str] | None = None
    #: Also write the print HTML and link counts next to the PDF.
    debug: bool = False
    #: Lay the book out in this many parts, side by side (0: as many as its size calls for; 1: in one piece).
    parts: int = 0
    #: Processes for the parts (0: one per core).
    jobs: int = 0
    #: A folder inside ``site/pdf/`` for the file ("kits"), "" for none.
    folder: str = ""
    #: An excerpt of the book (a workshop kit): cut from the book's pages
    #: (:mod:`.excerpts`), never laid out on its own.
    excerpt: bool = False

    @property
    def pdf_name(self) -> str:
        """The PDF's file name: the last part of ``filename``, else the site
        name's slug; ``.pdf`` added when missing."""
        return pdf_path(self.site_name, self.filename).removeprefix("pdf/")  # never a path out of site/pdf/

    def target(self, site_dir: Path) -> Path:
        """Where the PDF is written."""
        folder = Path(site_dir) / "pdf"
        return (folder / self.folder if self.folder else folder) / self.pdf_name

    def _(self, text: str) -> str:
        return self.translate(text) if self.translate is not None else text


@dataclass
class PrintBook:
    """The print HTML of the whole guide, with the links and chapters the checks need."""

    #: ``<html>``: a ``<head>`` (metadata, print CSS), then a body of cover, contents and sections.
    root: Element
    #: Internal links (``#`` hrefs) in the document, in order.
    internal_links: list[str]
    #: External URLs kept as links.
    external_links: list[str]
    #: Links turned into text, images left out, and why.
    issues: list[str]
    #: Anchor of every page of the navigation, with its title.
    chapters: list[tuple[str, str]]
    #: The anchor of each page's chapter, by the page's file in the site.
    prefix_of: dict[str, str] = field(default_factory=dict)

    @cached_property
    def html(self) -> str:
        """The document as HTML text, doctype first (serialized once)."""
        return "<!DOCTYPE html>\n" + t.serialize(self.root)


def build_time() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), otherwise now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError):
            raise PdfError(f"SOURCE_DATE_EPOCH must be a number of seconds, not {epoch!r}") from None
    return datetime.now(UTC).replace(microsecond=0)


def stylesheet() -> str:
    """The print stylesheet (``assets/print.css``) as text, after the
    ``@font-face`` rules of the bundled fonts."""
    return font_face_css() + resources.files("alliance_playbook").joinpath("assets", "print.css").read_text(encoding="utf-8")


def _generator() -> str:
    try:
        return f"Alliance Playbook {metadata.version('alliance-playbook')}"
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "Alliance Playbook"


def head(options: PdfOptions, when: datetime, keywords: list[str]) -> Element:
    """``<head>`` with the metadata WeasyPrint writes into the PDF."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    author = options.author or options.organization
    metas = [("author", author), ("description", options.description), ("keywords", ", ".join(k for k in keywords if k)),
             ("generator", _generator()), ("dcterms.created", stamp), ("dcterms.modified", stamp)]
    el = t.element("head", None, None, t.element("meta", {"charset": "utf-8"}), t.element("title", None, options.site_name))
    for name, content in metas:
        if content:
            el.append(t.element("meta", {"name": name, "content": content}))
    el.append(t.element("style", None, stylesheet()))
    return el


def _unique_prefixes(entries: list[tuple[NavNode, int]]) -> dict[int, str]:
    used: set[str] = set()
    out: dict[int, str] = {}
    for node, _depth in entries:
        base = "p-" + (_slug(node.url or "") or (_slug(node.title) if not node.is_page else "") or "home")
        prefix, n = base, 2
        while prefix in used:
            prefix, n = f"{base}-{n}", n + 1
        used.add(prefix)
        out[id(node)] = prefix
    return out


def _load_pages(site_dir: Path, entries: list[tuple[NavNode, int]], prefixes: dict[int, str]) -> dict[str, Element]:
    articles: dict[str, Element] = {}
    problems: list[str] = []
    for node, _depth in entries:
        if not node.is_page:
            continue
        file = site_dir / str(node.path)
        if not file.is_file():
            problems.append(f"{node.title!r}: {node.path} was not built")
            continue
        article = printable_article(file.read_text(encoding="utf-8"))
        if article is None:
            problems.append(f"{node.title!r}: {node.path} has no <article class=\"md-content__inner\"> (the PDF needs the Material theme)")
            continue
        articles[prefixes[id(node)]] = article
    if problems:
        raise PdfError("the PDF would miss navigation pages:\n  " + "\n  ".join(problems))
    return articles


def _title_of(article: Element, node: NavNode, depth: int) -> Element:
    """The page's ``h1``, marked as a chapter title (one is added if missing)."""
    h1 = t.first(article, lambda el: t.local_name(el) == "h1" and not t.is_svg(el))
    if h1 is None:
        h1 = t.element("h1", None, node.title)
        h1.tail, article.text = article.text, None
        article.insert(0, h1)
    t.add_class(h1, "ap-title", f"ap-bm-{min(depth, 6)}")
    h1.set("data-ap-title", node.title or t.text_of(h1))
    return h1


def contents_list(nodes: list[NavNode], prefixes: dict[int, str], depth_limit: int, css: str | None = None) -> Element:
    """A contents list of ``nodes`` (``depth_limit`` levels deep), each entry
    a link to ``#`` its anchor in ``prefixes`` (by ``id(node)``)."""
    ol = t.element("ol", {"class": css} if css else None)
    for node in nodes:
        target = "#" + prefixes[id(node)]
        row = t.element("span", {"class": "ap-toc-row", "data-ap-href": target}, None,
                        t.element("span", None, None, t.element("span", None, node.title)))
        li = t.element("li", None, None, t.element("a", {"href": target}, None, row))
        if node.children and depth_limit > 1:
            li.append(contents_list(node.children, prefixes, depth_limit - 1))
        ol.append(li)
    return ol


def number_contents(toc: Element, pages: dict[str, int] | None, width: int = 4) -> None:
    """Print ``pages[anchor]`` as each entry's page number in the contents
    list ``toc`` (instead of asking the layout, which knows only its own
    document's pages); without ``pages``, ``width`` zeros: a stand-in as
    wide as the real numbers (digits share one width)."""
    toc.set("data-ap-numbers", "")
    for row in t.find_all(toc, lambda el: t.has_class(el, "ap-toc-row")):
        target = (row.get("data-ap-href") or "#")[1:]
        row.set("data-ap-page", "0" * width if pages is None else str(pages.get(target, "")))


def cover(options: PdfOptions, when: datetime) -> Element:
    """The cover: logo, site name, description, organization, version and date."""
    section = t.element("section", {"class": "ap-cover", "aria-label": options._("Cover")})
    if options.logo:
        section.append(t.element("img", {"class": "ap-cover-logo", "src": options.logo, "alt": options.organization or options.site_name}))
    section.append(t.element("h1", {"class": "ap-cover-title"}, options.site_name))
    if options.description:
        section.append(t.element("p", {"class": "ap-cover-subtitle"}, options.description))
    meta = t.element("div", {"class": "ap-cover-meta"})
    if options.organization:
        meta.append(t.element("p", {"class": "ap-cover-org"}, options.organization))
    edition = options._("Version {version}").format(version=options.version) if options.version else ""
    meta.append(t.element("p", {"class": "ap-cover-date"}, " · ".join(x for x in (edition, when.date().isoformat()) if x)))
    section.append(meta)
    return section


def assemble_book(site_dir: Path, nav: list[NavNode], options: PdfOptions, when: datetime | None = None) -> PrintBook:
    """The print HTML of every navigation page, links and ids rewritten for one document."""
    site_dir = Path(site_dir)
    when = when or build_time()
    entries = list(walk(nav))
    if not entries:
        raise PdfError("the navigation is empty: there is nothing to put in the PDF")
    prefixes = _unique_prefixes(entries)
    links = LinkMap(site_dir, options.site_url)
    for node, _depth in entries:
        if node.path:
            links.prefixes.setdefault(node.path, prefixes[id(node)])
    articles = _load_pages(site_dir, entries, prefixes)
    for prefix, article in articles.items():
        links.ids[prefix] = collect_ids(article)

    issues: list[str] = []
    chapters: list[tuple[str, str]] = []

    def section_for(node: NavNode, depth: int) -> Element:
        prefix = prefixes[id(node)]
        chapters.append((prefix, node.title))
        css = f"ap-node ap-level-{depth}" + ("" if node.is_page else " ap-part")
        section = t.element("section", {"class": css, "id": prefix})
        if node.is_page:
            article = articles[prefix]
            rewrite_links(article, links, node.url or "", prefix, issues)
            rewrite_media(article, node.url or "", issues)
            prefix_ids(article, prefix)
            mark_tables(article)
            pin_svg_fonts(article)
            _title_of(article, node, depth)
            body = t.element("div", {"class": "ap-body"})
            body.text = article.text
            body.extend(list(article))
            keep_chapter_ends(body)
            section.append(body)
        else:
            section.append(t.element("h1", {"class": f"ap-title ap-part-title ap-bm-{min(depth, 6)}", "data-ap-title": node.title}, node.title))
            if node.children:
                section.append(contents_list(node.children, prefixes, 1, "ap-part-contents"))
        for child in node.children:
            section.append(section_for(child, depth + 1))
        return section

    body = t.element("body", {"class": "ap-book"})
    body.append(cover(options, when))
    toc = t.element("nav", {"class": "ap-toc", "id": "ap-toc", "aria-label": options._("Contents")})
    toc.append(t.element("h1", {"class": "ap-toc-title ap-bm-1"}, options._("Contents")))
    toc.append(contents_list(nav, prefixes, 3))
    body.append(toc)
    for node in nav:
        body.append(section_for(node, 1))

    page_references(body, options._("page"))
    internal, external = number_links(body)
    keywords = options.keywords or [node.title for node in nav]
    root = t.element("html", {"lang": options.language or "en"}, None, head(options, when, keywords), body)
    return PrintBook(root, internal, external, issues, chapters, dict(links.prefixes))


def number_links(root: Element) -> tuple[list[str], list[str]]:
    """Give each internal link a number (to check the PDF against); list them."""
    internal: list[str] = []
    external: list[str] = []
    for a in t.find_all(root, lambda el: t.local_name(el) == "a" and not t.is_svg(el) and el.get("href") is not None):
        href = a.get("href") or ""
        if href.startswith("#"):
            a.set("data-ap-link", str(len(internal)))
            internal.append(href[1:])
        else:
            external.append(href)
    return internal, external
