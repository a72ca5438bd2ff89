"""The link graph: every reference between items, both ways, built once.

A reference is an id written in an item (found from the model's ``ref()``
fields, so a new kind's links are in the graph without a line here). A link
may be written on either side (a lesson naming a step, or the step naming
the lesson): :meth:`LinkGraph.linked` gives both. Building it is one pass
over the references: linear in the size of the content.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .checks import references
from .gcpause import paused_gc

if TYPE_CHECKING:
    from .project import Project


@dataclass(frozen=True)
class CaseCitation:
    """A case study citing a lesson, with the case's note on it."""

    case_id: str
    note: str | None


@dataclass(frozen=True)
class Edge:
    """One reference: item ``source`` (of ``source_kind``) names ``target`` in ``field``."""

    source_kind: str
    source: str
    field: str
    target_kind: str
    target: str
    holder: Any


class _Linked:
    """A view the templates read: for each item of ``kind`` that has links to
    items of ``other``, those items (:meth:`LinkGraph.linked`), made once."""

    def __init__(self, kind: str, other: str):
        self.kind, self.other = kind, other

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, graph: LinkGraph, owner: type) -> dict[str, list[str]]:
        table = graph.__dict__.get(self.name)
        if table is None:
            table = graph.__dict__[self.name] = graph._table(self.kind, self.other)
        return table


class LinkGraph:
    """Every reference of a project, by source and by target."""

    def __init__(self, project: Project, related_limit: int = 5, edges: Callable[[str, str, Any], list[Edge]] | None = None):
        self.project, self.related_limit = project, related_limit
        self._out: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        self._in: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        self._rank = {kind.name: {id_: i for i, id_ in enumerate(project.items(kind.name))} for kind in project.registry}
        for kind in project.registry:
            for id_, item in project.items(kind.name).items():
                for edge in (edges or self._edges)(kind.name, id_, item):
                    self._out[(kind.name, id_)].append(edge)
                    self._in[(edge.target_kind, edge.target)].append(edge)
        self.related_cases = _related_cases(project, related_limit)
        self.related_lessons = self._related_lessons(related_limit)

    def _edges(self, kind: str, id_: str, item: Any) -> list[Edge]:
        # A reference to a draft, or to a kind left out, is not linked.
        return [Edge(kind, id_, ref.field, ref.kind, ref.id, ref.holder) for ref in references(item) if ref.id in self._rank.get(ref.kind, {})]

    def updated(self, project: Project, changed: set[tuple[str, str]]) -> LinkGraph:
        """The graph of ``project``, which differs from this graph's project
        only in the items ``changed`` (a preview's rebuild): the other items'
        references are taken as they are, not read again. This graph is left
        as it was. When items were added, removed or reordered, it is made anew."""
        if any(list(project.items(kind.name)) != list(self._rank.get(kind.name, ())) for kind in project.registry):
            return LinkGraph(project, self.related_limit)
        old = self._out

        def edges(kind: str, id_: str, item: Any) -> list[Edge]:
            return self._edges(kind, id_, item) if (kind, id_) in changed else old.get((kind, id_), [])

        return LinkGraph(project, self.related_limit, edges)

    # ----- the generic view --------------------------------------------------------------
    def linked(self, kind: str, id_: str, other: str) -> list[str]:
        """Items of kind ``other`` that ``kind:id_`` names or that name it, in
        ``other``'s order (the playbook order for steps)."""
        found = {e.target for e in self._out.get((kind, id_), ()) if e.target_kind == other}
        found |= {e.source for e in self._in.get((kind, id_), ()) if e.source_kind == other}
        found.discard(id_)  # an item is not linked to itself
        rank = self._rank[other]
        return sorted(found, key=rank.__getitem__)

    def citing(self, kind: str, id_: str, source_kind: str) -> list[Edge]:
        """The references to ``kind:id_`` written in items of ``source_kind``, in their order."""
        rank = self._rank[source_kind]
        return sorted((e for e in self._in.get((kind, id_), ()) if e.source_kind == source_kind), key=lambda e: rank[e.source])

    def _table(self, kind: str, other: str) -> dict[str, list[str]]:
        """``linked`` for every item of ``kind`` that has such links."""
        table = {}
        for id_ in self.project.items(kind):
            found = self.linked(kind, id_, other)
            if found:
                table[id_] = found
        return table

    # ----- the views the templates and exports read ----------------------------------------
    @cached_property
    def lesson_cases(self) -> dict[str, list[CaseCitation]]:
        """The case studies that cite each lesson, each with its note; a lesson no case cites has no entry."""
        out: dict[str, list[CaseCitation]] = {}
        for lesson in self.project.items("lesson"):
            cites = [CaseCitation(e.source, getattr(e.holder, "note", None)) for e in self.citing("lesson", lesson, "case")]
            if cites:
                out[lesson] = cites
        return out

    step_cases = _Linked("step", "case")
    lesson_steps = _Linked("lesson", "step")
    step_lessons = _Linked("step", "lesson")
    step_worksheets = _Linked("step", "worksheet")
    worksheet_steps = _Linked("worksheet", "step")
    related_steps = _Linked("step", "step")

    def _related_lessons(self, limit: int) -> dict[str, list[str]]:
        """Lessons sharing citing cases (2 points each) or steps (1)."""
        by_case: dict[str, list[str]] = defaultdict(list)
        for lid, cites in self.lesson_cases.items():
            for c in cites:
                by_case[c.case_id].append(lid)
        out: dict[str, list[str]] = {}
        order = self._rank["lesson"]
        for lid in self.project.items("lesson"):
            scores: Counter[str] = Counter()
            for c in self.lesson_cases.get(lid, []):
                for other in by_case[c.case_id]:
                    scores[other] += 2
            for sid in self.lesson_steps.get(lid, []):
                for other in self.step_lessons.get(sid, []):
                    scores[other] += 1
            scores.pop(lid, None)
            out[lid] = [o for o, _ in sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))[:limit]]
        return out


@paused_gc()
def build_graph(project: Project, related_limit: int = 5) -> LinkGraph:
    """Compute every backlink of the project in one pass over its references."""
    return LinkGraph(project, related_limit)


#: The last related-cases table and what it was made from: a preview's
#: rebuild after an edit that changes no case's lessons, steps, areas or
#: place in the order (a summary, a partner) finds the same table.
_RELATED_MEMO: list[tuple[Any, dict[str, list[str]]]] = []


def _related_cases(project: Project, limit: int, window: int = 60) -> dict[str, list[str]]:
    """Cases sharing lessons, steps or policy areas (see :func:`_score_related`), kept while what they are scored on stays."""
    key = (limit, window, tuple((c.id, tuple(r.lesson for r in c.lessons), tuple(c.steps or ()), tuple(map(str, c.policy_areas)))
                                for c in project.cases.values()))
    if _RELATED_MEMO and _RELATED_MEMO[0][0] == key:
        return _RELATED_MEMO[0][1]
    related = _score_related(project, limit, window)
    _RELATED_MEMO[:] = [(key, related)]
    return related


def _score_related(project: Project, limit: int, window: int) -> dict[str, list[str]]:
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
