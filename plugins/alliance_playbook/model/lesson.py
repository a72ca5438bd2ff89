"""Lesson: ``content/lessons/<id>.yml``."""

from __future__ import annotations

from pydantic import Field

from .base import Entity
from .enums import LessonKind
from .types import Markdown, enum_type, ref, text


class Lesson(Entity):
    """What the cases teach; ties evidence (cases) to practice (steps)."""

    title: text(200) = Field(description="Title of the lesson")
    kind: enum_type(LessonKind) = Field(description="principle, practice, challenge or measurement")
    statement: text(240) = Field(description="The lesson in one sentence, at most 240 characters")
    body: Markdown | None = Field(None, description="The lesson explained")
    steps: list[ref("step")] | None = Field(None, max_length=30, description="Step ids where the lesson applies")
