"""A book laid out in parts: how it is cut, numbered and merged.

The whole-book checks (outline, links, contents numbers, tags, glyphs) run
on a real build laid out in three parts in ``test_pdf.py`` (the fork) and
``test_quality_gates.py`` (identical bytes with one or two processes). These
are the pieces on their own, on small made-up books.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from alliance_playbook.pdf import NavNode, PdfOptions
from alliance_playbook.pdf.book import assemble_book
from alliance_playbook.pdf.layout import fast_page_references, lay_out_part, render_part, write_part
from alliance_playbook.pdf.parts import MAX_PARTS, part_count, plan_parts
from conftest import copy_project, run_mkdocs

WORDS = ["partners", "agree", "on", "shared", "goals", "and", "report", "progress", "to", "each", "other", "every", "quarter"]


def _page(title: str, paragraphs: int, links: list[str] = ()) -> str:
    body = "".join(f"<p>{' '.join(WORDS * 4)}</p>" for _ in range(paragraphs))
    refs = "".join(f'<p><a href="{href}">see {href}</a></p>' for href in links)
    return f'<html><body><article class="md-content__inner md-typeset"><h1>{title}</h1>{body}{refs}</article></body></html>'


def _book(tmp_path: Path, cases: int = 12):
    """A home page, then a "Cases" section of ``cases`` pages that link to each other and home."""
    site = tmp_path / "site"
    (site / "cases").mkdir(parents=True)
    (site / "index.html").write_text(_page("Home", 2), encoding="utf-8")
    children = []
    for i in range(cases):
        (site / "cases" / f"c{i}").mkdir()
        links = ["../../", f"../c{(i + 5) % cases}/"]
        (site / "cases" / f"c{i}" / "index.html").write_text(_page(f"Case {i}", 3 + i % 3, links), encoding="utf-8")
        children.append(NavNode(f"Case {i}", f"cases/c{i}/", f"cases/c{i}/index.html"))
    nav = [NavNode("Home", "", "index.html"), NavNode("Cases", None, None, children)]
    return site, nav, assemble_book(site, nav, PdfOptions(site_name="Parts test"))


def test_a_book_is_cut_before_chapters_into_whole_documents(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the book's date is in every part: the same for both books
    _site, _nav, book = _book(tmp_path)
    plan = plan_parts(book.root, 3)
    assert len(plan.parts) == 3
    # Every chapter exactly once, in reading order, across the parts.
    chapters = [anchor for part in plan.parts for anchor in part.chapters]
    assert chapters == [a for a, _title in book.chapters]
    for part in plan.parts:
        doc = BeautifulSoup(part.html, "html.parser")
        assert doc.select_one("head style") and doc.html["lang"] == "en"
        assert not doc.select(".ap-cover, .ap-toc")  # the front matter is a part of its own
        ids = {el["id"] for el in doc.select("[id]")}
        targets = {a["href"][1:] for a in doc.select("a[href^='#']")}
        assert part.elsewhere == sorted(targets - ids)
        # A part that starts inside "Cases" reopens it: no id, its title for the running head.
        for shell in doc.select("section.ap-continued"):
            assert not shell.has_attr("id") and "ap-node" not in shell["class"]
            assert shell["data-ap-part"] == "Cases"
    assert any(BeautifulSoup(p.html, "html.parser").select("section.ap-continued") for p in plan.parts[1:])
    # Cut at about equal cost (chapters differ by up to half).
    costs = [p.cost for p in plan.parts]
    assert max(costs) < 1.6 * min(costs)
    # The same content gives the same parts.
    _s, _n, again = _book(tmp_path / "again")
    assert [p.html for p in plan_parts(again.root, 3).parts] == [p.html for p in plan.parts]


def test_how_many_parts_follows_the_size_of_the_book(tmp_path):
    _site, _nav, small = _book(tmp_path / "small", cases=2)
    _site, _nav, large = _book(tmp_path / "large", cases=40)
    assert part_count(small.root) == 1
    assert part_count(large.root, part_cost=1_000) == MAX_PARTS
    assert 1 < part_count(large.root, part_cost=20_000) < MAX_PARTS
    assert len(plan_parts(small.root, 50).parts) == 3  # never more parts than chapters


def test_a_part_numbers_its_pages_from_its_offset(tmp_path):
    _site, nav, book = _book(tmp_path, cases=4)
    site = tmp_path / "site"
    plan = plan_parts(book.root, 2)
    asked = []

    def ask(pages: int) -> int:
        asked.append(pages)
        return 40

    part = render_part(plan.parts[1].html, site, tmp_path / "p.pdf", elsewhere=plan.parts[1].elsewhere, ask_offset=ask)
    assert asked == [part.pages] and part.pages >= 2
    footers = [text.strip().splitlines()[-1] for text in
               subprocess.run(["pdftotext", str(tmp_path / "p.pdf"), "-"], check=True, capture_output=True, text=True).stdout.split("\f")[:-1]]
    assert footers == [str(41 + i) for i in range(part.pages)]
    # Links to chapters in the other part are kept (with a stand-in the merge drops).
    assert set(plan.parts[1].elsewhere) <= set(PdfReader(tmp_path / "p.pdf").named_destinations)
    assert not set(plan.parts[1].elsewhere) & part.rendered.anchors


def _words(pdf: Path) -> list[tuple[str, float, float]]:
    """Every word of the PDF with its left edge and top, in points (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [(word, float(x), float(y)) for x, y, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)]


