"""Interactive checklists in a real browser, from file:// and over http."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import copy_project, run_mkdocs
from test_playbook_html import CONTRACT_PHASES, SEED_STEPS, _items

pytestmark = pytest.mark.browser

STEP = "playbook/identify-partners/stakeholder-mapping/"
PHASE = "playbook/identify-partners/"
MASTER = "checklist/"
OVERVIEW = "playbook/"
SM = "stakeholder-mapping"
SM_ITEMS = [i["id"] for i in _items(SEED_STEPS[SM])]
TOTAL = sum(len(_items(s)) for s in SEED_STEPS.values())
PHASE_TOTAL = sum(len(_items(s)) for s in SEED_STEPS.values() if s["phase"] == "identify-partners")


def box(step: str, item: str) -> str:
    return f"#ap-{step}--{item}"


def progress(done: int, total: int) -> str:
    """The progress text, rounded as JavaScript's Math.round does."""
    return f"{done} of {total} done ({int(100 * done / total + 0.5) if total else 0}%)"


def at(base: str, path: str) -> str:
    return base + path + ("index.html" if base.startswith("file:") else "")


@pytest.fixture(params=["file", "http"])
def base(request, seed_site: Path) -> str:
    """The seed site's root URL, opened from disk and from a web server."""
    return seed_site.as_uri() + "/" if request.param == "file" else request.getfixturevalue("seed_http")


def assert_clean(page, context) -> None:
    """No script error on the page and no request that left this machine."""
    assert page.errors == []
    assert context.blocked == [], context.blocked


def checked(page, step: str) -> list[str]:
    """Item ids ticked in ``step``'s checklist, in page order."""
    return page.eval_on_selector_all(
        f"[data-ap-checklist][data-step='{step}'] input[type=checkbox]",
        "els => els.filter(e => e.checked).map(e => e.dataset.item)",
    )


def text(page, selector: str) -> str:
    return " ".join(page.locator(selector).first.inner_text().split())


def import_file(page, path: Path, timeout: int = 30_000) -> str:
    """Import ``path`` through the checklist's import button; the status it shows."""
    page.set_input_files("input[data-ap-import]", str(path))
    page.wait_for_function("document.querySelector('[data-ap-import-status]').textContent !== ''", timeout=timeout)
    return text(page, "[data-ap-import-status]")


def fresh_page(browser):
    """A second, empty browser profile with the same no-internet guard."""
    ctx = browser.new_context(accept_downloads=True)
    ctx.blocked = []
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "blob:", "data:", "http://127.0.0.1")) else (ctx.blocked.append(r.request.url), r.abort()))
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    return ctx, pg


def test_ticks_persist_and_show_on_every_page(page, context, base):
    page.goto(at(base, STEP))
    assert text(page, "[data-ap-progress]") == progress(0, 6)
    page.check(box(SM, "define-scope"))
    page.check(box(SM, "plot-map"))
    assert text(page, "[data-ap-progress]") == progress(2, 6)
    page.reload()
    assert checked(page, SM) == ["define-scope", "plot-map"]
    assert text(page, "[data-ap-progress]") == progress(2, 6)

    page.goto(at(base, MASTER))
    assert checked(page, SM) == ["define-scope", "plot-map"]
    assert page.eval_on_selector_all("[data-ap-checklist] input:checked", "els => els.length") == 2
    assert text(page, "[data-ap-overall-progress]") == progress(2, TOTAL)
    assert text(page, "[data-ap-phase-progress='identify-partners']") == progress(2, PHASE_TOTAL)
    assert text(page, "[data-ap-phase-progress='collaborate']").startswith("0 of ")
    assert text(page, f"[data-ap-checklist][data-step='{SM}'] [data-ap-progress]") == progress(2, 6)

    page.goto(at(base, PHASE))
    assert text(page, "[data-ap-phase-progress]") == progress(2, PHASE_TOTAL)
    assert text(page, f"[data-ap-step-progress='{SM}']") == "2/6"
    assert text(page, "[data-ap-step-progress='leverage-networks']").startswith("0/")

    page.goto(at(base, OVERVIEW))
    assert text(page, "[data-ap-overall-progress]") == progress(2, TOTAL)
    assert text(page, "[data-ap-phase-progress='identify-partners']") == progress(2, PHASE_TOTAL)
    assert text(page, "[data-ap-phase-progress='measure-success']").startswith("0 of ")
    assert text(page, f"[data-ap-step-progress='{SM}']") == "2/6"

    # untick on the master page; the step page follows
    page.goto(at(base, MASTER))
    page.uncheck(box(SM, "define-scope"))
    assert text(page, "[data-ap-overall-progress]") == progress(1, TOTAL)
    page.goto(at(base, STEP))
    assert checked(page, SM) == ["plot-map"]

    # reset asks first, then clears, and stays cleared
    page.check(box(SM, "identify-blockers"))
    page.click(f"[data-ap-reset='{SM}']")
    assert page.dialogs == ["Clear the ticks of this checklist?"]
    assert checked(page, SM) == []
    assert text(page, "[data-ap-progress]") == progress(0, 6)
    page.reload()
    assert checked(page, SM) == []
    page.goto(at(base, MASTER))
    assert text(page, "[data-ap-overall-progress]") == progress(0, TOTAL)
    assert_clean(page, context)


