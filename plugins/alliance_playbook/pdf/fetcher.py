"""The only way WeasyPrint may load anything: files of the built site, data:
URLs, and the package's own font files.

The PDF is made on a build machine and read offline; a stray remote image or a
``file:`` path outside the site would either leak a request or bake a private
file into a public document. Everything else is refused and remembered, so the
build can report it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import URLFetcher

from .fonts import font_dir


class SiteFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint has no type hints: URLFetcher is Any
    """Allow ``file:`` URLs inside ``site_dir``, the bundled fonts and ``data:`` URLs; block the rest."""

    def __init__(self, site_dir: Path, **kwargs: Any) -> None:
        super().__init__(timeout=5, allow_redirects=False, **kwargs)
        self.site_dir = Path(site_dir).resolve()
        #: The package's own fonts (:mod:`.fonts`), read-only files of ours.
        self.font_dir = font_dir().resolve()
        self.blocked: list[str] = []

    def allows(self, url: str) -> bool:
        """Whether WeasyPrint may load ``url``: a ``data:`` URL, or a local ``file:`` URL inside the site folder."""
        parts = urlsplit(url)
        if parts.scheme == "data":
            return True
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(unquote(parts.path)).resolve()
        if self.font_dir in path.parents and path.suffix == ".ttf":
            return True
        return path == self.site_dir or self.site_dir in path.parents

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:  # a weasyprint URLFetcherResponse
        if not self.allows(url):
            self.blocked.append(url)
            raise ValueError(f"alliance-pdf: not loaded (only files of the site and data: URLs are allowed): {url}")
        return super().fetch(url, headers)
