"""What a page built from YAML must never contain.

Text from YAML is escaped where it is placed (:func:`render.text.plain`) and
Markdown fields are sanitized (:func:`render.markdown.sanitize`); this module
is the check behind both. It reads HTML as a browser would and reports:

- event-handler attributes (``onload``, ``onfocus``...) and ``autofocus``;
- ids the theme's scripts look up (``__config`` holds Material's settings:
  an element of content with that id, placed before the real one, would
  replace them);
- URLs that run script or open a document of their own (``javascript:``,
  ``vbscript:``, ``data:``...) in any attribute a browser follows or loads;
- elements that run, embed or restyle (``<script>`` other than the site's own
  files and JSON data, ``<iframe>``, ``<object>``, ``<base>``, ``<style>``...);
- anything the browser would fetch from another host (``<img src=https://>``,
  ``style="background:url(//x)"``, ``<link href>``, ``srcset``, ``ping``...).

The ``alliance`` plugin runs it over every generated page and stops the build
when it finds something (a fork's template that prints YAML with ``|safe``, a
bug of ours); the test suite runs it over every page of built sites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

#: Attributes whose URL is followed (a link) or fetched (an image).
URL_ATTRS = frozenset({
    "href", "src", "action", "formaction", "poster", "data", "background", "cite", "longdesc", "xlink:href",
    "codebase", "manifest", "icon", "lowsrc", "dynsrc", "usemap", "profile", "classid", "archive",
})
#: Attributes whose URL the browser fetches by itself, on any element.
FETCH_ATTRS = frozenset({"src", "poster", "data", "background", "lowsrc", "dynsrc", "codebase", "manifest", "icon", "classid", "archive"})
#: Elements whose ``href`` only navigates; any other element's ``href`` is fetched.
NAVIGATION_TAGS = frozenset({"a", "area"})
#: ``<link rel>`` values that only describe a navigation target (not fetched).
NAVIGATION_RELS = frozenset({"canonical", "alternate", "prev", "next", "author", "license", "help", "bookmark", "me", "edit", "search"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: Elements never allowed in content: they run, embed, redirect or restyle.
FORBIDDEN_TAGS = frozenset({
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "style", "portal",
    "noscript", "template", "foreignobject", "handler", "listener", "import",
})
#: Script types that are data, not code.
DATA_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})
_CSS_URL = re.compile(r"url\s*\(|expression\s*\(|@import|behavior\s*:|-moz-binding", re.I)
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL's scheme


@dataclass(frozen=True)
class Finding:
    """One thing a page must not contain: what it is, and the offending value."""

    what: str
    value: str = ""

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
        return f"{self.what}" + (f": {shown!r}" if shown else "")


def url_scheme(url: str) -> str:
    """The scheme a browser would see in ``url`` (lower case), or ''."""
    squeezed = _URL_NOISE.sub("", url)
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", squeezed)
    return match.group(1).lower() if match else ""


def is_remote(url: str) -> bool:
    """True when ``url`` names a host (``https://x``, ``//x``): relative URLs do not."""
    url = _URL_NOISE.sub("", url)
    if not url or url.startswith("#"):
        return False
    if url.startswith(("//", "\\\\", "/\\", "\\/")):
        return True
    try:
        return bool(urlsplit(url).netloc)
    except ValueError:  # malformed (an unclosed IPv6 bracket): report rather than guess
        return True


class _Scanner(HTMLParser):
    def __init__(self, own_script: re.Pattern[str] | None, content_only: bool):
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []
        self.own_script = own_script
        self.content_only = content_only

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def _add(self, what: str, value: str = "") -> None:
        self.findings.append(Finding(what, value))

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self._add(f"<{tag} {name}>: an event handler", value)
            elif name == "autofocus":
                self._add(f"<{tag} autofocus>")
            elif name in URL_ATTRS or name.endswith(":href"):
                self._url(tag, name, value, values)
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    if candidate.split():
                        self._url(tag, name, candidate.split()[0], values)
            elif name == "ping":
                for url in value.split():
                    self._add(f"<{tag} ping>: a request to another address", url)
            elif name == "style" and _CSS_URL.search(value):
                self._add(f"<{tag} style>: a style that loads or runs something", value)
            elif name in ("attributename",) and tag in ("set", "animate") and (value.lower().startswith("on") or "href" in value.lower()):
                self._add(f"<{tag} attributeName>: an animation that rewrites a link or handler", value)
            elif name == "id" and value.startswith("__") and self.content_only:
                self._add(f"<{tag} id>: an id the theme's scripts look up", value)
            elif name == "http-equiv" and value.strip().lower() in ("refresh", "set-cookie", "content-security-policy"):
                self._add(f"<{tag} http-equiv>: changes how the page loads", value)
        if tag == "script":
            self._script(values)
        elif tag in FORBIDDEN_TAGS and self.content_only:
            self._add(f"<{tag}>: not allowed in page content")

    def _url(self, tag: str, name: str, url: str, values: dict[str, str]) -> None:
        scheme = url_scheme(url)
        if scheme and scheme not in SAFE_SCHEMES:
            self._add(f"<{tag} {name}>: a '{scheme}:' address", url)
            return
        fetched = name in FETCH_ATTRS or name in ("srcset", "imagesrcset") or (
            name.endswith("href") and tag not in NAVIGATION_TAGS
            and not (tag == "link" and values.get("rel") and set(values["rel"].lower().split()) <= NAVIGATION_RELS)
        )
        if fetched and is_remote(url):
            self._add(f"<{tag} {name}>: loads from another host", url)
        if name in ("action", "formaction") and is_remote(url):
            self._add(f"<{tag} {name}>: sends a form to another host", url)

    def _script(self, values: dict[str, str]) -> None:
        kind = values.get("type", "").strip().lower()
        src = values.get("src")
        if src is None and kind in DATA_SCRIPT_TYPES:
            return
        if src is not None and self.own_script is not None and self.own_script.search(src) and not is_remote(src) and not url_scheme(src):
            return
        if not self.content_only:
            return  # the theme's own scripts: judged by the offline checks
        self._add("<script>: a script in page content", src or kind or "inline")


def unsafe_content(html: str, own_script: str = r"(^|/)assets/alliance/[a-z0-9/_.-]+\.js$") -> list[Finding]:
    """Everything in a page's content HTML (what a page's Markdown became) that
    must not be there. Scripts are allowed only as JSON data or as the site's
    own files (``own_script``, matched against ``src``)."""
    scanner = _Scanner(re.compile(own_script), content_only=True)
    scanner.feed(html)
    scanner.close()
    return scanner.findings


def unsafe_page(html: str) -> list[Finding]:
    """What a whole built page (theme included) must not contain: event
    handlers, ``autofocus``, script URLs, remote loads. Elements the theme
    legitimately uses in ``<head>`` (scripts, styles, meta) are not judged."""
    scanner = _Scanner(None, content_only=False)
    scanner.feed(html)
    scanner.close()
    return scanner.findings
