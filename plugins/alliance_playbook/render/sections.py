"""The sections that belong to no kind: the master checklist, the explore
map and the YAML reference (pages), and their navigation entries."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any

from ..kinds.base import GeneratedPage, NavText
from ..model.enums import BUILTIN_ENUMS, LESSON_KIND_LABELS
from ..urls import src_to_url_file
from .reference import reference_kinds, reference_tables

if TYPE_CHECKING:
    from ..project import Project
    from .site import PageRenderer


def section_pages(site: PageRenderer, section: str) -> list[GeneratedPage]:
    """The pages of a section that no kind owns (none for a kind's section)."""
    if section == "checklist":
        return [site.page("checklist.md.j2", "checklist/index.md", site.translate("Master checklist"), "checklist", scripts=("checklist.js",))]
    if section == "explore":
        return [explore_page(site)]
    if section == "reference":
        return reference_pages(site)
    if section == "data":
        from .downloads import downloads_pages

        return downloads_pages(site)
    return []


def section_nav(project: Project, section: str, titles: NavText) -> list[Any]:
    """The navigation entries of a section that no kind owns."""
    if section == "checklist":
        return [{titles.label("Master checklist"): "checklist/index.md"}]
    if section == "explore":
        return [{titles.label("Explore"): "explore/index.md"}]
    if section == "reference":
        return [{titles.label("Reference"): ["reference/index.md"] + [f"reference/{k.schema_name}.md" for k in reference_kinds(project.registry)]}]
    if section == "data":
        return [{titles.label("Downloads"): ["downloads/index.md", "data/index.md"]}]
    return []


def explore_page(site: PageRenderer) -> GeneratedPage:
    """The explore page, with its map."""
    from .explore import explore_svg

    src = "explore/index.md"
    link, _asset = site.link_from(src_to_url_file(src, site.options.directory_urls))
    return site.page("explore.md.j2", src, site.translate("Explore"), "explore", hide=("navigation", "toc"),
                     svg=explore_svg(site.project, site.graph, link, site.translate))


def reference_pages(site: PageRenderer) -> list[GeneratedPage]:
    """The YAML reference, generated from the model's JSON Schema."""
    tables = reference_tables(site.project.registry)
    examples = resources.files("alliance_playbook").joinpath("templates", "reference", "examples")
    index_src = "reference/index.md"
    link, _asset = site.link_from(src_to_url_file(index_src, site.options.directory_urls))
    enums = list(BUILTIN_ENUMS.items()) + [("lesson_kind", LESSON_KIND_LABELS)]
    pages = [site.page("reference_index.md.j2", index_src, site.translate("Reference"), "reference", tables=tables, enums=enums,
                       ref_link=lambda page_id: link("reference", page_id))]
    for page_id, title, where, rows in tables:
        example_file = examples.joinpath(f"{page_id}.yml")
        example = example_file.read_text(encoding="utf-8") if example_file.is_file() else ""
        pages.append(site.page("reference.md.j2", f"reference/{page_id}.md", site.translate(title), "reference",
                               kind_title=site.translate(title).lower(), where=where, rows=rows, example=example))
    return pages
