"""The large-fork rows of ``make bench``: search at 1,000 and 10,000 cases,
and the build that makes it (time and memory), with each search.

For each size a synthetic project (``synth.py``) is built twice: with our
search (Pagefind, the default) and with Material's (``ALLIANCE_SEARCH=material``).
Each site is served over HTTP and opened in Debian's Chromium (Playwright,
never a downloaded browser), in a fresh context per query (nothing cached):

- ours: the search button is pressed and, once the box is there and half a
  second has passed (a reader starting to type), the word is entered;
  measured from then until the first result is shown (and, in its own
  column, from the press), with the bytes of every response from the press
  on (the interface, Pagefind, the index chunks, the result fragments);
- Material's: the search field is focused and the word typed; measured from
  the page load until the first result (its worker downloads and indexes the
  whole index first, which a reader waits for), and the bytes of its index
  and worker;
- the offline copy (``ALLIANCE_OFFLINE=true``, at 1,000 cases): as Material's,
  its pages opened from the disk (``file://``), where only the theme's search
  works; its index is read from the disk.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import synth

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WORDS = ("interfaith", "trust", "housing")  # rare, common, in between (in the seed and synth.py's cases)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


def _serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


#: What a host that compresses text (GitHub Pages, Netlify, Cloudflare) sends gzipped;
#: Pagefind's index, fragments and WebAssembly are gzipped by Pagefind itself.
_TEXT_TYPES = ("text/", "javascript", "json", "svg")


def _on_the_wire(response: Any, body: bytes) -> int:
    """The bytes a compressing host would send for ``response``."""
    kind = (response.headers.get("content-type") or "").lower()
    return len(gzip.compress(body, 6)) if any(t in kind for t in _TEXT_TYPES) else len(body)


def _one_query(browser: Any, base: str, engine: str, word: str, cold: list[float]) -> tuple[float, int, int]:
    """(seconds to the first result, bytes downloaded for it, the same over a
    compressing host) in a fresh context; ``cold[0]``: ours, from pressing the
    button (the interface loads too)."""
    context = browser.new_context()
    page = context.new_page()
    responses: list[Any] = []
    counting = [engine != "pagefind"]  # Material's index loads with the page

    def seen(response: Any) -> None:  # only noted here: reading and compressing the bodies waits until the query is timed
        if counting[0] and (engine == "pagefind" or "/search/" in response.url or "search" in response.url.rsplit("/", 1)[-1]):
            responses.append(response)

    def sizes() -> tuple[int, int]:
        served = wire = 0
        for response in responses:
            with contextlib.suppress(Exception):  # a redirect or an aborted request has no body
                body = response.body()
                served, wire = served + len(body), wire + _on_the_wire(response, body)
        return served, wire

    page.on("response", seen)
    try:
        start = time.perf_counter()
        page.goto(base + ("casestudies/index.html" if engine == "offline" else "casestudies/"))
        if engine == "pagefind":
            page.wait_for_selector(".ap-search-button", timeout=30000)
            counting[0] = True
            opened = time.perf_counter()
            page.click(".ap-search-button")
            field = page.locator("dialog.ap-search input")
            field.wait_for(timeout=30000)  # the interface has loaded (the dialog's first opening)
            page.wait_for_timeout(500)  # a reader starts typing half a second after opening the search
            start = time.perf_counter()
            field.fill(word)
            page.wait_for_function("document.getElementById('ap-search-summary').textContent.length > 0", timeout=60000)
            if page.locator("dialog.ap-search .pagefind-modular-list-result").count():
                page.wait_for_selector("dialog.ap-search .pagefind-modular-list-link", timeout=60000)
            cold[0] = time.perf_counter() - opened
        else:
            page.locator(".md-search__input").wait_for(timeout=30000)
            page.keyboard.press("/")  # Material's shortcut to its search box
            page.locator(".md-search__input").press_sequentially(word)
            page.wait_for_function("/matching/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=120000)
        took = time.perf_counter() - start
        return (took, *sizes())
    finally:
        context.close()


def search_latency(site: Path, engine: str) -> dict[str, Any]:
    """Median time to the first result and bytes, over :data:`WORDS`."""
    from playwright.sync_api import sync_playwright

    base, server = (site.resolve().as_uri() + "/", None) if engine == "offline" else _serve(site)  # the offline copy: from the disk
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                colds: list[float] = []
                runs = []
                for word in WORDS:
                    cold = [0.0]
                    runs.append(_one_query(browser, base, engine, word, cold))
                    colds.append(cold[0])
            finally:
                browser.close()
    finally:
        if server is not None:
            server.shutdown()
    return {"seconds": statistics.median(r[0] for r in runs), "bytes": statistics.median(r[1] for r in runs), "runs": runs,
            "wire_bytes": statistics.median(r[2] for r in runs),
            "from_button": statistics.median(colds)}


def search_benchmarks(sizes: list[int], work: Path, measure: Callable[..., Any], env: dict[str, str]) -> dict[int, dict[str, Any]]:
    """For each size: the builds with each search (wall, CPU, peak memory) and the queries' times and bytes."""
    out: dict[int, dict[str, Any]] = {}
    for n in sizes:
        print(f"search N={n}", flush=True)
        base = work / f"scale-n{n}"
        stamp = base / "stamp.json"
        if not (stamp.is_file() and json.loads(stamp.read_text()).get("synth") == synth.VERSION):
            if base.exists():
                shutil.rmtree(base)
            synth.make_project(base / "project", n)
            stamp.write_text(json.dumps({"synth": synth.VERSION}))
        row: dict[str, Any] = {}
        # The offline copy (Material's search from file://, where Pagefind cannot fetch its index) at 1,000 cases.
        for engine in ("pagefind", "material", *(("offline",) if n <= 1000 else ())):
            site = base / f"site-{engine}"
            variant = {"ALLIANCE_OFFLINE": "true"} if engine == "offline" else {"ALLIANCE_SEARCH": engine}
            build = measure([sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(site)], base / "project",
                            base / f"logs/build-{engine}.log", env={**env, **variant, "ALLIANCE_OFFLINE_ZIP": "0"})
            row[engine] = {"build": [build.wall, build.cpu, build.rss_mb, build.rc, build.tree_rss_mb]}
            if build.rc != 0:
                row[engine]["failed"] = f"build failed (see {base}/logs/build-{engine}.log)"
                continue
            if engine == "pagefind":  # every part of the index (pagefind/, pagefind-2/...)
                row[engine]["index_bytes"] = sum(f.stat().st_size for d in site.glob("pagefind*") for f in d.rglob("*") if f.is_file())
            elif engine == "offline":  # read from the disk by the page: its bytes are the index's
                row[engine]["index_bytes"] = (site / "search/search_index.js").stat().st_size
            else:
                row[engine]["index_bytes"] = (site / "search/search_index.json").stat().st_size
            row[engine]["index_page_bytes"] = (site / "casestudies/index.html").stat().st_size
            try:
                row[engine].update(search_latency(site, engine))
            except Exception as exc:  # noqa: BLE001 - reported in the table, the rest of the run goes on
                row[engine]["failed"] = f"{type(exc).__name__}: {exc}"[:200]
            print(f"  {engine}: build {build.wall:.1f} s, {build.rss_mb:.0f} / {build.tree_rss_mb:.0f} MB; "
                  f"first results {row[engine].get('seconds', float('nan')):.2f} s, {row[engine].get('bytes', 0) / 1024:.0f} KB", flush=True)
        out[n] = row
    return out


