"""The whole guide as a PDF book, and each worksheet as a blank printable sheet.

Two real builds with the PDF on (the seed, and the seed plus a fork's
French/Japanese/hostile cases) run side by side once for this module; the
PDFs are then read back with pypdf and poppler, and checked against the
site's own navigation, the YAML content and the print HTML.
"""

from __future__ import annotations

import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from alliance_playbook.pdf import NavNode, PdfError, PdfOptions, attach_orphans, nav_from_mkdocs
from alliance_playbook.pdf.book import assemble_book
from alliance_playbook.pdf.fetcher import SiteFetcher
from alliance_playbook.pdf.links import LinkMap
from alliance_playbook.pdf.page import printable_article
from alliance_playbook.pdf.tree import parse_fragment, serialize
from alliance_playbook.pdf.worksheets import Worksheet, worksheet_html
from conftest import ROOT, add_fork_files, copy_project, run_mkdocs

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
PDF_ENV = {"ALLIANCE_PDF": "1", "ALLIANCE_PDF_DEBUG": "1", "SOURCE_DATE_EPOCH": EPOCH}
BOOK = "pdf/alliance-playbook.pdf"


# --------------------------------------------------------------------------
# Builds (module scope: two real builds, in parallel)


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[str, Path]:
    seed = copy_project(tmp_path_factory.mktemp("pdf-seed") / "project")
    fork = add_fork_files(copy_project(tmp_path_factory.mktemp("pdf-fork") / "project"))
    # The seed is laid out in one piece, the fork in three parts merged
    # afterwards: every check below holds for both ways of making the book.
    envs = {seed: {**PDF_ENV, "ALLIANCE_PDF_PARTS": "1"}, fork: {**PDF_ENV, "ALLIANCE_PDF_PARTS": "3"}}
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda p: run_mkdocs(p, env=envs[p]), (seed, fork)))
    return {"seed": seed, "fork": fork}


@pytest.fixture(scope="module", params=["seed", "fork"])
def built(request, projects) -> SimpleNamespace:
    project = projects[request.param]
    site = project / "site"
    return SimpleNamespace(
        name=request.param, project=project, site=site, pdf=site / BOOK, reader=PdfReader(site / BOOK),
        debug=json.loads((site / "pdf/alliance-playbook.links.json").read_text(encoding="utf-8")),
        print_html=BeautifulSoup((site / "pdf/alliance-playbook.print.html").read_text(encoding="utf-8"), "html.parser"),
    )


