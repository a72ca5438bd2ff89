"""Links and ids of many pages made to live in one document.

Every page gets an id prefix; its ids become ``<prefix>--<id>``. A link to a
page of the book (or to an anchor in it) becomes a ``#`` link inside the
PDF; a link to another site stays; a link that would point at the build
machine, or at a file the book does not contain, is turned into plain text
and reported, never silently dropped.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from . import tree as t
from .tree import Element

_BASE = "http://site.invalid/"
_EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")
_LOCAL_HOSTS = ("localhost", "0.0.0.0", "::1", "[::1]")
_REF_ATTRS = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "headers", "list")
_URL_REF = re.compile(r"url\(\s*(['\"]?)#([^)'\"]+)\1\s*\)")


def is_build_machine(url: str) -> bool:
    """True for URLs that only mean something on the machine that built the site."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return True
    host = (parts.hostname or "").lower()
    return host in _LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127.")


@dataclass
class Resolution:
    """Where a link goes in the PDF: ``internal`` (an anchor), ``external`` (a URL) or ``text``."""

    kind: str
    target: str = ""
    reason: str = ""


@dataclass
class LinkMap:
    """Knows every page of the book, its id prefix and its ids."""

    site_dir: Path
    site_url: str = ""
    #: HTML file (``guide/x/index.html``) -> id prefix.
    prefixes: dict[str, str] = field(default_factory=dict)
    #: id prefix -> ids in that page (before prefixing).
    ids: dict[str, set[str]] = field(default_factory=dict)

    def resolve(self, href: str, page_url: str, prefix: str) -> Resolution:
        """Where ``href``, written on the page at ``page_url``, goes in the book."""
        href = href.strip()
        if not href:
            return Resolution("text", reason="empty link")
        if href.startswith("#"):
            return Resolution("internal", self.anchor(prefix, unquote(href[1:])))
        site_url = self.site_url.rstrip("/") + "/" if self.site_url else ""
        if site_url and href.startswith(site_url):
            href = "/" + href[len(site_url):]
            page_url = ""
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            if is_build_machine(href if parts.scheme else "https:" + href):
                return Resolution("text", reason="points at the build machine")
            if parts.scheme and parts.scheme.lower() not in _EXTERNAL_SCHEMES:
                return Resolution("text", reason=f"{parts.scheme}: links are not kept")
            return Resolution("external", href if parts.scheme else "https:" + href)
        absolute = urlsplit(urljoin(_BASE + page_url, href))
        path = unquote(absolute.path)[1:]
        if path.startswith("../") or "/../" in path:
            return Resolution("text", reason="leaves the site")
        dest = self.page_file(path)
        if dest in self.prefixes:
            target = self.prefixes[dest]
            return Resolution("internal", self.anchor(target, unquote(absolute.fragment)))
        if (self.site_dir / path).exists() and path:
            if site_url:
                return Resolution("external", urljoin(site_url, absolute.path.lstrip("/")) + (f"#{absolute.fragment}" if absolute.fragment else ""))
            return Resolution("text", reason=f"{path} is a file of the site, not a page of the PDF (set site_url to keep it as a web link)")
        return Resolution("text", reason=f"{path or '/'} is not in the built site")

    def page_file(self, path: str) -> str:
        """The HTML file a site path stands for (``guide/x/`` -> ``guide/x/index.html``)."""
        if path == "" or path.endswith("/"):
            return path + "index.html"
        if "." not in posixpath.basename(path) and (self.site_dir / path).is_dir():
            return path + "/index.html"
        return path

    def anchor(self, prefix: str, fragment: str) -> str:
        """The anchor name in the book; the page start when the page has no such id."""
        if fragment and fragment in self.ids.get(prefix, ()):
            return f"{prefix}--{fragment}"
        return prefix


def collect_ids(root: Element) -> set[str]:
    """Every ``id`` in the tree of ``root``, ``root`` included."""
    return {el_id for el in root.iter() if isinstance(el.tag, str) and (el_id := el.get("id"))}


def prefix_ids(root: Element, prefix: str) -> None:
    """Make the page's ids unique in the book, and every reference to them."""
    own = collect_ids(root)

    def ref(value: str) -> str:
        return " ".join(f"{prefix}--{token}" if token in own else token for token in value.split())

    for el in root.iter():
        if t.tag_name(el) is None:
            continue
        for name, value in list(el.attrib.items()):
            if name == "id" or (name == "name" and t.local_name(el) == "a"):
                el.set(name, f"{prefix}--{value}")
            elif name in _REF_ATTRS:
                el.set(name, ref(value))
            elif t.is_svg(el):
                if name.endswith("href") and value.startswith("#") and value[1:] in own:
                    el.set(name, f"#{prefix}--{value[1:]}")
                elif "url(#" in value:
                    el.set(name, _URL_REF.sub(lambda m: f"url(#{prefix}--{m.group(2)})" if m.group(2) in own else m.group(0), value))


def rewrite_links(root: Element, links: LinkMap, page_url: str, prefix: str, issues: list[str]) -> None:
    """Point every ``<a href>`` of the page at its place in the book (see module doc)."""
    parents = t.parent_map(root)
    drawn = 0
    for a in t.find_all(root, lambda el: t.local_name(el) == "a"):
        href = a.get("href") or a.get("{http://www.w3.org/1999/xlink}href")
        if t.is_svg(a):
            # WeasyPrint draws SVG links as plain text: keep the text, say so.
            drawn += 1 if href else 0
            t.unwrap(a, parents)
            continue
        if href is None:
            continue
        result = links.resolve(href, page_url, prefix)
        if result.kind == "text":
            issues.append(f"{page_url}: link {href!r} printed as text: {result.reason}")
            span = t.element("span", {"class": "ap-unlinked"})
            span.text = a.text
            span.extend(list(a))
            t.replace(a, span, parents)
            continue
        for name in ("target", "rel", "download", "title"):
            a.attrib.pop(name, None)
        a.set("href", "#" + result.target if result.kind == "internal" else result.target)
        if result.kind == "external":
            t.add_class(a, "ap-external")
    if drawn:
        issues.append(f"{page_url or '/'}: {drawn} link(s) inside a drawing are printed as text (WeasyPrint does not link SVG)")


def rewrite_media(root: Element, page_url: str, issues: list[str]) -> None:
    """Images load from the site folder only: relative paths become site-root paths."""
    parents = t.parent_map(root)
    for img in t.find_all(root, lambda el: t.local_name(el) == "img" and not t.is_svg(el)):
        img.attrib.pop("srcset", None)
        img.attrib.pop("loading", None)
        src = (img.get("src") or "").strip()
        if src.startswith("data:"):
            continue
        parts = urlsplit(src)
        if not src or parts.scheme or src.startswith("//"):
            issues.append(f"{page_url}: image {src!r} is not part of the site; its description is printed instead")
            t.replace(img, t.element("span", {"class": "ap-missing-image"}, f"[{img.get('alt') or 'image'}]"), parents)
            continue
        path = unquote(urlsplit(urljoin(_BASE + page_url, src)).path)[1:]
        img.set("src", quote(path))
    for el in t.find_all(root, lambda el: t.local_name(el) in ("video", "audio", "source", "picture") and not t.is_svg(el)):
        if t.local_name(el) == "picture":
            t.unwrap(el, parents)
        else:
            issues.append(f"{page_url}: {t.local_name(el)} cannot be printed")
            t.remove(el, parents)
