"""Material's navigation, drawn once per folder instead of once per page.

Material puts the whole navigation into every page (``partials/nav.html``).
Drawing it is most of a page's template time: at 1,000 case studies, 20 of
the 30 seconds the theme takes. Yet for a page the navigation does not list
(a case study, a worksheet's print page), it can differ from a sibling's
only through its relative links: nothing in it is marked current, and no
table of contents of the page is folded into it. So it is drawn once for
each folder of such pages and reused for the rest of the build.

The rule that makes that exact: a link relative to ``a/b/`` and the same
link relative to ``a/c/`` are the same text unless the target lies under
``a/b/`` or ``a/c/``. A page whose own address is a prefix of some link in
the navigation is drawn on its own. A page the navigation lists is always
drawn on its own (it is marked current, with its headings).

The saving applies only where the template is Material's ``nav.html``
rendered through Jinja's include (MkDocs and ProperDocs); anything else is
drawn as before. ``ALLIANCE_NAV_CACHE=0`` turns it off (the tests compare a
build with and without it byte for byte).
"""

from __future__ import annotations

import logging
import os
import posixpath
from collections.abc import Callable, Iterator
from typing import Any

TEMPLATE = "partials/nav.html"
log = logging.getLogger("mkdocs.plugins.alliance_playbook.navcache")


def enabled(environ: dict[str, str] | None = None) -> bool:
    """Whether the cache is on (``ALLIANCE_NAV_CACHE``, default on)."""
    return (os.environ if environ is None else environ).get("ALLIANCE_NAV_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def folder_key(url: str, listed: frozenset[str]) -> str | None:
    """The folder whose pages share ``url``'s navigation (None: draw it
    for this page alone). ``listed``: every address the navigation links to."""
    if not url or url.startswith(("/", ".")) or "://" in url:
        return None
    if url.endswith("/"):  # a/b/ : its links are those of every a/x/ that nothing links under
        if any(link.startswith(url) or link == url[:-1] for link in listed):
            return None
        return "folders of " + posixpath.dirname(url[:-1])
    head, tail = posixpath.split(url)
    if "." not in tail:  # MkDocs would read this as a folder: leave it alone
        return None
    return "files of " + head  # a/b.html : links from a/ alike (not from a/x/, one level down)


def site_links(links: Iterator[str]) -> frozenset[str] | None:
    """The navigation's links within the site, as :func:`folder_key` compares
    them (``./a/b`` is ``a/b``); None when one is written so that the rule
    does not hold (``../a``, ``/a``): then nothing is shared."""
    out: set[str] = set()
    for link in links:
        if "://" in link or link.startswith(("mailto:", "tel:", "#")):
            continue  # the same text on every page
        while link.startswith("./"):
            link = link[2:]
        if link.startswith(("/", "..")) or "/./" in link or "/../" in link:
            return None
        out.add(link)
    return frozenset(out)


def nav_links(items: Any) -> Iterator[str]:
    """Every address in the navigation (pages, links, sections' children)."""
    for item in items or ():
        url = getattr(item, "url", None)
        if isinstance(url, str):
            yield url
        yield from nav_links(getattr(item, "children", None))


def _plain_items(items: Any) -> bool:
    """Whether the navigation is made of MkDocs' own items only. Another item
    (a blog plugin's views, which put the current page in their ``pages``)
    may make a page's navigation its own: then nothing is shared."""
    from mkdocs.structure.nav import Link, Section
    from mkdocs.structure.pages import Page

    return all(type(item) in (Page, Section, Link) and _plain_items(getattr(item, "children", None)) for item in items or ())


class NavCache:
    """One build's drawn navigations, by folder (made again for another navigation)."""

    def __init__(self) -> None:
        self.nav: Any = None
        self.listed: frozenset[str] | None = frozenset()
        self.pages: set[str] = set()
        self.drawn: dict[str, str] = {}
        self.reused = 0

    def bind(self, nav: Any) -> None:
        """Use ``nav`` (the drawings of another navigation are dropped)."""
        if nav is self.nav:
            return
        self.nav, self.drawn, self.reused = nav, {}, 0
        items = getattr(nav, "items", None)
        self.listed = site_links(nav_links(items)) if _plain_items(items) else None
        self.pages = {page.file.src_uri for page in getattr(nav, "pages", ())}

    def report(self) -> None:
        """Log what the cache saved (``mkdocs build -v``)."""
        if self.drawn:
            log.debug(f"Navigation: drawn {len(self.drawn)} times for folders of unlisted pages, reused for {self.reused} pages")

    def key(self, page: Any) -> str | None:
        """The drawing ``page`` shares (None: its own, see :func:`folder_key`)."""
        file, url = getattr(page, "file", None), getattr(page, "url", None)
        if self.listed is None or file is None or not isinstance(url, str) or file.src_uri in self.pages:
            return None
        if getattr(page, "parent", None) is not None:  # placed in a section by a plugin: drawn as part of it
            return None
        return folder_key(url, self.listed)


def install(env: Any, enabled_here: bool | None = None) -> NavCache | None:
    """Wrap the environment's ``partials/nav.html`` so that it is drawn once
    per folder of unlisted pages. Returns the cache (None when the template
    is not there or the cache is off)."""
    if not (enabled() if enabled_here is None else enabled_here):
        return None
    try:
        template = env.get_template(TEMPLATE)
    except Exception:  # another theme, or none: nothing to save
        return None
    draw: Callable[[Any], Iterator[str]] = getattr(template, "_ap_draw", template.root_render_func)
    cache = NavCache()

    def root_render_func(context: Any) -> Iterator[str]:
        cache.bind(context.get("nav"))
        key = cache.key(context.get("page"))
        if key is None:
            yield from draw(context)
            return
        html = cache.drawn.get(key)
        if html is None:
            html = cache.drawn[key] = "".join(draw(context))
        else:
            cache.reused += 1
        yield html

    template._ap_draw = draw  # a template kept from an earlier build is wrapped once
    template.root_render_func = root_render_func
    return cache


__all__ = ["TEMPLATE", "NavCache", "enabled", "folder_key", "install", "nav_links", "site_links"]
