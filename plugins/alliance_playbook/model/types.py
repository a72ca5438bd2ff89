"""Field types shared by every kind: ids and references, dates, URLs,
countries, languages, enums, numbers (text and Markdown: :mod:`.text`).

Each type validates *and* describes itself in the JSON Schema, so the schema
shipped for editors and the checks run by ``alliance check`` cannot drift.
Error messages are written for someone editing YAML in a browser.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, PlainValidator, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from ..errors import allowed_list, did_you_mean, normalise_token, quoted
from .enums import ENUM_NOUNS

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
ID_MAX = 64


def describe(value: Any) -> str:
    """How a YAML value reads to a person: ``the number 12``, ``a list``."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, (int, float)):
        text = f"{value:.6g}" if isinstance(value, int) and abs(value) >= 10**15 else str(value)
        return f"the number {text}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the text {quoted(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _id(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("text_type", "expected an id, got {got}", {"got": describe(value)})
    if len(value) > ID_MAX or not ID_RE.fullmatch(value):
        fixed = slugify(value)
        hint = f"; did you mean '{fixed}'?" if fixed and fixed != value else ""
        raise PydanticCustomError(
            "id_syntax",
            "{value} is not a valid id: use lower-case letters, digits and single hyphens, at most 64 characters{hint}",
            {"value": quoted(value), "hint": hint},
        )
    return value


_ID_SCHEMA = {"type": "string", "pattern": ID_PATTERN, "maxLength": ID_MAX}
Id = Annotated[str, PlainValidator(_id), WithJsonSchema(_ID_SCHEMA)]


class Rule:
    """An annotation that validates a value with :meth:`check` and describes
    it with :meth:`schema` (``Annotated[str, SomeRule(...)]``): readable by
    type checkers and IDEs, and one source for the checks and the JSON Schema."""

    def check(self, value: Any) -> Any:
        """The value, validated and cleaned; raises ``PydanticCustomError`` with a readable message."""
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of a valid value."""
        raise NotImplementedError

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(self.check)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return dict(self.schema())


class RefTo(Rule):
    """An id that names an item of ``kind`` (checked across files: :mod:`..checks`)."""

    def __init__(self, kind: str):
        self.kind = kind

    def check(self, value: Any) -> str:
        return _id(value)

    def schema(self) -> dict[str, Any]:
        return _ID_SCHEMA

    def __repr__(self) -> str:
        return f"RefTo({self.kind!r})"


CaseId = Annotated[str, RefTo("case")]
StepId = Annotated[str, RefTo("step")]
PhaseId = Annotated[str, RefTo("phase")]
LessonId = Annotated[str, RefTo("lesson")]
WorksheetId = Annotated[str, RefTo("worksheet")]


def slugify(value: str, max_length: int | None = ID_MAX) -> str:
    """An id made from any text: ``"Rate influence (1-5)"`` -> ``rate-influence-1-5``;
    cut at a hyphen to ``max_length`` characters (None: not cut)."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if max_length is not None and len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")


#: Numbers beyond this are refused: the page computes changes and ratios,
#: which would overflow to "inf", and no indicator is that large.
NUMBER_MAX = 1e15


def _number(value: Any) -> int | float:
    if isinstance(value, str) and re.fullmatch(r"[-+]?\d{1,3}([,' ]\d{3})+(\.\d+)?", value.strip()):
        plain_number = re.sub(r"[,' ]", "", value.strip())
        raise PydanticCustomError("number_type", "expected a number, got {got}; write it without separators: {fixed}",
                                  {"got": describe(value), "fixed": plain_number})
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError("number_type", "expected a number, got {got}", {"got": describe(value)})
    if value != value or value in (float("inf"), float("-inf")):
        raise PydanticCustomError("number_type", "expected a finite number, got {got}", {"got": describe(value)})
    if abs(value) > NUMBER_MAX:
        raise PydanticCustomError("number_range", "{got} is too large: numbers up to a million billion (1e15) are allowed", {"got": describe(value)})
    return value


Number = Annotated[float | int, PlainValidator(_number), WithJsonSchema({"type": "number", "minimum": -NUMBER_MAX, "maximum": NUMBER_MAX})]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _partial_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        match = _PARTIAL_DATE.match(value.strip())
        if match:
            year, month, day = match.groups()
            try:
                dt.date(int(year), int(month or 1), int(day or 1))
            except ValueError:
                pass
            else:
                return value.strip()
    raise PydanticCustomError(
        "date_format",
        "{got} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (for example 2019 or 2019-04)",
        {"got": describe(value)},
    )


PartialDate = Annotated[
    str,
    PlainValidator(_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1000, "maximum": 9999},
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
            ],
            "description": "YYYY, YYYY-MM or YYYY-MM-DD",
        }
    ),
]


def date_key(value: str) -> tuple[int, int, int]:
    """A partial date as a sortable tuple (missing parts count as the start)."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return parts[0], parts[1], parts[2]


def _url(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("text_type", "expected a web address, got {got}", {"got": describe(value)})
    stripped = value.strip()
    scheme = stripped.split(":", 1)[0].lower() if ":" in stripped else ""
    if scheme not in ("http", "https") or not re.match(r"^https?://[^\s/?#]+\.[^\s]*$|^https?://[^\s/?#]+$", stripped, re.I):
        shown = f"'{scheme}:' links are not allowed" if scheme and scheme not in ("http", "https") else "not a full web address"
        raise PydanticCustomError(
            "url_scheme",
            "{shown}: write an address that starts with https:// or http://",
            {"shown": shown},
        )
    return stripped


Url = Annotated[str, PlainValidator(_url), WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]


class OneOf(Rule):
    """A value of a built-in enum, with a did-you-mean for spelling variants."""

    def __init__(self, enum: type[StrEnum]):
        self.noun = ENUM_NOUNS.get(enum.__name__, enum.__name__)
        self.values = [m.value for m in enum]

    def check(self, value: Any) -> str:
        values, noun = self.values, self.noun
        if isinstance(value, str) and value in values:
            return value
        if not isinstance(value, str):
            raise PydanticCustomError(
                "enum_value", "expected a {noun}, got {got}; allowed: {allowed}", {"noun": noun, "got": describe(value), "allowed": allowed_list(values)}
            )
        hint = did_you_mean(value, values)
        if not hint:
            hint = f"; allowed: {allowed_list(values)}"
        elif normalise_token(value) not in values:
            hint += f" (allowed: {allowed_list(values)})"
        raise PydanticCustomError("enum_value", "{value} is not a {noun}{hint}", {"value": quoted(value), "noun": noun, "hint": hint})

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": self.values, "title": self.noun.capitalize()}


def strict_bool(value: Any) -> bool:
    """``value`` if it is true or false; anything else (text, a number) is refused, never converted."""
    if isinstance(value, bool):
        return value
    raise PydanticCustomError("bool_type", "expected true or false, got {got}", {"got": describe(value)})


Bool = Annotated[bool, PlainValidator(strict_bool), WithJsonSchema({"type": "boolean"})]


def _int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("int_type", "expected a whole number, got {got}", {"got": describe(value)})


Int = Annotated[int, PlainValidator(_int), WithJsonSchema({"type": "integer"})]
