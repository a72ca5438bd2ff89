"""Load a whole project folder into one validated model.

Every file is read once, every problem of the run is collected, and
``ContentError`` is raised with all of them at the end. Nothing here knows
about MkDocs: the plugin, the CLI and the tests all go through
:func:`load_project`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, TypeVar

from pydantic import BaseModel, ValidationError

from .gcpause import paused_gc
from .errors import ContentError, Problem, ProblemList, did_you_mean
from .loader import LoadedFile, load_yaml_file, load_yaml_text
from .model import CaseStudy, Lesson, Phase, Step, Worksheet
from .model.base import Entity
from .model.types import ID_MAX, ID_RE, date_key, slugify
from .validation import problems_from
from .wikilinks import KINDS, find_links

E = TypeVar("E", bound=Entity)
YAML_SUFFIXES = (".yml", ".yaml")


@dataclass
class ProjectLayout:
    """Where a project keeps its files (the contract's defaults)."""

    root: Path
    content_dir: str = "content"
    casestudies_dir: str = "casestudies"

    @property
    def content(self) -> Path:
        return self.root / self.content_dir

    @property
    def casestudies(self) -> Path:
        return self.root / self.casestudies_dir

    @property
    def phases_file(self) -> Path:
        return self.content / "playbook" / "phases.yml"

    @property
    def steps(self) -> Path:
        return self.content / "playbook" / "steps"

    @property
    def lessons(self) -> Path:
        return self.content / "lessons"

    @property
    def worksheets(self) -> Path:
        return self.content / "worksheets"

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass
class Project:
    """The validated content of one project; read-only after loading."""

    layout: ProjectLayout
    phases: list[Phase]
    steps: dict[str, Step]
    lessons: dict[str, Lesson]
    worksheets: dict[str, Worksheet]
    cases: dict[str, CaseStudy]
    drafts: dict[str, CaseStudy]
    guide_pages: list[Path]
    warnings: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    include_drafts: bool = False

    @property
    def phase_by_id(self) -> dict[str, Phase]:
        return {p.id: p for p in self.phases}

    def steps_of(self, phase_id: str) -> list[Step]:
        return [s for s in self.steps.values() if s.phase == phase_id]

    def get(self, kind: str, id_: str) -> Entity | None:
        return self.table(kind).get(id_)

    def table(self, kind: str) -> dict[str, Any]:
        return {
            "case": self.cases,
            "step": self.steps,
            "phase": self.phase_by_id,
            "lesson": self.lessons,
            "worksheet": self.worksheets,
        }[kind]


class FileCache:
    """Validated files by content hash, so ``serve`` re-reads only what changed."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[str, Any, list[Problem]]] = {}

    @staticmethod
    def digest(raw: bytes) -> str:
        return hashlib.blake2b(raw, digest_size=16).hexdigest()

    def get(self, kind: str, path: Path, digest: str) -> tuple[Any, list[Problem]] | None:
        hit = self._entries.get((kind, str(path)))
        if hit and hit[0] == digest:
            return hit[1], hit[2]
        return None

    def put(self, kind: str, path: Path, digest: str, value: Any, problems: list[Problem]) -> None:
        self._entries[(kind, str(path))] = (digest, value, problems)


def _validate(model: type[BaseModel], loaded: LoadedFile) -> tuple[Any, list[Problem]]:
    if not isinstance(loaded.data, dict):
        kind = "a list" if isinstance(loaded.data, list) else "a single value"
        return None, [loaded.source.problem((), f"the file must be a mapping of fields (key: value lines), not {kind}")]
    try:
        return model.model_validate(loaded.data), []
    except ValidationError as exc:
        return None, problems_from(exc, model, loaded.source)


def _check_file_name(path: Path, display: str) -> list[Problem]:
    stem = path.name.rsplit(".", 1)[0]
    if ID_RE.match(stem) and len(stem) <= ID_MAX:
        return []
    fixed = slugify(stem)
    hint = f"; rename it to '{fixed}{path.suffix}'" if fixed else ""
    return [Problem(display, 1, 1, "", f"the file name '{path.name}' is not a valid id (lower-case letters, digits and single hyphens, at most 64 characters){hint}")]


class _Loader:
    def __init__(self, layout: ProjectLayout, cache: FileCache | None):
        self.layout = layout
        self.cache = cache
        self.problems = ProblemList()
        self.files = 0

    def entity_files(self, folder: Path) -> list[Path]:
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in YAML_SUFFIXES)

    def load_entities(self, folder: Path, model: type[E], noun: str) -> dict[str, E]:
        out: dict[str, E] = {}
        where: dict[str, str] = {}
        for path in self.entity_files(folder):
            display = self.layout.display(path)
            self.files += 1
            stem = path.name.rsplit(".", 1)[0]
            name_problems = _check_file_name(path, display)
            entity, problems = self.load_one(path, display, model)
            self.problems.extend(name_problems + problems)
            if entity is None or name_problems:
                continue
            if stem in out:
                self.problems.add(display, 1, 1, "", f"another {noun} has the id '{stem}' ({where[stem]}); ids must be unique")
                continue
            entity.bind(stem, entity.source)
            out[stem] = entity
            where[stem] = display
        return out

    def load_one(self, path: Path, display: str, model: type[E]) -> tuple[E | None, list[Problem]]:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return None, [Problem(display, 1, 1, "", f"cannot read the file: {exc.strerror}")]
        digest = FileCache.digest(raw) if self.cache is not None else ""
        if self.cache is not None:
            hit = self.cache.get(model.__name__, path, digest)
            if hit is not None:
                return hit
        try:
            loaded = load_yaml_text(raw, display)  # also reports an empty file
        except ContentError as exc:
            result: tuple[Any, list[Problem]] = (None, list(exc.problems))
        else:
            entity, problems = _validate(model, loaded)
            if entity is not None:
                entity.bind("", loaded.source)
            result = (entity, problems)
        if self.cache is not None:
            self.cache.put(model.__name__, path, digest, *result)
        return result

    def load_phases(self) -> list[Phase]:
        path = self.layout.phases_file
        display = self.layout.display(path)
        if not path.is_file():
            self.problems.add(display, 1, 1, "", "the playbook needs this file: a list of phases (id, title, summary)")
            return []
        self.files += 1
        try:
            loaded = load_yaml_file(path, display)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return []
        if not isinstance(loaded.data, list) or not loaded.data:
            self.problems.add(display, 1, 1, "", "expected a list of phases, one '- id: ...' entry per phase")
            return []
        phases: list[Phase] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(loaded.data):
            if not isinstance(item, dict):
                self.problems.extend([loaded.source.problem((index,), "expected a mapping with id, title and summary")])
                continue
            try:
                phase = Phase.model_validate(item)
            except ValidationError as exc:
                self.problems.extend(problems_from(exc, Phase, loaded.source, (index,)))
                continue
            phase.bind(phase.id, loaded.source)
            phase._index = index  # type: ignore[attr-defined]
            if phase.id in seen:
                self.problems.extend([loaded.source.problem((index, "id"), f"the phase id '{phase.id}' is used twice (first in item [{seen[phase.id]}])")])
                continue
            seen[phase.id] = index
            phases.append(phase)
        return phases


@paused_gc()
def load_project(
    root: Path | str,
    *,
    content_dir: str = "content",
    casestudies_dir: str = "casestudies",
    include_drafts: bool = False,
    cache: FileCache | None = None,
) -> Project:
    """Load and validate everything; raise ContentError with every problem."""
    layout = ProjectLayout(Path(root).resolve(), content_dir, casestudies_dir)
    loader = _Loader(layout, cache)
    phases = loader.load_phases()
    steps = loader.load_entities(layout.steps, Step, "step")
    lessons = loader.load_entities(layout.lessons, Lesson, "lesson")
    worksheets = loader.load_entities(layout.worksheets, Worksheet, "worksheet")
    all_cases = loader.load_entities(layout.casestudies, CaseStudy, "case study")
    guide_pages = sorted(p for p in layout.content.rglob("*.md") if p.is_file()) if layout.content.is_dir() else []
    loader.files += len(guide_pages)

    published = {k: c for k, c in all_cases.items() if include_drafts or not c.is_draft}
    drafts = {k: c for k, c in all_cases.items() if c.is_draft}
    project = Project(
        layout=layout,
        phases=phases,
        steps=_in_playbook_order(steps, phases),
        lessons=dict(sorted(lessons.items(), key=lambda kv: kv[1].title.casefold())),
        worksheets=dict(sorted(worksheets.items(), key=lambda kv: kv[1].title.casefold())),
        cases=dict(sorted(published.items(), key=lambda kv: kv[1].title.casefold())),
        drafts=drafts,
        guide_pages=guide_pages,
        include_drafts=include_drafts,
    )
    checker = _Checker(project, loader.problems, all_cases)
    checker.run()
    project.files_checked = loader.files
    project.warnings = loader.problems.warnings
    if loader.problems.errors:
        error = ContentError(loader.problems.errors)
        error.files_checked = loader.files  # type: ignore[attr-defined]
        raise error
    return project


def _in_playbook_order(steps: dict[str, Step], phases: list[Phase]) -> dict[str, Step]:
    rank = {p.id: i for i, p in enumerate(phases)}
    ordered = sorted(
        steps.items(),
        key=lambda kv: (rank.get(kv[1].phase, len(rank)), kv[1].order if kv[1].order is not None else 10**9, kv[1].title.casefold(), kv[0]),
    )
    return dict(ordered)


class _Checker:
    """Rules that span fields or files: references, dates, ids, links."""

    def __init__(self, project: Project, problems: ProblemList, all_cases: dict[str, CaseStudy]):
        self.p = project
        self.problems = problems
        self.all_cases = all_cases

    def error(self, entity: Entity, loc: tuple, message: str, key: bool = False) -> None:
        assert entity.source is not None
        self.problems.extend([entity.source.problem(loc, message, key=key)])

    def warn(self, entity: Entity, loc: tuple, message: str) -> None:
        assert entity.source is not None
        self.problems.extend([entity.source.problem(loc, message, severity="warning")])

    def ref(self, entity: Entity, loc: tuple, value: str, kind: str, noun: str) -> bool:
        table = self.p.table(kind) if kind != "case" else self.all_cases
        if value in table:
            return True
        hint = did_you_mean(value, table) or (f"; known {noun}s: {', '.join(list(table)[:8])}" if table else f"; there are no {noun}s yet")
        self.error(entity, loc, f"there is no {noun} '{value}'{hint}")
        return False

    def refs(self, entity: Entity, name: str, values: Iterable[str] | None, kind: str, noun: str) -> None:
        seen: set[str] = set()
        for i, value in enumerate(values or []):
            if value in seen:
                self.error(entity, (name, i), f"'{value}' is listed twice")
            seen.add(value)
            self.ref(entity, (name, i), value, kind, noun)

    def run(self) -> None:
        for phase in self.p.phases:
            self.markdown(phase, ("intro",), phase.intro, getattr(phase, "_index", None))
        for step in self.p.steps.values():
            self.step(step)
        for lesson in self.p.lessons.values():
            self.refs(lesson, "steps", lesson.steps, "step", "step")
            self.markdown(lesson, ("body",), lesson.body)
        for worksheet in self.p.worksheets.values():
            self.worksheet(worksheet)
        for case in self.all_cases.values():
            self.case(case)
        for page in self.p.guide_pages:
            self.guide_page(page)
        self.coverage()

    def step(self, step: Step) -> None:
        if step.phase not in self.p.phase_by_id:
            self.ref(step, ("phase",), step.phase, "phase", "phase")
        seen: dict[str, int] = {}
        for i in range(len(step.checklist)):
            item_id = step.item_id(i)
            if item_id in seen:
                loc = ("checklist", i, "id") if step.checklist[i].id else ("checklist", i)
                self.error(step, loc, f"checklist item id '{item_id}' is already used by item [{seen[item_id]}]; give one of them an explicit, different 'id'")
            seen[item_id] = i
        self.refs(step, "worksheets", step.worksheets, "worksheet", "worksheet")
        self.refs(step, "lessons", step.lessons, "lesson", "lesson")
        self.refs(step, "related", step.related, "step", "step")
        for i, other in enumerate(step.related or []):
            if other == step.id:
                self.error(step, ("related", i), "a step cannot be related to itself")
        self.markdown(step, ("why",), step.why)
        self.markdown(step, ("how",), step.how)

    def case(self, case: CaseStudy) -> None:
        period = case.period
        if period is not None:
            if period.ongoing and period.end:
                self.error(case, ("period", "ongoing"), "'ongoing: true' cannot go with an 'end' date; remove one of them")
            if period.start and period.end and date_key(period.end) < date_key(period.start):
                self.error(case, ("period", "end"), f"the end ({period.end}) is before the start ({period.start})")
        seen: set[str] = set()
        for i, ref in enumerate(case.lessons):
            if ref.lesson in seen:
                self.error(case, ("lessons", i), f"the lesson '{ref.lesson}' is listed twice")
            seen.add(ref.lesson)
            loc = ("lessons", i, "lesson") if case.source.has(("lessons", i, "lesson")) else ("lessons", i)
            self.ref(case, loc, ref.lesson, "lesson", "lesson")
            self.markdown(case, ("lessons", i, "note"), ref.note)
        self.refs(case, "steps", case.steps, "step", "step")
        for i, outcome in enumerate(case.outcomes):
            if outcome.baseline is not None and outcome.result is None:
                self.warn(case, ("outcomes", i, "baseline"), "a baseline without a result is not charted; add 'result'")
        self.markdown(case, ("challenge",), case.challenge)
        self.markdown(case, ("approach",), case.approach)

    def worksheet(self, ws: Worksheet) -> None:
        ids: dict[str, int] = {}
        for i, f in enumerate(ws.fields):
            if f.id in ids:
                self.error(ws, ("fields", i, "id"), f"the field id '{f.id}' is already used by fields[{ids[f.id]}]")
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
                lo, hi = f.min if f.min is not None else 1, f.max if f.max is not None else 5
                if lo >= hi:
                    self.error(ws, ("fields", i, "max"), f"max ({hi}) must be greater than min ({lo})")
                elif hi - lo > 20:
                    self.error(ws, ("fields", i, "max"), f"a scale has at most 21 points; {lo}..{hi} has {hi - lo + 1}")
                for value in (f.labels or {}):
                    if not lo <= value <= hi:
                        self.error(ws, ("fields", i, "labels", value), f"{value} is outside the scale {lo}..{hi}", key=True)
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
                        self.error(ws, ("chart", axis), f"'{value}' is not a scale field of this worksheet{did_you_mean(value, scales) or '; scale fields: ' + ', '.join(scales)}")
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
                    self.error(ws, ("score", "mean_of", i), f"'{fid}' is not a scale or number field of this worksheet{did_you_mean(fid, numeric)}")
        if ws.print_rows is not None and not 1 <= ws.print_rows <= 60:
            self.error(ws, ("print_rows",), f"must be between 1 and 60, got {ws.print_rows}")
        self.refs(ws, "steps", ws.steps, "step", "step")
        self.markdown(ws, ("instructions",), ws.instructions)

    def link_problem(self, kind: str, id_: str) -> str | None:
        if kind not in KINDS:
            return f"'{kind}' is not a link kind{did_you_mean(kind, KINDS) or ''} (kinds: {', '.join(KINDS)})"
        if kind == "case" and id_ in self.p.drafts and not self.p.include_drafts:
            return f"'{id_}' is a draft case study: drafts are left out of the site, so this link would be dead"
        table = self.p.table(kind) if kind != "case" else self.all_cases
        if id_ not in table:
            return f"there is no {kind} '{id_}'{did_you_mean(id_, table)}"
        return None

    def markdown(self, entity: Entity, loc: tuple, text: str | None, index: int | None = None) -> None:
        if not text or "[[" not in text:
            return
        if index is not None:
            loc = (index,) + loc
        source = entity.source
        assert source is not None
        line, col = source.where(loc)
        file_lines: list[str] | None = None
        for link in find_links(text):
            message = self.link_problem(link.kind, link.id)
            if message is None:
                continue
            if file_lines is None:
                file_lines = _read_lines(self.p.layout.root / source.path)
            at_line, at_col = _locate(file_lines, line, f"[[{text[link.start + 2:link.end]}", link.line, col + link.col)
            self.problems.add(source.path, at_line, at_col, _fmt(loc), f"{message}")

    def guide_page(self, path: Path) -> None:
        display = self.p.layout.display(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.problems.add(display, 1, 1, "", "the file is not UTF-8 text; save it as UTF-8")
            return
        for link in find_links(text):
            message = self.link_problem(link.kind, link.id)
            if message:
                self.problems.add(display, link.line + 1, link.col + 1, "link", message)

    def coverage(self) -> None:
        cited_lessons = {r.lesson for c in self.p.cases.values() for r in c.lessons}
        applied_steps = {s for c in self.p.cases.values() for s in c.steps or []}
        used_worksheets = {w for s in self.p.steps.values() for w in s.worksheets or []}
        used_worksheets |= {w.id for w in self.p.worksheets.values() if w.steps}
        for lesson in self.p.lessons.values():
            if lesson.id not in cited_lessons:
                self.warn(lesson, ("title",), "no published case study cites this lesson yet: its evidence is thin")
        for step in self.p.steps.values():
            if step.id not in applied_steps:
                self.warn(step, ("title",), "no published case study has applied this step yet")
        for ws in self.p.worksheets.values():
            if ws.id not in used_worksheets:
                self.warn(ws, ("title",), "no step uses this worksheet, so readers only find it in the worksheet list")


def _fmt(loc: tuple) -> str:
    from .loader import format_loc

    return format_loc(loc)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _locate(lines: list[str], line: int, needle: str, rel_line: int, guess_col: int) -> tuple[int, int]:
    """Find a link's real position in the file, searching from its field on."""
    for candidate in range(line - 1 + rel_line, min(len(lines), line + rel_line + 3)):
        if 0 <= candidate < len(lines) and needle in lines[candidate]:
            return candidate + 1, lines[candidate].index(needle) + 1
    return line + rel_line, guess_col + 1
