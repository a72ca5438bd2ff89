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


def test_offline_zip_opens_anywhere(offline_site: Path, tmp_path: Path):
    archive = tmp_path / "offline.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in offline_site.rglob("*"):
            zf.write(path, path.relative_to(offline_site))
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(out)
    assert (out / "index.html").is_file() and (out / "search/search_index.js").is_file()
