"""Checks that read a file's raw data: references, wiki links, Markdown links.

They run on every file that could be parsed, whether or not it passed the
schema, so one run reports a broken reference next to a typo in the same
file. What a field is (an id of some kind, a Markdown text) is read from the
model's own annotations (``RefTo``, ``MarkdownLimit``): a new reference field
is checked by writing ``LessonId`` in the model, nowhere else.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, BeforeValidator

from .errors import Problem, did_you_mean, quoted
from .markdown_checks import markdown_problems
from .model.text import MarkdownLimit
from .model.types import RefTo
from .sourcemap import Loc, SourceMap


@dataclass(frozen=True)
class Marked:
    """A value in a file that a cross-file check reads."""

    loc: Loc
    value: Any
    ref: str | None = None  # the kind it names, for ids
    markdown: bool = False


@dataclass
class _Shape:
    """What an annotation holds, with the wrappers taken off."""

    markers: tuple[Any, ...] = ()
    model: type[BaseModel] | None = None
    item: _Shape | None = None  # for lists
    before: tuple[Callable[[Any], Any], ...] = ()

    @property
    def marked(self) -> bool:
        """Whether anything in this shape is read by the checks."""
        if any(isinstance(m, (RefTo, MarkdownLimit)) for m in self.markers):
            return True
        if self.item is not None:
            return self.item.marked
        return self.model is not None and bool(_fields(self.model))  # noqa: SIM103


def _shape(annotation: Any) -> _Shape:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *meta = typing.get_args(annotation)
        shape = _shape(inner)
        befores: tuple[Callable[[Any], Any], ...] = tuple(m.func for m in meta if isinstance(m, BeforeValidator))  # type: ignore[misc]  # ours take one argument
        return _Shape(shape.markers + tuple(meta), shape.model, shape.item, befores + shape.before)
    if origin in (typing.Union, types.UnionType):
        found = _Shape()
        for arg in typing.get_args(annotation):
            if arg is type(None):
                continue
            part = _shape(arg)
            found = _Shape(found.markers + part.markers, found.model or part.model, found.item or part.item, found.before + part.before)
        return found
    if origin is list:
        return _Shape(item=_shape(typing.get_args(annotation)[0]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _Shape(model=annotation)
    return _Shape()


_FIELDS: dict[type[BaseModel], dict[str, tuple[str, _Shape]]] = {}


def _fields(model: type[BaseModel]) -> dict[str, tuple[str, _Shape]]:
    """The fields of ``model`` that hold something the checks read, by the
    key written in YAML: (attribute name, shape). The others are never
    walked: a case's partners and outcomes hold no ids."""
    cached = _FIELDS.get(model)
    if cached is None:
        _FIELDS[model] = {}  # a model that contains itself is walked once
        shapes = {
            (info.alias or name): (name, _shape(typing.Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation))
            for name, info in model.model_fields.items()
        }
        cached = _FIELDS[model] = {key: value for key, value in shapes.items() if value[1].marked}
    return cached


def marked_values(model: type[BaseModel], data: Any, loc: Loc = ()) -> Iterator[Marked]:
    """Every id that names another item, and every Markdown text, in the raw
    ``data`` of a ``model`` (values of the wrong shape are skipped: the
    schema check reports them)."""
    if not isinstance(data, dict):
        return
    fields = _fields(model)
    for key, value in data.items():
        found = fields.get(key)
        if found is not None:
            yield from _marked(found[1], value, loc + (key,))


@dataclass(frozen=True)
class Reference:
    """An id in a valid item that names another item."""

    field: str  # the top-level field (``lessons`` for ``lessons[2].lesson``)
    kind: str
    id: str
    holder: Any  # the object the id is written in (a LessonRef, with its note)


def references(item: BaseModel) -> Iterator[Reference]:
    """Every reference in a validated item, in the order written."""
    for _key, (name, shape) in _fields(type(item)).items():
        yield from _references(shape, getattr(item, name), name, item)


