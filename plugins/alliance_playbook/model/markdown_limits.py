"""Limits on the size and shape of Markdown fields, checked before conversion.

(This module is longer than 300 lines because each limit keeps its
measurement, its reason and its message together.)

The Markdown fields of YAML content (a case's ``challenge`` and ``approach``,
lesson notes and bodies, a step's ``why`` and ``how``, worksheet
``instructions``, a phase's ``intro``) are converted by Python-Markdown in two
ways: standalone, with the extensions of ``markup/markdown.py``, and in the
MkDocs page pass, with the site's own extensions (``mkdocs.yml``). Some inputs
make Python-Markdown take time quadratic in their length, or recurse once per
level of nesting until Python gives up, so one field typed in a browser could
stall or crash the build. :func:`shape_problems` refuses them first, in
time linear in the text, with a message saying what to change.

Measured before any limit (Python 3.11, Markdown 3.11, pymdown-extensions
13.1, a shared 2-core machine; wall-clock seconds for one field of 20,000
characters, standalone / in the MkDocs pass)::

    '[' repeated (the review: 24 KB, 52 s)     > 10      > 10
    '[a][' repeated                             8.0       8.3
    '[a](' repeated                             4.0       4.0
    '<a ' repeated (a tag that never ends)      3.9       5.8
    '<a@b ' repeated                            1.1       2.1
    '#' on 10,000 lines without a blank one     2.5       4.3
    '# a' on 5,000 lines without a blank one    1.1       1.8
    '- ' 600 times on one line (the review)     RecursionError
    '<div markdown>' 1,300 deep                   -       RecursionError
    'a' / ':   b' pairs without blank lines     RecursionError by 1,000 (def_list)
    '```' on 5,000 lines (each block highlighted) 0.57    0.54
    '`|' 10,000 times on a table row            0.87      0.75
    a heading with ' {' 10,000 times (attr_list)  -       0.55
    1,000 abbreviations and text (abbr)         0.85        -
    '[^1]' 5,000 times (footnotes, in forks)    9.9 with footnotes
    '[[a:' and 1,000 spaces (wiki link regex)   4.4 s; cubic: 2,000 spaces > 20 s

Copies too: a 9,000-character reference definition used 1,400 times made
14 MB of HTML, an abbreviation 50 MB, and 2,800 '[TOC]' markers 9 MB in
1.7 s. Everything else tried at 20,000 characters converted in under 0.3 s:
runs of '*', '_', '**', '~~', '==', '^^', '`', '\\', '&', '<', '#', ':',
'{'; unclosed emphasis; backtick runs of every length; 3,000 table columns;
thousands of reference definitions, list items, attribute lists, HTML
comments, declarations and processing instructions; 4,000 nested raw
``<div>``; long lines; and nh3 on every output (never above 0.03 s). At
50,000 characters dense ordinary Markdown (a link or a code span every few
characters) already takes 0.4 to 1.5 s, so the size limit should not go much
above 20,000; the longest field of the seed content has 1,258 characters.

The limits below are each the answer to one of those measurements, and far
above what prose needs (real fields: a few paragraphs, lists three deep,
a table, an admonition, a few links). With them, the worst inputs accepted
at 20,000 characters took at most about 0.35 s of CPU to convert, standalone
and in the MkDocs pass alike (0.45 s with a fork's usual extra extensions),
when measured; on 2026-12-03, in a slow spell of the same machine, 0.75 s
standalone, 1.05 s in the MkDocs pass and 1.4 s with a fork's extensions
(a long table). ``tests/test_markdown_limits.py`` builds them, and random
ones, and holds them to 2 s. The check itself takes under 15 ms.

- Size: 20,000 characters.
- Nesting of lists, quotes and indented blocks (admonitions, details, tabs,
  footnotes, code in those), and of HTML elements: 10 each. Parsing recurses
  once per level; 10 levels stay far from the recursion limit even deep in a
  MkDocs build, and cost nothing measurable.
- Emphasis marks that could nest around one point: 60
  (``markdown_emphasis``). They nest without indentation: '*a ' 3,000 times
  and then 'a* ' 3,000 times made ``<em>`` 3,000 deep, and a RecursionError
  in the MkDocs pass.
- Square brackets open at once: 8, and parentheses: 8. Each '[' is read to
  its ']' by three inline patterns (links, images, references), and each
  link target '](' to its ')', over the text as Python-Markdown holds it
  then, where each escape, entity, inline tag or code span already stands
  for a 14-character placeholder (a backslash escape: 7 times longer): with
  '\\\\' after them, 16 brackets and 32 link targets took 0.81 s; 8 and 8,
  0.36 s.
- An HTML tag must end ('>') within 1,000 characters, and a comment must
  end: a tag that does not end is read again from every '<' in it.
- An element with a ``markdown`` attribute must be closed: in the MkDocs pass
  the fields of a page are converted together, and a ``<p markdown>`` left
  open made one paragraph of the fields after it (10 fields: 2.9 s, against
  0.56 s).
- A paragraph, list or table: 200 lines without a blank line. A heading,
  rule or block opener inside a block makes every block processor look at
  the rest of the block again (0.13 s at 200).
- Blocks (paragraphs and the like, and rules and headings): 1,000. Each
  conversion goes over a page's children once per child: 6,666 one-letter
  paragraphs took 0.75 s in the MkDocs pass and 1.9 s with a fork's
  extensions.
- Headings: 100 (the table of contents makes each heading id unique by
  trying ``_1``, ``_2``... in turn).
- Code fence lines: 200 (each code block costs 0.1 to 0.2 ms to highlight).
- Backticks on a table row: 100 (the tables extension compares every '|'
  with every pair of backticks on the row).
- Curly brackets on a line: 50, and at most 10 spaces before one (attr_list
  reads to the end of a heading or table cell from every space before a '{').
- Runs of three or more '~' or '^' before text: 60 characters in all. The
  delimiter processor of pymdownx.tilde and .caret (standalone: tilde) reads
  the rest of the paragraph for each character of such a run:
  '~~~.a' repeated over 8,000 characters took 1.8 s (quadratic: 20,000,
  some 11 s).
- Wiki links: 200. A wiki link is replaced by a link with its target's title
  before Markdown reads the field (a case study title has at most 120
  characters): 1,800 of them made 315,000 characters for the bracket scans
  above to read (8 open brackets: 0.58 s; 32 open link targets: 1.0 s);
  200 of them, 0.22 s at worst.
- Footnote references: 100; abbreviation definitions: 100.
- Copies of reference definitions and abbreviations: 50,000 characters.
- No '[TOC]' marker.
- No '<![' but '<![CDATA[': MkDocs reads each page's raw HTML for anchors
  with Python 3.11's HTML parser, which raises AssertionError on
  '<![ x' or '<![x y' (even in a code span), and the build stops.

The wiki link pattern (``wikilinks.LINK_RE``) was cubic in a run of spaces
after ``[[kind:``; it is rewritten to do one pass (same links found), and
what remains quadratic (many '[[' that never close) is bounded by the
bracket limit. Elsewhere, a wiki link is replaced by a link with its target's
title: titles other than a case study's have no length limit, so the HTML a
field makes with wiki links depends on them.
"""

