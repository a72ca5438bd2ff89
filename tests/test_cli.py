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
    # Offline-safe without the plugin: the theme override (no repository API
    # call), the local iframe-worker shim, no generator link to another host.
    from test_offline import external_references

    assert external_references(out / "site") == []
    home = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert "assets/alliance/vendor/iframe-worker-shim.js" in (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert (out / "site/assets/alliance/vendor/iframe-worker-shim.js").is_file()
    assert "squidfunk.github.io" not in home and "Made with" not in home
    assert "data-md-component=\"source\"" not in home or "api.github.com" not in home
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
    article.attrs.pop("data-pagefind-body", None)  # what our build's search indexes (the plain builds use the theme's)
    return re.sub(r"\s+", " ", str(article))


# `alliance generate --out`: never over the project, never over files it did not write.

def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (links not followed) with a digest of its bytes."""
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def _refused(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "Wrote" not in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("alliance generate: "), proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _docs_dir_docs(project: Path) -> None:
    """The same project with ``docs_dir: docs`` (the MkDocs default) instead of content/."""
    (project / "content").rename(project / "docs")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("docs_dir: content", "docs_dir: docs"), encoding="utf-8")


@pytest.mark.parametrize("layout", ["content", "docs"])
@pytest.mark.parametrize("out", [".", "content/..", "./"])
def test_generate_refuses_to_write_over_the_project(project_copy: Path, layout: str, out: str):
    if layout == "docs":
        _docs_dir_docs(project_copy)
    before = _tree(project_copy)
    proc = run_alliance("generate", ".", "--out", out if layout == "content" else out.replace("content", "docs"), "--config", cwd=project_copy)
    _refused(proc, "is the project folder")
    assert _tree(project_copy) == before


@pytest.mark.parametrize("out, words", [
    ("content", ["lies inside the project's docs_dir (content/)"]),
    ("content/guide", ["content"]),
    ("casestudies", ["lies inside the project's casestudies_dir (casestudies/)"]),
    ("overrides/alliance/x", ["overrides/alliance"]),
    ("..", ["contains the project"]),
])
def test_generate_refuses_an_out_inside_the_sources_or_around_the_project(project_copy: Path, out: str, words: list[str]):
    (project_copy / "overrides/alliance").mkdir(parents=True, exist_ok=True)
    before, around = _tree(project_copy), sorted(p.name for p in project_copy.parent.iterdir())
    _refused(run_alliance("generate", ".", "--out", out, "--config", cwd=project_copy), *words)
    assert _tree(project_copy) == before
    assert sorted(p.name for p in project_copy.parent.iterdir()) == around  # nothing written beside it either


def test_generate_refuses_links_to_the_project(project_copy: Path, tmp_path: Path):
    before = _tree(project_copy)
    (tmp_path / "link").symlink_to(project_copy, target_is_directory=True)
    _refused(run_alliance("generate", str(project_copy), "--out", str(tmp_path / "link")), "is the project folder")
    # An output folder whose docs/ is a link to the project's content (its docs/ would be replaced).
    out = tmp_path / "linked-docs"
    out.mkdir()
    (out / ".alliance-generated").write_text("")
    (out / "docs").symlink_to(project_copy / "content", target_is_directory=True)
    _refused(run_alliance("generate", str(project_copy), "--out", str(out)), "would replace the project's docs_dir (content/)")
    assert _tree(project_copy) == before
    assert (out / "docs").is_symlink()


def test_generate_refuses_a_folder_it_did_not_write_and_a_file(project_copy: Path, tmp_path: Path):
    mine = tmp_path / "mine"
    (mine / "docs").mkdir(parents=True)
    (mine / "docs" / "notes.md").write_text("my notes\n")
    (mine / "todo.txt").write_text("keep me\n")
    _refused(run_alliance("generate", str(project_copy), "--out", str(mine)), "was not written by alliance generate", "remove it yourself")
    assert _tree(mine) == {"docs/notes.md": _tree(mine)["docs/notes.md"], "todo.txt": _tree(mine)["todo.txt"]}
    (tmp_path / "a-file").write_text("not a folder\n")
    _refused(run_alliance("generate", str(project_copy), "--out", str(tmp_path / "a-file")), "is a file")
    assert (tmp_path / "a-file").read_text() == "not a folder\n"


def test_generate_replaces_its_own_output_and_keeps_the_rest(project_copy: Path, tmp_path: Path):
    out = project_copy / "build" / "generated"  # inside the project, outside its sources: allowed
    first = run_alliance("generate", ".", "--out", "build/generated", "--config", cwd=project_copy)
    assert first.returncode == 0, first.stdout + first.stderr
    assert (out / ".alliance-generated").is_file() and (out / "docs/index.md").is_file() and (out / "mkdocs.yml").is_file()
    (out / "docs" / "stale.md").write_text("from an earlier run\n")
    (out / "site").mkdir()
    (out / "site" / "index.html").write_text("built by hand\n")
    again = run_alliance("generate", ".", "--out", "build/generated", "--config", cwd=project_copy)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not (out / "docs" / "stale.md").exists() and (out / "docs/index.md").is_file()
    assert (out / "site" / "index.html").read_text() == "built by hand\n"  # not ours: left alone
    assert sorted(p.name for p in out.iterdir()) == [".alliance-generated", "docs", "mkdocs.yml", "overrides", "site"]


def test_a_content_error_leaves_the_earlier_output_untouched(project_copy: Path, tmp_path: Path):
    out = tmp_path / "generated"
    assert run_alliance("generate", str(project_copy), "--out", str(out), "--config").returncode == 0
    before = _tree(out)
    shutil.copy(FIXTURES / "broken" / "bad-enum.yml", project_copy / "casestudies")
    proc = run_alliance("generate", str(project_copy), "--out", str(out), "--config")
    assert proc.returncode == 1 and "bad-enum.yml" in proc.stdout
    assert _tree(out) == before and sorted(p.name for p in out.iterdir()) == [".alliance-generated", "docs", "mkdocs.yml", "overrides"]


@pytest.mark.parametrize("error", [RuntimeError("a template failed"), KeyboardInterrupt()])
def test_a_failure_while_writing_leaves_no_half_written_folder(project_copy: Path, tmp_path: Path, monkeypatch, error):
    from alliance_playbook.adapters.generate import generate
    from alliance_playbook.render.site import PageRenderer

    out = tmp_path / "generated"
    generate(project_copy, out, write_config=True)
    before = _tree(out)

    def fail(self):
        yield "data/first.json", "{}"
        raise error

    monkeypatch.setattr(PageRenderer, "data_files", fail)
    with pytest.raises(type(error)):
        generate(project_copy, out, write_config=True)
    assert _tree(out) == before and sorted(p.name for p in out.iterdir()) == [".alliance-generated", "docs", "mkdocs.yml", "overrides"]
    fresh = tmp_path / "fresh" / "generated"
    with pytest.raises(type(error)):
        generate(project_copy, fresh)
    assert not fresh.exists()
