"""The parts of a large site's search index, merged into one
(adapters/search_merge.py): the merged index holds exactly what one
indexer run over every page writes, a query finds the same pages and loads
one metadata file and one chunk a word; parts in a layout the merge does
not read are left as they are, and still searched.

The parts are made here from the seed site's pages as a large site's build
makes them (``search.part_commands``, 20 pages a part); the site's own
index, made in one run, is what they must add up to.
"""

from __future__ import annotations

import gzip
import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alliance_playbook.adapters import search, search_merge
from alliance_playbook.adapters.pagefind_files import SIGNATURE, decode
from conftest import serve
from test_search import _search


def _load(path: Path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE)
    return decode(data[len(SIGNATURE):])[0]


def _index(bundle: Path) -> tuple[dict[str, int], dict[str, object]]:
    """An index as what it says, whatever its pages' numbers and chunks:
    each page (its fragment's name: the hash of its content) with its word
    count, and each word with, for each page, its locations and its variants'."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = _load(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    pages = [hash_ for hash_, _count in meta[1]]
    words: dict[str, object] = {}

    def where(found: list) -> dict[str, list]:  # a page's number: the difference from the one before
        numbers = itertools.accumulate(n for n, *_rest in found)
        return {pages[n]: rest for n, (_step, *rest) in zip(numbers, found, strict=True)}

    for _from, _to, chunk in meta[2]:
        for text, found, variants in _load(bundle / "index" / f"{chunk}.pf_index")[0]:
            assert text not in words, f"{text!r} is in two chunks"
            words[text] = (where(found), {v: where(vpages) for v, vpages in variants})
    return dict(meta[1]), words


@pytest.fixture(scope="module")
def parts(seed_site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a copy of the seed site with its index in 3 parts, its one-run index)."""
    base = tmp_path_factory.mktemp("parts")
    site = base / "site"
    shutil.copytree(seed_site, site)
    one_run = base / "one-run"
    shutil.move(site / "pagefind", one_run)
    articles = search.Articles(base / "articles")
    for html in sorted(site.rglob("*.html")):
        if html.name == "404.html":  # the build leaves it out (it has no page of its own to find)
            continue
        articles.add(html.relative_to(site).as_posix(), search.mark_searchable(html.read_text(encoding="utf-8")))
    commands, folder = search.part_commands(articles.folder, site, per_part=20)
    assert len(commands) == 3
    for command in commands:
        subprocess.run(command, check=True, capture_output=True)
    search.drop_unused(site, 3)
    articles.remove()
    assert folder is not None and not folder.exists()
    return site, one_run


