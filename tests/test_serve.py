"""`mkdocs serve` rebuilds when a YAML file changes, and does not loop."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        body = _get(url)
        if body is not None and text in body:
            return True
        time.sleep(0.2)
    return False


def test_serve_rebuilds_after_a_yaml_change(project_copy: Path, tmp_path: Path):
    port = _free_port()
    scratch = tmp_path / "scratch"  # the server's temporary folder: left empty when it is stopped
    scratch.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ALLIANCE_PDF": "0", "TMPDIR": str(scratch)}
    log = project_copy / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=project_copy, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/"
        case_url = base + "casestudies/conflict-to-collaboration/"
        assert _wait_for(case_url, "</html>", 90), log.read_text()
        # A case study (outside docs_dir) and a step (inside it) both trigger a rebuild.
        case = project_copy / "casestudies/conflict-to-collaboration.yml"
        case.write_text(case.read_text(encoding="utf-8").replace("title:", "title: Renamed", 1), encoding="utf-8")
        assert _wait_for(case_url, "Renamed", 60), log.read_text()
        step = project_copy / "content/playbook/steps/balance-power.yml"
        step.write_text(step.read_text(encoding="utf-8").replace("title:", "title: Rebalanced", 1), encoding="utf-8")
        assert _wait_for(base + "playbook/navigate-challenges/balance-power/", "Rebalanced", 60), log.read_text()
        # A broken edit is reported with its position, and the server keeps running.
        text = case.read_text(encoding="utf-8")
        case.write_text(text.replace("policy_areas: [", "policy_areas: [enviroment, ", 1), encoding="utf-8")
        end = time.monotonic() + 60
        while "is not a policy area" not in log.read_text() and time.monotonic() < end:
            time.sleep(0.2)
        assert "casestudies/conflict-to-collaboration.yml:" in log.read_text() and "did you mean 'environment'?" in log.read_text()
        assert proc.poll() is None, log.read_text()
        case.write_text(text.replace("title: Renamed", "title: Fixed again", 1), encoding="utf-8")
        assert _wait_for(case_url, "Fixed again", 60), log.read_text()
        builds = log.read_text().count("Documentation built")
        time.sleep(3)
        assert log.read_text().count("Documentation built") == builds, "serve rebuilds in a loop"
        assert proc.poll() is None
        assert not list((project_copy / "content").rglob("*.md.tmp"))
        assert any(scratch.iterdir()), "the server keeps its site and search articles in the temporary folder"
        # Stopped as an editor's stop button or `docker stop` does (SIGTERM): it cleans up as after Ctrl-C.
        proc.terminate()
        assert proc.wait(timeout=20) == 0, log.read_text()
        assert not list(scratch.iterdir()), "a stopped server left its temporary folders behind"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