from __future__ import annotations

import re

from .markdown_emphasis import MAX_EMPHASIS, emphasis_depth

#: Characters in one field (16 times the longest field of the seed content).
MAX_CHARS = 20_000
#: Lists, quotes and indented blocks inside each other (admonitions, details,
#: tabs, definitions, footnotes, code indented inside those); the entries of a
#: definition list not separated by blank lines nest too.
MAX_NESTING = 10
#: HTML elements inside each other (or left open).
MAX_HTML_NESTING = 10
#: Square brackets '[' open at the same time (nested or never closed).
MAX_BRACKETS = 8
#: Parentheses '(' open at the same time (nested or never closed).
MAX_PARENS = 8
#: Characters from a '<' that starts an HTML tag to the '>' that ends it.
MAX_TAG_LENGTH = 1_000
#: Lines of one paragraph, list, table or other block (no blank line between).
MAX_BLOCK_LINES = 200
#: Headings (#, underlined, <h1>..<h6>).
MAX_HEADINGS = 100
#: Blocks: paragraphs, lists, tables and the like (blank lines between them),
#: and the rules and headings in them. Both ways of converting a field go over
#: the children of the page once for each child: 'a' and a blank line
#: 6,666 times took 0.75 s in the MkDocs pass and 1.9 s with a fork's
#: extensions; 1,000 of them, 0.1 s.
MAX_BLOCKS = 1_000
#: Lines that open or close a fenced code block (``` or ~~~).
MAX_FENCE_LINES = 200
#: Backticks on one table row (a line with '|').
MAX_TABLE_ROW_BACKTICKS = 100
#: Curly brackets on one line.
MAX_LINE_BRACES = 50
#: Spaces just before a curly bracket, after the start of the text of a line.
MAX_SPACES_BEFORE_BRACE = 10
#: Characters in runs of three or more '~' or '^' that come before text.
MAX_TILDE_RUNS = 60
#: Wiki links '[[kind:id]]'. Each becomes a link with its target's title before
#: Markdown reads the text (case study titles: at most 120 characters), so they
#: lengthen what every other scan of the text goes over.
MAX_WIKI_LINKS = 200
#: Footnote references '[^'.
MAX_FOOTNOTES = 100
#: Abbreviation definitions '*[ABBR]: title'.
MAX_ABBREVIATIONS = 100
#: Characters that uses of reference definitions ('[name]: address') and of
#: abbreviations would copy into the page.
MAX_COPIED = 50_000
#: The table of contents marker, which would copy the page's contents list.
TOC_MARKER = "[TOC]"

