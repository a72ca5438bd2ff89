"""The guide on the engines after MkDocs 1.x: the folder `alliance generate
--config` writes builds offline-safe and fully linked with Zensical and
ProperDocs (MkDocs: test_cli.py), and the plugin itself builds under
ProperDocs. Both engines are pinned in the test dependencies."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alliance_playbook.linkcheck import check_site
from conftest import run_alliance, run_mkdocs
from test_offline import external_references

BIN = Path(sys.executable).parent
ENV = {"NO_MKDOCS_2_WARNING": "1", "PATH": f"{BIN}:/usr/bin:/bin", "ALLIANCE_PDF": "0", "ALLIANCE_OFFLINE_ZIP": "0"}


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html")}


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("engines") / "project")
    run_mkdocs(project)
    return project


def _generated(project: Path, out: Path) -> Path:
    proc = run_alliance("generate", str(project), "--out", str(out), "--config")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def _engine(engine: str, folder: Path) -> subprocess.CompletedProcess:
    """``engine build`` (zensical, properdocs) run in the generated ``folder``."""
    return subprocess.run([str(BIN / engine), "build"], cwd=folder, capture_output=True, text=True, env=ENV, check=False)


def _zensical(folder: Path) -> subprocess.CompletedProcess:
    return _engine("zensical", folder)


@pytest.mark.parametrize("engine", ["zensical", "properdocs"])
def test_the_generated_folder_builds_linked_and_offline_safe(engine: str, plugin_site: Path, tmp_path: Path):
    """The folder ``alliance generate --config`` writes builds with either
    engine, without our plugin: the same pages, every link whole, nothing
    from another host, the data files and scripts there, no generator link."""
    out = _generated(plugin_site, tmp_path / "generated")
    build = _engine(engine, out)
    assert build.returncode == 0, build.stdout + build.stderr
    site = out / "site"
    assert _pages(site) == _pages(plugin_site / "site")  # the same pages at the same addresses
    broken, checked = check_site(site)
    assert checked > 1000 and broken == [], broken[:10]
    assert external_references(site) == []
    for data in ("data/playbook.json", "data/casestudies.csv", "data/datapackage.json", "assets/alliance/worksheet.js", "assets/alliance/propose.js"):
        assert (site / data).is_file(), data
    assert "Made with" not in (site / "index.html").read_text(encoding="utf-8")


def test_the_link_gate_catches_an_engine_that_reads_links_differently(plugin_site: Path, tmp_path: Path):
    # Planted fault: one generated page back at casestudies/<id>.md, where
    # Zensical reads its links from the file's folder, not the page's URL.
    out = _generated(plugin_site, tmp_path / "generated")
    page = next((out / "docs" / "casestudies").glob("*/index.md"))
    shutil.move(page, page.parent.with_suffix(".md"))
    page.parent.rmdir()
    build = _zensical(out)
    assert build.returncode == 0, build.stderr
    broken, _checked = check_site(out / "site")
    assert any(page.parent.name in str(b) for b in broken), broken[:5]


def test_the_plugin_builds_under_properdocs(plugin_site: Path, tmp_path: Path):
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    build = subprocess.run([str(BIN / "properdocs"), "build", "-q"], cwd=project, capture_output=True, text=True, env=ENV, check=False)
    assert build.returncode == 0, build.stderr
    site = project / "site"
    assert _pages(site) == _pages(plugin_site / "site")
    broken, _checked = check_site(site)
    assert broken == [] and external_references(site) == []


def _outline(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    out: list[str] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append("  " * depth + item.title)

    walk(PdfReader(pdf).outline, 0)
    return out


def test_the_book_made_from_the_zensical_build_has_the_plugins_chapters(tmp_path: Path):
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    run_mkdocs(project, env={"ALLIANCE_PDF": "1"})
    ours = project / "site" / "pdf"
    out = _generated(project, tmp_path / "generated")
    assert _zensical(out).returncode == 0
    proc = run_alliance("pdf", str(project), "--site", str(out / "site"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    theirs = out / "site" / "pdf"
    assert _outline(theirs / "alliance-playbook.pdf") == _outline(ours / "alliance-playbook.pdf")
    assert sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*.pdf")) == sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*.pdf"))
    assert "Wrote " in proc.stdout and "kits/collaborate.pdf" in proc.stdout


def test_pdf_site_refuses_what_is_not_a_generated_build(tmp_path: Path, plugin_site: Path):
    (tmp_path / "empty").mkdir()
    proc = run_alliance("pdf", str(plugin_site), "--site", str(tmp_path / "empty"))
    assert proc.returncode == 2 and "is not a built site" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_alliance("pdf", str(plugin_site), "--site", str(plugin_site / "site"), "--config", str(tmp_path / "nope.yml"))
    assert proc.returncode == 2 and "is missing" in proc.stderr
    # A site built from another folder: its pages are not where the generated folder says.
    out = _generated(plugin_site, tmp_path / "generated")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "index.html").write_text("<html></html>", encoding="utf-8")
    proc = run_alliance("pdf", str(plugin_site), "--site", str(tmp_path / "other"), "--config", str(out / "mkdocs.yml"))
    assert proc.returncode == 2 and "page(s) missing" in proc.stderr and "Traceback" not in proc.stderr
