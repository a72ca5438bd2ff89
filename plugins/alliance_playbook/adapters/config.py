"""The two plugins' options (one line each, as in ``mkdocs.yml``) and the
settings of a build read from MkDocs' own configuration.

:func:`settings_for` turns a loaded MkDocs configuration into
:class:`..settings.Settings`; both plugins, ``alliance generate`` and the
CLI go through it (the CLI loads ``mkdocs.yml`` with MkDocs' own loader,
:func:`settings_from_file`), so they read every option the same way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig

from ..settings import ALL_SECTIONS, Settings, resolve


class AllianceConfig(Config):
    """Options of the ``alliance`` plugin."""

    #: Folder of case study YAML files, relative to mkdocs.yml.
    casestudies_dir = opt.Type(str, default="casestudies")
    #: Build draft case studies too (marked as drafts). Also: ALLIANCE_DRAFTS=1.
    drafts = opt.Type(bool, default=False)
    #: Which generated sections to build, in navigation order.
    sections = opt.ListOfItems(opt.Type(str), default=list(ALL_SECTIONS))
    #: Language of generated labels (en, es); default: theme.language.
    language = opt.Optional(opt.Type(str))
    #: Folder with template overrides (a file there replaces the built-in one).
    templates_dir = opt.Type(str, default="overrides/alliance")
    #: List detail pages (cases, lessons) in the sidebar up to this many; more
    #: are reached through their index page, which keeps big builds fast.
    nav_limit = opt.Type(int, default=30)
    #: Organization that publishes the guide (cover and author of the PDF).
    organization = opt.Type(str, default="")
    #: Python files of the project that add kinds of content (see kinds/registry.py).
    kinds = opt.ListOfItems(opt.Type(str), default=[])
    #: Make the offline copy (downloads/<site-slug>-offline.zip) with every
    #: build; also ALLIANCE_OFFLINE_ZIP=0 or 1, which wins over this option.
    offline_copy = opt.Type(bool, default=True)
    #: The site's search: ``pagefind`` (a prebuilt index read in small
    #: pieces, for large collections) or ``material`` (the theme's own, which
    #: loads its whole index first). The offline copy always uses the
    #: theme's: Pagefind cannot read its index from file://.
    search = opt.Choice(("pagefind", "material"), default="pagefind")
    #: ``mkdocs serve`` rebuilds only the pages an edit to content YAML
    #: touches (false: every page, as MkDocs does); also ALLIANCE_PARTIAL_PREVIEW.
    partial_preview = opt.Type(bool, default=True)


class AlliancePdfConfig(Config):
    """Options of the ``alliance-pdf`` plugin."""

    #: Write the PDFs (also: ALLIANCE_PDF=0 or 1, which wins over this option).
    enabled = opt.Type(bool, default=True)
    #: File name in site/pdf/; default: the site name as a slug (alliance-playbook.pdf).
    filename = opt.Type(str, default="")
    #: Author in the PDF metadata; default: site_author, then the organization.
    author = opt.Type(str, default="")
    #: Organization on the cover; default: the ``alliance`` plugin's ``organization``.
    organization = opt.Type(str, default="")
    #: Version printed on the cover (the build date is always printed).
    version = opt.Type(str, default="")
    #: Keywords in the PDF metadata; default: the top-level navigation titles.
    keywords = opt.ListOfItems(opt.Type(str), default=[])
    #: Also write one blank PDF per worksheet in site/pdf/worksheets/.
    worksheets = opt.Type(bool, default=True)
    #: Keep the print HTML and link counts next to the PDF (also: ALLIANCE_PDF_DEBUG=1).
    debug = opt.Type(bool, default=False)
    #: Lay the book out in this many parts side by side, then merge them
    #: (also: ALLIANCE_PDF_PARTS). 0: as many as the book's size calls for
    #: (a small guide is one part); 1: in one piece.
    parts = opt.Type(int, default=0)
    #: Processes for the parts (also: ALLIANCE_PDF_JOBS). 0: one per core.
    jobs = opt.Type(int, default=0)
    #: Where the maintainers' pages (``maintainer_pages``) go: ``appendix``,
    #: after the case studies, or ``separate``, a PDF of their own
    #: (``pdf/<name>-maintainers.pdf``), leaving the book to its readers.
    maintainers = opt.Choice(("appendix", "separate"), default="appendix")
    #: Pages for those who run the site rather than read it, by URL prefix.
    maintainer_pages = opt.ListOfItems(opt.Type(str), default=["forking/", "reference/", "explore/"])
    #: One workshop kit per playbook phase, ``pdf/kits/<phase>.pdf``: its
    #: steps with their checklists, the worksheets they use, blank, and the
    #: key lessons.
    kits = opt.Type(bool, default=True)


def _options(config: MkDocsConfig, name: str) -> dict[str, Any] | None:
    plugin = config.plugins.get(name)
    options = getattr(plugin, "config", None)
    return dict(options) if options is not None else None


def project_root(config: MkDocsConfig) -> Path:
    """The folder of ``mkdocs.yml``: paths in options are relative to it."""
    return Path(config.config_file_path or ".").resolve().parent


def settings_for(config: MkDocsConfig) -> Settings:
    """The settings of the build ``config`` describes (raises SettingsError)."""
    root = project_root(config)
    theme = config.theme
    site = {
        "docs_dir": os.path.relpath(Path(config.docs_dir).resolve(), root),
        "site_name": config.site_name, "site_url": config.site_url or "", "site_author": config.site_author or "",
        "site_description": config.site_description or "", "use_directory_urls": config.use_directory_urls,
        "repo_url": config.repo_url or "", "edit_uri": config.edit_uri or "",
        "theme": {"language": theme.get("language") if theme else None, "custom_dir": theme.custom_dir if theme else None},
    }
    return resolve(root, site, _options(config, "alliance"), _options(config, "alliance-pdf"))


def settings_from_file(root: Path) -> Settings:
    """The settings of the project at ``root``, from its ``mkdocs.yml`` read by
    MkDocs (defaults for a folder without one: docs in ``content/`` or ``docs/``)."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        docs = "content" if (root / "content").is_dir() else "docs"
        return resolve(root.resolve(), {"docs_dir": docs}, {}, None)
    from mkdocs.config import load_config

    return settings_for(load_config(str(path)))
