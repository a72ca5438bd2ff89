"""Rules across the fields of a valid item, and across items.

References and links are checked on raw data by :mod:`.checks` (so they are
reported even for a file with schema errors); the rules here need values
that passed the schema: dates in order, a worksheet's chart naming its own
scale fields, checklist ids unique within a step, evidence coverage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .checks import Known
from .errors import ProblemList, did_you_mean, quoted
from .model import CaseStudy, Step, Worksheet
from .model.base import Entity
from .model.types import date_key
from .wikilinks import find_links

if TYPE_CHECKING:
    from .project import Project


def check_rules(project: "Project", known: Known, problems: ProblemList) -> None:
    """Every rule over the project's valid items; problems are added to ``problems``."""
    rules = _Rules(project, problems)
    for step in project.steps.values():
        rules.step(step)
    for worksheet in project.worksheets.values():
        rules.worksheet(worksheet)
    for case in list(project.cases.values()) + list(project.drafts.values()):
        rules.case(case)
    rules.tags()
    for page in project.guide_pages:
        rules.guide_page(page, known)
    rules.coverage()


class _Rules:
    def __init__(self, project: "Project", problems: ProblemList):
        self.project = project
        self.problems = problems
        self._done: set[str] = set()

    def error(self, entity: Entity, loc: tuple, message: str, key: bool = False) -> None:
        assert entity.source is not None
        self.problems.extend([entity.source.problem(loc, message, key=key)])

    def warn(self, entity: Entity, loc: tuple, message: str) -> None:
        assert entity.source is not None
        self.problems.extend([entity.source.problem(loc, message, severity="warning")])

    def step(self, step: Step) -> None:
        seen: dict[str, int] = {}
        for i in range(len(step.checklist)):
            item_id = step.item_id(i)
            if item_id in seen:
                loc = ("checklist", i, "id") if step.checklist[i].id else ("checklist", i)
                self.error(step, loc, f"checklist item id {quoted(item_id)} is already used by item [{seen[item_id]}]; give one of them an explicit, different 'id'")
            seen[item_id] = i
        for i, other in enumerate(step.related or []):
            if other == step.id:
                self.error(step, ("related", i), "a step cannot be related to itself")

    def case(self, case: CaseStudy) -> None:
        if case.id in self._done:  # a draft built with the published cases
            return
        self._done.add(case.id)
        period = case.period
        if period is not None:
            if period.ongoing and period.end:
                self.error(case, ("period", "ongoing"), "'ongoing: true' cannot go with an 'end' date; remove one of them")
            if period.start and period.end and date_key(period.end) < date_key(period.start):
                self.error(case, ("period", "end"), f"the end ({period.end}) is before the start ({period.start})")
        for i, outcome in enumerate(case.outcomes):
            if outcome.baseline is not None and outcome.result is None:
                self.warn(case, ("outcomes", i, "baseline"), "a baseline without a result is not charted; add 'result'")

    def worksheet(self, ws: Worksheet) -> None:
        ids: dict[str, int] = {}
        for i, f in enumerate(ws.fields):
            if f.id in ids:
                self.error(ws, ("fields", i, "id"), f"the field id {quoted(f.id)} is already used by fields[{ids[f.id]}]")
            ids[f.id] = i
            kind = str(f.type)
            if kind in ("choice", "multichoice") and not f.options:
                self.error(ws, ("fields", i), f"a {kind} field needs 'options': a built-in enum name (partner_type, policy_area, ...) or a list of texts")
            if f.options is not None and kind not in ("choice", "multichoice"):
                self.error(ws, ("fields", i, "options"), f"'options' only applies to choice and multichoice fields, not {kind}", key=True)
            if kind not in ("scale", "number"):
                for name in ("min", "max"):
                    if getattr(f, name) is not None:
                        self.error(ws, ("fields", i, name), f"'{name}' only applies to scale and number fields, not {kind}", key=True)
            if f.labels is not None and kind != "scale":
                self.error(ws, ("fields", i, "labels"), f"'labels' only applies to scale fields, not {kind}", key=True)
            if kind == "scale":
                lo, hi = f.scale_range
                if lo >= hi:
                    self.error(ws, ("fields", i, "max"), f"max ({hi}) must be greater than min ({lo})")
                elif hi - lo > 20:
                    self.error(ws, ("fields", i, "max"), f"a scale has at most 21 points; {lo}..{hi} has {hi - lo + 1}")
                for value in (f.labels or {}):
                    if not lo <= value <= hi:
                        self.error(ws, ("fields", i, "labels", str(value)), f"{value} is outside the scale {lo}..{hi}", key=True)
        scales = [f.id for f in ws.fields if str(f.type) == "scale"]
        numeric = scales + [f.id for f in ws.fields if str(f.type) == "number"]
        chart = ws.chart
        if chart is not None:
            if str(chart.type) == "quadrant":
                if ws.layout_name != "table":
                    self.error(ws, ("chart", "type"), "a quadrant chart places table rows; use it with 'layout: table' (or use 'bars' for a form)")
                for axis in ("x", "y"):
                    value = getattr(chart, axis)
                    if value is None:
                        self.error(ws, ("chart",), f"a quadrant chart needs '{axis}': the id of a scale field")
                    elif value not in scales:
                        self.error(ws, ("chart", axis), f"{quoted(value)} is not a scale field of this worksheet{did_you_mean(value, scales) or '; scale fields: ' + ', '.join(scales)}")
            else:
                if ws.layout_name != "form":
                    self.error(ws, ("chart", "type"), "a bars chart draws the scale fields of a form; use it with 'layout: form'")
                if not scales:
                    self.error(ws, ("chart", "type"), "a bars chart needs at least one scale field")
                for axis in ("x", "y", "quadrants"):
                    if getattr(chart, axis) is not None:
                        self.error(ws, ("chart", axis), f"'{axis}' only applies to quadrant charts", key=True)
        if ws.score is not None:
            for i, fid in enumerate(ws.score.mean_of):
                if fid not in numeric:
                    self.error(ws, ("score", "mean_of", i), f"{quoted(fid)} is not a scale or number field of this worksheet{did_you_mean(fid, numeric)}")
        if ws.print_rows is not None and not 1 <= ws.print_rows <= 60:
            self.error(ws, ("print_rows",), f"must be between 1 and 60, got {ws.print_rows}")

    def tags(self) -> None:
        """Tags that differ only in case or spacing are one tag: every case
        shows the first spelling (in case order), and the others are told."""
        spelling: dict[str, tuple[str, CaseStudy]] = {}
        for case in sorted(list(self.project.cases.values()), key=lambda c: c.id):
            for i, tag in enumerate(case.tags or []):
                key = " ".join(tag.casefold().split())
                first = spelling.setdefault(key, (tag, case))
                if first[0] != tag:
                    self.warn(case, ("tags", i), f"the tag {quoted(tag)} is written {quoted(first[0])} in {first[1].path}; tags that differ only in case are one tag, shown as {quoted(first[0])}")
                    case.tags[i] = first[0]

    def guide_page(self, path, known: Known) -> None:
        from .sources import read_page

        display = self.project.layout.display(path)
        text, problems = read_page(path, display)
        self.problems.extend(problems)
        if text is None or "[[" not in text:
            return
        for link in find_links(text):
            message = known.problem(link.kind, link.id, link=True)
            if message:
                self.problems.add(display, link.line + 1, link.col + 1, "link", message)

    def coverage(self) -> None:
        p = self.project
        cited_lessons = {r.lesson for c in p.cases.values() for r in c.lessons}
        applied_steps = {s for c in p.cases.values() for s in c.steps or []}
        used_worksheets = {w for s in p.steps.values() for w in s.worksheets or []}
        used_worksheets |= {w.id for w in p.worksheets.values() if w.steps}
        for lesson in p.lessons.values():
            if lesson.id not in cited_lessons:
                self.warn(lesson, ("title",), "no published case study cites this lesson yet: its evidence is thin")
        for step in p.steps.values():
            if step.id not in applied_steps:
                self.warn(step, ("title",), "no published case study has applied this step yet")
        for ws in p.worksheets.values():
            if ws.id not in used_worksheets:
                self.warn(ws, ("title",), "no step uses this worksheet, so readers only find it in the worksheet list")
