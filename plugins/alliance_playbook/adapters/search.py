"""The site's search: Pagefind's prebuilt index, read in small pieces.

Material's search downloads the whole index and indexes it in the browser
before its first answer: 11.7 MB and about 3 s at 1,000 case studies, more
on a phone. With ``search: pagefind`` (the default) the theme's search is
switched off and, once the pages are written, Pagefind (a Rust indexer,
pinned in pyproject.toml) reads them and writes ``pagefind/``: an index
split into chunks by word, and one fragment per page. A query loads the
chunks of its words and the fragments of the results it shows, so what it
costs grows with the words and the results, not with the site.
``assets/search.js`` puts the search button in the header and, on first
use, opens a dialog with its own box and result list on Pagefind's search
script (Pagefind's interfaces are not published, see :func:`drop_unused`).

Only each page's article is indexed (``data-pagefind-body``, added to the
written page), without its heading links; pages without an article (the 404
page) are left out. The offline copy keeps the theme's search: Pagefind
loads its index with fetch(), which browsers refuse on file://.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..render.site import ASSET_DIR

#: The script every page loads when Pagefind searches the site.
SEARCH_JS = f"{ASSET_DIR}/search.js"
#: Where the index goes in the site.
BUNDLE = "pagefind"
#: The article Material writes each page's content in.
ARTICLE = '<article class="md-content__inner md-typeset">'
#: What is not searched for inside an article: heading permalinks, the
#: "last updated" line, and whatever a template marks ``data-search-exclude``:
#: the lists of other pages' titles and summaries (related cases, index
#: cards, the tags page's lists), so that a page is found by its own words.
#: It is Material's mark: its search (the offline copy's, or ``search:
#: material``) leaves the same elements out.
IGNORED = ".headerlink, .md-source-file, [data-search-exclude]"


class SearchIndexError(Exception):
    """Pagefind could not index the site (the message says why and what to do)."""


@dataclass
class Indexed:
    """What indexing found: pages and words indexed, and the seconds it took."""

    pages: int
    seconds: float


def use_pagefind(config: Any, search: str, offline_copy: bool) -> bool:
    """Switch the site to Pagefind when ``search`` asks for it (not in the
    offline copy): the theme's search goes (its button, its worker, its
    index), and every page loads :data:`SEARCH_JS`. Returns whether it did."""
    if search != "pagefind" or offline_copy:
        return False
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None and hasattr(plugin, "config") and "enabled" in plugin.config:
            plugin.config.enabled = False
    if SEARCH_JS not in [str(script) for script in config.extra_javascript]:
        config.extra_javascript.append(SEARCH_JS)
    return True


#: The article, marked as what Pagefind indexes.
MARKED = ARTICLE[:-1] + " data-pagefind-body>"


def mark_searchable(output: str) -> str:
    """A written page with its article marked as what Pagefind indexes."""
    return output.replace(ARTICLE, MARKED, 1)


def pagefind_command(articles: Path, bundle: Path) -> list[str]:
    """The indexer run that reads the articles under ``articles`` and writes ``bundle``."""
    return [sys.executable, "-m", "pagefind", "--site", str(articles), "--output-path", str(bundle),
            "--exclude-selectors", IGNORED, "--silent"]  # the language: each page's <html lang>


#: Bytes of articles per part of the index. The indexer holds what it
#: indexes in memory, 13 to 20 times the articles' size (a case study's page
#: of 1,000 words, 0.3 MB; more for pages that list many others, like the
#: tags page): a run over 8 MB of articles holds about 110 to 160 MB, below
#: what the build itself holds at that size (about 400 case studies), so the
#: indexer is not a build's largest process (at 1,000 case studies, 3 parts
#: of about 110 MB where 2 parts of 16 MB held 136 and 192 MB). A larger site
#: is indexed in parts, one run after the other, joined into one index at
#: the end (:mod:`.search_merge`).
PART_BYTES = 8_000_000
#: At most this many parts (unless pages per part are set). The build merges
#: the parts into one index (:mod:`.search_merge`), so a query loads no more
#: for them; what limits them is the browser's merge when that cannot be done
#: (an index in a layout the merge does not read: each part then adds its
#: metadata and a chunk a word). More parts make the last one, indexed after
#: the last page is written, smaller: at 10,000 case studies 8 parts of about
#: 1,250 pages, where 4 left 18 s of indexing after the last page.
MAX_PARTS = 8


def bundle_dir(site_dir: Path, part: int) -> Path:
    """The folder of part ``part`` (0-based) of the index: pagefind/, pagefind-2/..."""
    return site_dir / (BUNDLE if part == 0 else f"{BUNDLE}-{part + 1}")


def split(sizes: list[int], per_part: int = 0) -> list[int]:
    """Where each of the pages (their articles' sizes, in order) goes: the
    part numbers, from 0. By size (:data:`PART_BYTES`, at most
    :data:`MAX_PARTS` parts, as even as they can be), or at most ``per_part``
    pages a part when that is set (``ALLIANCE_SEARCH_PART_PAGES``)."""
    if per_part > 0:
        size = -(-len(sizes) // max(1, -(-len(sizes) // per_part)))  # as even as they can be
        return [n // size for n in range(len(sizes))]
    total = sum(sizes)
    count = min(MAX_PARTS, max(1, -(-total // PART_BYTES)))
    parts, before = [], 0
    for size in sizes:  # by where the page's middle falls
        parts.append(min(count - 1, (before + size // 2) * count // max(1, total)))
        before += size
    numbers = {part: n for n, part in enumerate(sorted(set(parts)))}  # no empty part (a page larger than one)
    return [numbers[part] for part in parts]


def part_commands(articles: Path, site_dir: Path, per_part: int) -> tuple[list[list[str]], Path | None]:
    """The indexer's runs, one a part (see :func:`split`), and the folder of
    the parts' links (to delete after)."""
    files = sorted(articles.rglob("*.html"))
    where = split([path.stat().st_size for path in files], per_part)
    count = max(where, default=0) + 1
    mark_parts(site_dir, count)
    if count <= 1:
        return [pagefind_command(articles, bundle_dir(site_dir, 0))], None
    parts = articles.parent / (articles.name + "-parts")
    shutil.rmtree(parts, ignore_errors=True)
    for path, part in zip(files, where, strict=True):
        target = parts / str(part) / path.relative_to(articles)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)  # the same file, for one part's run
    return [pagefind_command(parts / str(i), bundle_dir(site_dir, i)) for i in range(count)], parts


