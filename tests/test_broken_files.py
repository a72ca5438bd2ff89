"""Broken files dropped into casestudies/: precise errors, never a traceback.

Each fixture in tests/fixtures/broken/ is one class of mistake; the expected
line is the whole message a person sees: file, line, column, field, fix.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest

from alliance_playbook.adapters.cli import main
from conftest import FIXTURES, run_alliance, run_mkdocs

BROKEN = FIXTURES / "broken"
EXPECTED = {
    "bad-enum.yml": "casestudies/bad-enum.yml:8:11: partners[1].type: 'local_government' is not a partner type; did you mean 'local-government'?",
    "broken-reference.yml": "casestudies/broken-reference.yml:13:11: lessons[0]: there is no lesson 'trust-and-open-comunication'; did you mean 'trust-and-open-communication'?",
    "missing-required.yml": "casestudies/missing-required.yml:1:1: challenge: required field 'challenge' is missing",
    "unclosed-quote.yml": "casestudies/unclosed-quote.yml:2:10: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar); a quote is opened but never closed",
    "unknown-key.yml": "casestudies/unknown-key.yml:1:1: titel: unknown key 'titel'; did you mean 'title'?",
    "wrong-type.yml": 'casestudies/wrong-type.yml:2:10: summary: expected text, got the number 42; to use it as text, put it in quotes: "42"',
    "dates-out-of-order.yml": "casestudies/dates-out-of-order.yml:16:8: period.end: the end (2019) is before the start (2021-05)",
    "javascript-url.yml": "casestudies/javascript-url.yml:16:10: sources[0].url: 'javascript:' links are not allowed: write an address that starts with https:// or http://",
    "python-tag.yml": "casestudies/python-tag.yml:1:8: title: the tag '!!python/object/apply:os.system' is not allowed",
    "Invalid File Name.yml": "casestudies/Invalid File Name.yml:1:1: the file name 'Invalid File Name.yml' is not a valid id (lower-case letters, digits and single hyphens, at most 64 characters); rename it to 'invalid-file-name.yml'",
    "non-utf8.yml": "casestudies/non-utf8.yml:2:15: the file is not UTF-8 text (byte 0xe9); save it as UTF-8",
    "duplicate-key.yml": "casestudies/duplicate-key.yml:14:1: title: duplicate key 'title' (first given on line 1); keep only one",
    "bad-indent.yml": "casestudies/bad-indent.yml:6:11: YAML syntax error: mapping values are not allowed in this context; check the indentation",
    "tab-indent.yml": "casestudies/tab-indent.yml:6:1: YAML syntax error: found a tab character that violates indentation (while scanning a plain scalar); indent with spaces, not tabs",
    "yaml11-no.yml": 'casestudies/yaml11-no.yml:15:9: location.city: expected text, got the yes/no value false; YAML reads an unquoted no as a yes/no value: put it in quotes, "no"',
    "path-traversal-id.yml": "casestudies/path-traversal-id.yml:14:9: steps[0]: '../../etc/passwd' is not a valid id",
    "alias-bomb.yml": "casestudies/alias-bomb.yml:2:8: aliases (*name) are not allowed; write the value out in full",
    "empty.yml": "casestudies/empty.yml:1:1: the file is empty; it needs at least the required fields",
    "top-level-list.yml": "casestudies/top-level-list.yml:1:1: the file must be a mapping of fields (key: value lines), not a list",
    "complex-key.yml": "casestudies/complex-key.yml:14:3: complex keys (a list or mapping used as a key) are not allowed",
    "bad-country.yml": "casestudies/bad-country.yml:15:12: location.country: 'Netherlands' is not an ISO 3166-1 alpha-2 country code (two capital letters, such as NL or KE); did you mean 'NL' (Netherlands)?",
    "ongoing-with-end.yml": "casestudies/ongoing-with-end.yml:17:12: period.ongoing: 'ongoing: true' cannot go with an 'end' date; remove one of them",
    "broken-wikilink.yml": "casestudies/broken-wikilink.yml:10:15: approach: there is no lesson 'trust-and-open-comms'; did you mean 'trust-and-open-communication'?",
}


def test_every_fixture_has_an_expectation():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED)


def check_here(project: Path) -> tuple[int, str]:
    """``alliance check`` run in this process (the fixtures need no process each)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(project)])
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_reports_the_file_line_field_and_fix(name, project_copy: Path):
    shutil.copy(BROKEN / name, project_copy / "casestudies" / name)
    code, out = check_here(project_copy)
    assert code == 1, out
    assert "Traceback" not in out
    lines = out.splitlines()
    assert any(line.startswith(EXPECTED[name]) for line in lines), out
    # Only the broken file is blamed.
    assert all(line.startswith(f"casestudies/{name}:") for line in lines[:-1]), out
    assert lines[-1].endswith("error" if len(lines) == 2 else "errors")
    assert not (project_copy / "PWNED").exists()


@pytest.mark.parametrize("name", ["bad-enum.yml", "python-tag.yml", "non-utf8.yml", "duplicate-key.yml", "missing-required.yml", "broken-wikilink.yml"])
def test_mkdocs_build_fails_cleanly_with_the_same_lines(name, project_copy: Path):
    shutil.copy(BROKEN / name, project_copy / "casestudies" / name)
    proc = run_mkdocs(project_copy, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Traceback" not in out
    assert EXPECTED[name] in out
    assert not (project_copy / "site" / "index.html").exists(), "nothing half-written"
    assert not (project_copy / "PWNED").exists()


def test_all_errors_of_a_run_are_reported_at_once(project_copy: Path):
    for name in ("bad-enum.yml", "broken-reference.yml", "wrong-type.yml"):
        shutil.copy(BROKEN / name, project_copy / "casestudies" / name)
    proc = run_alliance("check", str(project_copy))
    assert proc.returncode == 1
    for name in ("bad-enum.yml", "broken-reference.yml", "wrong-type.yml"):
        assert EXPECTED[name] in proc.stdout
    assert proc.stdout.rstrip().endswith("3 errors")
