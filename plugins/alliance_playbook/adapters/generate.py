"""``alliance generate``: the whole site as a plain folder of Markdown.

Any engine that builds a folder of Markdown (plain MkDocs, ProperDocs, ...)
can build the output; with ``--config`` a plain ``mkdocs.yml`` (same theme
settings, no alliance plugin, the generated navigation) is written beside it,
with what the plugin would have added so the build stays offline-safe on any
engine that reads it (MkDocs, ProperDocs, Zensical): the theme overrides
(the repository widget that calls no host's API) under :data:`THEME_DIR` as
``theme.custom_dir``, the vendored iframe-worker shim named in
``extra.polyfills`` (else Material's offline build loads it from a CDN), and
``extra.generator: false``.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from ..i18n import Translator
from ..project import Project
from ..render.guide import link_guide_page
from ..render.navigation import merged_nav
from ..render.site import PageRenderer
from ..settings import Settings
from . import glue
from .config import settings_from_file


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, keeping ``!!python/name:`` and ``!ENV`` tags as text."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV [NAME, default]`` as MkDocs reads it."""
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]  # type: ignore[arg-type]
    *variables, default = names if len(names) > 1 else (names + [None])
    for name in variables:
        if str(name) in os.environ:
            return yaml.safe_load(os.environ[str(name)])
    return default


_LenientLoader.add_constructor("!ENV", _env)
_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: f"{suffix}")


