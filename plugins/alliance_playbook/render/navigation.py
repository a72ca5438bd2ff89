"""The navigation entries of generated sections (MkDocs ``nav`` format)."""

from __future__ import annotations

from typing import Any, Sequence

from markupsafe import Markup

from ..i18n import Translator
from ..project import Project
from .urls import page_src


def generated_nav(project: Project, sections: Sequence[str], _: Translator, nav_limit: int = 30) -> list[dict[str, Any]]:
    """Sections to append to the site navigation, in ``sections`` order.

    Detail pages (cases, lessons) are listed only while there are at most
    ``nav_limit`` of them: Material renders the whole navigation into every
    page, so thousands of entries would slow every page of the build.
    """
    esc = lambda text: str(Markup.escape(text))  # noqa: E731  (nav titles are not escaped by the theme)
    out: list[dict[str, Any]] = []
    for section in sections:
        if section == "playbook":
            items: list[Any] = [page_src("phase")]
            for phase in project.phases:
                items.append({esc(phase.title): [page_src("phase", phase.id)] + [page_src("step", s.id, s.phase) for s in project.steps_of(phase.id)]})
            out.append({esc(_("Playbook")): items})
        elif section == "checklist":
            out.append({esc(_("Master checklist")): page_src("checklist")})
        elif section == "worksheets":
            out.append({esc(_("Worksheets")): [page_src("worksheet")] + [page_src("worksheet", w) for w in project.worksheets]})
        elif section == "lessons":
            detail = [page_src("lesson", l) for l in project.lessons] if len(project.lessons) <= nav_limit else []
            out.append({esc(_("Lessons")): [page_src("lesson")] + detail})
        elif section == "casestudies":
            detail = [page_src("case", c) for c in project.cases] if len(project.cases) <= nav_limit else []
            out.append({esc(_("Case studies")): [page_src("case")] + detail})
        elif section == "explore":
            out.append({esc(_("Explore")): page_src("explore")})
        elif section == "reference":
            from .reference import KINDS

            out.append({esc(_("Reference")): [page_src("reference")] + [page_src("reference", k[1]) for k in KINDS]})
    return out


def nav_mentions(nav: Any) -> set[str]:
    """Every page path a ``nav`` config already lists."""
    found: set[str] = set()
    if isinstance(nav, str):
        found.add(nav)
    elif isinstance(nav, list):
        for item in nav:
            found |= nav_mentions(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            found |= nav_mentions(value)
    return found
