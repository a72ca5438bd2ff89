"""One search index from the parts a large site is indexed in.

A large site is indexed in parts (:mod:`.search`: the indexer holds what it
indexes in memory). Left as parts, each adds its metadata and, for each word
of a query, an index chunk of its own: at 10,000 case studies, 4 parts, a
query downloaded 330 kB. Merged here into the one index the indexer would
have written in one run, a query loads one metadata file and one chunk a
word, and the browser has no parts to merge.

The chunks are also cut again: Pagefind closes a chunk once it holds 20,000
word locations, so a rare word often shares its chunk with a very common
one (at 1,000 case studies "housing" came in a 45 kB chunk with "in"). Here
a word that would take a chunk past :data:`CHUNK_BYTES` starts the next, so
a common word has a chunk of its own and a rare word's chunk stays small.

The files are read and written by :mod:`.pagefind_files`, in the layout of
the pinned Pagefind (:data:`KNOWN_VERSIONS`) and no other: anything else
(another version, filters or sorts, parts with different meta fields)
leaves the parts as they are, and the search merges them in the browser
(``assets/search.js``).

Until the last step the parts' index stays whole: the merged files are
written beside it under new names, and ``pagefind-entry.json`` and
:data:`.search.PARTS_FILE` are replaced last.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import gzip
import hashlib
import heapq
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .pagefind_files import Pages, UnknownLayout, Word, decode, encode, numbering, packed, put_head, read, word_bytes, words
from .search import BUNDLE, PARTS_FILE, bundle_dir

#: The Pagefind versions whose files this reads (pyproject.toml pins one).
KNOWN_VERSIONS = ("1.5.2",)
#: Bytes of pages a chunk holds at most before it is gzipped, unless one
#: word has more: about Pagefind's own size (20,000 word locations), without
#: its overshoot. Smaller chunks would each cost the metadata a line.
CHUNK_BYTES = 40_000
ENTRY = "pagefind-entry.json"
#: The exit status of ``main`` when the parts are in a layout the merge does
#: not read, and were left as they are (said on standard error).
LEFT_AS_THEY_ARE = 3
#: Threads that gzip the chunks.
_THREADS = max(1, min(4, os.cpu_count() or 1))


def _merged_words(streams: list[Iterator[Word]]) -> Iterator[Word]:
    """The words of every part, each once (its pages in part order), in
    Pagefind's order (by UTF-8 bytes, which is Python's order of code points)."""
    keyed = [((word[0], n, word) for word in stream) for n, stream in enumerate(streams)]
    current: Word | None = None
    for text, _part, word in heapq.merge(*keyed, key=lambda item: (item[0], item[1])):
        if current is not None and current[0] == text:
            current[1].add(word[1])
            for variant, pages in word[3].items():
                current[3].setdefault(variant, Pages()).add(pages)
            current = (text, current[1], current[2] + word[2], current[3])
            continue
        if current is not None:
            yield current
        current = word
    if current is not None:
        yield current


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """The shortest beginnings of two neighbouring chunks' last and first words that tell them apart."""
    same = 0
    while same < min(len(a), len(b)) and a[same] == b[same]:
        same += 1
    return a[:same + 1], b[:same + 1]


def _chunks(words: Iterator[Word], limit: int) -> Iterator[list[Word]]:
    """The words in chunks of at most ``limit`` bytes of pages (a word with more alone)."""
    chunk: list[Word] = []
    size = 0
    for word in words:
        if chunk and size + word[2] > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append(word)
        size += word[2]
    if chunk:
        yield chunk


class _Writer:
    """New files in the first part's folder, under names no file there has
    (``lang_`` and a hash, as Pagefind names them); removed again if the
    merge fails."""

    def __init__(self, bundle: Path):
        self.bundle = bundle
        self.made: list[Path] = []
        #: Every file the merged index uses (made now, or already there with the same bytes).
        self.used: set[Path] = set()

    def write(self, folder: str, lang: str, suffix: str, data: bytes, length: int = 7) -> str:
        """A new file (``folder`` empty: the metadata), named as Pagefind names it; its name."""
        digest = hashlib.sha256(data).hexdigest()
        while True:
            name = f"{lang}_{digest[:length]}"
            path = self.bundle / folder / f"{name}{suffix}" if folder else self.bundle / f"pagefind.{name}{suffix}"
            if not path.exists():
                break
            if path.read_bytes() == data:
                self.used.add(path)
                return name
            length += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.made.append(path)
        self.used.add(path)
        return name

    def link(self, source: Path, lang: str) -> str:
        """A part's fragment in the first part's folder: its name kept unless
        another page's fragment has it (then named by its content)."""
        target = self.bundle / "fragment" / source.name
        if target.exists():
            data = source.read_bytes()
            if target.read_bytes() == data:
                return source.stem
            return self.write("fragment", lang, ".pf_fragment", data, 12)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        self.made.append(target)
        return source.stem

    def undo(self) -> None:
        """Remove what was written (the merge failed)."""
        for path in self.made:
            with contextlib.suppress(OSError):
                path.unlink()


