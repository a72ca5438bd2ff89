"""Small, pure pieces of the renderer: relative URLs and the Markdown fast path."""

from __future__ import annotations

import posixpath

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_playbook.markup.markdown import _EXTENSIONS, MarkdownFields, plain_paragraphs, sanitize
from alliance_playbook.urls import relative_url

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


# ----- deferred Markdown fields (islands) -------------------------------------------------
import markdown as _markdown  # noqa: E402
import pytest  # noqa: E402

from alliance_playbook.markup.markdown import IslandError, cut_islands, fill_slots, islands_section  # noqa: E402

NONCE = "0123456789abcdef"
SITE_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.superfences"]


def _deferred(fields: list[str], page: str = "<p>before</p>") -> str:
    """A page the way the plugin hands it to Markdown, converted, islands filled."""
    skeleton = "## Title\n\n" + "\n\n".join(f"<div class=\"f\"><!--ap-slot-{NONCE}-{i}--></div>" for i in range(len(fields)))
    converted = _markdown.Markdown(extensions=SITE_EXTENSIONS).convert(skeleton + islands_section(NONCE, fields))
    body, fragments = cut_islands(converted, NONCE, len(fields))
    return fill_slots(body, NONCE, fragments)


def test_deferred_fields_land_in_their_slots_sanitized():
    out = _deferred(["**one**", "- a\n- b", "<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"])
    assert '<div class="f"><p><strong>one</strong></p></div>' in out
    assert "<li>a</li>" in out
    for bad in ("<script", "javascript:", "onerror", "<img", "ap-island", "ap-slot"):
        assert bad not in out


@pytest.mark.parametrize("attack", [
    "<div>never closed\n\nstill inside",
    "<!--ap-islands-0123456789abcdef--> forged start",
    f"x\n\n<!--ap-island-{NONCE}-1-->\n\n<script>alert(1)</script>",
    "```\nunclosed fence <script>alert(1)</script>",
    "<!-- comment --> <style>body{}</style> <iframe src=x></iframe>",
])
def test_nothing_unsanitized_escapes_an_island(attack):
    out = _deferred([attack, "second"])
    assert "<script" not in out and "<style" not in out and "<iframe" not in out
    assert "ap-island" not in out and "ap-slot" not in out


def test_a_lost_island_fails_loudly():
    with pytest.raises(IslandError):
        cut_islands("<p>no islands here</p>", NONCE, 1)
    with pytest.raises(IslandError):
        cut_islands(f"<!--ap-islands-{NONCE}--><!--ap-island-{NONCE}-0-->x", NONCE, 2)


def test_the_playbook_export_is_what_json_dumps_writes(tmp_path):
    """``data/playbook.json`` is written item by item (a preview keeps each
    item's text): byte for byte ``json.dumps(indent=1)``, with and without
    the cache, and for a kind with no items."""
    import json

    from alliance_playbook.graph import build_graph
    from alliance_playbook.project import load_project
    from alliance_playbook.render.exports import SCHEMA_VERSION, playbook_json
    from alliance_playbook.urls import src_to_url
    from conftest import copy_project

    project = load_project(copy_project(tmp_path / "project"))
    graph = build_graph(project)
    project.tables["worksheet"] = {}  # a kind with nothing to export
    data = {"schema_version": SCHEMA_VERSION, "site_name": "A <site> “name”"}
    for kind in project.registry:
        data[kind.export_key] = [kind.export(item, graph, src_to_url(kind.src(i, item))) for i, item in project.items(kind.name).items()]
    expected = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    cache: dict = {}
    assert playbook_json(project, graph, "A <site> “name”") == expected
    assert playbook_json(project, graph, "A <site> “name”", cache) == expected and cache
    shape: list = []
    assert playbook_json(project, graph, "A <site> “name”", cache, shape=shape) == expected
    # The shape the data page shows is what the file holds.
    assert shape == [(list(data), [(k, len(v)) for k, v in data.items() if isinstance(v, list)])]
    # An item a preview keeps is not exported again: its cached text stays
    # (the rest are exported as usual).
    first = next(iter(project.cases))
    real = cache[("case", first)][1]
    cache[("case", first)] = ({"kept": True}, '{"kept": true}')
    asked: list = []
    kept = playbook_json(project, graph, "A <site> “name”", cache, lambda kind, id_, item: asked.append(id_) or id_ == first)
    assert kept == expected.replace(real, '{"kept": true}', 1) != expected
    assert len(asked) == sum(len(project.items(k.name)) for k in project.registry)
    cache[("case", first)] = ({"kept": True}, '{"kept": true}')
    assert playbook_json(project, graph, "A <site> “name”", cache) == expected  # without: exported, and the export differs