def test_fresh_profile_starts_empty(page, context, browser, base):
    page.goto(at(base, STEP))
    page.check(box(SM, "define-scope"))
    ctx2, other = fresh_page(browser)
    try:
        other.goto(at(base, STEP))
        assert checked(other, SM) == []
        assert text(other, "[data-ap-progress]") == progress(0, 6)
        assert_clean(other, ctx2)
    finally:
        ctx2.close()
    page.reload()
    assert checked(page, SM) == ["define-scope"]
    assert_clean(page, context)


def test_export_then_import_in_a_fresh_profile(page, context, browser, base, tmp_path):
    ticked = [(SM, "define-scope"), (SM, "plot-map"), ("clarify-roles", "draft-role-table")]
    page.goto(at(base, MASTER))
    for step, item in ticked:
        page.check(box(step, item))
    labels = {
        (b["step"], b["item"]): b["text"]
        for b in page.eval_on_selector_all(
            "[data-ap-checklist] input",
            "els => els.map(e => ({step: e.closest('[data-ap-checklist]').dataset.step, item: e.dataset.item,"
            " text: document.querySelector(`label[for='${e.id}']`).textContent.trim()}))",
        )
    }
    assert len(labels) == TOTAL

    with page.expect_download() as dl:
        page.click("[data-ap-export='md']")
    assert dl.value.suggested_filename.endswith("-checklist.md")
    markdown = Path(dl.value.path()).read_text(encoding="utf-8")
    for (step, item), label in labels.items():
        mark = "x" if (step, item) in ticked else " "
        assert f"- [{mark}] {label} <!-- {step}:{item} -->" in markdown.splitlines()
    assert markdown.count("- [x] ") == 3 and markdown.count("- [ ] ") == TOTAL - 3
    assert "## Identify partners" in markdown and "### Map your stakeholders" in markdown

    with page.expect_download() as dl:
        page.click("[data-ap-export='csv']")
    assert dl.value.suggested_filename.endswith("-checklist.csv")
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
    assert {(r["step"], r["item"]): r["text"] for r in rows} == labels
    assert sorted((r["step"], r["item"]) for r in rows if r["done"] == "yes") == sorted(ticked)
    assert {r["phase"] for r in rows} == {"Identify partners", "Collaborate", "Navigate challenges", "Measure success"}
    md_file, csv_file = tmp_path / "progress.md", tmp_path / "progress.csv"
    md_file.write_text(markdown, encoding="utf-8")
    csv_file.write_text(Path(dl.value.path()).read_text(encoding="utf-8"), encoding="utf-8")
    assert_clean(page, context)

    for export in (md_file, csv_file):
        ctx2, other = fresh_page(browser)
        try:
            other.goto(at(base, MASTER))
            assert other.eval_on_selector_all("[data-ap-checklist] input:checked", "els => els.length") == 0
            assert import_file(other, export) == f"{TOTAL} items imported."
            assert checked(other, SM) == ["define-scope", "plot-map"]
            assert checked(other, "clarify-roles") == ["draft-role-table"]
            assert text(other, "[data-ap-overall-progress]") == progress(3, TOTAL)
            other.goto(at(base, STEP))  # saved, not only shown
            assert checked(other, SM) == ["define-scope", "plot-map"]
            assert_clean(other, ctx2)
        finally:
            ctx2.close()