def _entries(site_dir: Path, count: int) -> list[dict[str, Any]]:
    return [_entry(site_dir, part) for part in range(count)]


def _entry(site_dir: Path, part: int) -> dict[str, Any]:
    """One part's entry file, checked: its version and its languages."""
    try:
        entry = json.loads((bundle_dir(site_dir, part) / ENTRY).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UnknownLayout(f"part {part + 1} has no readable {ENTRY} ({exc})") from None
    if not isinstance(entry, dict) or entry.get("version") not in KNOWN_VERSIONS or not isinstance(entry.get("languages"), dict):
        raise UnknownLayout(f"part {part + 1} was written by Pagefind {entry.get('version') if isinstance(entry, dict) else '?'}, "
                            f"not {' or '.join(KNOWN_VERSIONS)}")
    for lang, language in entry["languages"].items():
        if not isinstance(language, dict) or not isinstance(language.get("hash"), str):
            raise UnknownLayout(f"part {part + 1} names no metadata for {lang!r}")
    return entry


def _language_meta(site_dir: Path, part: int, lang: str, language: dict[str, Any]) -> list[Any]:
    """One part's metadata for one language, checked: pages and chunks, and no filters or sorts."""
    meta, _end = decode(read(bundle_dir(site_dir, part) / f"pagefind.{language['hash']}.pf_meta"))
    if not (isinstance(meta, list) and len(meta) == 6 and meta[0] in KNOWN_VERSIONS and isinstance(meta[1], list)
            and isinstance(meta[2], list) and meta[3] == [] and meta[4] == []):
        raise UnknownLayout(f"the {lang} metadata of part {part + 1} has filters, sorts or a layout this does not read")
    return meta


def _merge_language(site_dir: Path, writer: _Writer, lang: str, parts: list[tuple[int, dict[str, Any]]], held: Held) -> tuple[str, int]:
    """One language's metadata and chunks from every part that has it: the
    new metadata's name, and its pages. A part's words already read
    (``held``, by the hash of its metadata) are not read again."""
    metas: list[Any] = []
    pages: list[list[Any]] = []
    offsets: list[int] = []
    for part, language in parts:
        meta = _language_meta(site_dir, part, lang, language)
        if metas and meta[5] != metas[0][5]:
            raise UnknownLayout(f"the parts index different meta fields ({metas[0][5]} and {meta[5]})")
        offsets.append(len(pages))
        for hash_, word_count in meta[1]:
            source = bundle_dir(site_dir, part) / "fragment" / f"{hash_}.pf_fragment"
            pages.append([writer.link(source, lang) if part else hash_, word_count])
        metas.append(meta)
    streams = [_shifted(held.pop(language["hash"]), offset) if language["hash"] in held else _part_words(bundle_dir(site_dir, part), meta, offset)
               for (part, language), meta, offset in zip(parts, metas, offsets, strict=True)]
    chunks: list[list[str]] = []
    # The chunks are gzipped on other threads (zlib lets go of the
    # interpreter's lock) while this one reads the next words: at 10,000
    # case studies a third of the merge. They are written in order, as they come.
    pending: collections.deque[tuple[str, str, concurrent.futures.Future[bytes]]] = collections.deque()

    def write(first: str, last: str, data: concurrent.futures.Future[bytes]) -> None:
        chunks.append([first, last, writer.write("index", lang, ".pf_index", data.result())])

    with concurrent.futures.ThreadPoolExecutor(max_workers=_THREADS) as pool:
        for chunk in _chunks(_merged_words(streams), CHUNK_BYTES):
            payload = put_head(4, 1) + put_head(4, len(chunk)) + b"".join(word_bytes(word) for word in chunk)
            pending.append((chunk[0][0], chunk[-1][0], pool.submit(packed, payload)))
            while pending and (pending[0][2].done() or len(pending) > 4 * _THREADS):
                write(*pending.popleft())
        while pending:
            write(*pending.popleft())
    for before, after in zip(chunks, chunks[1:]):
        before[1], after[0] = _prefixes(before[1], after[0])
    meta = [metas[0][0], pages, chunks, [], [], metas[0][5]]
    return writer.write("", lang, ".pf_meta", packed(encode(meta)), 10), len(pages)


def _part_words(bundle: Path, meta: list[Any], offset: int) -> Iterator[Word]:
    numbers = numbering(len(meta[1]))
    for _from, _to, hash_ in meta[2]:
        yield from words(bundle / "index" / f"{hash_}.pf_index", numbers, offset)


#: What parts in a layout this does not read (or damaged ones) raise.
_UNREADABLE = (UnknownLayout, OSError, ValueError, EOFError, IndexError, KeyError, gzip.BadGzipFile)
#: Words of parts read ahead (:func:`read_ahead`), numbered from 0, by the hash of their metadata.
Held = dict[str, list[Word]]


def _shifted(held: list[Word], offset: int) -> Iterator[Word]:
    """Words read ahead, their pages numbered from ``offset``."""
    for word in held:
        for pages in (word[1], *word[3].values()):
            for run in pages.runs:
                run.first += offset
                run.last += offset
        yield word


def read_ahead(site_dir: Path, part: int, held: Held) -> None:
    """Read the words of a part now (its run is done, the build goes on), for :func:`merge_parts`."""
    for lang, language in _entry(site_dir, part)["languages"].items():
        meta = _language_meta(site_dir, part, lang, language)
        held[language["hash"]] = list(_part_words(bundle_dir(site_dir, part), meta, 0))


def _replace(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def merge_parts(site_dir: Path, count: int, held: Held | None = None) -> bool:
    """Merge the ``count`` parts of the index in ``site_dir`` into the first
    (``pagefind/``) and remove the others. False, with the parts left as they
    are, when they are not in a layout this reads (:class:`UnknownLayout`).
    ``held``: the words of parts already read (:func:`read_ahead`)."""
    held = {} if held is None else held
    if count <= 1:
        return True
    first = bundle_dir(site_dir, 0)
    writer = _Writer(first)
    try:
        entries = _entries(site_dir, count)
        old = [*first.glob("pagefind.*.pf_meta"), *(first / "index").glob("*.pf_index")]
        languages: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for part, entry in enumerate(entries):
            for lang, language in entry["languages"].items():
                languages.setdefault(lang, []).append((part, language))
        merged = dict(entries[0])
        merged["languages"] = {}
        for lang, parts in sorted(languages.items()):
            name, pages = _merge_language(site_dir, writer, lang, parts, held)
            wasm = parts[0][1].get("wasm")
            merged["languages"][lang] = {**parts[0][1], "hash": name, "page_count": pages}
            if isinstance(wasm, str) and parts[0][0] and not (first / f"wasm.{wasm}.pagefind").exists():
                shutil.copyfile(bundle_dir(site_dir, parts[0][0]) / f"wasm.{wasm}.pagefind", first / f"wasm.{wasm}.pagefind")
                writer.made.append(first / f"wasm.{wasm}.pagefind")
    except _UNREADABLE as exc:
        writer.undo()
        print(f"search index: the parts were left as they are ({exc})", file=sys.stderr)
        return False
    _replace(first / ENTRY, json.dumps(merged, ensure_ascii=False, separators=(",", ":")))
    _replace(first / PARTS_FILE, json.dumps({"parts": 1}) + "\n")
    for path in old:
        if path not in writer.used:
            path.unlink(missing_ok=True)
    for part in range(1, count):
        shutil.rmtree(bundle_dir(site_dir, part), ignore_errors=True)
    return True


def main(argv: list[str] | None = None) -> int:
    """``python -m alliance_playbook.adapters.search_merge SITE_DIR PARTS``
    (a preview's background indexing). With ``--follow`` first (a build's
    helper, on the other core), it first reads each part whose number comes
    on its standard input, a line each, as its run ends, and merges once the
    input ends: after the build's last page, only the last part is read."""
    args = sys.argv[1:] if argv is None else argv
    follow = args[:1] == ["--follow"]
    args = args[1:] if follow else args
    if len(args) != 2 or not args[1].isdigit():
        print(f"usage: search_merge [--follow] SITE_DIR PARTS (the folders {BUNDLE}/, {BUNDLE}-2/...)", file=sys.stderr)
        return 2
    site_dir, count = Path(args[0]), int(args[1])
    held: Held = {}
    for line in sys.stdin if follow else ():
        if line.strip().isdigit() and int(line) < count:
            with contextlib.suppress(*_UNREADABLE):  # read again, and reported, by the merge
                read_ahead(site_dir, int(line), held)
    return 0 if merge_parts(site_dir, count, held) else LEFT_AS_THEY_ARE


if __name__ == "__main__":
    sys.exit(main())
