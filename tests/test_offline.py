"""Offline means offline: no built page loads anything from another host.

Two checks. A static scan of every HTML and CSS file for references that a
browser would fetch (not plain links, which only navigate), and a runtime
check that opens the pages in Debian's chromium and records every request
that leaves 127.0.0.1 (over http) or the disk (from file://).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import serve

pytestmark = pytest.mark.browser

# <link> relations that only describe a navigation target: the browser does
# not fetch them. Any other <link> (stylesheet, icon, preload, preconnect,
# manifest...) makes a request, so an unknown rel counts as a fetch.
NAVIGATION_RELS = {"canonical", "alternate", "prev", "next", "author", "license", "help", "bookmark", "me", "edit"}
# Attributes whose URL the browser fetches on its own, on any element.
FETCH_ATTRS = ("src", "poster", "data", "background")
# Links only navigate when followed; any other element's href is fetched
# (<link>, <base>, SVG <image> and <use>...).
LINK_TAGS = ("a", "area")
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.I)


def is_remote(url: str) -> bool:
    """True when ``url`` names a host (https://x, //x, ftp://x...): data:, blob: and relative URLs do not."""
    url = url.strip()
    if not url or url.startswith("#"):
        return False
    try:
        return bool(urlsplit(url).netloc)
    except ValueError:  # malformed (e.g. an unclosed IPv6 bracket): report it rather than guess
        return True


def css_references(text: str) -> list[str]:
    """Every url(...) and @import target in a stylesheet (comments removed)."""
    text = CSS_COMMENT.sub("", text)
    found = ["".join(m.groups(default="")) for m in CSS_URL.finditer(text)]
    found += ["".join(m.groups(default="")) for m in CSS_IMPORT.finditer(text)]
    return found


def _srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


def html_references(text: str) -> list[tuple[str, str]]:
    """(what, url) for everything in an HTML page that the browser would fetch."""
    soup = BeautifulSoup(text, "html.parser")
    found: list[tuple[str, str]] = []
    for tag in soup.find_all(True):
        for attr in FETCH_ATTRS:
            if tag.get(attr):
                found.append((f"<{tag.name} {attr}>", tag[attr]))
        for attr in ("srcset", "imagesrcset"):
            if tag.get(attr):
                found += [(f"<{tag.name} {attr}>", u) for u in _srcset_urls(tag[attr])]
        if tag.get("ping"):  # <a ping> posts to every URL listed when the link is followed
            found += [(f"<{tag.name} ping>", u) for u in tag["ping"].split()]
        for attr in ("href", "xlink:href"):
            href = tag.get(attr)
            if not href or tag.name in LINK_TAGS:
                continue
            rels = {r.lower() for r in (tag.get("rel") or [])}
            if not (tag.name == "link" and rels and rels <= NAVIGATION_RELS):
                found.append((f"<{tag.name} rel={' '.join(sorted(rels)) or '-'} {attr}>", href))
        if tag.get("style"):
            found += [(f"<{tag.name} style> url()", u) for u in css_references(tag["style"])]
        if tag.name == "style":
            found += [("<style> url()/@import", u) for u in css_references(tag.get_text())]
        if tag.name == "meta" and (tag.get("http-equiv") or "").lower() == "refresh":
            match = REFRESH_URL.search(tag.get("content") or "")
            if match:
                found.append(("<meta http-equiv=refresh>", match.group(1)))
        # Material fetches stars and forks from the repository host's API
        # for every element hooked as its "source" component.
        if tag.get("data-md-component") == "source" and is_remote(tag.get("href") or ""):
            found.append(("Material source facts (repository API)", tag["href"]))
    return found


def external_references(site_dir: Path) -> list[str]:
    """Every reference to another host that a built page or stylesheet would load."""
    problems: list[str] = []
    for path in sorted(site_dir.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        refs = html_references(text) if path.suffix == ".html" else [("CSS url()/@import", u) for u in css_references(text)]
        rel = path.relative_to(site_dir).as_posix()
        problems += [f"{rel}: {what} {url}" for what, url in refs if is_remote(url)]
    return problems


# ----- static scan ---------------------------------------------------------------------------

def test_seed_site_references_no_other_host(seed_site: Path):
    assert external_references(seed_site) == []


def test_fork_site_references_no_other_host(fork_site: Path):
    assert external_references(fork_site) == []


def test_static_scan_finds_planted_web_font_references(seed_site: Path, tmp_path: Path):
    site = tmp_path / "site"
    # A copy of the home page and our stylesheet is enough: the whole site is scanned above.
    for rel in ("index.html", "assets/alliance/alliance.css"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(seed_site / rel, site / rel)
    index = site / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "</head>", '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"></head>', 1), encoding="utf-8")
    css = site / "assets/alliance/alliance.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n@font-face{src:url(https://example.org/f.woff2)}\n", encoding="utf-8")
    (site / "more.html").write_text(
        '<meta http-equiv="refresh" content="0; url=https://example.org/moved">'
        '<div style="background: url(\'//cdn.example.org/bg.png\')"></div>'
        '<img srcset="a.png 1x, https://example.org/b.png 2x" alt="">'
        '<svg><use href="#local-icon"/><image xlink:href="https://example.org/c.png"/>'
        '<a xlink:href="https://example.org/svg-link">x</a></svg>'
        '<a href="https://example.org/just-a-link">a plain link is not a fetch</a>', encoding="utf-8")

    found = external_references(site)
    assert any(p.startswith("index.html: <link rel=stylesheet href> https://fonts.googleapis.com/") for p in found), found
    assert "assets/alliance/alliance.css: CSS url()/@import https://example.org/f.woff2" in found, found
    assert sorted(p for p in found if p.startswith("more.html")) == [
        "more.html: <div style> url() //cdn.example.org/bg.png",
        "more.html: <image rel=- xlink:href> https://example.org/c.png",
        "more.html: <img srcset> https://example.org/b.png",
        "more.html: <meta http-equiv=refresh> https://example.org/moved",
    ]
    assert len(found) == 6, found


