"""The live preview rebuilds only what an edit touches, and what it writes is
what a clean build writes (adapters/preview.py)."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build  # the builder below reaches it through this module, as serve's does

from conftest import ROOT
from test_serve import _free_port, _get, _wait_for

sys.path.insert(0, str(ROOT / "benchmarks"))

URL = "http://127.0.0.1:8000/"
CASES = 40  # more than nav_limit (30): case pages are out of the sidebar, as in a large fork


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from synth import make_project

    project = tmp_path_factory.mktemp("preview") / "project"
    make_project(project, CASES)
    return project


def _case(project: Path, n: int) -> Path:
    """The n-th synthetic case (written by synth.py, in one layout)."""
    return sorted(p for p in (project / "casestudies").glob("*.yml") if re.search(r"-\d+\.yml$", p.name))[n]


def _sub(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    new = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert new != text, f"{pattern!r} not found in {path}"
    path.write_text(new, encoding="utf-8")


def _add_lesson(project: Path) -> None:
    case = _case(project, 9)
    text = case.read_text(encoding="utf-8")
    lesson = next(p.stem for p in sorted((project / "content/lessons").glob("*.yml")) if p.stem not in text)
    case.write_text(text.replace("lessons:\n", f"lessons:\n- {lesson}\n", 1), encoding="utf-8")


def _respell_a_tag(project: Path) -> None:
    """The first case (by id) takes, in capitals, a tag other cases have: their
    pages show its spelling, though their files do not change."""
    import yaml

    first = _case(project, 0)
    own = set(yaml.safe_load(first.read_text(encoding="utf-8")).get("tags") or [])
    other = next(t for p in sorted((project / "casestudies").glob("*.yml"))[1:]
                 for t in yaml.safe_load(p.read_text(encoding="utf-8")).get("tags") or [] if t not in own and t.lower() == t)
    _sub(first, r"^tags:\n", f"tags:\n- {other.upper()}\n")


def _unspell_a_tag(project: Path) -> None:
    first = _case(project, 0)
    first.write_text(re.sub(r"^- [A-Z ]+\n", "", first.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")


# Edits a fork's editors make, and what each rebuild must be.
EDITS: list[tuple[str, Callable[[Path], None], str]] = [
    ("a case's summary", lambda p: _sub(_case(p, 5), r"^summary: ", "summary: Zebra crossing. "), "partial"),
    ("a case's title", lambda p: _sub(_case(p, 7), r"^title: ", "title: Aardvark "), "partial"),
    ("a case's lessons", _add_lesson, "partial"),
    ("a lesson's body", lambda p: _sub(p / "content/lessons/align-core-values.yml", r"^body: \|\n  ", "body: |\n  Okapi. "), "partial"),
    ("a step's summary", lambda p: _sub(sorted((p / "content/playbook/steps").glob("*.yml"))[3], r"^summary: ", "summary: Quokka "), "partial"),
    ("a case's tags", lambda p: _sub(_case(p, 11), r"^tags:\n", "tags:\n- brand new tag\n"), "partial"),
    ("a tag's spelling, shown on other cases", _respell_a_tag, "partial"),
    ("that spelling taken back", _unspell_a_tag, "partial"),
    ("a new case", lambda p: (p / "casestudies/zz-new-case.yml").write_text(
        re.sub(r"^summary: ", "summary: Brand new. ", _case(p, 12).read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8"), "partial"),
    ("a case removed", lambda p: (p / "casestudies/zz-new-case.yml").unlink(), "partial"),
    ("a phase's summary (a list file)", lambda p: _sub(p / "content/playbook/phases.yml", r"summary: ", "summary: Wombat "), "partial"),
    ("a lesson's title (in the sidebar)", lambda p: _sub(p / "content/lessons/align-core-values.yml", r"^title: Align", "title: Agree"), "everything"),
    ("mkdocs.yml", lambda p: _sub(p / "mkdocs.yml", r"^site_name: ", "site_name: Renamed "), "full"),
]


def _files(site: Path) -> dict[str, bytes]:
    # Pagefind's index is written after the pages, in the background, in a preview.
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts}


def test_a_partial_rebuild_writes_what_a_clean_build_writes(synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """After every edit, each file of the preview equals the file a clean
    build of the edited project writes, and only the edits the preview can
    rebuild in part are rebuilt in part."""
    from mkdocs.config import load_config

    from alliance_playbook.adapters import preview, search

    project = tmp_path / "project"
    subprocess.run(["cp", "-a", str(synthetic), str(project)], check=True)
    monkeypatch.chdir(project)
    monkeypatch.setenv("ALLIANCE_PDF", "0")
    monkeypatch.setenv("ALLIANCE_OFFLINE_ZIP", "0")
    served, clean = tmp_path / "served", tmp_path / "clean"

    def builder(site: Path) -> Callable[..., None]:
        def run(config: object = None) -> None:  # as mkdocs serve's builder: a fresh configuration each time
            cfg = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
            cfg.site_url = URL
            cfg.plugins.on_startup(command="serve", dirty=False)
            build(cfg, serve_url=URL, dirty=False)
        return run

    preview.PREVIEW.reset()
    try:
        serve = builder(served)
        serve()
        assert preview.PREVIEW.report[0] == "full"
        rebuild = preview.wrap_builder(serve)
        assert rebuild is not serve, "the builder must be wrapped"
        for what, edit, expected in EDITS:
            edit(project)
            rebuild()
            kind, written, total = preview.PREVIEW.report
            assert kind == expected, f"{what}: {kind} rebuild, expected {expected}"
            if kind == "partial":
                assert written < total / 2, f"{what}: {written} of {total} pages written"
            search.stop_indexing()
            state = dataclasses.replace(preview.PREVIEW, exports=dict(preview.PREVIEW.exports))
            preview.PREVIEW.reset()
            builder(clean)()  # a clean build of the edited project, in another folder
            search.stop_indexing()
            preview.PREVIEW.__dict__.update(state.__dict__)
            mine, theirs = _files(served), _files(clean)
            differ = sorted(k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k))
            if differ and os.environ.get("AP_DEBUG"):
                import difflib
                a = mine.get(differ[0], b"").decode().replace(">", ">\n").splitlines()
                b = theirs.get(differ[0], b"").decode().replace(">", ">\n").splitlines()
                print("\n".join(list(difflib.unified_diff(a, b, lineterm=""))[:40]))
            assert not differ, f"after {what}, the preview differs from a clean build in {differ[:10]}"
    finally:
        search.stop_indexing()
        preview.PREVIEW.reset()


def test_the_plan_is_partial_only_for_content_yaml(tmp_path: Path):
    from alliance_playbook.adapters.preview import Preview

    content, other = tmp_path / "content", tmp_path / "overrides"
    for folder in (content, other):
        folder.mkdir()
    (content / "a.yml").write_text("a: 1\n")
    (content / "page.md").write_text("# A\n")
    (other / "main.html").write_text("x")
    state = Preview(roots=[content, other], content=[content])
    assert state.plan() == "first build"
    state.built = object()  # type: ignore[assignment]
    state.commit(state.built)  # type: ignore[arg-type]
    assert state.plan() == "", "nothing changed"
    (content / "a.yml").write_text("a: 22\n")
    (content / "b.yml").write_text("b: 1\n")
    assert state.plan() == ""
    state.commit(state.built)  # type: ignore[arg-type]
    (content / "b.yml").unlink()
    assert state.plan() == "", "a content file removed"
    state.commit(state.built)  # type: ignore[arg-type]
    (content / "page.md").write_text("# B, longer\n")
    assert "page.md changed" in state.plan()
    state.commit(state.built)  # type: ignore[arg-type]
    (other / "main.html").write_text("yy")
    assert "main.html changed" in state.plan()


def _text(html: str | None) -> str:
    assert html is not None
    return BeautifulSoup(html, "html.parser").get_text(" ")


def test_serve_shows_an_edited_case_on_every_page_that_shows_it(synthetic: Path, tmp_path: Path):
    """Through `mkdocs serve`: one case edited (title, summary, one more
    lesson); its page, the index, its lessons and steps, the explore page
    and the exports all show the edit, and the rebuild was partial."""
    project = tmp_path / "project"
    subprocess.run(["cp", "-a", str(synthetic), str(project)], check=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ALLIANCE_PDF": "0"}
    log = tmp_path / "serve.log"
    case = _case(project, 4)
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        page = base + f"casestudies/{case.stem}/"
        assert _wait_for(page, "</html>", 120), log.read_text()
        import yaml

        before = yaml.safe_load(case.read_text(encoding="utf-8"))
        explore_before = _text(_get(base + "explore/"))
        lessons = sorted(p.stem for p in (project / "content/lessons").glob("*.yml"))
        cited = {r if isinstance(r, str) else r["lesson"] for r in before["lessons"]}
        added = next(lesson for lesson in lessons if lesson not in cited)
        text = case.read_text(encoding="utf-8")
        text = re.sub(r"^title: .*$", "title: Pangolin partnership for testing", text, count=1, flags=re.M)
        text = re.sub(r"^summary: ", "summary: Narwhal summary words. ", text, count=1, flags=re.M)
        text = text.replace("lessons:\n", f"lessons:\n- {added}\n", 1)
        case.write_text(text, encoding="utf-8")
        assert _wait_for(page, "Pangolin partnership", 60), log.read_text()
        assert "written again" in log.read_text(), "the rebuild was not partial:\n" + log.read_text()[-2000:]

        assert "Narwhal summary words" in _text(_get(page))
        assert "Pangolin partnership" in _text(_get(base + "casestudies/"))
        for lesson in cited | {added}:
            assert "Pangolin partnership" in _text(_get(base + f"lessons/{lesson}/")), lesson
        steps = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (project / "content/playbook/steps").glob("*.yml")}
        for step in before.get("steps") or []:
            url = base + f"playbook/{steps[step]['phase']}/{step}/"
            body = _text(_get(url))
            assert "Pangolin partnership" in body and "Narwhal summary words" in body, url
        explore = _text(_get(base + "explore/"))
        assert explore != explore_before, "the explore page counts the added lesson's cases"
        exported = json.loads(_get(base + "data/playbook.json") or "{}")
        mine = next(c for c in exported["casestudies"] if c["id"] == case.stem)
        assert mine["title"] == "Pangolin partnership for testing" and mine["summary"].startswith("Narwhal")
        assert any(r == added or (isinstance(r, dict) and r.get("lesson") == added) for r in mine["lessons"])
        assert "Pangolin partnership for testing" in (_get(base + "data/casestudies.csv") or "")
        time.sleep(2)
        assert proc.poll() is None, log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_partial_rebuild_can_be_switched_off(tmp_path: Path):
    from alliance_playbook.settings import SettingsError, resolve

    site = {"docs_dir": "content"}
    assert resolve(tmp_path, site, {}, None, {}).partial_preview is True
    assert resolve(tmp_path, site, {"partial_preview": False}, None, {}).partial_preview is False
    assert resolve(tmp_path, site, {}, None, {"ALLIANCE_PARTIAL_PREVIEW": "0"}).partial_preview is False
    with pytest.raises(SettingsError, match="ALLIANCE_PARTIAL_PREVIEW"):
        resolve(tmp_path, site, {}, None, {"ALLIANCE_PARTIAL_PREVIEW": "sometimes"})
