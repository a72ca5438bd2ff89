"""Every setting of a build, resolved once, the same way for every entry point.

A setting comes from the plugin options in ``mkdocs.yml`` (``alliance`` and
``alliance-pdf``), from the site's own settings (``site_name``, the theme's
language), and from ``ALLIANCE_*`` environment variables, which win. The two
MkDocs plugins, ``alliance generate``, ``alliance check`` and ``alliance pdf``
all call :func:`resolve`, so they cannot disagree about what
``ALLIANCE_PDF=false`` means or which language the labels are in.

Nothing here imports MkDocs: the adapters hand over plain mappings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The generated sections, in their default navigation order.
ALL_SECTIONS = ("playbook", "checklist", "worksheets", "lessons", "casestudies", "explore", "reference", "data")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class SettingsError(ValueError):
    """A setting has a value that means nothing; the message says what to write."""


def flag(value: object, name: str) -> bool:
    """A true/false setting: ``true/false``, ``yes/no``, ``on/off``, ``1/0`` (any case)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false (also yes/no, on/off, 1/0), not {str(value)!r}")


def count(value: object, name: str) -> int:
    """A whole number of 0 or more (0: automatic)."""
    if isinstance(value, bool) or not (isinstance(value, int) or str(value).strip().isdigit()):
        raise SettingsError(f"{name} must be a whole number, 0 or more (0 for automatic), not {str(value)!r}")
    number = int(str(value).strip())
    if number < 0:
        raise SettingsError(f"{name} must be 0 (automatic) or more, not {number}")
    return number


def choice(value: object, name: str, allowed: tuple[str, ...]) -> str:
    """One of ``allowed`` (any case)."""
    text = str(value).strip().lower()
    if text not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {str(value)!r}")
    return text


@dataclass(frozen=True)
class PdfSettings:
    """What the ``alliance-pdf`` plugin makes, and how."""

    #: Whether a build writes the PDFs (``alliance-pdf`` listed, enabled, not ALLIANCE_PDF=0).
    enabled: bool = False
    filename: str = ""
    author: str = ""
    organization: str = ""
    version: str = ""
    keywords: tuple[str, ...] = ()
    worksheets: bool = True
    debug: bool = False
    parts: int = 0
    jobs: int = 0
    #: "appendix" or "separate": where the maintainers' pages go.
    maintainers: str = "appendix"
    maintainer_pages: tuple[str, ...] = ("forking/", "reference/", "explore/")
    kits: bool = True


@dataclass(frozen=True)
class Settings:
    """One build's settings, after every source has had its say."""

    root: Path
    docs_dir: str = "content"
    casestudies_dir: str = "casestudies"
    templates_dir: str = "overrides/alliance"
    theme_dir: str | None = None
    drafts: bool = False
    sections: tuple[str, ...] = ALL_SECTIONS
    #: The language of generated labels, and whether the site asked for it by
    #: name (the plugin's ``language``) rather than through the theme.
    language: str = "en"
    language_asked: bool = False
    nav_limit: int = 30
    organization: str = ""
    site_name: str = "Alliance Playbook"
    site_url: str = ""
    #: The repository (``repo_url``) and the edit path in it (``edit_uri``), for "propose a case".
    repo_url: str = ""
    edit_uri: str = ""
    site_author: str = ""
    site_description: str = ""
    directory_urls: bool = True
    #: Python files (relative to the project) that define extra content kinds.
    kinds: tuple[str, ...] = ()
    #: Whether a build also makes the offline copy (a zip in downloads/),
    #: and whether this build is that copy (ALLIANCE_OFFLINE=true).
    offline_zip: bool = False
    offline: bool = False
    #: The site's search (the plugin's ``search``, ALLIANCE_SEARCH): pagefind or material.
    search: str = "pagefind"
    #: Pages per part of Pagefind's index (ALLIANCE_SEARCH_PART_PAGES); 0: parts by size (adapters/search.py).
    search_part_pages: int = 0
    #: Whether ``mkdocs serve`` rebuilds only what an edit touches (adapters/preview.py).
    partial_preview: bool = True
    pdf: PdfSettings = field(default_factory=PdfSettings)

    @property
    def extra_dirs(self) -> list[str]:
        """Folders besides the content that a build reads (links out of them are refused)."""
        return [d for d in (self.templates_dir, self.theme_dir) if d]


#: The searches a site can have (the ``search`` option).
SEARCH_ENGINES = ("pagefind", "material")


