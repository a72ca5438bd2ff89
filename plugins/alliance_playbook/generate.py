"""``alliance generate``: the whole site as a plain folder of Markdown.

Any engine that builds a folder of Markdown (plain MkDocs, ProperDocs, ...)
can build the output; with ``--config`` a plain ``mkdocs.yml`` (same theme
settings, no alliance plugin, the generated navigation) is written beside it.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .i18n import Translator
from .project import Project, load_project
from .render.guide import link_guide_page
from .render.navigation import generated_nav, nav_mentions
from .render.pages import ASSET_DIR, RenderOptions, SiteRenderer

STATIC = ("alliance.css", "checklist.js", "worksheet.js", "casefilter.js")


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, keeping ``!!python/name:`` and ``!ENV`` tags as text."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV [NAME, default]`` as MkDocs reads it."""
    import os

    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    *variables, default = names if len(names) > 1 else (names + [None])
    for name in variables:
        if str(name) in os.environ:
            return yaml.safe_load(os.environ[str(name)])
    return default


_LenientLoader.add_constructor("!ENV", _env)
_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: f"{suffix}")


def read_mkdocs_config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}


def plugin_options(config: dict[str, Any], name: str = "alliance") -> dict[str, Any]:
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and name in entry:
            return entry[name] or {}
    return {}


def generate(root: Path, out: Path, *, write_config: bool = False, drafts: bool = False) -> tuple[Project, int]:
    """Write every page (hand-written and generated) under ``out/docs``."""
    config = read_mkdocs_config(root / "mkdocs.yml")
    options = plugin_options(config)
    docs_dir = config.get("docs_dir", "docs" if not (root / "content").is_dir() else "content")
    project = load_project(root, content_dir=docs_dir, casestudies_dir=options.get("casestudies_dir", "casestudies"), include_drafts=drafts)
    theme = config.get("theme") or {}
    language = options.get("language") or (theme.get("language") if isinstance(theme, dict) else None) or "en"
    sections = options.get("sections") or list(RenderOptions().sections)
    renderer = SiteRenderer(project, RenderOptions(
        directory_urls=config.get("use_directory_urls", True), language=language, site_name=config.get("site_name", ""),
        site_url=config.get("site_url", "") or "", template_dirs=[root / options.get("templates_dir", "overrides/alliance")],
        sections=sections,
    ))
    docs = out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    count = 0
    content = root / docs_dir
    for path in sorted(content.rglob("*")):
        if not path.is_file() or path.suffix in (".yml", ".yaml"):
            continue
        rel = path.relative_to(content).as_posix()
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            target.write_text(link_guide_page(path.read_text(encoding="utf-8"), rel, project), encoding="utf-8")
            count += 1
        else:
            shutil.copy(path, target)
    for page in renderer.pages():
        target = docs / page.src_uri
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
        count += 1
    for rel, text in renderer.data_files():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    assets = resources.files("alliance_playbook").joinpath("assets")
    (docs / ASSET_DIR).mkdir(parents=True, exist_ok=True)
    for name in STATIC:
        (docs / ASSET_DIR / name).write_bytes(assets.joinpath(name).read_bytes())
    if write_config:
        (out / "mkdocs.yml").write_text(_plain_config(config, project, sections, Translator(language), options), encoding="utf-8")
    return project, count


def _plain_config(config: dict[str, Any], project: Project, sections: list[str], _: Translator, options: dict[str, Any]) -> str:
    """The same site settings without our plugins: for plain MkDocs/ProperDocs."""
    plain = {k: v for k, v in config.items() if k not in ("plugins", "docs_dir", "nav", "strict")}
    plain["docs_dir"] = "docs"
    plugins = []
    for entry in config.get("plugins") or []:
        name = entry if isinstance(entry, str) else next(iter(entry))
        if not name.startswith("alliance"):
            plugins.append(entry)
    plain["plugins"] = plugins
    nav = list(config.get("nav") or [])
    mentioned = nav_mentions(nav)
    for entry in generated_nav(project, sections, _, int(options.get("nav_limit", 30))):
        if not nav_mentions(entry) & mentioned:
            nav.append(entry)
    plain["nav"] = nav
    plain.setdefault("extra_css", [])
    plain["extra_css"] = list(plain["extra_css"]) + [f"{ASSET_DIR}/alliance.css"]
    return yaml.safe_dump(plain, sort_keys=False, allow_unicode=True)
