"""``alliance from-issue``: an issue made with the case study form becomes
``casestudies/<id>.yml``, checked by the same loader as ``alliance check``,
or a list of problems in the contributor's words (and a Markdown comment
for the issue). The reading of the issue is :mod:`..issueform`.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
from pathlib import Path

import yaml

from .. import issueform
from ..errors import ContentError, printable
from ..issueform import Answer, Draft, FormProblem
from ..model.types import ID_MAX, slugify
from ..settings import Settings, SettingsError
from ..yamlwrite import dump_yaml
from .glue import load


def from_issue(args: argparse.Namespace, settings: Settings) -> int:
    """``alliance from-issue``: the issue body in ``args.file`` as ``casestudies/<id>.yml``, checked.

    Exit 0: the file is written and passes every check. Exit 1: nothing is
    written; each problem is named by its question and the line of the
    answer. Exit 2: the command could not run (no such file, no form, a
    project with problems of its own).
    """
    root = Path(args.path)
    for option, value in (("--report", args.report), ("--github-output", args.github_output)):
        # Refused before anything is written: a file written then left behind by a failed report is half a run.
        if value and (Path(value).is_dir() or not Path(value).parent.is_dir()):
            print(f"alliance from-issue: {option} {printable(value)}: not a file in an existing folder", file=sys.stderr)
            return 2
    try:
        body = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"alliance from-issue: {printable(args.file)} cannot be read: {printable(str(exc))}", file=sys.stderr)
        return 2
    if len(body.rstrip("\n")) > issueform.MAX_BODY:  # (a workflow's printf adds a line end)
        print(f"alliance from-issue: {printable(args.file)} is {len(body):,} characters, longer than an issue can be "
              f"({issueform.MAX_BODY:,}); it was not made with the issue form", file=sys.stderr)
        return 2
    form_path = Path(args.form) if args.form else root / ".github" / "ISSUE_TEMPLATE" / "case-study.yml"
    try:
        questions = issueform.read_form(form_path)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        print(f"alliance from-issue: the issue form {printable(str(form_path))} cannot be read: {printable(str(exc))}", file=sys.stderr)
        return 2
    try:
        project = load(settings)
    except (ContentError, SettingsError):
        print("alliance from-issue: the project has problems of its own; run `alliance check` and fix them first", file=sys.stderr)
        return 2
    answers, problems = issueform.parse_body(body, questions)
    folder = root / settings.casestudies_dir
    path: str | None = None
    if not answers:
        problems.append(issueform.FormProblem("Issue", "this issue was not made with the case study form: none of its questions was found"))
    else:
        lessons = {id_: item.title for id_, item in project.items("lesson").items()}
        steps = {id_: item.title for id_, item in project.items("step").items()}
        draft, more = issueform.case_from_answers(answers, lambda title: slugify(title, ID_MAX), lessons, steps)
        problems.extend(more)
        title_label = answers["title"].question.label if "title" in answers else "Title"
        if not draft.id:
            problems.append(issueform.FormProblem(title_label, "give the case a title made of letters or digits (its file name is made from it)"))
        elif draft.id in project.registry["case"].reserved:
            problems.append(issueform.FormProblem(title_label, f"{draft.id!r} is the address of {project.registry['case'].reserved[draft.id]}; "
                                                               "choose another title"))
        elif (folder / f"{draft.id}.yml").exists() or draft.id in project.items("case"):
            problems.append(issueform.FormProblem(title_label, f"a case study called {draft.id!r} is already in the guide; choose a title of your own"))
        if not problems:
            target = folder / f"{draft.id}.yml"
            schemas = Path(__file__).resolve().parent.parent / "schemas" / "casestudy.schema.json"
            folder.mkdir(parents=True, exist_ok=True)
            scratch = target.with_name(f".{target.name}.{os.getpid()}.tmp")  # whole or not at all
            scratch.write_text(dump(draft, Path(os.path.relpath(schemas, folder.resolve())).as_posix()), encoding="utf-8")
            os.replace(scratch, target)
            try:
                load(settings)
            except ContentError as exc:
                target.unlink(missing_ok=True)  # ours: written a moment ago; nothing half-made is left
                mine = [p for p in exc.problems if Path(p.path).name == target.name]
                problems.extend(form_problem(p.field, p.message, draft, answers) for p in mine)
                if len(mine) < len(exc.problems):
                    problems.append(issueform.FormProblem("Case study", "the guide's other files have problems too; a maintainer will look"))
            else:
                path = target.relative_to(root).as_posix() if target.is_relative_to(root) else target.as_posix()
    for problem in problems:
        print(printable(str(problem)))
    if args.report:
        Path(args.report).write_text(report(problems, path), encoding="utf-8")
    if args.github_output and path is not None:
        end = "EOF_" + secrets.token_hex(8)  # a delimiter no answer can contain
        with open(args.github_output, "a", encoding="utf-8") as out:
            out.write(f"id={draft.id}\npath={path}\ntitle<<{end}\n{' '.join(str(draft.data.get('title', '')).split())}\n{end}\n")
    if problems:
        print(f"{len(problems)} problem(s): nothing was written")
        return 1
    print(f"Wrote {path}; it passes `alliance check`")
    return 0


def form_problem(field_path: str, message: str, draft: Draft, answers: dict[str, Answer]) -> FormProblem:
    """A checker's problem (``partners[1].type: ...``) in the contributor's words: the question and the answer's line."""
    match = re.match(r"([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?", field_path or "")
    if not match:
        return FormProblem("Case study", message)
    top, index, sub = match.group(1), match.group(2), match.group(3)
    key = f"{top}_{sub}" if top in ("location", "period") and sub else top
    answer = answers.get(key)
    label = answer.question.label if answer else key.replace("_", " ").capitalize()
    line = None
    if index is not None and top in draft.lines and int(index) < len(draft.lines[top]):
        line = draft.lines[top][int(index)]
    detail = f"({sub}) " if sub and top not in ("location", "period") else ""
    if message.startswith("required field"):
        message = "this question needs an answer"
    return FormProblem(label, detail + message, line)


_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(text: str) -> str:
    """Plain text for a Markdown comment: every ASCII punctuation mark escaped
    (no link, image, mention or HTML can come of it), on one line."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def report(problems: list[FormProblem], path: str | None) -> str:
    """The comment for the issue, in plain words: what to change and where, or that the file is ready."""
    if not problems:
        return (f"Thank you! Your answers make a valid case study file, `{path}`; a pull request with it follows, "
                "and a maintainer will review it.\n")
    items = "\n".join(f"- **{markdown_text(p.label)}**" + (f", line {p.line}" if p.line else "") + f": {markdown_text(p.message)}"
                      for p in problems)
    return ("Thank you for proposing a case study! A few answers need a change before it can become a page:\n\n"
            f"{items}\n\nEdit the issue (the \u2026 menu at the top of it, then *Edit*) to fix them; the check runs again "
            "when you save.\n")


def dump(draft: Draft, schema: str) -> str:
    """The case study file: the schema line for editors, the contributor's notes, the data."""
    head = [f"# yaml-language-server: $schema={schema}", "# Proposed through the case study issue form."]
    head += ["# " + " ".join(note.split()) for note in draft.notes]
    return "\n".join(head) + "\n" + dump_yaml(draft.data)