def test_import_of_an_unrelated_file_changes_nothing(page, context, base, tmp_path):
    junk = tmp_path / "notes.md"
    junk.write_text("# Notes\n\n- [x] Something else <!-- other-site-step:thing -->\n- [x] no marker\n", encoding="utf-8")
    page.goto(at(base, MASTER))
    page.check(box(SM, "plot-map"))
    assert import_file(page, junk) == "No checklist items of this site were found in that file."
    assert checked(page, SM) == ["plot-map"]
    assert_clean(page, context)


def test_keyboard_only(page, context, base):
    """Tab reaches every checkbox in order and Space toggles it; names come from the labels."""
    page.goto(at(base, STEP))
    ids = page.eval_on_selector_all("[data-ap-checklist] input", "els => els.map(e => e.id)")
    assert len(ids) == len(SM_ITEMS)
    for item in _items(SEED_STEPS[SM]):
        assert page.get_by_role("checkbox", name=item["text"], exact=True).count() == 1

    reached = []
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused in ids:
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", "keyboard focus must be visible"
            reached.append(focused)
            page.keyboard.press("Space")
            assert page.is_checked(f"#{focused}")
        elif reached:
            break
    assert reached == ids
    assert text(page, "[data-ap-progress]") == progress(6, 6)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == ids[-1]
    page.keyboard.press("Space")
    page.reload()
    assert checked(page, SM) == SM_ITEMS[:-1]
    assert_clean(page, context)


def _build_copy(dest: Path, site_name: str | None = None) -> Path:
    project = copy_project(dest)
    if site_name:
        config = project / "mkdocs.yml"
        text_ = config.read_text(encoding="utf-8")
        assert "site_name: Alliance Playbook\n" in text_
        config.write_text(text_.replace("site_name: Alliance Playbook\n", f"site_name: {site_name}\n", 1), encoding="utf-8")
    run_mkdocs(project)
    return project


def test_two_sites_from_file_do_not_share_ticks(page, context, seed_site, tmp_path):
    other = _build_copy(tmp_path / "other", site_name="Another Alliance Guide")
    seed, second = seed_site.as_uri() + "/", (other / "site").as_uri() + "/"
    page.goto(at(seed, STEP))
    key_seed = page.get_attribute("[data-ap-site]", "data-ap-site")
    page.check(box(SM, "define-scope"))

    page.goto(at(second, STEP))
    assert page.get_attribute("[data-ap-site]", "data-ap-site") != key_seed
    assert checked(page, SM) == []
    page.check(box(SM, "list-stakeholders"))
    key_second = page.get_attribute("[data-ap-site]", "data-ap-site")
    saved = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('alliance:')).sort()")
    assert saved == sorted([f"alliance:{key_seed}:checklist:{SM}:define-scope", f"alliance:{key_second}:checklist:{SM}:list-stakeholders"])
    worksheet_key = f"alliance:{key_second}:worksheet:partner-identification"
    page.evaluate("k => localStorage.setItem(k, '[]')", worksheet_key)
    page.goto(at(second, MASTER))
    page.click("[data-ap-reset='all']")  # clears this site's checklists only
    assert page.dialogs == ["Clear every tick of the whole playbook in this browser?"]
    assert page.eval_on_selector_all("[data-ap-checklist] input:checked", "els => els.length") == 0
    assert page.evaluate("k => localStorage.getItem(k)", worksheet_key) == "[]", "a checklist reset must keep worksheet data"

    page.goto(at(seed, STEP))
    assert checked(page, SM) == ["define-scope"]
    page.goto(at(second, STEP))
    assert checked(page, SM) == []
    assert_clean(page, context)


