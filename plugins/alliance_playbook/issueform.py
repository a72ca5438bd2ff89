"""An issue made with the "Propose a case study" form, turned into a case study file.

GitHub writes an issue form's answers into the issue body as Markdown: each
question's label as a ``### `` heading, a blank line, then the answer as
typed (``_No response_`` for an empty one); a multiple-choice dropdown
joins its choices with ", ", a checkbox is ``- [X] label`` or ``- [ ]
label``. :func:`parse_body` reads that format back, using the form itself
(``.github/ISSUE_TEMPLATE/case-study.yml``) to know which question each
heading is; :func:`case_from_answers` makes the case study's data from the
answers, naming every problem by the question it is about and the line of
the answer, in the words a contributor sees (not YAML paths).

The result is checked by the same loader as ``alliance check`` (see
``alliance from-issue`` in :mod:`.adapters.cli`), so a file that passes here
passes there.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: What GitHub writes for a question left empty.
NO_RESPONSE = "_No response_"
#: GitHub's own limit for an issue body (characters); anything longer was not made by the form.
MAX_BODY = 65_536
_HEADING = re.compile(r"^###[ \t]+(.+?)[ \t]*$")
_CHECKBOX = re.compile(r"^\s*[-*]\s+\[([ xX])\]\s+(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class Question:
    """One question of the issue form."""

    id: str
    label: str
    type: str
    multiple: bool = False
    #: A textarea with ``render``: GitHub fences its answer as code.
    render: bool = False


@dataclass
class Answer:
    """A question's answer in an issue body, and the body line its text starts on."""

    question: Question
    text: str
    line: int


@dataclass
class FormProblem:
    """A problem with one answer, for the contributor: the question, the line of the answer (1-based) and what to change."""

    label: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.label}, line {self.line}" if self.line else self.label
        return f"{where}: {self.message}"


@dataclass
class Draft:
    """The case study made from an issue: its id, its data, and where each list item came from."""

    id: str
    data: dict[str, Any]
    #: Comments for the file (answers kept for a maintainer, such as lessons in the contributor's words).
    notes: list[str] = field(default_factory=list)
    #: For each list field, the answer line (1-based) of each of its items.
    lines: dict[str, list[int]] = field(default_factory=dict)


def read_form(path: Path) -> list[Question]:
    """The questions of an issue form (its ``body`` entries that have an id); ValueError when it is not one."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    body = data.get("body") if isinstance(data, dict) else None
    if not isinstance(body, list):
        raise ValueError("it is not an issue form (it has no list of questions under 'body')")
    out = []
    for entry in body:
        if isinstance(entry, dict) and entry.get("id") and entry.get("type") != "markdown":
            found = entry.get("attributes")
            attributes: dict[str, Any] = found if isinstance(found, dict) else {}
            out.append(Question(str(entry["id"]), str(attributes.get("label") or entry["id"]), str(entry.get("type")),
                                bool(attributes.get("multiple")), bool(attributes.get("render"))))
    return out


def parse_body(body: str, questions: list[Question]) -> tuple[dict[str, Answer], list[FormProblem]]:
    """The answers in an issue body, by question id; headings before the first question are reported.

    GitHub writes every question once, in the form's order, so the heading
    that starts each answer is chosen from the end: the last question's
    last heading, then the previous question's last heading before it, and
    so on. A heading typed inside an answer (even one that names a
    question) stays part of that answer; a question missing from the body
    (an issue made with an older form) simply has no answer.
    """
    by_label = {q.label.casefold(): q for q in questions}
    rows = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    seen: dict[str, list[int]] = {}
    for index, raw in enumerate(rows):
        heading = _HEADING.match(raw)
        question = by_label.get(heading.group(1).strip().casefold()) if heading else None
        if question is not None:
            seen.setdefault(question.id, []).append(index)
    starts: list[tuple[int, Question]] = []
    limit = len(rows)
    for question in reversed(questions):
        before = [i for i in seen.get(question.id, []) if i < limit]
        if before:
            limit = before[-1]
            starts.append((limit, question))
    starts.reverse()
    problems: list[FormProblem] = []
    first = starts[0][0] if starts else len(rows)
    for index in range(first):
        heading = _HEADING.match(rows[index])
        if heading:
            problems.append(FormProblem(heading.group(1).strip()[:80], "this heading is not a question of the form; it was left out", index + 1))
    answers: dict[str, Answer] = {}
    for n, (index, question) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(rows)
        text_lines, line = rows[index + 1:end], index + 2
        while text_lines and not text_lines[0].strip():
            text_lines.pop(0)
            line += 1
        while text_lines and not text_lines[-1].strip():
            text_lines.pop()
        if question.render and len(text_lines) >= 2 and _FENCE.match(text_lines[0]) and _FENCE.match(text_lines[-1]):
            text_lines = text_lines[1:-1]  # a textarea with "render" comes fenced
            line += 1
        text = "\n".join(text_lines).strip()
        answers[question.id] = Answer(question, "" if text == NO_RESPONSE else text, line)
    return answers, problems


def _lines(answer: Answer | None) -> list[tuple[int, str]]:
    """The non-empty lines of an answer, with their line numbers within it (1-based)."""
    if answer is None:
        return []
    return [(n, line.strip()) for n, line in enumerate(answer.text.split("\n"), start=1) if line.strip()]


def _cells(line: str, count: int) -> list[str]:
    """``line`` split at " | " into ``count`` cells (the last keeps any further bars)."""
    cells = [c.strip() for c in line.split("|", count - 1)]
    return cells + [""] * (count - len(cells))


def _match(text: str, titles: dict[str, str]) -> str | None:
    """The id whose id or title ``text`` names (case and spacing aside; a close spelling too)."""
    key = " ".join(text.casefold().replace("-", " ").split())
    names = {" ".join(t.casefold().split()): i for i, t in titles.items()} | {i.replace("-", " "): i for i in titles}
    if key in names:
        return names[key]
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.85)
    return names[close[0]] if close else None


def _country(text: str) -> str:
    """A country's name or code as its ISO 3166-1 alpha-2 code (unchanged when unknown: the checks then say so)."""
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    try:
        import pycountry

        return str(pycountry.countries.lookup(text).alpha_2)
    except (LookupError, ImportError):
        return text


