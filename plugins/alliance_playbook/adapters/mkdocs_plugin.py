"""The ``alliance`` MkDocs plugin: a thin adapter over the model and renderers.

It loads and validates the project once per build, hands the generated pages
to MkDocs as virtual files, and turns content problems into a clean build
error listing every one of them (``path:line:col: field: message``).

It is longer than 300 lines because it is where every MkDocs event the
site needs meets the model: each handler is short and says why it is there.
"""

from __future__ import annotations

import gc
import posixpath
import secrets
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..errors import ContentError
from ..i18n import Translator
from ..markup.markdown import IslandError, cut_islands, fill_slots, islands_section, theme_safe_id
from ..project import FileCache, Project
from ..render.blocks import BYTECODE_CACHE, BlockSpool, split_html_blocks
from ..render.downloads import SIZE_ATTR, human_size
from ..render.guide import link_guide_page
from ..render.navigation import merged_nav, nav_mentions
from ..render.site import PageRenderer
from ..settings import Settings, SettingsError
from . import glue, navcache, preview, scan, search, search_build, themefiles
from .config import AllianceConfig, settings_for
from .offline import OfflineCopyError, build_offline_copy, fill_sizes
from .rebuild import Rebuild
from .watch import watch_instantly

log = get_plugin_logger(__name__)

# Parsed files survive between `mkdocs serve` rebuilds (MkDocs makes a new
# plugin instance for each one), keyed by content hash.
_CACHE = FileCache()


