"""Markdown fields from YAML -> safe HTML.

A Markdown field is rendered with a fixed set of extensions and then passed
through nh3 (the Ammonia sanitizer): raw HTML cannot run script, load
anything, or style the page. ``[[kind:id]]`` links are resolved first.
"""

from __future__ import annotations

import html
import re
from typing import Callable

import markdown
import nh3
from markupsafe import Markup

from ..wikilinks import WikiLink, replace_links

_EXTENSIONS = ["tables", "sane_lists", "def_list", "abbr", "admonition", "pymdownx.tilde", "pymdownx.superfences"]

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h3", "h4", "h5",
    "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
_ATTRS = {
    "a": {"href", "title", "class"},
    "abbr": {"title"},
    "div": {"class"},
    "p": {"class"},
    "span": {"class"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
_CLASS_ALLOWED = ("ap-xref", "admonition", "admonition-title", "note", "tip", "warning", "info")


def sanitize(fragment: str) -> str:
    """Strip everything that could run, load or restyle: the last line of defence."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        attributes=_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        filter_style_properties=set(),
        attribute_filter=_filter_attribute,
    )


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    if attr == "class":
        kept = [c for c in value.split() if c in _CLASS_ALLOWED]
        return " ".join(kept) or None
    if attr == "href" and value.startswith("#"):
        return value
    return value


# Text with none of Markdown's syntax renders as escaped paragraphs; checking
# for that is far cheaper than running Markdown, and most fields are prose.
_SYNTAX_CHARS = re.compile(r"[\\`*_\[\]<>#|!&~{}\t\r]")
_SYNTAX_LINE = re.compile(r"^(?:[ \t]*(?:[-+:=]|\d+[.)])|    |\t)|  $", re.M)


def plain_paragraphs(text: str) -> str | None:
    """The HTML Markdown would make of ``text`` if it is plain prose (no
    Markdown syntax, no indentation or trailing spaces), else None."""
    if _SYNTAX_CHARS.search(text) or _SYNTAX_LINE.search(text):
        return None
    lines = text.strip("\n").split("\n")
    if any(line != line.strip() for line in lines):
        return None
    paragraphs = "\n".join(lines).split("\n\n")
    if any(not p or p.startswith("\n") for p in paragraphs):
        return None
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


class MarkdownFields:
    """Renders the Markdown fields of YAML content to sanitized HTML.

    The same text is often shown on several pages (a case's note on the case
    and on the lesson page): results without page-relative links are cached.
    """

    def __init__(self, link_renderer: Callable[[WikiLink, str], str]):
        self._md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
        self._link = link_renderer
        self._cache: dict[tuple[str, bool], Markup] = {}

    def render(self, text: str | None, page_url: str, inline: bool = False) -> Markup:
        if not text:
            return Markup("")
        has_links = "[[" in text
        if not has_links:
            hit = self._cache.get((text, inline))
            if hit is not None:
                return hit
        result = self._render(text, page_url, inline)
        if not has_links:
            self._cache[(text, inline)] = result
        return result

    def _render(self, text: str, page_url: str, inline: bool) -> Markup:
        out = None if "[[" in text else plain_paragraphs(text)
        if out is None:
            source = replace_links(text, lambda link: self._link(link, page_url))
            self._md.reset()
            out = sanitize(self._md.convert(source))
        if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
        return Markup(out)


def escape(text: object) -> Markup:
    return Markup(html.escape(str(text), quote=True))
