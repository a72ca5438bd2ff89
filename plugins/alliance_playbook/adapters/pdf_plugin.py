"""The ``alliance-pdf`` MkDocs plugin: the guide as one PDF, worksheets as sheets.

A thin adapter: it remembers the navigation, adds "Download PDF" links to the
pages, and after the build hands the built HTML to :mod:`alliance_playbook.pdf`.
``mkdocs serve`` skips it (a preview should not wait for a book), and so does
ALLIANCE_PDF=0 (quick builds, the test suite).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..i18n import Translator
from ..pdf import NavNode, PdfError, PdfOptions, attach_orphans, nav_from_mkdocs
from ..pdf.book import build_time
from ..pdf.build import Booklet, build_book_and_worksheets
from ..pdf.nav import page_title, retitle_home, split_off
from ..pdf.worksheets import Worksheet
from ..settings import SettingsError
from ..urls import maintainers_pdf_path, worksheet_pdf_path
from . import glue
from .config import AlliancePdfConfig, settings_for

log = get_plugin_logger(__name__)

#: Placeholder a page may contain; filled with the PDF's size and date after the build.
INFO_PLACEHOLDER = "<span data-ap-pdf-info></span>"
#: A worksheet's page: ``worksheets/<id>.md``, or ``worksheets/<id>/index.md`` in a generated folder.
_WORKSHEET_SRC = re.compile(r"^worksheets/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.md|/index\.md)$")


class AlliancePdfPlugin(glue.KnowsTheCommand, BasePlugin[AlliancePdfConfig]):
    """The ``alliance-pdf`` plugin: links the pages to their PDFs, and after a
    build writes the guide as one PDF and each worksheet as a sheet. A
    preview (``serve``) makes none: it must not wait for a book."""

    active = True

    # on_config decides once whether this build makes PDFs, and collects what
    # the cover and metadata say (some of it from the `alliance` plugin).
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            settings = settings_for(config)
        except SettingsError as exc:
            raise PluginError(f"alliance-pdf: {exc}") from None
        pdf = settings.pdf
        self.active = pdf.enabled and not self.serving
        logo = (config.theme.get("logo") if config.theme else None) or ""
        self.options = pdf_options(settings, logo)
        self.sheets = pdf.worksheets
        self.maintainers = pdf.maintainers
        self.maintainer_pages = pdf.maintainer_pages
        self.kits = pdf.kits
        self._pages_with_info: list[Path] = []
        return config

    # on_nav: the book follows the navigation; keep it for after the build,
    # when every page has its final title.
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        self.files = files
        return nav

    # on_page_content adds the "Download PDF" link (marked not to print), at
    # the top of the home page with room for the size and date, at the
    # bottom of every other page.
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.active or (page.meta or {}).get("book") is False:
            return html  # not in the book (the downloads page lists the PDFs itself)
        _ = self.options._
        book = f"pdf/{self.options.pdf_name}"
        if self.maintainers == "separate" and page.url.startswith(self.maintainer_pages):
            book = maintainers_pdf_path(self.options.site_name, self.options.filename)  # where this page is printed
        href = get_relative_url(book, page.url)
        if page.is_homepage:
            link = (f'<p class="ap-pdf-link ap-noprint"><a href="{Markup.escape(href)}">{Markup.escape(_("Download the whole guide as PDF"))}</a> '
                    f"{INFO_PLACEHOLDER}</p>\n")
            end = html.find("</h1>")
            return html[: end + 5] + "\n" + link + html[end + 5:] if end >= 0 else link + html
        sheet = _WORKSHEET_SRC.fullmatch(page.file.src_uri)
        if sheet and self.sheets and 'class="ap-blank"' in html:
            # A worksheet page offers its own sheet first, the book second.
            sheet_href = get_relative_url(worksheet_pdf_path(sheet.group(1)), page.url)
            return html + (f'\n<p class="ap-pdf-link ap-noprint">{Markup.escape(_("Download PDF"))}: '
                           f'<a href="{Markup.escape(sheet_href)}">{Markup.escape(_("this worksheet, blank to print"))}</a> · '
                           f'<a href="{Markup.escape(href)}">{Markup.escape(_("the whole guide"))}</a></p>\n')
        return html + f'\n<p class="ap-pdf-link ap-noprint"><a href="{Markup.escape(href)}">{Markup.escape(_("Download PDF"))}</a></p>\n'

    # on_post_page notes which built files carry the size/date placeholder.
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.active and INFO_PLACEHOLDER in output:
            self._pages_with_info.append(Path(page.file.abs_dest_path))
        return output

    # on_post_build: every page is written, so the book is made from the
    # final HTML. A missing chapter fails the build (PdfError).
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.active:
            return
        site_dir = Path(config.site_dir)
        try:
            result = make_pdfs(site_dir, self.nav, self.files, self.options, sheets=self.sheets, maintainers=self.maintainers,
                               maintainer_pages=self.maintainer_pages, kits=self.kits)
        except PdfError as exc:
            raise PluginError(f"alliance-pdf: {exc}\nSet ALLIANCE_PDF=0 (or `enabled: false` under alliance-pdf in mkdocs.yml) to build without the PDF.") from None
        except KeyboardInterrupt:
            # The workers are stopped and no PDF is left; say so once, and let
            # the interrupt stop the build as MkDocs stops it (no traceback).
            log.error("alliance-pdf: interrupted; no PDF was written")
            raise
        info = self.options._("PDF, {pages} pages, {size}, {date}").format(
            pages=result.pages, size=_size(result.size), date=build_time().date().isoformat())
        for path in self._pages_with_info:
            _fill_info(path, info)


def pdf_options(settings: Any, logo: str = "") -> PdfOptions:
    """What the book's cover and metadata say, from the project's settings."""
    pdf = settings.pdf
    return PdfOptions(
        site_name=settings.site_name, filename=pdf.filename, author=pdf.author, organization=pdf.organization,
        language=settings.language, description=settings.site_description, keywords=list(pdf.keywords),
        logo=logo if logo and "://" not in logo else "", site_url=settings.site_url, version=pdf.version,
        translate=Translator(settings.language), debug=pdf.debug, parts=pdf.parts, jobs=pdf.jobs,
    )


def make_pdfs(site_dir: Path, nav: Navigation, files: Files, options: PdfOptions, *, sheets: bool, maintainers: str,
              maintainer_pages: tuple[str, ...], kits: bool) -> Any:
    """The book (its maintainers' pages in an appendix or a book of their own), the
    worksheet sheets and the workshop kits, from the built pages in ``site_dir``
    (a PdfResult; PdfError when a chapter is missing)."""
    _ = options._
    tree, maintainer_nodes = split_off(retitle_home(book_structure(nav, files), _("Introduction")), maintainer_pages)
    booklets = []
    if maintainer_nodes and maintainers == "separate":
        booklets.append(Booklet(maintainer_nodes, replace(
            options, filename=maintainers_pdf_path(options.site_name, options.filename),
            site_name=_("{site}: for maintainers").format(site=options.site_name),
            description=_("Forking, publishing and the content reference."), keywords=[])))
    elif maintainer_nodes:
        tree.append(NavNode(_("Appendix: for maintainers"), children=maintainer_nodes))
    if kits:
        booklets.extend(workshop_kits(site_dir, files, options))
    pages = worksheet_pages(files, site_dir) if sheets else []
    return build_book_and_worksheets(site_dir, tree, pages, options, log=log, booklets=booklets)


def book_structure(nav: Navigation, files: Files) -> list[NavNode]:
    """The navigation tree, plus built pages it does not list, under their
    parent; pages whose front matter says ``book: false`` are left out."""
    pages = files.documentation_pages()
    left_out = {f.dest_uri for f in pages if f.page is not None and (f.page.meta or {}).get("book") is False}
    tree = without(nav_from_mkdocs(nav.items), left_out)
    others = [NavNode(page_title(f.page) if f.page else f.name, f.url, f.dest_uri) for f in pages if f.dest_uri not in left_out]
    homeless = attach_orphans(tree, others)
    if homeless:
        log.info("PDF: pages outside the navigation with no parent page are left out: " + ", ".join(p.url or "" for p in homeless))
    return tree


def workshop_kits(site_dir: Path, files: Files, options: PdfOptions) -> list[Booklet]:
    """One booklet per playbook phase: the phase page with its steps, the
    worksheets those steps use (each page prints its blank sheet), and the
    lessons they draw on. Read from the site's own ``data/playbook.json``
    (the published export), so the kits show what the site shows."""
    export = site_dir / "data" / "playbook.json"
    if not export.is_file():
        log.info("PDF: no data/playbook.json (the data section is off): no workshop kits")
        return []
    data = json.loads(export.read_text(encoding="utf-8"))
    by_url = {f.url: f for f in files.documentation_pages()}
    items = {kind: {item["id"]: item for item in data.get(kind, [])} for kind in ("steps", "worksheets", "lessons")}

    def node(item: dict[str, Any]) -> NavNode | None:
        f = by_url.get(item.get("url", ""))
        return None if f is None else NavNode(str(item.get("title") or f.name), f.url, f.dest_uri)

    _ = options._
    out = []
    for phase in data.get("phases", []):
        top = node(phase)
        if top is None:
            continue
        steps = [items["steps"][s] for s in phase.get("steps", []) if s in items["steps"]]
        top.children = [n for s in steps if (n := node(s)) is not None]
        kit = [top]
        for kind, heading in (("worksheets", _("Worksheets")), ("lessons", _("Key lessons"))):
            wanted = {i for s in steps for i in s.get("links", {}).get(kind, [])}
            # In the site's order (the export's), which is the book's.
            pages = [n for i, item in items[kind].items() if i in wanted and (n := node(item)) is not None]
            if pages:
                kit.append(NavNode(heading, children=pages))
        out.append(Booklet(kit, replace(
            options, folder="kits", filename=f"{phase['id']}.pdf", excerpt=True,
            site_name=_("Workshop kit: {title}").format(title=phase.get("title", "")),
            description=str(phase.get("summary") or ""), keywords=[])))
    return out


def without(nodes: list[NavNode], paths: set[str]) -> list[NavNode]:
    """The tree without the pages at ``paths``; what was under a page left
    out moves up, and a section left empty goes."""
    out: list[NavNode] = []
    for node in nodes:
        children = without(node.children, paths)
        if node.path in paths:
            out.extend(children)
        elif node.is_page or children:
            out.append(NavNode(node.title, node.url, node.path, children))
    return out


def worksheet_pages(files: Files, site_dir: Path) -> list[Worksheet]:
    """Built worksheet pages (``worksheets/<id>.md``) that have a blank version."""
    out = []
    for f in files.documentation_pages():
        match = _WORKSHEET_SRC.fullmatch(f.src_uri)
        if match and "ap-blank" in (site_dir / f.dest_uri).read_text(encoding="utf-8"):
            out.append(Worksheet(match.group(1), f.dest_uri, f.url))
    return out


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{max(1, round(size / 1e3))} kB"


def _fill_info(path: Path, info: str) -> None:
    html = path.read_text(encoding="utf-8")
    path.write_text(html.replace(INFO_PLACEHOLDER, f"<span data-ap-pdf-info>({Markup.escape(info)})</span>"), encoding="utf-8")


__all__ = ["AlliancePdfPlugin", "book_structure", "without", "workshop_kits", "worksheet_pages"]