def _references(shape: _Shape, value: Any, top: str, holder: Any) -> Iterator[Reference]:
    if value is None:
        return
    if shape.item is not None:
        for entry in value:
            yield from _references(shape.item, entry, top, holder)
        return
    if shape.model is not None:
        for _key, (name, inner) in _fields(shape.model).items():
            yield from _references(inner, getattr(value, name), top, value)
        return
    for marker in shape.markers:
        if isinstance(marker, RefTo):
            yield Reference(top, marker.kind, value, holder)


def _marked(shape: _Shape, value: Any, loc: Loc) -> Iterator[Marked]:
    for convert in shape.before:  # e.g. a lesson written as a plain id
        try:
            value = convert(value)
        except Exception:  # noqa: BLE001 - a conversion of raw data; the schema reports it
            return
    if shape.item is not None:
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from _marked(shape.item, item, loc + (i,))
        return
    if shape.model is not None:
        yield from marked_values(shape.model, value, loc)
        return
    if not isinstance(value, str):
        return
    for marker in shape.markers:
        if isinstance(marker, RefTo):
            yield Marked(loc, value, ref=marker.kind)
        elif isinstance(marker, MarkdownLimit):
            yield Marked(loc, value, markdown=True)


@dataclass
class Known:
    """The ids that exist, by kind (every file with a valid name, valid or
    not: a reference to a file with a typo in it is not a broken reference)."""

    ids: Mapping[str, Mapping[str, str]]  # kind -> id -> file
    nouns: Mapping[str, str]  # kind -> how a person calls one ("case study")
    #: Items that exist but are not built (draft case studies), by kind.
    hidden: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def signature(self) -> int:
        """A hash of what a reference is checked against: a file's problems
        stay the same while its bytes and this do."""
        return hash((tuple((kind, tuple(ids)) for kind, ids in self.ids.items()), tuple(self.nouns.items()),
                     tuple((kind, tuple(sorted(ids))) for kind, ids in self.hidden.items())))

    def problem(self, kind: str, id_: str, *, link: bool) -> str | None:
        """Why ``kind:id_`` cannot be linked to, or None."""
        if kind not in self.nouns:
            kinds = list(self.nouns)
            return f"{quoted(kind)} is not a link kind{did_you_mean(kind, kinds)} (kinds: {', '.join(kinds)})"
        table = self.ids.get(kind, {})
        if id_ not in table:
            noun = self.nouns[kind]
            hint = did_you_mean(id_, table) or (f"; known {noun}s: {', '.join(list(table)[:8])}" if table and not link else "")
            if not table and not link:
                hint = f"; there are no {noun}s yet"
            return f"there is no {noun if not link else kind} {quoted(id_)}{hint}"
        if id_ in self.hidden.get(kind, ()):
            return f"{quoted(id_)} is a draft {self.nouns[kind]}: drafts are left out of the site, so this link would be dead"
        return None


def reference_problems(model: type[BaseModel], data: Any, source: SourceMap, known: Known, prefix: Loc = ()) -> list[Problem]:
    """Broken references and links in one file's raw data."""
    problems: list[Problem] = []
    seen_in_list: dict[Loc, set[str]] = {}
    for item in marked_values(model, data, prefix):
        if item.ref is not None:
            parent = _list_of(item.loc)
            if parent is not None:
                listed = seen_in_list.setdefault(parent, set())
                if item.value in listed:
                    problems.append(source.problem(source.found(item.loc), f"{quoted(item.value)} is listed twice"))
                listed.add(item.value)
            message = known.problem(item.ref, item.value, link=False)
            if message:
                problems.append(source.problem(source.found(item.loc), message))
        elif item.markdown:
            problems.extend(markdown_problems(item.value, item.loc, source, known))
    return problems


def _list_of(loc: Loc) -> Loc | None:
    """The list an id sits in (``steps`` for ``steps[2]`` and for
    ``lessons[0].lesson``), or None for a single id."""
    if loc and isinstance(loc[-1], int):
        return loc[:-1]
    if len(loc) >= 2 and isinstance(loc[-2], int):
        return loc[:-2]
    return None
