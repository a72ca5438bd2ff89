"""Links, images and raw HTML in Markdown fields, checked before a build.

A broken ``[[kind:id]]``, a page path (which points somewhere else on each
page that shows the text) and an in-page link to a heading the text does not
have are errors; what the sanitizer will remove (images, non-web links, raw
HTML) is a warning. Each is reported at its own line and column in the YAML
file, however the text was written (folded, quoted, in a block).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import Problem, quoted
from .markup.markdown import KEPT_TAGS
from .sourcemap import Loc, SourceMap, format_loc
from .wikilinks import find_links

if TYPE_CHECKING:
    from .checks import Known


# Links and images in Markdown, outside code. Only the start of the target
# is read: enough to tell a web address from a page path or a script.
_INLINE = re.compile(r"(!?)\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*<?([^\s)>]*)")
_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:\s*<?(\S*?)>?(?:\s|$)", re.M)
_HTML_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
_BACKTICKS = re.compile(r"`+")
_FENCE_LINE = re.compile(r"^[ \t]*(```|~~~)")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_SAFE_SCHEMES = ("http:", "https:", "mailto:")
def _outside_code(text: str) -> str:
    """``text`` with code blocks and spans blanked out (same length, same
    lines). Linear in the length of the text, whatever it holds."""
    lines = text.split("\n")
    fence = None
    for i, line in enumerate(lines):
        opener = _FENCE_LINE.match(line)
        if fence is not None:
            if opener and opener.group(1) == fence:
                fence = None
            lines[i] = " " * len(line)
        elif opener:
            fence = opener.group(1)
            lines[i] = " " * len(line)
        elif _INDENTED.match(line):
            lines[i] = " " * len(line)
    text = "\n".join(lines)
    # A code span runs from a run of n backticks to the next run of exactly n.
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    next_of_length: dict[int, int] = {}
    closer: list[int | None] = [None] * len(runs)
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        closer[index] = next_of_length.get(length)
        next_of_length[length] = index
    out, last, index = [], 0, 0
    while index < len(runs):
        match = closer[index]
        if match is None:
            index += 1
            continue
        start, end = runs[index][0], runs[match][1]
        out.append(text[last:start])
        out.append(re.sub(r"[^\n]", " ", text[start:end]))
        last, index = end, match + 1
    out.append(text[last:])
    return "".join(out)


def markdown_problems(text: str, loc: Loc, source: SourceMap, known: Known) -> list[Problem]:
    """Broken wiki links, links that would break, and what the sanitizer will
    remove, in one Markdown field (each at its own line and column)."""
    problems: list[Problem] = []

    def at(offset: int, needle: str, message: str, severity: str = "error") -> None:
        # The field's text and the file hold the same characters in the same
        # order (folding and quoting change only what lies between them), so
        # the nth occurrence in the text is the nth one in the file.
        pattern = re.compile(re.escape(needle).replace("\\ ", r"\s+"))
        nth = len(pattern.findall(text, 0, offset))
        position = source.find(loc, pattern, nth) or source.where(loc)
        problems.append(Problem(source.path, *position, format_loc(loc), message, severity))

    if "[[" in text:
        for link in find_links(text):
            message = known.problem(link.kind, link.id, link=True)
            if message:
                at(link.start, text[link.start : link.end].split("|")[0].rstrip("]"), message)
    if "](" not in text and "]:" not in text and "<" not in text:
        return problems
    visible = _outside_code(text)
    anchors = None
    for match in _INLINE.finditer(visible):
        image, target = match.group(1), match.group(2)
        if image:
            at(match.start(), text[match.start() : match.start(2)], "images are not shown from Markdown fields (they are removed); link to the picture, or put it on a guide page", "warning")
            continue
        if target.startswith("#") and len(target) > 1:
            anchors = anchors if anchors is not None else _heading_ids(visible)
            if target[1:] not in anchors:
                at(match.start(), text[match.start() : match.start(2)] + target,
                   f"there is no heading {quoted(target[1:])} in this text; link to a heading of this same text, to an item with [[kind:id]] or to a full https:// address")
            continue
        found = _link_problem(target, known)
        if found:
            at(match.start(), text[match.start() : match.start(2)] + target, *found)
    for match in _DEFINITION.finditer(visible):
        found = _link_problem(match.group(1), known)
        if found:
            at(match.start(), text[match.start() : match.end(1)].strip(), *found)
    tags = [m for m in _HTML_TAG.finditer(visible) if m.group(2).lower() not in KEPT_TAGS and not _AUTOLINK.match(visible, m.start())]
    if tags:
        shown = ", ".join(f"<{t}>" for t in sorted({m.group(2).lower() for m in tags})[:6])
        first = tags[0]
        at(first.start(), text[first.start() : first.end()], f"raw HTML {shown} is removed from Markdown fields; write Markdown instead", "warning")
    return problems


#: ``<https://x.org>`` and ``<name@x.org>`` are links, not HTML.
_AUTOLINK = re.compile(r"<[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*>|<[^\s<>@]+@[^\s<>@]+>")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$|^(.+)\n[ \t]*(?:=+|-+)[ \t]*$", re.M)
_ATTR_ID = re.compile(r"\{[^}\n]*#([\w.:-]+)[^}\n]*\}\s*$")


def _heading_ids(text: str) -> set[str]:
    """The ids the headings of a Markdown text get, as a table of contents
    makes them (Python-Markdown's and pymdown's slugs), or as written with
    ``{: #id}``."""
    from markdown.extensions.toc import slugify, slugify_unicode

    ids: set[str] = set()
    for match in _HEADING.finditer(text):
        title = match.group(1) or match.group(2) or ""
        explicit = _ATTR_ID.search(title)
        if explicit:
            ids.add(explicit.group(1))
            title = title[: explicit.start()]
        ids.update({slugify(title, "-"), slugify_unicode(title, "-")})
    return ids


def _link_problem(target: str, known: Known) -> tuple[str, str] | None:
    """(message, severity) for a Markdown link target that will not work."""
    if not target or target == "#":
        return None
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", target)
    if scheme:
        if target.lower().startswith(_SAFE_SCHEMES):
            return None
        return f"{quoted(scheme.group(1) + ':')} links are removed: link to an https:// or http:// address", "warning"
    if target.startswith("//"):
        return None  # a web address without its scheme: the browser adds it
    stem = target.split("#")[0].rstrip("/").rsplit("/", 1)[-1].removesuffix(".md").removesuffix(".html")
    hint = ""
    for kind in known.nouns:
        if stem in known.ids.get(kind, {}):
            hint = f": write [[{kind}:{stem}]]"
            break
    return (
        f"the link {quoted(target)} points at a page path, which changes with every page that shows this text{hint or ''}; "
        "link to items with [[kind:id]] and to other sites with a full https:// address",
        "error",
    )