def read_mkdocs_config(path: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as written (tags kept as text), to write a plain copy of it."""
    if not path.is_file():
        return {}
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}


#: Where ``--config`` puts the theme overrides (ours, then the project's own custom_dir over them).
THEME_DIR = "overrides"

#: In every output folder: a folder with this file was written by this command,
#: so a later run may replace its docs/ (and mkdocs.yml and overrides/). Nothing else is ever replaced.
MARKER = ".alliance-generated"
MARKER_TEXT = """This folder was written by `alliance generate`.

Running `alliance generate --out` with this folder again replaces its docs/
folder (and mkdocs.yml and overrides/, with --config); other files here are
left alone.
Delete this file to keep the command from ever replacing anything here.
"""
#: Scratch folders inside the output folder while a run writes (renamed into place at the end).
SCRATCH_PREFIX = ".alliance-generate-"


class OutputRefused(Exception):
    """The output folder cannot be written without risking files the command did not write.

    Raised before anything is written or deleted; the message says what to do instead.
    """


def generate(root: Path, out: Path, *, write_config: bool = False, drafts: bool = False,
             settings: Settings | None = None) -> tuple[Project, int]:
    """Write every page (hand-written and generated) under ``out/docs``.

    ``out`` must be empty, new, or written by an earlier run (it has :data:`MARKER`),
    and must not overlap the project's sources: :class:`OutputRefused` otherwise,
    before anything is written. The new ``docs/`` is written beside the old one
    and renamed into place at the end, so a failure leaves the earlier output whole.
    """
    root, out = Path(root), Path(out)
    settings = settings or settings_from_file(root)
    if drafts:
        settings = replace(settings, drafts=True)
    check_output(root, out, source_folders(root, settings))
    project = glue.load(settings)
    renderer = PageRenderer(project, glue.render_options(settings, project))
    with _staging(out) as scratch:
        count, moved = _write_docs(scratch / "docs", root / settings.docs_dir, project, renderer)
        if write_config:
            config = read_mkdocs_config(root / "mkdocs.yml")
            _copy_theme(scratch / THEME_DIR, root / settings.theme_dir if settings.theme_dir else None)
            path, data = glue.shim_file()
            (scratch / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
            (scratch / "docs" / path).write_bytes(data)
            (scratch / "mkdocs.yml").write_text(_plain_config(config, project, settings, moved), encoding="utf-8")
    return project, count


def source_folders(root: Path, settings: Settings) -> dict[str, Path]:
    """The project's hand-written folders, by what they are: no output may land in or around them."""
    folders = {
        "docs_dir": root / settings.docs_dir,
        "casestudies_dir": root / settings.casestudies_dir,
        "templates_dir": root / settings.templates_dir,
    }
    if settings.theme_dir:
        folders["theme custom_dir"] = root / settings.theme_dir
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
        if (scratch / THEME_DIR).exists():
            _swap(scratch / THEME_DIR, out / THEME_DIR, scratch / "previous-overrides")
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


def portable_src(src: str) -> str:
    """Where a generated page goes in the output: ``<its URL>/index.md``.

    Engines read a relative address in a page two ways: MkDocs and ProperDocs
    leave raw HTML as written (relative to the page's URL), Zensical rewrites
    every relative address as relative to the source file. For an
    ``index.md`` the two are the same folder, so the generated pages' links
    (raw HTML, relative to their URL) land right on every engine; the URLs
    do not change (``casestudies/<id>.md`` and ``casestudies/<id>/index.md``
    both build ``casestudies/<id>/``).
    """
    return src if posixpath.basename(src) in ("index.md", "README.md") else src[: -len(".md")] + "/index.md"


_MD_LINK = re.compile(r"\]\(([^()\s]+?\.md)(#[^()\s]*)?\)")


def _relink(markdown: str, here: str, moved: dict[str, str]) -> str:
    """Markdown links of a hand-written page (at ``here``) to pages that moved, pointed at their new place."""
    folder = posixpath.dirname(here)

    def fix(m: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(folder, m.group(1)))
        if target not in moved:
            return m.group(0)
        return f"]({posixpath.relpath(moved[target], folder or '.')}{m.group(2) or ''})"

    return _MD_LINK.sub(fix, markdown)


def _write_docs(docs: Path, content: Path, project: Project, renderer: PageRenderer) -> tuple[int, dict[str, str]]:
    """Write the hand-written and generated pages, data files and assets into ``docs``;
    returns the page count and where each generated page moved (see :func:`portable_src`)."""
    docs.mkdir(parents=True)
    count = 0
    handwritten = {path.relative_to(content).as_posix() for path in content.rglob("*.md") if path.is_file()}
    pages = [page for page in renderer.pages() if page.src_uri not in handwritten]
    moved = {page.src_uri: portable_src(page.src_uri) for page in pages if portable_src(page.src_uri) != page.src_uri}
    for path in sorted(content.rglob("*")):
        if not path.is_file() or path.suffix in (".yml", ".yaml"):
            continue
        rel = path.relative_to(content).as_posix()
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            target.write_text(_relink(link_guide_page(path.read_text(encoding="utf-8"), rel, project), rel, moved), encoding="utf-8")
            count += 1
        else:
            shutil.copy(path, target)
    for page in pages:
        target = docs / moved.get(page.src_uri, page.src_uri)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
        count += 1
    for rel, text in [*renderer.assets(), *renderer.data_files()]:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    for rel, data in glue.asset_files():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_bytes(data)
    return count, moved


def _moved_nav(nav: Any, moved: dict[str, str]) -> Any:
    """The navigation with each generated page at its new place."""
    if isinstance(nav, str):
        return moved.get(nav, nav)
    if isinstance(nav, list):
        return [_moved_nav(item, moved) for item in nav]
    if isinstance(nav, dict):
        return {key: _moved_nav(value, moved) for key, value in nav.items()}
    return nav


def _plain_config(config: dict[str, Any], project: Project, settings: Settings, moved: dict[str, str]) -> str:
    """The same site settings without our plugins: for plain MkDocs/ProperDocs."""
    plain = {k: v for k, v in config.items() if k not in ("plugins", "docs_dir", "nav", "strict")}
    plain["docs_dir"] = "docs"
    plugins = []
    for entry in config.get("plugins") or []:
        name = entry if isinstance(entry, str) else next(iter(entry))
        if not name.startswith("alliance"):
            plugins.append(entry)
    plain["plugins"] = plugins
    plain["nav"] = _moved_nav(merged_nav(list(config.get("nav") or []), project, glue.sections(settings, project),
                                         Translator(settings.language), settings.nav_limit), moved)
    plain["extra_css"] = list(plain.get("extra_css") or []) + [glue.ASSETS_CSS]
    # What the plugin adds on any engine: our theme overrides, the local
    # iframe-worker shim instead of a CDN's, no "Made with" generator link.
    theme = dict(plain.get("theme") or {}) if isinstance(plain.get("theme"), dict) else {"name": plain.get("theme") or "material"}
    theme["custom_dir"] = THEME_DIR
    plain["theme"] = theme
    extra = dict(plain.get("extra") or {})
    polyfills = [url for url in extra.get("polyfills") or [] if "iframe-worker" not in str(url)]
    extra["polyfills"] = [*polyfills, glue.SHIM]
    extra["generator"] = False
    plain["extra"] = extra
    return yaml.safe_dump(plain, sort_keys=False, allow_unicode=True)


def _copy_theme(target: Path, own: Path | None) -> None:
    """Our theme overrides into ``target``, then the project's own custom_dir over them (theirs win, as in the plugin)."""
    shutil.copytree(glue.theme_dir(), target, dirs_exist_ok=True)
    if own is not None and own.is_dir():
        shutil.copytree(own, target, dirs_exist_ok=True, symlinks=False)
