"""A build's search index, made part by part while the pages are written.

:mod:`.search` says what is indexed and how the index is split into parts;
this is the build's side of it (``mkdocs build``: a preview indexes in the
background once its pages are written, see :func:`.search.index_in_background`).
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from .scan import helper_env
from .search import Articles, Indexed, SearchIndexError, bundle_dir, drop_unused, mark_parts, pagefind_command, part_commands, split
from .search_merge import LEFT_AS_THEY_ARE, merge_parts


def merge_helper(site_dir: Path, count: int) -> list[str]:
    """The command of the merge's helper (``--follow``, see :func:`.search_merge.main`).
    ``-P``: the working folder is not put first on its import path (see :mod:`.scan`)."""
    return [sys.executable, "-P", "-m", "alliance_playbook.adapters.search_merge", "--follow", str(site_dir), str(count)]


class IndexAsWritten:
    """A build's index made part by part while its pages are written.

    The pages are put into parts before the first is written (by the size of
    their HTML, the articles' to come, in the order MkDocs writes them, see
    :func:`split`), so each part is complete once its last page is written.
    Its indexer run then starts, on the other core, while the build writes
    the next part's pages; the runs still go one after another (each holds
    its part in memory). The last part is always indexed at the end (a page
    no part expected goes there). At 10,000 case studies, 8 parts of about
    1,250 pages: most of it is done by the time the last page is written.

    The parts are then merged into one index (:mod:`.search_merge`), by a
    helper process on the other core that reads each part as its run ends
    (8 parts at 10,000 case studies): after the last page, what is left is
    the last part's run, reading it and writing the merged index.

    A part can turn out to have no article (its pages use a template of
    their own, without Material's article): the indexer refuses an empty
    folder, so the whole index is then made again at the end from every
    article, split by their real sizes, as a preview does.
    """

    def __init__(self, articles: Articles, site_dir: Path, pages: list[tuple[str, int]], per_part: int = 0):
        self.articles, self.site_dir, self.per_part = articles, site_dir, per_part
        where = split([size for _uri, size in pages], per_part)
        self.count = max(where, default=0) + 1
        self.part_of = {uri: part for (uri, _size), part in zip(pages, where, strict=True)}
        self.left = [where.count(n) for n in range(self.count)]
        mark_parts(site_dir, self.count)
        self.started: set[int] = set()
        #: Parts whose run started before the last page was written.
        self.early = 0
        self.failed: list[SearchIndexError] = []
        self.empty: list[int] = []
        #: How many parts were merged into one index (0: none, see :mod:`.search_merge`).
        self.merged = 0
        self._process: subprocess.Popen[str] | None = None
        #: The merge's helper (started with the first part's run done), or None.
        self._merger: subprocess.Popen[str] | None = None
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._runner = threading.Thread(target=self._run_parts, daemon=True)
        self._runner.start()

    def folder(self, dest_uri: str) -> str:
        """The part folder a page's article goes to (under the articles' folder)."""
        return f"part-{self.part_of.get(dest_uri, self.count - 1)}"

    def wrote(self, dest_uri: str) -> None:
        """A page was written (with an article or without): start its part's run once the part is complete."""
        part = self.part_of.pop(dest_uri, None)
        if part is None:
            return
        self.left[part] -= 1
        if self.left[part] == 0 and part < self.count - 1:
            self.early += 1
            self._start(part)

    def _start(self, part: int) -> None:
        if part not in self.started:
            self.started.add(part)
            (self.articles.folder / f"part-{part}").mkdir(parents=True, exist_ok=True)
            self._queue.put(part)

    def _run_parts(self) -> None:
        while (part := self._queue.get()) is not None:
            folder = self.articles.folder / f"part-{part}"
            if self.failed or self.empty:
                continue
            if next(folder.rglob("*.html"), None) is None:
                self.empty.append(part)
                continue
            try:
                self._run(pagefind_command(folder, bundle_dir(self.site_dir, part)))
                self._read_ahead(part)
            except SearchIndexError as exc:
                self.failed.append(exc)
            except Exception as exc:  # noqa: BLE001 - never a build that says its index is whole when a part failed
                self.failed.append(SearchIndexError(f"part {part + 1} could not be indexed ({type(exc).__name__}: {exc})"))

    def _read_ahead(self, part: int) -> None:
        """Hand a part whose run is done to the merge's helper (started now if
        it is the first): it reads the part while the build goes on."""
        if self.count <= 1:
            return
        try:
            if self._merger is None:
                self._merger = subprocess.Popen(merge_helper(self.site_dir, self.count), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                                stderr=subprocess.PIPE, text=True, env=helper_env())
            assert self._merger.stdin is not None
            self._merger.stdin.write(f"{part}\n")
            self._merger.stdin.flush()
        except OSError:  # no helper: the build merges the parts itself
            self._end_merger()

    def _end_merger(self) -> None:
        merger, self._merger = self._merger, None
        if merger is not None and merger.poll() is None:
            merger.kill()
            merger.wait()

    def _merge(self) -> bool:
        """Merge the parts: by the helper (what it read and what is left) or, without one, here."""
        merger, self._merger = self._merger, None
        if merger is not None:
            try:
                _stdout, said = merger.communicate(timeout=1800)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                merger.kill()
                merger.wait()
            else:
                if merger.returncode == 0:
                    return True
                if merger.returncode == LEFT_AS_THEY_ARE:  # the parts are in a layout the merge does not read
                    print(said.strip().splitlines()[-1], file=sys.stderr)
                    return False
        return merge_parts(self.site_dir, self.count)  # (the helper failed another way: merged here, or reported)

    def _again_from_every_article(self) -> None:
        """An empty part: one folder of every article, split by real sizes (see :func:`.search.part_commands`)."""
        every = self.articles.folder / "every"
        for part in range(self.count):
            folder = self.articles.folder / f"part-{part}"
            for path in sorted(folder.rglob("*.html")):
                target = every / path.relative_to(folder)
                target.parent.mkdir(parents=True, exist_ok=True)
                path.replace(target)
            shutil.rmtree(bundle_dir(self.site_dir, part), ignore_errors=True)
        commands, parts = part_commands(every, self.site_dir, self.per_part)
        self.count = len(commands)
        try:
            for command in commands:
                self._run(command)
        finally:
            if parts is not None:
                shutil.rmtree(parts, ignore_errors=True)

    def finish(self) -> Indexed:
        """Index what is left and wait for every run (SearchIndexError if one
        failed); the seconds are those waited after the last page."""
        waited = time.perf_counter()
        for part in range(self.count):
            self._start(part)
        self._queue.put(None)
        self._runner.join()
        if self.failed:
            raise self.failed[0]
        if self.empty:
            self.early = 0
            self._end_merger()  # (it read parts that are made again)
            self._again_from_every_article()
        drop_unused(self.site_dir, self.count)
        if self.count > 1 and self._merge():  # (the helper has had every part)
            self.merged = self.count
        self._end_merger()
        pages = sum(len(list((bundle_dir(self.site_dir, i) / "fragment").glob("*.pf_fragment"))) for i in range(self.count))
        return Indexed(pages, time.perf_counter() - waited)

    def _run(self, command: list[str]) -> None:
        """One indexer run (SearchIndexError with what it said when it fails); :meth:`stop` can end it."""
        try:
            self._process = process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            stdout, stderr = process.communicate(timeout=1800)
        except (OSError, subprocess.TimeoutExpired) as exc:
            if self._process is not None:
                self._process.kill()
                self._process.wait()
            raise SearchIndexError(f"Pagefind could not run ({exc})") from None
        finally:
            self._process = None
        if process.returncode != 0:
            said = (stderr or stdout).strip().splitlines()
            if any("No module named pagefind" in line or "binary" in line.lower() for line in said):
                raise SearchIndexError("Pagefind is not installed here: `pip install -e .` installs it (pagefind[bin]), "
                                       "or set `search: material` under `alliance` in mkdocs.yml")
            raise SearchIndexError("Pagefind failed: " + (" / ".join(said[-3:]) or f"exit status {process.returncode}"))

    def stop(self) -> None:
        """The build failed: run nothing more, and stop the run under way."""
        self.failed.append(SearchIndexError("the build stopped"))
        self._queue.put(None)
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
        self._runner.join(timeout=30)
        self._end_merger()


__all__ = ["IndexAsWritten", "merge_helper"]
