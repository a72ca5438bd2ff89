"""Load a whole project folder into one validated model.

Every file is read once, every problem of the run is collected, and
``ContentError`` is raised with all of them at the end: schema errors,
broken references and links, and the rules that span fields or files
(:mod:`.rules`), in one run. Nothing here knows about MkDocs: the plugin,
the CLI and the tests all go through :func:`load_project`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from pydantic import BaseModel, ValidationError

from .checks import Known, reference_problems
from .errors import ContentError, Problem, ProblemList, quoted
from .gcpause import paused_gc
from .loader import LoadedFile, load_yaml_text, read_file_bytes
from .model import CaseStudy, Lesson, Phase, Step, Worksheet
from .model.base import Entity
from .model.types import ID_MAX, ID_RE, slugify
from .sources import read_page, scan
from .validation import problems_from

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


@dataclass(frozen=True)
class EntityKind:
    """A kind of content kept one file per item in a folder."""

    name: str
    model: type[Entity]
    noun: str
    folder: str  # a ProjectLayout attribute
    #: Ids a file may not have, because a generated page already uses that
    #: address (id -> what is there).
    reserved: dict[str, str]


ENTITY_KINDS = (
    EntityKind("step", Step, "step", "steps", {"index": "the phase page (playbook/<phase>/)"}),
    EntityKind("lesson", Lesson, "lesson", "lessons", {"index": "the lessons index (lessons/)"}),
    EntityKind("worksheet", Worksheet, "worksheet", "worksheets", {"index": "the worksheets index (worksheets/)"}),
    EntityKind("case", CaseStudy, "case study", "casestudies", {
        "index": "the case study index (casestudies/)",
        "propose": "the page for proposing a case study (casestudies/propose/)",
    }),
)
RESERVED_PHASE_IDS = {"index": "the playbook overview (playbook/)"}


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
    """Parsed and validated files by content hash, so ``serve`` re-reads only what changed."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[str, Any]] = {}

    @staticmethod
    def digest(raw: bytes) -> str:
        return hashlib.blake2b(raw, digest_size=16).hexdigest()

    def get(self, kind: str, path: Path, digest: str) -> Any:
        hit = self._entries.get((kind, str(path)))
        return hit[1] if hit and hit[0] == digest else None

    def put(self, kind: str, path: Path, digest: str, value: Any) -> None:
        self._entries[(kind, str(path))] = (digest, value)


@dataclass
class ContentFile:
    """One item as read: its raw data (for the cross-file checks, which run
    whether or not it validated) and its entity when it did."""

    kind: str
    id: str
    display: str
    model: type[BaseModel]
    loaded: LoadedFile | None
    entity: Any = None
    problems: list[Problem] = field(default_factory=list)
    prefix: tuple = ()  # a phase's place in phases.yml

    @property
    def data(self) -> Any:
        if self.loaded is None:
            return None
        data = self.loaded.data
        for part in self.prefix:
            data = data[part]
        return data


def _parse_and_validate(model: type[BaseModel], raw: bytes, display: str) -> tuple[LoadedFile | None, Any, list[Problem]]:
    """(parsed file, validated entity or None, problems) for one file's bytes."""
    try:
        loaded = load_yaml_text(raw, display, strict=False)  # also reports an empty file
    except ContentError as exc:
        return None, None, list(exc.problems)
    problems = list(loaded.problems)
    if not isinstance(loaded.data, dict):
        kind = "a list" if isinstance(loaded.data, list) else "a single value"
        problems.append(loaded.source.problem((), f"the file must be a mapping of fields (key: value lines), not {kind}"))
        return loaded, None, problems
    return (loaded, *_validate(model, loaded.data, loaded, problems))


def _validate(model: type[BaseModel], data: Any, loaded: LoadedFile, problems: list[Problem], prefix: tuple = ()) -> tuple[Any, list[Problem]]:
    """Validate ``data``; a value the loader already refused is not reported twice."""
    refused = {(p.line, p.col) for p in problems}
    try:
        return model.model_validate(data), problems
    except ValidationError as exc:
        found = problems_from(exc, model, loaded.source, prefix)
        return None, problems + [p for p in found if (p.line, p.col) not in refused]


