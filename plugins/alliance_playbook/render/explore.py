"""The "explore" map: phases, steps, lessons and case studies as one SVG.

Columns left to right: phases, steps, lessons, case studies. With more than
``case_limit`` cases, cases are summarised as one node per policy area (a
link to the case index filtered by that area), so the map stays readable at
hundreds of cases instead of turning into a hairball.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from markupsafe import Markup

from ..graph import LinkGraph
from ..i18n import Translator
from ..markup.text import plain
from ..model.enums import POLICY_AREA_LABELS
from ..project import Project

COLUMN_X = (10, 230, 470, 730)
NODE_W = (190, 210, 230, 250)
ROW_H = 30
COLOURS = ("#1f6f8b", "#3f8f3f", "#e07a1f", "#8e44ad")


def _short(text: str, n: int = 32) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def explore_svg(project: Project, graph: LinkGraph, link: Callable[..., str], _: Translator, case_limit: int = 40) -> Markup:
    """The explore map as inline SVG, linked to the pages; past ``case_limit`` cases, one node per policy area."""
    columns: list[list[tuple[str, str, str, str]]] = [[], [], [], []]  # (key, label, href, tooltip)
    for phase in project.phases:
        columns[0].append((f"phase:{phase.id}", phase.title, link("phase", phase.id), phase.summary))
    for step in project.steps.values():
        columns[1].append((f"step:{step.id}", step.title, link("step", step.id), step.summary))
    for lesson in project.lessons.values():
        n = len(graph.lesson_cases.get(lesson.id, []))
        columns[2].append((f"lesson:{lesson.id}", f"{lesson.title} ({n})", link("lesson", lesson.id), lesson.statement))
    clustered = len(project.cases) > case_limit
    case_key: dict[str, list[str]] = {}
    if clustered:
        areas = Counter(str(c.policy_areas[0]) for c in project.cases.values())
        for area, n in sorted(areas.items(), key=lambda kv: (-kv[1], kv[0])):
            label = _(POLICY_AREA_LABELS.get(area, area))
            columns[3].append((f"area:{area}", f"{label}: {_('{n} case studies', n=n)}", link("case") + f"?area={area}", label))
        for c in project.cases.values():
            case_key[c.id] = [f"area:{c.policy_areas[0]}"]
    else:
        for c in project.cases.values():
            columns[3].append((f"case:{c.id}", c.title, link("case", c.id), c.summary))
            case_key[c.id] = [f"case:{c.id}"]

    pos: dict[str, tuple[float, float, int]] = {}
    height = 40 + ROW_H * max(len(col) for col in columns) if any(columns) else 80
    for ci, col in enumerate(columns):
        gap = (height - 40) / max(len(col), 1)
        for ri, (key, *_rest) in enumerate(col):
            pos[key] = (COLUMN_X[ci], 40 + gap * ri + (gap - 22) / 2, ci)

    edges: Counter[tuple[str, str]] = Counter()
    for step in project.steps.values():
        edges[(f"phase:{step.phase}", f"step:{step.id}")] += 1
        for lid in graph.step_lessons.get(step.id, []):
            edges[(f"step:{step.id}", f"lesson:{lid}")] += 1
    for lid, cites in graph.lesson_cases.items():
        for cite in cites:
            for target in case_key.get(cite.case_id, []):
                edges[(f"lesson:{lid}", target)] += 1
    width = COLUMN_X[3] + NODE_W[3] + 10
    parts: list[str] = []
    headings = (_("Phases"), _("Steps"), _("Lessons"), _("Case studies by policy area") if clustered else _("Case studies"))
    for ci, heading in enumerate(headings):
        parts.append(f'<text x="{COLUMN_X[ci]}" y="20" font-weight="bold">{plain(heading)}</text>')
    top = max(edges.values(), default=1)
    for (a, b), n in sorted(edges.items()):
        if a not in pos or b not in pos:
            continue
        ax, ay, ac = pos[a]
        bx, by, _bc = pos[b]
        x1, y1, x2, y2 = ax + NODE_W[ac], ay + 11, bx, by + 11
        mid = (x1 + x2) / 2
        stroke = 1 + 4 * n / top if clustered else 1.2
        parts.append(f'<path d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" fill="none" stroke="{COLOURS[ac]}" stroke-opacity=".35" stroke-width="{stroke:.1f}"/>')
    for ci, col in enumerate(columns):
        for key, label, href, tip in col:
            x, y, _c = pos[key]
            parts.append(
                f'<a href="{Markup.escape(href)}"><title>{plain(tip)}</title>'
                f'<rect x="{x}" y="{y:.0f}" width="{NODE_W[ci]}" height="22" rx="4" fill="#fff" stroke="{COLOURS[ci]}" stroke-width="1.5"/>'
                f'<text x="{x + 6}" y="{y + 15:.0f}" fill="#1b1b1b">{plain(_short(label, NODE_W[ci] // 7))}</text></a>'
            )
    desc = _("Map of the playbook: {p} phases, {s} steps, {l} lessons and {c} case studies, with the links between them.",
             p=len(project.phases), s=len(project.steps), l=len(project.lessons), c=len(project.cases))
    return Markup(
        f'<svg class="ap-chart ap-explore" viewBox="0 0 {width} {height:.0f}" width="{width}" height="{height:.0f}" role="group" '
        f'aria-labelledby="ap-explore-title" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">'
        f'<title id="ap-explore-title">{plain(desc)}</title>' + "".join(parts) + "</svg>"
    )
