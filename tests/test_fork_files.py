"""Files for people who fork the guide: the issue form, the workflows, the
pre-commit hook, and the "For forks" pages (built, in the navigation, and
with an example and error messages that are the real thing)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections import defaultdict
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from alliance_playbook.errors import ContentError
from alliance_playbook.kinds import CaseStudy, Location, Period
from alliance_playbook.model.enums import (
    ALLIANCE_FORM_LABELS,
    PARTNER_ROLE_LABELS,
    PARTNER_TYPE_LABELS,
    POLICY_AREA_LABELS,
    SCOPE_LABELS,
)
from alliance_playbook.project import load_project
from conftest import ROOT, copy_project, run_mkdocs

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "case-study.yml"
PUBLISH = ROOT / ".github" / "workflows" / "publish.yml"
CHECK = ROOT / ".github" / "workflows" / "check.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
ADD_CASE = ROOT / "content" / "forking" / "add-a-case-study.md"
FORK_PAGES = ["forking/index.md", "forking/add-a-case-study.md", "forking/customise.md", "forking/publish.md", "forking/offline-and-pdf.md"]

# Left out of the form on purpose: a proposer cannot know them. `status` and
# `last_reviewed` record the maintainers' editorial process, and `tags` are
# the site's own vocabulary, which maintainers keep consistent.
MAINTAINERS_ONLY = {"status", "last_reviewed", "tags"}
# Nested mappings of a case study, asked for field by field (`location_city`).
NESTED = {"location": Location, "period": Period}
# Each drop-down of the form and the contract's list of values it must offer.
DROPDOWNS = {"policy_areas": POLICY_AREA_LABELS, "alliance_form": ALLIANCE_FORM_LABELS, "location_scope": SCOPE_LABELS}


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    return workflow.get("on", workflow.get(True)) or {}


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def alliance_argv(command: str) -> list[str]:
    """A shell command starting with `alliance`, run with this interpreter's package."""
    argv = shlex.split(command)
    assert argv[0] == "alliance", command
    return [sys.executable, "-m", "alliance_playbook", *argv[1:]]


def form_fields() -> dict[str, dict]:
    form = load(FORM)
    fields = [el for el in form["body"] if el["type"] != "markdown"]
    ids = [el["id"] for el in fields]
    assert len(ids) == len(set(ids)), "issue form ids must be unique"
    return {el["id"]: el for el in fields}


def model_field(form_id: str) -> tuple[str, str | None]:
    """The case study field a form field asks for: (top-level name, nested name)."""
    if form_id in CaseStudy.model_fields:
        return form_id, None
    for name, nested in NESTED.items():
        sub = form_id.removeprefix(name + "_")
        if sub != form_id and sub in nested.model_fields:
            return name, sub
    raise AssertionError(f"issue form field {form_id!r} matches no case study field")


def is_required(element: dict) -> bool:
    return (element.get("validations") or {}).get("required") is True


# --- the issue form ---------------------------------------------------------


def test_issue_form_asks_for_every_case_study_field():
    form = load(FORM)
    assert form["name"] == "Propose a case study"
    assert form["description"] and form["body"][0]["type"] == "markdown"
    asked: dict[str, set[str | None]] = defaultdict(set)
    for form_id in form_fields():
        top, sub = model_field(form_id)
        asked[top].add(sub)
    assert set(asked) == set(CaseStudy.model_fields) - MAINTAINERS_ONLY
    for name, nested in NESTED.items():
        assert asked[name] == set(nested.model_fields), f"{name}: every nested field has a question"


def test_issue_form_requires_exactly_the_required_fields():
    for form_id, element in form_fields().items():
        top, sub = model_field(form_id)
        required = CaseStudy.model_fields[top].is_required()
        if sub is not None:
            required = required and NESTED[top].model_fields[sub].is_required()
        assert is_required(element) == required, f"{form_id}: required should be {required}"
    required_ids = {i for i, el in form_fields().items() if is_required(el)}
    assert required_ids == {"title", "summary", "policy_areas", "partners", "challenge", "approach", "outcomes", "lessons"}


def test_issue_form_dropdowns_offer_the_contract_values():
    fields = form_fields()
    assert {i for i, el in fields.items() if el["type"] == "dropdown"} == set(DROPDOWNS)
    for form_id, labels in DROPDOWNS.items():
        attributes = fields[form_id]["attributes"]
        assert attributes["options"] == list(labels), form_id
        # Only policy_areas is a list in the model, so only it takes several values.
        assert bool(attributes.get("multiple")) == (form_id == "policy_areas"), form_id


def test_issue_form_partners_question_names_every_type_and_role():
    description = form_fields()["partners"]["attributes"]["description"]
    listed = set(re.findall(r"[a-z]+(?:-[a-z]+)*", description))
    assert set(PARTNER_TYPE_LABELS) <= listed
    assert set(PARTNER_ROLE_LABELS) <= listed
    assert "name | type | role | contribution" in description


# --- workflows and the pre-commit hook ---------------------------------------


