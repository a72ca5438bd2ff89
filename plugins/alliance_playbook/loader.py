"""Safe YAML loading that keeps a source position for every value.

PyYAML's ``safe_load`` accepts duplicate keys (the last wins) and expands
aliases, and its constructed values forget where they came from. We compose
the node tree instead (with the C parser when it is available) and build
plain Python values from it ourselves, refusing anything that is not plain
data: object tags, aliases, merge keys, complex keys and duplicate keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Problem, printable, quoted
from .sourcemap import Loc, SourceMap, format_loc, mark

try:  # the C parser is many times faster; fall back when libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


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


@dataclass
class LoadedFile:
    """A parsed file: its plain data, where each value was written, and the
    problems found in its values (refused values are None in ``data``)."""

    path: str
    data: Any
    source: SourceMap
    problems: list[Problem]


#: How deep mappings and lists may nest. The deepest contract field is four
#: levels down (a worksheet's scale labels); 32 leaves room and keeps the
#: builder's recursion far from Python's limit.
MAX_DEPTH = 32
#: The largest YAML file read (bytes). A case with every field at its limit
#: is well under this; anything bigger is a mistake or an attack.
MAX_FILE_BYTES = 1_000_000

# YAML 1.1 (PyYAML) reads these plain scalars as numbers nobody meant:
# 010 is 8 (octal), 0x1F is 31, 0b11 is 3, 3:1 is 181 and 1:30 is 90 (base 60).
_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
_HEX_OR_BINARY = re.compile(r"^[-+]?0[xXbB][0-9a-fA-F_]+$")
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
# ... and read these, which YAML 1.2 (and everyone) reads as numbers, as text.
_SCIENTIFIC = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+$")


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.alias_seen = False
        self.depth = 0

    def fail(self, node: yaml.Node, loc: Loc, message: str) -> None:
        """Record a problem at ``node``'s position, for the field at ``loc``."""
        line, col = mark(node)
        self.problems.append(Problem(self.path, line, col, format_loc(loc), message))

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        """The plain value of ``node``: text, numbers, dates, lists and mappings.
        A refused value (a tag, nesting too deep, an alias) becomes None."""
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
        if len(loc) >= MAX_DEPTH:
            self.fail(node, loc, f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; no field needs that many")
            return None
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
        """The value of a scalar node; a plain number goes through
        :meth:`plain_number` first, since YAML 1.1 misreads some."""
        if node.tag == "!":  # a non-plain scalar with no tag is text
            node.tag = _TAG + "str"
        construct = _SCALARS.get(node.tag)
        if construct is None:
            self.fail(node, loc, f"the tag '{_short_tag(node.tag)}' is not allowed here")
            return None
        if not node.style and node.value[:1] in _NUMBER_STARTS and node.tag in (_TAG + "int", _TAG + "float", _TAG + "str"):
            number = self.plain_number(node, loc)
            if number is not _NOT_A_NUMBER:
                return number
        try:
            return construct(node)
        except ValueError as exc:
            if "digits" in str(exc):  # Python's limit on converting huge integers
                self.fail(node, loc, f"the number {quoted(node.value)} has {len(node.value):,} digits; numbers up to a million billion (1e15) are allowed")
            else:
                self.fail(node, loc, f"cannot read the value {quoted(node.value)}: {printable(str(exc))}")
            return None
        except (yaml.YAMLError, OverflowError) as exc:
            self.fail(node, loc, f"cannot read the value {quoted(node.value)}: {printable(str(exc))}")
            return None

    def plain_number(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        """Read an unquoted number as people mean it, not as YAML 1.1 does:
        refuse octal, hex, binary and base-60 forms (saying what they became),
        accept scientific notation. Anything else: ``_NOT_A_NUMBER``."""
        raw = node.value
        if node.tag == _TAG + "str":
            if _SCIENTIFIC.fullmatch(raw):
                value = float(raw)
                if value != value or value in (float("inf"), float("-inf")):
                    self.fail(node, loc, f"the number {quoted(raw)} is too large to use; write a smaller one")
                    return None
                return value
            return _NOT_A_NUMBER
        reading = None
        if node.tag == _TAG + "int" and _OCTAL.fullmatch(raw) and raw.strip("+-0_"):
            reading = f"YAML reads {raw} as the octal number {_read_int(node)}: write it without the leading 0 ({int(raw.replace('_', ''), 10)})"
        elif node.tag == _TAG + "int" and _HEX_OR_BINARY.fullmatch(raw):
            base = "hexadecimal" if raw.lstrip("+-")[1] in "xX" else "binary"
            reading = f"YAML reads {raw} as the {base} number {_read_int(node)}: write {_read_int(node)} if you mean that number"
        elif _SEXAGESIMAL.fullmatch(raw):
            number = _read_int(node) if node.tag == _TAG + "int" else _CONSTRUCTOR.construct_yaml_float(node)
            reading = f"YAML reads {raw} as the base-60 number {number}"
        if reading is None:
            return _NOT_A_NUMBER
        self.fail(node, loc, f"{reading}; if it is text (a ratio, a time), put it in quotes: \"{raw}\"")
        return None

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        """The keys and values of a mapping node; merge keys, complex, non-text
        and duplicate keys are refused, and a number key is kept as its text."""
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
                self.fail(key_node, loc, f"the key {quoted(key_node.value)} must be text; put it in quotes")
                continue
            # Keys are names: 1 and "1" are the same key (a scale's labels
            # read their numbers back from the text).
            key = key_node.value if isinstance(key, int) else key
            if key in first_seen:
                self.fail(key_node, loc + (key,), f"duplicate key {quoted(key)} (first given on line {first_seen[key]}); keep only one")
                continue
            first_seen[key] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, loc + (key,))
        return result


_NOT_A_NUMBER = object()
_NUMBER_STARTS = frozenset("0123456789+-.")


def _read_int(node: yaml.ScalarNode) -> int:
    return _CONSTRUCTOR.construct_yaml_int(node)


def _alias_problem(text: str, path: str) -> Problem:
    """Where the first alias is used (only parsed when there is one)."""
    line = col = 1
    count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            if count == 0 and event.start_mark is not None:
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


def load_yaml_text(raw: bytes | str, path: str, strict: bool = True) -> LoadedFile:
    """Parse one YAML document.

    A file that cannot be parsed raises ContentError. Refused values (tags,
    aliases, duplicate keys, numbers YAML 1.1 rewrites) raise it too when
    ``strict``; otherwise they are listed in the result's ``problems``, so the
    rest of the file can still be checked in the same run."""
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
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (an escape byte, a NUL): say where.
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        raise ContentError([Problem(path, line, col, "", f"the character U+{exc.character:04X} is not allowed in YAML (an invisible control character); remove it"
                                    if isinstance(exc.character, int) else "a character here is not allowed in YAML; remove it")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(path, 1, 1, "", f"YAML error: {printable(str(exc))}")]) from None
    if node is None:
        raise ContentError([Problem(path, 1, 1, "", "the file is empty; it needs at least the required fields")])
    builder = _Builder(path)
    data = builder.build(node, ())
    if builder.alias_seen:
        builder.problems.append(_alias_problem(text, path))
    if builder.problems and strict:
        raise ContentError(builder.problems)
    return LoadedFile(path, data, SourceMap(path, node, text, _compose), builder.problems)


def _compose(text: str) -> yaml.Node | None:
    """The node tree of a text that loaded before (for a released SourceMap)."""
    return yaml.compose(text, Loader=_Loader)


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


def load_yaml_file(path: Path, display: str | None = None, strict: bool = True) -> LoadedFile:
    """Read and parse ``path``; ``display`` is the path shown in messages."""
    shown = display or str(path)
    return load_yaml_text(read_file_bytes(path, shown), shown, strict)


def read_file_bytes(path: Path, shown: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a content file, refused (ContentError) when unreadable or
    larger than ``limit``; a file is never half read."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ContentError([Problem(shown, 1, 1, "", f"the file is {_size(size)}; at most {_size(limit)} are allowed (split it, or move long text to a guide page)")])
        with path.open("rb") as handle:
            # As much as the file holds and one byte more (to see it grew),
            # not ``limit`` bytes: a buffer that large is allocated per read.
            raw = handle.read(size + 1)
            if len(raw) > size:
                raw += handle.read(limit + 1 - len(raw))
    except OSError as exc:
        raise ContentError([Problem(shown, 1, 1, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    if len(raw) > limit:  # it grew while being read, or is a device: refuse it the same way
        raise ContentError([Problem(shown, 1, 1, "", f"the file is larger than {_size(limit)}, the most allowed")])
    return raw


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.0f} kB"

