"""Search with Pagefind's prebuilt index (``search: pagefind``, the default).

A query loads the chunks of its words and the fragments of the results it
shows, not the whole site's index: checked in Chromium on the seed and on
1,000 synthetic cases (where the results must be what reading every page
would find). Latency and bytes per query are measured in ``make bench``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project, run_mkdocs, serve

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402


def _search(page, query: str) -> list[str]:
    """Open the search with "/", type ``query``; the result links shown."""
    page.keyboard.press("/")
    box = page.locator("dialog.ap-search input")
    box.wait_for(timeout=15000)
    box.fill(query)
    page.wait_for_selector("dialog.ap-search .pagefind-modular-list-link", timeout=15000)
    page.wait_for_function("() => /result/.test(document.getElementById('ap-search-summary').textContent)")
    # Every result of the first batch has its fragment (each loads on its own).
    page.wait_for_function("() => !document.querySelector('dialog.ap-search [data-ap-loading]')", timeout=15000)
    return page.locator("dialog.ap-search .pagefind-modular-list-link").evaluate_all("links => links.map(a => a.href)")


def test_the_site_is_indexed_by_pagefind_and_not_by_the_theme(seed_site: Path):
    entry = json.loads((seed_site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] >= 50
    # The theme's search is off: no 11 MB index at 1,000 cases, no worker, no button of its own.
    assert not (seed_site / "search/search_index.json").exists()
    home = BeautifulSoup((seed_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one("label[for='__search']") is None and home.select_one(".md-search") is None
    assert any(s.get("src", "").endswith("assets/alliance/search.js") for s in home.select("script"))
    texts = json.loads(home.select_one("#ap-search-texts script").string)
    assert texts["Search"] == "Search"
    # Only the articles are indexed; the 404 page has none.
    case = BeautifulSoup((seed_site / "casestudies/conflict-to-collaboration/index.html").read_text(encoding="utf-8"), "html.parser")
    assert case.select("article[data-pagefind-body]") and len(case.select("[data-pagefind-body]")) == 1
    assert "data-pagefind-body" not in (seed_site / "404.html").read_text(encoding="utf-8")


def test_listings_of_other_pages_are_not_indexed(seed_site: Path):
    """A page is found by its own words: the lists that repeat other pages'
    titles and summaries (related cases, a lesson's or a step's cases, the
    index cards, the tags page) are left out of the index, which is also a
    quarter smaller for it."""
    def soup(path: str) -> BeautifulSoup:
        return BeautifulSoup((seed_site / path / "index.html").read_text(encoding="utf-8"), "html.parser")

    def unmarked_case_links(page: BeautifulSoup) -> list[str]:
        article = page.select_one("article[data-pagefind-body]")
        for ignored in article.select("[data-search-exclude]"):
            ignored.decompose()
        return [a["href"] for a in article.select("a[href]") if "casestudies/" in a["href"]]

    assert unmarked_case_links(soup("tags")) == []
    assert unmarked_case_links(soup("casestudies")) == []
    assert unmarked_case_links(soup("explore")) == []
    lessons = [p.parent.name for p in (seed_site / "lessons").glob("*/index.html")]
    assert lessons and all(unmarked_case_links(soup(f"lessons/{name}")) == [] for name in lessons)
    case = soup("casestudies/conflict-to-collaboration")
    assert case.select("[data-search-exclude] a[href]"), "the related cases are marked"
    # The case's own words stay: its title, its lessons and its steps.
    assert case.select_one("article h1") and not case.select_one("article h1").find_parent(attrs={"data-search-exclude": True})
    assert case.select(".ap-lessons a") and not case.select_one(".ap-lessons").find_parent(attrs={"data-search-exclude": True})


def test_a_query_finds_the_pages_and_highlights_the_words(page, seed_http: str):
    page.goto(seed_http)
    links = _search(page, "mediator")
    assert links and all(seed_http in link for link in links)
    assert any("conflict-to-collaboration" in link for link in links), links
    # The excerpt marks the word, and the result opens with it marked on the page.
    assert "mediator" in page.locator("dialog.ap-search mark").first.inner_text().lower()
    first = next(link for link in links if "conflict-to-collaboration" in link)
    assert "h=mediator" in first
    page.goto(first)
    page.wait_for_selector(".md-content mark", timeout=15000)
    assert "mediator" in page.locator(".md-content mark").first.inner_text().lower()
    assert page.context.blocked == []  # type: ignore[attr-defined]


def test_the_words_typed_are_shown_as_typed(page, seed_http: str):
    """Markup, "$&" and the summary's own placeholders in a query are text
    in the summary, never markup or a substitution."""
    page.goto(seed_http)
    page.keyboard.press("/")
    box = page.locator("dialog.ap-search input")
    box.wait_for(timeout=15000)
    typed = "<img src=x onerror=alert(1)> $& {count} qqzx"
    box.fill(typed)
    page.wait_for_function("document.getElementById('ap-search-summary').textContent.length > 0", timeout=15000)
    assert re.fullmatch(r"(No results|1 result|\d+ results) for “(.*)”", page.locator("#ap-search-summary").inner_text()).group(2) == typed
    assert page.locator("dialog.ap-search img").count() == 0 and page.errors == []


def test_results_come_ten_at_a_time_with_a_button_for_more(page, seed_http: str):
    """A word on most pages lists ten results, and a button shows ten more
    (focus on the first of them); each excerpt keeps only text and marks."""
    page.goto(seed_http)
    _search(page, "trust")
    total = int(re.search(r"\d+", page.locator("#ap-search-summary").inner_text()).group())
    assert total > 20, total
    results = page.locator("dialog.ap-search .pagefind-modular-list-result")
    more = page.get_by_role("button", name="Show more results")
    assert results.count() == 10 and more.is_visible()
    # It looks like a button (the dialog is outside Material's .md-typeset, where .md-button is drawn).
    style = more.evaluate("b => { const s = getComputedStyle(b); return [s.borderTopStyle, s.borderTopWidth, s.cursor]; }")
    assert style == ["solid", "1px", "pointer"], style
    more.click()
    page.wait_for_function("document.querySelectorAll('dialog.ap-search .pagefind-modular-list-link').length === 20")
    page.wait_for_function("document.activeElement === document.querySelectorAll('dialog.ap-search .pagefind-modular-list-link')[10]")
    while more.is_visible():
        more.click()
    page.wait_for_function(f"document.querySelectorAll('dialog.ap-search .pagefind-modular-list-link').length === {total}")
    tags = page.locator("dialog.ap-search .pagefind-modular-list-excerpt *").evaluate_all("els => els.map(e => e.tagName)")
    assert tags and set(tags) == {"MARK"}, set(tags)
    # A new query starts the list again.
    page.locator("dialog.ap-search input").fill("interfaith")
    page.wait_for_function("/interfaith/.test(document.getElementById('ap-search-summary').textContent)")
    page.wait_for_function("document.querySelectorAll('dialog.ap-search .pagefind-modular-list-result').length <= 10")


def test_a_key_fetches_the_index_while_the_box_waits_for_the_next(page, seed_http: str):
    """The index chunks a word needs are fetched as the word is typed, not
    after the box's pause for the next key (50 ms): the search then answers
    from chunks already there."""
    page.add_init_script("""
      window.__apFetches = [];
      const plain = window.fetch;
      window.fetch = function (url, options) {
        window.__apFetches.push([performance.now(), String(url)]);
        return plain.call(this, url, options);
      };""")
    page.goto(seed_http)
    page.get_by_role("button", name="Search").click()
    field = page.locator("dialog.ap-search input")
    field.wait_for(timeout=15000)
    page.wait_for_function("window.__apFetches.some(f => /pagefind\\.[a-z0-9_]+\\.pf_meta/.test(f[1]))", timeout=15000)
    page.wait_for_timeout(500)  # the index's metadata has loaded: a reader starts typing
    page.evaluate("""() => {
      const input = document.querySelector('dialog.ap-search input');
      input.value = 'interfaith';
      input.dispatchEvent(new Event('input', {bubbles: true}));
    }""")
    page.wait_for_function("/interfaith/.test(document.getElementById('ap-search-summary').textContent)", timeout=15000)
    chunks = page.evaluate("window.__apFetches.filter(f => /\\.pf_index$/.test(f[1])).map(f => f[0])")
    assert chunks, "no index chunk was fetched"
    # Before the interface runs the search (its mark), not by it: timed against
    # the page's own clock, so a busy machine slows both alike.
    searched = page.evaluate("performance.getEntriesByName('ap-search').map(m => m.startTime)")
    assert searched, "the interface did not run the search"
    assert min(chunks) < min(searched), f"the first index chunk was asked for {min(chunks) - min(searched):.0f} ms after the search ran"


@pytest.mark.parametrize("how", ["typed", "pasted"])
def test_typed_keys_wait_for_the_next_and_a_pasted_word_is_searched_at_once(page, seed_http: str, how: str):
    """Keys: the search runs once the typist pauses (50 ms after a key). A
    word that comes whole (pasted; Playwright's fill inserts it in one
    event) has no more keys to wait for: it is searched at once. The page's
    timers run on Playwright's clock, stopped while the word comes, so a
    busy machine cannot change what is seen."""
    page.clock.install()
    page.goto(seed_http)
    page.get_by_role("button", name="Search").click()
    field = page.locator("dialog.ap-search input")
    field.wait_for(timeout=15000)
    page.wait_for_timeout(1000)  # Pagefind has loaded
    # The clock's performance.mark records nothing: count the interface's marks here.
    page.evaluate("""() => { window.__apMarks = 0; const mark = performance.mark;
      performance.mark = function (name) { if (name === 'ap-search') window.__apMarks++; return mark.apply(this, arguments); }; }""")
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)
    if how == "typed":
        field.press_sequentially("trust")
    else:
        field.fill("trust")
    searches = "window.__apMarks"
    page.clock.run_for(1)
    assert page.evaluate(searches) == (0 if how == "typed" else 1)
    page.clock.run_for(48)
    assert page.evaluate(searches) == (0 if how == "typed" else 1), "a typed word was searched before the pause for the next key"
    page.clock.run_for(2)
    assert page.evaluate(searches) == 1, "the search ran more than once, or not 50 ms after the last key"
    page.clock.resume()
    page.wait_for_function("/trust/.test(document.getElementById('ap-search-summary').textContent)", timeout=15000)


def test_the_search_dialog_is_reachable_and_closes(page, seed_http: str):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(seed_http)
    button = page.get_by_role("button", name="Search")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.ap-search")
    dialog.locator("input").wait_for(timeout=15000)
    assert page.evaluate("document.activeElement.matches('dialog.ap-search input')")
    # A phone gets the whole screen, nothing wider than it.
    box = dialog.bounding_box()
    assert box["width"] <= 390 and page.evaluate("document.documentElement.scrollWidth") <= 390
    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")


def test_the_404_form_opens_the_search_with_its_words(page, seed_http: str):
    page.goto(seed_http + "?q=trust")
    page.wait_for_selector("dialog.ap-search .pagefind-modular-list-link", timeout=15000)
    assert page.locator("dialog.ap-search input").input_value() == "trust"


def test_from_a_disk_the_search_points_to_the_offline_copy(page, seed_site: Path):
    page.goto((seed_site / "index.html").as_uri())
    page.keyboard.press("/")
    status = page.locator("dialog.ap-search .ap-search__status")
    status.wait_for(timeout=10000)
    assert "offline copy" in status.inner_text()


def test_material_search_stays_available_by_option(tmp_path):
    project = copy_project(tmp_path / "project")
    run_mkdocs(project, env={"ALLIANCE_SEARCH": "material"})
    assert (project / "site/search/search_index.json").is_file() and not (project / "site/pagefind").exists()
    bad = run_mkdocs(project, env={"ALLIANCE_SEARCH": "lunr"}, check=False)
    assert bad.returncode != 0 and "search: 'lunr'" in bad.stdout + bad.stderr and "pagefind, material" in bad.stdout + bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.fixture(scope="module")
def large_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("search-large") / "project"
    synth.make_project(project, 1000)
    run_mkdocs(project)
    return project / "site"


def test_at_1000_cases_a_query_finds_what_reading_every_page_finds(page, large_site: Path):
    """The results are every page whose article has the word (Pagefind
    shows them in pages of results: all are counted), and the query
    downloads a small part of the index."""
    word = "interfaith"
    having = set()
    for html_file in large_site.rglob("index.html"):
        soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article[data-pagefind-body]")
        if article is None:
            continue
        for ignored in article.select(".headerlink, .md-source-file, [data-search-exclude]"):
            ignored.decompose()
        if re.search(rf"\b{word}\b", article.get_text(" "), re.I):
            having.add(html_file.parent.relative_to(large_site).as_posix())
    assert 5 < len(having) < 900, len(having)
    base, server = serve(large_site)
    try:
        sizes: list[int] = []
        page.on("response", lambda r: sizes.append(len(r.body())) if re.search(r"/pagefind(-\d+)?/", r.url) else None)  # every part
        page.goto(base)
        _search(page, word)
        message = page.locator("#ap-search-summary").inner_text()
        found = int(re.search(r"\d[\d,]*", message).group().replace(",", ""))
        assert found == len(having), (message, len(having))
        assert sum(sizes) < 300 * 1024, sum(sizes)
        assert json.loads((large_site / "pagefind/ap-parts.json").read_text(encoding="utf-8"))["parts"] == 1  # the parts were merged
    finally:
        server.shutdown()


def test_a_site_indexed_in_parts_finds_what_one_index_finds(page, seed_http: str, tmp_path: Path):
    """A large site's index is made in parts, one indexer run each (the
    indexer holds a part in memory), then merged into one index
    (adapters/search_merge.py; tests/test_search_merge.py compares it with
    one run's). Forced here on the seed with 20 pages a part: the same query
    finds the same pages, loading one index."""
    project = copy_project(tmp_path / "project")
    built = run_mkdocs(project, env={"ALLIANCE_SEARCH_PART_PAGES": "20"}, quiet=False)
    assert "(2 of 3 parts while the pages were written, 3 parts merged into one index" in built.stderr, built.stderr
    site = project / "site"
    assert sorted(p.name for p in site.glob("pagefind*")) == ["pagefind"]
    assert json.loads((site / "pagefind/ap-parts.json").read_text(encoding="utf-8")) == {"parts": 1}
    assert len(list((site / "pagefind/fragment").glob("*.pf_fragment"))) > 50
    # What the site never loads is not published: Pagefind's own interfaces.
    assert sorted(f.name for f in (site / "pagefind").glob("*.js")) == ["pagefind-highlight.js", "pagefind-worker.js", "pagefind.js"]
    assert not list((site / "pagefind").glob("*.css"))

    def found(base: str) -> list[str]:
        page.goto(base)
        return [link.replace(base, "") for link in _search(page, "trust")] + [page.locator("#ap-search-summary").inner_text()]

    one = found(seed_http)
    base, server = serve(site)
    loaded: list[str] = []
    page.on("response", lambda r: loaded.append(r.url.replace(base, "")))
    try:
        merged = found(base)
    finally:
        server.shutdown()
    assert merged == one and len(one) > 3, (merged, one)
    assert [u for u in loaded if "/wasm." in u] == ["pagefind/wasm.en.pagefind"], loaded
    assert not [u for u in loaded if "pagefind-worker" in u], loaded
    # Of Pagefind's scripts and styles only its search is loaded (the box and the list are search.js's).
    assert [u for u in loaded if u.startswith("pagefind") and u.endswith((".js", ".css"))] == ["pagefind/pagefind.js"], loaded
    assert len([u for u in loaded if u.endswith(".pf_meta")]) == 1, loaded
    bad = run_mkdocs(project, env={"ALLIANCE_SEARCH_PART_PAGES": "many"}, check=False)
    assert bad.returncode != 0 and "ALLIANCE_SEARCH_PART_PAGES" in bad.stdout + bad.stderr and "Traceback" not in bad.stderr


def test_parts_are_made_by_size_and_never_empty():
    """The index is split by the articles' size (the indexer's memory grows
    with it), into at most MAX_PARTS parts, each of pages in order, none
    empty; ALLIANCE_SEARCH_PART_PAGES sets pages per part instead."""
    from alliance_playbook.adapters.search import MAX_PARTS, PART_BYTES, split

    assert split([]) == []
    assert set(split([20_000] * 56)) == {0}  # the seed guide: one part
    even = split([PART_BYTES // 100] * 250)  # two and a half parts' worth
    assert even == sorted(even) and set(even) == {0, 1, 2}
    assert max(even.count(n) for n in range(3)) - min(even.count(n) for n in range(3)) <= 1
    assert set(split([PART_BYTES] * 40)) == set(range(MAX_PARTS))
    lopsided = split([10, PART_BYTES * 3, 10, 10])  # one page larger than a part: no part is left empty
    assert lopsided == sorted(lopsided) and set(lopsided) == set(range(max(lopsided) + 1))
    by_pages = split([PART_BYTES] * 7, per_part=3)
    assert by_pages == [0, 0, 0, 1, 1, 1, 2]
