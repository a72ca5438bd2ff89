"""Each worksheet as a sheet to print and fill in by hand: ``pdf/worksheets/<id>.pdf``.

The sheet is the blank part of the built worksheet page (``.ap-blank``):
title, field labels, empty rows, the empty chart. Tables with many columns
go landscape so every column keeps room to write in.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import tree as t
from .book import PdfError, PdfOptions, build_time, head
from .fonts import pin_svg_fonts
from .layout import render_pdf
from .links import LinkMap, rewrite_links, rewrite_media
from .page import printable_article
from .paper import mark_tables

#: Table sheets with more columns than this are printed landscape.
PORTRAIT_COLUMNS = 5

_log = logging.getLogger(__name__)


@dataclass
class Worksheet:
    """A built worksheet page, to print as a blank sheet."""

    id: str
    #: The built page, relative to the site folder.
    path: str
    #: Its URL, relative to the site root.
    url: str


def worksheet_html(site_dir: Path, sheet: Worksheet, options: PdfOptions) -> str:
    """The print HTML of one blank worksheet."""
    source = site_dir / sheet.path
    article = printable_article(source.read_text(encoding="utf-8"), keep_worksheet_title=True)
    blank = None if article is None else t.first(article, lambda el: t.has_class(el, "ap-print-blank"))
    if article is None or blank is None:  # blank is None when article is
        raise PdfError(f"{sheet.path} has no blank worksheet (.ap-blank): was it built from a worksheet template?")
    issues: list[str] = []
    # A sheet stands alone: links to other pages print as their text.
    rewrite_links(blank, LinkMap(site_dir, options.site_url), sheet.url, "ws", issues)
    rewrite_media(blank, sheet.url, issues)
    mark_tables(blank)
    pin_svg_fonts(blank)
    title = blank.find("h2")
    if title is not None:
        title.tag = "h1"
    lead = t.first(article, lambda el: t.has_class(el, "ap-lead"))
    table = t.first(blank, lambda el: t.local_name(el) == "table")
    columns = 0
    if table is not None:
        first_row = t.first(table, lambda el: t.local_name(el) == "tr")
        columns = len(first_row) if first_row is not None else 0
    footer = " · ".join(x for x in (options.site_name, options.organization, (options.site_url.rstrip("/") + "/" + sheet.url) if options.site_url else "") if x)
    css = "ap-sheet" + (" ap-sheet-wide" if columns > PORTRAIT_COLUMNS else "")
    section = t.element("section", {"class": css, "data-ap-footer": footer})
    if title is not None:
        blank.remove(title)
        section.append(title)
    if lead is not None:
        section.append(t.element("p", {"class": "ap-lead"}, t.text_of(lead)))
    section.extend(list(blank))
    # The sheet's own title and summary are its PDF title and subject.
    sheet_options = replace(options, site_name=t.text_of(title) if title is not None else sheet.id,
                            description=t.text_of(lead) if lead is not None else "")
    root = t.element("html", {"lang": options.language or "en"}, None,
                     head(sheet_options, build_time(), [options.site_name, options._("worksheet")]),
                     t.element("body", {"class": "ap-sheets"}, None, section))
    return "<!DOCTYPE html>\n" + t.serialize(root)


def build_worksheet_pdfs(site_dir: Path, sheets: list[Worksheet], options: PdfOptions, log: logging.Logger | logging.LoggerAdapter[Any] | None = None) -> list[Path]:
    """Write ``pdf/worksheets/<id>.pdf`` for each worksheet; returns the files written."""
    log = log or _log
    start = time.perf_counter()
    out: list[Path] = []
    for sheet in sheets:
        target = Path(site_dir) / "pdf" / "worksheets" / f"{sheet.id}.pdf"
        rendered = render_pdf(worksheet_html(Path(site_dir), sheet, options), Path(site_dir), target)
        for url in rendered.blocked:
            log.warning(f"PDF: worksheet {sheet.id}: not loaded (only the site's own files and data: URLs are allowed): {url}")
        out.append(target)
    if out:
        log.info(f"PDF: wrote {len(out)} blank worksheet(s) to pdf/worksheets/ in {time.perf_counter() - start:.1f} s")
    return out