def search_table(rows: dict[int, dict[str, Any]]) -> list[str]:
    """The report's section (Markdown lines)."""
    lines = ["## Search at scale: the first results of a query, and the build that makes the index", "",
             "Median of 3 words, each in a fresh browser context (nothing cached). Ours: from entering the word, half a second after the box opened; "
             "Material's: from opening the page (its worker loads the whole index first). Downloaded: the bytes served (the targets are judged on these); "
             "in brackets, what a host that gzips text (scripts, styles, JSON) would send. The offline copy (at 1,000 cases): its case index opened from the disk, "
             "timed as Material's (Pagefind cannot fetch its index on file://; the theme's search reads the whole index from a script).", "",
             "| N | search | first results | from the button | downloaded (gzip host) | index on disk | case index page | build (wall / CPU; peak RSS: largest process / all) |",
             "|---|---|---|---|---|---|---|---|"]
    for n, row in rows.items():
        for engine, label in (("pagefind", "ours (Pagefind)"), ("material", "Material's"), ("offline", "offline copy (Material's, file://)")):
            if engine not in row:
                continue
            r = row[engine]
            b = r.get("build", [0, 0, 0, 0, 0])
            rss = f"{b[2]:.0f} / {b[4]:.0f} MB" if b[4] else f"{b[2]:.0f} MB"
            if "seconds" not in r:
                lines.append(f"| {n} | {label} | {r.get('failed', 'not measured')} | | | | | {b[0]:.1f} s / {b[1]:.1f} s; {rss} |")
                continue
            button = f"{r['from_button']:.2f} s" if r.get("from_button") else "–"
            got = (f"{r['index_bytes'] / 1024:.0f} KB from the disk" if engine == "offline"  # the page reads the whole index
                   else f"{r['bytes'] / 1024:.0f} KB ({r['wire_bytes'] / 1024:.0f} KB)")
            lines.append(f"| {n} | {label} | {r['seconds']:.2f} s | {button} | {got} | {r['index_bytes'] / 1e6:.1f} MB "
                         f"| {r['index_page_bytes'] / 1024:.0f} KB | {b[0]:.1f} s / {b[1]:.1f} s; {rss} |")
    return lines + [""]