def resolve(
    root: Path,
    site: Mapping[str, Any],
    alliance: Mapping[str, Any] | None,
    pdf: Mapping[str, Any] | None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """The settings of the project at ``root``.

    ``site``: the site settings (``docs_dir``, ``site_name``, ``site_url``,
    ``site_author``, ``site_description``, ``use_directory_urls``, and
    ``theme`` as a mapping with ``language`` and ``custom_dir``);
    ``alliance`` and ``pdf``: the two plugins' options (None when a plugin is
    not listed). Raises :class:`SettingsError` for a value that means nothing.
    """
    env = os.environ if environ is None else environ
    options = dict(alliance or {})
    theme = site.get("theme") or {}
    theme = theme if isinstance(theme, Mapping) else {}
    custom_dir = theme.get("custom_dir")
    theme_dir = os.path.relpath(Path(custom_dir).resolve(), root.resolve()) if isinstance(custom_dir, str) and custom_dir else None
    docs_dir = str(site.get("docs_dir") or "docs")
    if Path(docs_dir).is_absolute():
        docs_dir = os.path.relpath(docs_dir, root)
    language_option = options.get("language")
    drafts = flag(options.get("drafts", False), "drafts")
    if env.get("ALLIANCE_DRAFTS", "").strip():
        drafts = flag(env["ALLIANCE_DRAFTS"], "ALLIANCE_DRAFTS")
    sections = tuple(options.get("sections") or ALL_SECTIONS)
    unknown = [s for s in sections if s not in ALL_SECTIONS]
    if unknown and not options.get("kinds"):
        raise SettingsError(f"sections: unknown section {unknown[0]!r}; sections are {', '.join(ALL_SECTIONS)}")
    return Settings(
        root=root,
        docs_dir=docs_dir,
        casestudies_dir=str(options.get("casestudies_dir", "casestudies")),
        templates_dir=str(options.get("templates_dir", "overrides/alliance")),
        theme_dir=theme_dir,
        drafts=drafts,
        sections=sections,
        language=str(language_option or theme.get("language") or "en"),
        language_asked=bool(language_option),
        nav_limit=count(options.get("nav_limit", 30), "nav_limit"),
        organization=str(options.get("organization", "") or ""),
        site_name=str(site.get("site_name") or ""),
        site_url=str(site.get("site_url") or ""),
        repo_url=str(site.get("repo_url") or ""),
        edit_uri=str(site.get("edit_uri") or ""),
        site_author=str(site.get("site_author") or ""),
        site_description=str(site.get("site_description") or ""),
        directory_urls=flag(site.get("use_directory_urls", True), "use_directory_urls"),
        kinds=tuple(options.get("kinds") or ()),
        offline_zip=_env_flag(env, "ALLIANCE_OFFLINE_ZIP", flag(options.get("offline_copy", True), "offline_copy")),
        offline=_env_flag(env, "ALLIANCE_OFFLINE", False),
        search=_search(env.get("ALLIANCE_SEARCH", "").strip() or str(options.get("search", "pagefind"))),
        search_part_pages=count(env.get("ALLIANCE_SEARCH_PART_PAGES", "").strip() or 0, "ALLIANCE_SEARCH_PART_PAGES"),
        partial_preview=_env_flag(env, "ALLIANCE_PARTIAL_PREVIEW", flag(options.get("partial_preview", True), "partial_preview")),
        pdf=_pdf(pdf, options, site, env),
    )


def _search(value: str) -> str:
    if value not in SEARCH_ENGINES:
        raise SettingsError(f"search: {value!r} is not a search this site can use; use one of {', '.join(SEARCH_ENGINES)}")
    return value


def _env_flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """A true/false environment variable, ``default`` when unset or empty."""
    value = env.get(name, "").strip()
    return flag(value, name) if value else default


def _pdf(pdf: Mapping[str, Any] | None, alliance: Mapping[str, Any], site: Mapping[str, Any], env: Mapping[str, str]) -> PdfSettings:
    """The PDF settings: off unless the plugin is listed; ALLIANCE_PDF* variables win."""
    if pdf is None:
        return PdfSettings()
    enabled = flag(pdf.get("enabled", True), "alliance-pdf: enabled")
    if env.get("ALLIANCE_PDF", "").strip():
        enabled = flag(env["ALLIANCE_PDF"], "ALLIANCE_PDF")
    debug = flag(pdf.get("debug", False), "alliance-pdf: debug")
    if env.get("ALLIANCE_PDF_DEBUG", "").strip():
        debug = flag(env["ALLIANCE_PDF_DEBUG"], "ALLIANCE_PDF_DEBUG")
    organization = str(pdf.get("organization") or alliance.get("organization") or "")

    def number(option: str, variable: str) -> int:
        value = env.get(variable, "").strip()
        return count(value, variable) if value else count(pdf.get(option, 0), f"alliance-pdf: {option}")

    return PdfSettings(
        enabled=enabled,
        filename=str(pdf.get("filename") or ""),
        author=str(pdf.get("author") or site.get("site_author") or organization),
        organization=organization,
        version=str(pdf.get("version") or ""),
        keywords=tuple(str(k) for k in pdf.get("keywords") or ()),
        worksheets=flag(pdf.get("worksheets", True), "alliance-pdf: worksheets"),
        debug=debug,
        parts=number("parts", "ALLIANCE_PDF_PARTS"),
        jobs=number("jobs", "ALLIANCE_PDF_JOBS"),
        maintainers=choice(pdf.get("maintainers", "appendix"), "alliance-pdf: maintainers", ("appendix", "separate")),
        maintainer_pages=tuple(str(p).strip("/") + "/" for p in pdf.get("maintainer_pages", PdfSettings.maintainer_pages) if str(p).strip("/")),
        kits=flag(pdf.get("kits", True), "alliance-pdf: kits"),
    )