def test_publish_workflow_builds_with_make_site_and_deploys_site():
    workflow = load(PUBLISH)
    assert triggers(workflow)["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    build = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses") for s in build]
    assert uses[:2] == ["actions/checkout@v4", "actions/setup-python@v5"]
    assert str(build[1]["with"]["python-version"]) == "3.11"
    runs = [s.get("run") or "" for s in build]
    apt = next(i for i, r in enumerate(runs) if "apt-get install" in r)
    make = next(i for i, r in enumerate(runs) if r.strip() == "make site")
    upload = uses.index("actions/upload-pages-artifact@v3")
    assert apt < make < upload
    # Pango for WeasyPrint, fontconfig for the missing-glyph check (the PDF's fonts ship in the package).
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fontconfig"):
        assert package in runs[apt].split()
    assert build[upload]["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s.get("uses") for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    # `make site` must exist and write to site/, which is what gets uploaded.
    assert re.search(r"^site:.*\n\t.*mkdocs build", (ROOT / "Makefile").read_text(), re.M)
    assert not re.search(r"^site_dir:", (ROOT / "mkdocs.yml").read_text(), re.M)


def test_check_workflow_annotates_mistakes_on_pull_requests(tmp_path):
    workflow = load(CHECK)
    assert "pull_request" in triggers(workflow)
    runs = [s.get("run") or "" for s in steps(workflow)]
    assert "python -m pip install -e ." in runs
    command = next(r for r in runs if r.startswith("alliance check"))
    assert "--format github" in command
    # Run the workflow's own command on a copy with a typo: GitHub reads
    # `::error file=...,line=...,col=...::` lines as notes on those lines.
    project = copy_project(tmp_path / "project")
    (project / "casestudies" / "harbour-flood-alliance.yml").write_text(
        example_case().replace("type: local-government", "type: local_government", 1), encoding="utf-8")
    proc = subprocess.run(alliance_argv(command), cwd=project, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert ("::error file=casestudies/harbour-flood-alliance.yml,line=17,col=11::partners[0].type: "
            "'local_government' is not a partner type; did you mean 'local-government'?") in proc.stdout.splitlines()


def test_pre_commit_hook_runs_alliance_check(tmp_path):
    hooks = load(HOOKS)
    hook = next(h for h in hooks if h["id"] == "alliance-check")
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("casestudies/a.yml", "content/lessons/b.yaml", "content/guide/c.md", "mkdocs.yml"):
        assert files.search(path), path
    for path in ("plugins/alliance_playbook/cli.py", "content/assets/logo.svg", "notes.yml.bak"):
        assert not files.search(path), path
    project = copy_project(tmp_path / "project")
    proc = subprocess.run(alliance_argv(hook["entry"]), cwd=project, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("files checked, 0 errors")


# --- the "Add a case study" page says true things ----------------------------


def code_blocks(markdown: str) -> list[tuple[str, str]]:
    """Top-level fenced blocks as (language, text)."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```", markdown, re.S | re.M)]


def example_case() -> str:
    blocks = [text for lang, text in code_blocks(ADD_CASE.read_text(encoding="utf-8")) if text.startswith("# yaml-language-server")]
    assert len(blocks) == 1, "the page has one complete example case"
    return blocks[0]


def problems_of(project: Path, case_text: str) -> list[str]:
    (project / "casestudies" / "harbour-flood-alliance.yml").write_text(case_text, encoding="utf-8")
    try:
        load_project(project)
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_documented_error_messages_are_what_check_prints(tmp_path):
    """Each message shown on the page comes out of the page's example, spoiled
    the way the page describes (the page shortens long value lists to `...`)."""
    project = copy_project(tmp_path / "project")
    example = example_case()
    assert problems_of(project, example) == []
    spoiled = [
        ("type: local-government", "type: local_government"),
        (", environment]", ", enviroment]"),
        ("lesson: align-core-values", "lesson: align-core-value"),
        ("\nsummary:", "\nsumary:"),
        ("title: Harbour flood alliance", "title: Harbour: a flood alliance"),
    ]
    printed: list[str] = []
    for old, new in spoiled:
        assert old in example
        printed += problems_of(project, example.replace(old, new, 1))
    documented = [
        line for lang, text in code_blocks(ADD_CASE.read_text(encoding="utf-8")) if not lang
        for line in text.splitlines() if line.startswith("casestudies/")
    ]
    assert len(documented) == 6
    for line in documented:
        shown = line.split(" (allowed")[0] if "...)" in line else line
        assert any(p == shown or p.startswith(shown + " (allowed") for p in printed), line


# --- the pages, built ----------------------------------------------------------


@pytest.mark.build
def test_fork_pages_are_built_and_listed_after_the_guide(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "casestudies" / "harbour-flood-alliance.yml").write_text(example_case(), encoding="utf-8")
    run_mkdocs(project, "--strict", quiet=False)
    site = project / "site"

    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    top = home.select_one("nav.md-nav--primary > ul.md-nav__list").find_all("li", recursive=False)
    labels = [" ".join(li.select_one(".md-nav__link").get_text(" ", strip=True).split()) for li in top]
    assert labels.index("For forks") == labels.index("Guide") + 1, labels
    section = top[labels.index("For forks")]
    hrefs = [a["href"] for a in section.select("a[href]") if not a["href"].startswith("#")]
    expected = [page.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/" for page in FORK_PAGES]
    assert list(dict.fromkeys(hrefs)) == expected

    for url in expected:
        page = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        article = page.select_one("article")
        assert article.h1 and article.h1.get_text(strip=True)
        # Every link inside the site points at a file that was built.
        for a in article.select("a[href]"):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = PurePosixPath(url, parts.path)
            resolved = (site / target).resolve()
            assert resolved.is_file() or (resolved / "index.html").is_file(), f"{url}: {href}"

    # The page's example is a valid case that becomes a page with its title.
    case = BeautifulSoup((site / "casestudies" / "harbour-flood-alliance" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert case.select_one("article h1").get_text(strip=True) == "Harbour flood alliance"
