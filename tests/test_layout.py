"""Layout in a real browser: every page kind at a phone's, a tablet's and a
laptop's width, on the seed plus a fork's pages (French and Japanese cases,
a twelve-partner case, a table worksheet with fourteen columns).

The gates (tests/layout_checks.js): no page wider than the viewport; every
radio and checkbox beside its own label text and no wider than a few times
its height; every content table styled (padding, rules); chart text at least
11 px as drawn; a focus ring on every control reached by Tab. Each gate has a
test below that plants its fault and shows it caught.

A full-page screenshot of each page kind at each width is written to
``test-screenshots/`` (or ALLIANCE_SCREENSHOTS) for a person to look at; they
are not compared pixel by pixel.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

CHECKS = (Path(__file__).parent / "layout_checks.js").read_text(encoding="utf-8")
SHOTS = Path(os.environ.get("ALLIANCE_SCREENSHOTS") or ROOT / "test-screenshots")
WIDTHS = (390, 768, 1280)
PAGES = {
    "home": "",
    "guide-chapter": "guide/identifying-partners/",
    "playbook": "playbook/",
    "phase": "playbook/identify-partners/",
    "step": "playbook/identify-partners/stakeholder-mapping/",
    "checklist": "checklist/",
    "worksheets": "worksheets/",
    "worksheet-table": "worksheets/partner-identification/",
    "worksheet-wide": "worksheets/fork-commitments-register/",
    "worksheet-form": "worksheets/alliance-health-check/",
    "lessons": "lessons/",
    "lesson": "lessons/align-core-values/",
    "cases": "casestudies/",
    "propose-case": "casestudies/propose/",
    "case": "casestudies/conflict-to-collaboration/",
    "case-twelve-partners": "casestudies/twelve-partner-coalition/",
    "case-french": "casestudies/alliance-eau-de-lyon/",
    "case-japanese": "casestudies/kyoto-machizukuri/",
    "explore": "explore/",
    "reference": "reference/",
    "reference-kind": "reference/casestudy/",
    "downloads": "downloads/",
    "data": "data/",
    "not-found": "404.html",
}
#: Tab presses per page: enough to pass every control of the longest page's
#: first screens, few enough to keep the suite quick.
TABS = 60


def open_page(page, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("load")
    # Measured at rest: the theme fades some controls in on focus (the "¶"
    # of headings), which a check right after Tab would see half-drawn.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.add_script_tag(content=CHECKS)


def gate(page, name: str) -> list[str]:
    return page.evaluate(f"window.__layout.{name}()")


def focus_problems(page) -> list[str]:
    """Tab through the content from its heading: every control reached shows a ring."""
    page.locator("article h1").first.click(position={"x": 1, "y": 1})
    problems, seen = [], set()
    for _ in range(TABS):
        page.keyboard.press("Tab")
        state = page.evaluate("window.__layout.focused()")
        if state is None:
            continue
        if state["name"] in seen or not state["inContent"]:
            break
        seen.add(state["name"])
        if not state["ok"]:
            problems.append(f"no focus ring on {state['name']}")
    return problems


@pytest.fixture(scope="module")
def layout_base(fork_http: str) -> str:
    return fork_http


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", PAGES)
def test_page_kind_layout(page, layout_base: str, kind: str, width: int):
    open_page(page, layout_base + PAGES[kind], width)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{kind}-{width}.png"), full_page=True)
    problems = {g: gate(page, g) for g in ("overflow", "controls", "tables", "charts")}
    problems["focus"] = focus_problems(page)
    problems = {g: p for g, p in problems.items() if p}
    assert not problems, f"{kind} at {width} px:\n" + "\n".join(f"  {g}: {p}" for g, ps in problems.items() for p in ps)
    assert page.errors == []


def test_the_first_checklist_box_is_near_after_skipping_to_the_content(page, layout_base: str):
    """Material's skip link leads past the header and sidebar; from there the
    step's first checklist box is a few Tab presses away, not seventy."""
    open_page(page, layout_base + PAGES["step"], 1280)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    page.keyboard.press("Enter")
    presses = 0
    while not page.evaluate("!!document.activeElement.closest('[data-ap-checklist]')"):
        presses += 1
        assert presses <= 12, "the checklist is more than 12 Tab presses after the skip link"
        page.keyboard.press("Tab")


# ----- each gate catches its fault --------------------------------------------------------------

def plant(page, css: str = "", script: str = "") -> None:
    if css:
        page.add_style_tag(content=css)
    if script:
        page.evaluate(script)


