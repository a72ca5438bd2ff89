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
from ..markup.charts import wrap
from ..markup.text import plain
from ..model.enums import POLICY_AREA_LABELS
from ..project import Project

#: Column widths, the gap between columns (where the links run), and type.
NODE_W = (190, 230, 250, 270)
GAP = 64
FONT = 13
LINE = 17
PAD = 7
COLOURS = ("#00796b", "#3f6fb5", "#b35c00", "#7b4fa8")


def _columns_x() -> tuple[int, ...]:
    xs, x = [], 2
    for w in NODE_W:
        xs.append(x)
        x += w + GAP
    return tuple(xs)


COLUMN_X = _columns_x()


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

    # Every label is wrapped to its box, never cut: a box is as tall as its
    # lines. A column shorter than the tallest spreads its boxes out.
    lines = {key: wrap(label, NODE_W[ci] - 2 * PAD, FONT) for ci, col in enumerate(columns) for key, label, *_ in col}
    box_h = {key: len(ls) * LINE + 2 * PAD - 4 for key, ls in lines.items()}
    top_y, gap_min = 34.0, 10.0
    col_h = [sum(box_h[k] for k, *_ in col) + gap_min * max(len(col) - 1, 0) for col in columns]
    height = top_y + max(col_h, default=40) + 8
    pos: dict[str, tuple[float, float, int]] = {}
    for ci, col in enumerate(columns):
        spare = (height - 8 - top_y - col_h[ci]) / max(len(col), 1)
        y = top_y + spare / 2
        for key, *_rest in col:
            pos[key] = (COLUMN_X[ci], y, ci)
            y += box_h[key] + gap_min + spare

    edges: Counter[tuple[str, str]] = Counter()
    for step in project.steps.values():
        edges[(f"phase:{step.phase}", f"step:{step.id}")] += 1
        for lid in graph.step_lessons.get(step.id, []):
            edges[(f"step:{step.id}", f"lesson:{lid}")] += 1
    for lid, cites in graph.lesson_cases.items():
        for cite in cites:
            for target in case_key.get(cite.case_id, []):
                edges[(f"lesson:{lid}", target)] += 1
    width = COLUMN_X[3] + NODE_W[3] + 2
    parts: list[str] = []
    headings = (_("Phases"), _("Steps"), _("Lessons"), _("Case studies by policy area") if clustered else _("Case studies"))
    for ci, heading in enumerate(headings):
        parts.append(f'<text x="{COLUMN_X[ci]}" y="20" font-weight="bold" font-size="14">{plain(heading)}</text>')
    top = max(edges.values(), default=1)
    for (a, b), n in sorted(edges.items()):
        if a not in pos or b not in pos:
            continue
        ax, ay, ac = pos[a]
        bx, by, _bc = pos[b]
        x1, y1, x2, y2 = ax + NODE_W[ac], ay + box_h[a] / 2, bx, by + box_h[b] / 2
        mid = (x1 + x2) / 2
        stroke = 1 + 4 * n / top if clustered else 1.4
        parts.append(f'<path class="ap-edge ap-edge-{ac}" d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" fill="none" stroke="{COLOURS[ac]}" stroke-opacity=".4" stroke-width="{stroke:.1f}"/>')
    for ci, col in enumerate(columns):
        for key, _label, href, tip in col:
            x, y, _c = pos[key]
            spans = "".join(f'<tspan x="{x + PAD}" y="{y + PAD + 10 + LINE * n:.1f}">{plain(line)}</tspan>' for n, line in enumerate(lines[key]))
            parts.append(
                f'<a class="ap-node ap-node-{ci}" href="{Markup.escape(href)}"><title>{plain(tip)}</title>'
                f'<rect x="{x}" y="{y:.1f}" width="{NODE_W[ci]}" height="{box_h[key]}" rx="4" fill="#fff" stroke="{COLOURS[ci]}" stroke-width="1.5"/>'
                f'<text fill="#1b1b1b">{spans}</text></a>'
            )
    desc = _("Map of the playbook: {p} phases, {s} steps, {l} lessons and {c} case studies, with the links between them.",
             p=len(project.phases), s=len(project.steps), l=len(project.lessons), c=len(project.cases))
    return Markup(
        f'<svg class="ap-chart ap-explore" viewBox="0 0 {width} {height:.0f}" width="{width}" height="{height:.0f}" role="group" '
        f'aria-labelledby="ap-explore-title" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="{FONT}">'
        f'<title id="ap-explore-title">{plain(desc)}</title>' + "".join(parts) + "</svg>"
    )
