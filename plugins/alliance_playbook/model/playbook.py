"""Playbook phases (``content/playbook/phases.yml``) and steps."""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from .base import Entity, Model
from .types import Id, Int, Markdown, Text, ref, text


class Phase(Entity):
    """A stage of the playbook; the list order is the playbook order."""

    id_: Id = Field(alias="id", description="Phase id")
    title: text(200) = Field(description="Title of the phase")
    summary: Text = Field(description="One sentence")
    intro: Markdown | None = Field(None, description="Opening text of the phase page")

    @property
    def id(self) -> str:  # the id is written in the file, not taken from its name
        return self.id_


class ChecklistItem(Model):
    """A checklist item; its ``id`` keys saved progress in browsers."""

    id: Id | None = Field(
        None, description="Stable id (default: slug of the text; for a text with no Latin letters or digits, t- and a hash of the text)"
    )
    text: Text = Field(description="What to do")


def _checklist_item(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Step(Entity):
    """A step of the playbook, with its interactive checklist."""

    title: text(200) = Field(description="Title of the step")
    phase: ref("phase") = Field(description="Phase id")
    order: Int | None = Field(None, description="Order within the phase (ties: by title)")
    summary: text(300) = Field(description="What the step is, at most 300 characters")
    why: Markdown | None = Field(None, description="Why the step matters")
    how: Markdown | None = Field(None, description="The body of the step")
    duration: text(100) | None = Field(None, description="How long it takes, e.g. 2-3 hours")
    people: text(200) | None = Field(None, description="Who takes part")
    checklist: list[Annotated[ChecklistItem, BeforeValidator(_checklist_item)]] = Field(
        min_length=1, max_length=50, description="Texts, or mappings {id, text}"
    )
    key_questions: list[Text] | None = Field(None, max_length=30, description="Questions to ask along the way")
    outputs: list[Text] | None = Field(None, max_length=30, description="What the step produces")
    worksheets: list[ref("worksheet")] | None = Field(None, max_length=30, description="Worksheet ids")
    lessons: list[ref("lesson")] | None = Field(None, max_length=30, description="Lesson ids")
    related: list[ref("step")] | None = Field(None, max_length=30, description="Step ids")

    def item_id(self, index: int) -> str:
        item = self.checklist[index]
        return item.id or default_item_id(item.text)


def default_item_id(text: str) -> str:
    """The id of a checklist item without an explicit one; it keys saved ticks.

    The slug of the text where it has one, as always (so no saved tick moves).
    A text with no Latin letters or digits (Japanese, Arabic, Greek...) has an
    empty slug: it gets ``t-`` and 10 hex digits of the SHA-256 of its NFC,
    whitespace-collapsed form, which depends on the text alone. (A number from
    the item's place would move every tick after an inserted item.) Identical
    texts in one step get the same id, which the checker reports.
    """
    from .types import slugify

    slug = slugify(text)
    if slug:
        return slug
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return "t-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:10]
