"""Material's navigation is drawn once per folder of pages it does not list
(adapters/navcache.py): the pages must be exactly those drawn one by one."""

from __future__ import annotations

import itertools
import posixpath
from pathlib import Path

import pytest
from mkdocs.utils import get_relative_url

from alliance_playbook.adapters.navcache import enabled, folder_key, site_links
from conftest import add_fork_files, copy_project, run_mkdocs


def _pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*.html")
            if not p.relative_to(site).parts[0].startswith("pagefind")}


@pytest.mark.parametrize("directory_urls", [True, False])
def test_a_site_drawn_with_the_cache_is_the_site_drawn_without(tmp_path: Path, directory_urls: bool):
    project = add_fork_files(copy_project(tmp_path / "project"))
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - alliance:\n", "  - alliance:\n      nav_limit: 2\n", 1)
    config.write_text(text + f"use_directory_urls: {str(directory_urls).lower()}\n", encoding="utf-8")
    proc = run_mkdocs(project, "-v", "-d", str(tmp_path / "cached"), quiet=False)
    cached = _pages(tmp_path / "cached")
    run_mkdocs(project, "-d", str(tmp_path / "drawn"), env={"ALLIANCE_NAV_CACHE": "0"})
    drawn = _pages(tmp_path / "drawn")
    assert drawn.keys() == cached.keys()
    differ = [name for name in drawn if drawn[name] != cached[name]]
    assert not differ, f"{len(differ)} pages differ, such as {differ[:3]}"
    # The cache was in use: the case pages (more than the navigation lists) share drawings.
    line = next(line for line in proc.stderr.splitlines() if "Navigation: drawn" in line)
    reused = int(line.rsplit("reused for ", 1)[1].split()[0])
    assert reused >= len(list((project / "casestudies").glob("*.yml"))) - 2, line
    case = "casestudies/conflict-to-collaboration/index.html" if directory_urls else "casestudies/conflict-to-collaboration.html"
    assert b'class="md-nav md-nav--primary"' in cached[case]


def test_pages_that_share_a_key_share_every_relative_link():
    """The rule behind the key, checked against MkDocs' own relative URLs."""
    segments = ["a", "b", "c"]
    folders = [""] + ["/".join(p) + "/" for n in (1, 2, 3) for p in itertools.product(segments, repeat=n)]
    files = [f + name for f in folders for name in ("index.html", "x.html")]
    for listed in ({"", "a/", "a/b/", "b/c/a/"}, {"", "c/", "a/a/a/", "b/x.html"}, set(folders[::3])):
        for urls in (folders, files, folders + files):
            groups: dict[str, list[str]] = {}
            for url in urls:
                key = folder_key(url, frozenset(listed))
                if key is not None:
                    groups.setdefault(key, []).append(url)
            assert any(len(group) > 1 for group in groups.values())
            for group in groups.values():
                for target in listed:
                    links = {get_relative_url(target, url) for url in group}
                    assert len(links) == 1, (target, group, links)


def test_what_is_never_shared():
    listed = frozenset({"", "casestudies/", "casestudies/a/notes/"})
    assert folder_key("casestudies/b/", listed) == "folders of casestudies"
    assert folder_key("casestudies/a/", listed) is None  # a link lies under it
    assert folder_key("", listed) is None
    assert folder_key("casestudies/b", listed) is None  # neither a folder nor a file
    assert folder_key("x/page.html", listed) == "files of x"
    assert folder_key("x/page/", listed) != folder_key("x/page.html", listed)  # one level apart
    assert folder_key("casestudies/a/", frozenset({"casestudies/a"})) is None  # a link written without its slash
    assert site_links(iter(["./a/b/", "https://x.example/", "mailto:a@b.example", "c"])) == {"a/b/", "c"}
    assert site_links(iter(["a/", "../up/"])) is None and site_links(iter(["/root/"])) is None
    assert posixpath.dirname("x/") == "x"
    assert enabled({}) and not enabled({"ALLIANCE_NAV_CACHE": "0"}) and not enabled({"ALLIANCE_NAV_CACHE": "off"})
