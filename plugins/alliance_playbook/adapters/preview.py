"""Live preview that rebuilds only what an edit touches (``mkdocs serve``).

MkDocs rebuilds every page after any change; at 1,000 case studies that is
about 10 s after saving one file. Here the server's builder is wrapped
(:func:`wrap_builder`): before each rebuild the files the build reads are
compared with what the last build read.

- When only content YAML changed (case studies, steps, lessons...), the
  rebuild is **partial**: MkDocs runs in its ``dirty`` mode, which leaves the
  previous build's files in place and writes only the pages marked modified.
  The plugin marks the pages the edit touches (:meth:`Preview.touched`): the
  pages of the changed items, of the items linked to them before or after
  the edit (the link graph), of the items whose related lists changed, of
  the pages that link to them by wiki link, and every page that belongs to
  no single item (indexes, the explore map, the checklist, the data pages).
  Every other generated page keeps the previous build's Markdown, unread.
- Anything else (``mkdocs.yml``, a template, a hand-written page, an added
  or removed file outside the content YAML), or an edit that changes a
  title in the navigation, rebuilds everything.

This module keeps the session's state and plans each rebuild;
:mod:`.rebuild` is a build's side of it, called from the plugin's events.

Correctness is tested by comparison: after an edit, every page of the
partial rebuild equals the page a clean build of the edited project writes
(``tests/test_preview.py``).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..graph import LinkGraph
from ..kinds.base import GeneratedPage
from ..project import Project

log = logging.getLogger("mkdocs.plugins.alliance_playbook.preview")

#: Suffixes of the content files an edit to which can be partial.
CONTENT_SUFFIXES = (".yml", ".yaml")
Snapshot = dict[str, tuple[int, int]]
Key = tuple[str, str]
#: Stands, among a page's mentions, for a listing of every tag (Material's
#: tags page, made again by every rebuild).
TAGS_LISTING = ("", "tags")


@dataclass
class Built:
    """What the last successful preview build made, for the next one to reuse."""

    project: Project
    graph: LinkGraph
    nav: str
    #: Generated page source -> the page (its Markdown is reused when
    #: untouched), and the secret that marked its deferred Markdown fields
    #: (the build's that made it, see render.site).
    pages: dict[str, GeneratedPage]
    nonces: dict[str, str]
    #: Generated file path (scripts, data) -> its text, to skip rewriting an unchanged one.
    statics: dict[str, str | bytes]
    #: Page source -> (title, meta) as the theme saw them: pages that are not
    #: read again still show their titles in the navigation of those that are.
    titles: dict[str, tuple[str | None, dict[str, Any]]]
    #: Page source -> the items it names by wiki link.
    mentions: dict[str, set[Key]]
    #: Page source -> the written file.
    outputs: dict[str, str]
    #: Each item's tags as shown (see :func:`shown_tags`).
    tags: dict[Key, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Preview:
    """The state of one ``mkdocs serve`` session (module-wide: MkDocs makes
    new plugin instances for every rebuild)."""

    built: Built | None = None
    #: Set by the builder wrapper for the build it runs.
    partial: bool = False
    #: What the build that runs read (committed with its result).
    snapshot: Snapshot = field(default_factory=dict)
    last_snapshot: Snapshot = field(default_factory=dict)
    #: What the builds read (files and folders), and the folders of the
    #: content an edit to which can be partial: set by every build.
    roots: list[Path] = field(default_factory=list)
    content: list[Path] = field(default_factory=list)
    #: The data export's items, and values made from one item each (kinds.base.memo), kept between rebuilds.
    exports: dict[Any, Any] = field(default_factory=dict)
    memo: dict[Any, Any] = field(default_factory=dict)
    #: What the last build did: "partial", "everything" (a dirty build that
    #: wrote every page) or "full"; the pages it wrote; the pages in all.
    report: tuple[str, int, int] = ("full", 0, 0)

    def reset(self) -> None:
        """Forget everything: the next build is a full one."""
        self.built, self.partial, self.snapshot, self.last_snapshot = None, False, {}, {}
        self.exports.clear()
        self.memo.clear()

    def plan(self) -> str:
        """Take a snapshot of what the builds read and decide the next build:
        '' for a partial one, otherwise why it is full."""
        self.snapshot = snapshot(self.roots)
        if self.built is None:
            return "first build"
        changed = [p for p in set(self.snapshot) | set(self.last_snapshot) if self.snapshot.get(p) != self.last_snapshot.get(p)]
        folders = [str(c) + os.sep for c in self.content]
        for path in changed:
            if not (path.endswith(CONTENT_SUFFIXES) and any(path.startswith(f) for f in folders)):
                return f"{path} changed"
        return ""

    def commit(self, built: Built) -> None:
        """The build finished: remember what it made and read."""
        self.built, self.last_snapshot = built, self.snapshot

    def _retagged(self, project: Project) -> set[Key]:
        """Items whose shown tags changed though their files did not."""
        assert self.built is not None
        now, before = shown_tags(project), self.built.tags
        return {key for key in now.keys() | before.keys() if now.get(key) != before.get(key)}

    def touched(self, project: Project, graph: LinkGraph, src_of: Callable[[str, str], str], changed_here: set[Key] | None = None) -> set[str]:
        """The page sources a partial rebuild must write again (``changed_here``:
        the items the edit changed, when already found)."""
        assert self.built is not None
        old_graph = self.built.graph
        found = set(changed_items(self.built.project, project)) if changed_here is None else changed_here
        changed = found | self._retagged(project)
        keys = set(changed)
        for key in changed:
            keys.update(_neighbours(old_graph, key))
            keys.update(_neighbours(graph, key))
        for links in (old_graph, graph):  # the items whose related lists show a changed one
            for kind, table in (("case", links.related_cases), ("lesson", links.related_lessons)):
                keys.update((kind, owner) for owner, related in table.items() if any((kind, r) in changed for r in related))
        keys.update(("case", c) for c in _differing(old_graph.related_cases, graph.related_cases))
        keys.update(("lesson", c) for c in _differing(old_graph.related_lessons, graph.related_lessons))
        pages = {src_of(kind, id_) for kind, id_ in keys if project.get(kind, id_) is not None}
        # The tags page: its listing is what a written page's tags link to (Material's tags plugin).
        pages.update(src for src, names in self.built.mentions.items() if names & changed or TAGS_LISTING in names)
        # Pages of no single item (indexes, maps, lists of everything) are always made again.
        pages.update(src for src, page in self.built.pages.items() if not page.id)
        return pages


def shown_tags(project: Project) -> dict[Key, tuple[str, ...]]:
    """Each item's tags as its page shows them (a spelling may come from another file)."""
    return {(kind.name, id_): tuple(tags) for kind in project.registry for id_, item in project.items(kind.name).items()
            if (tags := getattr(item, "tags", None))}


