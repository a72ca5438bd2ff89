"""The theme's files, listed once per ``mkdocs serve`` session while its folders stay.

Before every build MkDocs lists every file of the theme to copy its assets
(``Files.add_files_from_theme``, through the theme's Jinja environment).
Material has 14,500 files (its icons): 60-80 ms a rebuild, more than a
partial rebuild spends on most of its pages. In ``mkdocs serve`` the listing
is kept while no folder of the theme changed: adding, removing or renaming
a file changes its folder's modification time; editing one in place changes
nothing that is listed. A build outside ``serve`` lists as MkDocs does.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

Folders = tuple[tuple[str, int], ...]
#: (theme folders, static templates, extensions, filter's code) -> (folders' times, names).
_KEPT: dict[Any, tuple[Folders, list[str]]] = {}


def folder_times(roots: list[str]) -> Folders:
    """Every folder under ``roots`` with its modification time."""
    out: list[tuple[str, int]] = []
    for root in roots:
        for path, _dirs, _files in os.walk(root):
            out.append((path, _mtime(path)))
    return tuple(out)


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def unchanged(folders: Folders) -> bool:
    """Whether the folders listed are as they were (a new subfolder changes its parent's time)."""
    return all(_mtime(path) == time for path, time in folders)


def keep_listing(theme: Any) -> None:
    """Make ``theme``'s environments keep their listing of files for the session."""
    get_env: Callable[[], Any] = theme.get_env

    def env_keeping_listing() -> Any:
        env = get_env()
        list_templates = env.list_templates

        def listing(extensions: Any = None, filter_func: Any = None) -> list[str]:
            code = getattr(filter_func, "__code__", None)
            if filter_func is not None and code is None:  # not a function: nothing to key it on
                return list(list_templates(extensions, filter_func))
            dirs = [str(d) for d in theme.dirs]
            key = (tuple(dirs), tuple(theme.static_templates), extensions if extensions is None else tuple(extensions), code)
            kept = _KEPT.get(key)
            if kept is not None and unchanged(kept[0]):
                return list(kept[1])
            folders = folder_times(dirs)
            names = list(list_templates(extensions, filter_func))
            _KEPT[key] = (folders, names)
            return list(names)

        env.list_templates = listing
        return env

    theme.get_env = env_keeping_listing


__all__ = ["folder_times", "keep_listing", "unchanged"]
