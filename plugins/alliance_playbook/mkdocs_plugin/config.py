"""Options of the ``alliance`` plugin (one line each, as in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config


class AllianceConfig(Config):
    #: Folder of case study YAML files, relative to mkdocs.yml.
    casestudies_dir = opt.Type(str, default="casestudies")
    #: Build draft case studies too (marked as drafts). Also: ALLIANCE_DRAFTS=1.
    drafts = opt.Type(bool, default=False)
    #: Which generated sections to build, in navigation order.
    sections = opt.ListOfItems(
        opt.Choice(("playbook", "checklist", "worksheets", "lessons", "casestudies", "explore", "reference", "data")),
        default=["playbook", "checklist", "worksheets", "lessons", "casestudies", "explore", "reference", "data"],
    )
    #: Language of generated labels (en, es); default: theme.language.
    language = opt.Optional(opt.Type(str))
    #: Folder with template overrides (a file there replaces the built-in one).
    templates_dir = opt.Type(str, default="overrides/alliance")
    #: List detail pages (cases, lessons) in the sidebar up to this many; more
    #: are reached through their index page, which keeps big builds fast.
    nav_limit = opt.Type(int, default=30)
    #: Organization that publishes the guide (cover and author of the PDF).
    organization = opt.Type(str, default="")