def _neighbours(graph: LinkGraph, key: Key) -> Iterator[Key]:
    for edge in graph._out.get(key, ()):
        yield edge.target_kind, edge.target
    for edge in graph._in.get(key, ()):
        yield edge.source_kind, edge.source


def _differing(before: dict[str, list[str]], after: dict[str, list[str]]) -> set[str]:
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


def changed_items(before: Project, after: Project) -> Iterator[Key]:
    """Items added, removed or changed between two loads. A file read from
    the cache gives the same object back, so an unchanged file costs
    nothing; an item of a list file (the phases) is compared by value."""
    for kind in after.registry:
        old, new = before.items(kind.name), after.items(kind.name)
        for id_ in old.keys() | new.keys():
            a, b = old.get(id_), new.get(id_)
            if a is not b and (a is None or b is None or a.model_dump() != b.model_dump()):
                yield kind.name, id_


def nav_signature(nav: Any) -> str:
    """The navigation as text: when it differs, every page's sidebar does."""
    return json.dumps(nav, sort_keys=True, default=str)


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """(modification time, size) of every file under ``roots`` (files or folders)."""
    out: Snapshot = {}
    for root in roots:
        _scan(str(root), out)
    return out


def _scan(path: str, out: Snapshot) -> None:
    try:
        if not os.path.isdir(path):
            stat = os.stat(path)
            out[path] = (stat.st_mtime_ns, stat.st_size)
            return
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith("."):
                        _scan(entry.path, out)
                else:
                    stat = entry.stat()
                    out[entry.path] = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        out[path] = (-1, -1)


def _interrupt(signum: int, frame: Any) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second one, while it cleans up, stops it outright
    raise KeyboardInterrupt


def stop_cleanly_on_sigterm() -> None:
    """Make a ``SIGTERM`` (an editor's stop button, ``docker stop``, a test
    ending the server) stop ``mkdocs serve`` as Ctrl-C does. By default it
    kills the process outright, which leaves MkDocs' temporary site folder
    and the search articles' folder (tens of MB at 1,000 cases) behind in
    the temporary folder, one pair per session. A handler someone else set
    is left alone."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)


#: The one preview of this process.
PREVIEW = Preview()


class _DirtyNotice(logging.Filter):
    """MkDocs warns that a dirty build may leave navigation inaccurate: ours does not."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def wrap_builder(builder: Callable[..., None]) -> Callable[..., None]:
    """``builder`` (the server's) that runs a partial rebuild when only
    content YAML changed. It reaches MkDocs' ``build`` through the builder's
    own module, so an engine whose builder is made otherwise keeps full
    rebuilds."""
    module = getattr(builder, "__globals__", {})
    build = module.get("build")
    if not callable(build):
        return builder

    def partial_build(config: Any, *, serve_url: str | None = None, dirty: bool = False) -> None:
        build(config, serve_url=serve_url, dirty=True)

    def rebuild(config: Any = None) -> None:
        why = PREVIEW.plan()
        PREVIEW.partial = not why
        if why and PREVIEW.built is not None:
            log.info(f"Preview: full rebuild ({why})")
        if not PREVIEW.partial:
            builder(config)
            return
        notice = _DirtyNotice()
        logging.getLogger("mkdocs.commands.build").addFilter(notice)
        module["build"] = partial_build
        try:
            builder(config)
        finally:
            module["build"] = build
            PREVIEW.partial = False  # read by the build's plugin; never left for another
            logging.getLogger("mkdocs.commands.build").removeFilter(notice)

    rebuild.__wrapped__ = builder  # type: ignore[attr-defined]
    return rebuild


__all__ = ["PREVIEW", "TAGS_LISTING", "Built", "Preview", "changed_items", "nav_signature", "snapshot", "stop_cleanly_on_sigterm", "wrap_builder"]