def case_from_answers(answers: dict[str, Answer], slug: Any, lessons: dict[str, str], steps: dict[str, str]) -> tuple[Draft, list[FormProblem]]:
    """The case study the answers describe. ``slug`` makes the id from the title;
    ``lessons`` and ``steps`` are the site's (id -> title), which the Lessons and
    Playbook steps answers are matched against."""
    problems: list[FormProblem] = []

    def text(key: str) -> str:
        answer = answers.get(key)
        return answer.text if answer else ""

    def label(key: str) -> str:
        answer = answers.get(key)
        return answer.question.label if answer else key

    data: dict[str, Any] = {}
    lines: dict[str, list[int]] = {}
    notes: list[str] = []
    for key in ("title", "summary"):
        if text(key):
            data[key] = text(key)
    areas = [a.strip() for a in text("policy_areas").split(",") if a.strip()]
    if areas:
        data["policy_areas"] = areas
    if text("alliance_form"):
        data["alliance_form"] = text("alliance_form")
    location = {k: text(f"location_{k}") for k in ("country", "region", "city", "scope") if text(f"location_{k}")}
    if "country" in location:
        location["country"] = _country(location["country"])
    if location:
        data["location"] = location
    period: dict[str, Any] = {k: text(f"period_{k}") for k in ("start", "end") if text(f"period_{k}")}
    ticked = [m for m in (_CHECKBOX.match(line) for _n, line in _lines(answers.get("period_ongoing"))) if m]
    if any(m.group(1) in "xX" for m in ticked):
        period["ongoing"] = True
    if period:
        data["period"] = period

    partners, where = [], []
    for n, line in _lines(answers.get("partners")):
        name, type_, role, contribution = _cells(line, 4)
        partner = {"name": name, "type": type_}
        if role:
            partner["role"] = role
        if contribution:
            partner["contribution"] = contribution
        partners.append(partner)
        where.append(n)
        if not type_:
            problems.append(FormProblem(label("partners"), f"give each partner a type after its name ({name} | type | role | contribution)", n))
    if partners:
        data["partners"], lines["partners"] = partners, where
    for key in ("challenge", "approach"):
        if text(key):
            data[key] = text(key)
    outcomes = _lines(answers.get("outcomes"))
    if outcomes:
        data["outcomes"] = [{"description": line} for _n, line in outcomes]
        lines["outcomes"] = [n for n, _line in outcomes]
    feedback = _lines(answers.get("feedback"))
    if feedback:
        data["feedback"] = [dict(zip(("quote", "source"), _cells(line, 2), strict=True)) for _n, line in feedback]
        lines["feedback"] = [n for n, _line in feedback]
        for (n, _line), quote in zip(feedback, data["feedback"], strict=True):
            if not quote["source"]:
                problems.append(FormProblem(label("feedback"), "say who said it after the quote: quote | who said it (a role is enough)", n))

    refs, where = [], []
    for n, line in _lines(answers.get("lessons")):
        name, note = _cells(line, 2)
        lesson = _match(name, lessons)
        if lesson is None:
            notes.append(f"Lesson in the contributor's words: {line}")
            continue
        refs.append({"lesson": lesson, "note": note} if note else lesson)
        where.append(n)
    if refs:
        data["lessons"], lines["lessons"] = refs, where
    elif answers.get("lessons") and answers["lessons"].text:
        choices = ", ".join(f"{title} ({id_})" for id_, title in sorted(lessons.items()))
        problems.append(FormProblem(label("lessons"), f"name at least one of the guide's lessons, by its title or id: {choices}"))

    chosen, where = [], []
    for n, line in _lines(answers.get("steps")):
        step = _match(line, steps)
        if step is None:
            close = difflib.get_close_matches(line.casefold(), [t.casefold() for t in steps.values()], n=1, cutoff=0.5)
            hint = f"; did you mean '{next(t for t in steps.values() if t.casefold() == close[0])}'?" if close else ""
            problems.append(FormProblem(label("steps"), f"'{line[:80]}' is not a step of the playbook{hint}", n))
            continue
        chosen.append(step)
        where.append(n)
    if chosen:
        data["steps"], lines["steps"] = chosen, where

    sources, where = [], []
    for n, line in _lines(answers.get("sources")):
        title, url = _cells(line, 2)
        if not url and re.match(r"https?://", title):  # just an address: it is its own title
            url = title
        sources.append({"title": title, "url": url})
        where.append(n)
    if sources:
        data["sources"], lines["sources"] = sources, where
    contributors = _lines(answers.get("contributors"))
    if contributors:
        data["contributors"] = [line for _n, line in contributors]
        lines["contributors"] = [n for n, _line in contributors]
    if text("language"):
        data["language"] = text("language")
    return Draft(slug(text("title")) if text("title") else "", data, notes, lines), problems