#: What Pagefind writes into every part that the site never loads: its three
#: interfaces (``assets/search.js`` draws its own box and list), 370 kB a part.
INTERFACES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
              "pagefind-modular-ui.js", "pagefind-modular-ui.css")
#: And in the parts after the first: the scripts (the first part's
#: ``pagefind.js`` searches every part, and marks the words on the page).
SCRIPTS = ("pagefind.js", "pagefind-highlight.js", "pagefind-worker.js")


def drop_unused(site_dir: Path, count: int) -> None:
    """Remove from the index's ``count`` parts what the site never loads
    (:data:`INTERFACES`, and :data:`SCRIPTS` after the first part)."""
    for part in range(count):
        for name in INTERFACES + (SCRIPTS if part else ()):
            with contextlib.suppress(FileNotFoundError):
                (bundle_dir(site_dir, part) / name).unlink()


#: In the index's folder: how many parts the search merges (read by assets/search.js).
PARTS_FILE = "ap-parts.json"


def mark_parts(site_dir: Path, count: int) -> None:
    """Say how many parts there are, and remove the parts of an earlier,
    larger index (a preview's site folder is not cleaned between rebuilds)."""
    for folder in site_dir.glob(f"{BUNDLE}-*"):
        number = folder.name.removeprefix(f"{BUNDLE}-")
        if number.isdigit() and int(number) > count and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
    bundle_dir(site_dir, 0).mkdir(parents=True, exist_ok=True)
    (bundle_dir(site_dir, 0) / PARTS_FILE).write_text(json.dumps({"parts": count}) + "\n", encoding="utf-8")