def pdftotext(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def contents_entries(reader: PdfReader, first: int, last: int) -> list[tuple[str, str]]:
    """(title, page number) of each contents entry on pages ``first`` to
    ``last`` (1-based), as pypdf reads them: the number after its title, on
    its line (after a typed leader's dots, in a book laid out in one piece)."""
    text = "\n".join(reader.pages[i - 1].extract_text() or "" for i in range(first, last + 1))
    return [(title.rstrip(". \t"), number) for title, number in re.findall(r"^(.+?)[ \t]+(\d+)[ \t]*$", text, re.M)]


def squeeze(text: str) -> str:
    """Text without whitespace: line breaks fall anywhere, CJK has no spaces."""
    return re.sub(r"\s+", "", text)


def in_text(needle: str, text: str) -> bool:
    """``needle`` in extracted ``text``, also where a table cell hyphenated a word."""
    return squeeze(needle) in squeeze(text) or squeeze(needle) in squeeze(re.sub(r"(?<=\w)[-\u2010\u00ad]\s*\n\s*(?=\w)", "", text))


def yaml_titles(project: Path, pattern: str) -> dict[str, str]:
    out = {}
    for path in sorted(project.glob(pattern)):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("status") != "draft":
            out[path.stem] = data["title"]
    return out


def outline_tree(reader: PdfReader, items=None) -> list:
    """[(title, page index, children)] from the PDF bookmarks."""
    items = reader.outline if items is None else items
    out: list = []
    for item in items:
        if isinstance(item, list):
            out[-1][2].extend(outline_tree(reader, item))
        else:
            out.append((item.title, reader.get_destination_page_number(item), []))
    return out


def sidebar_tree(site: Path, with_urls: bool = False) -> list:
    """[(title, children)] of Material's navigation, as any page shows it
    ([(title, url, children)] with ``with_urls``: site-relative, as the home
    page links them)."""
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")

    def items(ul) -> list:
        out = []
        for li in ul.find_all("li", recursive=False):
            link = li.select_one(".md-nav__link")
            sub = li.select_one(":scope > nav.md-nav:not(.md-nav--secondary) > ul")  # not the page's own toc
            children = items(sub) if sub else []
            anchor = li.select_one("a.md-nav__link")
            url = (anchor.get("href") or "").removeprefix("./") if anchor is not None else ""
            out.append((link.get_text(" ", strip=True), url, children) if with_urls else (link.get_text(" ", strip=True), children))
        return out

    return items(soup.select_one("nav.md-nav--primary > ul.md-nav__list"))


#: The maintainers' sections, which the book moves to its appendix.
MAINTAINER_URLS = ("forking/", "reference/", "explore/")


def readers_book(site: Path) -> list:
    """The outline the book should have: the navigation in its order, the
    home page as the introduction, the maintainers' sections last, in an
    appendix of their own."""
    def strip(tree):
        return [(title, strip(children)) for title, _url, children in tree]

    screen = ("Downloads", "Descargas", "Propose a case study", "Proponer un estudio de caso")  # pages for the screen only (book: false)

    def drop(tree):
        return [(title, url, drop(children)) for title, url, children in tree if title not in screen]

    nav = drop(sidebar_tree(site, with_urls=True))
    readers = [entry for entry in nav if not entry[1].startswith(MAINTAINER_URLS)]
    maintainers = [entry for entry in nav if entry[1].startswith(MAINTAINER_URLS)]
    introduction = "Introducción" if nav[0][0] == "Inicio" else "Introduction"
    appendix = "Apéndice: para quienes mantienen el sitio" if nav[0][0] == "Inicio" else "Appendix: for maintainers"
    out = strip(readers)
    out[0] = (introduction, out[0][1])
    return out + [(appendix, strip(maintainers))]


def _strip_pages(tree: list) -> list:
    return [(title, _strip_pages(children)) for title, _page, children in tree]


def _flatten(tree: list) -> list:
    out = []
    for node in tree:
        out.append(node)
        out.extend(_flatten(node[-1]))
    return out


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def fonts_of(resources, seen=None) -> list:
    """Every font dictionary reachable from a resources dictionary (XObjects included)."""
    seen = set() if seen is None else seen
    resources = _resolve(resources) or {}
    out = []
    for font in (_resolve(resources.get("/Font")) or {}).values():
        font = _resolve(font)
        if id(font) not in seen:
            seen.add(id(font))
            out.append(font)
    for xobject in (_resolve(resources.get("/XObject")) or {}).values():
        xobject = _resolve(xobject)
        if "/Resources" in xobject:
            out.extend(fonts_of(xobject["/Resources"], seen))
    return out


def font_file(font) -> bool:
    descriptors = [_resolve(font.get("/FontDescriptor"))]
    for descendant in _resolve(font.get("/DescendantFonts")) or []:
        descriptors.append(_resolve(_resolve(descendant).get("/FontDescriptor")))
    return any(d is not None and any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in descriptors)


def link_annotations(reader: PdfReader) -> tuple[list[str], list[str]]:
    """(internal destination names, external URIs) of every link annotation."""
    internal, uris = [], []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = _resolve(annot)
            if annot.get("/Subtype") != "/Link":
                continue
            action = _resolve(annot.get("/A")) or {}
            if "/Dest" in annot:
                internal.append(str(annot["/Dest"]))
            elif action.get("/S") == "/GoTo":
                internal.append(str(action["/D"]))
            elif action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
    return internal, uris


# --------------------------------------------------------------------------
# The book


def test_book_is_written_and_linked_from_every_page(built):
    assert built.pdf.stat().st_size > 50_000
    pages = list(built.site.rglob("index.html"))
    assert len(pages) > 30
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one("article.md-content__inner") is None or page.parent.name == "data" and page.parent.parent == built.site:
            continue  # the data page is about the data files; the downloads page beside it offers the PDFs
        if page.parent.name == "propose" and page.parent.parent.name == "casestudies":
            continue  # a form for the screen (book: false), as the downloads and data pages
        links = soup.select("article a[href$='alliance-playbook.pdf']")
        assert links, f"{page} has no Download PDF link"
        assert (page.parent / links[0]["href"]).resolve() == built.pdf.resolve()
    # The downloads page offers the book and every worksheet's sheet, each with its size.
    downloads = BeautifulSoup((built.site / "downloads/index.html").read_text(encoding="utf-8"), "html.parser")
    sizes = {a["href"].rsplit("/", 1)[-1]: a.find_next("span", class_="ap-size").get_text() for a in downloads.select("article a[href$='.pdf']")}
    sheets = {p.name for p in (built.site / "pdf/worksheets").glob("*.pdf")}
    assert set(sizes) >= {"alliance-playbook.pdf"} | sheets, sizes
    assert all(re.fullmatch(r"\d+(\.\d)? (kB|MB)", size) for size in sizes.values()), sizes
    home = BeautifulSoup((built.site / "index.html").read_text(encoding="utf-8"), "html.parser")
    info = home.select_one("[data-ap-pdf-info]").get_text()
    assert f"{len(built.reader.pages)} pages" in info and "2026-01-01" in info and ("kB" in info or "MB" in info)


def test_outline_follows_the_navigation(built):
    outline = outline_tree(built.reader)
    assert outline[0][0] == "Contents"
    # The downloads and data pages are for the screen (front matter
    # `book: false`): the book leaves them out, and nothing else.
    screen_only = {"Downloads", "Descargas"}
    assert _strip_pages(outline[1:]) == readers_book(built.site)
    # The reader's book: an introduction (never "Home"), the guide, the
    # playbook, worksheets, lessons, case studies, then the maintainers'.
    assert outline[1][0] in ("Introduction", "Introducción")
    top = [title for title, _p, _c in outline[1:]]
    assert top.index("Case studies" if "Case studies" in top else "Estudios de caso") == len(top) - 2
    assert not any(title in screen_only or title in ("Data", "Datos") for title, _p, _c in _flatten(outline))
    pages = [page for _title, page, _children in _flatten(outline)]
    assert pages == sorted(pages), "bookmarks out of reading order"


def test_every_navigation_page_starts_on_its_own_page_under_its_title(built):
    for title, page, _children in _flatten(outline_tree(built.reader))[1:]:
        text = squeeze(pdftotext(built.pdf, page + 1, page + 1))
        assert squeeze(title) in text, f"{title!r} not on page {page + 1}"


def test_every_case_step_and_worksheet_title_is_in_the_text(built):
    text = squeeze(pdftotext(built.pdf))
    titles = {
        **yaml_titles(built.project, "casestudies/*.yml"),
        **yaml_titles(built.project, "content/playbook/steps/*.yml"),
        **yaml_titles(built.project, "content/worksheets/*.yml"),
    }
    assert len(titles) >= 15
    missing = [t for t in titles.values() if squeeze(t) not in text]
    assert not missing


def test_internal_links_all_become_pdf_links(built):
    html_links = [a["href"][1:] for a in built.print_html.select("a[href^='#']") if not a.find_parent("svg")]
    assert len(html_links) == built.debug["internal_links"] > 100
    assert built.debug["links_without_area"] == [] and built.debug["stray_link_areas"] == 0
    internal, _uris = link_annotations(built.reader)
    # One clickable area per link, also where a link's text wraps (it is one box).
    assert len(internal) == built.debug["link_areas"] == len(html_links)
    assert sorted(internal) == sorted(html_links)
    named = set(built.reader.named_destinations)
    assert set(internal) <= named, sorted(set(internal) - named)[:5]


def test_destinations_land_on_their_chapters_and_the_tags_are_whole(built):
    """Checked in the file itself (pikepdf): what a merge of parts could get wrong."""
    import pikepdf

    with pikepdf.open(built.pdf) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        texts = pdftotext(built.pdf).split("\f")
        # Every chapter's named destination is on the page that starts with its title.
        dests = {str(k): v for k, v in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
        chapters = built.debug["chapters"]
        assert len(chapters) > 40
        for chapter in chapters:
            page = pages[dests[chapter["anchor"]][0].objgen]
            assert page + 1 == chapter["page"], chapter
            assert squeeze(chapter["title"])[:40] in squeeze(texts[page]), chapter
        assert all(dest[0].objgen in pages for dest in dests.values())

        # The structure tree: every element's page is a page of the book, and
        # the parent tree has a key for every page and every link annotation.
        root = pdf.Root.StructTreeRoot
        elements, stack = 0, [(kid, root) for kid in root.K]
        while stack:
            element, parent = stack.pop()
            if not isinstance(element, pikepdf.Dictionary) or element.get("/Type") == "/OBJR":
                continue
            elements += 1
            assert element.P.objgen == parent.objgen
            if "/Pg" in element:
                assert element.Pg.objgen in pages
            kids = element.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend((kid, element) for kid in kids)
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append((kids, element))
        assert elements > 1000
        nums = root.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        assert len(keys) == len(set(keys)) and int(root.get("/ParentTreeNextKey", max(keys) + 1)) > max(keys)
        links = 0
        for page in pdf.pages:
            assert int(page.obj.get("/StructParents", keys[0])) in keys
            for annot in page.obj.get("/Annots", []):
                links += 1
                assert int(annot.StructParent) in keys
        assert links > 100 and len(keys) == len(pdf.pages) + links - (len(pdf.pages) - sum("/StructParents" in p.obj for p in pdf.pages))


def test_no_link_points_at_the_build_machine(built):
    _internal, uris = link_annotations(built.reader)
    bad = [u for u in uris if re.match(r"(?i)(file:|https?://(localhost|127\.|0\.0\.0\.0|\[::1\]))", u)]
    assert not bad
    for el in built.print_html.select("[href], [src]"):
        value = el.get("href") or el.get("src")
        assert not re.match(r"(?i)(file:|https?://(localhost|127\.))", value), value
    assert built.debug["blocked"] == []


def test_fonts_are_embedded(built):
    fonts = [f for page in built.reader.pages for f in fonts_of(page.get("/Resources"))]
    assert fonts
    assert all(font_file(f) for f in fonts), [str(f.get("/BaseFont")) for f in fonts if not font_file(f)]


def _font_names(pdf: Path) -> set[str]:
    """The embedded fonts of a PDF, without their subset prefix."""
    reader = PdfReader(pdf)
    return {str(f.get("/BaseFont")).split("+")[-1] for page in reader.pages for f in fonts_of(page.get("/Resources"))}


def test_the_book_and_sheets_are_set_in_the_bundled_fonts_only(built):
    # The layout depends on the content alone: every face is one of the
    # package's (pdf/fonts.py), whatever the machine has; the fork's Japanese
    # case is the one place a system font (Noto CJK) is expected.
    for pdf in [built.pdf, *sorted((built.site / "pdf" / "worksheets").glob("*.pdf"))]:
        names = _font_names(pdf)
        assert names
        others = {n for n in names if not n.startswith("AP-") and not (built.name == "fork" and "CJK" in n)}
        assert others == set(), (pdf.name, others)


def test_chart_symbols_are_drawn_by_a_bundled_face_not_the_machines(tmp_path):
    # WeasyPrint's SVG text takes a glyph its first family lacks from the
    # machine's default font: the arrow of a chart label came out in DejaVu
    # Sans. pin_svg_fonts names the bundled face per run (planted fault: the
    # same page without it).
    from alliance_playbook.pdf.layout import render_pdf

    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 60" width="300" height="60">'
           '<text x="10" y="30" font-weight="bold" font-family="sans-serif">Interest → ☐ <tspan>Influence ↑</tspan> end</text></svg>')
    site = _site(tmp_path, {"index.html": f"<h1>Chart</h1><p>Body → ☐</p>{svg}"})
    book = assemble_book(site, [NavNode("Chart", "", "index.html")], PdfOptions(site_name="S"))
    assert 'font-family="AP Math"' in book.html
    render_pdf(book.html, site, tmp_path / "pinned.pdf")
    assert all(n.startswith("AP-") for n in _font_names(tmp_path / "pinned.pdf")), _font_names(tmp_path / "pinned.pdf")
    assert "Interest→☐Influence↑end" in "".join(pdftotext(tmp_path / "pinned.pdf").split())
    unpinned = re.sub(r'<tspan font-family="AP [A-Za-z]+">(.*?)</tspan>', r"\1", book.html)
    render_pdf(unpinned, site, tmp_path / "loose.pdf")
    if any(not n.startswith("AP-") for n in _font_names(tmp_path / "loose.pdf")) is False:
        pytest.skip("this WeasyPrint falls back to the next family by itself")


def test_a_character_no_font_draws_is_named_and_fails_strict(tmp_path):
    # A fork's case in a script neither the bundled fonts nor this machine's
    # draw (Old Hungarian): the build names the characters, the chapter,
    # the words around them and a font to install, and --strict fails.
    from alliance_playbook.pdf.fonts import missing_glyphs, system_coverage

    letters = "\U00010C80\U00010C81\U00010C82"
    if system_coverage({ord(c) for c in letters}):
        pytest.skip("this machine has an Old Hungarian font")
    assert missing_glyphs([("x", "Latin, Ελληνικά, Кириллица, → ☐ ✓ ≥")]) == []
    project = copy_project(tmp_path / "project")
    case = project / "casestudies" / "conflict-to-collaboration.yml"
    case.write_text(case.read_text(encoding="utf-8").replace(
        "title: From conflict to collaboration in a community services partnership",
        f"title: Székely alliance {letters} for shared services"), encoding="utf-8")
    proc = run_mkdocs(project, "--strict", env={**PDF_ENV, "ALLIANCE_PDF_PARTS": "1"}, check=False, quiet=False)
    assert proc.returncode != 0
    log = proc.stdout + proc.stderr
    assert "Traceback" not in log
    warning = next(line for line in log.splitlines() if "no font draws" in line)
    assert "U+10C80 OLD HUNGARIAN CAPITAL LETTER A" in warning and "U+10C82" in warning
    assert f"Székely alliance {letters} for shared services" in warning  # the words around it
    assert "Noto Sans Old Hungarian" in warning
    assert warning.count("no font draws") == 1  # one warning per font to install
    # Without strict mode (this project's mkdocs.yml sets it) it is a
    # warning: the book is still made.
    proc = run_mkdocs(project, "--no-strict", env={**PDF_ENV, "ALLIANCE_PDF_PARTS": "1"}, quiet=False)
    assert "no font draws" in proc.stdout + proc.stderr
    assert (project / "site" / BOOK).is_file()


def test_contents_numbers_line_up_on_the_right(built):
    # Each entry's page number ends on the same right edge. In parts (the
    # fork) the numbers are text and the dotted leader is drawn, not typed
    # (typed, every dot is a box to lay out); in one piece (the seed here)
    # WeasyPrint counts the pages itself, after a typed leader().
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextLine

    def lines(element):
        if isinstance(element, LTTextLine):
            yield element
        for child in getattr(element, "_objs", []):
            yield from lines(child)

    page = next(extract_pages(str(built.pdf), page_numbers=[1]))
    ends = [max(c.x1 for c in line if isinstance(c, LTChar)) for line in lines(page)
            if re.search(r"\d$", line.get_text().strip()) and line.y0 > 60]  # not the page's own number
    assert len(ends) >= 30 and max(ends) - min(ends) < 1.0, ends
    assert ("." * 3 in pdftotext(built.pdf, 2, 2)) == (built.name == "seed")


def test_contents_page_numbers_point_at_their_chapters(built):
    outline = _flatten(outline_tree(built.reader))
    first_chapter = outline[1][1]
    entries = contents_entries(built.reader, 2, first_chapter)
    by_title: dict[str, set[int]] = {}
    for title, page, _c in outline:
        by_title.setdefault(title, set()).add(page + 1)
    assert len(entries) >= len(outline) - 5  # a few long titles wrap over two lines
    checked = 0
    for title, number in entries:
        title = title.strip()
        if title in by_title:
            assert int(number) in by_title[title], title
            checked += 1
    assert checked >= 30


def test_metadata_language_and_tags(built):
    meta = built.reader.metadata
    assert meta.title == "Alliance Playbook"
    assert meta.author == "Alliance Playbook contributors"
    assert "governance alliances" in meta.subject
    assert "Playbook" in meta["/Keywords"]
    assert meta["/CreationDate"].startswith("D:20260101000000")
    root = built.reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    # No random file identifier: none from WeasyPrint, a digest of the content
    # from the merge of a book laid out in parts (the reproducible-build test
    # in test_quality_gates.py shows it is the same on every build).
    assert ("/ID" in built.reader.trailer) == (built.name == "fork")


def test_print_html_is_lean_and_on_paper(built):
    doc = built.print_html
    assert not doc.select("script, input, select, textarea, button, form, link[rel=stylesheet]")
    assert not doc.select(".headerlink, .md-content__button, .ap-pdf-link")
    boxes = doc.select(".ap-checklist-item .ap-box")
    assert len(boxes) >= 30 and not doc.select(".ap-checklist-item .ap-box--checked")
    assert not doc.select(".ap-worksheet") and len(doc.select(".ap-print-blank")) >= 3
    assert all(d.has_attr("open") for d in doc.select("details"))
    ids = [el["id"] for el in doc.select("[id]")]
    assert len(ids) == len(set(ids))


def test_cover_and_pages_look_designed(built, tmp_path):
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "24", "-png", "-f", "1", "-l", "3", str(built.pdf), str(tmp_path / "p")], check=True)
    cover, toc = (Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("p-*.png"))[:2])
    r, g, b = cover.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))  # the average colour
    assert g > r + 40 and b > r + 30, "the cover should be the brand colour"
    light = toc.convert("L").point(lambda v: 255 if v > 200 else 0).histogram()[255] / (toc.width * toc.height)
    assert light > 0.8, "a contents page is mostly paper"


