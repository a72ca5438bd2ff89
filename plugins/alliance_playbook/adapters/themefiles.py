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
#: The filter ``Files.add_files_from_theme`` passes (MkDocs 1.6): it reads
#: only the theme's static templates, which the key holds.
MKDOCS_FILTER = "Files.add_files_from_theme.<locals>.filter"
#: (theme folders, static templates, MkDocs' own filter or none) -> (folders' times, names).
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
            # MkDocs' own filter (its theme assets) is known: its listing is
            # kept as it is. Any other filter is applied to the kept names.
            own = getattr(filter_func, "__qualname__", "") == MKDOCS_FILTER and extensions is None
            dirs = [str(d) for d in theme.dirs]
            key = (tuple(dirs), tuple(theme.static_templates), own)
            kept = _KEPT.get(key)
            if kept is None or not unchanged(kept[0]):
                folders = folder_times(dirs)
                kept = _KEPT[key] = (folders, list(list_templates(None, filter_func if own else None)))
            names = kept[1]
            if own:
                return list(names)
            if extensions is not None:
                names = [n for n in names if "." in n and n.rsplit(".", 1)[1] in extensions]
            return [n for n in names if filter_func(n)] if filter_func is not None else list(names)

        env.list_templates = listing
        return env

    theme.get_env = env_keeping_listing


__all__ = ["MKDOCS_FILTER", "folder_times", "keep_listing", "unchanged"]
