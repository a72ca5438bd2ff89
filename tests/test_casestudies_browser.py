"""The case index filters in a real browser, from file:// and over http.

Expected result sets are computed from the fork's YAML files, not copied
from the page.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
import yaml


@pytest.fixture(scope="module")
def published(fork_project: Path) -> dict[str, dict]:
    every = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((fork_project / "casestudies").glob("*.yml"))}
    return {k: v for k, v in every.items() if v.get("status", "published") == "published"}


@pytest.fixture(params=["file", "http"])
def base(request, fork_site: Path) -> str:
    """The site root, opened from disk or from a local web server."""
    if request.param == "file":
        return fork_site.as_uri() + "/"
    return request.getfixturevalue("fork_http")


def index_url(base: str, query: str = "") -> str:
    page = "casestudies/index.html" if base.startswith("file:") else "casestudies/"
    return base + page + query


def where(published: dict, test) -> set[str]:
    return {cid for cid, case in published.items() if test(case)}


def has_ptype(*types: str):
    return lambda case: any(p["type"] in types for p in case["partners"])


def shown(page) -> set[str]:
    """Ids of the case cards a reader can see."""
    hrefs = page.eval_on_selector_all(
        "li.ap-case-card", "cards => cards.filter(c => c.offsetParent !== null).map(c => c.querySelector('h2 a').getAttribute('href'))"
    )
    return {h.rstrip("/").split("/")[-1] for h in hrefs}


def box(page, facet: str, value: str):
    return page.locator(f"details[data-facet='{facet}'] input[value='{value}']")


def tick(page, facet: str, value: str, on: bool = True) -> None:
    details = page.locator(f"details[data-facet='{facet}']")
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    box(page, facet, value).set_checked(on)


def count_of(page, facet: str, value: str) -> int:
    return int(box(page, facet, value).locator("xpath=..").locator("[data-count]").get_attribute("data-count"))


def status(page) -> str:
    return page.get_by_role("status").inner_text().strip()


def search(page) -> str:
    return page.evaluate("location.search")


def assert_quiet(page, context) -> None:
    """No dialog, no script error, no request to the internet."""
    assert page.dialogs == []
    assert page.errors == []
    assert context.blocked == []


def test_filters_narrow_the_list(page, context, base: str, published: dict):
    everyone = set(published)
    page.goto(index_url(base))
    form = page.get_by_role("search", name="Filter case studies")
    assert form.is_visible()
    assert shown(page) == everyone
    assert status(page) == f"{len(everyone)} of {len(everyone)} case studies"
    # Counts before any choice: how many cases have each option.
    assert count_of(page, "area", "water-sanitation") == 1
    assert count_of(page, "ptype", "business") == len(where(published, has_ptype("business")))
    assert "(1)" in box(page, "area", "water-sanitation").locator("xpath=..").text_content()

    tick(page, "area", "water-sanitation")
    assert shown(page) == {"alliance-eau-de-lyon"}
    assert status(page) == f"1 of {len(everyone)} case studies"
    assert search(page) == "?area=water-sanitation"
    tick(page, "area", "water-sanitation", on=False)
    assert shown(page) == everyone and search(page) == ""

    # Partner type: one option, then two OR-ed.
    business = where(published, has_ptype("business"))
    assert 1 < len(business) < len(everyone)
    tick(page, "ptype", "business")
    assert shown(page) == business
    either = where(published, has_ptype("business", "community-group"))
    tick(page, "ptype", "community-group")
    assert shown(page) == either and len(either) > len(business)
    tick(page, "ptype", "community-group", on=False)

    # Two facets AND-ed; the other facets' counts follow the choice.
    tick(page, "area", "environment")
    both = where(published, lambda c: "environment" in c["policy_areas"] and has_ptype("business")(c))
    assert shown(page) == both and 0 < len(both) < len(business)
    assert status(page) == f"{len(both)} of {len(everyone)} case studies"
    assert search(page) == "?area=environment&ptype=business"
    assert page.locator("details[data-facet='ptype'] summary").inner_text().strip() == "Partner type · 1 selected"
    environment = where(published, lambda c: "environment" in c["policy_areas"])
    for ptype in ("academia", "community-group", "individual"):
        n = len(environment & where(published, has_ptype(ptype)))
        assert count_of(page, "ptype", ptype) == n
        # An option that would empty the list is disabled and greyed out.
        assert box(page, "ptype", ptype).is_disabled() == (n == 0)
    assert count_of(page, "ptype", "individual") == 0
    assert "ap-zero" in box(page, "ptype", "individual").locator("xpath=..").get_attribute("class")
    # Within its own facet an option counts as if added: business stays OR-able.
    assert count_of(page, "area", "water-sanitation") == len(where(published, lambda c: "water-sanitation" in c["policy_areas"] and has_ptype("business")(c)))
    assert count_of(page, "area", "environment") == len(both)

    page.get_by_role("button", name="Clear filters").click()
    assert shown(page) == everyone and search(page) == ""
    assert page.locator("form.ap-filters input[type=checkbox]:checked").count() == 0

    # Text: every word, any case, any accent, any script.
    search_box = page.get_by_label("Search case studies")
    search_box.fill("町家")
    assert shown(page) == {"kyoto-machizukuri"}
    assert search(page) == "?text=" + quote("町家")
    search_box.fill("RESEAU")  # the summary says "réseau"
    assert shown(page) == {"alliance-eau-de-lyon"}
    search_box.fill("coastal   storms")
    assert shown(page) == {"twelve-partner-coalition"}
    search_box.fill("coastal water")
    assert shown(page) == set()
    assert status(page) == f"0 of {len(everyone)} case studies"
    assert page.locator(".ap-empty").is_visible()
    search_box.press("Enter")  # must not submit the form and reload the page
    assert search_box.input_value() == "coastal water"
    page.get_by_role("button", name="Clear filters").click()
    assert not page.locator(".ap-empty").is_visible() and search_box.input_value() == ""
    assert_quiet(page, context)


def test_the_url_restores_a_shared_view(page, context, base: str, published: dict):
    page.goto(index_url(base, "?area=water-sanitation"))
    assert shown(page) == {"alliance-eau-de-lyon"}
    assert box(page, "area", "water-sanitation").is_checked() and box(page, "area", "water-sanitation").is_visible()

    page.goto(index_url(base, "?area=housing,water-sanitation&ptype=community-group"))
    assert shown(page) == {"alliance-eau-de-lyon", "kyoto-machizukuri"}
    assert box(page, "ptype", "community-group").is_checked()

    page.goto(index_url(base, "?text=" + quote("町家")))
    assert page.get_by_label("Search case studies").input_value() == "町家"
    assert shown(page) == {"kyoto-machizukuri"}

    # Unknown values are ignored; other parameters (e.g. search highlighting) are kept.
    page.goto(index_url(base, "?h=water&area=no-such-area"))
    assert shown(page) == set(published)
    tick(page, "scope", "regional")
    assert search(page) == "?h=water&scope=regional"
    assert shown(page) == where(published, lambda c: (c.get("location") or {}).get("scope") == "regional")
    assert_quiet(page, context)


def test_without_javascript_every_case_is_listed(browser, fork_site: Path, published: dict):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(index_url(fork_site.as_uri() + "/", "?area=water-sanitation"))
        assert not page.locator("form.ap-filters").is_visible()
        assert shown(page) == set(published)
        assert not page.locator(".ap-empty").is_visible()
    finally:
        ctx.close()


def test_hostile_case_runs_nothing(page, context, base: str):
    page.goto(base + ("casestudies/hostile-case/index.html" if base.startswith("file:") else "casestudies/hostile-case/"))
    assert page.locator("article h1").inner_text().startswith("<script>alert('title')</script>")
    page.locator("article").hover()
    page.goto(index_url(base))
    page.get_by_label("Search case studies").fill("alert")
    assert shown(page) == {"hostile-case"}
    page.locator("li.ap-case-card:visible").hover()
    page.wait_for_timeout(200)
    assert_quiet(page, context)


def test_filters_are_labelled_for_assistive_technology(page, base: str):
    page.goto(index_url(base))
    for summary in page.locator("details.ap-facet > summary").all():
        summary.click()
    for name in ("Policy area", "Partner type", "Sector", "Country", "Scope", "Lesson", "Step"):
        assert page.get_by_role("group", name=name).count() == 1, name
    assert page.get_by_role("status").get_attribute("aria-live") == "polite"
    country = page.get_by_role("group", name="Country")
    assert sorted(t.strip() for t in country.locator("label").all_inner_texts()) == ["France (1)", "Japan (1)", "Kenya (1)"]



def test_a_hostile_shared_link_is_cut_short(page, context, base: str):
    """A link's search text is someone else's input: a huge one must not hold up every keystroke."""
    page.goto(index_url(base, "?text=water&area=environment"))
    sane = shown(page)
    # 60 kB: Python's test server takes no longer request line; from file:// a
    # link may hold 2 MB, and every word was looked up in every card.
    words = "+".join(["water"] * 9_000)
    page.goto(index_url(base, f"?text={words}&area=" + ",".join(["environment"] * 500)))
    search_box = page.get_by_label("Search case studies")
    assert len(search_box.input_value()) <= 200
    assert search_box.evaluate("e => e.maxLength") == 200
    assert box(page, "area", "environment").is_checked()
    assert shown(page) == sane
    took = page.evaluate("""() => { const b = document.querySelector('[data-ap-q]'), t0 = performance.now();
        for (let i = 0; i < 20; i++) b.dispatchEvent(new Event('input', {bubbles: true}));
        return (performance.now() - t0) / 20; }""")
    assert took < 20, f"one keystroke took {took:.0f} ms"
    assert len(page.evaluate("location.href")) < 2_000  # the rewritten link is short again
    assert_quiet(page, context)


def test_the_search_finds_a_case_by_anything_inside_it(page, base: str, published: dict):
    """A partner's name, a tag, the place or a word of the approach finds its
    case; the matched words are marked, and a word the card does not show is
    quoted under it with where it was found."""
    import re as _re

    page.goto(index_url(base))
    query = page.get_by_label("Search case studies")
    for cid, case in published.items():
        probes = [p["name"] for p in case["partners"]] + list(case.get("tags") or [])
        if case.get("location", {}).get("city"):
            probes.append(case["location"]["city"])
        words = _re.findall(r"[^\W\d_]{9,}", case["approach"])
        if words:
            probes.append(max(words, key=len))
        for probe in probes:
            query.fill(probe)
            assert cid in shown(page), (cid, probe)
            card = page.locator(f'li.ap-case-card[data-id="{cid}"]')
            assert card.locator("mark").count() >= 1, (cid, probe)
    # A partner's name that the card itself does not show: quoted with where it was found.
    query.fill("Croix-Rousse")
    assert shown(page) == {"alliance-eau-de-lyon"}
    snippet = page.locator('li.ap-case-card[data-id="alliance-eau-de-lyon"] .ap-snippet')
    assert snippet.is_visible() and snippet.locator("strong").inner_text().startswith("Partner")
    assert snippet.locator("mark").inner_text().lower() == "croix-rousse"
    assert "text=Croix-Rousse" in page.url
    # Clearing the box takes the marks and the quote away.
    query.fill("")
    assert page.locator("li.ap-case-card mark").count() == 0 and not snippet.is_visible()


def _saved(page, button: str):
    """Click a download button; the file's suggested name and its text."""
    with page.expect_download() as info:
        page.locator(f"[data-ap-download='{button}']").click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes().decode("utf-8")  # line ends as they are