def test_running_head_and_page_numbers(built):
    outline = _flatten(outline_tree(built.reader))
    spans = [(title, page, nxt[1]) for (title, page, _c), nxt in zip(outline[1:], outline[2:]) if nxt[1] - page >= 2 and _c == []]
    assert spans, "no chapter runs over two pages"
    for title, page, _next in spans[:8]:
        # The chapter's second page: no title of its own, the running head names it.
        lines = [line.strip() for line in pdftotext(built.pdf, page + 2, page + 2).splitlines() if line.strip()]
        assert squeeze(title) in squeeze(" ".join(lines[:3])), (title, lines[:3])
        assert lines[-1] == str(page + 2), "page number in the footer"


def _line_height(points: float) -> float:
    """The height pdftotext gives a line of the bundled body font at ``points``
    (its ascender to its descender)."""
    from fontTools.ttLib import TTFont

    from alliance_playbook.pdf.fonts import font_dir

    hhea = TTFont(font_dir() / "NotoSans-Regular.ttf", lazy=True)
    return points * (hhea["hhea"].ascent - hhea["hhea"].descent) / hhea["head"].unitsPerEm


def stranded_headings(pdf: Path) -> list[int]:
    """Pages whose last line of body text is set in heading size (13pt or more)."""
    heading = _line_height(13) - 0.5
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    found = []
    for number, page in enumerate(out.split("<page ")[1:], start=1):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        lines = [(float(a), float(b)) for a, b in re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)]
        body = [(top, bottom) for top, bottom in lines if top > 62 and bottom < height - 57]  # inside the page margins
        if number > 1 and body and max(body)[1] - max(body)[0] > heading:
            found.append(number)
    return found


