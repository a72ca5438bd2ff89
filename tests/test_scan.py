"""The scan of generated pages in a helper process (adapters/scan.py) finds
what the scan in the build finds, whatever the text, and survives its helper."""

from __future__ import annotations

from alliance_playbook.adapters.scan import BATCH_CHARS, PageScan

PAGES = [
    ("plain.md", "<p>Nothing here</p>"),
    ("handler.md", "<p>\ud800 a lone surrogate</p><img src=x onerror=alert(1)>"),
    ("remote.md", "<p>caf\u00e9 \u202e</p>" + "<img src='https://evil.example/x.png'>"),
    ("big.md", "<p>" + "word " * (BATCH_CHARS // 4) + "</p><iframe srcdoc=x></iframe>"),
    ("script.md", '<script>alert(1)</script><script type="application/json">{"a": 1}</script>'),
]


def _scan(helper: bool) -> tuple[dict[str, list[str]], int]:
    """The findings, and how many batches the helper answered (-1: none started)."""
    scan = PageScan(helper)
    started = scan.in_helper
    for src, html in PAGES:
        scan.add(src, html)
    found = {src: [str(f) for f in found] for src, found in scan.findings().items()}
    return found, scan.answered if started else -1


def test_the_helper_finds_what_the_build_finds():
    here, _ = _scan(False)
    there, answered = _scan(True)
    assert answered == 2  # the big page filled a batch; the rest went at the end
    assert there == here
    assert set(here) == {"handler.md", "remote.md", "big.md", "script.md"}


def test_pages_the_helper_did_not_answer_are_scanned_in_the_build():
    scan = PageScan(True)
    assert scan._process is not None
    scan._process.kill()  # the helper dies before it answers
    scan._process.wait()
    for src, html in PAGES:
        scan.add(src, html)
    assert set(scan.findings()) == {"handler.md", "remote.md", "big.md", "script.md"}


import pytest  # noqa: E402


@pytest.mark.parametrize("startup", [
    "print('a sitecustomize that talks')",  # stray words before the helper's first
    "import os; os._exit(0)",  # a helper that never starts
    "import sys; sys.stdout.buffer.write(b'alliance-scan 1\\n' + b'\\xff' * 8); sys.stdout.flush()",  # a mangled answer
], ids=["talks", "never-starts", "mangled"])
def test_a_helper_that_misbehaves_leaves_its_pages_to_the_build(tmp_path, monkeypatch, startup: str):
    (tmp_path / "sitecustomize.py").write_text(startup + "\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    there, answered = _scan(True)
    assert answered == (2 if startup.startswith("print") else 0)
    assert there == _scan(False)[0]
