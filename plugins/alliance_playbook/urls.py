"""URLs of pages from their source paths, and relative links between pages
(where each kind's pages live is the kind's own business: kinds/)."""

from __future__ import annotations

import posixpath


def src_to_url(src: str, directory_urls: bool = True) -> str:
    """``casestudies/foo.md`` -> ``casestudies/foo/`` (as MkDocs does)."""
    stem, _ = posixpath.splitext(src)
    name = posixpath.basename(stem)
    parent = posixpath.dirname(stem)
    if not src.endswith(".md"):
        return src
    if name in ("index", "README"):
        return (parent + "/") if parent else ""
    if directory_urls:
        return f"{stem}/"
    return f"{stem}.html"


def src_to_url_file(src: str, directory_urls: bool = True) -> str:
    """Like :func:`src_to_url` but an index page links to ``index.html``
    when directory URLs are off, so links also work from ``file://``."""
    url = src_to_url(src, directory_urls)
    if not directory_urls and (url == "" or url.endswith("/")):
        return url + "index.html"
    return url


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-relative,
    normalised, as MkDocs makes them). Called for every link of every page, so
    it splits strings instead of going through ``posixpath.relpath``."""
    base = from_url.split("/")[:-1]  # the page's folder
    target = to_url.split("/")
    target_dir, name = target[:-1], target[-1]
    common = 0
    for a, b in zip(base, target_dir):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(base) - common) + target_dir[common:]
    if name:
        return "/".join(parts + [name])
    return "/".join(parts) + "/" if parts else "./"


# ----- where the downloadable files live ------------------------------------------------------
def pdf_path(site_name: str, filename: str = "") -> str:
    """The whole guide's PDF: ``pdf/<filename>`` (only its last part, ``.pdf``
    added), else ``pdf/<site-slug>.pdf``."""
    from .model.types import slugify

    name = posixpath.basename(filename.replace("\\", "/")) or f"{slugify(site_name, max_length=None) or 'guide'}.pdf"
    return "pdf/" + (name if name.endswith(".pdf") else name + ".pdf")


def maintainers_pdf_path(site_name: str, filename: str = "") -> str:
    """The maintainers' PDF, when it is separate: the book's name with ``-maintainers``."""
    return pdf_path(site_name, filename).removesuffix(".pdf") + "-maintainers.pdf"


def kit_pdf_path(phase_id: str) -> str:
    """One playbook phase's workshop kit."""
    return f"pdf/kits/{phase_id}.pdf"


def worksheet_pdf_path(worksheet_id: str) -> str:
    """One worksheet's blank printable PDF."""
    return f"pdf/worksheets/{worksheet_id}.pdf"


def offline_zip_path(site_name: str) -> str:
    """The offline copy of the whole site, one zip file."""
    from .model.types import slugify

    return f"downloads/{slugify(site_name, max_length=None) or 'guide'}-offline.zip"
