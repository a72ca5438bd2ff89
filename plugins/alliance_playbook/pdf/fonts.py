"""The PDF's fonts: bundled with the package, so every machine makes the same
book, and a check that no character of the content prints as an empty box.

The book is set in Noto Sans (regular, bold, italic, bold italic: Latin,
Greek and Cyrillic), with Noto Sans Symbols 2 and Noto Sans Math for ticks,
boxes and arrows, and Noto Sans Mono for code, all under the SIL Open Font
Licence (``fonts/OFL.txt``), loaded through ``@font-face`` from the package's
own files. Other scripts (Chinese, Japanese, Korean, Arabic, ...) fall back
to the machine's fonts through fontconfig, as WeasyPrint does; `.ci/run`
installs Noto CJK.

:func:`missing_glyphs` finds the characters of the book that neither the
bundled fonts nor any font of the machine can draw (WeasyPrint would print
each as an empty box and change the font's encoding in the PDF), with where
they first appear, for a warning that names them.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import tree as t
from .tree import Element

#: (family, file, weight, style) of every bundled face: one declaration per
#: file (each is copied and indexed by every process that lays out a PDF).
#: The symbol faces have one weight; bold or italic text asks for them by
#: family and gets them, emboldened or slanted by the renderer.
FACES = (
    ("AP Sans", "NotoSans-Regular.ttf", 400, "normal"),
    ("AP Sans", "NotoSans-Bold.ttf", 700, "normal"),
    ("AP Sans", "NotoSans-Italic.ttf", 400, "italic"),
    ("AP Sans", "NotoSans-BoldItalic.ttf", 700, "italic"),
    ("AP Symbols", "NotoSansSymbols2-Regular.ttf", 400, "normal"),
    ("AP Math", "NotoSansMath-Regular.ttf", 400, "normal"),
    ("AP Mono", "NotoSansMono-Regular.ttf", 400, "normal"),
    ("AP Mono", "NotoSansMono-Bold.ttf", 700, "normal"),
)


def font_dir() -> Path:
    """The folder of the bundled font files (and their licence)."""
    return Path(str(resources.files("alliance_playbook").joinpath("fonts")))


def font_face_css() -> str:
    """``@font-face`` rules for the bundled faces, with ``file:`` URLs (the
    PDF's URL fetcher lets them through: see :mod:`.fetcher`)."""
    folder = font_dir()
    return "".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(folder / name).as_uri()}"); font-weight: {weight}; font-style: {style}; }}\n'
        for family, name, weight, style in FACES
    )