# Python-Markdown's rule, one character per repetition: "(?:-+[ ]{0,2}){3,}"
# would try every way of cutting a run of dashes (exponential before an "x").
_HR = re.compile(r"[ ]{0,3}(?:(?:-[ ]{0,2}){3,}|(?:_[ ]{0,2}){3,}|(?:\*[ ]{0,2}){3,})[ ]*$")
_CONTAINER = re.compile(r"([ ]*)(?:>|[-*+](?=[ ]|$)|\d{1,9}[.)](?=[ ]|$))")
_SPACES = re.compile(r"[ ]*")
_FENCE = re.compile(r"(?:`{3}|~{3})")
_SETEXT = re.compile(r"(?:=+|-+)[ ]*$")
_REF_DEF = re.compile(r"\[([^\[\]]*)\]:[ ]*(.*)")
_ABBR_DEF = re.compile(r"\*\[([^\\]*?)\][ ]?:[ ]*(.*)")  # as Python-Markdown's abbr
_BRACKET = re.compile(r"\\[\\\[\]()]|[\[\]()]")
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
# A tag name ends with white space, "/" or ">": "<https://..." is a link, not an element.
_HTML = re.compile(r"<!--|<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])(?:[^<>]*?\b(markdown)\b)?|<[!?/A-Za-z]|[>`]")
_HTML_HEADING = re.compile(r"<h[1-6]", re.I)
_MARKED_SECTION = re.compile(r"<!\[(?!CDATA\[)", re.I)
_BRACE_AFTER_SPACES = re.compile(r"(?<=[^ ])[ ]{" + str(MAX_SPACES_BEFORE_BRACE + 1) + r",}\{")
_WHITESPACE = re.compile(r"\s+")
_WIKI_LINK = re.compile(r"\[\[\s*[A-Za-z_-]+\s*:")  # as wikilinks.LINK_RE starts
_TILDE_RUN = re.compile(r"(?<!~)~{3,}(?![~\s])|(?<!\^)\^{3,}(?![\^\s])")
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr")
)


def shape_problems(text: str) -> list[str]:
    """What makes ``text`` too big or too deeply structured to convert quickly.

    Returns one message per limit exceeded, in a stable order, each saying
    what to change (an empty list when the text is fine). Line numbers count
    from 1 at the first line of ``text``. Runs in time proportional to the
    length of the text (a text over :data:`MAX_CHARS` is refused without
    being read). The messages contain no curly brackets, so they can be used
    as a pydantic error message template as they are.
    """
    if len(text) > MAX_CHARS:
        return [
            f"the text is {len(text):,} characters long; at most {MAX_CHARS:,} are allowed: "
            "shorten it or split it into several parts"
        ]
    text = normalise(text)
    return (
        _line_problems(text) + _inline_problems(text) + _emphasis_problems(text) + _html_problems(text) + _copy_problems(text)
    )


def normalise(text: str) -> str:
    """The text as Python-Markdown reads it: line breaks as ``\\n``, tabs as spaces."""
    return text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)


def nesting(line: str) -> tuple[int, int]:
    """How deep a line of normalised text is nested, and where its content starts.

    Each quote marker ``>``, each list marker (``-``, ``*``, ``+``, ``1.``) and
    each 4 columns of indentation before, between or after them count one
    level; a horizontal rule (``- - -``, ``***``) counts none.
    """
    if _HR.match(line):
        return 0, len(line)
    depth = pos = 0
    while (m := _CONTAINER.match(line, pos)) is not None:
        depth += 1 + len(m.group(1)) // 4
        pos = m.end()
    spaces = _SPACES.match(line, pos)
    end = spaces.end() if spaces is not None else pos  # the pattern matches the empty string too
    return depth + (end - pos) // 4, end


