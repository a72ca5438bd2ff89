"""Hand-written guide pages: ``[[kind:id]]`` -> ordinary Markdown links."""

from __future__ import annotations

import posixpath

from ..markup.text import plain
from ..project import Project
from ..wikilinks import WikiLink, replace_links


def link_guide_page(markdown: str, src_uri: str, project: Project) -> str:
    """Rewrite wiki links as relative links to the target's ``.md`` source,
    so MkDocs (or any engine) resolves and checks them like any other link."""
    if "[[" not in markdown:
        return markdown
    here = posixpath.dirname(src_uri) or "."

    def render(link: WikiLink) -> str:
        target = project.get(link.kind, link.id)
        src = project.registry[link.kind].src(link.id, target)
        text = link.text or getattr(target, "title", link.id)
        # The title is YAML text: it must not end the link, start a line or
        # carry Markdown of its own (see markup.text.plain).
        return f"[{plain(text)}]({posixpath.relpath(src, here)})"

    return replace_links(markdown, render)