#: A planted fault per gate, each the fault first seen on the real pages:
#: (gate, page kind, width, CSS, script, what the report must say).
PLANTED = {
    # Content that widens the page (the first worksheet tables).
    "overflow": ("overflow", "case", 390, "", "document.querySelector('article p').style.width = '900px'",
                 ("px wide in a 390 px viewport",)),
    # Radios taking the field rules' min-width.
    "radio-far-from-number": ("controls", "worksheet-form", 1280,
                              ".ap-scale-option input { position: static !important; opacity: 1 !important; min-width: 6em !important; height: 1em !important; }"
                              ".ap-scale-option { display: flex !important; }", "", ("px wide and",)),
    "checkbox-away-from-text": ("controls", "step", 390, ".ap-checklist-item { flex-direction: column !important; }", "",
                                ("from its label text",)),
    # A class on the table, so no theme style applied.
    "unstyled-table": ("tables", "case", 1280,
                       ".md-typeset table, .md-typeset table td, .md-typeset table th, .md-typeset table tr "
                       "{ padding: 0 !important; border: 0 !important; box-shadow: none !important; }", "", ("padding", "no rule")),
    # A wide fixed viewBox squeezed onto a phone.
    "chart-text-too-small": ("charts", "case", 390, ".ap-chart { width: 150px !important; }", "", ("is drawn at",)),
}


@pytest.mark.parametrize("fault", PLANTED)
def test_each_gate_catches_its_planted_fault(page, layout_base: str, fault: str):
    name, kind, width, css, script, says = PLANTED[fault]
    open_page(page, layout_base + PAGES[kind], width)
    assert gate(page, name) == []
    plant(page, css=css, script=script)
    found = gate(page, name)
    for words in says:
        assert any(words in problem for problem in found), (words, found)


def test_focus_gate_catches_a_missing_ring(page, layout_base: str):
    open_page(page, layout_base + PAGES["worksheet-table"], 1280)
    assert focus_problems(page) == []
    # (":is(#plant, *)" outranks any rule of the site's own.)
    plant(page, css=":is(#plant, *):focus, :is(#plant, *):focus-visible, :is(#plant, *):focus-within, :is(#plant, *):focus-visible + * "
                    "{ outline: none !important; box-shadow: none !important; }")
    found = focus_problems(page)
    assert any("no focus ring" in p for p in found), found


def test_the_404_page_searches_the_guide_and_lists_the_sections(page, layout_base: str):
    open_page(page, layout_base + PAGES["not-found"], 390)
    sections = page.locator(".ap-404-sections a")
    assert sections.all_inner_texts() == ["Playbook", "Worksheets", "Case studies", "Lessons", "Master checklist", "Downloads"]
    for href in sections.evaluate_all("links => links.map(a => a.href)"):
        assert page.request.get(href).ok, href
    page.get_by_label("Search the guide").fill("mediator")
    page.get_by_label("Search the guide").press("Enter")
    # A result's title link comes with its fragment (before it, the list shows placeholders).
    page.wait_for_selector("dialog.ap-search .pagefind-modular-list-link", timeout=15000)
    assert "?q=mediator" in page.url
    assert "mediator" in page.locator("#ap-search-results").inner_text().lower()


def test_dark_mode_keeps_the_worksheet_readable(page, layout_base: str):
    """The dark scheme (the header's toggle) paints the worksheet in the
    theme's dark colours: no light box is left behind on the dark page."""
    open_page(page, layout_base + PAGES["worksheet-table"], 1280)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    find_light = """() => {
      const lum = (c) => { const m = c.match(/\\d+(\\.\\d+)?/g); if (!m || (m.length > 3 && +m[3] === 0)) return null;
        const [r, g, b] = m.slice(0, 3).map(Number); return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; };
      return [...document.querySelectorAll('.md-content .ap-worksheet *, .md-content table, .md-content .ap-ws-scroll')]
        // Text on a light box (the lines between a scale's segments are
        // light on purpose and hold no text of their own).
        .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim()) || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName))
        .filter(el => { const l = lum(getComputedStyle(el).backgroundColor); return l !== null && l > 0.6; })
        .map(el => el.tagName + '.' + el.className).slice(0, 5);
    }"""
    assert page.evaluate(find_light) == []
    page.screenshot(path=str(SHOTS / "worksheet-table-1280-dark.png"), full_page=True)
    # Planted fault: fields with a fixed white background.
    plant(page, css=".ap-worksheet input { background: #fff !important; }")
    assert page.evaluate(find_light) != []


def test_a_scale_is_chosen_with_the_arrow_keys(page, layout_base: str):
    """A scale is one radio group: Tab reaches it once, the arrows move the
    choice, and the chosen segment is drawn chosen."""
    open_page(page, layout_base + PAGES["worksheet-form"], 390)
    group = page.locator("fieldset.ap-scale").first
    group.locator("input[type=radio]").first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert group.locator("input:checked").get_attribute("value") == "3"
    chosen = group.locator("input:checked + .ap-scale-value")
    other = group.locator("input:not(:checked) + .ap-scale-value").first
    assert chosen.evaluate("e => getComputedStyle(e).backgroundColor") != other.evaluate("e => getComputedStyle(e).backgroundColor")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('fieldset')") is None or \
        page.evaluate("document.activeElement.closest('fieldset') !== document.querySelector('fieldset.ap-scale')")
