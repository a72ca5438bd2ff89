"""Markdown field limits (model/markdown_limits.py).

The worst inputs the check accepts, at the maximum size, convert quickly and
without error, both ways a field is converted: standalone (markup/markdown.py)
and in the MkDocs page pass (the site's mkdocs.yml, through MkDocs' own Page),
plus a fork's usual extra extensions. Each refused kind of input gets its
message, the check itself is fast, and the real content passes it.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from alliance_playbook.model import markdown_limits as L
from alliance_playbook.model.markdown_emphasis import MAX_EMPHASIS, emphasis_depth
from alliance_playbook.model.markdown_limits import shape_problems
from alliance_playbook.wikilinks import LINK_RE, find_links
from markdown_pipelines import CONVERTERS, site, standalone

ROOT = Path(__file__).resolve().parent.parent
N = L.MAX_CHARS
#: CPU seconds. The worst accepted input took about 0.35 s; the bound leaves
#: room for a slow CI runner.
BOUND = 2.0
#: Frames added under each conversion: a build calls Markdown from deep inside
#: MkDocs, with less room before Python's recursion limit.
EXTRA_STACK = 200


def _deep(frames: int, fn):
    return _deep(frames - 1, fn) if frames else fn()


def _timed(convert, text: str) -> tuple[float, str]:
    """CPU seconds to convert ``text`` (other work on the machine does not
    count), and the HTML."""
    start = time.process_time()
    out = _deep(EXTRA_STACK, lambda: convert(text))
    return time.process_time() - start, out


_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
#: No accepted field makes HTML nested deeper than this (two elements per list
#: level, plus HTML elements, plus emphasis), or longer than this many characters (a wiki link
#: becomes a link with a title: about 18 times its length).
MAX_OUT_DEPTH = 2 * L.MAX_NESTING + L.MAX_HTML_NESTING + MAX_EMPHASIS + 10
MAX_OUT_CHARS = 50 * N


def html_depth(fragment: str) -> int:
    depth = deepest = 0
    for m in _TAG.finditer(fragment):
        if m.group(3) or m.group(2).lower() in _VOID:
            continue
        depth = max(depth - 1, 0) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


# ----- the worst accepted inputs ------------------------------------------------------------


def fill(head: str, unit: str, tail: str = "", n: int = N) -> str:
    """``head``, then ``unit`` as often as fits, then ``tail``: at most ``n`` characters."""
    return head + unit * max(0, (n - len(head) - len(tail)) // len(unit)) + tail


def repeat(block: str, sep: str = "\n\n", n: int = N) -> str:
    return (block + sep) * max(1, (n - 1) // (len(block) + len(sep)))


def lines(line: str, count: int = L.MAX_BLOCK_LINES) -> str:
    return "\n".join([line] * count)


def tags(opener: str, end: str = ">") -> str:
    """As many ``opener`` as fit before ``end`` within the longest tag allowed."""
    return opener * ((L.MAX_TAG_LENGTH - len(end)) // len(opener)) + end


B, P, D, H = L.MAX_BRACKETS, L.MAX_PARENS, L.MAX_NESTING, L.MAX_HTML_NESTING
REF = "http://example.org/" + "x" * 480

WORST = {
    # Every '[' scans to its ']': as many as allowed stay open over the whole text.
    "brackets left open": fill("[" * B, "word "),
    "brackets left open, links after": fill("[" * (B - 1), "[a](b) "),
    # What Python-Markdown has read by then holds a 14-character placeholder for each escape.
    "brackets left open, escapes after": fill("[" * B, "\\\\"),
    "brackets left open, entities after": fill("[" * B, "&amp;"),
    "brackets and link targets left open, escapes after": fill("[" * (B - 1) + "[a](" * P, "\\\\"),
    # A wiki link becomes a link with a title before Markdown: more text for every '[' to read.
    "brackets left open, wiki links after": fill("[" * (B - 2) + "[[case:x]] " * L.MAX_WIKI_LINKS, "<b></b>"),
    "link targets left open, wiki links after": fill("[a](" * P + "[[case:x]] " * L.MAX_WIKI_LINKS, "<b></b>"),
    "image brackets left open": fill("![" * B, "word "),
    "footnote brackets left open": fill("[^" * B, "word "),
    "wiki links left open": fill("[[case:b|" * (B // 2), "word "),
    "wiki ids left open": fill("[[case: x" * (B // 2), " x"),
    "wiki link then spaces": fill("[[case:", " ", "x"),
    "nested brackets": repeat("[" * B + "a" + "]" * B, " "),
    "nested links": repeat("[" * B + "a" + "](x)" * B, " "),
    # Every '](' scans to its ')'.
    "link targets left open": fill("[a](" * P, "word "),
    "link targets left open, escapes after": fill("[a](" * P, "\\\\"),
    "nested parentheses in a target": repeat("[a](" + "(" * (P - 1) + "x" + ")" * P, " "),
    # Python's HTML parser re-reads a tag that does not end.
    "tags as long as allowed": repeat(tags("<a </a "), ""),
    "tag with an unclosed quote": tags("<a </a ", 'x=">') + tags("<a </a ", "x='>") + repeat(tags("<a </a "), "", N - 2000),
    "email-like tags": repeat(tags("<a@b "), ""),
    "autolink-like tags": repeat(tags("<http://"), ""),
    "end tags": repeat("</a" + " " * 900 + ">", ""),
    "comments": fill("<!--", " <!-- ", "-->"),
    "processing instructions": repeat("<? >", ""),
    "declarations": repeat("<!x >", ""),
    "HTML nested as deep as allowed": repeat("<div>" * H + "x" + "</div>" * H, ""),
    "md_in_html nested as deep as allowed": ('<div markdown="1">\n\n' * H + "x\n\n" + "</div>\n\n" * H) * (L.MAX_BLOCKS // (2 * H + 1)),
    "md_in_html on one line": repeat("<div markdown>" * H + "x" + "</div>" * H),
    "inline HTML": fill("", "<b>a</b>"),
    # Block nesting: recursion in the block parser.
    "lists nested on one line": repeat(lines("- " * D + "a", 10)),
    "numbered lists nested on one line": repeat(lines("1. " * D + "a", 10)),
    "lists nested by indentation": repeat("\n".join("    " * i + "- a" for i in range(D))),
    "quotes nested": repeat(lines(">" * D + " a", 10)),
    "quotes and lists nested": repeat(lines("> - " * (D // 2) + "a", 10)),
    "admonitions nested": repeat("\n".join("    " * i + "!!! note" for i in range(D)) + "\n" + "    " * D + "a"),
    "details nested": repeat("\n".join("    " * i + "??? note" for i in range(D)) + "\n" + "    " * D + "a"),
    "tabs nested": repeat("\n".join("    " * i + '=== "a"' for i in range(D)) + "\n" + "    " * D + "a"),
    # Each heading, rule or opener in a block makes the parser look at the rest of it again.
    "headings in long blocks": lines("#", L.MAX_HEADINGS // 2) + "\n\n" + lines("# a", L.MAX_HEADINGS // 2)
    + "\n\n" + repeat(lines("***"), n=4 * (4 * L.MAX_BLOCK_LINES + 1) + 1),  # (each rule is a block)
    "the same heading": "\n\n".join(["# a"] * L.MAX_HEADINGS) + "\n\n" + fill("", "a ", n=N - 5 * L.MAX_HEADINGS),
    "rules in long blocks": repeat(lines("***"), n=L.MAX_BLOCKS // L.MAX_BLOCK_LINES * (4 * L.MAX_BLOCK_LINES + 1) + 1),
    "admonition openers in long blocks": repeat(lines("!!! note")),
    "reference definitions in long blocks": repeat(lines("[a]: b")),
    "abbreviations in long blocks": "\n".join(f"*[A{i}]: x" for i in range(L.MAX_ABBREVIATIONS)) + "\n\n"
    + repeat(lines("a"), n=N - 10 * L.MAX_ABBREVIATIONS),
    "long lists": repeat(lines("- a")),
    "long task lists": repeat(lines("- [ ] a")),
    "long tables": repeat("a|b\n-|-\n" + lines("c|d", L.MAX_BLOCK_LINES - 2)),
    "wide table": (lambda k: "|".join("a" * k) + "\n" + "|".join("-" * k) + "\n" + "|".join("b" * k))(N // 6),
    "long tab blocks": repeat(lines('=== "a"\n    b', L.MAX_BLOCK_LINES // 2)),
    "definition lists, entries nested": repeat(lines("a\n:   b", D)),
    "definition lists, entries apart": repeat("a\n:   b", n=L.MAX_BLOCKS * 9 + 1),
    # Each conversion goes over a page's children once per child.
    "one-letter paragraphs": repeat("a", n=L.MAX_BLOCKS * 3 + 1),
    "rules apart": repeat("***", n=L.MAX_BLOCKS * 5 + 1),
    "footnote definitions in a block": "\n".join(f"[^{i}]: x [a](b)" for i in range(L.MAX_FOOTNOTES))
    + "\n\n" + fill("", "word ", n=N - 20 * L.MAX_FOOTNOTES),
    # Each code block is highlighted on its own.
    "code fences": lines("```", L.MAX_FENCE_LINES) + "\n\n" + fill("", "word ", n=N - 4 * L.MAX_FENCE_LINES - 2),
    "code blocks with a language": "\n\n".join(["```python\nx = [1]\n```"] * (L.MAX_FENCE_LINES // 2))
    + "\n\n" + fill("", "word ", n=N - 24 * (L.MAX_FENCE_LINES // 2) - 2),
    # The tables extension pairs backticks on a row with each '|'.
    "backticks and pipes on a table row": "a|b\n-|-\n" + fill("`|" * (L.MAX_TABLE_ROW_BACKTICKS // 2), "|", n=N - 8),
    # attr_list looks for '{...}' at the end of headings and cells from every ' {'.
    "curly brackets in a heading": fill("# h" + (" " * L.MAX_SPACES_BEFORE_BRACE + "{") * L.MAX_LINE_BRACES, "x"),
    "curly brackets in a table cell": "a|b\n-|-\n" + fill("c|" + (" " * L.MAX_SPACES_BEFORE_BRACE + "{") * L.MAX_LINE_BRACES, "x", n=N - 8),
    "curly brackets in many headings": repeat("# h" + " {:" * L.MAX_LINE_BRACES + "x" * 300, "\n"),
    # Definitions copied at every use.
    "reference links": f"[r]: {REF}\n\n" + "[a][r] " * (L.MAX_COPIED // len(REF) - 2),
    "abbreviations": "*[ABC]: " + "t" * 400 + "\n\n" + "ABC word " * (L.MAX_COPIED // 400 - 2),
    "footnote references": fill("[^1]" * (L.MAX_FOOTNOTES - 1), "word ", "\n\n[^1]: x\n"),
    # Dense, legal Markdown: Python-Markdown's own cost grows with the square of a paragraph.
    "links": fill("", "[a](b) "),
    "wiki links": fill("[[case:x]] " * L.MAX_WIKI_LINKS, "word "),
    "wiki links and code spans": fill("`a`[[case:x]]" * L.MAX_WIKI_LINKS, "`a` "),
    "code spans": fill("", "`a` "),
    "backtick runs of every length": "".join("`" * i + " " for i in range(1, 198)),
    "escapes": fill("", "\\\\"),
    # (Emphasis in one paragraph is bounded by the emphasis limit: paragraphs of as much as it lets through.)
    "emphasis": repeat(fill("", "*a* **b** ", n=300)),
    "emphasis left open": fill("", "*a **b _c __d "),
    "emphasis and underscores": repeat(fill("a ", "*_", n=120)),
    "strike, mark, caret": repeat(fill("", "~~a~~ ==b== ^^c^^ ", n=350)),
    # Emphasis nests without indentation (the table of contents walks the tree recursively).
    "emphasis nested as deep as allowed": repeat("*a " * MAX_EMPHASIS + "a* " * MAX_EMPHASIS),
    "emphasis of every kind nested": repeat("**a __b ~~c ==d ^^e ~f ^g *h" + " i*^ j^~ k~^^ l^^== m==~~ n~~__ o__** p"),
    "emphasis opened by rules and runs": repeat("a\n***" * (MAX_EMPHASIS // 3) + "a* " * MAX_EMPHASIS),
    "bold labels in a long list": "\n".join(f"- **Partner {i}:** *what it brings*" for i in range(L.MAX_BLOCK_LINES)),
    "bold cells in a long table": "a|b\n-|-\n" + "\n".join(f"**x{i}** | *y*" for i in range(L.MAX_BLOCK_LINES - 2)),
    # pymdownx.tilde and .caret read the rest of the paragraph for each '~' or '^' of a run of three.
    "runs of three tildes or carets": fill("~~~.a " * (L.MAX_TILDE_RUNS // 6) + "^^^.a " * (L.MAX_TILDE_RUNS // 6), "word "),
    "one long run of tildes": fill("~" * L.MAX_TILDE_RUNS + ".a ", "word "),
    "entities": fill("", "&#1"),
    "ampersands": fill("", "&"),
    "emoji-like": fill("", ":a"),
    "keys": fill("", "++a"),
    "hard line breaks": repeat(lines("a  ")),
    "one long line": "a" * N,
    "spaces": fill("x", " ", "x"),
}


def test_the_worst_inputs_are_accepted_and_at_the_maximum_size():
    for name, text in WORST.items():
        assert shape_problems(text) == [], name
        assert len(text) <= N, name
    sizes = sorted(len(text) for text in WORST.values())
    assert sizes[len(sizes) // 4] > 0.9 * N  # most are (a few are bounded by a limit first)


#: The fork's extensions are slower on everything (0.4 s for the worst: long
#: tables, headings in long blocks); to keep this file quick they get the
#: inputs aimed at them and a few others.
FORK_CASES = [
    "brackets left open, links after", "brackets left open, wiki links after", "footnote brackets left open",
    "lists nested on one line", "tabs nested", "headings in long blocks", "rules in long blocks", "one-letter paragraphs",
    "abbreviations in long blocks", "long task lists", "long tab blocks", "definition lists, entries nested",
    "footnote definitions in a block", "footnote references", "abbreviations", "wiki links and code spans",
    "strike, mark, caret", "runs of three tildes or carets", "one long run of tildes", "emoji-like", "keys",
]


@pytest.mark.parametrize("converter", CONVERTERS)
def test_the_worst_accepted_inputs_convert_quickly(converter):
    convert = CONVERTERS[converter]
    slow, shape = {}, {}
    for name in FORK_CASES if converter == "fork" else WORST:
        seconds, out = _timed(convert, WORST[name])
        if seconds > BOUND:
            slow[name] = round(seconds, 2)
        if html_depth(out) > MAX_OUT_DEPTH or len(out) > MAX_OUT_CHARS:
            shape[name] = (html_depth(out), len(out))
    assert not slow, f"slower than {BOUND} s: {slow}"
    assert not shape, f"HTML too deep or too long: {shape}"


# ----- what is refused, and why ------------------------------------------------------------

REFUSED = {
    # The two inputs of the security review.
    "24 KB of nested brackets": ("[" * 24_000, "24,000 characters long; at most 20,000"),
    "600 nested list levels": ("- " * 600 + "a", "nested 600 levels deep at line 1; at most 10"),
    "too long": ("a" * (N + 1), "at most 20,000 are allowed"),
    "brackets": ("[" * (B + 1) + "a", f"{B + 1} square brackets '[' are open at once"),
    "brackets over the text": ("a [b\n\n" * (B + 1), f"at line {2 * B + 1}"),
    "parentheses": ("[a](" * (P + 1), f"{P + 1} parentheses '(' are open at once"),
    "lists on one line": ("- " * (D + 1) + "a", f"nested {D + 1} levels deep at line 1"),
    "lists by indentation": ("\n".join("    " * i + "- a" for i in range(D + 1)), f"nested {D + 1} levels deep at line {D + 1}"),
    "quotes": ("x\n" + ">" * (D + 1) + " a", f"nested {D + 1} levels deep at line 2"),
    "admonitions": ("\n".join("    " * i + "!!! note" for i in range(D + 2)), f"nested {D + 1} levels"),
    "HTML nesting": ("<div>" * (H + 1), f"HTML elements are nested (or left open) {H + 1} deep"),
    "md_in_html nesting": ('<div markdown="1">\n\n' * (H + 1), f"nested (or left open) {H + 1} deep"),
    "unended tag": ("a <a " * 2, "starts an HTML tag that does not end with '>'"),
    "tag too long": ("<a " + "b" * L.MAX_TAG_LENGTH + ">", "within 1,000 characters"),
    "less-than sign": ("if a<b then", "write '&lt;'"),
    "unclosed comment": ("<!-- x", "'<!--' at line 1 is never closed"),
    # Left open, it would make one paragraph of the fields after it on the page.
    "unclosed markdown element": ('a\n\n<p markdown="1">[[[ text', "the <p markdown> element at line 3 is never closed"),
    "long block": (lines("a", L.MAX_BLOCK_LINES + 1), f"runs for {L.MAX_BLOCK_LINES + 1} lines without a blank line"),
    "headings": ("\n\n".join(["# a"] * (L.MAX_HEADINGS + 1)), f"{L.MAX_HEADINGS + 1} headings"),
    "blocks": ("a\n\n" * (L.MAX_BLOCKS + 1), f"the text has {L.MAX_BLOCKS + 1:,} blocks"),
    "rules in a block": ("a\n" + "***\n" * L.MAX_BLOCKS, f"the text has {L.MAX_BLOCKS + 1:,} blocks"),
    "underlined headings": ("\n\n".join(["a\n-"] * (L.MAX_HEADINGS + 1)), f"{L.MAX_HEADINGS + 1} headings"),
    "HTML headings": ("<h2>a</h2>" * (L.MAX_HEADINGS + 1), f"{L.MAX_HEADINGS + 1} headings"),
    "fences": (lines("```", L.MAX_FENCE_LINES + 2), f"{L.MAX_FENCE_LINES + 2} code fence lines"),
    "table row backticks": ("a|b\n-|-\n" + "`|" * (L.MAX_TABLE_ROW_BACKTICKS + 1), "table row at line 3 has"),
    "curly brackets": ("{" * (L.MAX_LINE_BRACES + 1), f"line 1 has {L.MAX_LINE_BRACES + 1} curly brackets"),
    "spaces before a curly bracket": ("# a" + " " * (L.MAX_SPACES_BEFORE_BRACE + 1) + "{x}", "after 11 spaces"),
    "footnotes": ("[^1]" * (L.MAX_FOOTNOTES + 1), f"{L.MAX_FOOTNOTES + 1} footnote references"),
    "wiki links": ("[[case:a]] " * (L.MAX_WIKI_LINKS + 1), f"{L.MAX_WIKI_LINKS + 1} wiki links"),
    "tilde runs": ("a\n" + "~~~a " * 21, "63 '~' or '^' in runs of three or more before text (the first at line 2)"),
    "caret run": ("^" * 61 + "a", "61 '~' or '^'"),
    "emphasis nested": ("*a " * 61 + "a* " * 61, "emphasis marks ('*', '_', '~', '^', '==') could nest 61 deep at line 1"),
    # Found by Hypothesis: '***' before a word opens three, and the line breaks do not end them.
    "emphasis opened on many lines": ("a\n***" * 21 + "a* " * 63, "could nest 63 deep at line 22"),
    "emphasis of mixed kinds": ("*a _b " * 31 + "c_ d* " * 31, "could nest 62 deep"),
    "abbreviations": ("\n".join(f"*[A{i}]: x" for i in range(L.MAX_ABBREVIATIONS + 1)), "abbreviations; at most"),
    "reference links": ("[r]: http://e.org/" + "x" * 1000 + "\n\n" + "[a][r] " * 60, "characters of their definitions into the page"),
    "reference on two lines": ("[r]:\n  http://e.org/" + "x" * 1000 + '\n  "title"\n\n' + "[r] " * 60, "would copy"),
    "abbreviation titles": ("*[A]: " + "t" * 1000 + "\n\n" + "A " * 60, "would copy"),
    "table of contents marker": ("a\n\n[TOC]\n", "line 3 has the marker [TOC]"),
    # MkDocs' HTML reader (Python 3.11's html.parser) raises AssertionError on these.
    "marked section": ("a <![ b", "line 1 has '<!['"),
    "marked section in code": ("a\n`<![x y`", "line 2 has '<!['"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_each_refused_kind_gets_its_message(name):
    text, expected = REFUSED[name]
    problems = shape_problems(text)
    assert any(expected in p for p in problems), problems
    for problem in problems:
        assert "{" not in problem and "}" not in problem  # usable as a pydantic message template


def test_a_text_with_several_problems_gets_one_message_for_each():
    problems = shape_problems("- " * 20 + "a\n\n" + "[" * 20 + "\n\n<!-- x")
    assert len(problems) == 3, problems


def test_the_limits_are_at_the_limit():
    # One less than each refused input is accepted (the limits are inclusive).
    assert shape_problems("[" * B + "a") == []
    assert shape_problems("[a](" * P) == []
    assert shape_problems("- " * D + "a") == []
    assert shape_problems("<div>" * H) == []
    assert shape_problems(lines("a", L.MAX_BLOCK_LINES)) == []
    assert shape_problems("a" * N) == []
    assert shape_problems("<a " + "b" * (L.MAX_TAG_LENGTH - 4) + ">") == []
    assert shape_problems("*a " * MAX_EMPHASIS + "a* " * MAX_EMPHASIS) == []
    assert shape_problems("a\n\n" * L.MAX_BLOCKS) == []
    assert shape_problems("*a " * (MAX_EMPHASIS + 1) + "a* " * (MAX_EMPHASIS + 1)) != []


def test_the_check_is_fast_and_reads_nothing_too_long():
    for text in [*WORST.values(), *(text for text, _ in REFUSED.values())]:
        start = time.process_time()
        shape_problems(text)
        assert time.process_time() - start < 0.2
    text = "[" * 50_000_000
    start = time.process_time()
    assert "characters long" in shape_problems(text)[0]
    assert time.process_time() - start < 0.05


SYNTAX = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\u00a0"


@pytest.mark.parametrize("form", ["{c}", "{c}x", "{c} ", "{c}{c}{c}x", "x{c}", "{c}\n", "    {c}"])
def test_the_check_is_fast_on_runs_of_every_character(form):
    # Its own patterns must not backtrack: runs of one character, with
    # something after, are where a careless pattern goes exponential.
    slow = {}
    for c in SYNTAX:
        unit = form.format(c=c)
        for text in (unit * (N // len(unit)), c * (N - 1) + "x", unit * 20 + "x"):
            start = time.process_time()
            shape_problems(text)
            if time.process_time() - start > 0.2:
                slow[repr(text[:12])] = round(time.process_time() - start, 2)
    assert not slow


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list(SYNTAX) + ["a", "word", "---", "<a ", "[[case:"]), max_size=12).map("".join))
def test_the_check_is_fast_on_random_repetitions(chunk):
    text = (chunk * (N // max(1, len(chunk))))[:N]
    start = time.process_time()
    shape_problems(text)
    assert time.process_time() - start < 0.2


def test_line_breaks_and_tabs_count_as_markdown_reads_them():
    assert "at line 3" in shape_problems("a\r\nb\r" + "- " * 11 + "a")[0]
    assert shape_problems("\t" * 10 + "a") == []
    assert shape_problems("\t" * 11 + "a")  # tabs are 4 columns: 11 levels of indentation
    # Python-Markdown blanks lines of spaces only, not other white space.
    assert shape_problems(lines("a", 150) + "\n    \n" + lines("a", 150)) == []
    assert shape_problems(lines("a", 150) + "\n\u00a0\n" + lines("a", 150))


# ----- ordinary content passes --------------------------------------------------------------

MARKDOWN_FIELDS = {"challenge", "approach", "note", "why", "how", "body", "instructions", "intro"}


def _markdown_fields(value, found: list[str]) -> list[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in MARKDOWN_FIELDS and isinstance(item, str):
                found.append(item)
            else:
                _markdown_fields(item, found)
    elif isinstance(value, list):
        for item in value:
            _markdown_fields(item, found)
    return found


def test_the_content_passes():
    files = [*ROOT.glob("content/**/*.yml"), *ROOT.glob("casestudies/*.yml"), *ROOT.glob("tests/fixtures/fork/**/*.yml")]
    fields = [text for path in files for text in _markdown_fields(yaml.safe_load(path.read_text(encoding="utf-8")), [])]
    assert len(fields) > 50
    for text in fields:
        assert shape_problems(text) == [], text[:80]


RICH = """\
## Why it matters