def test_no_heading_is_stranded_at_a_page_bottom(built):
    assert stranded_headings(built.pdf) == []


def test_the_stranded_heading_check_catches_one(tmp_path):
    from alliance_playbook.pdf.layout import render_pdf

    words = ["alliance", "partners", "share", "the", "work", "and", "the", "credit", "in", "equal", "measure"]
    body = "<h1>Long</h1>" + "".join(f"<p>{' '.join(words * (3 + (i * 7) % 11))}</p><h2>Heading {i}</h2>" for i in range(40))
    site = _site(tmp_path, {"index.html": body + "<p>end</p>"})
    html = assemble_book(site, [NavNode("Long", "", "index.html")], PdfOptions(site_name="S")).html
    render_pdf(html, site, tmp_path / "kept.pdf")
    render_pdf(html.replace("</style>", "h2 { break-after: auto !important; }</style>"), site, tmp_path / "loose.pdf")
    assert stranded_headings(tmp_path / "kept.pdf") == []
    assert stranded_headings(tmp_path / "loose.pdf")


def test_fork_prints_french_and_japanese_with_real_glyphs(projects):
    pdf = projects["fork"] / "site" / BOOK
    reader = PdfReader(pdf)
    text = squeeze(pdftotext(pdf))
    cases = yaml_titles(projects["fork"], "casestudies/*.yml")
    for case in ("alliance-eau-de-lyon", "kyoto-machizukuri"):
        assert squeeze(cases[case]) in text
    page = next(p for t, p, _c in _flatten(outline_tree(reader)) if t == cases["kyoto-machizukuri"])
    names = [str(f.get("/BaseFont")) for f in fonts_of(reader.pages[page].get("/Resources"))]
    assert any("CJK" in n for n in names), names
    assert "�" not in pdftotext(pdf, page + 1, page + 1)
    hostile = cases["hostile-case"]
    assert squeeze(hostile) in text  # printed as text, never as markup


# --------------------------------------------------------------------------
# Worksheets


