"""Small, pure pieces of the renderer: relative URLs and the Markdown fast path."""

from __future__ import annotations

import posixpath

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_playbook.render.markdown import _EXTENSIONS, MarkdownFields, plain_paragraphs, sanitize
from alliance_playbook.render.urls import relative_url

SEGMENT = st.sampled_from(["a", "b", "casestudies", "lessons", "x-y", "index.html", "page.html"])


def _reference_relative(from_url: str, to_url: str) -> str:
    base = posixpath.dirname(from_url) if not from_url.endswith("/") else from_url.rstrip("/")
    target_dir, name = (to_url.rstrip("/"), "") if to_url.endswith("/") or not to_url else posixpath.split(to_url)
    rel = posixpath.relpath(target_dir or ".", base or ".")
    if name:
        return name if rel == "." else f"{rel}/{name}"
    return "./" if rel == "." else f"{rel}/"


@given(st.lists(SEGMENT, max_size=4), st.booleans(), st.lists(SEGMENT, max_size=4), st.booleans())
def test_relative_url_matches_posixpath(a, a_dir, b, b_dir):
    from_url = "/".join(a) + ("/" if a_dir and a else "")
    to_url = "/".join(b) + ("/" if b_dir and b else "")
    assert relative_url(from_url, to_url) == _reference_relative(from_url, to_url)


PROSE = st.lists(st.sampled_from(list("abc XYZ.,;:'\"?()-+=0123456789é京\n") + ["\n\n", "  ", "    ", "\t", "1. ", "- "]), max_size=80).map("".join)


@settings(max_examples=400, deadline=None)
@given(PROSE)
def test_plain_fast_path_equals_markdown(text):
    fast = plain_paragraphs(text)
    if fast is None:
        return
    md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
    assert fast == sanitize(md.convert(text))


def test_fast_path_is_taken_for_prose_and_not_for_markup():
    assert plain_paragraphs("One line.\nSame paragraph.\n\nSecond paragraph.") == "<p>One line.\nSame paragraph.</p>\n<p>Second paragraph.</p>"
    for text in ("**bold**", "- item", "1. first", "a <b>tag</b>", "[link](x)", "line  \nbreak", "    code", "!!! note"):
        assert plain_paragraphs(text) is None, text


def test_cached_renders_do_not_leak_page_relative_links():
    fields = MarkdownFields(lambda link, url: f'<a href="{url}">{link.id}</a>')
    assert "page-a" in fields.render("See [[lesson:x]].", "page-a")
    assert "page-b" in fields.render("See [[lesson:x]].", "page-b")
    assert fields.render("Plain.", "page-a") == fields.render("Plain.", "page-b") == "<p>Plain.</p>"
