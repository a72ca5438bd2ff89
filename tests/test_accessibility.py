"""Accessibility: axe-core (WCAG 2.0/2.1 A and AA rules) on every page type.

axe-core comes from the axe-playwright-python package, which bundles
axe.min.js: nothing is downloaded at test time. Each page is opened over http
in Debian's chromium, every <details> is opened so folded content is checked
too, and no violation of impact "serious" or "critical" may remain.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from conftest import serve

pytestmark = pytest.mark.browser

AXE_SCRIPT = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

# Findings we accept, keyed by (rule id, target selector), each with the
# reason. Fix the theme (plugins/alliance_playbook/theme/, the accessibility
# block of alliance.css) or the template before adding anything here.
ALLOWED: dict[tuple[str, str], str] = {}

SEED_PAGES = {
    "home": "",
    "guide chapter": "guide/identifying-partners/",
    "playbook overview": "playbook/",
    "phase": "playbook/identify-partners/",
    "step": "playbook/identify-partners/stakeholder-mapping/",
    "master checklist": "checklist/",
    "worksheet": "worksheets/partner-identification/",
    "lesson": "lessons/align-core-values/",
    "lessons index": "lessons/",
    "case study index": "casestudies/",
    "propose a case study": "casestudies/propose/",
    "case study": "casestudies/conflict-to-collaboration/",
    "explore": "explore/",
    "404": "404.html",
    "form worksheet (seed)": "worksheets/alliance-health-check/",
    "reference": "reference/",
    "reference page": "reference/casestudy/",
    "downloads": "downloads/",
    "data": "data/",
}
FORK_PAGES = {
    "form worksheet": "worksheets/fork-quick-health/",
    "twelve-partner case": "casestudies/twelve-partner-coalition/",
    "Japanese case": "casestudies/kyoto-machizukuri/",
    "fork case study index": "casestudies/",
    "fork step": "playbook/measure-success/fork-publish-shared-data/",
    "wide table worksheet": "worksheets/fork-commitments-register/",
    "French case": "casestudies/alliance-eau-de-lyon/",
}


@pytest.fixture(scope="module")
def fork_http(fork_site: Path):
    base, server = serve(fork_site)
    yield base
    server.shutdown()


def axe_violations(page) -> list[dict]:
    """Run axe on the open page; the serious and critical violations not in ALLOWED."""
    # Folded content is content too: check it open.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.add_script_tag(content=AXE_SCRIPT)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        nodes = [n for n in violation["nodes"] if (violation["id"], " ".join(n["target"])) not in ALLOWED]
        if nodes:
            found.append({**violation, "nodes": nodes})
    return found


def describe(violations: list[dict]) -> str:
    """One block per rule: id, impact, what it asks, and the selectors that fail it."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            why = (node.get("failureSummary") or node.get("html") or "").strip().splitlines() or [""]
            lines.append(f"    {' '.join(node['target'])}: {why[-1].strip()}")
    return "\n".join(lines)


def check_page(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} did not load"
    violations = axe_violations(page)
    assert violations == [], f"{url}\n{describe(violations)}"


@pytest.mark.parametrize("path", SEED_PAGES.values(), ids=SEED_PAGES.keys())
def test_seed_page_has_no_serious_axe_violation(path: str, seed_http: str, page):
    check_page(page, seed_http + path)


@pytest.mark.parametrize("path", FORK_PAGES.values(), ids=FORK_PAGES.keys())
def test_fork_page_has_no_serious_axe_violation(path: str, fork_http: str, page):
    check_page(page, fork_http + path)


def test_axe_check_reports_planted_faults(seed_site: Path, tmp_path: Path, page):
    """The check can fail: an unlabelled checkbox and an image without alt text are reported."""
    site = tmp_path / "site"
    shutil.copytree(seed_site / "assets", site / "assets")
    (site / "faulty.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Faulty</title>'
        '<link rel="stylesheet" href="assets/alliance/alliance.css"></head>'
        '<body><main><h1>Faulty</h1><input type="checkbox" id="tick"><img src="nothing.png"></main></body></html>',
        encoding="utf-8")
    base, server = serve(site)
    try:
        page.goto(base + "faulty.html")
        violations = axe_violations(page)
    finally:
        server.shutdown()
    by_rule = {v["id"]: v for v in violations}
    assert {"label", "image-alt"} <= set(by_rule), describe(violations)
    assert [n["target"] for n in by_rule["label"]["nodes"]] == [["#tick"]]
    assert [n["target"] for n in by_rule["image-alt"]["nodes"]] == [["img"]]
    message = describe(violations)
    assert "label (critical): " in message and "    #tick: " in message
    assert "image-alt (critical): " in message and "    img: " in message


def test_what_the_scripts_draw_has_no_serious_axe_violation(seed_http: str, page):
    """The combined view of partners' files and the filled, mistaken propose form: drawn by scripts, checked too."""
    import json

    from test_combine_browser import FILES, partner_export, payload
    from test_propose_browser import control, fill_required

    page.goto(seed_http + "worksheets/alliance-health-check/")
    page.set_input_files("[data-ap-combine-files]", [payload(n, d) for n, d in FILES.items()])
    page.wait_for_selector("[data-ap-combine-result] tr[data-question='trust']")
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.goto(seed_http + "worksheets/partner-identification/")
    rows = partner_export([{"name": "A", "values": 3, "influence": 2, "interest": 4}, {"name": "a", "values": 5, "influence": 4, "interest": 4}])
    page.set_input_files("[data-ap-combine-files]", [payload("a.json", rows), payload("b.json", json.loads(json.dumps(rows)))])
    page.wait_for_selector("[data-ap-combined='merged'] tbody tr")
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.goto(seed_http + "casestudies/propose/")
    page.wait_for_selector("[data-control='title']")
    fill_required(page)
    control(page, "title").fill("")
    assert axe_violations(page) == [], describe(axe_violations(page))