def _line_problems(text: str) -> list[str]:
    deepest = deepest_at = 0
    block = block_start = longest = longest_at = 0
    headings = fences = definitions = blocks = 0
    row_ticks = braces = spaced_brace = None
    previous_blank = True
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip(" "):
            block, definitions, previous_blank = 0, 0, True
            continue
        if block == 0:
            block_start = number
            blocks += 1
        elif _HR.match(line) or line.lstrip(" ").startswith("#"):
            blocks += 1
        block += 1
        if block > longest:
            longest, longest_at = block, block_start
        depth, start = nesting(line)
        content = line[start:]
        # Python-Markdown reads the lines after a definition (': text') as part
        # of it, so each further definition in the block is nested in the last.
        if content[:2] == ": ":
            definitions += 1
        depth += definitions
        if depth > deepest:
            deepest, deepest_at = depth, number
        # An underline of '-' alone reads as an empty list item; it is a heading first.
        underline = _SETEXT.match(content) or _SETEXT.match(line.lstrip(" "))
        if content.startswith("#") or (underline and not previous_blank):
            headings += 1
        if _FENCE.match(content):
            fences += 1
        if row_ticks is None and "|" in line and line.count("`") > MAX_TABLE_ROW_BACKTICKS:
            row_ticks = (number, line.count("`"))
        if "{" in line:
            if braces is None and line.count("{") > MAX_LINE_BRACES:
                braces = (number, line.count("{"))
            if spaced_brace is None and (m := _BRACE_AFTER_SPACES.search(line)):
                spaced_brace = (number, len(m.group()) - 1)
        previous_blank = False
    problems = []
    if deepest > MAX_NESTING:
        problems.append(
            f"lists, quotes and indented blocks are nested {deepest} levels deep at line {deepest_at}; "
            f"at most {MAX_NESTING} are allowed: indent less, split the list, or put blank lines between "
            "the entries of a definition list"
        )
    if longest > MAX_BLOCK_LINES:
        problems.append(
            f"the paragraph, list or table starting at line {longest_at} runs for {longest} lines without a blank line; "
            f"at most {MAX_BLOCK_LINES} are allowed: put blank lines between its parts"
        )
    if blocks > MAX_BLOCKS:
        problems.append(
            f"the text has {blocks:,} blocks (paragraphs, lists, tables, rules, headings); at most {MAX_BLOCKS:,} "
            "are allowed: join short paragraphs, or split the text into several parts"
        )
    headings += len(_HTML_HEADING.findall(text))
    if headings > MAX_HEADINGS:
        problems.append(f"the text has {headings} headings; at most {MAX_HEADINGS} are allowed: split it into several parts")
    if fences > MAX_FENCE_LINES:
        problems.append(
            f"the text has {fences} code fence lines (``` or ~~~); at most {MAX_FENCE_LINES} are allowed "
            f"({MAX_FENCE_LINES // 2} code blocks): merge or remove code blocks"
        )
    if row_ticks:
        problems.append(
            f"the table row at line {row_ticks[0]} has {row_ticks[1]} backticks (`); "
            f"at most {MAX_TABLE_ROW_BACKTICKS} are allowed on a row: move the code out of the table"
        )
    if braces:
        problems.append(
            f"line {braces[0]} has {braces[1]} curly brackets; at most {MAX_LINE_BRACES} are allowed on one line: "
            "split the line or put the code in a code block"
        )
    if spaced_brace:
        problems.append(
            f"line {spaced_brace[0]} has a curly bracket after {spaced_brace[1]} spaces; "
            f"at most {MAX_SPACES_BEFORE_BRACE} spaces are allowed before one: remove the extra spaces"
        )
    return problems


#: Each opening bracket: its closing one, how many may be open at once,
#: and its names in the messages.
_PAIRS = {
    "[": ("]", MAX_BRACKETS, "square brackets", "a bracket"),
    "(": (")", MAX_PARENS, "parentheses", "a parenthesis"),
}
_OPENER_OF = {close: opener for opener, (close, *_rest) in _PAIRS.items()}


