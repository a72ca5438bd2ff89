"""Plain text stays plain text wherever it is placed.

Every plain-text field of every kind (found from the schema, see hostile.py)
gets text that is a heading with attributes, a script link, a remote image,
an emoji and raw HTML if anything reads it as Markdown or HTML. The built
site, and the output of ``alliance generate`` built by plain MkDocs, must
contain none of it as markup: no event handler, no ``autofocus``, no
``javascript:`` URL, no remote load, no element made from the text.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_playbook.markup.safety import unsafe_content, unsafe_page
from alliance_playbook.project import load_project
from alliance_playbook.render.site import PageRenderer, RenderOptions
from conftest import copy_project, run_alliance, run_mkdocs
from hostile import PAYLOAD, write_hostile_project

pytestmark = pytest.mark.build

ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.S)
#: Markup the payload would make if it were read as Markdown or HTML.
MADE_FROM_TEXT = re.compile(r'id="pwn"|<h1[^>]*>\s*H\b|<blockquote>\s*<p>q|<li>l</li>|<em>e</em>|<code>c</code>', re.I)


def scan_site(site: Path) -> list[str]:
    """Every finding on every page of a built site (whole page and content)."""
    found = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        rel = page.relative_to(site).as_posix()
        found += [f"{rel}: {f}" for f in unsafe_page(html)]
        for content in ARTICLE.findall(html):
            found += [f"{rel}: {f}" for f in unsafe_content(content)]
            found += [f"{rel}: made from text: {m.group()}" for m in MADE_FROM_TEXT.finditer(_without_scripts(content))]
    return found


def _without_scripts(html: str) -> str:
    # The worksheet's JSON definition holds the labels as JSON strings (data,
    # not markup); the site's own scripts are judged by unsafe_content.
    html = re.sub(r'<script type="application/(?:ld\+)?json"[^>]*>.*?</script>', "", html, flags=re.S)
    return re.sub(r'<script src="(?:\.\./)*assets/alliance/[a-z/-]+\.js" defer></script>', "", html)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    write_hostile_project(project)
    run_mkdocs(project)
    return project / "site"


def test_the_payload_reaches_every_kind_of_page(hostile_site: Path):
    """The attack is real: its text is on the pages (as text)."""
    for rel in ("casestudies/hostile-everything/index.html", "casestudies/index.html", "playbook/hostile-phase/hostile-step/index.html",
                "lessons/hostile-lesson/index.html", "worksheets/hostile-worksheet/index.html", "worksheets/hostile-form/index.html",
                "explore/index.html", "checklist/index.html", "guide/hostile-links/index.html", "playbook/index.html"):
        html = (hostile_site / rel).read_text(encoding="utf-8")
        assert "onfocus=alert(1)" in html.replace("&#61;", "=").replace("&#123;", "{"), rel


def test_no_page_of_the_hostile_site_has_markup_from_text(hostile_site: Path):
    assert scan_site(hostile_site) == []


def test_the_scan_catches_what_the_payload_would_make(hostile_site: Path, tmp_path: Path):
    """Planted faults: the markup the payload makes when a renderer lets it
    through (here: a case page's summary printed raw) is found."""
    page = hostile_site / "casestudies/hostile-everything/index.html"
    html = page.read_text(encoding="utf-8")
    raw = markdown.markdown(PAYLOAD, extensions=["attr_list"])
    planted = tmp_path / "site"
    planted.mkdir()
    (planted / "index.html").write_text(html.replace("</article>", raw + "</article>", 1), encoding="utf-8")
    found = "\n".join(scan_site(planted))
    for what in ("onfocus", "autofocus", "'javascript:'", "loads from another host", "made from text: <h1", "<script>"):
        assert what in found, found


def test_generated_markdown_built_by_plain_mkdocs_has_no_markup_from_text(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    write_hostile_project(project)
    proc = run_alliance("generate", str(project), "--out", str(tmp_path / "out"), "--config")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = tmp_path / "out"
    config = out / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nmarkdown_extensions: [attr_list, md_in_html, tables, def_list, pymdownx.emoji, pymdownx.tilde]\n", encoding="utf-8")
    run_mkdocs(out)
    assert scan_site(out / "site") == []


# ----- fuzz: random syntax in every plain-text field, rendered and read as Markdown -----

_PIECES = st.sampled_from([
    "\n", "\n\n", "# ", "## ", "{: ", "{", "}", " onfocus=alert(1) ", " autofocus ", "[", "]", "(", ")", "javascript:alert(1)",
    "![", "](https://evil.example/x.png)", "<", ">", "<img src=x onerror=alert(1)>", "<script>", "</script>", "- ", "1. ", "> ",
    "|", "---", "`", "*", "_", "~~", "==", ":smile:", "&", "&#60;", "\"", "'", "<!--", "-->", "\\", "    ", "\t", "x", "word ",
    "<a href=javascript:alert(1)>", "{onclick=alert(1)}", "<style>", "[[", "]]", ":", "https://evil.example/", "\r\n",
])
_TEXTS = st.lists(_PIECES, min_size=1, max_size=12).map("".join).filter(lambda t: t.strip() and t.strip() != "...")
_SITE_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.superfences",
                    "def_list", "pymdownx.tilde", "pymdownx.emoji", "pymdownx.mark", "pymdownx.magiclink"]


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("fuzz") / "project")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=_TEXTS)
def test_fuzzed_plain_text_never_becomes_markup(text: str, fuzz_root: Path, tmp_path_factory):
    project = fuzz_root.parent / f"run-{abs(hash(text))}"
    if project.exists():
        return
    import shutil

    shutil.copytree(fuzz_root, project)
    write_hostile_project(project, lambda n: (text * (1 + n // max(1, len(text))))[:n].strip() or "x")
    loaded = load_project(project)
    renderer = PageRenderer(loaded, RenderOptions())
    md = markdown.Markdown(extensions=_SITE_EXTENSIONS)
    for page in renderer.pages():
        md.reset()
        body = page.content.split("\n---\n", 1)[-1]
        html = md.convert(body)
        findings = [str(f) for f in unsafe_content(html)]
        # Text that shows as an element of its own, made by the fuzzer's syntax:
        findings += [m.group() for m in re.finditer(r"<(img|script|style|h[1-6] id=\"pwn)[^>]*>", _without_scripts(html))]
        assert findings == [], (page.src_uri, text, findings)
    shutil.rmtree(project)
