"""The pages that let readers take the guide away: ``downloads/`` (the PDF,
each worksheet's PDF, the offline copy) and ``data/`` (every data export,
with its format, size and fields)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..kinds.base import GeneratedPage
from ..urls import kit_pdf_path, worksheet_pdf_path
from .exports import DATAPACKAGE, JsonShape

if TYPE_CHECKING:
    from .site import PageRenderer

#: A placeholder the build fills with a file's size once the file exists
#: (PDFs and the offline copy are made after the pages are written).
SIZE_ATTR = "data-ap-size"


def size_placeholder(path: str) -> Markup:
    """Where the size of the built file ``path`` (a site path) will go."""
    return Markup('<span class="ap-size" {}="{}"></span>').format(Markup(SIZE_ATTR), path)


def human_size(size: int) -> str:
    """1234567 -> "1.2 MB"; 2345 -> "2 kB" (never "0 kB")."""
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{max(1, round(size / 1e3))} kB"


@dataclass(frozen=True)
class DataFile:
    """One data export as the data page describes it."""

    path: str
    format: str
    size: str
    items: str
    fields: list[str]
    note: str


def describe_data_file(path: str, text: str, note: str = "", shape: JsonShape | None = None, size: int | None = None) -> DataFile:
    """Format, size and fields of one export, read from the file itself (so
    the page can never list a column the file does not have), or for JSON
    from the ``shape`` its writer recorded while writing it (the guide's
    whole playbook.json, 25 MB at 3,000 cases, need not be read again)."""
    shown = human_size(len(text.encode("utf-8")) if size is None else size)
    if path.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(text)))
        return DataFile(path, "CSV", shown, str(max(0, len(rows) - 1)), rows[0] if rows else [], note)
    if shape is None:
        data = json.loads(text)
        shape = (list(data), [(k, len(v)) for k, v in data.items() if isinstance(v, list)]) if isinstance(data, dict) else ([], [])
    keys, lists = shape
    return DataFile(path, "JSON", shown, ", ".join(f"{k} ({n})" for k, n in lists), keys, note)


def downloads_pages(site: PageRenderer) -> list[GeneratedPage]:
    """``downloads/`` and ``data/``, when the ``data`` section is on."""
    o, _ = site.options, site.translate
    worksheets = [(ws, worksheet_pdf_path(ws.id)) for ws in site.project.worksheets.values()] if o.pdf_book and o.pdf_worksheets else []
    kits = [(phase, kit_pdf_path(phase.id)) for phase in site.project.phases] if o.pdf_book and o.pdf_kits else []
    notes: dict[str, str] = {"data/playbook.json": _("Everything the guide is made of, kind by kind, with the links between items."),
                             DATAPACKAGE: _("What each data file holds, column by column (a Frictionless Data Package), so that open-data portals can harvest the catalogue.")}
    for kind in site.project.registry:
        notes.update({path: site.translate(text) for path, text in kind.data_file_notes().items()})
    files = [describe_data_file(path, text, notes.get(path, ""), site.data_shapes.get(path), site.data_sizes.get(path))
             for path, text in site.data_files()]
    return [
        site.page("downloads.md.j2", "downloads/index.md", site.translate("Downloads"), "downloads",
                  book_pdf=o.pdf_book, worksheets=worksheets, kits=kits, maintainers_pdf=o.pdf_maintainers, offline_zip=o.offline_zip, offline_copy=o.offline_copy,
                  files=files, size=size_placeholder, book=False),
        site.page("data.md.j2", "data/index.md", site.translate("Data"), "data", files=files, book=False),
    ]
