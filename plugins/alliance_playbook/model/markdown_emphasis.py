"""How deep the emphasis marks of a Markdown field could nest.

Emphasis marks ('*', '_', and the '~', '^', '=' of pymdownx.tilde, .caret and
.mark, which forks add) nest without any indentation, so the nesting limit of
``markdown_limits`` does not see them. '*a ' repeated 3,000 times and then
'a* ' 3,000 times (20,000 characters) converts standalone in 0.4 s to
``<em>`` nested 3,000 deep, and stops the MkDocs pass with a RecursionError
(the table of contents walks the tree recursively); 'a\\n***' repeated, then
'a* ', nests 600 deep.

Which mark closes which differs between Python-Markdown's processors and the
pymdownx ones, and none of them simply pairs the nearest marks: after a run
of 600 '*', each later '*a*' closes two of the run's. So this measures an
upper bound that does not depend on how marks are paired. Where an element
nests inside k others, k marks before it can start emphasis (the next
character is not a space) and k after it can end it (the character before is
not a space), of the same kind each ('*' and '_' count as one kind:
Python-Markdown's own processor can end one with the other). So at every point between two marks the
nesting is at most, summed over the five kinds, the smaller of the two
counts, taken over the text where marks can pair: inline text never runs
across a blank line, a heading line, or from one list item into the next (in
a block that starts with a list item) or from one table row into the next
(the tables extension, which both conversions use, reads each cell alone).
"""

from __future__ import annotations

import re

#: Emphasis marks that could be open at once around one point of a paragraph
#: (a bold phrase counts 2, as it has two marks on each side). Far below what
#: breaks anything (WeasyPrint lays out ``<em>`` 400 deep; the MkDocs pass
#: fails near 900), and above what a fork's footnotes reach: '[^1]' can start
#: and end superscript (pymdownx.caret), and 100 footnote references, the
#: most allowed, in one paragraph count 50.
MAX_EMPHASIS = 60

#: Each mark and its kind: marks of one kind can end each other's emphasis
#: (Python-Markdown's own processor ends a '**' opened with '*' ... '_':
#: '*a**>*_._' makes strong text).
_KIND_OF = {"*": "*", "_": "*", "~": "~", "^": "^", "=": "="}
_KINDS = "".join(_KIND_OF)
_MARK_RUN = re.compile(r"\\.|([" + re.escape(_KINDS) + r"])\1*", re.S)
_HEADING = re.compile("#")  # Python-Markdown's: a '#' first on the line
_LIST_ITEM = re.compile(r"[ ]*([-*+]|\d+\.)[ ]")  # Python-Markdown's list item (no '1)')
_BREAK = "  \n"
_SETEXT = re.compile(r"[=-]+[ ]*$")  # under the first line of a block, it makes that line a heading
_SPACE = " \n"  # (tabs are spaces by now; any other character could be read as text next to a mark)


def emphasis_depth(text: str, *, exact: bool = False) -> tuple[int, int]:
    """How deep emphasis could nest in normalised ``text`` (an upper bound),
    and the number of the line where it could be deepest (0 when it is 0).

    A text with too few marks to pass the limit is not read (the answer is
    then 0) unless ``exact``."""
    if not exact and sum(map(text.count, _KINDS)) <= 2 * MAX_EMPHASIS:  # each level takes a mark on each side
        return 0, 0
    deepest = deepest_line = 0
    for first_line, segment in _segments(text):
        depth, offset = _deepest_point(segment)
        if depth > deepest:
            deepest, deepest_line = depth, first_line + segment.count("\n", 0, offset)
    return deepest, deepest_line


def _segments(text: str) -> list[tuple[int, str]]:
    """The stretches of ``text`` that inline marks can pair across, each with its first line's number."""
    segments: list[tuple[int, str]] = []
    block: list[str] = []  # the lines of the current stretch
    block_start = 0  # the number of its first line
    marker = ""  # in a block that starts with a list item: "-" (bullets) or "1" (numbers); in a table "|"
    for number, line in enumerate(text.split("\n"), 1):
        item = _LIST_ITEM.match(line)
        # (With sane_lists, an item of the other kind continues the item before it.)
        new_item = item is not None and marker == _marker_kind(item.group(1))
        # (Python-Markdown makes a line of spaces empty only after a line break: not the first line.)
        blank = number > 1 and not line.strip(" ")
        heading = _HEADING.match(line) is not None
        if _SETEXT.match(line) and len(block) == 1 and block[0].strip(" "):  # (the underline of the first line: no marks pair across it)
            segments.append((block_start, "\n".join(block)))
            block, marker = [], ""
            continue
        if blank or heading or new_item:
            if block:
                segments.append((block_start, "\n".join(block)))
            block = []
        if blank or heading:
            marker = ""
            if not blank:  # a heading is a stretch of its own
                segments.append((number, line))
            continue
        if not block:
            block_start = number
            if not marker and item is not None:
                marker = _marker_kind(item.group(1))
        block.append(line)
        if not marker and len(block) == 2 and _is_table(block):
            marker = "|"  # each row is a stretch of its own
        if marker == "|":
            segments.append((block_start, "\n".join(block)))
            block = []
    if block:
        segments.append((block_start, "\n".join(block)))
    return segments


def _is_table(block: list[str]) -> bool:
    """Whether the tables extension reads a block that starts with these two lines as a table.

    Only when it is sure: a header with a backslash or a backtick (where a
    '|' may not divide cells) reads as no table, which keeps the bound."""
    header, rule = (line.strip(" ") for line in block)
    if "\\" in header or "`" in header or "-" not in rule or not set(rule) <= set("|:- "):
        return False
    border = header.startswith("|") or header.endswith("|")  # a header with a border: each row's are cut off
    cells = len(_cells(header, border))
    return cells > 1 and len(_cells(rule, border)) == cells


def _cells(row: str, border: bool) -> list[str]:
    if border:
        row = row.removeprefix("|").removesuffix("|")
    return row.split("|")


def _marker_kind(marker: str) -> str:
    return "1" if marker[-1] == "." else "-"


def _deepest_point(segment: str) -> tuple[int, int]:
    """The largest bound on nesting at any point of ``segment``, and where."""
    runs = []  # (where, kind, marks that can start emphasis, marks that can end it)
    closing = dict.fromkeys(_KIND_OF.values(), 0)  # marks that can end emphasis, after the point
    for m in _MARK_RUN.finditer(segment):
        kind = m.group(1)
        if kind is None:  # an escaped character
            continue
        start, end = m.span()
        if kind == "=" and end - start == 1:  # marks are '==' (a single '=' is text)
            continue
        # A hard line break ('  ' at the end of a line) is a placeholder by then, which is not a space.
        opens = end - start if (end < len(segment) and segment[end] not in _SPACE) or segment.startswith(_BREAK, end) else 0
        closes = end - start if (start > 0 and segment[start - 1] not in _SPACE) or segment.endswith(_BREAK, 0, start) else 0
        kind = _KIND_OF[kind]
        runs.append((start, kind, opens, closes))
        closing[kind] += closes
    opening = dict.fromkeys(_KIND_OF.values(), 0)  # marks that can start emphasis, before the point
    deepest = where = 0
    for start, kind, opens, closes in runs:  # the point just after each run
        opening[kind] += opens
        closing[kind] -= closes
        depth = sum(min(opening[k], closing[k]) for k in opening)
        if depth > deepest:
            deepest, where = depth, start
    return deepest, where
