"""The link graph: every edge between content items, both ways, built once.

Edges may be written on either side in YAML (a lesson naming a step, or the
step naming the lesson); the graph makes them symmetric so every page can
show what bears on it. Building it is one pass over the edges: linear in the
size of the content.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .gcpause import paused_gc
from .project import Project


@dataclass
class CaseCitation:
    case_id: str
    note: str | None


@dataclass
class LinkGraph:
    lesson_cases: dict[str, list[CaseCitation]] = field(default_factory=lambda: defaultdict(list))
    step_cases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lesson_steps: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    step_lessons: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    step_worksheets: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    worksheet_steps: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    related_steps: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    related_cases: dict[str, list[str]] = field(default_factory=dict)
    related_lessons: dict[str, list[str]] = field(default_factory=dict)


def _link(forward: dict[str, list[str]], backward: dict[str, list[str]], a: str, b: str) -> None:
    if b not in forward[a]:
        forward[a].append(b)
    if a not in backward[b]:
        backward[b].append(a)


@paused_gc()
def build_graph(project: Project, related_limit: int = 5) -> LinkGraph:
    """Compute every backlink of the project in one pass over its edges."""
    g = LinkGraph()
    step_rank = {sid: i for i, sid in enumerate(project.steps)}
    for case in project.cases.values():
        for ref in case.lessons:
            if ref.lesson in project.lessons:
                g.lesson_cases[ref.lesson].append(CaseCitation(case.id, ref.note))
        for sid in case.steps or []:
            if sid in project.steps:
                g.step_cases[sid].append(case.id)
    for step in project.steps.values():
        for lid in step.lessons or []:
            _link(g.step_lessons, g.lesson_steps, step.id, lid)
        for wid in step.worksheets or []:
            _link(g.step_worksheets, g.worksheet_steps, step.id, wid)
        for other in step.related or []:
            _link(g.related_steps, g.related_steps, step.id, other)
    for lesson in project.lessons.values():
        for sid in lesson.steps or []:
            _link(g.lesson_steps, g.step_lessons, lesson.id, sid)
    for ws in project.worksheets.values():
        for sid in ws.steps or []:
            _link(g.worksheet_steps, g.step_worksheets, ws.id, sid)
    for table in (g.lesson_steps, g.worksheet_steps, g.related_steps):
        for key in table:
            table[key].sort(key=lambda sid: step_rank.get(sid, 10**9))
    lesson_rank = {lid: i for i, lid in enumerate(project.lessons)}
    for table in (g.step_lessons,):
        for key in table:
            table[key].sort(key=lambda lid: lesson_rank.get(lid, 10**9))
    g.related_cases = _related_cases(project, related_limit)
    g.related_lessons = _related_lessons(project, g, related_limit)
    return g


def _related_cases(project: Project, limit: int, window: int = 60) -> dict[str, list[str]]:
    """Cases sharing lessons (3 points), steps (2) or policy areas (1).

    Scored through an inverted index. A key shared by more than ``window``
    cases (a popular lesson in a library of thousands) contributes only the
    ``window`` cases that follow this one in its list, so the work per case is
    bounded and the whole computation stays linear; below that size every
    candidate is scored and the result is exact.
    """
    postings: dict[tuple[str, str], list[str]] = defaultdict(list)
    keys: dict[str, list[tuple[tuple[str, str], int, int]]] = {}
    for case in project.cases.values():
        own = [(("lesson", r.lesson), 3) for r in case.lessons]
        own += [(("step", s), 2) for s in case.steps or []]
        own += [(("area", str(a)), 1) for a in case.policy_areas]
        entries = []
        for key, weight in own:
            entries.append((key, weight, len(postings[key])))
            postings[key].append(case.id)
        keys[case.id] = entries
    order = {cid: i for i, cid in enumerate(project.cases)}
    related: dict[str, list[str]] = {}
    for cid, entries in keys.items():
        scores: dict[str, int] = {}
        for key, weight, position in entries:
            posting = postings[key]
            size = len(posting)
            for step in range(1, min(window, size - 1) + 1):
                other = posting[(position + step) % size]
                scores[other] = scores.get(other, 0) + weight
        best = heapq.nsmallest(limit, scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
        related[cid] = [other for other, _ in best]
    return related


def _related_lessons(project: Project, g: LinkGraph, limit: int) -> dict[str, list[str]]:
    """Lessons sharing citing cases (2 points each) or steps (1)."""
    by_case: dict[str, list[str]] = defaultdict(list)
    for lid, cites in g.lesson_cases.items():
        for c in cites:
            by_case[c.case_id].append(lid)
    out: dict[str, list[str]] = {}
    order = {lid: i for i, lid in enumerate(project.lessons)}
    for lid in project.lessons:
        scores: Counter[str] = Counter()
        for c in g.lesson_cases.get(lid, []):
            for other in by_case[c.case_id]:
                scores[other] += 2
        for sid in g.lesson_steps.get(lid, []):
            for other in g.step_lessons.get(sid, []):
                scores[other] += 1
        scores.pop(lid, None)
        out[lid] = [o for o, _ in sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))[:limit]]
    return out
