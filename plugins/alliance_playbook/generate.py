"""``alliance generate``: the whole site as a plain folder of Markdown.

Any engine that builds a folder of Markdown (plain MkDocs, ProperDocs, ...)
can build the output; with ``--config`` a plain ``mkdocs.yml`` (same theme
settings, no alliance plugin, the generated navigation) is written beside it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager, suppress
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

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


#: In every output folder: a folder with this file was written by this command,
#: so a later run may replace its docs/ (and mkdocs.yml). Nothing else is ever replaced.
MARKER = ".alliance-generated"
MARKER_TEXT = """This folder was written by `alliance generate`.

Running `alliance generate --out` with this folder again replaces its docs/
folder (and mkdocs.yml, with --config); other files here are left alone.
Delete this file to keep the command from ever replacing anything here.
"""
#: Scratch folders inside the output folder while a run writes (renamed into place at the end).
SCRATCH_PREFIX = ".alliance-generate-"


class OutputRefused(Exception):
    """The output folder cannot be written without risking files the command did not write.

    Raised before anything is written or deleted; the message says what to do instead.
    """


def generate(root: Path, out: Path, *, write_config: bool = False, drafts: bool = False) -> tuple[Project, int]:
    """Write every page (hand-written and generated) under ``out/docs``.

    ``out`` must be empty, new, or written by an earlier run (it has :data:`MARKER`),
    and must not overlap the project's sources: :class:`OutputRefused` otherwise,
    before anything is written. The new ``docs/`` is written beside the old one
    and renamed into place at the end, so a failure leaves the earlier output whole.
    """
    root, out = Path(root), Path(out)
    config = read_mkdocs_config(root / "mkdocs.yml")
    options = plugin_options(config)
    docs_dir = config.get("docs_dir", "docs" if not (root / "content").is_dir() else "content")
    check_output(root, out, source_folders(root, config, options, docs_dir))
    project = load_project(root, content_dir=docs_dir, casestudies_dir=options.get("casestudies_dir", "casestudies"), include_drafts=drafts)
    theme = config.get("theme") or {}
    language = options.get("language") or (theme.get("language") if isinstance(theme, dict) else None) or "en"
    sections = options.get("sections") or list(RenderOptions().sections)
    renderer = SiteRenderer(project, RenderOptions(
        directory_urls=config.get("use_directory_urls", True), language=language, site_name=config.get("site_name", ""),
        site_url=config.get("site_url", "") or "", template_dirs=[root / options.get("templates_dir", "overrides/alliance")],
        sections=sections,
    ))
    with _staging(out) as scratch:
        count = _write_docs(scratch / "docs", root / docs_dir, project, renderer)
        if write_config:
            (scratch / "mkdocs.yml").write_text(_plain_config(config, project, sections, Translator(language), options), encoding="utf-8")
    return project, count


def source_folders(root: Path, config: dict[str, Any], options: dict[str, Any], docs_dir: str) -> dict[str, Path]:
    """The project's hand-written folders, by what they are: no output may land in or around them."""
    folders = {
        "docs_dir": root / docs_dir,
        "casestudies_dir": root / options.get("casestudies_dir", "casestudies"),
        "templates_dir": root / options.get("templates_dir", "overrides/alliance"),
    }
    theme = config.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        folders["theme custom_dir"] = root / theme["custom_dir"]
    return folders


def check_output(root: Path, out: Path, sources: dict[str, Path]) -> None:
    """Refuse an ``out`` that would write over, or delete, files the command did not write.

    Paths are compared resolved (links followed, ``..`` taken out), so
    ``--out content/..`` or a link to the project is the project itself.
    """
    project, target = root.resolve(), out.resolve()
    hint = "choose a folder outside the project's sources, for example --out build/generated (nothing was written)"
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"--out {out} is a file, not a folder; choose a folder (nothing was written)")
    if out.is_symlink() and not out.exists():
        raise OutputRefused(f"--out {out} is a link to nothing ({os.readlink(out)}); remove the link or choose another folder (nothing was written)")
    if target == project:
        raise OutputRefused(f"--out {out} is the project folder itself (its docs/ would be replaced); {hint}")
    if _within(project, target):
        raise OutputRefused(f"--out {out} contains the project {project}; {hint}")
    # What a run replaces: the folder's docs/ and mkdocs.yml, wherever links in it point.
    replaced = [(out / "docs").resolve(), (out / "mkdocs.yml").resolve()]
    for name, folder in sources.items():
        source = folder.resolve()
        if _within(target, source):
            raise OutputRefused(f"--out {out} lies inside the project's {name} ({_shown(folder, root)}); {hint}")
        if any(_within(path, source) or _within(source, path) for path in [target, *replaced]):
            raise OutputRefused(f"--out {out} would replace the project's {name} ({_shown(folder, root)}); {hint}")
    for name in ("docs", "mkdocs.yml"):
        if (out / name).is_symlink():
            raise OutputRefused(f"{out / name} is a symbolic link, and alliance generate replaces it; remove the link or choose another folder (nothing was written)")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise OutputRefused(f"{out} exists and was not written by alliance generate; choose an empty folder or remove it yourself (nothing was written)")


def _within(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or lies inside it (both resolved)."""
    return path == folder or folder in path.parents


def _shown(folder: Path, root: Path) -> str:
    try:
        return folder.relative_to(root).as_posix() + "/"
    except ValueError:
        return folder.as_posix()


@contextmanager
def _staging(out: Path) -> Iterator[Path]:
    """A scratch folder inside ``out``; at the end its ``docs`` and ``mkdocs.yml`` replace ``out``'s.

    The scratch folder is on the same file system as the target, so the
    swap is a rename: until then the earlier output stays as it was, and a
    failure or Ctrl-C leaves no half-written folder.
    """
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # before anything else lands here
    for leftover in out.glob(SCRATCH_PREFIX + "*"):  # from a run that was killed; ours (the folder is marked)
        shutil.rmtree(leftover, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=out))
    done = False
    try:
        yield scratch
        _swap(scratch / "docs", out / "docs", scratch / "previous-docs")
        if (scratch / "mkdocs.yml").exists():
            os.replace(scratch / "mkdocs.yml", out / "mkdocs.yml")
        done = True
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if created and not done:  # leave no folder behind that only says it was written
            (out / MARKER).unlink(missing_ok=True)
            with suppress(OSError):
                out.rmdir()


def _swap(new: Path, target: Path, aside: Path) -> None:
    """Put ``new`` where ``target`` is; the old ``target`` moves to ``aside`` (put back if the swap fails)."""
    old = target.exists() or target.is_symlink()
    if old:
        os.replace(target, aside)
    try:
        os.replace(new, target)
    except BaseException:
        if old:
            os.replace(aside, target)
        raise


def _write_docs(docs: Path, content: Path, project: Project, renderer: SiteRenderer) -> int:
    """Write the hand-written and generated pages, data files and assets into ``docs``; returns the page count."""
    docs.mkdir(parents=True)
    count = 0
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
    return count


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
