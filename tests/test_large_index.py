"""A large fork's case index (more than CARD_LIMIT cases): the page lists
each case as a link (what a reader without JavaScript gets) and stays small;
the cards, their filters, the search and the download work as on a small
index, drawn from casestudies-cards.js."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_mkdocs, serve

sys.path.insert(0, str(ROOT / "benchmarks"))

CASES = 150


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    from alliance_playbook.kinds.casestudy_index import CARD_LIMIT
    from synth import make_project

    assert CASES > CARD_LIMIT
    project = tmp_path_factory.mktemp("big") / "project"
    make_project(project, CASES)
    run_mkdocs(project)
    return project


def _published(project: Path) -> dict[str, dict]:
    every = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (project / "casestudies").glob("*.yml")}
    return {k: v for k, v in every.items() if v.get("status", "published") == "published"}


def test_the_large_index_page_is_small_and_lists_every_case(big: Path):
    html = (big / "site" / "casestudies" / "index.html").read_text(encoding="utf-8")
    cases = _published(big)
    listed = re.findall(r'<li><a href="([a-z0-9-]+)/">', html)
    assert sorted(listed) == sorted(cases)  # without JavaScript: every case, linked
    start = html.index('<ul class="ap-case-cards ap-case-list" data-search-exclude>')  # not indexed: each case has its page
    listing = html.index("</ul>", start) - start
    per_case = listing / len(cases)
    assert per_case < 140, per_case  # about 110 bytes a case, where a card takes 1 kB
    # The rest (head, navigation, filters) does not grow with the cases: at
    # 1,000 the page stays under 200 kB (184 kB with benchmarks/synth.py 1000).
    assert len(html) - listing + 1_000 * per_case < 200_000
    assert 'class="ap-card ap-case-card"' not in html  # the cards come from the data


@pytest.fixture(scope="module")
def big_http(big: Path):
    base, server = serve(big / "site")
    yield base
    server.shutdown()


def test_cards_filters_search_and_download_work_on_the_large_index(page, big: Path, big_http: str):
    cases = _published(big)
    page.goto(big_http + "casestudies/")
    page.wait_for_selector("form.ap-filters:not([hidden])")
    cards = page.locator("li.ap-card.ap-case-card")
    assert cards.count() == len(cases)
    first = next(iter(sorted(cases)))
    card = page.locator(f"li.ap-case-card[data-id='{first}']")
    assert card.locator(".ap-summary").inner_text() == " ".join(cases[first]["summary"].split())
    assert card.locator("h2 a").get_attribute("href") == f"{first}/"
    page.locator("details[data-facet='area'] summary").click()
    page.locator("details[data-facet='area'] input[value='environment']").check()
    expected = {cid for cid, c in cases.items() if "environment" in c["policy_areas"]}
    shown = set(page.eval_on_selector_all("li.ap-case-card", "cs => cs.filter(c => !c.hidden).map(c => c.dataset.id)"))
    assert shown == expected and 0 < len(expected) < len(cases)
    # The search finds a case by a partner's name, beyond its card.
    page.locator("[data-ap-clear-filters]").click()
    partner = cases[first]["partners"][0]["name"]
    page.locator("[data-ap-q]").fill(partner)
    shown = set(page.eval_on_selector_all("li.ap-case-card", "cs => cs.filter(c => !c.hidden).map(c => c.dataset.id)"))
    assert first in shown
    with page.expect_download() as info:
        page.click("[data-ap-download='csv']")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_bytes().decode("utf-8"), newline="")))
    assert {r[0] for r in rows[1:]} == shown
    assert page.errors == []