def test_each_worksheet_has_a_blank_pdf(built):
    sheets = sorted(built.project.glob("content/worksheets/*.yml"))
    assert len(sheets) >= 3
    for path in sheets:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        pdf = built.site / "pdf" / "worksheets" / f"{path.stem}.pdf"
        reader = PdfReader(pdf)
        assert 1 <= len(reader.pages) <= 2, (path.stem, len(reader.pages))
        text = pdftotext(pdf)
        assert in_text(data["title"], text)
        for field in data["fields"]:
            assert in_text(field["label"], text), (path.stem, field["label"])
        box = reader.pages[0].mediabox
        columns = 1 + len(data["fields"]) + (1 if data.get("score") else 0)  # "#", the fields, the score
        wide = data.get("layout", "table") == "table" and columns > 5
        assert (box.width > box.height) == wide, path.stem
        assert reader.metadata.title == data["title"]
        if data.get("layout", "table") == "table":
            rows = data.get("print_rows", 8)
            assert str(rows) in pdftotext(pdf).split()


def test_worksheet_pdf_is_reproducible(projects, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = projects["seed"] / "site"
    sheet = Worksheet("partner-identification", "worksheets/partner-identification/index.html", "worksheets/partner-identification/")
    options = PdfOptions(site_name="Alliance Playbook", organization="Org")
    assert worksheet_html(site, sheet, options) == worksheet_html(site, sheet, options)
    from alliance_playbook.pdf.layout import render_pdf

    a, b = site.parent / "a.pdf", site.parent / "b.pdf"
    render_pdf(worksheet_html(site, sheet, options), site, a)
    render_pdf(worksheet_html(site, sheet, options), site, b)
    assert a.read_bytes() == b.read_bytes()


# --------------------------------------------------------------------------
# Switches


def test_pdf_is_off_when_asked(seed_site):
    # The shared seed build runs with ALLIANCE_PDF=0: no PDF and no link to one.
    assert not (seed_site / "pdf").exists()
    assert "ap-pdf-link" not in (seed_site / "index.html").read_text(encoding="utf-8")


def test_serve_never_waits_for_the_pdf(monkeypatch):
    from mkdocs.config import load_config

    monkeypatch.setenv("ALLIANCE_PDF", "1")
    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["alliance-pdf"]
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(config)
    assert not plugin.active
    plugin.on_startup(command="build", dirty=False)
    plugin.on_config(config)
    assert plugin.active and plugin.options.organization == "Alliance Playbook contributors"
    monkeypatch.setenv("ALLIANCE_PDF", "0")
    plugin.on_config(config)
    assert not plugin.active
    monkeypatch.delenv("ALLIANCE_PDF")
    plugin.config.enabled = False
    plugin.on_config(config)
    assert not plugin.active


# --------------------------------------------------------------------------
# Pure parts, no build


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for path, body in pages.items():
        file = tmp_path / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f'<html><body><nav>menu</nav><article class="md-content__inner md-typeset">{body}</article></body></html>', encoding="utf-8")
    return tmp_path


