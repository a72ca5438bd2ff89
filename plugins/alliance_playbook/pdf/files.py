"""PDF files are written whole or not at all.

A PDF is written under a hidden scratch name in its own folder and renamed
to its real name when it is complete (a rename within a folder replaces the
old file in one step), so a failed or interrupted build never leaves a
half-written PDF that looks like a finished one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCRATCH_SUFFIX = ".tmp"


def scratch_path(target: Path) -> Path:
    """A hidden name beside ``target``, unique to this process: ``.book.pdf.1234-9f3a.tmp``."""
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(3)}{SCRATCH_SUFFIX}")


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Write to the path this yields; it becomes ``target`` when the block ends without an error."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = scratch_path(target)
    try:
        yield scratch
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)  # gone already once renamed


def remove_scratch_files(folder: Path) -> None:
    """Remove the scratch files a stopped process could not remove itself (see :func:`replacing`)."""
    for path in Path(folder).glob(f".*.pdf.*{SCRATCH_SUFFIX}"):
        path.unlink(missing_ok=True)


@contextmanager
def private_tempdir() -> Iterator[Path]:
    """A temporary folder for everything the PDF step's processes put in
    the temporary directory, removed at the end whatever happens.

    WeasyPrint copies each ``@font-face`` font into a folder of its own
    there and removes it when the process ends normally; a worker stopped
    by Ctrl-C cannot, so without this its copies of the bundled fonts would
    stay behind. Spawned workers inherit the folder through ``TMPDIR``.
    """
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="alliance-pdf-"))
    saved_env, saved_dir = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = str(folder), str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved_dir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        shutil.rmtree(folder, ignore_errors=True)