class AlliancePlugin(glue.KnowsTheCommand, BasePlugin[AllianceConfig]):
    """The ``alliance`` plugin: loads and validates the project, adds the
    generated pages, and refuses to publish one that holds active markup."""

    project: Project | None = None
    renderer: PageRenderer | None = None
    in_nav: set[str] = set()
    make_zip = False
    offline_copy = False
    #: In ``mkdocs serve``: this build's side of the preview that rebuilds only what an edit touches.
    rebuild: Rebuild | None = None
    articles: search.Articles | None = None
    writing = False
    navs: navcache.NavCache | None = None
    page_scan: scan.PageScan | None = None
    indexing: search_build.IndexAsWritten | None = None
    #: The generated pages' HTML blocks, from on_files until each page's HTML takes its own.
    blocks: BlockSpool | None = None

    # on_config runs first, before MkDocs reads the docs folder: load and
    # validate everything here so a content problem stops the build at once,
    # and so the generated sections can be added to the navigation.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.rebuild, self.writing = None, False  # (the instance lives on across `serve` rebuilds)
        try:
            self.settings: Settings = settings_for(config)
        except SettingsError as exc:
            raise PluginError(f"alliance: {exc}") from None
        # The loaded project lives for the whole build; once loaded it is moved
        # out of the collector's sight (gc.freeze) so later collections do not
        # re-scan it (measured: 2 s of a 13 s build at 1,000 cases). A serve
        # rebuild first thaws the previous build's objects so they can go.
        gc.unfreeze()
        try:
            # Only a preview reads the files again: a single build keeps no cache.
            self.project = glue.load(self.settings, _CACHE if self.serving else None)
        except ContentError as exc:
            raise PluginError("alliance: " + glue.failed_load(exc)) from None
        except SettingsError as exc:
            raise PluginError(f"alliance: {exc}") from None
        gc.freeze()
        for warning in self.project.warnings:
            log.info(str(warning))
        self.translator = Translator(self.settings.language)
        note = glue.language_note(self.settings)
        if note is not None:
            loud, message = note
            (log.warning if loud else log.info)(message)  # asked for by name: loud (fails --strict)
        glue.tags_slug_from_text(config)
        # The offline copy (ALLIANCE_OFFLINE=true, or Material's offline plugin
        # switched on) links pages as .html files, which open from a disk.
        offline = config.plugins.get("material/offline") or config.plugins.get("offline")
        self.offline_copy = self.settings.offline or bool(offline and offline.config.get("enabled"))
        if self.offline_copy:
            config.use_directory_urls = False
        self.make_zip = self.settings.offline_zip and not self.offline_copy and not self.serving
        self.pagefind = search.use_pagefind(config, self.settings.search, self.offline_copy)
        # What Pagefind reads: each page's article (a preview keeps its folder from build to build).
        self.articles = (search.preview_articles() if self.serving else search.Articles()) if self.pagefind else None
        # Our theme folder sits after the user's custom_dir and before the
        # theme's own, so a fork can still override any template we override.
        theme_dir = glue.theme_dir()
        if theme_dir not in config.theme.dirs:
            position = 1 if config.theme.custom_dir else 0
            config.theme.dirs.insert(position, theme_dir)
        extra_css = glue.ASSETS_CSS
        if extra_css not in config.extra_css:
            config.extra_css.append(extra_css)
        # Pages opened from file:// (a downloaded copy, a test) must work too:
        # Chromium refuses web workers there, so Material's search needs the
        # iframe-worker shim, which replaces Worker only on file:. We bundle it
        # (Material's offline plugin would otherwise add it from a CDN: this
        # runs first when `alliance` is listed before `offline`; on_files checks).
        polyfills = list(config.extra.get("polyfills") or [])
        if not any("iframe-worker" in url for url in polyfills):
            config.extra["polyfills"] = [*polyfills, glue.SHIM]
        nav = list(config.nav) if config.nav is not None else glue.handwritten_nav(Path(config.docs_dir))
        config.nav = merged_nav(nav, self.project, glue.sections(self.settings, self.project), self.translator, self.settings.nav_limit)
        self.in_nav = nav_mentions(config.nav)
        if self.serving:
            search.stop_indexing()  # a preview's index of the last build, still being made
            roots = [Path(p) for p in (config.config_file_path, config.docs_dir, config.theme.custom_dir, *config.watch) if p]
            roots += [self.project.layout.casestudies, *(self.settings.root / d for d in self.settings.extra_dirs)]
            self.rebuild = Rebuild(self.project, config.nav, roots)
            themefiles.keep_listing(config.theme)  # Material's 14,500 files, listed once a session
        return config

    # The renderer is made here, not in on_config: other plugins (Material's
    # offline plugin) change settings such as use_directory_urls in theirs.
    def _make_renderer(self, config: MkDocsConfig) -> PageRenderer:
        assert self.project is not None
        options = glue.render_options(self.settings, self.project, directory_urls=config.use_directory_urls,
                                      pdf_links=self.settings.pdf.enabled and not self.serving, defer_nonce=self.nonce,
                                      offline_zip=self.make_zip, offline_copy=self.offline_copy)
        return PageRenderer(self.project, options, self.rebuild.graph() if self.rebuild is not None else None)

    # on_files: the generated pages join the docs as virtual files (nothing is
    # written into the docs folder, so `serve` does not loop), and the YAML
    # data files in the docs folder are kept out of the site.
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.project is not None
        if any("iframe-worker" in url and "://" in url for url in config.extra.get("polyfills", [])):
            raise PluginError("alliance: list the `alliance` plugin before `offline` in mkdocs.yml, so the offline build uses the bundled iframe-worker shim instead of loading it from a CDN")
        # A secret per build marks where deferred Markdown fields go; it never
        # reaches the output (so builds stay reproducible).
        self.nonce = secrets.token_hex(8)
        self.writing = True
        self.renderer = self._make_renderer(config)
        self.heads: dict[str, str] = {}
        self.sized_pages: list[Path] = []
        if self.blocks is not None:  # a build that failed before its pages took their blocks back
            self.blocks.close()
        self.blocks = BlockSpool()
        self.islands: dict[str, int] = {}
        #: Generated page source -> the YAML file it is made from (or "").
        self.generated: dict[str, str] = {}
        read = 0  # characters of the generated pages this build reads
        for file in list(files):
            if file.src_uri.endswith((".yml", ".yaml")):
                files.remove(file)
        docs = Path(config.docs_dir).resolve()
        root = self.project.layout.root
        rebuild = self.rebuild
        if rebuild is not None:
            rebuild.keep_pages(self.renderer, self.nonce)
        pages = self.renderer.pages()
        if rebuild is not None and not rebuild.same_navigation(self.renderer, pages, self.in_nav):
            pages = self.renderer.pages()
        for page in pages:
            if files.get_file_from_path(page.src_uri) is not None:
                log.info(f"{page.src_uri} is written by hand; the generated page is not used")
                continue
            # Detail pages left out of a big sidebar are reached from their
            # index page: say so, or MkDocs warns about each one.
            inclusion = InclusionLevel.UNDEFINED if page.src_uri in self.in_nav else InclusionLevel.NOT_IN_NAV
            self.generated[page.src_uri] = page.edit_path or ""
            if rebuild is not None and rebuild.keeps(page):  # as the last build wrote it: neither read nor written
                file = File.generated(config, page.src_uri, content=page.content, inclusion=inclusion)
                rebuild.leave(file)
                files.append(file)
                continue
            content = page.content
            read += len(content)
            if page.html_only:
                content, blocks = split_html_blocks(content)
                self.blocks.put(page.src_uri, blocks)  # on disk until the page's HTML is made
            if page.islands:
                content += islands_section(self.nonce, page.islands)
                self.islands[page.src_uri] = len(page.islands)
            # As UTF-8 bytes: MkDocs keeps every file's content for the whole
            # build, and text with a dash in it takes two bytes a character.
            file = File.generated(config, page.src_uri, content=content.encode("utf-8"), inclusion=inclusion)
            if page.head:
                self.heads[page.src_uri] = page.head
            if page.edit_path:
                file.edit_uri = posixpath.relpath((root / page.edit_path).as_posix(), docs.as_posix())
            files.append(file)
            if rebuild is None:
                page.content = ""  # the file has it (a preview keeps the page for the next rebuild)
        del pages
        self.page_scan = scan.PageScan(scan.wanted(read))
        statics: list[tuple[str, str | bytes]] = [*self.renderer.assets(), *self.renderer.data_files(), *glue.asset_files()]
        if glue.SHIM in (config.extra.get("polyfills") or []):
            statics.append(glue.shim_file())
        if rebuild is None:
            self.renderer.forget_data_files()
        statics.reverse()
        while statics:  # each let go once it is a file
            path, data = statics.pop()
            if rebuild is not None:  # a preview compares each with the last build's
                file = File.generated(config, path, content=glue.as_bytes(data))
                rebuild.static(file, data)
            else:
                file = glue.written_file(config, path, data)
            files.append(file)
        if rebuild is not None:
            rebuild.written_by_hand(files.documentation_pages())
        return files

    # Hand-written pages may use [[kind:id]] links; they become ordinary
    # Markdown links to the target's page, which MkDocs then checks and
    # rewrites like any other link. (They were validated in on_config.)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.generated_by is not None or self.project is None:
            return markdown
        if self.rebuild is not None:
            self.rebuild.mention(page.file.src_uri, markdown)
        return link_guide_page(markdown, page.file.src_uri, self.project)

    # The HTML blocks of generated pages skip Markdown (see split_html_blocks)
    # and are put back here, before any plugin that reads the page's HTML
    # (search, tags) sees it.
    @event_priority(100)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        fragments: list[str] = []
        if src in self.islands:
            try:
                html, fragments = cut_islands(html, self.nonce, self.islands[src])
            except IslandError as exc:
                raise PluginError(f"alliance: {src}: {exc}; a Markdown extension may reorder page content") from None
        for number, block in enumerate(self.blocks.take(src) if self.blocks is not None else ()):
            html = html.replace(f"<!--ap:{number}-->", block, 1)
        if fragments:
            html = fill_slots(html, self.nonce, fragments)
            # The sanitizer renamed heading ids the theme uses (__config); the
            # table of contents, made before, follows.
            _mend_toc(page.toc)
        # The last line of defence: whatever a template did with the YAML
        # (a fork's override printing a value with |safe), a page with
        # script, handlers or remote loads in it is not published (see
        # on_env: the scan may run on the other core).
        if src in self.generated and self.page_scan is not None:
            self.page_scan.add(src, html)
        return html

    # The theme's templates are compiled once per process, not once per
    # `serve` rebuild (see MemoryBytecodeCache).
    # Our theme templates (footer, 404) get their texts and the main
    # sections' addresses as `alliance`.
    def _env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if env.bytecode_cache is None:
            env.bytecode_cache = BYTECODE_CACHE
        self.navs = navcache.install(env)
        if self.renderer is not None:
            env.globals["alliance"] = glue.theme_globals(self.translator, [
                (title, f.url) for title, src in glue.MAIN_SECTIONS if (f := files.get_file_from_path(src)) is not None],
                search=self.pagefind)
        return env

    # Every page is read; none is written yet: a page the scan of generated
    # pages found something in stops the build here, all of them listed.
    @event_priority(200)
    def _scanned(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        found = self.page_scan.findings() if self.page_scan is not None else {}
        if found:
            raise PluginError("\n".join(
                f"alliance: {src} (made from {self.generated.get(src) or 'a generated page'}) would contain markup that runs or loads something:\n  "
                + "\n  ".join(str(f) for f in findings[:10]) for src, findings in list(found.items())[:20])
                + (f"\n... and {len(found) - 20} more pages" if len(found) > 20 else "")
                + "\nText from YAML must reach a template as plain text; a template that marks it |safe must not be used.")
        return env

    # The search index is made in parts as the pages are written (a part's
    # run starts once its pages are all written): the parts are planned now,
    # every page read, none written.
    @event_priority(-100)
    def _plan_index(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.articles is not None and not self.serving:
            pages = [(f.dest_uri, len(f.page.content or "")) for f in files.documentation_pages() if f.page is not None]
            self.indexing = search_build.IndexAsWritten(self.articles, Path(config.site_dir), pages, self.settings.search_part_pages)
        return env

    # A preview rebuild: the pages not read again keep their titles (for the
    # navigation of those that are written) and their tags (the tags plugin
    # lists them in its on_env, priority 100), before any page is written.
    @event_priority(110)
    def _kept_pages(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.rebuild is not None:
            self.rebuild.restore_kept_pages(files, config)
        return env

    on_env = CombinedEvent(_scanned, _kept_pages, _env, _plan_index)

    # Structured data (schema.org JSON-LD) belongs in <head>, which the page
    # Markdown cannot reach; it is added to the finished HTML. Pages that
    # show a file's size (made after the pages) are noted for on_post_build.
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        head = getattr(self, "heads", {}).get(page.file.src_uri)
        if head:
            output = output.replace("</head>", head + "\n</head>", 1)
        if SIZE_ATTR in output:
            self.sized_pages.append(Path(page.file.abs_dest_path))
        if self.rebuild is not None:
            self.rebuild.saw(page)
        if self.articles is not None:
            output = search.mark_searchable(output)
            self.articles.add(page.file.dest_uri, output, self.indexing.folder(page.file.dest_uri) if self.indexing else "")
            if self.indexing is not None:
                self.indexing.wrote(page.file.dest_uri)
        return output

    # Material reads search/search_index.js instead of the JSON when a page
    # is opened from file:// (its offline plugin writes it only in offline
    # builds); writing it always keeps search working in a downloaded copy.
    @event_priority(-90)
    def _search_script(self, *, config: MkDocsConfig) -> None:
        index = Path(config.site_dir) / "search" / "search_index.json"
        script = index.with_suffix(".js")
        if index.is_file() and not script.is_file():
            script.write_text("var __index = " + index.read_text(encoding="utf-8"), encoding="utf-8")

    # Last of all (after the PDFs): the offline copy, then the sizes of the
    # files the downloads page offers.
    @event_priority(-100)
    def _offline_and_sizes(self, *, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        if self.make_zip and self.renderer is not None:
            target = site_dir / self.renderer.options.offline_zip
            log.info(f"Building the offline copy ({target.relative_to(site_dir)}); ALLIANCE_OFFLINE_ZIP=0 skips it")
            try:
                size = build_offline_copy(str(config.config_file_path), target, target.stem, strict=bool(config.strict))
            except OfflineCopyError as exc:
                raise PluginError(f"alliance: {exc}\nSet ALLIANCE_OFFLINE_ZIP=0 (or `offline_copy: false` under alliance in mkdocs.yml) to build without it.") from None
            log.info(f"Offline copy: {human_size(size)}")
        missing = fill_sizes(site_dir, self.sized_pages)
        for path in missing:
            log.warning(f"alliance: the downloads page offers {path}, which this build did not make")

    # Pagefind indexes the written pages (before the offline copy, which has the theme's search).
    @event_priority(-80)
    def _search_index(self, *, config: MkDocsConfig) -> None:
        if self.rebuild is not None and self.renderer is not None:
            self.rebuild.finish(self.renderer.graph, self.renderer.mentions, Path(config.site_dir))
            if self.articles is not None:  # the preview shows the pages at once; its search follows
                search.index_in_background(self.articles, Path(config.site_dir), self.settings.search_part_pages)
        elif self.articles is not None and self.indexing is not None:
            try:
                done = self.indexing.finish()
            except search.SearchIndexError as exc:
                raise PluginError(f"alliance: search: {exc}") from None
            finally:
                self.articles.remove()
            early = f"{self.indexing.early} of {self.indexing.count} parts while the pages were written, " if self.indexing.early else ""
            early += f"{self.indexing.merged} parts merged into one index, " if self.indexing.merged else ""
            log.info(f"Search: {done.pages} pages indexed by Pagefind ({early}{done.seconds:.1f} s after the last page)")

    def _nav_report(self, *, config: MkDocsConfig) -> None:
        if self.blocks is not None:
            self.blocks.close()
        if self.navs is not None:
            self.navs.report()

    on_post_build = CombinedEvent(_search_script, _search_index, _offline_and_sizes, _nav_report)

    # Data folders outside docs_dir are watched too, so editing a case study
    # YAML file rebuilds the preview; the rebuild writes only the pages the
    # edit touches (see preview.py).
    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.project is not None and self.project.layout.casestudies.is_dir():
            server.watch(str(self.project.layout.casestudies))
        if self.settings.partial_preview:
            server.builder = preview.wrap_builder(server.builder)
        watch_instantly(server)
        return server

    # A preview build that failed once it began writing leaves the next to write everything.
    def on_build_error(self, *, error: Exception) -> None:
        if self.blocks is not None:
            self.blocks.close()
        if self.page_scan is not None:
            self.page_scan.close()
        if self.rebuild is not None and self.writing:
            preview.PREVIEW.reset()
        if self.indexing is not None:
            self.indexing.stop()
        if self.articles is not None and not self.serving:
            self.articles.remove()


def _mend_toc(items: Any) -> None:
    for item in items or ():
        item.id = theme_safe_id(item.id)
        _mend_toc(item.children)
