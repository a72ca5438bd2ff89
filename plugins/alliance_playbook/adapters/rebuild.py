"""One preview build's side of the partial rebuild (see :mod:`.preview`):
which files it writes, and what it leaves for the next.

A file MkDocs should leave as the last build wrote it gets an
``is_modified`` that says no: in a dirty build MkDocs then neither reads
nor writes it. The pages that are not read keep the titles, metadata and
tags the last build found, so the navigation and the tags page of the pages
that are written are those of a full build.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..graph import LinkGraph
from ..kinds.base import GeneratedPage
from ..project import Project
from ..wikilinks import find_links
from .preview import PREVIEW, TAGS_LISTING, Built, Key, changed_items, log, nav_signature, shown_tags, snapshot


def _unmodified() -> bool:
    return False


def _modified() -> bool:
    return True


def _mark(file: Any, modified: bool) -> None:
    """Tell MkDocs' dirty build whether to read and write ``file`` (its own
    test compares modification times, and a generated file has none)."""
    file.__dict__["is_modified"] = _modified if modified else _unmodified


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
        dirty, PREVIEW.partial = PREVIEW.partial, False  # the wrapper's word holds for the build it runs
        if built is None or not dirty:
            PREVIEW.snapshot = snapshot(roots)  # what this build reads (the first is not the wrapper's)
        #: Only the touched pages are written; ``everything``: a dirty build
        #: (the files of the last are in place) that must write every page.
        self.partial = dirty and built is not None and built.nav == self.nav
        self.everything = dirty and not self.partial
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
        #: The items this edit changed (see :meth:`graph`), for :meth:`.Preview.touched`.
        self.changed: set[Key] | None = None

    def graph(self) -> LinkGraph | None:
        """The link graph of this build, from the last one's when the edit
        changed only some items (their references are read again, the others'
        taken as they were); None: make it anew."""
        built = self.preview.built
        if built is None or not (self.partial or self.everything):
            return None
        self.changed = set(changed_items(built.project, self.project))
        return built.graph.updated(self.project, self.changed)

    def keep_pages(self, renderer: Any, nonce: str) -> None:
        """Before the pages are made: the renderer takes the previous build's
        page for each one the edit does not touch."""
        self.nonce = nonce
        renderer.export_cache = self.preview.exports
        if not (self.partial or self.everything):
            self.preview.memo.clear()  # a full build: the settings (the language) may have changed
        renderer.memo = self.preview.memo
        built = self.preview.built
        if not self.partial or built is None:
            return
        self.touched = touched = self.preview.touched(self.project, renderer.graph, renderer.src, self.changed)

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
        renderer.forget_data_files()  # made while pages were kept: made again as a full build's
        return False

    def keeps(self, page: GeneratedPage) -> bool:
        """Whether a generated page stays as the last build wrote it (its file
        is then :meth:`leave`'d): untouched, or touched and made again just
        as it was (a lesson's case pages when its body changed)."""
        built = self.preview.built
        before = built.pages.get(page.src_uri) if built is not None else None
        if self.partial and built is not None and before is not None and (before is page or _same(page, self.nonce, before, built.nonces[page.src_uri])):
            self.pages[page.src_uri], self.nonces[page.src_uri] = before, built.nonces[page.src_uri]
            return True
        self.pages[page.src_uri], self.nonces[page.src_uri] = page, self.nonce
        return False

    def leave(self, file: Any) -> None:
        """A kept page's file: MkDocs neither reads nor writes it."""
        _mark(file, False)

    def static(self, file: Any, content: str | bytes) -> None:
        """A generated file (a script, a data export): not written again when unchanged."""
        self.statics[file.src_uri] = content
        built = self.preview.built
        if (self.partial or self.everything) and built is not None and built.statics.get(file.src_uri) == content:
            _mark(file, False)

    def written_by_hand(self, files: Iterable[Any]) -> None:
        """Hand-written pages: written again when this build writes
        everything, or when they name a changed item by wiki link."""
        for file in files:
            if file.src_uri not in self.pages and (self.everything or file.src_uri in self.touched):
                _mark(file, True)

    def mention(self, src: str, markdown: str) -> None:
        """A hand-written page's Markdown, before its wiki links are resolved."""
        names = {(link.kind, link.id) for link in find_links(markdown)} if "[[" in markdown else set()
        self.mentions[src] = names | {TAGS_LISTING} if "<!-- material/tags" in markdown else names

    def restore_kept_pages(self, files: Any, config: Any) -> None:
        """Once the pages are read, before any is written: the pages that were
        not read again keep the title and metadata the last build found (for
        the navigation of the pages that are written), and give the tags
        plugin, before it lists the tags (its ``on_env``), the tags the last
        build read from them, in the order of the pages, as a full build would."""
        if not self.partial:
            return
        plugin = config.plugins.get("material/tags") or config.plugins.get("tags")
        mappings = getattr(plugin, "mappings", None) if plugin is not None and plugin.config.enabled else None
        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        for page in pages:
            if not page.file.is_modified() and page.file.src_uri in self.titles:
                title, meta = self.titles[page.file.src_uri]
                page.title, page.meta = title, dict(meta)
                if mappings is not None and plugin.filter(page.file):
                    mappings.add(page, "")
        if mappings is None:
            return
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
        self.preview.commit(Built(self.project, graph, self.nav, self.pages, self.nonces, self.statics, self.titles, self.mentions, self.outputs,
                                  shown_tags(self.project)))
        total = len(self.outputs)
        self.preview.report = ("partial" if self.partial else "everything" if self.everything else "full", self.written, total)
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


__all__ = ["Rebuild"]