class Articles:
    """Each written page's article, alone in a small page at the same path in
    a folder beside the site: that folder is what Pagefind reads. It indexes
    only the article anyway, and a whole page also carries the theme's
    navigation (about 100 kB a page), which Pagefind would parse and hold:
    394 MB at 1,000 case studies against 2.5 MB of articles' text."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or Path(tempfile.mkdtemp(prefix="alliance-search-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        # Also when the build is stopped (Ctrl-C skips MkDocs' build_error event).
        atexit.register(self.remove)

    def add(self, dest_uri: str, output: str, part: str = "") -> None:
        """A written page (its article marked, see :func:`mark_searchable`),
        in the folder of its part of the index when ``part`` is given."""
        start = output.find(MARKED)
        end = output.rfind("</article>")
        if start < 0 or end < start:
            return
        lang = _LANG.search(output, 0, 2000)
        path = self.folder / part / dest_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'<!doctype html>\n<html lang="{lang.group(1) if lang else "en"}"><head><meta charset="utf-8"></head>'
                        f"<body>{output[start:end + len('</article>')]}</body></html>\n", encoding="utf-8")

    def prune(self, site_dir: Path) -> None:
        """Drop the articles of pages the site no longer has (a preview's removed case)."""
        for path in list(self.folder.rglob("*.html")):
            if not (site_dir / path.relative_to(self.folder)).is_file():
                path.unlink()

    def remove(self) -> None:
        """Delete the folder and its parts' (they are this build's own)."""
        atexit.unregister(self.remove)
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.folder.parent / (self.folder.name + "-parts"), ignore_errors=True)


_SESSION: list[Articles] = []


def preview_articles() -> Articles:
    """The articles' folder of this ``mkdocs serve`` session (a partial
    rebuild writes only the pages it touches: the others' articles stay)."""
    if not _SESSION:
        _SESSION.append(Articles())
        atexit.register(stop_indexing)  # registered after the folder's removal: runs before it
    return _SESSION[0]


_LANG = re.compile(r'<html[^>]*\blang="([A-Za-z0-9-]{1,35})"')


#: The preview's indexing of its last build (``mkdocs serve``), while it runs.
_RUNNING: list[subprocess.Popen[bytes]] = []
_STARTING: list[threading.Thread] = []


def index_in_background(articles: Articles, site_dir: Path, per_part: int = 0) -> None:
    """Start indexing ``site_dir`` and return: in ``mkdocs serve`` the pages
    show at once and search follows a few seconds later. A failure is left
    to the next full build, which reports it."""
    stop_indexing()

    def start() -> None:  # in a thread: a large site's articles are sorted into parts first
        articles.prune(site_dir)
        commands, _parts = part_commands(articles.folder, site_dir, per_part)
        if len(commands) > 1:  # then one index of the parts (adapters/search_merge.py)
            commands.append([sys.executable, "-m", "alliance_playbook.adapters.search_merge", str(site_dir), str(len(commands))])
        script = " && ".join(shlex.join(c) for c in commands)  # one run after the other, stopped together
        with contextlib.suppress(OSError):
            _RUNNING.append(subprocess.Popen(["sh", "-c", script] if len(commands) > 1 else commands[0],
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))

    thread = threading.Thread(target=start, daemon=True)
    _STARTING.append(thread)
    thread.start()


def stop_indexing() -> None:
    """Stop the indexing :func:`index_in_background` started, if it still runs
    (the next build writes the pages it reads)."""
    while _STARTING:
        _STARTING.pop().join()
    while _RUNNING:
        process = _RUNNING.pop()
        if process.poll() is None:
            _signal(process, "SIGTERM")  # the indexer and, for a large site, the shell running its parts
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _signal(process, "SIGKILL")
                process.wait()


def _signal(process: subprocess.Popen[bytes], name: str) -> None:
    """Signal the process's group where there are groups, the process elsewhere."""
    killpg, number = getattr(os, "killpg", None), getattr(signal, name, None)
    with contextlib.suppress(OSError):
        if killpg is not None and number is not None:
            killpg(process.pid, number)
        else:
            process.kill()


__all__ = ["BUNDLE", "SEARCH_JS", "MAX_PARTS", "PART_BYTES", "Articles", "Indexed", "bundle_dir", "drop_unused", "SearchIndexError", "mark_parts", "pagefind_command", "part_commands", "index_in_background", "mark_searchable", "split", "stop_indexing", "use_pagefind"]