def test_links_resolve_to_anchors_and_never_to_the_build_machine(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.json").write_text("{}")
    links = LinkMap(tmp_path, prefixes={"index.html": "p-home", "guide/a/index.html": "p-guide-a"}, ids={"p-guide-a": {"why"}})
    here = "guide/b/"
    assert links.resolve("../a/", here, "p-b").target == "p-guide-a"
    assert links.resolve("../a/#why", here, "p-b").target == "p-guide-a--why"
    assert links.resolve("../a/#gone", here, "p-b").target == "p-guide-a"  # the page, never a dead anchor
    assert links.resolve("../../", here, "p-b").target == "p-home"
    assert links.resolve("#top", here, "p-b").target == "p-b"
    assert links.resolve("https://example.org/x", here, "p-b").kind == "external"
    for bad in ("file:///etc/passwd", "http://localhost:8000/", "http://127.0.0.1/x", "javascript:alert(1)", "../../../../x/"):
        assert links.resolve(bad, here, "p-b").kind == "text", bad
    kept_as_text = links.resolve("../../data/x.json", here, "p-b")
    assert kept_as_text.kind == "text" and "site_url" in kept_as_text.reason
    web = LinkMap(tmp_path, site_url="https://guide.example/", prefixes=links.prefixes)
    assert web.resolve("../../data/x.json", here, "p").target == "https://guide.example/data/x.json"
    assert web.resolve("https://guide.example/guide/a/", here, "p").target == "p-guide-a"


def test_fetcher_loads_only_site_files_and_data(tmp_path):
    fetcher = SiteFetcher(tmp_path / "site")
    assert fetcher.allows((tmp_path / "site" / "img" / "a.png").as_uri())
    assert fetcher.allows("data:image/png;base64,AAAA")
    for url in ((tmp_path / "secret.png").as_uri(), "file:///etc/passwd", "https://example.org/a.png", "http://127.0.0.1/a.png"):
        assert not fetcher.allows(url), url
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/a.png")
    assert fetcher.blocked == ["https://example.org/a.png"]


def test_pages_print_their_paper_form():
    html = """<article class="md-content__inner">
    <a class="md-content__button" href="https://x/edit">edit</a>
    <h1 id="t">Title<a class="headerlink" href="#t">¶</a></h1>
    <ul><li class="ap-checklist-item"><input type="checkbox" id="a"><label for="a">Open</label></li>
    <li class="task-list-item"><input type="checkbox" checked disabled> Done</li></ul>
    <details><summary>More</summary><p>Hidden text</p></details>
    <div class="tabbed-set tabbed-alternate"><input type="radio" id="t1" checked><input type="radio" id="t2">
    <div class="tabbed-labels"><label for="t1">First tab</label><label for="t2">Second tab</label></div>
    <div class="tabbed-content"><div class="tabbed-block"><p>One</p></div><div class="tabbed-block"><p>Two</p></div></div></div>
    <div class="ap-worksheet"><table><tr><td><input type="text"></td></tr></table></div>
    <div class="ap-blank" aria-hidden="true"><h2>Sheet</h2><table><tr><th>Label</th></tr></table></div>
    <img class="twemoji" src="https://cdn.example/1f600.svg" alt="😀">
    <p class="ap-noprint">screen only</p><script>alert(1)</script>
    </article>"""
    soup = BeautifulSoup(serialize(printable_article(html)), "html.parser")
    assert not soup.select("input, script, .headerlink, .md-content__button, .ap-noprint, .ap-worksheet, img")
    unchecked, checked = soup.select(".ap-box")
    assert "ap-box--checked" not in unchecked["class"] and not unchecked.get_text()
    assert "ap-box--checked" in checked["class"] and checked.get_text() == "✓"
    assert soup.select_one("details").has_attr("open")
    tabs = soup.select(".ap-tab")
    assert [t.select_one(".ap-tab-label").get_text() for t in tabs] == ["First tab", "Second tab"]
    assert [t.p.find_next_sibling("p").get_text() for t in tabs] == ["One", "Two"]
    assert soup.select_one(".ap-print-blank th").get_text() == "Label" and not soup.select(".ap-print-blank h2")
    assert "😀" in soup.get_text()


def test_serializer_keeps_svg_and_escapes_text():
    root = parse_fragment('<p title="a&quot;b">x &lt;script&gt;</p><svg viewBox="0 0 2 2"><rect width="1"/><text>&amp;</text></svg>')
    html = serialize(root)
    assert '<svg viewBox="0 0 2 2"><rect width="1"/><text>&amp;</text></svg>' in html
    assert "x &lt;script&gt;" in html and 'title="a&quot;b"' in html


def test_navigation_becomes_the_book_structure():
    def page(title, url, index=False):
        file = SimpleNamespace(dest_uri=(url or "") + "index.html", src_uri=(url or "") + "index.md")
        return SimpleNamespace(is_page=True, is_section=False, is_index=index, title=title, url=url, file=file)

    lessons = SimpleNamespace(is_page=False, is_section=True, title="Lessons", children=[page("All lessons", "lessons/", True)])
    tree = nav_from_mkdocs([page("Home", "", True), lessons, SimpleNamespace(is_page=False, is_section=False)])
    assert [(n.title, n.url) for n in tree] == [("Home", ""), ("Lessons", "lessons/")]
    orphans = [NavNode("One lesson", "lessons/one/", "lessons/one/index.html"), NavNode("Stray", "stray/", "stray/index.html")]
    assert [n.title for n in attach_orphans(tree, orphans)] == ["Stray"]
    assert [n.title for n in tree[1].children] == ["One lesson"]


def test_a_missing_navigation_page_fails_clearly(tmp_path):
    site = _site(tmp_path, {"index.html": "<h1>Home</h1>"})
    (site / "plain" / "index.html").parent.mkdir()
    (site / "plain" / "index.html").write_text("<html><body><main>no article</main></body></html>")
    nav = [NavNode("Home", "", "index.html"), NavNode("Gone", "gone/", "gone/index.html"), NavNode("Plain", "plain/", "plain/index.html")]
    with pytest.raises(PdfError) as err:
        assemble_book(site, nav, PdfOptions(site_name="S"))
    assert "'Gone': gone/index.html was not built" in str(err.value)
    assert "'Plain': plain/index.html has no <article" in str(err.value)


def test_book_ids_are_unique_and_links_stay_inside(tmp_path):
    site = _site(tmp_path, {
        "index.html": '<h1 id="intro">Home</h1><p><a href="a/#intro">to a</a> <a href="#intro">self</a></p>',
        "a/index.html": '<h1 id="intro">A</h1><p><a href="../">home</a> <a href="http://localhost:8000/">dev</a></p>'
                        '<img src="pic.png" alt="Local"><img src="https://cdn.example/x.png" alt="Remote">',
    })
    book = assemble_book(site, [NavNode("Home", "", "index.html"), NavNode("A", "a/", "a/index.html")], PdfOptions(site_name="S & co", logo="assets/logo.png"))
    soup = BeautifulSoup(book.html, "html.parser")
    ids = [el["id"] for el in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    assert {"p-a--intro", "p-home", "p-a"} <= set(book.internal_links)
    assert not soup.select("a[href*=localhost]") and any("build machine" in i for i in book.issues)
    assert soup.title.get_text() == "S & co" and soup.html["lang"] == "en"
    assert soup.select_one("img.ap-cover-logo")["src"] == "assets/logo.png"
    assert [img["src"] for img in soup.select(".ap-node img")] == ["a/pic.png"]  # relative to the site root now
    assert "[Remote]" in soup.get_text() and any("cdn.example" in i for i in book.issues)


def test_long_wide_tables_fit_and_repeat_their_header(tmp_path):
    from alliance_playbook.pdf.layout import render_pdf

    header = "".join(f"<th>Heading {i}</th>" for i in range(10))
    rows = "".join("<tr>" + "".join(f"<td>row {r} cell with some words {c}</td>" for c in range(10)) + "</tr>" for r in range(70))
    site = _site(tmp_path, {"index.html": f"<h1>Wide</h1><table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"})
    book = assemble_book(site, [NavNode("Wide", "", "index.html")], PdfOptions(site_name="S"))
    assert 'class="ap-wide ap-long"' in book.html
    rendered = render_pdf(book.html, site, site / "book.pdf")
    table_pages = range(3, rendered.pages + 1)
    assert len(table_pages) >= 2
    for number in table_pages:
        assert "Heading 9" in pdftotext(site / "book.pdf", number, number), f"no header on page {number}"
    # Nothing runs off the paper: every word ends inside the page width.
    bbox = subprocess.run(["pdftotext", "-bbox", str(site / "book.pdf"), "-"], check=True, capture_output=True, text=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    assert max(float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)) < width - 20


@pytest.mark.browser
def test_browser_print_shows_the_page_only_and_opens_details(page, seed_http):
    page.goto(seed_http + "guide/understanding-alliances/")
    page.emulate_media(media="print")
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator(".md-header").is_visible()
    page.goto(seed_http + "worksheets/partner-identification/")
    page.emulate_media(media="print")
    assert not page.locator(".md-sidebar--primary").is_visible()
    # The guidance prints as a short box naming the steps, not as the
    # screen's expandable list of each step's questions and checklist.
    assert not page.locator("details.ap-guidance-step").first.is_visible()
    short = page.locator(".ap-guidance-print")
    assert short.is_visible() and short.locator("li").count() >= 2
    page.emulate_media(media="screen")
    assert not short.is_visible() and page.locator("details.ap-guidance-step").first.is_visible()
    assert not page.errors


@pytest.mark.browser
def test_browser_print_of_a_filled_worksheet_shows_every_word_and_blanks_turn(page, seed_http, tmp_path):
    # A long answer prints in full (not only the textarea's visible lines),
    # and "Print blank" of a wide table prints landscape, rows to write in.
    page.goto(seed_http + "worksheets/alliance-health-check/")
    words = " ".join(f"word{i}" for i in range(160))
    area = page.locator(".md-content textarea").first
    area.fill(words)
    on_screen = area.evaluate("a => a.clientHeight")
    page.emulate_media(media="print")
    assert area.evaluate("a => a.scrollHeight <= a.clientHeight + 2"), "the printed textarea cuts its text"
    assert area.evaluate("a => a.clientHeight") > on_screen
    path = tmp_path / "printed.pdf"
    # Printed (the browser says so first), every answer is there as text, in
    # a form and in a table's cards alike; afterwards the page is as it was.
    for url in ("worksheets/alliance-health-check/", "worksheets/partner-identification/"):
        page.emulate_media(media="screen")
        page.goto(seed_http + url)
        page.locator(".md-content textarea").first.fill(words)
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")  # (page.pdf keeps an emulated screen medium)
        path.write_bytes(page.pdf(prefer_css_page_size=True))
        assert "word0" in pdftotext(path) and "word159" in pdftotext(path), url
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        assert page.locator(".ap-print-value").count() == 0
        assert page.locator(".md-content textarea").first.input_value() == words
    page.goto(seed_http + "worksheets/partner-identification/")
    page.evaluate("document.body.classList.add('ap-print-blank')")
    page.emulate_media(media="print")
    path.write_bytes(page.pdf(prefer_css_page_size=True))
    reader = PdfReader(path)
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages)
    assert len(reader.pages) <= 2
    rows = page.locator(".ap-blank-table tbody tr")
    assert rows.count() >= 8 and rows.first.evaluate("r => r.getBoundingClientRect().height") >= 12 / 25.4 * 96 - 1
    text = pdftotext(path)
    assert "Organization" in text and "Next step" in text  # every column on the paper
    assert not page.errors


# --------------------------------------------------------------------------
# A reader's book, worksheets for pens, workshop kits (#17)


def _mediaboxes(pdf: Path) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(pdf).pages]


