"""Reading a project's files: where they are (:class:`ProjectLayout`), each
file read once, parsed and validated (through :class:`FileCache` in
``serve``), into a :class:`ContentFile` that keeps the raw data for the
cross-file checks whether or not the file validated."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import ContentError, Problem, ProblemList, quoted
from .kinds.base import Kind
from .kinds.registry import Registry
from .loader import LoadedFile, load_yaml_text, read_file_bytes
from .model.types import ID_MAX, ID_RE, slugify
from .sources import SourceTree, scan
from .validation import problems_from

YAML_SUFFIXES = (".yml", ".yaml")


@dataclass
class ProjectLayout:
    """Where a project keeps its files."""

    root: Path
    content_dir: str = "content"
    casestudies_dir: str = "casestudies"

    @property
    def content(self) -> Path:
        """The content (docs) folder: the guide's pages and the content files other than case studies."""
        return self.root / self.content_dir

    @property
    def casestudies(self) -> Path:
        """The case study folder."""
        return self.root / self.casestudies_dir

    def folder(self, kind: Kind) -> Path | None:
        """Where ``kind`` keeps one file per item, if it does."""
        return kind.files_folder(self.root, self.content_dir, self.casestudies_dir)

    def list_file(self, kind: Kind) -> Path | None:
        """The file that lists every item of ``kind``, or None when it keeps a file per item."""
        return kind.list_path(self.root, self.content_dir)

    def display(self, path: Path) -> str:
        """``path`` as messages show it: relative to the project root when inside it."""
        text, root = str(path), str(self.root)
        if text.startswith(root) and text[len(root):len(root) + 1] == os.sep:  # (a loaded project asks thousands of times)
            return text[len(root) + 1:].replace(os.sep, "/")
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


class FileCache:
    """Parsed and validated files by content hash, so ``serve`` re-reads only what changed."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[str, Any]] = {}

    @staticmethod
    def digest(raw: bytes) -> str:
        """The hash of a file's bytes that keys the cache."""
        return hashlib.blake2b(raw, digest_size=16).hexdigest()

    def get(self, kind: str, path: Path, digest: str) -> Any:
        """What was cached for this file, or None when nothing was or its content has changed."""
        hit = self._entries.get((kind, str(path)))
        return hit[1] if hit and hit[0] == digest else None

    def put(self, kind: str, path: Path, digest: str, value: Any) -> None:
        """Cache ``value`` for this file, under the ``digest`` of its content."""
        self._entries[(kind, str(path))] = (digest, value)


@dataclass
class ContentFile:
    """One item as read: its raw data (for the cross-file checks, which run
    whether or not it validated) and its entity when it did."""

    kind: Kind
    id: str
    display: str
    loaded: LoadedFile | None
    entity: Any = None
    problems: list[Problem] = field(default_factory=list)
    prefix: tuple[Any, ...] = ()  # an item's place in a list file
    #: The hash of the file's bytes (FileCache.digest), when a cache read it.
    digest: str = ""

    @property
    def data(self) -> Any:
        """The item's raw data (its entry, in a list file); None when the file could not be parsed."""
        if self.loaded is None:
            return None
        data = self.loaded.data
        for part in self.prefix:
            data = data[part]
        return data


def _validate(model: type[BaseModel], data: Any, loaded: LoadedFile, problems: list[Problem], prefix: tuple[Any, ...] = ()) -> tuple[Any, list[Problem]]:
    """Validate ``data``; a value the loader already refused is not reported twice."""
    refused = {(p.line, p.col) for p in problems}
    try:
        return model.model_validate(data), problems
    except ValidationError as exc:
        found = problems_from(exc, model, loaded.source, prefix)
        return None, problems + [p for p in found if (p.line, p.col) not in refused]


def _parse_and_validate(model: type[BaseModel], raw: bytes, display: str) -> tuple[LoadedFile | None, Any, list[Problem]]:
    """(parsed file, validated entity or None, problems) for one file's bytes."""
    try:
        loaded = load_yaml_text(raw, display, strict=False)  # also reports an empty file
    except ContentError as exc:
        return None, None, list(exc.problems)
    problems = list(loaded.problems)
    if not isinstance(loaded.data, dict):
        shape = "a list" if isinstance(loaded.data, list) else "a single value"
        problems.append(loaded.source.problem((), f"the file must be a mapping of fields (key: value lines), not {shape}"))
        return loaded, None, problems
    entity, problems = _validate(model, loaded.data, loaded, problems)
    # Its problems are placed: the tree of positions goes now, so a load holds
    # one file's at a time (composed again if a later check needs a position).
    loaded.source.release()
    return loaded, entity, problems


def _file_name_problems(path: Path, display: str, kind: Kind) -> list[Problem]:
    stem = path.name.rsplit(".", 1)[0]
    if ID_RE.fullmatch(stem) and len(stem) <= ID_MAX:
        if stem in kind.reserved:
            return [Problem(display, 1, 1, "", f"the id {quoted(stem)} is reserved: {kind.reserved[stem]} is there; "
                                               f"rename the file (for example to '{stem}-{slugify(kind.noun)}{path.suffix}')")]
        return []
    fixed = slugify(stem)
    hint = f"; rename it to '{fixed}{path.suffix}'" if fixed else ""
    return [Problem(display, 1, 1, "", f"the file name {quoted(path.name)} is not a valid id (lower-case letters, digits and single hyphens, at most 64 characters){hint}")]


