"""A Markdown field converted the ways a build converts it, for the tests
and the benchmark of model/markdown_limits.py: standalone
(markup/markdown.py), in the MkDocs page pass (the site's mkdocs.yml,
through MkDocs' own Page), and with a fork's usual extra extensions."""

from __future__ import annotations

import functools
import html
from pathlib import Path

import markdown

from alliance_playbook.markup.markdown import MarkdownFields, cut_islands, islands_section

ROOT = Path(__file__).resolve().parent.parent
NONCE = "0123456789abcdef"
#: A wiki link is replaced by a link with its target's title (case study titles
#: are at most 120 characters).
TITLE = ("The longest title a case study may have, one hundred and twenty characters " * 2)[:120]
#: Extensions forks often add (Material for MkDocs' recommended set, without
#: those that read files or need JavaScript).
FORK_EXTRAS = [
    "abbr", "def_list", "footnotes", "pymdownx.betterem", "pymdownx.caret", "pymdownx.mark", "pymdownx.tilde",
    "pymdownx.emoji", "pymdownx.keys", "pymdownx.smartsymbols", "pymdownx.tabbed", "pymdownx.tasklist",
]


def link_html(link, page_url: str) -> str:
    return f'<a href="../../casestudies/{link.id}/" class="ap-xref">{html.escape(link.text or TITLE)}</a>'


def standalone(text: str) -> str:
    return str(MarkdownFields(link_html).render(text, "lessons/x/"))


@functools.lru_cache(maxsize=1)
def _site_config():
    from mkdocs.config import load_config

    return load_config(str(ROOT / "mkdocs.yml"))


def _as_island(text: str) -> tuple[str, list[str]]:
    fields = MarkdownFields(link_html, NONCE)
    slot = str(fields.render(text, "lessons/x/"))
    islands = fields.take_islands()
    return "# Lesson\n\nIntroduction.\n\n" + slot + "\n" + islands_section(NONCE, islands), islands


def site(text: str) -> str:
    """The field as the plugin hands it to MkDocs, converted by MkDocs' Page."""
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    config = _site_config()
    page_markdown, islands = _as_island(text)
    file = File("lessons/x.md", config.docs_dir, config.site_dir, config.use_directory_urls)
    page = Page(None, file, config)
    page.markdown = page_markdown
    page.render(config, Files([file]))
    return "".join(cut_islands(page.content, NONCE, len(islands))[1]) if islands else page.content


def fork(text: str) -> str:
    config = _site_config()
    md = markdown.Markdown(extensions=[*config.markdown_extensions, *FORK_EXTRAS], extension_configs=config.mdx_configs)
    page_markdown, islands = _as_island(text)
    converted = md.convert(page_markdown)
    return "".join(cut_islands(converted, NONCE, len(islands))[1]) if islands else converted


CONVERTERS = {"standalone": standalone, "site": site, "fork": fork}
