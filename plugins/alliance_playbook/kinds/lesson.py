"""Lesson: ``content/lessons/<id>.yml``; pages ``lessons/`` (grouped by
kind) and ``lessons/<id>/`` with the cases that bear it out."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from ..model.base import Entity
from ..model.enums import LESSON_KIND_LABELS
from ..model.enums import LessonKind as LessonKindValue
from ..model.text import Markdown, TextLimit, Title
from ..model.types import OneOf, StepId
from .base import GeneratedPage, Kind, ProjectView, Report, Site, item_warning


class Lesson(Entity):
    """What the cases teach; ties evidence (cases) to practice (steps)."""

    title: Title = Field(description="Title of the lesson")
    kind: Annotated[str, OneOf(LessonKindValue)] = Field(description="principle, practice, challenge or measurement")
    statement: Annotated[str, TextLimit(240)] = Field(description="The lesson in one sentence, at most 240 characters")
    body: Markdown | None = Field(None, description="The lesson explained")
    steps: list[StepId] | None = Field(None, max_length=30, description="Step ids where the lesson applies")


class LessonKind(Kind):
    """Lessons: a file each, pages under ``lessons/``; a lesson no published case cites gets a warning."""

    name, noun, model = "lesson", "lesson", Lesson
    reference_rank = 3

    def project_rules(self, project: ProjectView, report: Report) -> None:
        cited = {r.lesson for c in project.items("case").values() for r in c.lessons}
        report.extend(item_warning(lesson, ("title",), "no published case study cites this lesson yet: its evidence is thin")
                      for lesson in project.items("lesson").values() if lesson.id not in cited)

    def pages(self, site: Site) -> list[GeneratedPage]:
        """The index, grouped by kind of lesson (best-evidenced first), and a page per lesson."""
        out = [site.page("lessons.md.j2", "lessons/index.md", site.translate("Lessons"), "lessons", groups=self.groups(site))]
        for lesson in site.project.lessons.values():
            out.append(site.page("lesson.md.j2", self.src(lesson.id), lesson.title, "lesson", lesson, lesson=lesson, description=lesson.statement))
        return out

    def groups(self, site: Site) -> list[tuple[str, str, list[Lesson]]]:
        """(kind, heading, lessons) for each kind of lesson that has any."""
        cases = site.graph.lesson_cases
        groups = []
        for kind, label in LESSON_KIND_LABELS.items():
            items = [lesson for lesson in site.project.lessons.values() if str(lesson.kind) == kind]
            items.sort(key=lambda lesson: (-len(cases.get(lesson.id, [])), lesson.title.casefold()))
            if items:
                groups.append((kind, site.translate(label), items))
        return groups

    def export(self, item: Any, graph: Any, url: str) -> dict[str, Any]:
        return {"id": item.id, **item.model_dump(mode="json", exclude_none=True), "url": url,
                "links": {"steps": graph.lesson_steps.get(item.id, []),
                          "cases": [{"case": c.case_id, "note": c.note} for c in graph.lesson_cases.get(item.id, [])],
                          "related": graph.related_lessons.get(item.id, [])}}
