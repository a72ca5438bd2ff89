"""The `alliance` command: check output formats, new, generate."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, run_alliance, run_mkdocs


def test_check_github_format_gives_annotations(project_copy: Path):
    shutil.copy(FIXTURES / "broken" / "bad-enum.yml", project_copy / "casestudies")
    proc = run_alliance("check", str(project_copy), "--format", "github")
    assert proc.returncode == 1
    assert "::error file=casestudies/bad-enum.yml,line=8,col=11::partners[1].type: 'local_government' is not a partner type" in proc.stdout


def test_check_lists_warnings_for_thin_evidence(project_copy: Path):
    (project_copy / "content/lessons/unused-lesson.yml").write_text(
        "title: Unused\nkind: practice\nstatement: Nobody cites this yet.\n", encoding="utf-8")
    proc = run_alliance("check", str(project_copy))
    assert proc.returncode == 0, proc.stdout
    assert "content/lessons/unused-lesson.yml:1:8: warning: title: no published case study cites this lesson yet" in proc.stdout
    assert "1 warning" in proc.stdout


FILLED = {
    "summary: ...": "summary: A short summary.",
    "policy_areas: [...]": "policy_areas: [health]",
    "  - name: ...\n    type: ...": "  - name: Clinic\n    type: health-provider",
    "  - name: ...\n    type: ...\n": "  - name: Council\n    type: local-government\n",
    "challenge: |                  # required, Markdown: the problem they faced\n  ...": "challenge: |\n  A problem.",
    "approach: |                   # required, Markdown: what the alliance did\n  ...": "approach: |\n  An approach.",
    "  - description: ...": "  - description: An outcome",
    "lessons: [...]": "lessons: [trust-and-open-communication]",
}


def test_new_case_passes_check_once_placeholders_are_filled(project_copy: Path):
    proc = run_alliance("new", "case", "Riverside Air & Green Streets", "--path", str(project_copy))
    assert proc.returncode == 0, proc.stderr
    target = project_copy / "casestudies/riverside-air-green-streets.yml"
    assert f"Wrote {target.as_posix()}" in proc.stdout
    text = target.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert "local-government" in text and "multi-stakeholder-platform" in text  # allowed values listed
    assert run_alliance("check", str(project_copy)).returncode == 1  # placeholders are errors
    for old, new in FILLED.items():
        text = text.replace(old, new, 1)
    target.write_text(text)
    proc = run_alliance("check", str(project_copy))
    assert proc.returncode == 0, proc.stdout
    again = run_alliance("new", "case", "Riverside Air & Green Streets", "--path", str(project_copy))
    assert again.returncode == 1 and "already exists" in again.stderr
    assert target.read_text() == text


def test_new_other_kinds_write_into_the_right_folder(project_copy: Path):
    for kind, folder in (("step", "content/playbook/steps"), ("lesson", "content/lessons"), ("worksheet", "content/worksheets")):
        proc = run_alliance("new", kind, f"My {kind}", "--path", str(project_copy))
        assert proc.returncode == 0, proc.stderr
        assert (project_copy / folder / f"my-{kind}.yml").is_file()
        out = run_alliance("check", str(project_copy)).stdout
        assert f"{folder}/my-{kind}.yml" in out and "placeholder" in out


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_generate_builds_with_plain_engines_to_the_same_pages(engine: str, project_copy: Path, tmp_path: Path):
    run_mkdocs(project_copy)
    plugin_pages = {p.relative_to(project_copy / "site").as_posix() for p in (project_copy / "site").rglob("index.html")}
    out = tmp_path / "generated"
    proc = run_alliance("generate", str(project_copy), "--out", str(out), "--config")
    assert proc.returncode == 0, proc.stdout
    command = [sys.executable, "-m", "mkdocs", "build", "-q"] if engine == "mkdocs" else [str(Path(sys.executable).parent / "properdocs"), "build", "-q", "-f", "mkdocs.yml"]
    build = subprocess.run(command, cwd=out, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert build.returncode == 0, build.stderr
    plain_pages = {p.relative_to(out / "site").as_posix() for p in (out / "site").rglob("index.html")}
    assert plain_pages == plugin_pages
    assert (out / "site/data/playbook.json").is_file()
    # The same pages: the plugin's shortcut past Markdown for its own HTML
    # blocks (split_html_blocks) changes nothing in the output.
    for rel in sorted(plugin_pages):
        ours, theirs = (_article(root / "site" / rel) for root in (project_copy, out))
        assert ours == theirs, rel


def _article(path: Path) -> str:
    import re

    from bs4 import BeautifulSoup

    article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")
    if article is None:
        return ""
    for button in article.select("a.md-content__button"):  # edit links differ by design
        button.decompose()
    return re.sub(r"\s+", " ", str(article))
