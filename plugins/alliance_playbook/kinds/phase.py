"""Playbook phase: one entry of ``content/playbook/phases.yml``; pages
``playbook/`` (the overview) and ``playbook/<phase-id>/``."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..model.base import Entity
from ..model.text import Markdown, Text, Title
from ..model.types import Id
from .base import GeneratedPage, Kind, NavText, ProjectView, Site


class Phase(Entity):
    """A stage of the playbook; the list order is the playbook order."""

    id_: Id = Field(alias="id", description="Phase id")
    title: Title = Field(description="Title of the phase")
    summary: Text = Field(description="One sentence")
    intro: Markdown | None = Field(None, description="Opening text of the phase page")

    @property
    def id(self) -> str:
        """The id written in the file, not taken from its name."""
        return self.id_


class PhaseKind(Kind):
    """Playbook phases: one list file whose order is the playbook's, pages under ``playbook/``."""

    name, noun, model = "phase", "phase", Phase
    section, list_file, schema_name = "playbook", "{content}/playbook/phases.yml", "phases"
    reference_title, index_title, reference_rank = "Playbook phases", "Playbook", 2
    reserved = {"index": "the playbook overview (playbook/)"}
    new_template = None  # phases are written in one list

    def src(self, id_: str, item: Any = None) -> str:
        return f"playbook/{id_}/index.md"

    def order(self, items: dict[str, Any], project: ProjectView) -> dict[str, Any]:
        return items  # the list order is the playbook order

    def pages(self, site: Site) -> list[GeneratedPage]:
        """The playbook overview, then each phase with its steps."""
        project = site.project
        out = [site.page("playbook.md.j2", "playbook/index.md", site.translate("Playbook"), "playbook", scripts=("checklist.js",))]
        for phase in project.phases:
            out.append(site.page("phase.md.j2", self.src(phase.id), phase.title, "phase", phase, scripts=("checklist.js",),
                                 phase=phase, steps=project.steps_of(phase.id)))
        return out

    def nav(self, project: ProjectView, titles: NavText, nav_limit: int) -> list[Any]:
        """The playbook entry: the overview, then each phase with its steps."""
        steps = project.items("step")
        entries: list[Any] = ["playbook/index.md"]
        for phase in project.items("phase").values():
            entries.append({titles.text(phase.title): [self.src(phase.id)] + [
                f"playbook/{phase.id}/{s.id}.md" for s in steps.values() if s.phase == phase.id]})
        return [{titles.label(self.index_title): entries}]

    def export(self, item: Any, graph: Any, url: str) -> dict[str, Any]:
        return {**item.model_dump(mode="json", by_alias=True, exclude_none=True), "url": url,
                "steps": graph.linked("phase", item.id, "step")}
