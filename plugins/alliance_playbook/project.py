"""Load a whole project folder into one validated model.

Every file of every kind in the registry is read once, and every problem of
the run is collected: schema errors, broken references and links (read from
raw data, :mod:`.checks`, so they come with the schema errors of the same
file), each kind's own rules, and ``ContentError`` is raised with all of
them at the end. Nothing here knows about MkDocs: the plugins, the CLI and
the tests all go through :func:`load_project`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from .checks import Known, reference_problems
from .errors import ContentError, Problem
from .gcpause import paused_gc
from .kinds import CaseStudy, Lesson, Phase, Step, Worksheet
from .kinds.registry import Registry, load_registry
from .model.base import Entity
from .reading import ContentFile, FileCache, ProjectLayout, ProjectReader, unique_files
from .sources import read_page
from .wikilinks import find_links

__all__ = ["FileCache", "Project", "ProjectLayout", "load_project"]

T = TypeVar("T")


class _Items(Generic[T]):
    """``project.steps``: the built items of one kind, by id (or the unbuilt ones)."""

    def __init__(self, kind: str, unpublished: bool = False):
        self.kind, self.unpublished = kind, unpublished

    def __get__(self, project: Project, owner: type) -> dict[str, T]:
        table = project.hidden if self.unpublished else project.tables
        return table.get(self.kind, {})


@dataclass
class Project:
    """The validated content of one project; read-only after loading."""

    layout: ProjectLayout
    registry: Registry
    #: Kind name -> id -> item, in each kind's order; only what is built.
    tables: dict[str, dict[str, Any]]
    #: Items that exist but are not built (draft case studies), by kind.
    hidden: dict[str, dict[str, Any]]
    guide_pages: list[Path]
    warnings: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    include_drafts: bool = False

    def items(self, kind: str) -> dict[str, Any]:
        """The built items of ``kind`` by id, in order."""
        return self.tables.get(kind, {})

    def unpublished(self, kind: str) -> dict[str, Any]:
        """The items of ``kind`` that exist but are not built (draft case studies), by id."""
        return self.hidden.get(kind, {})

    def get(self, kind: str, id_: str) -> Entity | None:
        """The built item ``id_`` of ``kind``, or None."""
        return self.items(kind).get(id_)

    # Names the templates use for the built-in kinds.
    phase_by_id = _Items[Phase]("phase")
    steps = _Items[Step]("step")
    lessons = _Items[Lesson]("lesson")
    worksheets = _Items[Worksheet]("worksheet")
    cases = _Items[CaseStudy]("case")
    drafts = _Items[CaseStudy]("case", unpublished=True)

    @property
    def phases(self) -> list[Phase]:
        """The phases, in playbook order."""
        return list(self.items("phase").values())

    def steps_of(self, phase_id: str) -> list[Step]:
        """The steps of the phase ``phase_id``, in playbook order."""
        return [s for s in self.steps.values() if s.phase == phase_id]


@paused_gc()
def load_project(
    root: Path | str,
    *,
    content_dir: str = "content",
    casestudies_dir: str = "casestudies",
    include_drafts: bool = False,
    cache: FileCache | None = None,
    extra_dirs: Sequence[str] = (),
    registry: Registry | None = None,
) -> Project:
    """Load and validate everything; raise ContentError with every problem.

    ``extra_dirs`` (relative to ``root``) are other folders the build reads,
    such as template overrides: they are scanned for links out of the
    project. ``registry``: the kinds to load (default: the built-in ones).
    """
    layout = ProjectLayout(Path(root).resolve(), content_dir, casestudies_dir)
    registry = registry or load_registry(layout.root)
    reader = ProjectReader(layout, cache, [layout.root / d for d in extra_dirs])
    files = {kind.name: reader.kind_files(kind) for kind in registry}
    unique = {name: unique_files(items) for name, items in files.items()}
    known = _known(registry, unique, include_drafts)
    signature = known.signature() if cache is not None else 0
    for items in files.values():
        for f in items:
            reader.problems.extend(f.problems)
            if f.loaded is not None:
                reader.problems.extend(_references(f, known, cache, signature))

    guide_pages = reader.guide_pages()
    reader.files += len(guide_pages)
    reader.problems.extend(reader.unread(registry))
    project = Project(layout=layout, registry=registry, tables={}, hidden={}, guide_pages=guide_pages, include_drafts=include_drafts)
    for kind in registry:
        valid = {f.id: f.entity for f in unique[kind.name] if f.entity is not None}
        built = {k: v for k, v in valid.items() if kind.is_published(v, include_drafts)}
        project.tables[kind.name] = kind.order(built, project)
        project.hidden[kind.name] = {k: v for k, v in valid.items() if k not in built}
    for kind in registry:
        for item in list(project.items(kind.name).values()) + list(project.unpublished(kind.name).values()):
            reader.problems.extend(kind.rules(item))
    for kind in registry:
        kind.project_rules(project, reader.problems)
    for page in guide_pages:
        reader.problems.extend(guide_page_problems(page, layout.display(page), known))
    project.files_checked = reader.files
    project.warnings = reader.problems.warnings
    for items in files.values():  # every problem is placed: the trees of positions can go
        for f in items:
            if f.loaded is not None:
                f.loaded.source.release()
    if reader.problems.errors:
        raise ContentError(reader.problems.errors, files_checked=reader.files)
    return project


def _references(f: ContentFile, known: Known, cache: FileCache | None, signature: int) -> list[Problem]:
    """A file's broken references; from ``cache`` while its bytes and the known ids are as they were."""
    assert f.loaded is not None
    if cache is None or not f.digest or f.prefix:
        return reference_problems(f.kind.model, f.data, f.loaded.source, known, f.prefix)
    kind, path, key = "references:" + f.kind.name, Path(f.display), f"{f.digest}:{signature}"
    hit: list[Problem] | None = cache.get(kind, path, key)
    if hit is None:
        hit = reference_problems(f.kind.model, f.data, f.loaded.source, known, f.prefix)
        cache.put(kind, path, key, hit)
    return hit


def _known(registry: Registry, unique: dict[str, list[ContentFile]], include_drafts: bool) -> Known:
    """The ids a reference may name: every file of a kind with a valid name."""
    hidden = {}
    for kind in registry:
        if not include_drafts:
            hidden[kind.name] = frozenset(f.id for f in unique[kind.name] if f.entity is not None and not kind.is_published(f.entity, False)
                                          or f.entity is None and isinstance(f.data, dict) and f.data.get("status") == "draft")
    return Known({name: {f.id: f.display for f in items} for name, items in unique.items()},
                 {kind.name: kind.noun for kind in registry}, hidden)


def guide_page_problems(path: Path, display: str, known: Known) -> list[Problem]:
    """A hand-written page too large or not UTF-8, and its broken wiki links."""
    text, problems = read_page(path, display)
    if text is None or "[[" not in text:
        return problems
    for link in find_links(text):
        message = known.problem(link.kind, link.id, link=True)
        if message:
            problems.append(Problem(display, link.line + 1, link.col + 1, "link", message))
    return problems
