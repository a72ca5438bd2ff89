"""Shared fixtures: copies of the project, real builds, a real browser."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("ALLIANCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def copy_project(dest: Path) -> Path:
    """A fresh copy of this repository's content and configuration."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("content", "casestudies", "overrides"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name)
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, dest / name)
    return dest


def run_mkdocs(project: Path, *args: str, env: dict[str, str] | None = None, check: bool = True,
               quiet: bool = True) -> subprocess.CompletedProcess:
    """``mkdocs build`` in ``project``; ``quiet`` (``-q``) drops warnings, so
    a test of a warning, or of ``--strict`` failing on one, passes False."""
    # PDFs and the offline copy are off unless a test asks (they take seconds).
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ALLIANCE_PDF": os.environ.get("ALLIANCE_PDF", "0"),
                "ALLIANCE_OFFLINE_ZIP": os.environ.get("ALLIANCE_OFFLINE_ZIP", "0"), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *(["-q"] if quiet else []), *args], cwd=project, env=full_env, capture_output=True, text=True
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"mkdocs build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def run_alliance(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "alliance_playbook", *args], cwd=cwd or ROOT, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed guide, built once per test worker (PDF off unless a test asks)."""
    project = copy_project(tmp_path_factory.mktemp("seed") / "project")
    run_mkdocs(project)
    return project / "site"


def add_fork_files(project: Path) -> Path:
    """Add a fork's own cases, lesson, step and worksheet (tests/fixtures/fork)."""
    fork = FIXTURES / "fork"
    for src in fork.rglob("*.yml"):
        target = project / src.relative_to(fork)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, target)
    return project


@pytest.fixture(scope="session")
def fork_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed plus a fork's own cases, lesson, step and worksheet."""
    return add_fork_files(copy_project(tmp_path_factory.mktemp("fork") / "project"))


@pytest.fixture(scope="session")
def fork_site(fork_project: Path) -> Path:
    run_mkdocs(fork_project)
    return fork_project / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 (a free port); returns (base_url, server)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="session")
def seed_http(seed_site: Path):
    base, server = serve(seed_site)
    yield base
    server.shutdown()


@pytest.fixture(scope="session")
def fork_http(fork_site: Path):
    base, server = serve(fork_site)
    yield base
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright: never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile (empty localStorage) that refuses the internet."""
    ctx = browser.new_context(accept_downloads=True)
    blocked: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "http://127.0.0.1", "about:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    ctx.route("**/*", guard)
    ctx.blocked = blocked  # type: ignore[attr-defined]
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    pg = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    pg.on("dialog", on_dialog)
    pg.errors = errors  # type: ignore[attr-defined]
    pg.dialogs = dialogs  # type: ignore[attr-defined]
    yield pg
