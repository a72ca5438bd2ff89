"""Safe YAML loading that keeps a source position for every value.

PyYAML's ``safe_load`` accepts duplicate keys (the last wins) and expands
aliases, and its constructed values forget where they came from. We compose
the node tree instead (with the C parser when it is available) and build
plain Python values from it ourselves, refusing anything that is not plain
data: object tags, aliases, merge keys, complex keys and duplicate keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import yaml

from .errors import ContentError, Problem

try:  # the C parser is many times faster; fall back when libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[Union[str, int], ...]

_TAG = "tag:yaml.org,2002:"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# Scalar constructors by tag, called directly (construct_object's bookkeeping
# for recursive structures is not needed for a scalar).
_SCALARS = {
    _TAG + "str": lambda node: node.value,
    _TAG + "int": _CONSTRUCTOR.construct_yaml_int,
    _TAG + "float": _CONSTRUCTOR.construct_yaml_float,
    _TAG + "bool": _CONSTRUCTOR.construct_yaml_bool,
    _TAG + "null": _CONSTRUCTOR.construct_yaml_null,
    _TAG + "timestamp": _CONSTRUCTOR.construct_yaml_timestamp,
}


class SourceMap:
    """Where each value of a file was written (1-based line and column).

    Positions are looked up in the composed node tree only when a problem is
    reported: reading a mark for every value up front cost more than loading
    and validating the file.
    """

    def __init__(self, path: str, root: yaml.Node | None = None):
        self.path = path
        self.root = root

    def _walk(self, loc: Loc) -> tuple[yaml.Node | None, yaml.Node | None, bool]:
        """(deepest value node, its key node, whether all of ``loc`` was found)."""
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
        return _mark(target) if target is not None else (1, 1)

    def has(self, loc: Loc) -> bool:
        return self._walk(tuple(loc))[2]

    def raw(self, loc: Loc) -> str:
        """The text of a plain (unquoted) scalar as written, else ''."""
        node, _key, complete = self._walk(tuple(loc))
        if complete and isinstance(node, yaml.ScalarNode) and not node.style:
            return node.value
        return ""

    def problem(self, loc: Loc, message: str, key: bool = False, severity: str = "error") -> Problem:
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


@dataclass
class LoadedFile:
    path: str
    data: Any
    source: SourceMap


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.alias_seen = False

    def fail(self, node: yaml.Node, loc: Loc, message: str) -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.path, line, col, format_loc(loc), message))

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        if id(node) in self.seen:
            # The composer hands back the very same node for an alias; its
            # mark is the anchor's, so the alias itself is located later.
            self.alias_seen = True
            return None
        self.seen.add(id(node))
        if node.tag.startswith("tag:yaml.org,2002:python") or not node.tag.startswith(_TAG) and node.tag != "!":
            self.fail(node, loc, f"the tag '{_short_tag(node.tag)}' is not allowed: only plain text, numbers, dates, lists and mappings")
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self.fail(node, loc, f"the tag '{_short_tag(node.tag)}' is not allowed here")
                return None
            return [self.build(child, loc + (i,)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _TAG + "map":
                self.fail(node, loc, f"the tag '{_short_tag(node.tag)}' is not allowed here")
                return None
            return self.mapping(node, loc)
        self.fail(node, loc, "unsupported YAML node")  # pragma: no cover
        return None

    def scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        if node.tag == "!":  # a non-plain scalar with no tag is text
            node.tag = _TAG + "str"
        construct = _SCALARS.get(node.tag)
        if construct is None:
            self.fail(node, loc, f"the tag '{_short_tag(node.tag)}' is not allowed here")
            return None
        try:
            return construct(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.fail(node, loc, f"cannot read the value {node.value!r}: {exc}")
            return None

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.fail(key_node, loc, "merge keys (<<) are not allowed; write the keys out in full")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, loc, "complex keys (a list or mapping used as a key) are not allowed")
                continue
            key = self.scalar(key_node, loc + ("<key>",))
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                self.fail(key_node, loc, f"the key {key_node.value!r} must be text; put it in quotes")
                continue
            if key in first_seen:
                self.fail(key_node, loc + (key,), f"duplicate key '{key}' (first given on line {first_seen[key]}); keep only one")
                continue
            first_seen[key] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, loc + (key,))
        return result


def _alias_problem(text: str, path: str) -> Problem:
    """Where the first alias is used (only parsed when there is one)."""
    line = col = 1
    count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            if count == 0:
                line, col = event.start_mark.line + 1, event.start_mark.column + 1
            count += 1
    more = f" ({count} aliases in this file)" if count > 1 else ""
    return Problem(path, line, col, "", f"aliases (*name) are not allowed; write the value out in full{more}")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _decode(raw: bytes, path: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ContentError([Problem(path, line, col, "", f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8")]) from None
    return text[1:] if text.startswith("\ufeff") else text


def load_yaml_text(raw: bytes | str, path: str) -> LoadedFile:
    """Parse one YAML document; raise ContentError listing every problem."""
    text = _decode(raw, path) if isinstance(raw, bytes) else raw
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # where the unclosed quote or bracket began
            line, col = mark.line + 1, mark.column + 1
        message = " ".join(filter(None, [exc.problem, exc.context and f"({exc.context})"]))
        message = _explain_syntax(message or "invalid YAML", text, line)
        raise ContentError([Problem(path, line, col, "", f"YAML syntax error: {message}")]) from None
    except yaml.YAMLError as exc:
        line = getattr(exc, "position", None)
        raise ContentError([Problem(path, 1, 1, "", f"YAML error: {exc}")]) from None
    if node is None:
        raise ContentError([Problem(path, 1, 1, "", "the file is empty; it needs at least the required fields")])
    builder = _Builder(path)
    data = builder.build(node, ())
    if builder.alias_seen:
        builder.problems.append(_alias_problem(text, path))
    if builder.problems:
        raise ContentError(builder.problems)
    return LoadedFile(path, data, SourceMap(path, node))


def _explain_syntax(message: str, text: str, line: int) -> str:
    """Add a hint for the mistakes people make most in a browser editor."""
    lines = text.splitlines()
    current = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in current or "found character '\\t'" in message:
        return message + "; indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return message + "; check the indentation of this line against the one above, or put a value that contains ': ' in quotes"
    if "could not find expected ':'" in message or "expected <block end>" in message:
        return message + "; check the indentation of this line and the one before, and that quotes are closed"
    if "found unexpected end of stream" in message or "while scanning a quoted scalar" in message:
        return message + "; a quote is opened but never closed"
    return message


def load_yaml_file(path: Path, display: str | None = None) -> LoadedFile:
    """Read and parse ``path``; ``display`` is the path shown in messages."""
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(shown, 1, 1, "", f"cannot read the file: {exc.strerror}")]) from None
    return load_yaml_text(raw, shown)
