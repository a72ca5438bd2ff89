"""Pagefind's index files, read and written (the layout of Pagefind 1.5).

Each file is gzipped CBOR after a signature. The metadata is ``[version,
pages [[hash, words]], chunks [[from, to, hash]], filters, sorts, meta
fields]``; a chunk is ``[[word]]``, a word ``[text, pages, variants]``, a
page ``[number, locations, meta locations]`` (the number and the
locations as differences from the one before) and a variant ``[text,
pages]``. :mod:`.search_merge` reads the words of a part's chunks with
their pages renumbered, and writes them again in chunks of its own; a
page's locations are copied as they are. Anything else raises
:class:`UnknownLayout`, and the caller leaves the files alone.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


class UnknownLayout(Exception):
    """The parts are not in a layout this reads (the message says what)."""


# CBOR, the part Pagefind's files use: unsigned and negative integers, text,
# arrays of definite length.
_INT_SIZE = bytes(1 if ai < 24 else {24: 2, 25: 3, 26: 5, 27: 9}.get(ai, 0) for ai in range(32))


def head(data: bytes, i: int) -> tuple[int, int, int]:
    """(major type, argument, index after the head) of the item at ``i``."""
    first = data[i]
    major, ai = first >> 5, first & 31
    if ai < 24:
        return major, ai, i + 1
    size = _INT_SIZE[ai] - 1
    if size <= 0:
        raise UnknownLayout(f"an item of a kind Pagefind does not write (0x{first:02x})")
    return major, int.from_bytes(data[i + 1:i + 1 + size], "big"), i + 1 + size


def decode(data: bytes, i: int = 0) -> tuple[Any, int]:
    """The item at ``i`` as Python values (for the small metadata), and the index after it."""
    major, value, i = head(data, i)
    if major == 0:
        return value, i
    if major == 1:
        return -1 - value, i
    if major == 3:
        return data[i:i + value].decode("utf-8"), i + value
    if major == 4:
        items = []
        for _ in range(value):
            item, i = decode(data, i)
            items.append(item)
        return items, i
    raise UnknownLayout(f"an item of CBOR major type {major} in the metadata")


def put_head(major: int, value: int) -> bytes:
    """The head of an item: its major type and its argument (a number, a length)."""
    if value < 24:
        return bytes([major << 5 | value])
    for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | ai]) + value.to_bytes(size, "big")
    raise UnknownLayout("a number too large for CBOR")


def encode(value: Any) -> bytes:
    """A value of the metadata (an integer, a text, a list of them) as CBOR."""
    if isinstance(value, bool) or not isinstance(value, int | str | list):
        raise UnknownLayout(f"a value of type {type(value).__name__} in the metadata")
    if isinstance(value, int):
        return put_head(0, value) if value >= 0 else put_head(1, -1 - value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return put_head(3, len(raw)) + raw
    return put_head(4, len(value)) + b"".join(encode(item) for item in value)


def text_at(data: bytes, i: int) -> tuple[str, int]:
    """The text at ``i``, and the index after it."""
    major, size, i = head(data, i)
    if major != 3:
        raise UnknownLayout("a word that is not text")
    return data[i:i + size].decode("utf-8"), i + size


def read(path: Path) -> bytes:
    """A Pagefind file's CBOR, without its gzip and its signature."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise UnknownLayout(f"{path.name} does not start with Pagefind's signature")
    return data[len(SIGNATURE):]


def packed(payload: bytes) -> bytes:
    """CBOR as Pagefind writes a file: signed and gzipped."""
    return gzip.compress(SIGNATURE + payload, 6, mtime=0)


class Run:
    """A word's (or variant's) pages from one part: their CBOR, as it is.

    A page's number is written as the difference from the page before it
    (from 0 for the first), so the pages of a part are copied as they are
    behind another part's: only the first one's number changes."""

    __slots__ = ("blob", "count", "first", "last", "head")

    def __init__(self, blob: bytes, count: int, first: int, last: int, head: int):
        #: The pages; how many; the first and the last one's number in the
        #: merged index; the bytes of the first one's head and number.
        self.blob, self.count, self.first, self.last, self.head = blob, count, first, last, head


class Pages:
    """Pages of a word (or of a variant), one run a part, ready to be listed."""

    __slots__ = ("runs",)

    def __init__(self, *runs: Run) -> None:
        self.runs = list(runs)

    def add(self, other: Pages) -> None:
        """The pages of another part, after these."""
        self.runs.extend(other.runs)

    def size(self) -> int:
        """Bytes of the pages (how a chunk is filled)."""
        return sum(len(run.blob) for run in self.runs)

    def encoded(self) -> bytes:
        """The list of pages, each part's first page numbered from the last page before it."""
        out, before = [put_head(4, sum(run.count for run in self.runs))], 0
        for run in self.runs:  # (a word's list of no pages has no run)
            out.append(b"\x83" + put_head(0, run.first - before))  # the first page's difference from the page before
            out.append(run.blob[run.head:])
            before = run.last
        return b"".join(out)


