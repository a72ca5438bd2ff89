"""HTML to PDF with WeasyPrint: tagged, fonts embedded, nothing fetched.

Rendering is split from writing so the laid-out pages can be checked first:
every page of the navigation must have landed somewhere, and every internal
link must have become at least one clickable area.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import tree as t

#: Options for every PDF this package writes. Tagged for screen readers;
#: WeasyPrint always embeds (subsets of) the fonts it uses.
PDF_OPTIONS = {"pdf_tags": True, "uncompressed_pdf": False}


@dataclass
class Rendered:
    pages: int
    #: Clickable areas per numbered internal link (``data-ap-link``); a link
    #: broken over two lines has two.
    link_areas: dict[int, int] = field(default_factory=dict)
    #: Internal link areas that belong to no numbered link.
    stray_areas: int = 0
    anchors: set[str] = field(default_factory=set)
    blocked: list[str] = field(default_factory=list)
    #: Page number (1-based) of each anchor, for checks and the debug file.
    anchor_pages: dict[str, int] = field(default_factory=dict)


class _Quiet(logging.Filter):
    """WeasyPrint logs each blocked URL as an error; the build reports them once."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "alliance-pdf: not loaded" not in record.getMessage()


def render_pdf(html_text: str, site_dir: Path, target: Path) -> Rendered:
    """Lay out ``html_text`` (URLs relative to ``site_dir``) and write ``target``."""
    # Imported here: WeasyPrint needs Pango, and builds without the PDF
    # (previews, ALLIANCE_PDF=0) should not.
    from weasyprint import HTML
    from weasyprint.logger import LOGGER

    from .fetcher import SiteFetcher

    fetcher = SiteFetcher(site_dir)
    quiet = _Quiet()
    LOGGER.addFilter(quiet)
    try:
        html = HTML(string=html_text, base_url=Path(site_dir).resolve().as_uri() + "/", url_fetcher=fetcher)
        document = html.render(**PDF_OPTIONS)
        result = Rendered(pages=len(document.pages), blocked=fetcher.blocked)
        _count_link_areas(html.etree_element, document, result)
        target.parent.mkdir(parents=True, exist_ok=True)
        document.write_pdf(target, **PDF_OPTIONS)
    finally:
        LOGGER.removeFilter(quiet)
    return result


def _count_link_areas(root, document, result: Rendered) -> None:
    parents = t.parent_map(root)
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            result.anchors.add(name)
            result.anchor_pages.setdefault(name, number)
        for link_type, _target, _rect, box in page.links:
            if link_type != "internal":
                continue
            el = getattr(box, "element", None)
            while el is not None and el.get("data-ap-link") is None:
                el = parents.get(el)
            if el is None:
                result.stray_areas += 1
            else:
                key = int(el.get("data-ap-link"))
                result.link_areas[key] = result.link_areas.get(key, 0) + 1
