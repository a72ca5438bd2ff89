"""``[[kind:id]]`` and ``[[kind:id|text]]`` links between content items."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

KINDS = ("case", "step", "phase", "lesson", "worksheet")

# The id runs to the first "]", "|" or line break and never ends in white space;
# its repetition is atomic and the white space around it possessive, so trying
# a "[[" costs one pass to the next "]" or line break, not (as with the former
# ``\s*([^\]|\n]*?)\s*``) one pass per way of sharing a run of spaces between
# three groups: "[[a:" and 2,000 spaces took over 20 s. It finds exactly the
# links the former pattern found (tests/test_markdown_limits.py compares them).
LINK_RE = re.compile(
    r"\[\[\s*([A-Za-z_-]++)\s*:\s*+((?>(?:[^\s\]|]|[^\S\n]+(?=[^\s\]|]))*))\s*+(?:\|([^\]\n]*+))?\]\]"
)
_FENCE_RE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class WikiLink:
    """One ``[[kind:id|text]]`` link found in a text, and where it is."""

    kind: str
    id: str
    text: str | None
    start: int
    end: int
    line: int  # 0-based line inside the text
    col: int  # 0-based column inside that line


def find_links(text: str) -> Iterator[WikiLink]:
    """Every wiki link in ``text``, skipping fenced code blocks and code spans."""
    in_fence = False
    offset = 0
    for lineno, line in enumerate(text.splitlines(keepends=True)):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        elif not in_fence and "[[" in line:
            code_spans = [m.span() for m in re.finditer(r"`[^`]*`", line)]
            span_starts = [a for a, _ in code_spans]
            for match in LINK_RE.finditer(line):
                # The spans do not overlap and are in order: only the last one
                # starting at or before the link can contain it.
                index = bisect.bisect_right(span_starts, match.start()) - 1
                if index >= 0 and match.start() < code_spans[index][1]:
                    continue
                kind, id_, label = match.group(1), match.group(2), match.group(3)
                yield WikiLink(
                    kind, id_, label.strip() if label and label.strip() else None,
                    offset + match.start(), offset + match.end(), lineno, match.start(),
                )
        offset += len(line)


def replace_links(text: str, render: Callable[[WikiLink], str]) -> str:
    """Replace each link with ``render(link)``; code blocks are left alone."""
    parts: list[str] = []
    last = 0
    for link in find_links(text):
        parts.append(text[last : link.start])
        parts.append(render(link))
        last = link.end
    parts.append(text[last:])
    return "".join(parts)