#: A word, read: its text, its pages, their size in bytes and its variants (text: pages).
Word = tuple[str, Pages, int, dict[str, Pages]]

_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a]....|[\x1b\x3b]........)"
_UINT = rb"(?:[\x00-\x17]|\x18.|\x19..|\x1a....|\x1b........)"
_LIST = rb"(?:[\x80-\x97]|\x98.|\x99..|\x9a....)"
#: A page of a word: [number, locations, meta locations], two lists of
#: integers (as Pagefind 1.5 writes every page). Matched by the regular
#: expression engine: walked item by item in Python, the pages of the words
#: of 1,000 case studies took 2 s; matched, 0.2 s.
_PAGE = re.compile(rb"(\x83" + _UINT + rb")(" + _LIST + _INT + rb"*" + _LIST + _INT + rb"*)", re.S)
#: Pages, one after the other: what follows a word's last page (the list
#: of its variants, then the next word) never starts as a page does.
_PAGES = re.compile(b"(?:" + _PAGE.pattern.replace(b"(", b"(?:").replace(b"(?:?:", b"(?:") + b")*", re.S)


def pages_at(data: bytes, i: int, numbers: dict[bytes, int], offset: int) -> tuple[Pages, int]:
    """A word's (or variant's) pages, numbered from ``offset`` in the merged
    index, and the index after them; ``numbers``: a page's head and number
    (the difference from the page before), as a number (:func:`numbering`)."""
    major, count, i = head(data, i)
    if major != 4:
        raise UnknownLayout("a word's pages are not a list")
    end = _PAGES.match(data, i).end()  # type: ignore[union-attr]  # (matches at least nothing)
    region = data[i:end]
    pieces = _PAGE.split(region)  # between the pages (nothing), each page's head and number, its lists
    if len(pieces) != 3 * count + 1 or any(pieces[0::3]):
        raise UnknownLayout("a word's pages are not [number, locations, meta locations] as Pagefind 1.5 writes them")
    if not count:
        return Pages(), end
    steps = pieces[1::3]
    first = numbers[steps[0]]
    return Pages(Run(region, count, first + offset, sum(map(numbers.__getitem__, steps)) + offset, len(steps[0]))), end


def numbering(pages: int) -> dict[bytes, int]:
    """For :func:`pages_at`: a page's head and number, for the numbers of a part of ``pages`` pages."""
    return {b"\x83" + put_head(0, n): n for n in range(pages + 1)}


def _list(data: bytes, i: int, fields: int, what: str) -> int:
    """The index after the head of a list of ``fields`` items at ``i`` (UnknownLayout, saying ``what``, if it is not)."""
    major, found, i = head(data, i)
    if major != 4 or found != fields:
        raise UnknownLayout(what)
    return i


def words(path: Path, numbers: dict[bytes, int], offset: int) -> Iterator[Word]:
    """The words of one chunk file, in order, their pages numbered from ``offset`` (see :func:`pages_at`)."""
    data = read(path)
    major, count, i = head(data, _list(data, 0, 1, f"{path.name} is not [[word, ...]]"))
    if major != 4:
        raise UnknownLayout(f"{path.name} is not [[word, ...]]")
    for _ in range(count):
        text, i = text_at(data, _list(data, i, 3, f"a word of {path.name} is not [text, pages, variants]"))
        pages, i = pages_at(data, i, numbers, offset)
        major, count_variants, i = head(data, i)
        if major != 4:
            raise UnknownLayout(f"the variants of {text!r} are not a list")
        variants: dict[str, Pages] = {}
        for _ in range(count_variants):
            variant, i = text_at(data, _list(data, i, 2, f"a variant of {text!r} is not [text, pages]"))
            found, i = pages_at(data, i, numbers, offset)
            variants.setdefault(variant, Pages()).add(found)
        yield text, pages, pages.size() + sum(v.size() for v in variants.values()), variants


def word_bytes(word: Word) -> bytes:
    """A word as CBOR: its text, its pages and its variants'."""
    text, pages, _size, variants = word
    return (put_head(4, 3) + encode(text) + pages.encoded() + put_head(4, len(variants))
            + b"".join(put_head(4, 2) + encode(v) + p.encoded() for v, p in variants.items()))
