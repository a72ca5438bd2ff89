"""The offline copy: the whole site built for ``file://`` and packed in one
zip, which the downloads page offers.

``mkdocs build`` makes it after the site (and its PDFs) are written: a second
build of the same ``mkdocs.yml`` in a child process, with ALLIANCE_OFFLINE=true
(page addresses as ``.html`` files, search from a script, the bundled
iframe-worker shim) and without PDFs, packed into
``<site>/downloads/<site-slug>-offline.zip`` under one folder. The zip is
reproducible: entries sorted, one timestamp (SOURCE_DATE_EPOCH when set),
fixed permissions. ALLIANCE_OFFLINE_ZIP=0 (or ``offline_copy: false``)
skips it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

#: Material's search index as a script (the offline plugin's, read on file://) and as JSON.
SEARCH_SCRIPT, SEARCH_JSON = "search/search_index.js", "search/search_index.json"
#: The oldest time a zip entry can carry.
_ZIP_EPOCH = 315532800  # 1980-01-01


class OfflineCopyError(Exception):
    """The offline build failed; the message carries its last lines."""


def build_offline_copy(config_file: str, zip_path: Path, folder: str, *, strict: bool = False) -> int:
    """Build the site for ``file://`` and write it to ``zip_path`` under
    ``folder/``. Returns the zip's size. Raises :class:`OfflineCopyError`."""
    with tempfile.TemporaryDirectory(prefix="alliance-offline-") as scratch:
        site = Path(scratch) / "site"
        env = {**os.environ, "ALLIANCE_OFFLINE": "true", "ALLIANCE_PDF": "0", "ALLIANCE_OFFLINE_ZIP": "0", "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", config_file, "--site-dir", str(site)]
        if strict:
            command.append("--strict")
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not (site / "index.html").is_file():
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
            raise OfflineCopyError(f"the offline copy could not be built (exit {done.returncode}):\n{tail}")
        return write_zip(site, zip_path, folder)


def write_zip(source: Path, zip_path: Path, folder: str) -> int:
    """Pack ``source`` into ``zip_path`` (atomically) as ``folder/...``;
    returns the zip's size. Symbolic links are not followed, and the search
    index's JSON is left out when its script is there."""
    stamp = time.gmtime(max(_ZIP_EPOCH, int(os.environ.get("SOURCE_DATE_EPOCH") or 0) or _ZIP_EPOCH))[:6]
    files = sorted(p for p in source.rglob("*") if p.is_file() and not p.is_symlink())
    # The theme's search reads its index from the script on file://; the
    # same index as JSON (a fetch(), which browsers refuse there) is left out.
    if (source / SEARCH_SCRIPT).is_file():
        files = [p for p in files if p != source / SEARCH_JSON]
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_name(zip_path.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for path in files:
                info = zipfile.ZipInfo(f"{folder}/{path.relative_to(source).as_posix()}", date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                with path.open("rb") as handle, zf.open(info, "w") as out:
                    shutil.copyfileobj(handle, out, 1 << 20)
        partial.replace(zip_path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return zip_path.stat().st_size


def fill_sizes(site_dir: Path, pages: list[Path]) -> list[str]:
    """Write each offered file's size into the pages that show it (see
    :func:`..render.downloads.size_placeholder`). Returns the site paths
    offered but not built (their placeholder says so)."""
    import re

    from markupsafe import Markup

    from ..render.downloads import SIZE_ATTR, human_size

    missing: list[str] = []
    pattern = re.compile(r'<span class="ap-size" ' + SIZE_ATTR + r'="([^"<>]*)"></span>')

    def size(match: re.Match[str]) -> str:
        path = match.group(1)
        target = (site_dir / path).resolve()
        if not target.is_relative_to(site_dir.resolve()) or not target.is_file():
            missing.append(path)
            return match.group(0)
        return f'<span class="ap-size" {SIZE_ATTR}="{path}">{Markup.escape(human_size(target.stat().st_size))}</span>'

    for page in dict.fromkeys(pages):
        text = page.read_text(encoding="utf-8")
        page.write_text(pattern.sub(size, text), encoding="utf-8")
    return sorted(set(missing))