def _check_file_name(path: Path, display: str, kind: EntityKind) -> list[Problem]:
    stem = path.name.rsplit(".", 1)[0]
    if ID_RE.match(stem) and len(stem) <= ID_MAX:
        if stem in kind.reserved:
            return [Problem(display, 1, 1, "", f"the id {quoted(stem)} is reserved: {kind.reserved[stem]} is there; rename the file (for example to '{stem}-{slugify(kind.noun)}{path.suffix}')")]
        return []
    fixed = slugify(stem)
    hint = f"; rename it to '{fixed}{path.suffix}'" if fixed else ""
    return [Problem(display, 1, 1, "", f"the file name {quoted(path.name)} is not a valid id (lower-case letters, digits and single hyphens, at most 64 characters){hint}")]


class _ProjectReader:
    """Reads every file of a project once (through the cache) into ContentFiles."""

    def __init__(self, layout: ProjectLayout, cache: FileCache | None, extra_dirs: Sequence[Path]):
        self.layout = layout
        self.cache = cache
        self.problems = ProblemList()
        self.files = 0
        folders = [layout.content, layout.casestudies, *extra_dirs]
        self.tree = scan(layout.root, [f for f in dict.fromkeys(folders) if f.is_relative_to(layout.root)])
        self.problems.extend(self.tree.problems)

    def yaml_files(self, folder: Path) -> list[Path]:
        return [p for p in self.tree.files if p.parent == folder and p.suffix.lower() in YAML_SUFFIXES]

    def guide_pages(self) -> list[Path]:
        content = self.layout.content
        return [p for p in self.tree.files if p.suffix == ".md" and p.is_relative_to(content)]

    def read(self, path: Path, display: str) -> bytes | None:
        try:
            return read_file_bytes(path, display)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None

    def entity_files(self, kind: EntityKind) -> list[ContentFile]:
        out = []
        for path in self.yaml_files(getattr(self.layout, kind.folder)):
            display = self.layout.display(path)
            self.files += 1
            name_problems = _check_file_name(path, display, kind)
            raw = self.read(path, display)
            if raw is None:
                continue
            digest = FileCache.digest(raw) if self.cache is not None else ""
            hit = self.cache.get(kind.name, path, digest) if self.cache is not None else None
            if hit is None:
                hit = _parse_and_validate(kind.model, raw, display)
                if self.cache is not None:
                    self.cache.put(kind.name, path, digest, hit)
            loaded, entity, problems = hit
            stem = "" if name_problems else path.name.rsplit(".", 1)[0]
            if entity is not None and stem:
                entity.bind(stem, loaded.source)
            out.append(ContentFile(kind.name, stem, display, kind.model, loaded, entity if stem else None, name_problems + problems))
        return out

    def phase_files(self) -> list[ContentFile]:
        path = self.layout.phases_file
        display = self.layout.display(path)
        if path not in self.tree.files:
            if path not in self.tree.refused:
                self.problems.add(display, 1, 1, "", "the playbook needs this file: a list of phases (id, title, summary)")
            return []
        self.files += 1
        raw = self.read(path, display)
        if raw is None:
            return []
        try:
            loaded = load_yaml_text(raw, display, strict=False)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return []
        self.problems.extend(loaded.problems)
        if not isinstance(loaded.data, list) or not loaded.data:
            self.problems.add(display, 1, 1, "", "expected a list of phases, one '- id: ...' entry per phase")
            return []
        out = []
        for index, item in enumerate(loaded.data):
            if not isinstance(item, dict):
                self.problems.extend([loaded.source.problem((index,), "expected a mapping with id, title and summary")])
                continue
            phase, problems = _validate(Phase, item, loaded, [], (index,))
            raw_id = item.get("id") if isinstance(item.get("id"), str) else ""
            if phase is not None:
                phase.bind(phase.id, loaded.source)
                phase._index = index
                if phase.id in RESERVED_PHASE_IDS:
                    problems.append(loaded.source.problem((index, "id"), f"the id {quoted(phase.id)} is reserved: {RESERVED_PHASE_IDS[phase.id]} is there; choose another"))
                    phase = None
            out.append(ContentFile("phase", raw_id, display, Phase, loaded, phase, problems, (index,)))
        return out


