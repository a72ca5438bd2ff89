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
    """The questions of an issue form (its ``body`` entries that have an id)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for entry in data.get("body") or []:
        if isinstance(entry, dict) and entry.get("id") and entry.get("type") != "markdown":
            attributes = entry.get("attributes") or {}
            out.append(Question(str(entry["id"]), str(attributes.get("label") or entry["id"]), str(entry.get("type")),
                                bool(attributes.get("multiple"))))
    return out


def parse_body(body: str, questions: list[Question]) -> tuple[dict[str, Answer], list[FormProblem]]:
    """The answers in an issue body, by question id; headings the form does not have are reported."""
    by_label = {q.label.casefold(): q for q in questions}
    order = {q.id: n for n, q in enumerate(questions)}
    answers: dict[str, Answer] = {}
    problems: list[FormProblem] = []
    current: Question | None = None
    start = 0
    lines: list[str] = []

    def close() -> None:
        if current is None:
            return
        text_lines = list(lines)
        first = start
        while text_lines and not text_lines[0].strip():
            text_lines.pop(0)
            first += 1
        while text_lines and not text_lines[-1].strip():
            text_lines.pop()
        if text_lines and _FENCE.match(text_lines[0]) and _FENCE.match(text_lines[-1]) and len(text_lines) >= 2:
            text_lines = text_lines[1:-1]  # a textarea with "render" comes fenced
            first += 1
        text = "\n".join(text_lines).strip()
        answers[current.id] = Answer(current, "" if text == NO_RESPONSE else text, first)

    rows = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    last: dict[str, int] = {}  # the last line each question's heading is on
    for number, raw in enumerate(rows, start=1):
        heading = _HEADING.match(raw)
        if heading and heading.group(1).strip().casefold() in by_label:
            last[by_label[heading.group(1).strip().casefold()].id] = number
    for number, raw in enumerate(rows, start=1):
        heading = _HEADING.match(raw)
        if heading:
            question = by_label.get(heading.group(1).strip().casefold())
            if question is not None and question.id not in answers and _starts(question, current, number, questions, order, last):
                close()
                current, start, lines = question, number + 1, []
                continue
            if question is None and current is None:
                problems.append(FormProblem(heading.group(1).strip()[:80], "this heading is not a question of the form; it was left out", number))
                continue
        if current is not None:
            lines.append(raw)
    close()
    return answers, problems


def _starts(question: Question, current: Question | None, number: int, questions: list[Question],
            order: dict[str, int], last: dict[str, int]) -> bool:
    """Whether a heading naming ``question`` on line ``number`` starts its answer.

    GitHub writes every question, in the form's order: the heading of the
    question after ``current`` starts the next answer; a heading naming an
    earlier question, or a later one while the next question's heading is
    still to come, is part of the answer (a contributor's own Markdown).
    A later question is taken when the next one's heading never comes (an
    issue made with an older version of the form).
    """
    at = order[current.id] if current is not None else -1
    if order[question.id] <= at:
        return False
    following = questions[at + 1] if at + 1 < len(questions) else None
    return following is None or question is following or last.get(following.id, 0) <= number


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