def test_rewording_an_item_with_an_id_keeps_its_tick(page, context, tmp_path):
    project = _build_copy(tmp_path / "reword")
    url = at((project / "site").as_uri() + "/", STEP)
    page.goto(url)
    page.check(box(SM, "define-scope"))
    page.check(box(SM, "plot-map"))

    source = project / "content/playbook/steps/stakeholder-mapping.yml"
    yaml_text = source.read_text(encoding="utf-8")
    old = "  - id: define-scope\n    text: Agree on the issue and the boundary the map covers\n"
    assert old in yaml_text and "  - id: plot-map\n" in yaml_text
    yaml_text = yaml_text.replace(old, "  - id: define-scope\n    text: Agree together on the issue, the place and the limits of the map\n")
    yaml_text = yaml_text.replace("  - id: plot-map\n", "  - id: plot-grid\n")  # a new id is a new item
    source.write_text(yaml_text, encoding="utf-8")
    run_mkdocs(project)

    page.reload()
    assert page.inner_text(f"label[for='ap-{SM}--define-scope']").strip() == "Agree together on the issue, the place and the limits of the map"
    assert page.is_checked(box(SM, "define-scope"))
    assert not page.is_checked(box(SM, "plot-grid"))
    assert checked(page, SM) == ["define-scope"]
    assert text(page, "[data-ap-progress]") == progress(1, 6)
    assert_clean(page, context)


@pytest.mark.parametrize("path, hidden", [(STEP, ".ap-checklist-actions"), (MASTER, ".ap-toolbar")])
def test_print_shows_boxes_without_navigation(page, context, base, path, hidden):
    page.goto(at(base, path))
    page.check(box(SM, "plot-map"))
    chrome = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", hidden]
    display = "s => getComputedStyle(document.querySelector(s)).display"
    assert all(page.evaluate(display, s) != "none" for s in chrome), "the screen view shows navigation"
    page.emulate_media(media="print")
    for selector in chrome:
        assert page.evaluate(display, selector) == "none", selector
    boxes = page.locator("[data-ap-checklist] input[type=checkbox]")
    assert boxes.count() == (len(SM_ITEMS) if path == STEP else TOTAL)
    for i in range(len(SM_ITEMS)):
        assert page.locator(f"[data-ap-checklist][data-step='{SM}'] input").nth(i).is_visible()
        assert page.locator(f"[data-ap-checklist][data-step='{SM}'] label").nth(i).is_visible()
    assert checked(page, SM) == ["plot-map"]
    assert page.pdf()[:5] == b"%PDF-"
    assert_clean(page, context)


def test_without_javascript_the_checklist_is_readable(browser, seed_site):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(at(seed_site.as_uri() + "/", STEP))
        for item in _items(SEED_STEPS[SM]):
            assert page.get_by_label(item["text"], exact=True).is_visible()
        assert text(page, "[data-ap-progress]") == f"{len(SM_ITEMS)} items"
        assert not page.locator(f"[data-ap-reset='{SM}']").is_visible()
        page.goto(at(seed_site.as_uri() + "/", MASTER))
        assert page.locator("[data-ap-checklist] input[type=checkbox]").count() == TOTAL
        assert not page.locator(".ap-toolbar").is_visible()
        assert [b.get_attribute("data-ap-phase") for b in page.locator("[data-ap-phase]").all()] == CONTRACT_PHASES
    finally:
        ctx.close()



JA_ITEMS = ["関係者を洗い出す", "影響力と関心を評価する", "関係者マップを描く"]


def _write_step(project: Path, step_id: str, items: list[str]) -> None:
    lines = [f"  - {item}" for item in items]
    (project / f"content/playbook/steps/{step_id}.yml").write_text(
        "title: 関係者の把握\nphase: collaborate\nsummary: 関係者を洗い出す。\nchecklist:\n" + "\n".join(lines) + "\n", encoding="utf-8")


def ticked_labels(page, step: str) -> list[str]:
    return page.eval_on_selector_all(
        f"[data-ap-checklist][data-step='{step}'] input:checked",
        "els => els.map(e => document.querySelector(`label[for='${e.id}']`).textContent.trim())",
    )


def test_ticks_of_items_without_latin_letters_follow_their_text(page, context, tmp_path):
    """Items in Japanese have no slug: their ids come from their text, not their place."""
    project = copy_project(tmp_path / "ja")
    _write_step(project, "ja-step", JA_ITEMS)
    run_mkdocs(project)
    url = at((project / "site").as_uri() + "/", "playbook/collaborate/ja-step/")
    page.goto(url)
    page.get_by_label(JA_ITEMS[1], exact=True).check()
    page.get_by_label(JA_ITEMS[2], exact=True).check()
    assert ticked_labels(page, "ja-step") == JA_ITEMS[1:]

    # A new item goes in first, and one of the others is moved: no tick moves with them.
    _write_step(project, "ja-step", ["新しい最初の項目", JA_ITEMS[2], JA_ITEMS[0], JA_ITEMS[1]])
    run_mkdocs(project)
    page.reload()
    assert ticked_labels(page, "ja-step") == [JA_ITEMS[2], JA_ITEMS[1]]
    assert text(page, "[data-ap-progress]") == progress(2, 4)
    page.goto(at((project / "site").as_uri() + "/", MASTER))
    assert ticked_labels(page, "ja-step") == [JA_ITEMS[2], JA_ITEMS[1]]
    assert_clean(page, context)


