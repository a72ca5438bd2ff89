"""Plain text from YAML, made safe for any place a generated page puts it.

A generated page is Markdown with HTML blocks, and it is read twice: as HTML
by the browser, and as Markdown by MkDocs (or by whichever engine builds the
output of ``alliance generate``). HTML escaping alone protects only the first
reading. A newline followed by ``#`` starts a heading, ``{: onfocus=...}``
gives it attributes (``attr_list``), ``[x](javascript:...)`` is a link,
``![](https://...)`` loads an image, ``:smile:`` loads an emoji from a CDN.

:func:`plain` therefore writes every character that HTML *or* Markdown (with
the extensions a site may enable) treats as syntax as a numeric character
reference, and line breaks as ``&#10;``. Browsers decode the references back
to the same text, in element content and in attribute values alike, while
Markdown sees no syntax at all: the text stays on the line the template put it
on and means nothing but itself.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

#: HTML's own five, then Markdown's punctuation (including the extensions'
#: ``==mark==``, ``^^ins^^``, ``++keys++``, ``~~del~~``, ``$math$``, tables'
#: ``|``, ``attr_list``'s braces), then line breaks and tabs. Brackets are
#: enough to stop links and images, so parentheses stay as they are.
_REFERENCES = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;",
    **{c: f"&#{ord(c)};" for c in "\\`*_{}[]#!|~^=+$@"},
    "\n": "&#10;", "\r": "&#13;", "\t": "&#9;",
}
_TABLE = str.maketrans(_REFERENCES)
#: ``:name:`` is an emoji (loaded from a CDN by pymdownx.emoji's default) and
#: ``https://x`` an automatic link (magiclink): a colon before a non-space.
_COLON = re.compile(r":(?=\S)")
#: At a line's start: "- x", "1. x", "1) x" (list items), ": x" (definition).
_MARKER = re.compile(r"^(?:-|:|\d+[.)](?=\s|$))")


def plain(value: Any) -> Markup:
    """``value`` as inert text for HTML and Markdown alike (see the module docstring)."""
    if isinstance(value, Markup):
        return value
    escaped = str(value).translate(_TABLE)
    if ":" in escaped:
        escaped = _COLON.sub("&#58;", escaped)
    # A fork's template may put text at a line's start: neutralise a marker there.
    marker = _MARKER.match(escaped)
    if marker:
        end = marker.end()
        escaped = escaped[: end - 1] + f"&#{ord(escaped[end - 1])};" + escaped[end:]
    return Markup(escaped)


#: A site prints the same texts many times (labels on every page, a case's
#: title on the index, its lessons and related cases): at 1,000 case studies
#: 171,000 values, 13,000 of them distinct. Bounded, cleared when full.
_SEEN: dict[str, Markup] = {}
_SEEN_MAX = 100_000


def finalize(value: Any) -> Any:
    """Jinja's ``finalize`` hook: every ``{{ value }}`` of a template that is
    not already markup goes through :func:`plain`."""
    if type(value) is str:
        hit = _SEEN.get(value)
        if hit is None:
            if len(_SEEN) >= _SEEN_MAX:
                _SEEN.clear()
            hit = _SEEN[value] = plain(value)
        return hit
    if value is None or isinstance(value, (Markup, bool, int, float)):
        return value  # None prints as before; numbers have no syntax
    return plain(value)


def with_code(value: Any) -> Markup:
    """Plain text in which `backticked` words of our own interface texts are
    shown as code (translations carry the backticks, not the markup)."""
    parts = str(value).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: nothing is code
        return plain(value)
    return Markup("").join(Markup("<code>%s</code>") % plain(p) if i % 2 else plain(p) for i, p in enumerate(parts))
