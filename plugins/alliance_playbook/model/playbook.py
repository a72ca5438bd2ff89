"""Playbook phases (``content/playbook/phases.yml``) and steps."""

from __future__ import annotations

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

    id: Id | None = Field(None, description="Stable id (default: slug of the text)")
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
        from .types import slugify

        item = self.checklist[index]
        return item.id or slugify(item.text) or f"item-{index + 1}"