def _page_of(reader: PdfReader, title: str) -> int:
    return next(p for t, p, _c in _flatten(outline_tree(reader)) if t == title)


def test_wide_blank_worksheets_turn_the_page_in_the_book_and_as_sheets(built):
    # The partner identification table (11 columns) is on landscape pages
    # in the book and as a sheet; the health check form stays portrait.
    title = yaml_titles(built.project, "content/worksheets/*.yml")["partner-identification"]
    reader = built.reader
    start = _page_of(reader, title)
    boxes = _mediaboxes(built.pdf)
    turned = [n for n in range(start, len(boxes)) if boxes[n][0] > boxes[n][1]]
    assert turned and turned[0] - start <= 1, (start, turned[:3])
    assert "Organization" in pdftotext(built.pdf, turned[0] + 1, turned[0] + 1)
    sheet = built.site / "pdf/worksheets/partner-identification.pdf"
    assert all(w > h for w, h in _mediaboxes(sheet))
    assert all(w < h for w, h in _mediaboxes(built.site / "pdf/worksheets/alliance-health-check.pdf"))


def test_blank_rows_are_tall_enough_to_write_in(built):
    # At least 12 mm between the row numbers of a blank table, in the sheet.
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(built.site / "pdf/worksheets/partner-identification.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    # The row numbers: digits in the table's first, narrow column.
    tops = {int(w): float(y) for x, y, w in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(\d+)</word>', bbox)
            if float(x) < 72}
    rows = [tops[n] for n in range(1, 6) if n in tops]
    assert len(rows) == 5
    assert min(b - a for a, b in zip(rows, rows[1:])) >= 12 / 25.4 * 72 - 0.5


def test_paper_worksheets_have_tick_boxes_ruled_lines_and_who_filled_them_in(built):
    html = built.print_html
    sheet = next(s for s in html.select(".ap-print-blank") if s.select(".ap-blank-form"))
    scale = sheet.select_one("dd.ap-blank-scale")
    assert len(scale.select(".ap-box")) == 5 and "Not at all" in scale.get_text()
    assert len(sheet.select("dd.ap-blank-longtext .ap-rule")) >= 4  # room for comments
    assert "Filled in by" in sheet.select_one(".ap-sheet-fill").get_text()
    assert sheet.select("svg") == []  # no empty bars on paper
    text = pdftotext(built.site / "pdf/worksheets/alliance-health-check.pdf")
    assert "Filled in by" in text and "Not at all" in text


def test_print_wording_and_short_guidance(built):
    html = built.print_html
    text = html.get_text(" ")
    for web_only in ("Open the step", "Every box is a link", "scroll it sideways", "Open the master checklist"):
        assert web_only not in text, web_only
    assert html.select(".ap-guidance-step") == []  # the screen's long guidance
    assert html.select(".ap-guidance-print li a")  # a short list of the steps instead


def test_links_print_the_page_they_land_on(built):
    # Each link to another chapter ends with "(page N)", N being where the
    # outline puts that chapter: laid out in one piece (the seed), where
    # WeasyPrint counts, and in parts (the fork), where each part prints
    # a stand-in that is numbered once every part is placed.
    assert len(built.print_html.select("a.ap-ref")) >= 20
    outline = {squeeze(t): p + 1 for t, p, _c in _flatten(outline_tree(built.reader))}
    text = pdftotext(built.pdf)
    refs = re.findall(r"\((?:page|PAGE)\s*(\d+)\)", text)
    assert len(refs) >= len(built.print_html.select("a.ap-ref")) * 0.9  # a ref in a drawing or heading prints none
    assert all(0 < int(n) <= len(built.reader.pages) for n in refs) and "0" * 3 not in refs
    checked = 0
    for title, number in re.findall(r"([A-Z][A-Za-z' ,-]{8,80})\s*\(page\s*(\d+)\)", text):
        key = squeeze(title.strip())
        if key in outline:
            assert outline[key] == int(number), (title, number, outline[key])
            checked += 1
    assert checked >= 10


def test_no_table_word_is_hyphenated(built):
    # Every word of a table header or cell comes out of the PDF whole.
    text = squeeze(pdftotext(built.pdf))
    words = {w.strip(".,:;()") for cell in built.print_html.select("th, td") for w in cell.get_text(" ").split()}
    long_words = sorted(w for w in words if len(w) >= 8 and w.isalpha())
    assert len(long_words) > 20
    broken = [w for w in long_words if w not in text]
    assert broken == []


def test_chapters_do_not_end_with_a_few_stray_lines(built):
    # No page holds only one to three lines of text, except part title
    # pages: not a worksheet question alone over its writing lines either.
    parts = {squeeze(t) for t, _p, children in outline_tree(built.reader) if children}
    out = subprocess.run(["pdftotext", "-bbox-layout", str(built.pdf), "-"], check=True, capture_output=True, text=True).stdout
    stray = []
    for number, page in enumerate(out.split("<page ")[1:], start=1):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        lines = [(float(a), float(b), re.sub(r"<[^>]+>|\s+", "", body)) for a, b, body in
                 re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', page, re.S)]
        body = [text for top, bottom, text in lines if top > 62 and bottom < height - 57]
        if number == 1 or not 0 < len(body) <= 3:
            continue
        if any(text in parts for text in body):
            continue
        stray.append((number, body))
    assert stray == []


def test_each_phase_has_its_workshop_kit(built):
    data = json.loads((built.site / "data/playbook.json").read_text(encoding="utf-8"))
    steps = {s["id"]: s for s in data["steps"]}
    worksheets = {w["id"]: w for w in data["worksheets"]}
    lessons = {le["id"]: le for le in data["lessons"]}
    downloads = BeautifulSoup((built.site / "downloads/index.html").read_text(encoding="utf-8"), "html.parser")
    for phase in data["phases"]:
        kit = built.site / "pdf" / "kits" / f"{phase['id']}.pdf"
        reader = PdfReader(kit)
        assert reader.metadata.title.endswith(phase["title"])
        outline = [squeeze(t) for t, _p, _c in _flatten(outline_tree(reader))]
        # Its pages follow the book's order: the book's page numbers, which
        # its contents list prints, go up.
        numbers = [int(n) for _title, n in contents_entries(reader, 2, 2)]
        assert len(numbers) >= 5 and numbers == sorted(numbers), numbers
        # Its own page numbers count from its cover (the fronts of every
        # kit are laid out as one document), and each contents entry is a
        # link to its chapter's page in the kit.
        assert pdftotext(kit, 2, 2).split()[-1] == "2"
        entries = [a.get_object() for a in reader.pages[1].get("/Annots") or []]
        assert len(entries) == len(numbers) and all("/Dest" in a for a in entries)
        kit_index = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
        entries.sort(key=lambda a: -float(a["/Rect"][1]))  # top to bottom, as the numbers are read
        for annot, number in zip(entries, numbers, strict=True):
            landed = kit_index[annot["/Dest"][0].idnum] + 1
            assert pdftotext(kit, landed, landed) == pdftotext(built.pdf, number, number)
        for step in phase["steps"]:
            assert squeeze(steps[step]["title"]) in outline
            for ws in steps[step].get("links", {}).get("worksheets", []):
                assert squeeze(worksheets[ws]["title"]) in outline
            for lesson in steps[step].get("links", {}).get("lessons", []):
                assert squeeze(lessons[lesson]["title"]) in outline
        text = pdftotext(kit)
        first = steps[phase["steps"][0]]
        assert squeeze(first["checklist"][0]["text"]) in squeeze(text)
        # Cut from the book, not laid out again: the step's page is the
        # book's page, word for word, page number included.
        in_kit = _page_of(reader, first["title"])
        in_book = _page_of(built.reader, first["title"])
        assert pdftotext(kit, in_kit + 1, in_kit + 1) == pdftotext(built.pdf, in_book + 1, in_book + 1)
        # Every link left in the kit lands on a page of the kit.
        links = [a.get_object() for p in reader.pages for a in (p.get("/Annots") or []) if a.get_object().get("/Subtype") == "/Link"]
        internal = [a for a in links if "/Dest" in a]
        assert internal
        kit_pages = {p.indirect_reference.idnum for p in reader.pages}
        assert all(a["/Dest"][0].idnum in kit_pages for a in internal)
        # Linked from the phase page and the downloads page.
        page = BeautifulSoup((built.site / phase["url"] / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert any(a["href"].endswith(f"pdf/kits/{phase['id']}.pdf") for a in page.select(".ap-kit-link a"))
        assert any(a["href"].endswith(f"pdf/kits/{phase['id']}.pdf") for a in downloads.select("a"))


def test_maintainers_get_their_own_pdf_when_asked(tmp_path):
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - alliance-pdf\n", "  - alliance-pdf:\n      maintainers: separate\n      kits: false\n"),
                      encoding="utf-8")
    run_mkdocs(project, env={**PDF_ENV, "ALLIANCE_PDF_PARTS": "1"})
    site = project / "site"
    book = [t for t, _p, _c in outline_tree(PdfReader(site / BOOK))]
    assert not any("maintainers" in t.lower() for t in book) and "For forks" not in book
    theirs = site / "pdf/alliance-playbook-maintainers.pdf"
    assert [t for t, _p, _c in outline_tree(PdfReader(theirs))][1:] == ["For forks", "Explore", "Reference"]
    assert not (site / "pdf/kits").exists()
    downloads = (site / "downloads/index.html").read_text(encoding="utf-8")
    assert "pdf/alliance-playbook-maintainers.pdf" in downloads
    forking = (site / "forking/index.html").read_text(encoding="utf-8")
    assert "alliance-playbook-maintainers.pdf" in forking  # its Download PDF link points where it is printed
    bad = config.read_text(encoding="utf-8").replace("maintainers: separate", "maintainers: elsewhere")
    config.write_text(bad, encoding="utf-8")
    proc = run_mkdocs(project, env=PDF_ENV, check=False, quiet=False)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "appendix" in proc.stderr and "separate" in proc.stderr


def test_every_tool_reads_the_words_in_reading_order(built):
    # pypdf, pdfminer and poppler each extract the chapters' titles in the
    # outline's order (search, copy and assistive tools read the same), the
    # French and Japanese of the fork included; after a merge of parts too.
    from pdfminer.high_level import extract_text

    titles = [squeeze(t) for t, _p, _c in _flatten(outline_tree(built.reader))[1:]]
    texts = {
        "pypdf": squeeze("\n".join(page.extract_text() or "" for page in built.reader.pages)),
        "pdfminer": squeeze(extract_text(str(built.pdf))),
        "poppler": squeeze(pdftotext(built.pdf)),
    }
    for tool, text in texts.items():
        assert "\ufffd" not in text, tool
        position = 0
        for title in titles:
            found = text.find(title, position)
            assert found >= 0, (tool, title)
            position = found + len(title)
    if built.name == "fork":
        cases = yaml_titles(built.project, "casestudies/*.yml")
        for tool, text in texts.items():
            assert squeeze(cases["kyoto-machizukuri"]) in text and squeeze(cases["alliance-eau-de-lyon"]) in text, tool
