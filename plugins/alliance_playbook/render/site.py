"""The generated site: every page of every kind, and the pages that belong
to no kind (the master checklist, the explore map, the reference, the data).

:class:`PageRenderer` is what a kind's page builder is handed
(``kinds.base.Site``): it owns the Jinja environment (templates in
``templates/``, a fork's overrides first), the helpers templates call, and
the assembly of a page (front matter, scripts, deferred Markdown fields).
Templates autoescape and every printed value goes through
:func:`..markup.text.plain`, so text from YAML can never become markup.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..gcpause import paused_gc
from ..graph import LinkGraph, build_graph
from ..i18n import Translator
from ..kinds.base import GeneratedPage
from ..markup.charts import number_or_blank
from ..markup.markdown import MarkdownFields
from ..markup.text import finalize, plain, with_code
from ..model.codes import country_codes
from ..model.enums import BUILTIN_ENUMS, LESSON_KIND_LABELS, SECTOR_OF_PARTNER_TYPE
from ..model.types import slugify
from ..project import Project
from ..settings import ALL_SECTIONS
from ..urls import kit_pdf_path, relative_url, src_to_url_file
from ..wikilinks import WikiLink
from .blocks import BYTECODE_CACHE
from .downloads import size_placeholder

_TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
ASSET_DIR = "assets/alliance"
#: Pages that belong to no kind: section -> source path.
SECTION_PAGES = {"checklist": "checklist/index.md", "explore": "explore/index.md", "reference": "reference/index.md",
                 "downloads": "downloads/index.md", "data": "data/index.md"}


@dataclass
class RenderOptions:
    """How the pages are rendered: URLs, language, site name and address, template folders, sections."""

    directory_urls: bool = True
    language: str = "en"
    site_name: str = "Alliance Playbook"
    site_url: str = ""
    #: The repository and its edit path (mkdocs.yml's repo_url, edit_uri).
    repo_url: str = ""
    edit_uri: str = ""
    template_dirs: Sequence[Path] = ()
    sections: Sequence[str] = ALL_SECTIONS
    #: Link the printable PDFs (only when the PDF plugin makes them).
    pdf_links: bool = False
    #: What the downloads page offers: the book's site path ("" when no PDF
    #: is made), whether each worksheet has a PDF, the offline copy's path
    #: ("" when none is made), and whether this build is the offline copy.
    pdf_book: str = ""
    pdf_worksheets: bool = False
    #: The maintainers' PDF's site path when it is separate, else "".
    pdf_maintainers: str = ""
    #: Whether each playbook phase has a workshop kit PDF.
    pdf_kits: bool = False
    offline_zip: str = ""
    offline_copy: bool = False
    #: Leave Markdown fields to the site's own Markdown pass (MkDocs plugin):
    #: a secret per build that marks where they go (see markup.markdown).
    defer_nonce: str | None = None


def site_key(site_name: str, site_url: str = "") -> str:
    """A short key that namespaces browser storage by site."""
    digest = hashlib.sha1(f"{site_name}\n{site_url}".encode()).hexdigest()[:8]
    return f"{slugify(site_name)[:24] or 'site'}-{digest}"


def _front_matter(title: str, **extra: Any) -> str:
    # The theme prints meta values without escaping: escape every text here.
    meta: dict[str, Any] = {"title": str(Markup.escape(title))}
    for key, value in extra.items():
        if isinstance(value, bool):
            meta[key] = value
        elif value:
            meta[key] = [str(Markup.escape(v)) for v in value] if isinstance(value, list) else str(Markup.escape(value))
    # JSON is valid YAML, and safe whatever the text contains.
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items()) + "---\n\n"


class PageRenderer:
    """Renders every generated page of a project, once per build."""

    def __init__(self, project: Project, options: RenderOptions | None = None, graph: LinkGraph | None = None):
        self.project = project
        self.options = options or RenderOptions()
        self.graph = graph or build_graph(project)
        self.translate = Translator(self.options.language)
        self.key = site_key(self.options.site_name, self.options.site_url)
        self.md = MarkdownFields(self._render_wikilink, self.options.defer_nonce)
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader([str(d) for d in self.options.template_dirs])]
        loaders.append(jinja2.PackageLoader("alliance_playbook", "templates"))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
            bytecode_cache=BYTECODE_CACHE,
            # Every {{ value }} is written so that neither HTML nor Markdown
            # reads syntax in it (see markup.text): text from YAML stays text.
            finalize=finalize,
        )
        self.env.globals.update(
            _=self.translate, label=self.label, country=self.country, sector_of=self.sector_of, fmt=number_or_blank,
            project=project, graph=self.graph, site_key=self.key, lesson_kinds=LESSON_KIND_LABELS, pdf_links=self.options.pdf_links,
            pdf_kits=self.options.pdf_kits, kit_pdf=kit_pdf_path, file_size=size_placeholder,
        )
        self._builtin_cache: dict[str, bool] = {}
        #: A preview rebuild's pages that stay as they were: given a page's
        #: source, the previous build's page, taken instead of rendering it.
        self.keep: Callable[[str], GeneratedPage | None] | None = None
        #: Page source -> the items it names by wiki link (filled while rendering).
        self.mentions: dict[str, set[tuple[str, str]]] = {}
        self._rendering = ""
        #: A preview's values made from one item each, kept between its rebuilds (kinds.base.memo).
        self.memo: dict[Any, Any] | None = None
        #: A preview's exported items, kept between its rebuilds (see render.exports).
        self.export_cache: dict[tuple[str, str], tuple[dict[str, Any], str]] | None = None
        self._data_files: list[tuple[str, str]] | None = None
        self.data_shapes: dict[str, Any] = {}  # what JSON data files hold, noted as written (exports.JsonShape)
        self.data_sizes: dict[str, int] = {}  # and each one's size in bytes
        self.env.filters["period"] = self.period
        self.env.filters["mdh"] = plain  # kept for templates of forks
        self.env.filters["with_code"] = with_code

    # ----- helpers available to templates and page builders ------------------------------------
    def src(self, kind: str, id_: str = "") -> str:
        """The source path of an item's page, or of a kind's index (``id_`` empty)."""
        k = self.project.registry[kind]
        if not id_:
            index = k.index_src()
            assert index is not None, f"{kind} has no index page"
            return index
        return k.src(id_, self.project.items(kind).get(id_))

    def url(self, kind: str, id_: str = "") -> str:
        """The site URL of an item's page, a kind's index, or a section's page."""
        if kind in SECTION_PAGES and kind not in self.project.registry:
            src = f"{kind}/{id_}.md" if id_ else SECTION_PAGES[kind]
            return src_to_url_file(src, self.options.directory_urls)
        return src_to_url_file(self.src(kind, id_), self.options.directory_urls)

    def link_from(self, page_url: str) -> tuple[Callable[..., Markup], Callable[[str], Markup]]:
        """The ``link(kind, id)`` and ``asset(path)`` helpers of the page at ``page_url``: both give relative URLs."""
        # URLs are made of ids (checked against the id syntax: [a-z0-9-])
        # and our own paths, so they hold nothing to escape.
        def link(kind: str, id_: str = "") -> Markup:
            return Markup(relative_url(page_url, self.url(kind, id_)))

        def asset(path: str) -> Markup:
            return Markup(relative_url(page_url, path))

        return link, asset

    def title_of(self, kind: str, id_: str) -> str:
        """The title of an item; its id when it has no title or does not exist."""
        target = self.project.get(kind, id_)
        return getattr(target, "title", id_) if target is not None else id_

    def _render_wikilink(self, link: WikiLink, page_url: str) -> str:
        self.mentions.setdefault(self._rendering, set()).add((link.kind, link.id))
        text = link.text or self.title_of(link.kind, link.id)
        href = relative_url(page_url, self.url(link.kind, link.id))
        return f'<a href="{Markup.escape(href)}" class="ap-xref">{plain(text)}</a>'

    def label(self, enum: str, value: Any) -> str:
        """The translated label of an enum value ('' for None); a value with no label is shown as is."""
        if value is None:
            return ""
        labels = BUILTIN_ENUMS.get(enum) or (LESSON_KIND_LABELS if enum == "lesson_kind" else {})
        return self.translate(labels.get(str(value), str(value)))

    def country(self, code: str | None) -> str:
        """The name of a country code, in the site's language when pycountry has it; an unknown code as is."""
        if not code:
            return ""
        name = country_codes().get(code, code)
        if self.translate.language != "en":
            try:
                import gettext

                import pycountry

                tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[self.translate.language])
                return tr.gettext(name)
            except (OSError, ImportError):
                return name
        return name

    def sector_of(self, partner_type: Any) -> str:
        """The sector of a partner type (``government``, ``civil-society``...); ``other`` when unknown."""
        return SECTOR_OF_PARTNER_TYPE.get(str(partner_type), "other")

    def period(self, case: Any) -> str:
        """When a case ran, as text (``2019 – 2021``, ``since 2020, ongoing``...); '' when unknown."""
        p = case.period
        if p is None or (not p.start and not p.end):
            return self.translate("ongoing") if p and p.ongoing else ""
        if p.start and p.ongoing:
            return self.translate("since {start}, ongoing", start=p.start)
        if p.start and p.end:
            return f"{p.start} – {p.end}"
        if p.start:
            return self.translate("since {start}", start=p.start)
        return self.translate("until {end}", end=p.end)

    # ----- pages ------------------------------------------------------------------------------
    def render(self, template: str, src_uri: str, **context: Any) -> str:
        """``template`` rendered for the page at ``src_uri``, with the link, asset and Markdown helpers."""
        page_url = src_to_url_file(src_uri, self.options.directory_urls)
        link, asset = self.link_from(page_url)

        def md(text: str | None, inline: bool = False) -> Markup:
            return self.md.render(text, page_url, inline)

        self._rendering = src_uri
        return self.env.get_template(template).render(link=link, asset=asset, md=md, page_url=page_url, **context)

    def page(self, template: str, src: str, title: str, kind: str, entity: Any = None, scripts: tuple[str, ...] = (),
             description: str = "", tags: Sequence[str] = (), hide: Sequence[str] = (), book: bool = True,
             **context: Any) -> GeneratedPage:
        """One page: ``template`` rendered with ``context``, its front matter and scripts.

        ``hide`` names parts of the theme's layout the page does without
        (``navigation``, ``toc``): wide worksheet tables take the full width.
        ``book=False`` keeps a page that only makes sense on screen (the
        downloads) out of the PDF (front matter ``book: false``).
        """
        kept = self.kept(src)
        if kept is not None:
            return kept
        self.md.take_islands()
        body = self.render(template, src, title=title, scripts=scripts, **context)
        islands = self.md.take_islands()
        edit = entity.path if entity is not None and entity.path else None
        head = _front_matter(title, description=description, tags=list(tags), hide=list(hide), **({} if book else {"book": False}))
        if scripts:
            # Deferred scripts run in order: the shared module first.
            _, asset = self.link_from(src_to_url_file(src, self.options.directory_urls))
            body += "\n" + "".join(f'<script src="{asset(f"{ASSET_DIR}/{name}")}" defer></script>\n' for name in ("common.js", *scripts))
        return GeneratedPage(src, head + body, title, kind, getattr(entity, "id", ""), edit, scripts,
                             html_only=self._builtin(template), islands=islands)

    def kept(self, src: str) -> GeneratedPage | None:
        """The previous build's page at ``src`` when a preview rebuild keeps it (see adapters/preview.py)."""
        return self.keep(src) if self.keep is not None else None

    def _builtin(self, template: str) -> bool:
        """Whether ``template`` is ours rather than a fork's override (which
        may contain Markdown prose)."""
        cached = self._builtin_cache.get(template)
        if cached is None:
            filename = self.env.get_template(template).filename or ""
            cached = self._builtin_cache[template] = Path(filename).resolve().is_relative_to(_TEMPLATE_DIR)
        return cached

    @paused_gc()
    def pages(self) -> list[GeneratedPage]:
        """Every generated page, section by section (see :mod:`..gcpause` for
        why the collector waits)."""
        from .sections import section_pages

        out: list[GeneratedPage] = []
        for section in self.options.sections:
            for kind in self.project.registry.in_section(section):
                out.extend(kind.pages(self))
            out.extend(section_pages(self, section))
        return out

    def assets(self) -> list[tuple[str, str]]:
        """Files the generated pages load (the case index's search text), for
        the kinds whose sections are built."""
        out: list[tuple[str, str]] = []
        for section in self.options.sections:
            for kind in self.project.registry.in_section(section):
                out.extend(kind.assets(self))
        return out

    def data_files(self) -> list[tuple[str, str]]:
        """The data exports, when the ``data`` section is on (made once per renderer)."""
        if "data" not in self.options.sections:
            return []
        if self._data_files is None:
            self._data_files = self._make_data_files()
        return self._data_files

    def forget_data_files(self) -> None:
        """Let the data exports' text go (once the build holds them as files)."""
        self._data_files = None

    def _make_data_files(self) -> list[tuple[str, str]]:
        from .exports import data_files

        with paused_gc():
            return data_files(self)
