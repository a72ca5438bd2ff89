"""The offline build (Material's offline plugin, shim bundled) browses from file://."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from alliance_playbook.linkcheck import check_site
from conftest import copy_project, run_mkdocs


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("offline") / "project")
    run_mkdocs(project, env={"ALLIANCE_OFFLINE": "true"})
    return project / "site"


def test_offline_build_uses_the_bundled_shim_and_file_links(offline_site: Path):
    html = (offline_site / "index.html").read_text(encoding="utf-8")
    assert "assets/alliance/vendor/iframe-worker-shim.js" in html
    assert "unpkg" not in html and "https://" not in html.split("<body", 1)[0].replace('rel="canonical"', "")
    assert (offline_site / "search/search_index.js").is_file()
    assert 'href="casestudies/index.html"' in html
    problems, _ = check_site(offline_site)
    assert not problems, "\n".join(map(str, problems))


def test_offline_build_search_and_navigation_work_from_file(offline_site: Path, page, context):
    page.goto((offline_site / "index.html").as_uri())
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("stakeholder", delay=30)  # Material searches on key events
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=20000)
    assert results.count() > 0
    # Follow a result and then the navigation to a generated page.
    results.first.locator("a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and ".html" in page.url
    assert page.locator("article h1").count() == 1
    page.goto((offline_site / "casestudies/index.html").as_uri())
    page.locator("li.ap-case-card a").first.click()
    page.wait_for_load_state()
    assert "/casestudies/" in page.url and page.locator("h1").count() == 1
    assert context.blocked == []
    assert page.errors == []


def test_offline_zip_opens_anywhere(offline_site: Path, tmp_path: Path, page):
    """The zip the build offers (write_zip), unpacked anywhere, searches from
    the disk; the index is in it once, as the script file:// can read."""
    from alliance_playbook.adapters.offline import write_zip

    archive = tmp_path / "offline.zip"
    write_zip(offline_site, archive, "copy")
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(out)
    out = out / "copy"
    assert (out / "index.html").is_file() and (out / "search/search_index.js").is_file()
    assert not (out / "search/search_index.json").exists()
    page.goto((out / "index.html").as_uri())
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("stakeholder", delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=20000)


def test_the_offline_search_finds_each_page_by_its_own_words(offline_site: Path):
    """The lists that repeat other pages' titles and summaries (the index
    cards, related cases, the tags page) are marked for Material's search
    too (``data-search-exclude``): a case's summary is in its own page's
    entry of the offline copy's index, not in the case index's or a tag's."""
    import json

    import yaml

    summary = yaml.safe_load((offline_site.parent / "casestudies/conflict-to-collaboration.yml").read_text(encoding="utf-8"))["summary"]
    words = " ".join(summary.split()[:6])
    docs = json.loads((offline_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]

    def text(prefix: str) -> str:
        return " ".join(" ".join((d["title"], d["text"])) for d in docs if d["location"].split("#")[0] == prefix)

    assert words in " ".join(text("casestudies/conflict-to-collaboration.html").split())
    for listing in ("casestudies/index.html", "tags.html", "explore/index.html"):
        assert words not in " ".join(text(listing).split()), listing
    assert text("casestudies/index.html"), "the case index keeps its own words"