@pytest.mark.parametrize("number", ["7", "42", "9999"])
def test_a_deferred_page_reference_reads_as_if_laid_out_with_its_number(tmp_path, number):
    # A book in parts lays out "(page 000)" and prints the number once every
    # part is placed: the words after it on its line move up to it, or along
    # when the number is wider, exactly where a layout with the number puts them.
    style = ("<style>a { display: inline-block } a.ref::after { content: '\\a0(page\\a0' attr(data-n) ')' }"
             " a.ref[data-ap-at]::after { content: '\\a0(page\\a0' attr(data-ap-at) ')'; font-variant-numeric: tabular-nums }"
             " body { font-size: 11pt; width: 120mm } b { background: #eee }</style>")
    para = ("<p>See <b>first <a class=ref href='#x' data-n='{n}'{at}>Hold check-ins</a> and then</b> the rest, "
            "and <a class=ref href='#x' data-n='{n}'{at}>Build shared understanding of priorities over the years</a> for more words here.</p>")
    body = "<h1 id=x>Target</h1>" + para * 3
    (tmp_path / "site").mkdir()
    deferred = f"<html lang=en>{style}<body>{body.format(n=number, at=' data-ap-at=000')}</body></html>"
    baked = f"<html lang=en>{style}<body>{body.format(n=number, at='')}</body></html>"
    held = lay_out_part(deferred, tmp_path / "site", tmp_path / "deferred.pdf")
    write_part(held, {"x": int(number)})
    render_part(baked, tmp_path / "site", tmp_path / "baked.pdf")
    got, want = _words(tmp_path / "deferred.pdf"), _words(tmp_path / "baked.pdf")
    assert [w for w, _x, _y in got] == [w for w, _x, _y in want]
    assert f"{number})" in [w for w, _x, _y in got] and "000)" not in [w for w, _x, _y in got]
    # Lines break where the stand-in put them (it is three digits wide), so
    # compare the words on lines that broke alike: every word of those sits
    # where the layout with the number put it.
    def lines(words):
        out: dict[float, list[tuple[str, float]]] = {}
        for word, x, y in words:
            out.setdefault(round(y, 1), []).append((word, x))
        return list(out.values())

    wanted = {tuple(w for w, _x in line): line for line in lines(want)}
    compared = 0
    for line in lines(got):
        other = wanted.get(tuple(w for w, _x in line))
        if other is not None and any(w.endswith(")") for w, _x in line):
            compared += 1
            assert [round(x, 1) for _w, x in line] == pytest.approx([round(x, 1) for _w, x in other], abs=0.3), line
    assert compared >= 2


def test_the_page_reference_cache_changes_no_byte(tmp_path):
    from weasyprint import HTML

    html = "<html lang=en><body>" + "".join(f"<h2 id=h{i}>Part {i}</h2><p><a href='#h{(i + 3) % 30}'>next</a> {' '.join(WORDS * 30)}</p>" for i in range(30)) + "</body></html>"
    plain = HTML(string=html).write_pdf(pdf_tags=True)
    with fast_page_references():
        cached = HTML(string=html).write_pdf(pdf_tags=True)
    (tmp_path / "cached.pdf").write_bytes(cached)
    assert len(PdfReader(tmp_path / "cached.pdf").pages) > 5
    assert plain == cached


@pytest.mark.parametrize("value", ["two", "-1"])
def test_a_bad_parts_setting_is_a_clear_error(tmp_path, value):
    project = copy_project(tmp_path / "project")
    proc = run_mkdocs(project, env={"ALLIANCE_PDF": "1", "ALLIANCE_PDF_PARTS": value}, check=False)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "ALLIANCE_PDF_PARTS must be a whole number" in proc.stderr
    assert not (project / "site" / "pdf").exists()


# Workers that fail, for the coordinator (module level: spawned processes import them).
def _failing_worker(conn, site_dir):
    job = conn.recv()
    conn.send(("error", job[1], "Traceback (most recent call last):\n  ...\nValueError: the part could not be laid out"))


def _dying_worker(conn, site_dir):
    import os

    conn.recv()
    os._exit(3)


