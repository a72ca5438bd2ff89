"""Codes from standards: ISO 3166-1 countries and BCP 47 languages, checked
against the real lists (pycountry), with the closest code in the message."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..errors import quoted
from .types import describe


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
        "language_code", "{value} is not a language code such as en, fr, es or ja (BCP 47){hint}", {"value": quoted(value), "hint": hint}
    )


Language = Annotated[
    str,
    PlainValidator(_language),
    WithJsonSchema({"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "description": "BCP 47 language code"}),
]
