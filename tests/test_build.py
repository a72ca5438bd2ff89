"""A real `mkdocs build` of the seed guide: every URL of the contract is there."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, run_alliance


def _ids(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yml"))


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_every_contract_url_exists(seed_site: Path):
    phases = [p["id"] for p in yaml.safe_load((ROOT / "content/playbook/phases.yml").read_text())]
    assert phases == ["identify-partners", "collaborate", "navigate-challenges", "measure-success"]
    urls = ["", "playbook", "checklist", "lessons", "casestudies", "worksheets", "explore"]
    urls += [f"playbook/{p}" for p in phases]
    for step in _ids(ROOT / "content/playbook/steps"):
        phase = yaml.safe_load((ROOT / f"content/playbook/steps/{step}.yml").read_text())["phase"]
        urls.append(f"playbook/{phase}/{step}")
    urls += [f"lessons/{i}" for i in _ids(ROOT / "content/lessons")]
    urls += [f"casestudies/{i}" for i in _ids(ROOT / "casestudies")]
    urls += [f"worksheets/{i}" for i in _ids(ROOT / "content/worksheets")]
    for url in urls:
        assert (seed_site / url / "index.html").is_file(), url
    assert (seed_site / "data/playbook.json").is_file()


def test_seed_ids_are_the_contract_ones():
    assert _ids(ROOT / "content/playbook/steps") == sorted([
        "identify-core-values", "stakeholder-mapping", "leverage-networks", "regular-check-ins", "define-shared-goals",
        "motivate-each-partner", "build-shared-understanding", "balance-power", "clarify-roles",
        "gather-qualitative-feedback", "track-quantitative-metrics", "review-holistically"])
    assert _ids(ROOT / "content/lessons") == sorted([
        "diverse-perspectives-spark-solutions", "trust-and-open-communication", "align-core-values",
        "measure-qualitatively-and-quantitatively", "shared-vision-amplifies-impact", "address-conflict-head-on",
        "value-every-voice", "clarify-roles-early"])
    assert _ids(ROOT / "content/worksheets") == ["alliance-health-check", "partner-identification", "roles-and-expectations"]
    assert _ids(ROOT / "casestudies") == ["conflict-to-collaboration", "cross-sector-education-alliance", "environmental-sustainability-alliance"]


def test_generated_pages_are_in_the_navigation_and_search(seed_site: Path):
    home = soup(seed_site, "")
    nav_links = {a.get("href") for a in home.select("nav.md-nav--primary a")}
    for target in ("playbook/", "checklist/", "lessons/", "casestudies/", "worksheets/", "explore/",
                   "playbook/identify-partners/stakeholder-mapping/", "casestudies/conflict-to-collaboration/"):
        assert target in nav_links, target
    # Searched (Pagefind indexes each page's article): the generated pages are in the index.
    entry = json.loads((seed_site / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] >= len(list(seed_site.rglob("index.html"))) - 5
    for address in ("casestudies/conflict-to-collaboration", "playbook/identify-partners/stakeholder-mapping"):
        assert "data-pagefind-body" in (seed_site / address / "index.html").read_text(encoding="utf-8")


def test_edit_links_point_at_the_yaml_source(seed_site: Path):
    page = soup(seed_site, "casestudies/conflict-to-collaboration")
    edit = page.select_one("a.md-content__button[href*='edit']")
    assert edit is not None and edit["href"].endswith("/edit/main/casestudies/conflict-to-collaboration.yml")
    step = soup(seed_site, "playbook/identify-partners/stakeholder-mapping")
    assert step.select_one("a.md-content__button[href*='edit']")["href"].endswith("/edit/main/content/playbook/steps/stakeholder-mapping.yml")


def test_yaml_sources_are_not_published(seed_site: Path):
    assert not list(seed_site.rglob("*.yml")) and not list(seed_site.rglob("*.yaml"))


def test_wikilinks_in_guide_pages_become_links_with_titles(seed_site: Path):
    page = soup(seed_site, "guide/identifying-partners")
    text = page.get_text()
    assert "[[" not in text
    lesson_title = yaml.safe_load((ROOT / "content/lessons/align-core-values.yml").read_text())["title"]
    links = [a for a in page.select("article a") if a.get("href", "").endswith("lessons/align-core-values/")]
    assert links and links[0].get_text(strip=True) == lesson_title


def test_data_exports_parse(seed_site: Path):
    data = json.loads((seed_site / "data/playbook.json").read_text())
    assert data["schema_version"] == 1
    assert [c["id"] for c in data["casestudies"]] and len(data["steps"]) == 12
    rows = list(csv.DictReader(io.StringIO((seed_site / "data/casestudies.csv").read_text())))
    assert len(rows) == 3


def test_nothing_loads_from_another_host(seed_site: Path):
    for html in seed_site.rglob("*.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src")):
            for el in page.find_all(tag):
                value = el.get(attr) or ""
                if tag == "link" and "stylesheet" not in (el.get("rel") or []) and "preload" not in (el.get("rel") or []):
                    continue
                assert not value.startswith(("http:", "https:", "//")), (html, tag, value)


def test_check_passes_on_the_repository():
    proc = run_alliance("check", str(ROOT))
    assert proc.returncode == 0, proc.stdout
    last = proc.stdout.rstrip().splitlines()[-1]
    assert " files checked, 0 errors" in last


def test_check_passes_with_a_forks_own_content(fork_project: Path):
    proc = run_alliance("check", str(fork_project))
    assert proc.returncode == 0, proc.stdout
    assert "0 errors" in proc.stdout


def test_detail_pages_leave_the_sidebar_past_nav_limit(project_copy: Path):
    from conftest import run_mkdocs

    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - alliance:\n", "  - alliance:\n      nav_limit: 2\n"), encoding="utf-8")
    run_mkdocs(project_copy, "--strict", quiet=False)  # no "not in nav" warnings either
    site = project_copy / "site"
    home = soup(site, "")
    nav_links = {a.get("href") for a in home.select("nav.md-nav--primary a")}
    assert "casestudies/" in nav_links and "lessons/" in nav_links
    assert not any(h and h.startswith("casestudies/") and h not in ("casestudies/", "casestudies/propose/") for h in nav_links)
    assert (site / "casestudies/conflict-to-collaboration/index.html").is_file()
    index = soup(site, "casestudies")
    assert len(index.select("li.ap-case-card")) == 3


def test_tags_link_to_the_tags_page(seed_site: Path):
    page = soup(seed_site, "casestudies/conflict-to-collaboration")
    tags = page.select("a.md-tag")
    assert tags and all(a["href"].startswith("../../tags/#tag:") for a in tags)
    assert (seed_site / "tags/index.html").is_file()