def test_download_these_cases_gives_exactly_the_cases_shown(page, context, base: str, published: dict, fork_site: Path):
    import csv
    import io
    import json

    lines = (fork_site / "data" / "casestudies.csv").read_bytes().decode("utf-8")
    catalogue = list(csv.reader(io.StringIO(lines)))
    header, rows = catalogue[0], {row[0]: row for row in catalogue[1:]}
    page.goto(index_url(base))
    # Nothing loads before it is asked for: the rows are not part of the page.
    assert page.evaluate("typeof window.AlliancePlaybookCaseRows") == "undefined"
    tick(page, "area", "environment")
    page.locator("[data-ap-q]").fill("partners")
    expected = where(published, lambda c: "environment" in c["policy_areas"]) & shown(page)
    assert expected and shown(page) == expected and len(expected) < len(published)
    order = [h.rstrip("/").split("/")[-1] for h in page.eval_on_selector_all(
        "li.ap-case-card", "cs => cs.filter(c => !c.hidden).map(c => c.querySelector('h2 a').getAttribute('href'))")]

    name, text = _saved(page, "csv")
    assert name == "case-studies-area-environment-text-partners.csv"
    got = list(csv.reader(io.StringIO(text, newline="")))
    assert got[0] == header
    assert [row[0] for row in got[1:]] == order
    assert all(row == rows[row[0]] for row in got[1:])  # the same cells as data/casestudies.csv
    assert text.count("\r\n") == len(got)  # the same line ends too
    assert page.locator(".ap-download-status").inner_text() == f"Downloaded {len(order)} case studies as CSV: {name}"

    name, text = _saved(page, "json")
    assert name == "case-studies-area-environment-text-partners.json"
    data = json.loads(text)
    assert data["filters"] == {"area": ["environment"], "text": "partners"} and data["count"] == len(order)
    assert [c["id"] for c in data["cases"]] == order
    for case in data["cases"]:
        assert case["title"] == published[case["id"]]["title"]
        assert case["policy_areas"] == published[case["id"]]["policy_areas"] and isinstance(case["ongoing"], bool)

    # Cleared filters: every case, named for what it is.
    page.locator("[data-ap-clear-filters]").click()
    name, text = _saved(page, "csv")
    assert name == "case-studies.csv" and text == lines
    assert_quiet(page, context)
