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
  or removed file outside the content YAML), or an edit that changes the
  navigation or a tag, rebuilds everything.

Correctness is tested by comparison: after an edit, every page of the
partial rebuild equals the page a clean build of the edited project writes
(``tests/test_preview.py``).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..graph import LinkGraph
from ..kinds.base import GeneratedPage
from ..project import Project
from ..wikilinks import find_links

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

    def reset(self) -> None:
        """Forget everything: the next build is a full one."""
        self.built, self.partial, self.snapshot, self.last_snapshot = None, False, {}, {}

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

    def touched(self, project: Project, graph: LinkGraph, src_of: Callable[[str, str], str]) -> set[str]:
        """The page sources a partial rebuild must write again."""
        assert self.built is not None
        old_graph = self.built.graph
        changed = set(changed_items(self.built.project, project))
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
        pages.update(src for src, names in self.built.mentions.items() if names & changed or TAGS_LISTING in names)
        # Pages of no single item (indexes, maps, lists of everything) are always made again.
        pages.update(src for src, page in self.built.pages.items() if not page.id)
        return pages


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


#: The one preview of this process.
PREVIEW = Preview()


def _unmodified() -> bool:
    return False


def _modified() -> bool:
    return True


class Rebuild:
    """One preview build's side: which files it writes, and what it leaves
    for the next. Made in the plugin's ``on_config`` once the project is
    loaded and the navigation made; its methods follow the build's events."""

    def __init__(self, project: Project, nav: Any, roots: list[Path]):
        self.preview = PREVIEW
        self.nav = nav_signature(nav)
        self.project = project
        built = PREVIEW.built
        PREVIEW.roots = roots
        PREVIEW.content = [project.layout.content, project.layout.casestudies]
        if built is None or not PREVIEW.partial:
            PREVIEW.snapshot = snapshot(roots)  # what this build reads (the first is not the wrapper's)
        #: Only the touched pages are written; ``everything``: a dirty build
        #: (the files of the last are in place) that must write every page.
        self.partial = PREVIEW.partial and built is not None and built.nav == self.nav
        self.everything = PREVIEW.partial and not self.partial
        self.why = "" if self.partial else "the navigation changed"
        self.touched: set[str] = set()
        self.pages: dict[str, GeneratedPage] = {}
        self.nonces: dict[str, str] = {}
        self.statics: dict[str, str | bytes] = {}
        self.titles = dict(built.titles) if built else {}
        self.mentions = dict(built.mentions) if built else {}
        self.outputs = dict(built.outputs) if built else {}
        self.written = 0
        self.nonce = ""

    def keep_pages(self, renderer: Any, nonce: str) -> None:
        """Before the pages are made: the renderer takes the previous build's
        page for each one the edit does not touch."""
        self.nonce = nonce
        built = self.preview.built
        if not self.partial or built is None:
            return
        self.touched = touched = self.preview.touched(self.project, renderer.graph, renderer.src)

        def keep(src: str) -> GeneratedPage | None:
            return None if src in touched else built.pages.get(src)

        renderer.keep = keep

    def same_navigation(self, renderer: Any, pages: list[GeneratedPage], in_nav: set[str]) -> bool:
        """Whether the pages the navigation lists keep their titles (a step's,
        a lesson's): when one changed, every page's sidebar shows it, and this
        build writes every page (True: nothing to do)."""
        built = self.preview.built
        if not self.partial or built is None:
            return True
        if all(page.title == built.pages[page.src_uri].title for page in pages if page.src_uri in in_nav and page.src_uri in built.pages):
            return True
        self.partial, self.everything, self.why = False, True, "a title in the navigation changed"
        renderer.keep = None
        return False

    def page(self, file: Any, page: GeneratedPage) -> bool:
        """A generated page joins the files; False when it is kept as it was
        (its Markdown is not read again, its file not written)."""
        built = self.preview.built
        before = built.pages.get(page.src_uri) if built is not None else None
        if self.partial and built is not None and before is not None and (before is page or _same(page, self.nonce, before, built.nonces[page.src_uri])):
            # Untouched, or touched and made again just as it was (a lesson's
            # case pages when its body changed): the last build's file stands.
            self.pages[page.src_uri], self.nonces[page.src_uri] = before, built.nonces[page.src_uri]
            file.__dict__["is_modified"] = _unmodified
            return False
        self.pages[page.src_uri], self.nonces[page.src_uri] = page, self.nonce
        return True

    def static(self, file: Any, content: str | bytes) -> None:
        """A generated file (a script, a data export): not written again when unchanged."""
        self.statics[file.src_uri] = content
        built = self.preview.built
        if (self.partial or self.everything) and built is not None and built.statics.get(file.src_uri) == content:
            file.__dict__["is_modified"] = _unmodified

    def written_by_hand(self, files: Iterable[Any]) -> None:
        """Hand-written pages: written again when this build writes
        everything, or when they name a changed item by wiki link."""
        for file in files:
            if file.src_uri not in self.pages and (self.everything or file.src_uri in self.touched):
                file.__dict__["is_modified"] = _modified

    def restore_titles(self, nav: Any) -> None:
        """Pages that are not read again keep the title and metadata the last
        build found, for the navigation of the pages that are."""
        if not self.partial:
            return
        for page in nav.pages:
            if not page.file.is_modified() and page.file.src_uri in self.titles:
                title, meta = self.titles[page.file.src_uri]
                page.title, page.meta = title, dict(meta)

    def mention(self, src: str, markdown: str) -> None:
        """A hand-written page's Markdown, before its wiki links are resolved."""
        names = {(link.kind, link.id) for link in find_links(markdown)} if "[[" in markdown else set()
        self.mentions[src] = names | {TAGS_LISTING} if "<!-- material/tags" in markdown else names

    def feed_tags(self, files: Any, config: Any) -> None:
        """Before the tags plugin lists the tags (its ``on_env``): the pages
        not read again give it the tags the last build read from them, in
        the order of the pages, as a full build would."""
        plugin = config.plugins.get("material/tags") or config.plugins.get("tags")
        mappings = getattr(plugin, "mappings", None)
        if not self.partial or mappings is None or not plugin.config.enabled:
            return
        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        for page in pages:
            if not page.file.is_modified() and page.file.src_uri in self.titles:
                title, meta = self.titles[page.file.src_uri]
                page.title, page.meta = title, dict(meta)
                if plugin.filter(page.file):
                    mappings.add(page, "")
        order = {page.url: n for n, page in enumerate(pages)}
        mappings.data = dict(sorted(mappings.data.items(), key=lambda kv: order.get(kv[0], len(order))))

    def saw(self, page: Any) -> None:
        """A page was written (``on_post_page``)."""
        src = page.file.src_uri
        self.titles[src] = (page.title, dict(page.meta))
        self.outputs[src] = page.file.abs_dest_path
        self.written += 1

    def finish(self, graph: LinkGraph, renderer_mentions: dict[str, set[Key]], site_dir: Path) -> None:
        """The build is done: drop the pages of items that are gone, and
        remember what was made for the next rebuild."""
        generated = {src: m for src, m in renderer_mentions.items() if src in self.pages}
        self.mentions.update(generated)
        built = self.preview.built
        if built is not None and (self.partial or self.everything):
            for src in set(built.pages) - set(self.pages):
                _remove_output(self.outputs.pop(src, ""), site_dir)
                self.titles.pop(src, None)
                self.mentions.pop(src, None)
            for path in set(built.statics) - set(self.statics):  # such as the cards of an index no longer large
                _remove_output(str(site_dir / path), site_dir)
        self.preview.commit(Built(self.project, graph, self.nav, self.pages, self.nonces, self.statics, self.titles, self.mentions, self.outputs))
        total = len(self.outputs)
        if self.partial:
            log.info(f"Preview: {self.written} of {total} pages written again (the rest are as the last build left them)")
        elif self.everything:
            log.info(f"Preview: every page written again ({self.why})")


def _same(page: GeneratedPage, nonce: str, before: GeneratedPage, old_nonce: str) -> bool:
    """Whether two builds made the same page (each marks its deferred fields with its own secret)."""
    return (page.head == before.head and page.title == before.title and page.islands == before.islands
            and page.content.replace(nonce, old_nonce) == before.content and page.edit_path == before.edit_path)


def _remove_output(path: str, site_dir: Path) -> None:
    """Remove a page this preview wrote, and its folder when left empty."""
    if not path:
        return
    target = Path(path)
    if not target.is_relative_to(site_dir) or not target.is_file():
        return
    target.unlink()
    if target.parent != site_dir and not any(target.parent.iterdir()):
        target.parent.rmdir()


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
            logging.getLogger("mkdocs.commands.build").removeFilter(notice)

    rebuild.__wrapped__ = builder  # type: ignore[attr-defined]
    return rebuild


__all__ = ["PREVIEW", "Built", "Preview", "Rebuild", "changed_items", "nav_signature", "snapshot", "wrap_builder"]