Partners *often* disagree about **who does what** ([see the guide](../guide/roles.md "Roles")),
so write it down[^1]. The WHO calls this [shared ownership][own].

1. Draft a role table:

    | Partner | Role | Commitment |
    |---------|:----:|-----------:|
    | City    | convener | `2 days/month` |
    | NGO     | implementer | 1 FTE |

2. Talk one-to-one:
    - ask what they *expected*;
        - and what they can **offer**;
            - note it in the table.

!!! tip "Keep it short"
    One page is enough. <abbr title="Memorandum of understanding">MoU</abbr> templates help.

    ??? note "An example"
        > A partner said: "we thought we were advising".
        >
        > > Another replied (quietly) that they had expected delivery.

```yaml
roles:
  city: {convener: true, days: 2}
```

<div markdown="1" class="note">
Text in a *div* with a [[lesson:clarify-roles-early]] link and <https://example.org/a?b=c&d=e>.
</div>

Term
:   Definition with ~~old~~ text and H~2~O.

*[WHO]: World Health Organization
[own]: https://example.org/ownership "Shared ownership"
[^1]: A footnote with a [link](https://example.org).
"""


def test_rich_ordinary_markdown_passes_even_at_the_maximum_size():
    assert shape_problems(RICH) == []
    # Many such sections in one field: blocks, brackets and tags do not add up.
    assert shape_problems((RICH + "\n\n") * (N // (len(RICH) + 2))) == []


# ----- random inputs --------------------------------------------------------------------------

TOKENS = st.sampled_from([
    "a", "word ", " ", "  ", "\n", "\n\n", "    ", "\t", "- ", "* ", "+ ", "1. ", "> ", "#", "# ", "---", "***", "===",
    "*", "**", "_", "__", "~~", "==", "^^", "`", "```", "~~~", "[", "]", "(", ")", "![", "[^1]", "[[", "]]",
    "[[case:x]]", "[a](b)", "[a][r]", "[r]: http://e.org", "<", ">", "</", "<a ", "<b>", "</b>", "<div>",
    "</div>", '<div markdown="1">', "<!--", "-->", "&", "&amp;", "&#", "\\", "|", "-|-", "{", "}", "{: .c}",
    ":", ": ", "!!! note", "??? note", '=== "t"', "*[A]: b", "A", "\"", "'", "@", "http://", "\r\n",
    "~~~", "^^^", "\\\\", "<![", "<p>", "<td>", "\u00a0", "\u2028",
])


def _most_repeats(head: str, chunk: str) -> str:
    """``head`` and ``chunk`` repeated as often as the check accepts, up to the maximum size."""
    low, high = 0, (N - len(head)) // len(chunk)
    while low < high:  # the largest accepted count, were acceptance monotonic (nearly always)
        middle = (low + high + 1) // 2
        if shape_problems(head + chunk * middle):
            high = middle - 1
        else:
            low = middle
    return head + chunk * low


CHUNK = st.lists(TOKENS, min_size=1, max_size=30).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHUNK, CHUNK)
@example("a\n***", "a* ")  # emphasis 598 deep before the emphasis limit (the '***' lines open it)
@example("*a ", "a* ")  # 3,000 deep, and a RecursionError in the MkDocs pass
def test_random_accepted_inputs_of_the_maximum_size_convert_quickly(first, then):
    # A repeated pattern, as often as accepted, then another to fill the rest:
    # what makes Markdown slow is structure repeated many times.
    text = _most_repeats(_most_repeats("", first), then)
    assert not shape_problems(text)
    for convert in (standalone, site):
        seconds, out = _timed(convert, text)
        assert seconds < BOUND, (convert.__name__, first, then)
        assert html_depth(out) <= MAX_OUT_DEPTH and len(out) <= MAX_OUT_CHARS, (convert.__name__, first, then)


# ----- wiki links -------------------------------------------------------------------------------

FORMER_LINK_RE = re.compile(r"\[\[\s*([A-Za-z_-]+)\s*:\s*([^\]|\n]*?)\s*(?:\|([^\]\n]*))?\]\]")
LINK_TEXT = st.lists(
    st.sampled_from(list("[]|:ab-_ \t\n\u00a0\x0cX.") + ["[[", "]]", "[[case:", "[[step: x", "|"]), max_size=30
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(LINK_TEXT)
def test_the_link_pattern_finds_what_the_former_one_found(text):
    former = [(m.span(), m.groups()) for m in FORMER_LINK_RE.finditer(text)]
    assert [(m.span(), m.groups()) for m in LINK_RE.finditer(text)] == former


@pytest.mark.parametrize("text", [
    "[[case:" + " " * N,  # took over 20 s (cubic in the spaces) with the former pattern
    "[[case:" + " " * (N - 10) + "|x",
    ("[[case:" + " " * 50) * (N // 57),
    fill("", "`a`[[case:x]]"),  # each link was compared with every code span on its line
])
def test_finding_links_is_fast(text):
    start = time.process_time()
    list(find_links(text))
    assert time.process_time() - start < 0.5


def test_links_in_code_spans_are_still_skipped():
    text = "`[[case:a]]` [[case:b]] `x` [[case:c]] `y [[case:d]]`"
    assert [link.id for link in find_links(text)] == ["b", "c"]


def test_comments_that_close_as_they_open_are_refused():
    """``<!-->`` is a whole comment in HTML, and Python-Markdown reads the
    ``>`` after it as a quote marker: a run of them nested quotes hundreds
    deep (found by the random test above). An ordinary comment is fine."""
    for text in ("<!-->>" * 300 + "a", "x <!---> y", "<!-->"):
        assert any("closes as it opens" in p for p in shape_problems(text)), text
    assert not shape_problems("a <!-- a note --> b\n\n<!---->")


# ----- emphasis -----------------------------------------------------------------------------

_EMPHASIS_TAG = re.compile(r"<(/?)(em|strong|del|ins|mark|sub|sup|s)\b[^>]*>")
EMPHASIS_TOKENS = st.sampled_from([
    "*", "**", "***", "****", "_", "__", "___", "~", "~~", "^", "^^", "=", "==", "a", "b", "a_b", "._", "(a)", " ", "  ",
    "\n", "\n\n", "  \n", "\\*", "`", "[", "]", "\u00a0", "\n- ", "\n* ", "\n1. ", "\n    ", "\n# ", "\n---\n",
    "\n==\n", "|", " | ", "\na|b\n-|-\n", "\n|a|b|\n|-|-|\n", "> ",
])


def emphasis_nesting(fragment: str) -> int:
    depth = deepest = 0
    for m in _EMPHASIS_TAG.finditer(fragment):
        depth += -1 if m.group(1) else 1
        deepest = max(deepest, depth)
    return deepest


@settings(max_examples=300, deadline=None)
@given(st.lists(EMPHASIS_TOKENS, max_size=60).map("".join))
@example("**a *b** c*")  # a '**' ends as two '*'
@example(" ****[~~*a*")  # one '*' after a run ends two of it
@example("*a**>*_._")  # '*' and '_' end each other in Python-Markdown's own processor
@example("- *~\n1. b*")  # with sane_lists, a numbered line continues a bulleted item
@example("b\n_)\n-\n[_")  # '-' makes a heading only under a block's first line
@example("*^  \n*")  # a hard line break is no space by the time emphasis is read
@example(" \n==-\n-\n)==")  # a first line of spaces is not a blank line
@example("=|=\n-||\n^^b\n~^^")  # the header's borders decide how every row is cut
def test_the_emphasis_bound_is_never_below_what_markdown_makes(text):
    # The bound holds however the processors pair marks: it is checked against
    # the nesting each conversion makes (the fork's adds betterem, caret, mark, tilde).
    text = L.normalise(text)
    bound, _line = emphasis_depth(text, exact=True)
    for name, convert in CONVERTERS.items():
        assert emphasis_nesting(convert(text)) <= bound, (name, text)


def test_ordinary_emphasis_is_far_from_the_emphasis_limit():
    # Bold labels on every item of a long list, bold cells in a long table, a
    # paragraph with sixteen emphasised phrases: each item, row and paragraph
    # is read on its own.
    items = "\n".join(f"- **Partner {i}:** *what it brings*" for i in range(150))
    table = "| Who | Role |\n|---|---|\n" + "\n".join(f"| **Partner {i}** | *lead* |" for i in range(150))
    paragraph = " ".join(f"**a{i}** and *b{i}*" for i in range(16))
    for text in (items, table, paragraph):
        assert emphasis_depth(text)[0] <= MAX_EMPHASIS, text[:40]
        assert shape_problems(text) == []
    # Planted fault: the same lines without the list markers or the table rule are one paragraph.
    assert emphasis_depth(items.replace("- ", ""))[0] > MAX_EMPHASIS
    assert emphasis_depth(table.replace("|---|---|", "no rule"))[0] > MAX_EMPHASIS
