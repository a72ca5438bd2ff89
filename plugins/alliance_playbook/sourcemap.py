"""Where each value of a YAML file was written, looked up when a problem is reported."""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

from .errors import Problem

Loc = tuple[str | int, ...]


class SourceMap:
    """Where each value of a file was written (1-based line and column).

    Positions are looked up in the composed node tree only when a problem is
    reported: reading a mark for every value up front cost more than loading
    and validating the file. Once the project is loaded the tree is let go
    (:meth:`release`: it is most of the memory a load takes, 68 MB at 1,000
    case studies) and composed again from the text if a later problem needs it.
    """

    def __init__(self, path: str, root: yaml.Node | None = None, text: str = "",
                 compose: Callable[[str], yaml.Node | None] | None = None):
        self.path = path
        self.root = root
        self.text = text
        self._compose = compose

    def release(self) -> None:
        """Let the node tree go; it is composed again from the text when asked for."""
        if self._compose is not None and self.text:
            self.root = None

    def _walk(self, loc: Loc) -> tuple[yaml.Node | None, yaml.Node | None, bool]:
        """(deepest value node, its key node, whether all of ``loc`` was found)."""
        if self.root is None and self._compose is not None and self.text:
            self.root = self._compose(self.text)
        node, key_node = self.root, None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                wanted = str(part)
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == wanted:
                        node, key_node = v, k
                        break
                else:
                    return node, key_node, False
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node, key_node = node.value[part], None
            else:
                return node, key_node, False
        return node, key_node, True

    def where(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        """The position of ``loc``, or of its closest enclosing value."""
        node, key_node, complete = self._walk(tuple(loc))
        target = key_node if key and complete and key_node is not None else node
        return mark(target) if target is not None else (1, 1)

    def has(self, loc: Loc) -> bool:
        """Whether all of ``loc`` is written in the file."""
        return self._walk(tuple(loc))[2]

    def found(self, loc: Loc) -> Loc:
        """The longest part of ``loc`` that is written in the file (a lesson
        written as a plain id has no ``.lesson`` key of its own)."""
        loc = tuple(loc)
        while loc and not self.has(loc):
            loc = loc[:-1]
        return loc

    def find(self, loc: Loc, pattern: re.Pattern[str], nth: int = 0) -> tuple[int, int] | None:
        """Where the ``nth`` match of ``pattern`` lies inside the value at
        ``loc`` as written in the file (1-based line and column), so a link
        inside a folded or quoted scalar is reported where it really is."""
        node, _key, complete = self._walk(tuple(loc))
        if not complete or node is None or not self.text:
            return None
        lines = self.text.split("\n")
        start, end = node.start_mark, node.end_mark
        seen = 0
        for number in range(start.line, min(end.line, len(lines) - 1) + 1):
            line = lines[number]
            first = start.column if number == start.line else 0
            last = end.column if number == end.line else len(line)
            for match in pattern.finditer(line, first, max(first, last)):
                if seen == nth:
                    return number + 1, match.start() + 1
                seen += 1
        return None

    def raw(self, loc: Loc) -> str:
        """The text of a plain (unquoted) scalar as written, else ''."""
        node, _key, complete = self._walk(tuple(loc))
        if complete and isinstance(node, yaml.ScalarNode) and not node.style:
            return str(node.value)
        return ""

    def problem(self, loc: Loc, message: str, key: bool = False, severity: str = "error") -> Problem:
        """A problem for the field at ``loc``, placed at its value (at its key with ``key``)."""
        line, col = self.where(loc, key=key)
        return Problem(self.path, line, col, format_loc(loc), message, severity)


def format_loc(loc: Loc) -> str:
    """``('partners', 1, 'type')`` -> ``partners[1].type``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def mark(node: yaml.Node) -> tuple[int, int]:
    """A node's 1-based line and column."""
    return node.start_mark.line + 1, node.start_mark.column + 1