def _inline_problems(text: str) -> list[str]:
    depth = dict.fromkeys(_PAIRS, 0)
    deepest = dict.fromkeys(_PAIRS, (0, 0))  # (how many, where the deepest opened)
    # No more open at once than there are in all: most fields are read no further.
    few = all(text.count(opener) <= limit for opener, (_close, limit, *_names) in _PAIRS.items())
    for m in () if few else _BRACKET.finditer(text):
        char = m.group()
        if char in _PAIRS:
            depth[char] += 1
            if depth[char] > deepest[char][0]:
                deepest[char] = (depth[char], m.start())
        elif char in _OPENER_OF:  # (an escaped bracket matches as two characters, and counts for nothing)
            opener = _OPENER_OF[char]
            depth[opener] = max(depth[opener] - 1, 0)
    problems = []
    for opener, (close, limit, name, one) in _PAIRS.items():
        count, at = deepest[opener]
        if count > limit:
            problems.append(
                f"{count} {name} '{opener}' are open at once at line {_line_of(text, at)} "
                f"(nested, or never closed with '{close}'); at most {limit} are allowed: "
                f"close each '{opener}' with '{close}', or write '\\{opener}' for {one} that is only text"
            )
    # (The pattern has a look-behind, so it is tried at every character: looked for only when a run is there.)
    runs = list(_TILDE_RUN.finditer(text)) if "~~~" in text or "^^^" in text else []
    run_chars = sum(len(m.group()) for m in runs)
    if run_chars > MAX_TILDE_RUNS:
        problems.append(
            f"the text has {run_chars} '~' or '^' in runs of three or more before text (the first at line "
            f"{_line_of(text, runs[0].start())}); at most {MAX_TILDE_RUNS} are allowed: write ~~ for strike-through, "
            "and fence code with ``` rather than ~~~"
        )
    links = len(_WIKI_LINK.findall(text))
    if links > MAX_WIKI_LINKS:
        problems.append(
            f"the text has {links} wiki links ('[[kind:id]]'); at most {MAX_WIKI_LINKS} are allowed: "
            "link to each page fewer times"
        )
    footnotes = text.count("[^")
    if footnotes > MAX_FOOTNOTES:
        problems.append(
            f"the text has {footnotes} footnote references '[^'; at most {MAX_FOOTNOTES} are allowed: use fewer footnotes"
        )
    if TOC_MARKER in text:
        problems.append(
            f"line {_line_of(text, text.index(TOC_MARKER))} has the marker {TOC_MARKER}, which would copy the page's "
            "table of contents here: remove it (the page has its own table of contents)"
        )
    return problems


def _emphasis_problems(text: str) -> list[str]:
    depth, line = emphasis_depth(text)
    if depth <= MAX_EMPHASIS:
        return []
    return [
        f"emphasis marks ('*', '_', '~', '^', '==') could nest {depth} deep at line {line} (marks that can start "
        f"emphasis before it, and marks that can end it after it); at most {MAX_EMPHASIS} are allowed: close each "
        "emphasis before the next, put a blank line between paragraphs, or write '\\*' for a mark that is only text"
    ]