class ProjectReader:
    """Reads every file of a project once (through the cache) into ContentFiles."""

    def __init__(self, layout: ProjectLayout, cache: FileCache | None, extra_dirs: Sequence[Path]):
        self.layout = layout
        self.cache = cache
        self.problems = ProblemList()
        self.files = 0
        folders = [layout.content, layout.casestudies, *extra_dirs]
        self.tree: SourceTree = scan(layout.root, [f for f in dict.fromkeys(folders) if f.is_relative_to(layout.root)])
        self.problems.extend(self.tree.problems)
        self._by_folder: dict[Path, list[Path]] | None = None

    def guide_pages(self) -> list[Path]:
        """The Markdown pages in the content folder."""
        return [p for p in self.tree.files if p.suffix == ".md" and p.is_relative_to(self.layout.content)]

    def unread(self, registry: Registry) -> list[Problem]:
        """Warnings for YAML files no kind reads (in the wrong folder), and for
        other files among the YAML of a kind's folder (a typo in the suffix)."""
        folders = {f: k for k in registry if (f := self.layout.folder(k)) is not None}
        lists = {p for k in registry if (p := self.layout.list_file(k)) is not None}
        where = ", ".join([self.layout.display(f) + "/" for f in folders] + [self.layout.display(p) for p in lists])
        out = []
        for path in self.tree.files:
            display = self.layout.display(path)
            if path.suffix.lower() in YAML_SUFFIXES:
                if path.parent not in folders and path not in lists and not path.name.startswith("."):
                    out.append(Problem(display, 1, 1, "", f"this YAML file is not read: content files belong in {where}", "warning"))
            elif path.parent in folders and path.parent != self.layout.content and path.suffix != ".md":
                kind = folders[path.parent]
                out.append(Problem(display, 1, 1, "", f"is not read: {kind.noun} files end in .yml", "warning"))
        return out

    def read(self, path: Path, display: str) -> bytes | None:
        """The file's bytes, or None when it is refused (too large, unreadable); the problem is recorded."""
        try:
            return read_file_bytes(path, display)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None

    def kind_files(self, kind: Kind) -> list[ContentFile]:
        """Every file of ``kind``, read, parsed and validated."""
        folder = self.layout.folder(kind)
        if folder is not None:
            return self.folder_files(kind, folder)
        list_file = self.layout.list_file(kind)
        return self.list_files(kind, list_file) if list_file is not None else []

    def folder_files(self, kind: Kind, folder: Path) -> list[ContentFile]:
        """The files of ``kind`` right in ``folder``, one item each; a file whose
        name is not a valid id gets no id and no entity."""
        out = []
        if self._by_folder is None:  # (each file's folder, once: a Path's parent is made anew each time)
            self._by_folder = {}
            for p in self.tree.files:
                self._by_folder.setdefault(p.parent, []).append(p)
        for path in (p for p in self._by_folder.get(folder, ()) if p.suffix.lower() in YAML_SUFFIXES):
            display = self.layout.display(path)
            self.files += 1
            name_problems = _file_name_problems(path, display, kind)
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
            if entity is not None and stem and loaded is not None:
                entity.bind(stem, loaded.source)
            out.append(ContentFile(kind, stem, display, loaded, entity if stem else None, name_problems + problems, digest=digest))
        return out

    def list_files(self, kind: Kind, path: Path) -> list[ContentFile]:
        """The items of a kind kept as a list in one file (the phases): each
        item carries its own ``id``."""
        display = self.layout.display(path)
        if path not in self.tree.files:
            if path not in self.tree.refused:
                self.problems.add(display, 1, 1, "", f"the playbook needs this file: a list of {kind.plural} (id, title, summary)")
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
            self.problems.add(display, 1, 1, "", f"expected a list of {kind.plural}, one '- id: ...' entry per {kind.noun}")
            return []
        out = []
        for index, item in enumerate(loaded.data):
            if not isinstance(item, dict):
                self.problems.extend([loaded.source.problem((index,), "expected a mapping with id, title and summary")])
                continue
            entity, problems = _validate(kind.model, item, loaded, [], (index,))
            raw_id = item["id"] if isinstance(item.get("id"), str) else ""
            if entity is not None:
                entity.bind(entity.id, loaded.source)
                if entity.id in kind.reserved:
                    problems.append(loaded.source.problem((index, "id"), f"the id {quoted(entity.id)} is reserved: {kind.reserved[entity.id]} is there; choose another"))
                    entity = None
            out.append(ContentFile(kind, raw_id, display, loaded, entity, problems, (index,)))
        return out


def unique_files(files: list[ContentFile]) -> list[ContentFile]:
    """Files with an id no earlier file of their kind has (the others get a problem)."""
    first: dict[str, ContentFile] = {}
    for f in files:
        if not f.id:
            continue
        if f.id in first:
            other = first[f.id]
            if f.prefix and f.loaded is not None:
                f.problems.append(f.loaded.source.problem(f.prefix + ("id",), f"the {f.kind.noun} id {quoted(f.id)} is used twice (first in item [{other.prefix[0]}])"))
            else:
                f.problems.append(Problem(f.display, 1, 1, "", f"another {f.kind.noun} has the id {quoted(f.id)} ({other.display}); ids must be unique"))
            f.entity = None
            continue
        first[f.id] = f
    return list(first.values())