@functools.cache
def _cmap(name: str) -> frozenset[int]:
    """The code points the bundled font file ``name`` draws."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(font_dir() / name, lazy=True).getBestCmap())


@functools.cache
def bundled_coverage() -> frozenset[int]:
    """Every code point some bundled face draws."""
    return frozenset().union(*(_cmap(name) for _family, name, _w, _s in FACES))


def _drawn(char: str) -> bool:
    """Whether a character needs a glyph at all (spaces, marks of layout and
    control characters are not drawn)."""
    return unicodedata.category(char)[0] not in ("Z", "C")


def system_coverage(code_points: set[int]) -> set[int]:
    """Those of ``code_points`` some font of the machine draws (as
    fontconfig, which WeasyPrint's Pango uses for fallback, finds them).
    Without ``fc-list``, none is assumed drawn."""
    if not code_points or shutil.which("fc-list") is None:
        return set()
    covered: set[int] = set()
    pending = [sorted(code_points)]
    while pending:
        batch = pending.pop()
        if _some_font_has(batch):
            covered.update(batch)
        elif len(batch) > 1:
            half = len(batch) // 2
            pending += [batch[:half], batch[half:]]
    return covered


def _some_font_has(code_points: list[int]) -> bool:
    charset = " ".join(f"{c:x}" for c in code_points)
    try:
        out = subprocess.run(["fc-list", f":charset={charset}", "family"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.stdout.strip())


def describe(char: str) -> str:
    """'ꙮ' (U+A66E CYRILLIC LETTER MULTIOCULAR O)."""
    name = unicodedata.name(char, "")
    return f"'{char}' (U+{ord(char):04X}{' ' + name if name else ''})"


@dataclass(frozen=True)
class MissingGlyph:
    """A character no font can draw, and where it first appears."""

    char: str
    #: The chapter's title.
    where: str
    #: A few words around its first appearance.
    context: str


def warnings_for(missing: list[MissingGlyph], shown: int = 5) -> list[str]:
    """The build's warnings, in plain words: one per font to install, naming
    the characters (the first few), where the first appears, and the font."""
    by_font: dict[str, list[MissingGlyph]] = {}
    for item in missing:
        by_font.setdefault(suggest_font(item.char), []).append(item)
    out = []
    for font, items in by_font.items():
        chars = ", ".join(describe(item.char) for item in items[:shown])
        more = f" and {len(items) - shown} more" if len(items) > shown else ""
        first = items[0]
        out.append(f"PDF: no font draws {chars}{more}, first seen in {first.where!r} ({first.context!r}): "
                   f"{'they would print as empty boxes' if len(items) > 1 else 'it would print as an empty box'}. Install {font} on the build machine "
                   "(see 'Fonts' in content/forking/offline-and-pdf.md)")
    return out


def _context(text: str, index: int, width: int = 24) -> str:
    start, end = max(0, index - width), min(len(text), index + width)
    snippet = " ".join(text[start:end].split())
    return ("…" if start else "") + snippet + ("…" if end < len(text) else "")


def missing_glyphs(texts: Iterable[tuple[str, str]]) -> list[MissingGlyph]:
    """Every character of ``texts`` ((where, text) pairs) that no font can
    draw, in order of first appearance."""
    first: dict[str, tuple[str, str, int]] = {}
    for where, text in texts:
        new = [char for char in set(text) if char not in first and _drawn(char)]
        for char, index in sorted(((char, text.index(char)) for char in new), key=lambda pair: pair[1]):
            first[char] = (where, text, index)
    bundled = bundled_coverage()
    rest = {ord(c) for c in first if ord(c) not in bundled}
    drawn = system_coverage(rest)
    return [MissingGlyph(c, where, _context(text, index)) for c, (where, text, index) in first.items()
            if ord(c) in rest and ord(c) not in drawn]


#: Words that end the script part of a Unicode character name.
_NAME_STOPS = frozenset(("CAPITAL", "SMALL", "LETTER", "DIGIT", "NUMBER", "SIGN", "SYLLABLE", "VOWEL", "CONSONANT",
                         "MARK", "PUNCTUATION", "IDEOGRAPH", "NUMERAL", "FRACTION", "SYMBOL", "CHARACTER", "LIGATURE"))


def suggest_font(char: str) -> str:
    """A font family likely to draw ``char``, from its Unicode name: 'a font
    for Old Hungarian (such as Noto Sans Old Hungarian)'."""
    name = unicodedata.name(char, "")
    if name.startswith(("CJK ", "HANGUL ", "HIRAGANA ", "KATAKANA ", "BOPOMOFO ")):
        return "a font for Chinese, Japanese and Korean (such as Noto Sans CJK)"
    words: list[str] = []
    for word in name.split():
        if word in _NAME_STOPS or any(c.isdigit() for c in word):
            break
        words.append(word)
    if not words or len(words) > 4:
        return "a font that covers them (Noto has one for almost every script)"
    script = " ".join(w.capitalize() for w in words)
    return f"a font for {script} (such as Noto Sans {script})"


_INLINE = frozenset(["a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"])


def chapter_texts(root: Element) -> Iterator[tuple[str, str]]:
    """(chapter title, its own text) for every chapter of the book (the
    text of a chapter's sub-chapters goes with them), the cover first."""
    def own_text(el: Element) -> Iterator[str]:
        if el.text:
            yield el.text
        for child in el:
            if not t.has_class(child, "ap-node"):
                yield from own_text(child)
                if t.local_name(child) not in _INLINE:
                    yield " "  # "Title" and "Summary" stay two words
            if child.tail:
                yield child.tail

    for node in [root, *t.find_all(root, lambda el: t.has_class(el, "ap-node"))]:
        title = t.first(node, lambda el: el.get("data-ap-title") is not None)
        yield (title.get("data-ap-title", "") if title is not None else "the cover"), "".join(own_text(node))


#: The bundled families of body text, in the order print.css names them.
_TEXT_FAMILIES = ("AP Sans", "AP Symbols", "AP Math")


@functools.cache
def _family_coverage() -> tuple[tuple[str, frozenset[int]], ...]:
    """(family, the code points its regular face draws) for the bundled
    families of body text."""
    return tuple((family, _cmap(next(n for f, n, w, s in FACES if f == family and w == 400 and s == "normal")))
                 for family in _TEXT_FAMILIES)


def _family_for(char: str) -> str | None:
    """The first bundled sans family that draws ``char`` (None when the first
    one does, or none does: the machine's fonts then take over)."""
    families = _family_coverage()
    if ord(char) in families[0][1] or not _drawn(char):
        return None
    return next((family for family, cover in families[1:] if ord(char) in cover), None)


def _runs(text: str) -> list[tuple[str | None, str]]:
    """``text`` cut into (family, run) pieces by :func:`_family_for`."""
    runs: list[tuple[str | None, str]] = []
    for char in text:
        family = _family_for(char)
        if runs and runs[-1][0] == family:
            runs[-1] = (family, runs[-1][1] + char)
        else:
            runs.append((family, char))
    return runs


def pin_svg_fonts(root: Element) -> None:
    """Wrap each run of SVG text that the first bundled face cannot draw in
    a ``<tspan>`` naming the bundled face that can.

    WeasyPrint's SVG text takes a glyph it misses from fontconfig's default
    fallback, not from the next family of the list (``→`` in a chart label
    came out in the machine's DejaVu Sans), so the face is named per run.
    """
    for el in t.find_all(root, lambda el: t.is_svg(el) and t.local_name(el) in ("text", "tspan", "textPath")):
        if el.text:
            el.text, pinned = _pinned(el.text)
            for index, span in enumerate(pinned):
                el.insert(index, span)
        for child in list(el):
            if child.tail:
                child.tail, pinned = _pinned(child.tail)
                at = list(el).index(child) + 1
                for offset, span in enumerate(pinned):
                    el.insert(at + offset, span)


def _pinned(text: str) -> tuple[str, list[Element]]:
    """``text`` as (what stays in its place, the ``<tspan>`` elements that
    follow it, each run the first face lacks in one, the text after it as
    its tail)."""
    lead = ""
    spans: list[Element] = []
    for family, run in _runs(text):
        if family is not None:
            spans.append(t.element(t.SVG_NS + "tspan", {"font-family": family}, run))
        elif spans:
            spans[-1].tail = run
        else:
            lead = run
    return lead, spans
