"""Every command the README shows is run here, as a reader would type it.

The commands are read from the README itself (its ``sh`` blocks and the
first column of its command table), and each must have a runner below: a
command added to the README without a test fails ``test_every_readme_command_is_tested``.

Runs happen in a copy of the project (Makefile, pyproject and all) so the
working tree is left alone; ``make`` uses this checkout's ``.venv`` (made by
``make`` itself) instead of setting up a second one. Two commands cannot run
inside the suite and are checked as far as they can be: ``make test`` (it
runs this suite) is dry-run, and ``.ci/run`` (it installs system packages as
root) is parsed and its steps compared with what the suite needs.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
VENV = Path(sys.prefix)  # this checkout's .venv (the suite runs in it)
STAMP = VENV / ".installed"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def readme_commands() -> list[str]:
    """The commands the README shows: lines of its sh blocks and the
    backticked commands in the first column of its tables."""
    found: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            command = line.split("#", 1)[0].strip()
            if command:
                found.append(command)
    for row in re.findall(r"^\| (`[^|]+`) \|", README, re.M):
        found.extend(part.strip() for part in re.findall(r"`([^`]+)`", row))
    return list(dict.fromkeys(found))


def project(tmp_path: Path) -> Path:
    """A copy of the repository as a reader clones it (tracked files only)."""
    dest = tmp_path / "clone"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def make(root: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    """``make ARGS`` in ``root`` with this checkout's virtual environment
    (its install stamp taken as up to date, so nothing is reinstalled: an
    editable install from the copy would point at a folder that goes away)."""
    command = ["make", f"VENV={VENV}", "-o", str(STAMP), *args]
    proc = subprocess.run(command, cwd=root, env={**ENV, **(env or {})}, capture_output=True, text=True, timeout=timeout)
    assert installed_from() == ROOT.resolve(), f"make {' '.join(args)} reinstalled the package from {installed_from()}"
    return proc


def installed_from() -> Path:
    """Where a fresh Python of .venv imports the package from."""
    out = subprocess.run([sys.executable, "-c", "import alliance_playbook, pathlib; print(pathlib.Path(alliance_playbook.__file__).resolve().parents[2])"],
                         capture_output=True, text=True, check=True, cwd="/")
    return Path(out.stdout.strip())


def alliance(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV / "bin" / "alliance"), *args], cwd=root, env={**ENV, **(env or {})}, capture_output=True, text=True, timeout=900)


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----- one runner per command -------------------------------------------------------------------

def run_make_site(root: Path) -> None:
    """The whole site: pages, the PDFs, the offline copy, linked from downloads/."""
    ok(make(root, "site"))
    site = root / "site"
    assert (site / "index.html").is_file() and (site / "pdf/alliance-playbook.pdf").is_file()
    assert sorted(p.name for p in (site / "pdf/worksheets").glob("*.pdf")) == sorted(p.stem + ".pdf" for p in (root / "content/worksheets").glob("*.yml"))
    archive = site / "downloads/alliance-playbook-offline.zip"
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
    assert "alliance-playbook-offline/index.html" in names and "alliance-playbook-offline/search/search_index.js" in names
    assert "alliance-playbook-offline/search/search_index.json" not in names  # the same index again, which file:// cannot fetch
    page = BeautifulSoup((site / "downloads/index.html").read_text(encoding="utf-8"), "html.parser")
    link = page.select_one('a[href$="alliance-playbook-offline.zip"]')
    assert link is not None
    size = link.find_next("span", class_="ap-size")
    assert size is not None and re.fullmatch(r"\d+(\.\d)? (kB|MB)", size.get_text()), size


def run_quick_site(root: Path) -> None:
    ok(make(root, "site", env={"ALLIANCE_PDF": "0", "ALLIANCE_OFFLINE_ZIP": "0"}))
    assert (root / "site/index.html").is_file() and not (root / "site/pdf").exists()


def run_make_test(root: Path) -> None:
    # The suite cannot run itself: the dry run shows what it would do.
    out = ok(make(root, "-n", "test")).stdout
    assert "ruff check" in out and "mypy" in out and "-m pytest" in out


def run_ci(root: Path) -> None:
    script = root / ".ci/run"
    assert os.access(script, os.X_OK)
    ok(subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True))
    text = script.read_text(encoding="utf-8")
    for package in ("chromium", "poppler-utils", "libpango-1.0-0", "fonts-dejavu-core", "make"):
        assert package in text, package
    assert "make test" in text


def serve_and_fetch(root: Path, env: dict[str, str] | None = None, expect: str = "Alliance Playbook") -> None:
    port = free_port()
    proc = subprocess.Popen(["make", f"VENV={VENV}", "-o", str(STAMP), "serve", f"SERVE_ADDR=127.0.0.1:{port}"], cwd=root,
                            env={**ENV, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, body = time.monotonic() + 120, ""
        while time.monotonic() < deadline and expect not in body:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    body = response.read().decode("utf-8")
            except OSError:
                time.sleep(0.3)
        assert expect in body, "make serve did not answer"
    finally:
        os.killpg(proc.pid, 2)
        proc.wait(timeout=30)


def run_serve(root: Path) -> None:
    serve_and_fetch(root)


def run_serve_drafts(root: Path) -> None:
    serve_and_fetch(root, {"ALLIANCE_DRAFTS": "1"})


def run_offline(root: Path) -> None:
    ok(make(root, "offline"))
    index = (root / "site-offline/index.html").read_text(encoding="utf-8")
    assert 'href="playbook/index.html"' in index and (root / "site-offline/search/search_index.js").is_file()


def run_bench(root: Path) -> None:
    # In this checkout, not the copy: `make bench` installs the benchmark
    # extras into .venv as an editable install of the folder it runs in (once).
    out = root / "bench.md"
    args = f"--sizes 10 --repeats 1 --skip stages,serve,pdf,attribution,profile --graph-sizes 10 --search-sizes 10 --no-pdf-large --out {out}"
    bench_stamp = VENV / ".installed-bench"
    extra = ["-o", str(bench_stamp)] if bench_stamp.is_file() else []
    ok(make(ROOT, *extra, "bench", f"BENCH_ARGS={args}", timeout=1200))
    report = out.read_text(encoding="utf-8")
    assert "| 10 |" in report or "N=10" in report, report[:2000]
    # The search rows: ours, Material's and the offline copy's (from file://), each timed in
    # Chromium (the default sizes are 1,000 and 10,000; the offline copy's at 1,000 only).
    search = report[report.index("## Search at scale"):].split("\n## ", 1)[0]
    rows = [line for line in search.splitlines() if line.startswith("| 10 |")]
    assert [row.split(" | ")[1] for row in rows] == ["ours (Pagefind)", "Material's", "offline copy (Material's, file://)"], search
    assert all(re.search(r"\| \d+\.\d\d s \|", row) for row in rows), search


def run_check(root: Path) -> None:
    assert "files checked" in ok(make(root, "check")).stdout


def run_alliance_check(root: Path) -> None:
    assert "files checked" in ok(alliance(root, "check")).stdout


def run_alliance_check_github(root: Path) -> None:
    ok(alliance(root, "check", "--format", "github"))


def run_alliance_pdf(root: Path) -> None:
    out = ok(alliance(root, "pdf", env={"ALLIANCE_OFFLINE_ZIP": "0"})).stdout
    assert "Wrote site/pdf/alliance-playbook.pdf" in out


def run_alliance_schema(root: Path) -> None:
    # The schemas live in the installed package (this checkout's, editable).
    import alliance_playbook

    schemas = Path(alliance_playbook.__file__).parent / "schemas"
    before = {p.name: p.read_bytes() for p in schemas.glob("*.json")}
    ok(alliance(root, "schema", "--write"))
    # The committed schemas are what the model says: writing changes nothing.
    assert {p.name: p.read_bytes() for p in schemas.glob("*.json")} == before


def run_alliance_generate(root: Path) -> None:
    ok(alliance(root, "generate", ".", "--out", "build/generated", "--config"))
    assert (root / "build/generated/docs/index.md").is_file() and (root / "build/generated/mkdocs.yml").is_file()


def run_alliance_new(root: Path) -> None:
    ok(alliance(root, "new", "case", "Title"))
    assert (root / "casestudies/title.yml").is_file()


def run_alliance_from_issue(root: Path) -> None:
    from test_from_issue import COMPLETE, issue_body

    (root / "issue.md").write_text(issue_body(COMPLETE, root / ".github/ISSUE_TEMPLATE/case-study.yml"), encoding="utf-8")
    out = ok(alliance(root, "from-issue", "issue.md")).stdout
    assert "Wrote casestudies/harbour-flood-alliance.yml" in out
    ok(alliance(root, "check"))  # the file it wrote passes the checks


def run_golden(root: Path) -> None:
    ok(make(root, "golden"))
    # The golden files match the code: rewriting them changes nothing.
    assert subprocess.run(["git", "diff", "--no-index", "--quiet", str(ROOT / "tests/golden"), str(root / "tests/golden")]).returncode == 0


RUNNERS: dict[str, Callable[[Path], None]] = {
    "make site": run_make_site,
    "make test": run_make_test,
    "ALLIANCE_PDF=0 make site": run_quick_site,
    ".ci/run": run_ci,
    "make serve": run_serve,
    "ALLIANCE_DRAFTS=1 make serve": run_serve_drafts,
    "make offline": run_offline,
    "make bench": run_bench,
    "make check": run_check,
    ".venv/bin/alliance check": run_alliance_check,
    ".venv/bin/alliance check --format github": run_alliance_check_github,
    ".venv/bin/alliance pdf": run_alliance_pdf,
    ".venv/bin/alliance schema --write": run_alliance_schema,
    ".venv/bin/alliance generate . --out DIR --config": run_alliance_generate,
    '.venv/bin/alliance new case "Title"': run_alliance_new,
    ".venv/bin/alliance from-issue issue.md": run_alliance_from_issue,
    "make golden": run_golden,
}


def mentioned() -> set[str]:
    """Commands the README's prose shows in backticks (besides the table)."""
    return {c for c in RUNNERS if f"`{c}`" in README}


def test_every_readme_command_is_tested():
    shown = set(readme_commands()) | mentioned()
    assert shown - set(RUNNERS) == set(), "README commands with no runner in tests/test_readme.py"
    assert set(RUNNERS) - shown == set(), "runners for commands the README no longer shows"


def test_the_readme_command_list_is_read_from_the_readme():
    """Planted fault: a README with a new command is caught by the test above."""
    global README
    saved = README
    try:
        README = saved + "\n| `make deploy` | new |\n"
        assert "make deploy" in readme_commands()
    finally:
        README = saved


@pytest.mark.build
@pytest.mark.parametrize("command", list(RUNNERS))
def test_readme_command_runs(command: str, tmp_path: Path):
    RUNNERS[command](project(tmp_path))
