"""What makes rendering cheap across pages and rebuilds: compiled templates
kept in memory, and the HTML blocks of generated pages kept out of Markdown."""

from __future__ import annotations

import tempfile
from typing import BinaryIO

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory between builds of one process.

    ``mkdocs serve`` makes new Jinja environments for every rebuild; compiling
    the same templates again cost about 0.2 s a rebuild. Jinja keys each entry
    by the template's source checksum, so an edited template is recompiled.
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


BYTECODE_CACHE = MemoryBytecodeCache()


def split_html_blocks(markdown_text: str) -> tuple[str, list[str]]:
    """Move the HTML blocks of a generated page out of its Markdown.

    Generated pages are front matter, ``#`` headings (for the table of
    contents) and HTML blocks. Python-Markdown would re-parse every block of
    HTML we made only to pass it through unchanged; instead each block is
    replaced by a ``<!--ap:N-->`` comment, which Markdown passes through
    cheaply, and put back into the page's HTML afterwards. Returns the
    skeleton and the blocks in order.
    """
    head = ""
    body = markdown_text
    if body.startswith("---\n"):
        end = body.index("\n---\n", 4) + 5
        head, body = body[:end], body[end:]
    skeleton: list[str] = []
    blocks: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = "\n".join(run).strip("\n")
        run.clear()
        if text:
            skeleton.append(f"\n<!--ap:{len(blocks)}-->\n")
            blocks.append(text)

    for line in body.split("\n"):
        if line.startswith("#"):
            flush()
            skeleton.append("\n" + line + "\n")
        else:
            run.append(line)
    flush()
    return head + "".join(skeleton), blocks


class BlockSpool:
    """The HTML blocks of a build's generated pages (:func:`split_html_blocks`),
    kept in a temporary file from the moment the pages are made until each
    page's HTML takes its own back.

    MkDocs makes every page's HTML before it writes any, so blocks kept in
    memory were all held at once: 15 MB at 1,000 case studies, a tenth of
    what plain MkDocs holds for the same pages. On disk they cost the
    operating system's file cache instead (a few milliseconds to write and
    read back); the file has no name and goes when the spool is closed.
    """

    def __init__(self) -> None:
        self._file: BinaryIO | None = None
        #: Page -> (offset in the file, each block's length in bytes).
        self._where: dict[str, tuple[int, list[int]]] = {}

    def put(self, page: str, blocks: list[str]) -> None:
        """Keep ``page``'s blocks (in order) until :meth:`take`."""
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="alliance-blocks-")  # noqa: SIM115 - held across events, closed by close()
        encoded = [block.encode("utf-8") for block in blocks]
        self._file.seek(0, 2)
        self._where[page] = (self._file.tell(), [len(data) for data in encoded])
        self._file.write(b"".join(encoded))

    def take(self, page: str) -> list[str]:
        """``page``'s blocks, once (none for a page that has none)."""
        found = self._where.pop(page, None)
        if found is None or self._file is None:
            return []
        offset, sizes = found
        self._file.seek(offset)
        data = self._file.read(sum(sizes))
        out, at = [], 0
        for size in sizes:
            out.append(data[at:at + size].decode("utf-8"))
            at += size
        return out

    def close(self) -> None:
        """Let the file go (blocks not taken are dropped)."""
        self._where.clear()
        if self._file is not None:
            self._file.close()
            self._file = None