def test_the_merged_index_is_what_one_run_writes(parts: tuple[Path, Path], tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(parts[0], site)
    assert search_merge.merge_parts(site, 3)
    assert sorted(p.name for p in site.glob("pagefind*")) == ["pagefind"]  # the other parts are gone
    assert json.loads((site / "pagefind/ap-parts.json").read_text(encoding="utf-8")) == {"parts": 1}
    merged, one = _index(site / "pagefind"), _index(parts[1])
    assert merged[0] == one[0] and len(one[0]) > 50  # the same pages (fragments), with the same word counts
    assert merged[1] == one[1] and len(one[1]) > 1000  # every word, on the same pages at the same places
    # Every page's fragment is there, and nothing of the parts' old index is left.
    assert {p.stem for p in (site / "pagefind/fragment").glob("*.pf_fragment")} == set(one[0])
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert [p.name for p in (site / "pagefind").glob("*.pf_meta")] == [f"pagefind.{entry['languages']['en']['hash']}.pf_meta"]
    assert entry["languages"]["en"]["page_count"] == len(one[0])
    chunks = _load(site / "pagefind" / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")[2]
    assert {p.stem for p in (site / "pagefind/index").glob("*.pf_index")} == {c[2] for c in chunks}
    # Chunks no larger than their limit, unless a word alone is; their bounds in order and apart.
    for _from, _to, name in chunks:
        (words,) = _load(site / "pagefind/index" / f"{name}.pf_index")
        assert len(words) == 1 or len(gzip.decompress((site / "pagefind/index" / f"{name}.pf_index").read_bytes())) < 2 * search_merge.CHUNK_BYTES
    bounds = [b for c in chunks for b in c[:2]]
    assert all(a <= b for a, b in zip(bounds, bounds[1:], strict=False)), bounds[:20]


def test_a_query_on_the_merged_index_loads_one_metadata_file_and_finds_the_same(parts: tuple[Path, Path], page, seed_http: str, tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(parts[0], site)
    assert search_merge.merge_parts(site, 3)
    page.goto(seed_http)
    one = _search(page, "trust")
    base, server = serve(site)
    loaded: list[str] = []
    page.on("response", lambda r: loaded.append(r.url.replace(base, "")))
    try:
        page.goto(base)
        merged = _search(page, "trust")
    finally:
        server.shutdown()
    assert [u.replace(base, "") for u in merged] == [u.replace(seed_http, "") for u in one] and len(one) >= 3
    assert len([u for u in loaded if u.endswith(".pf_meta")]) == 1, loaded
    assert len([u for u in loaded if u.endswith(".pf_index")]) == 1, loaded  # one word, one chunk
    assert not [u for u in loaded if u.startswith("pagefind-")], loaded


def test_parts_in_a_layout_it_does_not_read_are_left_whole_and_searched(parts: tuple[Path, Path], page, seed_http: str,
                                                                       tmp_path: Path, monkeypatch, capsys):
    site = tmp_path / "site"
    shutil.copytree(parts[0], site)
    before = sorted(str(p.relative_to(site)) for p in site.rglob("*") if "pagefind" in p.parts[len(site.parts)])
    monkeypatch.setattr(search_merge, "KNOWN_VERSIONS", ("0.0.0",))
    assert not search_merge.merge_parts(site, 3)
    said = capsys.readouterr().err
    assert "left as they are" in said and "0.0.0" in said, said
    after = sorted(str(p.relative_to(site)) for p in site.rglob("*") if "pagefind" in p.parts[len(site.parts)])
    assert after == before  # nothing written, nothing removed
    def found(base: str) -> tuple[str, str]:  # the count of results, and the first (each part ranks its own pages)
        page.goto(base)
        first = _search(page, "trust")[0].replace(base, "")
        return page.locator("#ap-search-summary").inner_text(), first

    one = found(seed_http)
    base, server = serve(site)
    try:
        assert found(base) == one and one[1].endswith("?h=trust")  # the parts' links mark the words too
    finally:
        server.shutdown()


def _follow(site: Path, early: str, last: str) -> subprocess.CompletedProcess[str]:
    """The build's merge helper: parts read as their numbers come (``early``), merged once the input ends."""
    helper = subprocess.Popen([sys.executable, "-P", "-m", "alliance_playbook.adapters.search_merge", "--follow", str(site), "3"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert helper.stdin is not None
    helper.stdin.write(early)
    helper.stdin.flush()
    out, err = helper.communicate(last, timeout=120)
    return subprocess.CompletedProcess(helper.args, helper.returncode, out, err)


def test_parts_read_as_they_come_merge_into_the_same_files(parts: tuple[Path, Path], tmp_path: Path):
    """What a build's helper writes, having read two parts before the third
    came (and lines that name no part), is byte for byte what one merge writes."""
    ahead, at_once = tmp_path / "ahead", tmp_path / "at-once"
    shutil.copytree(parts[0], ahead)
    shutil.copytree(parts[0], at_once)
    done = _follow(ahead, "1\n0\nseven\n9\n\n", "2\n")
    assert done.returncode == 0, done.stderr
    assert search_merge.merge_parts(at_once, 3)
    files = {p.relative_to(ahead): p.read_bytes() for p in ahead.rglob("*") if p.is_file()}
    assert files == {p.relative_to(at_once): p.read_bytes() for p in at_once.rglob("*") if p.is_file()}
    assert _index(ahead / "pagefind") == _index(parts[1])


def test_a_damaged_part_read_ahead_is_reported_and_left_as_it_is(parts: tuple[Path, Path], tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(parts[0], site)
    chunk = max((site / "pagefind-2/index").glob("*.pf_index"), key=lambda p: p.stat().st_size)
    chunk.write_bytes(chunk.read_bytes()[:100])
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    done = _follow(site, "0\n1\n", "2\n")
    assert done.returncode == search_merge.LEFT_AS_THEY_ARE and "left as they are" in done.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("damage", ["truncated chunk", "not gzip", "items of another shape"])
def test_a_damaged_part_is_left_as_it_is(parts: tuple[Path, Path], tmp_path: Path, damage: str, capsys):
    """A part the merge cannot read stops it before anything is replaced:
    the parts stay as they were, and what it had written is removed."""
    site = tmp_path / "site"
    shutil.copytree(parts[0], site)
    chunk = max((site / "pagefind-2/index").glob("*.pf_index"), key=lambda p: p.stat().st_size)
    data = gzip.decompress(chunk.read_bytes())
    if damage == "truncated chunk":
        chunk.write_bytes(gzip.compress(data[: len(data) // 2]))
    elif damage == "not gzip":
        chunk.write_bytes(data)
    else:  # lists of four items where Pagefind writes three
        chunk.write_bytes(gzip.compress(data.replace(b"\x83", b"\x84", 3)))
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file() and "pagefind" in str(p.relative_to(site))}
    assert not search_merge.merge_parts(site, 3)
    assert "left as they are" in capsys.readouterr().err
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file() and "pagefind" in str(p.relative_to(site))}
    assert after == before


def test_a_preview_indexes_in_parts_and_merges_them_in_the_background(seed_site: Path, parts: tuple[Path, Path], tmp_path: Path):
    """``mkdocs serve`` indexes after its pages are shown, in one background
    chain of runs that ends with the merge (adapters/search.py)."""
    site = tmp_path / "site"
    shutil.copytree(seed_site, site)
    shutil.rmtree(site / "pagefind")
    articles = search.Articles(tmp_path / "articles")
    for html in sorted(site.rglob("*.html")):
        if html.name != "404.html":
            articles.add(html.relative_to(site).as_posix(), search.mark_searchable(html.read_text(encoding="utf-8")))
    search.index_in_background(articles, site, per_part=20)
    while search._STARTING:
        search._STARTING.pop().join()
    (process,) = search._RUNNING
    assert process.wait(timeout=120) == 0
    search._RUNNING.clear()
    articles.remove()
    assert sorted(p.name for p in site.glob("pagefind*")) == ["pagefind"]
    assert json.loads((site / "pagefind/ap-parts.json").read_text(encoding="utf-8")) == {"parts": 1}
    assert _index(site / "pagefind") == _index(parts[1])