def _unique(files: list[ContentFile], noun: str, problems: ProblemList) -> list[ContentFile]:
    """Files with an id no earlier file of their kind has (others reported)."""
    first: dict[str, ContentFile] = {}
    for f in files:
        if not f.id:
            continue
        if f.id in first:
            other = first[f.id]
            if f.kind == "phase":
                f.problems.append(f.loaded.source.problem(f.prefix + ("id",), f"the phase id {quoted(f.id)} is used twice (first in item [{other.prefix[0]}])"))
            else:
                f.problems.append(Problem(f.display, 1, 1, "", f"another {noun} has the id {quoted(f.id)} ({other.display}); ids must be unique"))
            f.entity = None
            continue
        first[f.id] = f
    return list(first.values())


@paused_gc()
def load_project(
    root: Path | str,
    *,
    content_dir: str = "content",
    casestudies_dir: str = "casestudies",
    include_drafts: bool = False,
    cache: FileCache | None = None,
    extra_dirs: Sequence[str] = (),
) -> Project:
    """Load and validate everything; raise ContentError with every problem.

    ``extra_dirs`` (relative to ``root``) are other folders the build reads,
    such as template overrides: they are scanned for links out of the project.
    """
    from .rules import check_rules

    layout = ProjectLayout(Path(root).resolve(), content_dir, casestudies_dir)
    reader = _ProjectReader(layout, cache, [layout.root / d for d in extra_dirs])
    files: dict[str, list[ContentFile]] = {"phase": reader.phase_files()}
    for kind in ENTITY_KINDS:
        files[kind.name] = reader.entity_files(kind)
    nouns = {k.name: k.noun for k in ENTITY_KINDS} | {"phase": "phase"}
    unique = {name: _unique(items, nouns[name], reader.problems) for name, items in files.items()}
    drafts = frozenset(f.id for f in unique["case"] if isinstance(f.data, dict) and f.data.get("status") == "draft")
    known = Known({name: {f.id: f.display for f in items} for name, items in unique.items()}, drafts, include_drafts)
    for items in files.values():
        for f in items:
            reader.problems.extend(f.problems)
            if f.loaded is not None:
                reader.problems.extend(reference_problems(f.model, f.data, f.loaded.source, known, f.prefix))

    guide_pages = reader.guide_pages()
    reader.files += len(guide_pages)
    valid = {name: {f.id: f.entity for f in items if f.entity is not None} for name, items in unique.items()}
    all_cases: dict[str, CaseStudy] = valid["case"]
    published = {k: c for k, c in all_cases.items() if include_drafts or not c.is_draft}
    project = Project(
        layout=layout,
        phases=list(valid["phase"].values()),
        steps=_in_playbook_order(valid["step"], list(valid["phase"].values())),
        lessons=dict(sorted(valid["lesson"].items(), key=lambda kv: kv[1].title.casefold())),
        worksheets=dict(sorted(valid["worksheet"].items(), key=lambda kv: kv[1].title.casefold())),
        cases=dict(sorted(published.items(), key=lambda kv: kv[1].title.casefold())),
        drafts={k: c for k, c in all_cases.items() if c.is_draft},
        guide_pages=guide_pages,
        include_drafts=include_drafts,
    )
    check_rules(project, known, reader.problems)
    project.files_checked = reader.files
    project.warnings = reader.problems.warnings
    if reader.problems.errors:
        raise ContentError(reader.problems.errors, files_checked=reader.files)
    return project


def _in_playbook_order(steps: dict[str, Step], phases: list[Phase]) -> dict[str, Step]:
    rank = {p.id: i for i, p in enumerate(phases)}
    ordered = sorted(
        steps.items(),
        key=lambda kv: (rank.get(kv[1].phase, len(rank)), kv[1].order if kv[1].order is not None else 10**9, kv[1].title.casefold(), kv[0]),
    )
    return dict(ordered)


def read_guide_page(project: Project, path: Path) -> tuple[str | None, list[Problem]]:
    """A hand-written page's text (checked for size and encoding)."""
    return read_page(path, project.layout.display(path))
