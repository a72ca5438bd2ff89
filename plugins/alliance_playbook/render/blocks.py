"""What makes rendering cheap across pages and rebuilds: compiled templates
kept in memory, and the HTML blocks of generated pages kept out of Markdown."""

from __future__ import annotations

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
