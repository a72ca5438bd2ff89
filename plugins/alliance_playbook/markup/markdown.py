"""Markdown fields from YAML -> safe HTML.

A Markdown field is rendered and then passed through nh3 (the Ammonia
sanitizer): raw HTML cannot run script, load anything, or style the page.
``[[kind:id]]`` links are resolved first.

Two ways to render. Standalone (``alliance generate``, tests), a fixed set of
extensions converts each field here. Inside a MkDocs build, fields are
*deferred*: the page carries a slot where the field goes, and the field's
Markdown is appended to the page in a marked "island" that the site's own
Markdown pass converts with the site's own extensions; the plugin then cuts
every island out, sanitizes it and puts it in its slot (see
:func:`fill_islands`). Markdown is then run once per page instead of once per
field, and fields render exactly like hand-written pages.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import markdown
import nh3
from markupsafe import Markup

from ..wikilinks import WikiLink, replace_links

_EXTENSIONS = ["tables", "sane_lists", "def_list", "abbr", "admonition", "pymdownx.tilde", "pymdownx.superfences"]

#: The elements a Markdown field may produce; anything else is removed.
KEPT_TAGS = _TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
_HEADING_ATTRS = {f"h{n}": {"id"} for n in range(1, 7)}  # the table of contents links to them
_ATTRS = {
    **_HEADING_ATTRS,
    "a": {"href", "title", "class"},
    "abbr": {"title"},
    "div": {"class"},
    "p": {"class"},
    "span": {"class"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
_CLASS_ALLOWED = ("ap-xref", "headerlink", "admonition", "admonition-title", "note", "tip", "warning", "info")
#: A heading id a field may keep: what a table of contents makes of a title.
_FIELD_ID = re.compile(r"[\w.:-]{1,120}")
#: Ids that start with "_" are the theme's ("__config" is Material's
#: configuration, read with querySelector: a heading with that id would
#: replace it); "ap-" and "md-" are this site's and the theme's own.
_RESERVED_ID_PREFIXES = ("_", "ap-", "md-")


def theme_safe_id(value: str) -> str:
    """A heading id that cannot be one of the theme's or the site's own:
    ``__config`` becomes ``h-__config`` (the same everywhere, so a table of
    contents made from the heading can be mended the same way)."""
    return "h-" + value if value.lower().startswith(_RESERVED_ID_PREFIXES) else value


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
    if attr == "id":
        return theme_safe_id(value) if _FIELD_ID.fullmatch(value) else None
    if attr == "class":
        kept = [c for c in value.split() if c in _CLASS_ALLOWED]
        return " ".join(kept) or None
    if attr == "href" and value.startswith("#"):
        return "#" + theme_safe_id(value[1:])
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

    def __init__(self, link_renderer: Callable[[WikiLink, str], str], defer_nonce: str | None = None):
        self._md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
        self._link = link_renderer
        self._cache: dict[tuple[str, bool], Markup] = {}
        #: When set, fields that need Markdown are deferred to the page's pass.
        self.nonce = defer_nonce
        self._islands: list[str] = []

    def take_islands(self) -> list[str]:
        """The deferred fields of the page just rendered, in slot order."""
        islands, self._islands = self._islands, []
        return islands

    def render(self, text: str | None, page_url: str, inline: bool = False) -> Markup:
        """A Markdown field as sanitized HTML (``inline``: without its ``<p>``).
        With a nonce, a block field that needs Markdown becomes a slot marker,
        left to the page's own Markdown pass."""
        if not text:
            return Markup("")
        if self.nonce is not None and not inline:
            plain = None if "[[" in text else plain_paragraphs(text)
            if plain is not None:
                return Markup(plain)
            self._islands.append(replace_links(text, lambda link: self._link(link, page_url)))
            return Markup(slot_marker(self.nonce, len(self._islands) - 1))
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
    """``text`` escaped for HTML, quotes included, as markup."""
    return Markup(html.escape(str(text), quote=True))


def slot_marker(nonce: str, number: int) -> str:
    """The comment that stands where deferred field ``number`` goes on the page."""
    return f"<!--ap-slot-{nonce}-{number}-->"


def island_marker(nonce: str, number: int) -> str:
    """The comment that opens deferred field ``number`` in the islands section."""
    return f"<!--ap-island-{nonce}-{number}-->"


def islands_section(nonce: str, islands: list[str]) -> str:
    """Markdown to append to a page: each field between its markers."""
    parts = [f"\n\n<!--ap-islands-{nonce}-->\n"]
    for number, text in enumerate(islands):
        parts.append(f"\n{island_marker(nonce, number)}\n\n{text.strip()}\n")
    return "".join(parts) + "\n"


class IslandError(Exception):
    """A deferred field did not come back from Markdown where expected."""


def cut_islands(page_html: str, nonce: str, count: int) -> tuple[str, list[str]]:
    """Cut the islands out of a converted page; return the page and each
    island's HTML, sanitized, in slot order.

    Everything from the islands' start marker to the end of the page is
    removed, whatever Markdown made of it, so no unsanitized field text can
    stay behind; the nonce is secret to the build, so field text cannot forge
    a marker.
    """
    start = page_html.find(f"<!--ap-islands-{nonce}-->")
    if start < 0:
        raise IslandError("the Markdown fields of this page were lost in conversion")
    body, region = page_html[:start], page_html[start:]
    fragments = []
    for number in range(count):
        marker = island_marker(nonce, number)
        begin = region.find(marker)
        if begin < 0:
            raise IslandError(f"Markdown field {number} of this page was lost in conversion")
        begin += len(marker)
        end = region.find(island_marker(nonce, number + 1), begin) if number + 1 < count else len(region)
        if end < 0:
            raise IslandError(f"Markdown field {number + 1} of this page was lost in conversion")
        fragments.append(sanitize(region[begin:end]).strip())
    return body, fragments


def fill_slots(page_html: str, nonce: str, fragments: list[str]) -> str:
    """Put each sanitized field where its page left a slot for it."""
    for number, fragment in enumerate(fragments):
        page_html = page_html.replace(slot_marker(nonce, number), fragment, 1)
    return page_html
