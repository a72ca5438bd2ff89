"""Which files a project is made of, refusing what must never be published.

MkDocs publishes whatever its docs folder holds and follows symbolic links
while doing so: a page linked to ``/proc/self/environ`` puts the build's
environment (its tokens) into a page and the search index; a link to
``../.git/config`` publishes the CI's access token; a link to a folder that
contains it sends MkDocs round in circles. This module walks the folders a
build reads and allows a link only to a file or folder inside those same
folders (copy anything else in); it reports every other link, every dangling
link, every folder or file it cannot read, and every file name with a
control character in it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, printable

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: The largest hand-written page (bytes): a book chapter is a few dozen kB.
MAX_PAGE_BYTES = 2_000_000


@dataclass
class SourceTree:
    """The regular files under some folders of a project, and the problems met."""

    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Symbolic links refused (the loader must not read through them).
    refused: set[Path] = field(default_factory=set)


def _display(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def scan(root: Path, folders: list[Path]) -> SourceTree:
    """Walk ``folders`` (inside ``root``) as a build would read them.

    Links inside the project are followed once (a loop is walked once);
    links that leave it, and dangling ones, are refused with a problem.
    """
    root = root.resolve()
    tree = SourceTree()
    seen_dirs: set[Path] = set()
    folders = [f for f in folders if f.exists() or f.is_symlink()]
    # A link may point into any of the folders the build reads, as they really are.
    allowed = [Path(os.path.realpath(f)) for f in folders if not f.is_symlink()]
    for folder in folders:
        if folder.is_symlink() and not _link_ok(root, folder, tree, allowed):
            continue
        if folder.is_dir():
            allowed.append(Path(os.path.realpath(folder)))
            _walk(root, folder, tree, seen_dirs, allowed)
    tree.files.sort()
    return tree


def _refuse(tree: SourceTree, link: Path, display: str, message: str) -> bool:
    tree.problems.append(Problem(display, 1, 1, "", message))
    tree.refused.add(link)
    return False


def _link_ok(root: Path, link: Path, tree: SourceTree, allowed: list[Path]) -> bool:
    """Whether a symbolic link may be read; a problem for it otherwise."""
    display = _display(root, link)
    try:
        target = Path(os.path.realpath(link, strict=True))
    except OSError as exc:
        if not Path(os.path.realpath(link)).exists() and exc.errno != 40:
            return _refuse(tree, link, display, f"is a symbolic link to {printable(os.readlink(link))}, which does not exist; remove the link or point it at a file of the project")
        return _refuse(tree, link, display, f"is a symbolic link that cannot be followed ({exc.strerror or exc}): a loop of links; remove it")
    if not target.is_relative_to(root):
        return _refuse(tree, link, display, "is a symbolic link to a file outside the project; files from elsewhere on this machine are never published: copy the file into the project instead")
    inside = next((folder for folder in allowed if target.is_relative_to(folder)), None)
    if inside is None or any(part.startswith(".") for part in target.relative_to(inside).parts):
        shown = target.relative_to(root).as_posix()
        return _refuse(tree, link, display, f"is a symbolic link to {printable(shown)}, outside the folders the site is built from; "
                                            "a link may only point at another file of these folders: copy the file in instead")
    if target.is_dir() and Path(os.path.realpath(link.parent)).is_relative_to(target):
        return _refuse(tree, link, display, "is a symbolic link to a folder that contains it: the build would walk round in circles; remove it")
    return True


def _walk(root: Path, folder: Path, tree: SourceTree, seen_dirs: set[Path], allowed: list[Path]) -> None:
    real = Path(os.path.realpath(folder))
    if real in seen_dirs:
        return
    seen_dirs.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        tree.problems.append(Problem(_display(root, folder), 1, 1, "", f"cannot read this folder: {exc.strerror or exc}"))
        return
    for entry in entries:
        path = Path(entry.path)
        if _UNPRINTABLE.search(entry.name):
            tree.problems.append(Problem(printable(_display(root, path)), 1, 1, "", "the file name has a control character in it (it would garble messages and links); rename it"))
            tree.refused.add(path)
            continue
        try:
            if entry.is_symlink():
                if not _link_ok(root, path, tree, allowed):
                    continue
                if path.is_dir():
                    _walk(root, path, tree, seen_dirs, allowed)
                elif path.is_file():
                    tree.files.append(path)
            elif entry.is_dir(follow_symlinks=False):
                _walk(root, path, tree, seen_dirs, allowed)
            elif entry.is_file(follow_symlinks=False):
                tree.files.append(path)
        except OSError as exc:
            tree.problems.append(Problem(_display(root, path), 1, 1, "", f"cannot read this file: {exc.strerror or exc}"))


def read_page(path: Path, display: str, limit: int = MAX_PAGE_BYTES) -> tuple[str | None, list[Problem]]:
    """A hand-written page's text, or None with the reason (unreadable, too
    large, not UTF-8)."""
    try:
        size = path.stat().st_size
        if size > limit:
            return None, [Problem(display, 1, 1, "", f"the page is {size / 1e6:.1f} MB; pages of at most {limit / 1e6:.0f} MB are allowed: split it into several pages")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, 1, 1, "", f"cannot read the file: {exc.strerror or exc}")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(display, line, col, "", f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8")]
