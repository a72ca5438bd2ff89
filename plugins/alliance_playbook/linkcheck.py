"""A link checker over a built site: every href and src of every HTML page.

MkDocs' own checks miss raw HTML, plugin output and (under ``-v``) anchors;
this reads the output as a browser would. Reported: broken internal links,
missing anchors, links that escape the site root, and ``javascript:`` or
``data:`` links. External links are listed but not fetched (offline).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {"href", "src", "poster", "action", "formaction", "data"}
_SKIP_SCHEMES = ("mailto:", "tel:")
_EXTERNAL = ("http://", "https://", "//")


@dataclass(frozen=True)
class BrokenLink:
    """A link in a built page that is broken or not allowed, and why."""

    page: str
    tag: str
    attr: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: <{self.tag} {self.attr}=\"{self.url}\">: {self.reason}"


@dataclass
class _Page:
    links: list[tuple[str, str, str]] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id",) or (name == "name" and tag == "a"):
                self.page.anchors.add(value)
            elif name in LINK_ATTRS:
                if tag == "link" and name == "href" or tag != "link":
                    self.page.links.append((tag, name, value.strip()))
            elif name == "srcset":
                for part in value.split(","):
                    if part.strip():
                        self.page.links.append((tag, name, part.strip().split()[0]))


def _parse(path: Path) -> _Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    return collector.page


def check_site(site: Path) -> tuple[list[BrokenLink], int]:
    """Every broken link of the site, and the number of links checked."""
    site = site.resolve()
    pages = {p.relative_to(site).as_posix(): _parse(p) for p in site.rglob("*.html")}
    problems: list[BrokenLink] = []
    checked = 0
    for rel, page in sorted(pages.items()):
        base = posixpath.dirname(rel)
        for tag, attr, url in page.links:
            checked += 1
            lowered = url.lower()
            if lowered.startswith(("javascript:", "data:", "vbscript:")):
                problems.append(BrokenLink(rel, tag, attr, url[:60], f"'{lowered.split(':')[0]}:' links are not allowed"))
                continue
            if lowered.startswith(_EXTERNAL) or lowered.startswith(_SKIP_SCHEMES) or not url:
                continue
            parts = urlsplit(url)
            if parts.scheme:
                problems.append(BrokenLink(rel, tag, attr, url, f"unknown scheme '{parts.scheme}:'"))
                continue
            path = unquote(parts.path)
            if path.startswith("/") and rel == "404.html":
                # The 404 page is served at any URL, so MkDocs makes its links
                # absolute from the site root: resolve them from there.
                base_for_link, path = "", path.lstrip("/") or "."
            elif path.startswith("/"):
                problems.append(BrokenLink(rel, tag, attr, url, "absolute path: breaks when the site is not at the domain root or opened from file://"))
                continue
            else:
                base_for_link = base
            target = posixpath.normpath(posixpath.join(base_for_link, path)) if path else rel
            if target == ".." or target.startswith("../"):
                problems.append(BrokenLink(rel, tag, attr, url, "escapes the site root"))
                continue
            target_file = site / target
            if target_file.is_dir():
                target_file = target_file / "index.html"
                target = posixpath.join(target, "index.html") if target != "." else "index.html"
            if not target_file.is_file():
                problems.append(BrokenLink(rel, tag, attr, url, "target does not exist"))
                continue
            if parts.fragment and target.endswith(".html"):
                anchors = pages.get(target if target != "." else "index.html")
                fragment = unquote(parts.fragment)
                if anchors is not None and fragment not in anchors.anchors and fragment != "top":
                    problems.append(BrokenLink(rel, tag, attr, url, f"no element with id '{fragment}' in {target}"))
    return problems, checked