@pytest.mark.parametrize("worker, message", [
    # Both workers fail; whichever is heard first names its part.
    (_failing_worker, r"laying out part [12] of the PDF failed: ValueError: the part could not be laid out \(run mkdocs build -v"),
    (_dying_worker, r"a PDF worker stopped unexpectedly while laying out part [12]$"),
])
def test_a_failed_part_fails_the_book_clearly(tmp_path, worker, message):
    from alliance_playbook.pdf.book import PdfError
    from alliance_playbook.pdf.parallel import render_parts

    site, _nav, book = _book(tmp_path, cases=4)
    target = site / "pdf" / "book.pdf"
    with pytest.raises(PdfError) as caught:
        render_parts(plan_parts(book.root, 2), book.root, site, target, jobs=2, worker=worker)
    assert re.search(message, str(caught.value)) and "Traceback" not in str(caught.value)
    assert not target.exists() and not target.parent.exists()


def _numbered(numbers: dict[str, int]) -> str:
    """A one-page document printing the case chapters' page numbers it is given."""
    rows = "".join(f"<p>{name} {page}</p>" for name, page in sorted(numbers.items()) if name.startswith("p-cases-c"))
    return f"<html><body><h1 id='alongside'>Alongside</h1>{rows}</body></html>"


def test_a_document_alongside_the_book_gets_its_page_numbers(tmp_path):
    """A workshop kit's contents are made by a worker once the book's pages
    are placed: with the same numbers as the book's own outline."""
    from alliance_playbook.pdf.parallel import Alongside, render_parts

    site, _nav, book = _book(tmp_path, cases=8)
    target = site / "pdf" / "book.pdf"
    extra = Alongside(_numbered, site / "pdf" / "alongside.pdf")
    render_parts(plan_parts(book.root, 3), book.root, site, target, jobs=2, alongside=[extra])
    assert extra.rendered is not None and extra.rendered.anchor_pages["alongside"] == 1
    printed = {name: int(page) for name, page in re.findall(r"(p-cases-c\d+) (\d+)", PdfReader(extra.target).pages[0].extract_text())}
    reader = PdfReader(target)
    cases = next(item for item in reader.outline if isinstance(item, list))  # the "Cases" section's chapters
    starts = {f"p-cases-c{i}": reader.get_destination_page_number(item) + 1 for i, item in enumerate(cases)}
    assert len(printed) == 8 and printed == starts


def test_without_worker_processes_the_book_is_made_in_one_piece(tmp_path):
    """Inside a daemonic process (a task queue's worker, say) no process can be started."""
    import multiprocessing

    site, nav, _book_ = _book(tmp_path, cases=6)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_build_in_a_daemon, args=(str(site), nav, queue), daemon=True)
    child.start()
    pages, messages = queue.get(timeout=120)
    child.join(timeout=10)
    assert pages >= 8
    assert any("cannot start a worker process" in m and "one piece" in m for m in messages), messages
    assert len(PdfReader(site / "pdf" / "parts-test.pdf").pages) == pages


def captured_log(name: str):
    """A logger of its own (INFO and up), and the list its messages go to."""
    import logging

    messages: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    log = logging.getLogger(name)
    log.setLevel(logging.INFO)
    log.propagate = False
    log.addHandler(Keep())
    return log, messages


def _build_in_a_daemon(site: str, nav, queue) -> None:
    from alliance_playbook.pdf import build_pdf

    log, messages = captured_log("parts-test")
    result = build_pdf(Path(site), nav, PdfOptions(site_name="Parts test", parts=3), log)
    queue.put((result.pages, messages))


def test_a_pdf_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    from weasyprint.document import Document

    from alliance_playbook.pdf.layout import render_pdf

    html = "<html lang=en><body><h1>Sheet</h1><p>Fill me in.</p></body></html>"
    target = tmp_path / "pdf" / "sheet.pdf"
    target.parent.mkdir()
    target.write_bytes(b"the PDF of the last build")
    write_pdf = Document.write_pdf

    def interrupted(self, path, **options):
        Path(path).write_bytes(b"%PDF-1.7 and then Ctrl-C")
        raise KeyboardInterrupt

    monkeypatch.setattr(Document, "write_pdf", interrupted)
    with pytest.raises(KeyboardInterrupt):
        render_pdf(html, tmp_path, target)
    assert target.read_bytes() == b"the PDF of the last build"
    assert [p.name for p in target.parent.iterdir()] == ["sheet.pdf"]  # no scratch file left
    monkeypatch.setattr(Document, "write_pdf", write_pdf)
    render_pdf(html, tmp_path, target)
    assert len(PdfReader(target).pages) == 1 and [p.name for p in target.parent.iterdir()] == ["sheet.pdf"]