def _html_problems(text: str) -> list[str]:
    problems: list[str] = []
    if "<" not in text:  # no tag, comment or marked section (most fields)
        return problems
    # Python's HTML parser reads a start tag up to its '>'. When the tag never
    # ends it reads on to the end of the text and starts again one character
    # later: each unended '<' costs a pass over the rest of the text. A
    # backtick also ends its reading (Python-Markdown's parser stops there).
    pending = None  # position of the first '<' not yet ended
    last_comment_end = text.rfind("-->")
    open_elements: list[tuple[str, int, bool]] = []  # name, position, has a markdown attribute
    open_count: dict[str, int] = {}
    deepest = deepest_at = 0
    unended = unclosed_comment = abrupt = None
    for m in _HTML.finditer(text):
        token = m.group()
        if token in (">", "`"):
            if pending is not None and m.start() - pending > MAX_TAG_LENGTH and unended is None:
                unended = pending
            pending = None
            continue
        if token == "<!--":
            if m.start() > last_comment_end and unclosed_comment is None:
                unclosed_comment = m.start()
            # "<!-->" and "<!--->" end as they begin (HTML's abrupt comments):
            # Python-Markdown reads the '>' after them as a quote marker, so a
            # run of them nests quotes without any line starting with '>'.
            if abrupt is None and text.startswith(("<!-->", "<!--->"), m.start()):
                abrupt = m.start()
            continue
        if pending is None:
            pending = m.start()
        name = m.group(2)
        if name is None:
            continue
        name = name.lower()
        if m.group(1):  # an end tag closes the last element of its name and those opened after it
            if open_count.get(name):
                while True:
                    closed = open_elements.pop()[0]
                    open_count[closed] -= 1
                    if closed == name:
                        break
        elif name not in _VOID:
            open_elements.append((name, m.start(), m.group(3) is not None))
            open_count[name] = open_count.get(name, 0) + 1
            if len(open_elements) > deepest:
                deepest, deepest_at = len(open_elements), m.start()
    if pending is not None and unended is None:
        unended = pending
    if unended is not None:
        problems.append(
            f"the '<' at line {_line_of(text, unended)} starts an HTML tag that does not end with '>' within "
            f"{MAX_TAG_LENGTH:,} characters: end the tag, or write '&lt;' (or put a space after it) for a less-than sign"
        )
    if abrupt is not None:
        problems.append(f"the HTML comment at line {_line_of(text, abrupt)} closes as it opens ('<!-->'): "
                        "write a comment as '<!-- text -->', or remove it")
    if unclosed_comment is not None:
        problems.append(
            f"the HTML comment '<!--' at line {_line_of(text, unclosed_comment)} is never closed: end it with '-->'"
        )
    if deepest > MAX_HTML_NESTING:
        problems.append(
            f"HTML elements are nested (or left open) {deepest} deep at line {_line_of(text, deepest_at)}; "
            f"at most {MAX_HTML_NESTING} are allowed: close each <tag> with </tag>"
        )
    # MkDocs reads the raw HTML of a page (for its anchors) with Python 3.11's
    # HTML parser, which raises AssertionError at '<![' not followed by the
    # name of a marked section, even in a code span: the build stops.
    if (marked := _MARKED_SECTION.search(text)) is not None:
        problems.append(
            f"line {_line_of(text, marked.start())} has '<![', which stops the site build unless it starts "
            "'<![CDATA[': write '&lt;![' instead"
        )
    # In the MkDocs pass the fields of a page are converted together: an
    # element whose content is Markdown, left open, takes in the fields that
    # follow it (a '<p markdown>' makes one paragraph of them, slow to read).
    unclosed = next((e for e in open_elements if e[2]), None)
    if unclosed is not None:
        problems.append(
            f"the <{unclosed[0]} markdown> element at line {_line_of(text, unclosed[1])} is never closed: "
            f"end it with </{unclosed[0]}>"
        )
    return problems


def _copy_problems(text: str) -> list[str]:
    """Reference links and abbreviations copy their definition at every use."""
    references: dict[str, int] = {}
    abbreviations: dict[str, int] = {}
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if "]" not in line:
            continue
        content = line[nesting(line)[1]:]
        if (m := _ABBR_DEF.match(content)) is not None:
            size = _escaped_length(m.group(2)) + (_escaped_length(_next(lines, index)) if not m.group(2).strip() else 0)
            abbreviations[m.group(1)] = max(size, abbreviations.get(m.group(1), 0))
        elif (m := _REF_DEF.match(content)) is not None:
            size = _escaped_length(m.group(2))
            following = _next(lines, index)
            if not m.group(2).strip():  # the address is on the next line, a title may follow it
                size += _escaped_length(following)
                following = _next(lines, index + 1)
            if following.lstrip(" ")[:1] in ("'", '"', "("):
                size += _escaped_length(following)
            key = _reference_key(m.group(1))
            if key.startswith("^"):  # a footnote: shown once, wherever it is cited
                continue
            references[key] = max(size, references.get(key, 0))
    problems = []
    if len(abbreviations) > MAX_ABBREVIATIONS:
        problems.append(
            f"the text defines {len(abbreviations)} abbreviations; at most {MAX_ABBREVIATIONS} are allowed: "
            "define fewer abbreviations"
        )
        return problems
    copied = 0
    if references:
        for m in _BRACKETED.finditer(text):
            copied += references.get(_reference_key(m.group(1)), 0)
    for abbreviation, size in abbreviations.items():
        if abbreviation:
            copied += text.count(abbreviation) * size
    if copied > MAX_COPIED:
        problems.append(
            f"the links to reference definitions ('[name]: address') and the abbreviations would copy "
            f"{copied:,} characters of their definitions into the page; at most {MAX_COPIED:,} are allowed: "
            "shorten the definitions or use them less often"
        )
    return problems


def _next(lines: list[str], index: int) -> str:
    return lines[index + 1] if index + 1 < len(lines) else ""


def _reference_key(label: str) -> str:
    return _WHITESPACE.sub(" ", label).strip().lower()


def _escaped_length(value: str) -> int:
    """Length of ``value`` once escaped for an HTML attribute."""
    return len(value) + 4 * value.count("&") + 3 * (value.count("<") + value.count(">")) + 5 * value.count('"')


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1