def test_a_step_called_constructor_works_everywhere(page, context, tmp_path):
    """A step id may be any valid id, also one that names a member of every JavaScript object."""
    project = copy_project(tmp_path / "ctor")
    (project / "content/playbook/steps/constructor.yml").write_text(
        "title: Build the alliance\nphase: collaborate\nsummary: A step with a hostile id.\n"
        "checklist:\n  - id: constructor\n    text: Name who builds it\n  - Agree the first meeting\n", encoding="utf-8")
    run_mkdocs(project)
    base_ = (project / "site").as_uri() + "/"
    page.goto(at(base_, MASTER))
    assert text(page, "[data-ap-checklist][data-step='constructor'] [data-ap-progress]") == progress(0, 2)
    page.check(box("constructor", "constructor"))
    assert text(page, "[data-ap-checklist][data-step='constructor'] [data-ap-progress]") == progress(1, 2)
    assert text(page, "[data-ap-overall-progress]") == progress(1, TOTAL + 2)
    page.goto(at(base_, "playbook/collaborate/"))
    assert text(page, "[data-ap-step-progress='constructor']") == "1/2"
    page.goto(at(base_, "playbook/collaborate/constructor/"))
    assert checked(page, "constructor") == ["constructor"]
    assert_clean(page, context)


def test_import_of_a_huge_file_is_refused(page, context, base, tmp_path):
    huge = tmp_path / "huge.md"
    huge.write_bytes(f"- [x] Plot <!-- {SM}:plot-map -->\n".encode() * (6 * 1024 * 1024 // 40))
    assert huge.stat().st_size > 5 * 1024 * 1024
    page.goto(at(base, MASTER))
    page.check(box(SM, "define-scope"))
    assert import_file(page, huge) == "That file is too large to be a checklist export."
    assert checked(page, SM) == ["define-scope"]
    assert_clean(page, context)


def test_import_of_a_file_that_repeats_one_line_is_fast(page, context, base, tmp_path):
    line = f"- [x] Plot <!-- {SM}:plot-map -->\n".encode()
    repeated = tmp_path / "repeated.md"
    repeated.write_bytes(line * (4 * 1024 * 1024 // len(line)))
    page.goto(at(base, MASTER))
    page.evaluate("""() => document.querySelector('input[data-ap-import]').addEventListener('change',
        () => { window.__t0 = performance.now(); }, true)""")
    page.set_input_files("input[data-ap-import]", str(repeated))
    page.wait_for_function("document.querySelector('[data-ap-import-status]').textContent !== ''", timeout=60_000)
    took = page.evaluate("performance.now() - window.__t0")
    print(f"import of {repeated.stat().st_size // len(line):,} lines: {took:.0f} ms")
    assert took < 2_000, f"importing took {took:.0f} ms"
    assert text(page, "[data-ap-import-status]") == "1 items imported."
    assert checked(page, SM) == ["plot-map"]
    assert_clean(page, context)


def test_the_playbook_says_how_many_steps_are_done(page, context, base):
    steps = len(SEED_STEPS)
    page.goto(at(base, OVERVIEW))
    assert text(page, "[data-ap-steps-done]") == f"0 of {steps} steps done"
    page.goto(at(base, STEP))
    for item in SM_ITEMS:
        page.check(box(SM, item))
    page.goto(at(base, MASTER))
    assert text(page, "[data-ap-steps-done]") == f"1 of {steps} steps done"
    first_other = next(s for s in SEED_STEPS if s != SM)
    page.check(box(first_other, _items(SEED_STEPS[first_other])[0]["id"]))
    page.goto(at(base, OVERVIEW))
    assert text(page, "[data-ap-steps-done]") == f"1 of {steps} steps done, 1 started"
    assert_clean(page, context)
