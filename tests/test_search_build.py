"""A build's search index is made part by part while its pages are written
(adapters/search_build.py): each part's indexer run starts once its pages
are all written, an empty part makes the index again from every article,
and the parts are then merged into one."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from alliance_playbook.adapters import search_build
from alliance_playbook.adapters.search import Articles, bundle_dir, mark_searchable
from alliance_playbook.adapters.search_build import IndexAsWritten
from alliance_playbook.adapters.search_merge import LEFT_AS_THEY_ARE


def _page(words: str, article: bool = True) -> str:
    body = f'<article class="md-content__inner md-typeset"><h1>{words}</h1><p>{words} and more {words}</p></article>' if article else f"<main><p>{words}</p></main>"
    return mark_searchable(f'<!doctype html><html lang="en"><head><title>{words}</title></head><body>{body}</body></html>')


def _fragments(site: Path, part: int) -> int:
    return len(list((bundle_dir(site, part) / "fragment").glob("*.pf_fragment")))


def _not_here(site_dir: Path, count: int, held: object = None) -> bool:
    raise AssertionError("the parts were merged in the build's own process, not by the helper that read them as they came")


def test_each_part_is_indexed_once_its_pages_are_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(search_build, "merge_parts", _not_here)
    site, articles = tmp_path / "site", Articles(tmp_path / "articles")
    pages = [("alpha/index.html", 300), ("beta/index.html", 300), ("gamma/index.html", 300)]
    index = IndexAsWritten(articles, site, pages, per_part=1)
    assert index.count == 3 and json.loads((bundle_dir(site, 0) / "ap-parts.json").read_text()) == {"parts": 3}
    for (uri, _size), words in zip(pages, ("otters", "beavers", "herons"), strict=True):
        articles.add(uri, _page(words), index.folder(uri))
        index.wrote(uri)
        if uri.startswith("alpha"):
            assert index.started == {0}, "the first part's run starts as soon as its page is written"
    assert index.started == {0, 1} and index.early == 2  # the last part waits for the end
    done = index.finish()
    # Then merged into one index (adapters/search_merge.py), by the helper
    # that read each part as its run ended.
    assert done.pages == 3 and index.merged == 3 and [_fragments(site, n) for n in range(3)] == [3, 0, 0]
    assert not bundle_dir(site, 1).exists() and json.loads((bundle_dir(site, 0) / "ap-parts.json").read_text()) == {"parts": 1}
    articles.remove()
    assert not (tmp_path / "articles").exists()


def test_a_part_without_articles_makes_the_index_again_from_every_article(tmp_path: Path):
    site, articles = tmp_path / "site", Articles(tmp_path / "articles")
    pages = [("alpha/index.html", 300), ("own-template/index.html", 300), ("gamma/index.html", 300)]
    index = IndexAsWritten(articles, site, pages, per_part=1)
    for uri, _size in pages:
        articles.add(uri, _page("kingfishers", article=not uri.startswith("own")), index.folder(uri))
        index.wrote(uri)
    done = index.finish()
    assert done.pages == 2 and index.count == 2 and index.early == 0
    assert index.merged == 2 and _fragments(site, 0) == 2 and not bundle_dir(site, 1).exists() and not bundle_dir(site, 2).exists()
    assert json.loads((bundle_dir(site, 0) / "ap-parts.json").read_text()) == {"parts": 1}


def test_a_stopped_build_runs_nothing_more(tmp_path: Path):
    site, articles = tmp_path / "site", Articles(tmp_path / "articles")
    pages = [("alpha/index.html", 300), ("beta/index.html", 300)]
    index = IndexAsWritten(articles, site, pages, per_part=1)
    articles.add("alpha/index.html", _page("otters"), index.folder("alpha/index.html"))
    index.stop()
    index.wrote("alpha/index.html")
    assert not index._runner.is_alive()
    assert not (bundle_dir(site, 1) / "fragment").exists()


def _two_parts_written(tmp_path: Path) -> tuple[Path, IndexAsWritten]:
    """A site of two pages, one index part each, both pages written (the merge still to come)."""
    site, articles = tmp_path / "site", Articles(tmp_path / "articles")
    pages = [("alpha/index.html", 300), ("beta/index.html", 300)]
    index = IndexAsWritten(articles, site, pages, per_part=1)
    for (uri, _size), words in zip(pages, ("otters", "beavers"), strict=True):
        articles.add(uri, _page(words), index.folder(uri))
        index.wrote(uri)
    return site, index


@pytest.mark.parametrize("helper", ["cannot start", "dies"])
def test_without_its_helper_the_build_merges_the_parts_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper: str):
    command = [str(tmp_path / "no-such-python")] if helper == "cannot start" else [sys.executable, "-c", "import sys; sys.exit(1)"]
    monkeypatch.setattr(search_build, "merge_helper", lambda site_dir, count: command)
    site, index = _two_parts_written(tmp_path)
    done = index.finish()
    assert done.pages == 2 and index.merged == 2 and _fragments(site, 0) == 2 and not bundle_dir(site, 1).exists()
    assert index._merger is None


def test_parts_the_helper_left_as_they_are_are_not_merged_by_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]):
    # The helper's exit status says the parts are in a layout the merge does
    # not read: the build reports it and does not try again in its own process.
    said = "search index: the parts were left as they are (a test)"
    command = [sys.executable, "-c", f"import sys; sys.stdin.read(); print({said!r}, file=sys.stderr); sys.exit({LEFT_AS_THEY_ARE})"]
    monkeypatch.setattr(search_build, "merge_helper", lambda site_dir, count: command)
    monkeypatch.setattr(search_build, "merge_parts", lambda *args: pytest.fail("merged again in the build's process"))
    site, index = _two_parts_written(tmp_path)
    index.finish()
    assert said in capsys.readouterr().err
    assert bundle_dir(site, 1).exists()  # the parts are still there, each searched on its own
