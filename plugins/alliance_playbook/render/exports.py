"""Data exports: ``data/playbook.json`` and ``data/casestudies.csv``."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..graph import LinkGraph
from ..project import Project
from .urls import page_src, src_to_url

SCHEMA_VERSION = 1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _url(kind: str, id_: str, phase: str = "") -> str:
    return src_to_url(page_src(kind, id_, phase))


def playbook_json(project: Project, graph: LinkGraph, site_name: str = "") -> str:
    """Every published entity with its resolved links."""
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "site_name": site_name,
        "phases": [
            {**p.model_dump(mode="json", by_alias=True, exclude_none=True), "url": _url("phase", p.id),
             "steps": [s.id for s in project.steps_of(p.id)]}
            for p in project.phases
        ],
        "steps": [
            {"id": s.id, **s.model_dump(mode="json", exclude_none=True, exclude={"checklist"}),
             "checklist": [{"id": s.item_id(i), "text": item.text} for i, item in enumerate(s.checklist)],
             "url": _url("step", s.id, s.phase),
             "links": {"lessons": graph.step_lessons.get(s.id, []), "worksheets": graph.step_worksheets.get(s.id, []),
                       "related": graph.related_steps.get(s.id, []), "cases": graph.step_cases.get(s.id, [])}}
            for s in project.steps.values()
        ],
        "lessons": [
            {"id": l.id, **l.model_dump(mode="json", exclude_none=True), "url": _url("lesson", l.id),
             "links": {"steps": graph.lesson_steps.get(l.id, []),
                       "cases": [{"case": c.case_id, "note": c.note} for c in graph.lesson_cases.get(l.id, [])],
                       "related": graph.related_lessons.get(l.id, [])}}
            for l in project.lessons.values()
        ],
        "worksheets": [
            {"id": w.id, **w.model_dump(mode="json", exclude_none=True), "url": _url("worksheet", w.id),
             "links": {"steps": graph.worksheet_steps.get(w.id, [])}}
            for w in project.worksheets.values()
        ],
        "casestudies": [
            {"id": c.id, **c.model_dump(mode="json", exclude_none=True), "url": _url("case", c.id),
             "links": {"related": graph.related_cases.get(c.id, [])}}
            for c in project.cases.values()
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP advice)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


CSV_COLUMNS = [
    "id", "title", "summary", "policy_areas", "alliance_form", "country", "region", "city", "scope", "start", "end",
    "ongoing", "partners", "partner_types", "lessons", "steps", "tags", "metrics", "last_reviewed", "url",
]


def casestudies_csv(project: Project) -> str:
    """One row per published case; lists joined with '; '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in project.cases.values():
        loc, per = c.location, c.period
        row = [
            c.id, c.title, c.summary, "; ".join(map(str, c.policy_areas)), c.alliance_form or "",
            loc.country if loc else "", loc.region if loc else "", loc.city if loc else "", loc.scope if loc else "",
            per.start if per else "", per.end if per else "", ("true" if per and per.ongoing else "false"),
            "; ".join(p.name for p in c.partners), "; ".join(sorted({str(p.type) for p in c.partners})),
            "; ".join(r.lesson for r in c.lessons), "; ".join(c.steps or []), "; ".join(c.tags or []),
            len(c.metrics), c.last_reviewed or "", _url("case", c.id),
        ]
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()