def test_static_scan_reports_material_repository_facts(tmp_path: Path):
    """Material's own source partial would fetch from api.github.com: our override must keep it out."""
    page = tmp_path / "site" / "index.html"
    page.parent.mkdir()
    page.write_text('<a href="https://github.com/o/r" class="md-source" data-md-component="source">o/r</a>', encoding="utf-8")
    assert external_references(page.parent) == [
        "index.html: Material source facts (repository API) https://github.com/o/r"]


# ----- runtime -------------------------------------------------------------------------------

def html_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as a URL path relative to its root."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def record_requests(page) -> list[str]:
    """Every request the page makes that leaves 127.0.0.1 or the disk."""
    seen: list[str] = []

    def on_request(request) -> None:
        if not request.url.startswith(("http://127.0.0.1", "file:", "data:", "blob:", "about:")):
            seen.append(f"{page.url} -> {request.url}")

    page.on("request", on_request)
    return seen


def visit_all(page, urls: list[str]) -> None:
    """Open each URL; let the page's start-up scripts run before moving on."""
    for url in urls:
        page.goto(url, wait_until="load")
        # One animation frame and a macrotask: scripts that fetch on load have issued their requests.
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 30)))")
    page.wait_for_load_state("networkidle")


def test_every_seed_page_over_http_stays_local(seed_site: Path, seed_http: str, page, context):
    urls = [seed_http + rel for rel in html_pages(seed_site)]
    assert len(urls) > 30  # the whole site, not a sample
    seen = record_requests(page)
    visit_all(page, urls)
    assert context.blocked == [], context.blocked
    assert seen == [], "\n".join(seen)
    assert page.errors == []


FORK_PAGES = ["index.html", "casestudies/index.html", "casestudies/twelve-partner-coalition/index.html",
              "casestudies/kyoto-machizukuri/index.html", "casestudies/hostile-case/index.html",
              "worksheets/fork-quick-health/index.html", "lessons/fork-shared-data-builds-trust/index.html",
              "explore/index.html"]


def test_fork_pages_over_http_stay_local(fork_site: Path, page, context):
    base, server = serve(fork_site)
    try:
        seen = record_requests(page)
        visit_all(page, [base + rel for rel in FORK_PAGES])
    finally:
        server.shutdown()
    assert context.blocked == [], context.blocked
    assert seen == [], "\n".join(seen)


FILE_PAGES = ["index.html", "checklist/index.html", "worksheets/partner-identification/index.html",
              "casestudies/index.html", "casestudies/conflict-to-collaboration/index.html", "404.html"]


def test_seed_pages_from_file_stay_local(seed_site: Path, page, context):
    seen = record_requests(page)
    visit_all(page, [(seed_site / rel).as_uri() for rel in FILE_PAGES])
    assert context.blocked == [], context.blocked
    assert seen == [], "\n".join(seen)


def test_runtime_check_catches_planted_requests(seed_site: Path, tmp_path: Path, page, context):
    """The check can fail: a remote image and a fetch() made after load are both caught."""
    site = shutil.copytree(seed_site, tmp_path / "site")
    (site / "leak.html").write_text(
        '<!doctype html><title>leak</title><img src="https://example.org/pixel.png" alt="">'
        '<script>addEventListener("load", () => setTimeout(() => fetch("https://example.net/beacon").catch(() => {}), 0))</script>',
        encoding="utf-8")
    base, server = serve(site)
    try:
        seen = record_requests(page)
        visit_all(page, [base + "index.html", base + "leak.html"])
    finally:
        server.shutdown()
    assert sorted(context.blocked) == ["https://example.net/beacon", "https://example.org/pixel.png"]
    assert sorted(s.split(" -> ")[1] for s in seen) == ["https://example.net/beacon", "https://example.org/pixel.png"]
