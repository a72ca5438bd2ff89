"""Text and Markdown fields: what every text field checks, and its limits.

A text field must contain text that shows (not only spaces, invisible
characters or comments), no control characters or bidirectional overrides,
and at most its limit of characters: every text field has one, so no single
value can swell a page (a title is printed in every page's navigation).
Markdown fields also get a structure check (:mod:`.markdown_limits`) that
keeps their conversion fast whatever they hold.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic_core import PydanticCustomError

from .markdown_limits import shape_problems
from .types import Rule, describe

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
_INVISIBLE_CHARS = ("\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e"
                    "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0")
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]+")
#: A character that shows (the first one, in most texts).
_SHOWS = re.compile(f"[^{_INVISIBLE_CHARS}]")
_COMMENT = re.compile(r"<!--.*?(-->|$)", re.S)


def same_words(text: str) -> str:
    """A key under which texts that read the same are equal: case, spacing
    and invisible characters left out (for tags)."""
    return " ".join(_INVISIBLE.sub(" ", text).casefold().split())


def visible(text: str, markdown: bool = False) -> bool:
    """Whether ``text`` shows anything (a Markdown comment shows nothing)."""
    if markdown and "<!--" in text:
        text = _COMMENT.sub("", text)
    first = _SHOWS.search(text)
    if first is None:
        return False
    if text[first.start()] != "&":  # (only '&nbsp;' shows nothing and starts with a character that shows)
        return True
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
    if markdown:
        # Shapes that would make Markdown slow or recurse too deep (one field
        # must never stall or crash a build): refused with what to change.
        problems = shape_problems(value)
        if problems:
            raise PydanticCustomError("markdown_shape", "; ".join(problems))
    return stripped if not markdown else value.rstrip()


class TextLimit(Rule):
    """Plain text of 1..``max_length`` characters, surrounding spaces removed
    (``Annotated[str, TextLimit(200)]``)."""

    markdown = False

    def __init__(self, max_length: int = TEXT_MAX):
        self.max_length = max_length

    def check(self, value: Any) -> str:
        return _checked_text(value, self.max_length, markdown=self.markdown)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "maxLength": self.max_length, "pattern": r"\S"}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.max_length})"


class MarkdownLimit(TextLimit):
    """Markdown of 1..``max_length`` characters; raw HTML in it is removed when
    rendered, and its links are checked (:mod:`..checks`)."""

    markdown = True

    def __init__(self, max_length: int = MARKDOWN_MAX):
        super().__init__(max_length)

    def schema(self) -> dict[str, Any]:
        return {**super().schema(), "contentMediaType": "text/markdown"}


#: The text fields of the contract, by size.
Text = Annotated[str, TextLimit(TEXT_MAX)]
Title = Annotated[str, TextLimit(200)]
Label = Annotated[str, TextLimit(60)]
Markdown = Annotated[str, MarkdownLimit(MARKDOWN_MAX)]
