"""What every entry point does the same way: load a project from its
settings, make the renderer, list the assets, word a failed load."""

from __future__ import annotations

import html as html_lib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from ..errors import ContentError, summary
from ..i18n import Translator, available_languages
from ..kinds.registry import load_registry
from ..project import FileCache, Project, load_project
from ..render.site import ASSET_DIR, RenderOptions
from ..settings import ALL_SECTIONS, Settings, SettingsError
from ..urls import maintainers_pdf_path, offline_zip_path, pdf_path
from .preview import stop_cleanly_on_sigterm

#: The browser files every site gets (``assets/alliance/``); common.js first:
#: the page scripts use it.
ASSETS = ("alliance.css", "common.js", "checklist.js", "worksheet.js", "combine.js", "casefilter.js", "propose.js", "search.js")
SHIM = f"{ASSET_DIR}/vendor/iframe-worker-shim.js"
#: The stylesheet every page links (``extra_css``).
ASSETS_CSS = f"{ASSET_DIR}/alliance.css"


class KnowsTheCommand:
    """Mixin of our MkDocs plugins: ``serving`` says whether this run is
    ``mkdocs serve`` (a preview: no PDF, no offline copy, nothing that makes
    a rebuild wait), learnt in ``on_startup``."""

    serving = False

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Note whether this run is a preview (``mkdocs serve``); a preview
        stopped by SIGTERM then cleans up as after Ctrl-C, its first build too."""
        self.serving = command == "serve"
        if self.serving:
            stop_cleanly_on_sigterm()


def load(settings: Settings, cache: FileCache | None = None) -> Project:
    """The validated project the settings describe (ContentError, SettingsError)."""
    registry = load_registry(settings.root, settings.kinds)
    known = set(ALL_SECTIONS) | set(registry.sections)
    for section in settings.sections:
        if section not in known:
            raise SettingsError(f"sections: unknown section {section!r}; sections are {', '.join(sorted(known))}")
    return load_project(
        settings.root, content_dir=settings.docs_dir, casestudies_dir=settings.casestudies_dir, include_drafts=settings.drafts,
        cache=cache, extra_dirs=settings.extra_dirs, registry=registry,
    )


def sections(settings: Settings, project: Project) -> tuple[str, ...]:
    """The sections to build: as configured, plus extra kinds' own sections
    when the option was left at its default."""
    if settings.sections != ALL_SECTIONS:
        return settings.sections
    extra = [s for s in project.registry.sections if s not in ALL_SECTIONS]
    return (*ALL_SECTIONS[:-3], *extra, *ALL_SECTIONS[-3:])  # before explore, reference and data


def render_options(settings: Settings, project: Project, *, directory_urls: bool | None = None,
                   pdf_links: bool = False, defer_nonce: str | None = None, offline_zip: bool = False,
                   offline_copy: bool = False) -> RenderOptions:
    """How the renderer renders this project (``directory_urls``: what the
    engine finally uses, which Material's offline plugin may change;
    ``pdf_links``/``offline_zip``: whether this build makes the PDFs and the
    offline copy, so pages may link them)."""
    return RenderOptions(
        directory_urls=settings.directory_urls if directory_urls is None else directory_urls,
        language=settings.language, site_name=settings.site_name, site_url=settings.site_url,
        repo_url=settings.repo_url, edit_uri=settings.edit_uri,
        template_dirs=[settings.root / settings.templates_dir], sections=sections(settings, project),
        pdf_links=pdf_links, defer_nonce=defer_nonce,
        pdf_book=pdf_path(settings.site_name, settings.pdf.filename) if pdf_links else "",
        pdf_worksheets=pdf_links and settings.pdf.worksheets,
        pdf_maintainers=maintainers_pdf_path(settings.site_name, settings.pdf.filename) if pdf_links and settings.pdf.maintainers == "separate" else "",
        pdf_kits=pdf_links and settings.pdf.kits,
        offline_zip=offline_zip_path(settings.site_name) if offline_zip else "", offline_copy=offline_copy,
    )


def failed_load(exc: ContentError) -> str:
    """Every problem of a failed load, and the summary line."""
    count = len(exc.problems)
    return (f"the content has {count} problem{'s' if count != 1 else ''}:\n"
            + "\n".join(str(p) for p in exc.problems) + "\n" + summary(exc.files_checked, count))


def language_note(settings: Settings) -> tuple[bool, str] | None:
    """(loud, message) when the labels' language has no translations."""
    if Translator(settings.language).known:
        return None
    message = (f"there are no interface labels in {settings.language!r} (available: {', '.join(available_languages())}); "
               "generated pages use English labels. Set `language:` under the alliance plugin to one of those.")
    return settings.language_asked, message


