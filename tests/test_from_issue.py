"""``alliance from-issue``: an issue made with the case study form, as GitHub
writes it, becomes a checked ``casestudies/<id>.yml``; the shipped workflow
and form are valid files for GitHub.

The issue bodies are made from the shipped form itself, in GitHub's format:
each question's label as a ``###`` heading, a blank line, the answer
(``_No response_`` when empty), a blank line; a multiple dropdown joins its
choices with ", "; a checkbox is ``- [X] label``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project, run_alliance

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "case-study.yml"
WORKFLOW = ROOT / ".github" / "workflows" / "case-from-issue.yml"

COMPLETE = {
    "title": "Harbour flood alliance",
    "summary": "The city, residents and a utility prepare the harbour district for floods together.",
    "policy_areas": ["disaster-resilience", "environment"],
    "alliance_form": "coalition",
    "location_country": "Netherlands",
    "location_city": "Rotterdam",
    "location_scope": "city",
    "period_start": "2019",
    "period_ongoing": True,
    "partners": "City emergency office | local-government | convener | Staff time and the alert system\n"
                "Harbour residents' association | community-group | member | Door-to-door contacts",
    "challenge": "Floods came faster than warnings.\n\nOld people in the district heard last.",
    "approach": "Partners **met monthly** and shared one plan.",
    "outcomes": "Residents are warned sooner\nEvery partner now trains with the same plan",
    "feedback": "For the first time we knew who would knock on our door. | Resident of the harbour district",
    "lessons": "Trust and open communication carry alliances through setbacks | Monthly meetings kept partners talking\n"
               "Neighbours know their street best",
    "steps": "Hold regular check-ins",
    "sources": "Flood report | https://example.org/report",
    "contributors": "A. Contributor",
}


def issue_body(answers: dict, form: Path = FORM) -> str:
    """The body GitHub writes for an issue made with ``form`` and these answers (by question id)."""
    parts = []
    for entry in yaml.safe_load(form.read_text(encoding="utf-8"))["body"]:
        if entry["type"] == "markdown":
            continue
        value = answers.get(entry["id"])
        if entry["type"] == "checkboxes":
            text = "\n".join(f"- [{'X' if value else ' '}] {o['label']}" for o in entry["attributes"]["options"])
        elif isinstance(value, list):
            text = ", ".join(value)
        else:
            text = value or "_No response_"
        parts.append(f"### {entry['attributes']['label']}\n\n{text}")
    return "\n\n".join(parts) + "\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    import shutil

    root = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / ".github", root / ".github")  # a fork has the form
    return root


def from_issue(project: Path, body: str, *args: str) -> subprocess.CompletedProcess:
    issue = project.parent / "issue.md"
    issue.write_bytes(body.encode("utf-8"))
    return run_alliance("from-issue", str(issue), "--path", str(project), *args)


def test_a_complete_issue_becomes_a_case_that_passes_the_checks(project: Path):
    before = set((project / "casestudies").iterdir())
    out = project.parent / "github-output"
    proc = from_issue(project, issue_body(COMPLETE), "--report", str(project.parent / "comment.md"), "--github-output", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    target = project / "casestudies" / "harbour-flood-alliance.yml"
    assert set((project / "casestudies").iterdir()) - before == {target}
    case = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert case["title"] == COMPLETE["title"] and case["policy_areas"] == COMPLETE["policy_areas"]
    assert case["location"] == {"country": "NL", "city": "Rotterdam", "scope": "city"}
    assert case["period"] == {"start": "2019", "ongoing": True}
    assert [p["type"] for p in case["partners"]] == ["local-government", "community-group"]
    assert case["challenge"] == COMPLETE["challenge"]  # paragraphs kept
    assert case["lessons"] == [{"lesson": "trust-and-open-communication", "note": "Monthly meetings kept partners talking"}]
    assert case["steps"] == ["regular-check-ins"]
    assert "Neighbours know their street best" in target.read_text(encoding="utf-8")  # kept, as a comment for a maintainer
    assert case["sources"] == [{"title": "Flood report", "url": "https://example.org/report"}]
    # The same loader as `alliance check`: the file passes it unchanged.
    check = run_alliance("check", str(project))
    assert check.returncode == 0, check.stdout
    assert "path=casestudies/harbour-flood-alliance.yml" in out.read_text(encoding="utf-8")
    assert "valid case study file" in (project.parent / "comment.md").read_text(encoding="utf-8")


def test_mistakes_are_named_by_question_and_line_and_nothing_is_written(project: Path):
    answers = dict(COMPLETE, policy_areas=["enviroment"], location_country="Atlantis",
                   partners="City emergency office | local-government\nHarbour residents | goverment | membre",
                   steps="Hold regular check-ins\nDance on the pier", lessons="Something only I would say")
    before = sorted((project / "casestudies").iterdir())
    proc = from_issue(project, issue_body(answers), "--report", str(project.parent / "comment.md"))
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert sorted((project / "casestudies").iterdir()) == before  # nothing written, nothing left behind
    lines = proc.stdout.splitlines()
    assert any(line.startswith("Playbook steps, line 2: 'Dance on the pier' is not a step") for line in lines), lines
    assert any(line.startswith("Lessons: name at least one of the guide's lessons") for line in lines), lines
    # The checker's own messages, with the question instead of the YAML path.
    answers["lessons"] = COMPLETE["lessons"]
    answers["steps"] = "Hold regular check-ins"
    proc = from_issue(project, issue_body(answers), "--report", str(project.parent / "comment.md"))
    lines = proc.stdout.splitlines()
    assert proc.returncode == 1
    assert "Policy areas: 'enviroment' is not a policy area; did you mean 'environment'?" in proc.stdout
    assert any(line.startswith("Partners, line 2: (type) 'goverment' is not a partner type") for line in lines), lines
    assert any(line.startswith("Partners, line 2: (role) 'membre' is not a partner role; did you mean 'member'?") for line in lines), lines
    assert any(line.startswith("Country: 'Atlantis'") for line in lines), lines
    comment = (project.parent / "comment.md").read_text(encoding="utf-8")
    assert "- **Partners**, line 2: " in comment and "Edit the issue" in comment
    assert sorted((project / "casestudies").iterdir()) == before


def test_an_existing_case_and_a_foreign_issue_are_refused(project: Path):
    existing = sorted(p.stem for p in (project / "casestudies").glob("*.yml"))[0]
    title = yaml.safe_load((project / "casestudies" / f"{existing}.yml").read_text(encoding="utf-8"))["title"]
    from alliance_playbook.model.types import slugify

    answers = dict(COMPLETE, title=title) if slugify(title) == existing else dict(COMPLETE, title=existing.replace("-", " "))
    proc = from_issue(project, issue_body(answers))
    assert proc.returncode == 1 and "is already in the guide; choose a title of your own" in proc.stdout
    proc = from_issue(project, "Hello, I would like to add a case.\n\n### Something\n\nelse\n")
    assert proc.returncode == 1 and "was not made with the case study form" in proc.stdout
    proc = from_issue(project, "x" * 70_000)
    assert proc.returncode == 2 and "longer than an issue can be" in proc.stderr and "Traceback" not in proc.stderr


HOSTILE = dict(
    COMPLETE,
    title="<script>alert(1)</script> Harbour",
    summary="yes",
    challenge="### Lessons\n\n[click](javascript:alert(1)) ![x](https://tracker.example/p.png) @everyone\n\n<img src=x onerror=alert(1)>",
    approach="key: value\n- not a list\n\tindented\r\nmore",
    outcomes="null\n~\n'quoted'\n\"double\"",
    contributors="@someone",
)


def test_hostile_answers_stay_text_from_issue_to_file(project: Path):
    body = issue_body(HOSTILE).replace("\n", "\r\n")  # GitHub bodies come with CRLF line ends
    proc = from_issue(project, body, "--report", str(project.parent / "comment.md"))
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stdout
    written = list((project / "casestudies").glob("*harbour*.yml"))
    check = run_alliance("check", str(project))
    assert check.returncode == 0, check.stdout
    case = yaml.safe_load(written[0].read_text(encoding="utf-8"))
    assert case["title"] == HOSTILE["title"] and case["summary"] == "yes"  # a string, not true
    assert case["challenge"].startswith("### Lessons")  # a heading inside an answer is its text
    assert [o["description"] for o in case["outcomes"]] == ["null", "~", "'quoted'", '"double"']
    assert case["lessons"][0]["lesson"] == "trust-and-open-communication"  # the real Lessons answer
    # Text that shows in another order than it is written is refused, by the checks' own rule.
    written[0].unlink()
    proc = from_issue(project, issue_body(dict(HOSTILE, approach="evil \u202eregnad")), "--report", str(project.parent / "comment.md"))
    assert proc.returncode == 1 and "Approach: contains the bidirectional control U+202E" in proc.stdout
    assert list((project / "casestudies").glob("*harbour*.yml")) == []
    # The comment can hold no link, image, mention or HTML made of the answers.
    comment = (project.parent / "comment.md").read_text(encoding="utf-8")
    import re

    for line in comment.splitlines():
        if line.startswith("- "):
            assert re.search(r"(?<!\\)[<>\[\]()!@]", line.split(": ", 1)[1]) is None, line


def test_a_hostile_comment_is_escaped():
    from alliance_playbook.adapters.from_issue import report
    from alliance_playbook.issueform import FormProblem

    text = report([FormProblem("Title", "'<img src=x onerror=alert(1)>' and [a](https://x.example) @team ![i](y)", 1)], None)
    import re

    line = next(line for line in text.splitlines() if line.startswith("- "))
    message = line.split(": ", 1)[1]
    assert re.search(r"(?<!\\)[<>\[\]()!@]", message) is None, message  # every mark that could make a tag, link or mention is escaped
    assert "\\<img" in message and "\\@team" in message and text.count("\n- ") == 1


@pytest.mark.parametrize("path, schema", [(WORKFLOW, "vendor.github-workflows"), (FORM, "vendor.github-issue-forms")])
def test_the_workflow_and_the_form_are_valid_for_github(path: Path, schema: str):
    # check-jsonschema carries SchemaStore's schemas for GitHub's files: no download.
    proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_workflow_passes_the_issue_text_only_through_the_environment():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["propose"]["steps"]
    for step in steps:
        assert "github.event.issue.body" not in step.get("run", "") and "github.event.issue.title" not in step.get("run", "")
        assert "steps.convert.outputs" not in step.get("run", "")
    convert = next(s for s in steps if s.get("id") == "convert")
    assert "alliance from-issue" in convert["run"] and convert["env"]["ISSUE_BODY"] == "${{ github.event.issue.body }}"
    assert workflow[True]["issues"]["types"] == ["opened", "edited", "labeled"]  # "on" is YAML 1.1's true
    assert "'case study'" in workflow["jobs"]["propose"]["if"]
    labels = yaml.safe_load(FORM.read_text(encoding="utf-8"))["labels"]
    assert "case study" in labels


def test_headings_typed_inside_answers_stay_in_them(project: Path):
    # A contributor's own "### Approach" inside the challenge (even in a code
    # fence) and a second "### Title" later: GitHub writes each question once,
    # in order, so the real heading of each is the last one before the next.
    answers = dict(COMPLETE, challenge="Intro\n\n### Approach\n\nmine\n\n```\n### Outcomes\n```", summary="A summary.\n\n### Title\n\nnot a title")
    proc = from_issue(project, issue_body(answers))
    assert proc.returncode == 1 or proc.returncode == 0, proc.stdout
    case_file = project / "casestudies" / "harbour-flood-alliance.yml"
    if proc.returncode == 0:
        case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        assert case["challenge"] == answers["challenge"] and case["approach"] == COMPLETE["approach"]
        assert case["title"] == COMPLETE["title"]
    else:  # a summary of several lines is refused by the checks, by its question
        assert "Summary" in proc.stdout and not case_file.exists()
    case_file.unlink(missing_ok=True)
    answers["summary"] = COMPLETE["summary"]
    proc = from_issue(project, issue_body(answers))
    assert proc.returncode == 0, proc.stdout
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    assert case["challenge"] == answers["challenge"] and case["approach"] == COMPLETE["approach"]


def test_characters_yaml_would_reread_are_kept_and_checked(project: Path):
    # U+0085 is a line break to YAML 1.1: written raw it would come back as a
    # space and slip past the control-character check.
    proc = from_issue(project, issue_body(dict(COMPLETE, summary="Before\x85after")))
    assert proc.returncode == 1 and "Summary: contains the control character U+0085" in proc.stdout
    proc = from_issue(project, issue_body(dict(COMPLETE, approach="Line one\u2028line two")))
    assert proc.returncode == 0, proc.stdout
    case = yaml.safe_load((project / "casestudies" / "harbour-flood-alliance.yml").read_text(encoding="utf-8"))
    assert case["approach"] == "Line one\u2028line two"


@pytest.mark.parametrize("title, words", [("Index", "the case study index"), ("Propose", "proposing a case study")])
def test_a_reserved_address_is_a_title_problem(project: Path, title: str, words: str):
    proc = from_issue(project, issue_body(dict(COMPLETE, title=title)))
    assert proc.returncode == 1 and proc.stdout.startswith(f"Title: '{title.lower()}' is the address of") and words in proc.stdout


def test_bad_options_are_refused_before_anything_is_written(project: Path, tmp_path: Path):
    before = sorted((project / "casestudies").iterdir())
    for option, value in (("--report", str(tmp_path)), ("--report", str(tmp_path / "missing" / "r.md")), ("--github-output", str(tmp_path))):
        proc = from_issue(project, issue_body(COMPLETE), option, value)
        assert proc.returncode == 2 and "not a file in an existing folder" in proc.stderr and "Traceback" not in proc.stderr
    for text in ("body: 5\n", "just text\n", "- a\n- list\n"):
        form = tmp_path / "form.yml"
        form.write_text(text, encoding="utf-8")
        proc = from_issue(project, issue_body(COMPLETE), "--form", str(form))
        assert proc.returncode == 2 and "is not an issue form" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted((project / "casestudies").iterdir()) == before
    # A body of GitHub's full length, with the line end a workflow's printf adds, is read.
    proc = from_issue(project, issue_body(COMPLETE).ljust(65_536, " ") + "\n")
    assert proc.returncode == 0, proc.stdout + proc.stderr
