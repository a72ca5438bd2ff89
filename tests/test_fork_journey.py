"""A fork's path, as a new user walks it: rename, recolour, add a case, build."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from conftest import run_alliance, run_mkdocs
from test_cli import FILLED


def test_fork_renames_recolours_adds_a_case_and_builds(project_copy: Path):
    config = project_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("site_name: Alliance Playbook", "site_name: Coastal Cities Playbook")
    text = text.replace("primary: teal", "primary: indigo").replace("accent: teal", "accent: amber")
    config.write_text(text, encoding="utf-8")
    assert run_alliance("new", "case", "Harbour Flood Pact", "--path", str(project_copy)).returncode == 0
    case = project_copy / "casestudies/harbour-flood-pact.yml"
    body = case.read_text(encoding="utf-8")
    for old, new in FILLED.items():
        body = body.replace(old, new, 1)
    case.write_text(body, encoding="utf-8")
    assert run_alliance("check", str(project_copy)).returncode == 0
    run_mkdocs(project_copy)
    site = project_copy / "site"
    page = BeautifulSoup((site / "casestudies/harbour-flood-pact/index.html").read_text(), "html.parser")
    assert page.find("h1").get_text(strip=True) == "Harbour Flood Pact"
    assert page.title.get_text().endswith("Coastal Cities Playbook")
    assert page.body["data-md-color-primary"] == "indigo" and page.body["data-md-color-accent"] == "amber"
    index = BeautifulSoup((site / "casestudies/index.html").read_text(), "html.parser")
    assert "Harbour Flood Pact" in [a.get_text(strip=True) for a in index.select("li.ap-case-card h2 a")]


def test_a_fork_overrides_the_case_template_with_one_file(project_copy: Path):
    overrides = project_copy / "overrides/alliance"
    overrides.mkdir(parents=True)
    (overrides / "casestudy.md.j2").write_text(
        '<p class="fork-case">{{ case.title }} by {{ case.partners|length }} partners</p>\n', encoding="utf-8")
    run_mkdocs(project_copy)
    page = BeautifulSoup((project_copy / "site/casestudies/conflict-to-collaboration/index.html").read_text(), "html.parser")
    custom = page.select_one("p.fork-case")
    assert custom is not None and "partners" in custom.get_text()
    assert page.select_one("table.ap-partners") is None  # the built-in template is replaced
    # Other kinds keep the built-in templates.
    step = BeautifulSoup((project_copy / "site/playbook/identify-partners/stakeholder-mapping/index.html").read_text(), "html.parser")
    assert step.select_one("[data-ap-checklist]") is not None
