"""``alliance pdf --site DIR``: the book, the sheets and the kits from a site
any engine built from ``alliance generate --config``'s folder (Zensical,
ProperDocs, MkDocs without our plugins).

The navigation, the page titles and which pages stay out of the book
(``book: false``) are read from the generated folder (its ``mkdocs.yml`` and
``docs/``) with MkDocs' own reader, so the book has the plugin's chapters
whatever engine wrote the HTML; the options (cover, file name, kits, the
maintainers' pages) come from the project's ``mkdocs.yml``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from ..errors import printable
from ..pdf import PdfError
from ..settings import Settings
from .pdf_plugin import make_pdfs, pdf_options

log = logging.getLogger("alliance_playbook")


class SiteRefused(Exception):
    """The site or its generated folder cannot be read; the message says why."""


def pdf_from_site(settings: Settings, site_dir: Path, config_file: Path) -> list[Path]:
    """Write the PDFs into ``site_dir/pdf``; returns the files written."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    if not (site_dir / "index.html").is_file():
        raise SiteRefused(f"{printable(str(site_dir))} is not a built site (it has no index.html)")
    if not config_file.is_file():
        raise SiteRefused(f"{printable(str(config_file))} is missing: pass --config, the mkdocs.yml of the folder `alliance generate --config` wrote")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        config = load_config(str(config_file), site_dir=str(site_dir))
        files = get_files(config)
        nav = get_navigation(files, config)
        for file in files.documentation_pages():
            page = file.page if file.page is not None else Page(None, file, config)
            page.read_source(config)
    except Exception as exc:  # MkDocs' own errors for a broken config or page
        raise SiteRefused(f"{printable(str(config_file))} cannot be read: {printable(str(exc))}") from None
    missing = [f.dest_uri for f in files.documentation_pages() if not (site_dir / f.dest_uri).is_file()]
    if missing:
        raise SiteRefused(f"the site was not built from {printable(str(config_file))}: {len(missing)} page(s) missing, such as {printable(missing[0])}")
    pdf = settings.pdf
    try:
        result = make_pdfs(site_dir, nav, files, pdf_options(settings), sheets=pdf.worksheets, maintainers=pdf.maintainers,
                           maintainer_pages=pdf.maintainer_pages, kits=pdf.kits)
    except PdfError as exc:
        raise SiteRefused(str(exc)) from None
    del result
    return sorted((site_dir / "pdf").rglob("*.pdf"))
