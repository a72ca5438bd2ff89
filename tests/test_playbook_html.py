"""The built playbook pages, checked against the YAML they come from.

Expectations are read straight from the YAML files (not from the model), so a
renderer that drops or reorders something is caught.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from conftest import FIXTURES, ROOT

CONTRACT_PHASES = ["identify-partners", "collaborate", "navigate-challenges", "measure-success"]
FORK_STEP = "fork-publish-shared-data"


# ----- expectations from the YAML ---------------------------------------------------------
def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _steps(*folders: Path) -> dict[str, dict]:
    steps: dict[str, dict] = {}
    for folder in folders:
        for f in sorted(folder.glob("*.yml")):
            steps[f.stem] = _yaml(f)
    return steps


def _cases(*folders: Path) -> dict[str, dict]:
    cases: dict[str, dict] = {}
    for folder in folders:
        for f in sorted(folder.glob("*.yml")):
            data = _yaml(f)
            if data.get("status", "published") == "published":
                cases[f.stem] = data
    return cases


def _ordered(steps: dict[str, dict], phases: list[str]) -> list[str]:
    """Playbook order as the contract defines it: phase, then order, then title."""
    return sorted(steps, key=lambda s: (phases.index(steps[s]["phase"]), steps[s].get("order", 10**9), steps[s]["title"].casefold(), s))


SEED_PHASES = [p["id"] for p in _yaml(ROOT / "content/playbook/phases.yml")]
SEED_STEPS = _steps(ROOT / "content/playbook/steps")
FORK_STEPS = _steps(ROOT / "content/playbook/steps", FIXTURES / "fork/content/playbook/steps")
FORK_CASES = _cases(ROOT / "casestudies", FIXTURES / "fork/casestudies")


def _items(step: dict) -> list[dict]:
    return [{"text": i} if isinstance(i, str) else i for i in step["checklist"]]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("¶", "")).strip()


# ----- reading the HTML -------------------------------------------------------------------
def article(site: Path, url: str) -> Tag:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    node = BeautifulSoup(html, "html.parser").select_one("article.md-content__inner")
    assert node is not None, f"{url}: no article"
    return node


def section(art: Tag, heading: str) -> list[Tag]:
    """The elements after the h2 called ``heading``, up to the next h2."""
    h2 = next((h for h in art.find_all("h2") if norm(h.get_text()) == heading), None)
    assert h2 is not None, f"no section '{heading}'; headings: {[norm(h.get_text()) for h in art.find_all('h2')]}"
    out = []
    for sib in h2.find_next_siblings():
        if sib.name == "h2":
            break
        out.append(sib)
    return out


def section_text(art: Tag, heading: str) -> str:
    return norm(" ".join(el.get_text(" ") for el in section(art, heading)))


def section_links(art: Tag, heading: str) -> list[str]:
    return [a["href"] for el in section(art, heading) for a in el.find_all("a", href=True)]


def step_url(steps: dict[str, dict], sid: str) -> str:
    return f"playbook/{steps[sid]['phase']}/{sid}"


def resolve(page_url: str, href: str) -> str:
    """A relative href on ``page_url``/ as a site path without trailing slash."""
    parts = page_url.strip("/").split("/")
    for piece in href.split("#")[0].split("/"):
        if piece == "..":
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(p for p in parts if p and p != "index.html")


# ----- overview ---------------------------------------------------------------------------
def test_contract_phase_order_is_the_seed_order():
    assert SEED_PHASES == CONTRACT_PHASES


@pytest.mark.parametrize("site_fixture, steps", [("seed_site", SEED_STEPS), ("fork_site", FORK_STEPS)])
def test_overview_lists_phases_in_order_with_their_steps(request, site_fixture, steps):
    site = request.getfixturevalue(site_fixture)
    art = article(site, "playbook")
    blocks = art.select("[data-ap-phase]")
    assert [b["data-ap-phase"] for b in blocks] == CONTRACT_PHASES
    titles = [norm(h.get_text()) for h in art.find_all("h2")]
    phase_titles = {p["id"]: p["title"] for p in _yaml(ROOT / "content/playbook/phases.yml")}
    assert titles == [f"{i}. {phase_titles[p]}" for i, p in enumerate(CONTRACT_PHASES, 1)]
    order = _ordered(steps, CONTRACT_PHASES)
    for block in blocks:
        phase = block["data-ap-phase"]
        expected = [s for s in order if steps[s]["phase"] == phase]
        cards = block.select("li.ap-step-card")
        assert [c["data-step"] for c in cards] == expected
        for card in cards:
            step = steps[card["data-step"]]
            text = norm(card.get_text(" "))
            assert step["title"] in text and norm(step["summary"]) in text
            for key in ("duration", "people"):
                if step.get(key):
                    assert norm(step[key]) in text
            assert resolve("playbook", card.a["href"]) == step_url(steps, card["data-step"])
            badge = card.select_one("[data-ap-step-progress]")
            assert badge["data-ap-step-progress"] == card["data-step"] and badge["data-phase"] == phase
            assert len(badge["data-items"].split()) == len(_items(step))
    # progress placeholders the script fills
    assert art.select_one("[data-ap-overall-progress]") is not None
    assert len(art.select("[data-ap-phase-progress]")) == len(CONTRACT_PHASES)


def test_phase_page_has_intro_steps_in_order_and_progress(seed_site):
    phases = _yaml(ROOT / "content/playbook/phases.yml")
    order = _ordered(SEED_STEPS, CONTRACT_PHASES)
    for phase in phases:
        art = article(seed_site, f"playbook/{phase['id']}")
        assert norm(phase["summary"]) in norm(art.select_one(".ap-lead").get_text())
        first_para = norm(phase["intro"].split("\n\n")[0])
        assert first_para[:60] in norm(art.select_one(".ap-md").get_text(" "))
        assert "[[" not in art.get_text(), "wiki links must be resolved"
        cards = art.select("li.ap-step-card")
        assert [c["data-step"] for c in cards] == [s for s in order if SEED_STEPS[s]["phase"] == phase["id"]]
        assert art.select_one(f"[data-ap-phase-progress='{phase['id']}']") is not None


# ----- step pages -------------------------------------------------------------------------
@pytest.mark.parametrize("sid", sorted(SEED_STEPS))
def test_step_page_has_every_section_from_the_yaml(seed_site, sid):
    step = SEED_STEPS[sid]
    url = step_url(SEED_STEPS, sid)
    art = article(seed_site, url)
    assert norm(art.h1.get_text()) == step["title"]
    assert norm(art.select_one(".ap-step .ap-lead").get_text()) == norm(step["summary"])
    facts = norm(art.select_one(".ap-facts").get_text(" "))
    for key, label in (("duration", "Duration"), ("people", "People")):
        if step.get(key):
            assert f"{label} {norm(step[key])}" in facts
    if step.get("why"):
        assert norm(step["why"].split("\n\n")[0])[:50] in section_text(art, "Why it matters")
    if step.get("how"):
        assert section(art, "How to do it")
    questions = [norm(li.get_text()) for el in section(art, "Key questions") for li in el.find_all("li")] if step.get("key_questions") else []
    assert questions == [norm(q) for q in step.get("key_questions") or []]
    outputs = [norm(li.get_text()) for el in section(art, "Outputs") for li in el.find_all("li")] if step.get("outputs") else []
    assert outputs == [norm(o) for o in step.get("outputs") or []]

    # checklist: one labelled checkbox per item, in YAML order, keyed by the item's id
    checklist = art.select_one("[data-ap-checklist]")
    assert checklist["data-step"] == sid and checklist["data-phase"] == step["phase"]
    boxes = checklist.select("input")
    assert len(boxes) == len(_items(step))
    for box, item in zip(boxes, _items(step)):
        assert box["type"] == "checkbox"
        label = art.select(f"label[for='{box['id']}']")
        assert len(label) == 1 and norm(label[0].get_text()) == norm(item["text"])
        if "id" in item:
            assert box["data-item"] == item["id"]
    ids = [el["id"] for el in art.find_all(id=True)]
    assert not [i for i, n in Counter(ids).items() if n > 1], "duplicate ids on the page"

    # worksheets, lessons (with statements), related steps: both directions of each link
    worksheets = set(step.get("worksheets") or []) | {
        f.stem for f in (ROOT / "content/worksheets").glob("*.yml") if sid in (_yaml(f).get("steps") or [])
    }
    if worksheets:
        assert {resolve(url, h) for h in section_links(art, "Worksheets")} == {f"worksheets/{w}" for w in worksheets}
    lessons = set(step.get("lessons") or []) | {
        f.stem for f in (ROOT / "content/lessons").glob("*.yml") if sid in (_yaml(f).get("steps") or [])
    }
    if lessons:
        assert {resolve(url, h) for h in section_links(art, "Lessons")} == {f"lessons/{l}" for l in lessons}
        text = section_text(art, "Lessons")
        for lid in lessons:
            assert norm(_yaml(ROOT / f"content/lessons/{lid}.yml")["statement"]) in text
    related = set(step.get("related") or []) | {s for s, d in SEED_STEPS.items() if sid in (d.get("related") or [])}
    if related:
        assert {resolve(url, h) for h in section_links(art, "Related steps")} == {step_url(SEED_STEPS, r) for r in related}

    cases = {c for c, d in _cases(ROOT / "casestudies").items() if sid in (d.get("steps") or [])}
    if cases:
        assert {resolve(url, h) for h in section_links(art, "Case studies that applied this step")} == {f"casestudies/{c}" for c in cases}
    else:
        assert "Case studies that applied this step" not in norm(art.get_text())


def test_prev_next_follow_playbook_order(seed_site):
    """The footer's previous and next links walk the playbook in order: a
    phase's page, then its steps, then the next phase (one pager per page)."""
    order = _ordered(SEED_STEPS, CONTRACT_PHASES)
    for i, sid in enumerate(order):
        url = step_url(SEED_STEPS, sid)
        soup = BeautifulSoup((seed_site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert soup.select_one("nav.ap-pager") is None
        prev, nxt = soup.select_one("a.md-footer__link--prev"), soup.select_one("a.md-footer__link--next")
        phase = SEED_STEPS[sid]["phase"]
        same_phase_before = i > 0 and SEED_STEPS[order[i - 1]]["phase"] == phase
        assert resolve(url, prev["href"]) == (step_url(SEED_STEPS, order[i - 1]) if same_phase_before else f"playbook/{phase}")
        if i + 1 < len(order):
            after = order[i + 1]
            same_phase_after = SEED_STEPS[after]["phase"] == phase
            assert resolve(url, nxt["href"]) == (step_url(SEED_STEPS, after) if same_phase_after else f"playbook/{SEED_STEPS[after]['phase']}")
            if same_phase_after:
                assert SEED_STEPS[after]["title"] in nxt.get_text()


# ----- master checklist -------------------------------------------------------------------
def test_master_checklist_has_every_item_grouped_by_phase(seed_site):
    art = article(seed_site, "checklist")
    order = _ordered(SEED_STEPS, CONTRACT_PHASES)
    blocks = art.select("[data-ap-phase]")
    assert [b["data-ap-phase"] for b in blocks] == CONTRACT_PHASES
    for block in blocks:
        lists = block.select("[data-ap-checklist]")
        assert [l["data-step"] for l in lists] == [s for s in order if SEED_STEPS[s]["phase"] == block["data-ap-phase"]]
        for lst in lists:
            texts = [norm(art.select_one(f"label[for='{b['id']}']").get_text()) for b in lst.select("input[type=checkbox]")]
            assert texts == [norm(i["text"]) for i in _items(SEED_STEPS[lst["data-step"]])]
    ids = [el["id"] for el in art.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert len(art.select("input[type=checkbox]")) == sum(len(_items(s)) for s in SEED_STEPS.values())
    for kind in ("md", "csv"):
        assert art.select_one(f"button[data-ap-export='{kind}']") is not None
    assert art.select_one("input[type=file][data-ap-import]") is not None


def test_checklists_are_plain_labelled_inputs_without_javascript(seed_site):
    """What a reader without JavaScript gets: the items, readable, nothing pre-ticked."""
    for url in ("playbook/identify-partners/stakeholder-mapping", "checklist"):
        html = (seed_site / url / "index.html").read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        for box in soup.select("[data-ap-checklist] input"):
            assert box["type"] == "checkbox"
            assert not box.has_attr("checked") and not box.has_attr("disabled") and not box.has_attr("hidden")
            label = soup.select_one(f"label[for='{box['id']}']")
            assert label is not None and norm(label.get_text())
            assert label.find_parent(hidden=True) is None
        # controls that only work with the script are hidden until it runs
        for control in soup.select("[data-ap-reset], [data-ap-export], [data-ap-import]"):
            assert control.find_parent(hidden=True) is not None or control.has_attr("hidden"), control
    step = BeautifulSoup((seed_site / "playbook/identify-partners/stakeholder-mapping/index.html").read_text(), "html.parser")
    assert norm(step.select_one("[data-ap-progress]").get_text()) == f"{len(_items(SEED_STEPS['stakeholder-mapping']))} items"
    script = step.select("script[src$='assets/alliance/checklist.js']")
    assert len(script) == 1 and (seed_site / "playbook/identify-partners/stakeholder-mapping" / script[0]["src"]).resolve().is_file()


# ----- a fork's own step ------------------------------------------------------------------
def test_fork_step_appears_everywhere(fork_site):
    step = FORK_STEPS[FORK_STEP]
    assert step["phase"] == "measure-success"
    url = step_url(FORK_STEPS, FORK_STEP)
    order = [s for s in _ordered(FORK_STEPS, CONTRACT_PHASES) if FORK_STEPS[s]["phase"] == "measure-success"]

    phase = article(fork_site, "playbook/measure-success")
    assert [c["data-step"] for c in phase.select("li.ap-step-card")] == order
    overview = article(fork_site, "playbook")
    card = overview.select_one(f"[data-ap-phase='measure-success'] li[data-step='{FORK_STEP}']")
    assert card is not None and norm(step["summary"]) in norm(card.get_text(" "))
    assert card.select_one("[data-ap-step-progress]")["data-items"].split() == ["pick-figures", "agree-source", "publish-the-first-monthly-update"]

    master = article(fork_site, "checklist")
    lst = master.select_one(f"[data-ap-phase='measure-success'] [data-ap-checklist][data-step='{FORK_STEP}']")
    assert lst is not None
    boxes = lst.select("input[type=checkbox]")
    assert [b["data-item"] for b in boxes] == ["pick-figures", "agree-source", "publish-the-first-monthly-update"]
    assert [norm(master.select_one(f"label[for='{b['id']}']").get_text()) for b in boxes] == [i["text"] for i in _items(step)]

    page = article(fork_site, url)
    citing = sorted(c for c, d in FORK_CASES.items() if FORK_STEP in (d.get("steps") or []))
    assert citing == ["alliance-eau-de-lyon", "kyoto-machizukuri"]
    assert sorted(resolve(url, h) for h in section_links(page, "Case studies that applied this step")) == [f"casestudies/{c}" for c in citing]
    cases_text = section_text(page, "Case studies that applied this step")
    for cid in citing:
        assert norm(FORK_CASES[cid]["title"]) in cases_text and norm(FORK_CASES[cid]["summary"]) in cases_text
        case_page = article(fork_site, f"casestudies/{cid}")
        assert url in {resolve(f"casestudies/{cid}", a["href"]) for a in case_page.find_all("a", href=True)}, f"{cid} does not link {FORK_STEP}"
    # the fork's step also shows its worksheet and the seed lesson it names
    assert "worksheets/fork-quick-health" in {resolve(url, h) for h in section_links(page, "Worksheets")}
    assert "lessons/measure-qualitatively-and-quantitatively" in {resolve(url, h) for h in section_links(page, "Lessons")}
