"""The navigation entries of generated sections (MkDocs ``nav`` format)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from ..i18n import Translator
from ..project import Project
from .sections import section_nav


class _Titles:
    """Navigation titles: the theme prints them without escaping."""

    def __init__(self, translate: Translator):
        self.translate = translate

    def label(self, english: str) -> str:
        """An interface label, translated and escaped."""
        return str(Markup.escape(self.translate(english)))

    def text(self, value: str) -> str:
        """Text from YAML, escaped."""
        return str(Markup.escape(value))


def generated_nav(project: Project, sections: Sequence[str], translate: Translator, nav_limit: int = 30) -> list[dict[str, Any]]:
    """Entries to append to the site navigation, in ``sections`` order."""
    titles = _Titles(translate)
    out: list[dict[str, Any]] = []
    for section in sections:
        kinds = project.registry.in_section(section)
        if kinds:
            for kind in kinds:
                out.extend(kind.nav(project, titles, nav_limit))
        else:
            out.extend(section_nav(project, section, titles))
    return out


def merged_nav(nav: list[Any], project: Project, sections: Sequence[str], translate: Translator, nav_limit: int) -> list[Any]:
    """``nav`` (the site's own) with each generated section it does not mention appended."""
    nav = list(nav)
    mentioned = nav_mentions(nav)
    for entry in generated_nav(project, sections, translate, nav_limit):
        if not nav_mentions(entry) & mentioned:
            nav.append(entry)
    return nav


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
