"""The guide as a printed book, and each worksheet as a printable sheet.

Works on the *built* site: the pages' HTML (cleaned for print) goes through
WeasyPrint with a print stylesheet. Nothing here imports MkDocs, so the
``alliance pdf`` command can call :func:`build_pdf` with any built site and
its navigation (see :func:`nav_from_mkdocs`).
"""

from __future__ import annotations

from .book import PdfError, PdfOptions
from .build import PdfResult, build_book_and_worksheets, build_pdf
from .nav import NavNode, attach_orphans, nav_from_mkdocs, walk
from .worksheets import Worksheet, build_worksheet_pdfs

__all__ = [
    "NavNode", "PdfError", "PdfOptions", "PdfResult", "Worksheet", "attach_orphans", "build_book_and_worksheets",
    "build_pdf", "build_worksheet_pdfs", "nav_from_mkdocs", "walk",
]
