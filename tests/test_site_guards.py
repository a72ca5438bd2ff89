"""Guards of the build: the last-line scan of generated pages, tags, languages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_alliance, run_mkdocs

pytestmark = pytest.mark.build


def _set_tags(project: Path, case: str, tags: list[str]) -> None:
    path = project / "casestudies" / f"{case}.yml"
    text = re.sub(r"(?m)^tags:.*\n", "", path.read_text(encoding="utf-8"))
    path.write_text(text + "tags: [" + ", ".join(f'"{t}"' for t in tags) + "]\n", encoding="utf-8")


@pytest.mark.parametrize("helper", ["1", "0"], ids=["scanned-in-a-helper", "scanned-in-the-build"])
def test_a_fork_template_that_prints_yaml_raw_stops_the_build(project_copy: Path, helper: str):
    """Planted fault for the last line of defence: a template override that
    marks a case's summary |safe, with a summary that is markup. A large
    build scans on the other core (adapters/scan.py): both ways stop it,
    and every page it is in is named at once."""
    overrides = project_copy / "overrides/alliance"
    overrides.mkdir(parents=True)
    builtin = Path(__file__).resolve().parent.parent / "plugins/alliance_playbook/templates/casestudy.md.j2"
    (overrides / "casestudy.md.j2").write_text(builtin.read_text(encoding="utf-8").replace("{{ case.summary }}", "{{ case.summary|safe }}", 1), encoding="utf-8")
    path = project_copy / "casestudies/conflict-to-collaboration.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?ms)^summary: >-\n.*?(?=^policy_areas)", 'summary: "<img src=x onerror=alert(1)> hi"\n', text), encoding="utf-8")
    other = project_copy / "casestudies/cross-sector-education-alliance.yml"
    text = other.read_text(encoding="utf-8")
    other.write_text(re.sub(r"(?ms)^summary: >-\n.*?(?=^policy_areas)", 'summary: "<iframe srcdoc=x></iframe>"\n', text), encoding="utf-8")
    proc = run_mkdocs(project_copy, "-v", check=False, env={"ALLIANCE_SCAN_PROCESS": helper}, quiet=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in out
    assert "alliance: casestudies/conflict-to-collaboration.md (made from casestudies/conflict-to-collaboration.yml) would contain markup that runs or loads something" in out
    assert "<img onerror>: an event handler: 'alert(1)'" in out
    assert "alliance: casestudies/cross-sector-education-alliance.md (made from casestudies/cross-sector-education-alliance.yml)" in out
    assert "<iframe>: not allowed in page content" in out
    assert not (project_copy / "site/casestudies/conflict-to-collaboration/index.html").exists()
    assert not list((project_copy / "site").rglob("*.html")), "nothing is published"
    assert ("generated pages scanned in a helper process" in out) == (helper == "1")


def test_the_same_template_with_plain_text_builds(project_copy: Path):
    overrides = project_copy / "overrides/alliance"
    overrides.mkdir(parents=True)
    builtin = Path(__file__).resolve().parent.parent / "plugins/alliance_playbook/templates/casestudy.md.j2"
    (overrides / "casestudy.md.j2").write_text(builtin.read_text(encoding="utf-8").replace("{{ case.summary }}", "**{{ case.summary }}**", 1), encoding="utf-8")
    run_mkdocs(project_copy)


def test_tags_differing_only_in_case_are_one_tag_with_an_anchor_from_its_text(project_copy: Path):
    _set_tags(project_copy, "conflict-to-collaboration", ["R&D", "Water"])
    _set_tags(project_copy, "cross-sector-education-alliance", ["r&d", "water"])
    proc = run_alliance("check", str(project_copy))
    assert "warning: tags[0]: the tag 'r&d' is written 'R&D' in casestudies/conflict-to-collaboration.yml" in proc.stdout
    run_mkdocs(project_copy)
    tags = (project_copy / "site/tags/index.html").read_text(encoding="utf-8")
    anchors = re.findall(r'id="(tag:[^"]+)"', tags)
    assert anchors.count("tag:rd") == 1 and anchors.count("tag:water") == 1 and not [a for a in anchors if "amp" in a], anchors
    page = (project_copy / "site/casestudies/cross-sector-education-alliance/index.html").read_text(encoding="utf-8")
    assert re.findall(r'class="md-tag(?: [^"]*)?"[^>]*>\s*([^<]+?)\s*<', page) == ["R&amp;D", "Water"]


def test_a_language_without_labels_is_said_and_fails_a_strict_build(project_copy: Path):
    config = project_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      organization: Alliance Playbook contributors\n", "      organization: Alliance Playbook contributors\n      language: xx\n"), encoding="utf-8")
    # Not quiet: `mkdocs build -q` drops warnings before strict mode counts them.
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project_copy, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "ALLIANCE_PDF": "0"})
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Aborted with 1 warnings in strict mode" in out
    assert "there are no interface labels in 'xx' (available: en, es); generated pages use English labels" in out


def test_a_theme_language_without_labels_builds_in_english(project_copy: Path):
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  language: en\n", "  language: fr\n"), encoding="utf-8")
    run_mkdocs(project_copy)
    assert "Case studies" in (project_copy / "site/casestudies/index.html").read_text(encoding="utf-8")
