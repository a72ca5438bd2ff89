"""Field types shared by every kind: text, Markdown, ids, dates, URLs, enums.

Each type validates *and* describes itself in the JSON Schema, so the schema
shipped for editors and the checks run by ``alliance check`` cannot drift.
Error messages are written for someone editing YAML in a browser.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

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


PLACEHOLDER = "..."
#: Default limits (characters). Every text field has one, so no single value
#: can swell a page (a title is printed in every page's navigation).
TEXT_MAX = 500
MARKDOWN_MAX = 20_000
#: Control characters other than tab and newline: never meant, and they
#: garble terminals, print as empty boxes and break CSV and JSON readers.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Bidirectional overrides, embeddings and isolates: they make text display
#: in another order than it is stored (a spoofing tool); right-to-left text
#: needs none of them.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: What shows nothing: spaces, format characters (zero-width, joiners, marks)
#: and the blank fillers of some scripts. A text of only these is empty.
_INVISIBLE = re.compile("[\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0]+")
_COMMENT = re.compile(r"<!--.*?(-->|$)", re.S)


def same_words(text: str) -> str:
    """A key under which texts that read the same are equal: case, spacing
    and invisible characters left out (for tags)."""
    return " ".join(_INVISIBLE.sub(" ", text).casefold().split())


def visible(text: str, markdown: bool = False) -> bool:
    """Whether ``text`` shows anything (a Markdown comment shows nothing)."""
    if markdown and "<!--" in text:
        text = _COMMENT.sub("", text)
    return bool(_INVISIBLE.sub("", text).replace("&nbsp;", ""))


def _checked_text(value: Any, max_length: int, markdown: bool) -> str:
    """The checks every text and Markdown field shares, with messages for people."""
    if not isinstance(value, str):
        raise PydanticCustomError("text_type", "expected text, got {got}", {"got": describe(value)})
    stripped = value.strip()
    if not stripped:
        raise PydanticCustomError("text_empty", "must contain text; it is empty or only spaces")
    if not visible(stripped, markdown):
        raise PydanticCustomError("text_empty", "must contain text that shows; it has only spaces, invisible characters or comments")
    if stripped == PLACEHOLDER:
        raise PydanticCustomError("placeholder", "replace the placeholder '...' with your text")
    control = _CONTROL.search(value)
    if control:
        raise PydanticCustomError(
            "text_control", "contains the control character U+{code} (invisible, and it garbles pages and files); remove it",
            {"code": f"{ord(control.group()):04X}"},
        )
    bidi = _BIDI.search(value)
    if bidi:
        raise PydanticCustomError(
            "text_control", "contains the bidirectional control U+{code}, which shows text in another order than it is written; remove it",
            {"code": f"{ord(bidi.group()):04X}"},
        )
    if len(stripped) > max_length:
        raise PydanticCustomError(
            "text_too_long", "is {n} characters long; at most {max} are allowed{hint}",
            {"n": f"{len(stripped):,}", "max": f"{max_length:,}",
             "hint": "; split it, or move detail into a Markdown field" if not markdown else "; split the text, or link to a longer source"},
        )
    return stripped if not markdown else value.rstrip()


def text(max_length: int = TEXT_MAX) -> Any:
    """Plain text of 1..``max_length`` characters (surrounding spaces removed)."""
    return Annotated[
        str,
        PlainValidator(lambda v: _checked_text(v, max_length, markdown=False)),
        WithJsonSchema({"type": "string", "minLength": 1, "maxLength": max_length, "pattern": r"\S"}),
    ]


def markdown(max_length: int = MARKDOWN_MAX) -> Any:
    """Markdown of 1..``max_length`` characters; raw HTML in it is removed when rendered."""
    return Annotated[
        str,
        PlainValidator(lambda v: _checked_text(v, max_length, markdown=True)),
        WithJsonSchema({"type": "string", "minLength": 1, "maxLength": max_length, "pattern": r"\S", "contentMediaType": "text/markdown"}),
        MarkdownField(),
    ]


class MarkdownField:
    """Marks a field as Markdown, for the checks that read its links."""

    def __repr__(self) -> str:
        return "MarkdownField()"


class RefTo:
    """Marks an id field as a reference to an item of ``kind`` (checked across files)."""

    def __init__(self, kind: str):
        self.kind = kind

    def __repr__(self) -> str:
        return f"RefTo({self.kind!r})"


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


Text = text()
Markdown = markdown()
Id = Annotated[str, PlainValidator(_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "maxLength": ID_MAX})]


def ref(kind: str) -> Any:
    """An id that names an item of ``kind`` (``case``, ``step``, ``phase``, ``lesson``, ``worksheet``)."""
    return Annotated[Id, RefTo(kind)]


def slugify(value: str, max_length: int = ID_MAX) -> str:
    """An id made from any text: ``"Rate influence (1-5)"`` -> ``rate-influence-1-5``."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
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


