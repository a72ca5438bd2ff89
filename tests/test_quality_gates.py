"""Quality gates over the built site: links and reproducible builds.

Each gate is also shown catching a planted fault, so it cannot pass vacuously.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

import pytest

from alliance_playbook.linkcheck import check_site
from conftest import add_fork_files, copy_project, run_mkdocs


def _assert_no_broken_links(site: Path) -> None:
    problems, checked = check_site(site)
    assert checked > 1000, checked
    assert not problems, "\n".join(map(str, problems))


def test_seed_site_has_no_broken_links(seed_site: Path):
    _assert_no_broken_links(seed_site)


def test_fork_site_has_no_broken_links(fork_site: Path):
    _assert_no_broken_links(fork_site)


def test_link_checker_catches_planted_faults(seed_site: Path, tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(seed_site, site)
    page = site / "guide/collaboration/index.html"
    html = page.read_text(encoding="utf-8")
    planted = (
        '<a href="../no-such-page/">x</a>'
        '<a href="../identifying-partners/#no-such-anchor">y</a>'
        '<a href="../../../outside.html">z</a>'
        '<a href="javascript:alert(1)">j</a>'
        '<img src="data:image/png;base64,AAAA" alt="d">'
        '<a href="/guide/challenges/">abs</a>'
    )
    page.write_text(html.replace("</article>", planted + "</article>", 1), encoding="utf-8")
    problems, _ = check_site(site)
    reasons = {(p.url, p.reason.split(":")[0].split(" ")[0]) for p in problems}
    text = "\n".join(map(str, problems))
    assert len(problems) == 6, text  # exactly the planted ones
    assert "../no-such-page/" in text and "target does not exist" in text
    assert "no element with id 'no-such-anchor'" in text
    assert "escapes the site root" in text
    assert "'javascript:' links are not allowed" in text and "'data:' links are not allowed" in text
    assert "absolute path" in text
    assert reasons


def _differences(a: Path, b: Path) -> list[str]:
    out: list[str] = []
    cmp = filecmp.dircmp(a, b)
    stack = [(cmp, "")]
    while stack:
        node, prefix = stack.pop()
        out += [f"only in one build: {prefix}{n}" for n in node.left_only + node.right_only]
        for name in node.common_files:
            if (Path(node.left) / name).read_bytes() != (Path(node.right) / name).read_bytes():
                out.append(f"differs: {prefix}{name}")
        stack += [(sub, f"{prefix}{name}/") for name, sub in node.subdirs.items()]
    return sorted(out)


def _build_twice(tmp_path_factory, name: str, fork: bool) -> tuple[Path, Path]:
    env = {"SOURCE_DATE_EPOCH": "1700000000", "ALLIANCE_PDF": "1"}  # the site and its PDFs
    if fork:  # the book laid out in parts, by two processes the first time and one the second
        env["ALLIANCE_PDF_PARTS"] = "3"
    sites = []
    for folder, jobs in (("a", "2"), ("other-path", "1")):
        project = copy_project(tmp_path_factory.mktemp(f"{name}-{folder}") / folder)
        if fork:
            add_fork_files(project)
        run_mkdocs(project, env={**env, "ALLIANCE_PDF_JOBS": jobs})
        sites.append(project / "site")
    return sites[0], sites[1]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    return _build_twice(tmp_path_factory, "repro", fork=False)


@pytest.mark.parametrize("fork", [False, True], ids=["seed", "fork"])
def test_two_builds_are_byte_identical(fork, two_builds, tmp_path_factory):
    a, b = two_builds if not fork else _build_twice(tmp_path_factory, "repro-fork", fork=True)
    assert (a / "pdf/alliance-playbook.pdf").is_file() and list((a / "pdf/worksheets").glob("*.pdf"))
    if fork:
        assert (a / "casestudies/kyoto-machizukuri/index.html").is_file()
    assert not _differences(a, b)


def test_reproducibility_check_catches_a_timestamp(two_builds, tmp_path: Path):
    a, b = two_builds
    planted = tmp_path / "planted"
    shutil.copytree(b, planted)
    index = planted / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace("</body>", f"<!-- built {os.getpid()} -->\n</body>"), encoding="utf-8")
    assert _differences(a, planted) == ["differs: index.html"]
