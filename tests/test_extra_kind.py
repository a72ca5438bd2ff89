"""A kind added by one module and its templates (tests/fixtures/extra-kind):
its pages, links, checks and exports appear, and nothing else changed.

The fork lists the module under the plugin's ``kinds`` option; everything
else (loading, the reference checks, the link graph, wiki links, the
navigation, data/playbook.json, the page scan) comes from the registry.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, run_alliance, run_mkdocs

pytestmark = pytest.mark.build


def _add_resources(project: Path) -> Path:
    extra = FIXTURES / "extra-kind"
    shutil.copytree(extra, project, dirs_exist_ok=True)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      organization: Alliance Playbook contributors\n",
        "      organization: Alliance Playbook contributors\n      kinds: [kinds/resource.py]\n"), encoding="utf-8")
    page = project / "content/guide/identifying-partners.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA ready-made grid: [[resource:stakeholder-map-template]].\n", encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def resource_site(tmp_path_factory) -> Path:
    from conftest import copy_project

    project = _add_resources(copy_project(tmp_path_factory.mktemp("extra-kind") / "project"))
    run_mkdocs(project)
    return project / "site"


def test_the_new_kind_has_its_index_and_item_pages(resource_site: Path):
    index = BeautifulSoup((resource_site / "resources/index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.h1.get_text(strip=True) == "Resources"
    assert [a.get_text(strip=True) for a in index.select("ul.ap-resources a")] == ["Partnership charter outline", "Stakeholder map template"]
    page = BeautifulSoup((resource_site / "resources/stakeholder-map-template/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text(strip=True) == "Stakeholder map template"
    assert [a["href"] for a in page.select("article ul.ap-list a")] == ["../../playbook/identify-partners/stakeholder-mapping/"]


def test_the_new_kind_is_in_the_navigation_before_explore(resource_site: Path):
    home = BeautifulSoup((resource_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    top = [li.find(["a", "label"]).get_text(" ", strip=True) for li in home.select_one("nav.md-nav--primary > ul").find_all("li", recursive=False)]
    assert top[top.index("Case studies") + 1] == "Resources" and top[top.index("Resources") + 1] == "Explore", top


def test_wiki_links_to_the_new_kind_resolve(resource_site: Path):
    page = BeautifulSoup((resource_site / "guide/identifying-partners/index.html").read_text(encoding="utf-8"), "html.parser")
    link = next(a for a in page.select("article a") if a.get_text(strip=True) == "Stakeholder map template")
    assert link["href"] == "../../resources/stakeholder-map-template/"


def test_the_new_kind_is_exported_with_its_links(resource_site: Path):
    data = json.loads((resource_site / "data/playbook.json").read_text(encoding="utf-8"))
    resources = {r["id"]: r for r in data["resources"]}
    assert resources["partnership-charter"]["url"] == "resources/partnership-charter/"
    assert resources["partnership-charter"]["links"]["steps"] == ["define-shared-goals", "clarify-roles"] or \
        sorted(resources["partnership-charter"]["links"]["steps"]) == ["clarify-roles", "define-shared-goals"]
    assert list(data)[-1] == "resources" and "casestudies" in data  # the built-in kinds are all still there


def test_the_new_kind_is_checked_like_any_other(project_copy: Path):
    project = _add_resources(project_copy)
    (project / "content/resources/broken.yml").write_text("title: Broken\nsummary: x\nsteps: [stakeholder-maping]\nformt: Sheet\n", encoding="utf-8")
    (project / "content/resources/index.yml").write_text("title: Index\nsummary: x\n", encoding="utf-8")
    page = project / "content/guide/collaboration.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [[resource:no-such-resource]].\n", encoding="utf-8")
    proc = run_alliance("check", str(project))
    out = proc.stdout
    assert proc.returncode == 1, out
    assert "content/resources/broken.yml:3:9: steps[0]: there is no step 'stakeholder-maping'; did you mean 'stakeholder-mapping'?" in out
    assert "content/resources/broken.yml:4:1: formt: unknown key 'formt'; did you mean 'format'?" in out
    assert "content/resources/index.yml:1:1: the id 'index' is reserved: the resources index (resources/) is there" in out
    assert "there is no resource 'no-such-resource'" in out


def test_a_missing_kind_file_is_a_clear_error(project_copy: Path):
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      organization: Alliance Playbook contributors\n",
        "      organization: Alliance Playbook contributors\n      kinds: [kinds/nowhere.py]\n"), encoding="utf-8")
    proc = run_mkdocs(project_copy, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in out
    assert "kinds: 'kinds/nowhere.py' is not a Python file of the project" in out
