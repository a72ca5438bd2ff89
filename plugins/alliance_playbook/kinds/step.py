"""Playbook step: ``content/playbook/steps/<id>.yml``; page
``playbook/<phase-id>/<step-id>/`` with its checklist."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, Field

from ..errors import quoted
from ..model.base import Entity, Model
from ..model.text import Markdown, Text, TextLimit, Title
from ..model.types import Id, Int, LessonId, PhaseId, StepId, WorksheetId, slugify
from .base import GeneratedPage, Kind, ProjectView, Report, Site, item_error, item_warning

if TYPE_CHECKING:
    from ..errors import Problem


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

    title: Title = Field(description="Title of the step")
    phase: PhaseId = Field(description="Phase id")
    order: Int | None = Field(None, description="Order within the phase (ties: by title)")
    summary: Annotated[str, TextLimit(300)] = Field(description="What the step is, at most 300 characters")
    why: Markdown | None = Field(None, description="Why the step matters")
    how: Markdown | None = Field(None, description="The body of the step")
    duration: Annotated[str, TextLimit(100)] | None = Field(None, description="How long it takes, e.g. 2-3 hours")
    people: Title | None = Field(None, description="Who takes part")
    checklist: list[Annotated[ChecklistItem, BeforeValidator(_checklist_item)]] = Field(
        min_length=1, max_length=50, description="Texts, or mappings {id, text}"
    )
    key_questions: list[Text] | None = Field(None, max_length=30, description="Questions to ask along the way")
    outputs: list[Text] | None = Field(None, max_length=30, description="What the step produces")
    # Links to other items: each id is checked, and the link shows on both pages.
    worksheets: list[WorksheetId] | None = Field(None, max_length=30, description="Worksheet ids")
    lessons: list[LessonId] | None = Field(None, max_length=30, description="Lesson ids")
    related: list[StepId] | None = Field(None, max_length=30, description="Step ids")

    def item_id(self, index: int) -> str:
        """The id of checklist item number ``index``: its own, or one made from its text."""
        item = self.checklist[index]
        return item.id or default_item_id(item.text)

    def rules(self) -> Iterator[Problem]:
        """Checklist ids are unique within the step; a step is not related to itself."""
        seen: dict[str, int] = {}
        for i in range(len(self.checklist)):
            item_id = self.item_id(i)
            if item_id in seen:
                loc = ("checklist", i, "id") if self.checklist[i].id else ("checklist", i)
                yield item_error(self, loc, f"checklist item id {quoted(item_id)} is already used by item [{seen[item_id]}]; give one of them an explicit, different 'id'")
            seen[item_id] = i
        for i, other in enumerate(self.related or []):
            if other == self.id:
                yield item_error(self, ("related", i), "a step cannot be related to itself")


def default_item_id(text: str) -> str:
    """The id of a checklist item without an explicit one; it keys saved ticks.

    The slug of the text where it has one, as always (so no saved tick moves).
    A text with no Latin letters or digits (Japanese, Arabic, Greek...) has an
    empty slug: it gets ``t-`` and 10 hex digits of the SHA-256 of its NFC,
    whitespace-collapsed form, which depends on the text alone. (A number from
    the item's place would move every tick after an inserted item.) Identical
    texts in one step get the same id, which the checker reports.
    """
    slug = slugify(text)
    if slug:
        return slug
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return "t-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:10]


def step_src(phase: str, id_: str) -> str:
    """The page of a step: inside its phase's folder."""
    return f"playbook/{phase}/{id_}.md"


class StepKind(Kind):
    """Playbook steps: a file each in ``playbook/steps/``, each page in its phase's folder; no index of their own."""

    name, noun, model = "step", "step", Step
    section, folder = "playbook", "{content}/playbook/steps"
    reference_title, index_title, reference_rank = "Playbook step", "Playbook", 1
    reserved = {"index": "the phase page (playbook/<phase>/)"}
    plain_or_mapping = (("checklist", "ChecklistItem"),)

    def src(self, id_: str, item: Any = None) -> str:
        return step_src(item.phase if item is not None else "", id_)

    def index_src(self) -> str | None:
        return None  # the phase pages and the playbook overview list the steps

    def order(self, items: dict[str, Any], project: ProjectView) -> dict[str, Any]:
        """Phase by phase in playbook order; within a phase by ``order``, then title."""
        rank = {p: i for i, p in enumerate(project.items("phase"))}
        return dict(sorted(items.items(), key=lambda kv: (
            rank.get(kv[1].phase, len(rank)), kv[1].order if kv[1].order is not None else 10**9, kv[1].title.casefold(), kv[0])))

    def rules(self, item: Any) -> Iterator[Problem]:
        yield from item.rules()

    def project_rules(self, project: ProjectView, report: Report) -> None:
        applied = {s for c in project.items("case").values() for s in c.steps or []}
        report.extend(item_warning(step, ("title",), "no published case study has applied this step yet")
                      for step in project.items("step").values() if step.id not in applied)

    def pages(self, site: Site) -> list[GeneratedPage]:
        """A page per step (its template gets the previous and next step; the
        theme's footer links the neighbours in the navigation)."""
        project, graph = site.project, site.graph
        steps = list(project.steps.values())
        out = []
        for index, step in enumerate(steps):
            out.append(site.page(
                "step.md.j2", self.src(step.id, step), step.title, "step", step, scripts=("checklist.js",),
                description=step.summary, step=step, phase=project.phase_by_id[step.phase],
                prev_step=steps[index - 1] if index > 0 else None, next_step=steps[index + 1] if index + 1 < len(steps) else None,
                cases=[project.cases[c] for c in graph.step_cases.get(step.id, [])],
            ))
        return out

    def nav(self, project: ProjectView, titles: Any, nav_limit: int) -> list[Any]:
        return []  # listed under their phase (PhaseKind.nav)

    def export(self, item: Any, graph: Any, url: str) -> dict[str, Any]:
        return {"id": item.id, **item.model_dump(mode="json", exclude_none=True, exclude={"checklist"}),
                "checklist": [{"id": item.item_id(i), "text": c.text} for i, c in enumerate(item.checklist)],
                "url": url,
                "links": {"lessons": graph.step_lessons.get(item.id, []), "worksheets": graph.step_worksheets.get(item.id, []),
                          "related": graph.related_steps.get(item.id, []), "cases": graph.step_cases.get(item.id, [])}}