@lru_cache(maxsize=1)
def country_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> English short name (from pycountry)."""
    import pycountry

    return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


def _country(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("text_type", "expected a two-letter country code, got {got}", {"got": describe(value)})
    codes = country_codes()
    if value in codes:
        return value
    hint = ""
    if value.upper() in codes:
        hint = f"; did you mean '{value.upper()}'?"
    else:
        import pycountry

        try:
            hit = pycountry.countries.lookup(value.strip())
        except LookupError:
            hit = None
        if hit is not None:
            hint = f"; did you mean '{hit.alpha_2}' ({codes[hit.alpha_2]})?"
    raise PydanticCustomError(
        "country_code",
        "'{value}' is not an ISO 3166-1 alpha-2 country code (two capital letters, such as NL or KE){hint}",
        {"value": value, "hint": hint},
    )


Country = Annotated[
    str,
    PlainValidator(_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 country code"}),
]


_LANG = re.compile(r"^([a-z]{2,3})(-[A-Za-z0-9]{2,8})*$")


def _language(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("text_type", "expected a language code, got {got}", {"got": describe(value)})
    match = _LANG.fullmatch(value)
    if match:
        import pycountry

        primary = match.group(1)
        if pycountry.languages.get(alpha_2=primary) or pycountry.languages.get(alpha_3=primary):
            return value
    hint = ""
    try:
        import pycountry

        hit = pycountry.languages.lookup(value.strip())
        code = getattr(hit, "alpha_2", None) or hit.alpha_3
        hint = f"; did you mean '{code}' ({hit.name})?"
    except LookupError:
        pass
    raise PydanticCustomError(
        "language_code", "'{value}' is not a language code such as en, fr, es or ja (BCP 47){hint}", {"value": value, "hint": hint}
    )


Language = Annotated[
    str,
    PlainValidator(_language),
    WithJsonSchema({"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "description": "BCP 47 language code"}),
]


def enum_type(enum: type[StrEnum]) -> Any:
    """A built-in enum, with a did-you-mean for spelling variants."""
    noun = ENUM_NOUNS.get(enum.__name__, enum.__name__)
    values = [m.value for m in enum]

    def check(value: Any) -> str:
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
        raise PydanticCustomError("enum_value", "'{value}' is not a {noun}{hint}", {"value": value, "noun": noun, "hint": hint})

    return Annotated[str, PlainValidator(check), WithJsonSchema({"type": "string", "enum": values, "title": noun.capitalize()})]


def strict_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise PydanticCustomError("bool_type", "expected true or false, got {got}", {"got": describe(value)})


Bool = Annotated[bool, PlainValidator(strict_bool), WithJsonSchema({"type": "boolean"})]


def _int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("int_type", "expected a whole number, got {got}", {"got": describe(value)})


Int = Annotated[int, PlainValidator(_int), WithJsonSchema({"type": "integer"})]