# Ctrl-C while the book is laid out: one line, no traceback, nothing left behind.

def _live_processes(group: int) -> list[str]:
    """Processes of process group ``group`` that still run (zombies only wait to be reaped)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        state, _parent, pgrp = text[text.rindex(")") + 2:].split()[:3]
        if int(pgrp) == group and state != "Z":
            found.append(f"{stat.parent.name}: {text[text.index('(') + 1:text.rindex(')')]}")
    return found


def _interrupted(command: list[str], project: Path, scratch: Path) -> tuple[int, str]:
    """Run ``command`` in ``project``; send Ctrl-C (to its whole process group, as a terminal does) once the parts are being laid out."""
    import os
    import signal
    import sys
    import time

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ALLIANCE_PDF": "1", "ALLIANCE_PDF_PARTS": "2", "ALLIANCE_PDF_JOBS": "2",
           "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, *command], cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    output, sent = [], False
    try:
        for line in proc.stdout:
            output.append(line)
            if "PDF: laying out 2 parts" in line:
                time.sleep(1)  # the workers are running (and the coordinator is measuring the contents)
                assert len(_live_processes(proc.pid)) >= 3, _live_processes(proc.pid)
                os.killpg(proc.pid, signal.SIGINT)
                sent = True
                break
        output.append(proc.stdout.read())
        proc.wait(timeout=120)
        deadline = time.monotonic() + 10
        while _live_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _live_processes(proc.pid), _live_processes(proc.pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert sent, "".join(output)
    return proc.returncode, "".join(output)


def _nothing_left(project: Path, scratch: Path) -> None:
    pdf = project / "site" / "pdf"
    assert not pdf.exists() or not [p.relative_to(pdf).as_posix() for p in pdf.rglob("*")], list(pdf.rglob("*"))
    assert not list(scratch.iterdir())  # the parts' scratch folder is gone too


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process groups are read from /proc")
def test_ctrl_c_during_the_pdf_stops_cleanly(tmp_path):
    project = copy_project(tmp_path / "project")
    (tmp_path / "tmp").mkdir()
    returncode, output = _interrupted(["-m", "mkdocs", "build"], project, tmp_path / "tmp")
    assert returncode != 0
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output
    assert output.count("alliance-pdf: interrupted; no PDF was written") == 1, output
    _nothing_left(project, tmp_path / "tmp")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process groups are read from /proc")
def test_alliance_pdf_returns_130_on_ctrl_c(tmp_path):
    project = copy_project(tmp_path / "project")
    (tmp_path / "tmp").mkdir()
    returncode, output = _interrupted(["-m", "alliance_playbook", "pdf", str(project)], project, tmp_path / "tmp")
    assert returncode == 130, output
    assert "Traceback" not in output and "interrupted; no PDF was written" in output, output
    _nothing_left(project, tmp_path / "tmp")


# Long PDF work says what it is doing.

def test_progress_says_what_is_still_being_done_when_quiet():
    import time

    from alliance_playbook.pdf.progress import Progress

    log, messages = captured_log("progress-test")
    with Progress(log, every=0.2) as progress:
        progress.doing("laying out a very long page")
        time.sleep(0.7)
        progress.info("PDF: part 1/2 laid out")
        progress.doing("writing the book")
        time.sleep(0.1)  # something was just said: no reminder yet
        count = len(messages)
        time.sleep(0.4)
    assert messages[0] == "PDF: still laying out a very long page (0 s so far)"
    assert messages[count - 1] == "PDF: part 1/2 laid out" and count >= 3
    assert messages[count:] and all(m.startswith("PDF: still writing the book (") for m in messages[count:])
    said = len(messages)
    time.sleep(0.5)
    assert len(messages) == said  # the reminders stop with the block


@pytest.mark.parametrize("parts", [1, 2])
def test_building_the_book_reports_progress(tmp_path, monkeypatch, parts):
    from alliance_playbook.pdf import build_pdf, progress

    monkeypatch.setattr(progress, "EVERY", 0.2)
    site, nav, _book_ = _book(tmp_path, cases=12)
    log, messages = captured_log(f"progress-book-{parts}")
    build_pdf(site, nav, PdfOptions(site_name="Parts test", parts=parts, jobs=2), log)
    still = [m for m in messages if m.startswith("PDF: still ")]
    assert still and all(re.fullmatch(r"PDF: still [A-Za-z0-9 :,]+ \(\d+ s so far\)", m) for m in still), messages
    if parts == 1:
        assert "PDF: laying out the book in one piece..." in messages
        assert any("in one piece" in m or "writing the book" in m for m in still), still
    # Which stage a reminder falls in depends on the machine's speed: the
    # format above is the point; each stage's name is checked when it is said.
    assert messages[-1].startswith("PDF: wrote ")