def asset_files() -> list[tuple[str, bytes]]:
    """(site path, bytes) of every browser file a site gets."""
    package = resources.files("alliance_playbook").joinpath("assets")
    return [(f"{ASSET_DIR}/{name}", package.joinpath(name).read_bytes()) for name in ASSETS]


def as_bytes(data: str | bytes) -> bytes:
    """A generated file's content as bytes (text is UTF-8)."""
    return data.encode("utf-8") if isinstance(data, str) else data


def written_file(config: Any, path: str, data: str | bytes) -> Any:
    """A generated file (a data export, a script) written into the site
    folder now, as the MkDocs file at ``path``: MkDocs then finds it already
    in place and copies nothing, and the build does not hold its bytes while
    it makes every page (18 MB of data exports at 1,000 case studies). The
    site folder was emptied before on_files, unless ``--dirty``."""
    from mkdocs.structure.files import File

    target = Path(config.site_dir, *path.split("/"))
    file = File.generated(config, path, abs_src_path=str(target))
    if Path(file.abs_dest_path) != target:  # not copied as is (never for the files we make): keep it in memory
        return File.generated(config, path, content=data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(as_bytes(data))
    return file


def shim_file() -> tuple[str, bytes]:
    """The vendored iframe-worker shim: Material's search from ``file://``."""
    package = resources.files("alliance_playbook").joinpath("assets", "vendor", "iframe-worker-shim.js")
    return SHIM, package.read_bytes()


def theme_dir() -> str:
    """Our theme overrides (the repository widget that calls no API)."""
    return str(Path(str(resources.files("alliance_playbook").joinpath("theme"))))


#: The sections a lost reader is offered (the 404 page), with their index pages.
MAIN_SECTIONS = (
    ("Playbook", "playbook/index.md"), ("Worksheets", "worksheets/index.md"), ("Case studies", "casestudies/index.md"),
    ("Lessons", "lessons/index.md"), ("Master checklist", "checklist/index.md"), ("Downloads", "downloads/index.md"),
)


def theme_globals(translate: Translator, sections: list[tuple[str, str]], *, search: bool = False) -> dict[str, object]:
    """What our theme templates (footer, 404) use, as the ``alliance`` global:
    ``t`` translates an interface text, ``sections`` lists (title, URL) of
    the main sections this site has, ``search_texts`` the search dialog's
    texts when Pagefind searches the site (``assets/search.js``)."""
    texts = {text: translate(text) for text in SEARCH_TEXTS} if search else None
    return {"t": translate, "sections": [(translate(title), url) for title, url in sections], "search_texts": texts}


#: The search dialog's interface texts.
SEARCH_TEXTS = ("Search", "Close", "The search index could not be loaded.", "No results for “{term}”",
                "1 result for “{term}”", "{count} results for “{term}”", "Show more results",
                "Search needs the site served over the web. On this computer, open the offline copy (on the downloads page): its search works from a disk.")


def tags_slug_from_text(config: Any) -> None:
    """Material's tags plugin makes a tag's anchor from its name, which we
    hand over HTML-escaped (the theme prints it as is): slug the text the
    reader sees, so "R&D" is ``tag:rd``, not ``tag:ramp-d``."""
    for name in ("material/tags", "tags"):
        plugin = config.plugins.get(name)
        options = getattr(plugin, "config", None)
        slugify = getattr(options, "tags_slugify", None)
        if options is not None and slugify is not None and not isinstance(slugify, _UnescapedSlug):
            options.tags_slugify = _UnescapedSlug(slugify)


class _UnescapedSlug:
    """A tags slug function that slugs the text a reader sees."""

    def __init__(self, slugify: Any):
        self.slugify = slugify

    def __call__(self, text: str, separator: str) -> str:
        return str(self.slugify(html_lib.unescape(text), separator))


def handwritten_nav(docs_dir: Path) -> list[Any]:
    """MkDocs' own order for a site without ``nav``: the home page, then by depth."""
    pages = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md"))
    pages.sort(key=lambda p: (p != "index.md", p.count("/"), p))
    return pages
