"""Lessons and the link graph: every page knows what bears on it (issue 6)."""

from __future__ import annotations

from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from alliance_playbook.graph import build_graph
from alliance_playbook.project import load_project
from conftest import ROOT

FORK_LESSON = "fork-shared-data-builds-trust"


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def _cases_citing(project_dir: Path, lesson: str) -> dict[str, str | None]:
    out = {}
    for path in sorted((project_dir / "casestudies").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("status") == "draft":
            continue
        for ref in data.get("lessons", []):
            if ref == lesson:
                out[path.stem] = None
            elif isinstance(ref, dict) and ref.get("lesson") == lesson:
                out[path.stem] = ref.get("note")
    return out


def test_fork_lesson_page_lists_exactly_the_citing_cases_with_notes(fork_project: Path, fork_site: Path):
    expected = _cases_citing(fork_project, FORK_LESSON)
    assert len(expected) == 2
    page = soup(fork_site, f"lessons/{FORK_LESSON}")
    items = page.select("ul.ap-citations > li")
    linked = {a["href"].rstrip("/").split("/")[-1]: li for li in items for a in li.select("a")[:1]}
    assert set(linked) == set(expected)
    for case_id, note in expected.items():
        if note:
            assert note in linked[case_id].get_text(" ", strip=True)
        # ...and each case links back to the lesson.
        case_page = soup(fork_site, f"casestudies/{case_id}")
        assert case_page.select_one(f'ul.ap-lessons a[href$="lessons/{FORK_LESSON}/"]') is not None


def test_step_named_by_a_lesson_links_back_to_it(fork_site: Path):
    step = soup(fork_site, "playbook/measure-success/fork-publish-shared-data")
    assert step.select_one(f'a[href$="lessons/{FORK_LESSON}/"]') is not None
    # The step names a lesson in its own YAML: that lesson lists the step.
    lesson = soup(fork_site, "lessons/measure-qualitatively-and-quantitatively")
    assert lesson.select_one('a[href$="playbook/measure-success/fork-publish-shared-data/"]') is not None


def test_wikilink_in_case_markdown_is_a_working_link_with_the_title(fork_site: Path):
    page = soup(fork_site, "casestudies/alliance-eau-de-lyon")
    link = page.select_one("a.ap-xref")
    assert link is not None and link["href"] == f"../../lessons/{FORK_LESSON}/"
    assert link.get_text(strip=True) == "Shared data ends arguments about numbers"
    assert (fork_site / "lessons" / FORK_LESSON / "index.html").is_file()


def test_lessons_index_groups_by_kind_strongest_evidence_first(seed_site: Path):
    page = soup(seed_site, "lessons")
    project = load_project(ROOT)
    graph = build_graph(project)
    kinds = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")]
    assert kinds == [k for k in ("Principle", "Practice", "Challenge", "Measurement") if any(str(l.kind) == k.lower() for l in project.lessons.values())]
    for ul in page.select("ul.ap-lessons-index"):
        ids = [a["href"].rstrip("/").split("/")[-1] for a in ul.select("li > a")]
        counts = [len(graph.lesson_cases.get(i, [])) for i in ids]
        assert counts == sorted(counts, reverse=True)


def test_backlinks_are_symmetric(fork_project: Path):
    project = load_project(fork_project)
    g = build_graph(project)
    for step in project.steps.values():
        for lid in step.lessons or []:
            assert step.id in g.lesson_steps[lid]
        for wid in step.worksheets or []:
            assert step.id in g.worksheet_steps[wid]
    for ws in project.worksheets.values():
        for sid in ws.steps or []:
            assert ws.id in g.step_worksheets[sid]
    for case in project.cases.values():
        for sid in case.steps or []:
            assert case.id in g.step_cases[sid]


def test_explore_map_links_every_node(seed_site: Path):
    page = soup(seed_site, "explore")
    svg = page.select_one("svg.ap-explore")
    hrefs = {a.get("href") for a in svg.find_all("a")}
    project = load_project(ROOT)
    assert len(hrefs) == len(project.phases) + len(project.steps) + len(project.lessons) + len(project.cases)
    for href in hrefs:
        assert (seed_site / "explore" / href / "index.html").resolve().is_file(), href


def test_explore_map_clusters_many_cases(tmp_path: Path):
    from alliance_playbook.i18n import Translator
    from alliance_playbook.render.explore import explore_svg

    project = load_project(ROOT)
    template = next(iter(project.cases.values()))
    for i in range(300):
        clone = template.model_copy()
        clone.bind(f"synthetic-{i}", template.source)
        project.cases[clone.id] = clone
    svg = str(explore_svg(project, build_graph(project), lambda kind, id_="": f"{kind}/{id_}", Translator("en")))
    assert svg.count("<a href=") < 60  # summarised by policy area, not 300 boxes
    assert "case?area=" in svg.replace("case/?area", "case?area")


def _shape(graph) -> dict:
    def edges(table):
        return {key: [(e.source_kind, e.source, e.field, e.target_kind, e.target, getattr(e.holder, "note", None)) for e in found]
                for key, found in table.items() if found}
    return {"out": edges(graph._out), "in": edges(graph._in), "related_cases": graph.related_cases,
            "related_lessons": graph.related_lessons, "lesson_cases": graph.lesson_cases, "step_cases": graph.step_cases,
            "lesson_steps": graph.lesson_steps}


def test_a_preview_graph_updated_for_an_edit_is_the_graph_made_anew(project_copy: Path):
    """A preview's rebuild takes the last graph and reads again only the
    changed items' references (LinkGraph.updated): it must be the graph
    made from scratch, and the last one must stay as it was."""
    from alliance_playbook.adapters.preview import changed_items
    from alliance_playbook.project import FileCache

    cache = FileCache()
    before = load_project(project_copy, cache=cache)
    graph = build_graph(before)
    kept = _shape(graph)
    case = project_copy / "casestudies/conflict-to-collaboration.yml"
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    data["steps"] = list(reversed(data.get("steps") or []))[:1]  # fewer steps, another order
    data["lessons"] = [{"lesson": data["lessons"][0]["lesson"] if isinstance(data["lessons"][0], dict) else data["lessons"][0],
                        "note": "A new note on why this lesson applied."}]
    case.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    after = load_project(project_copy, cache=cache)
    changed = set(changed_items(before, after))
    assert changed == {("case", "conflict-to-collaboration")}
    updated = graph.updated(after, changed)
    assert _shape(updated) == _shape(build_graph(after))
    assert _shape(updated) != kept and _shape(graph) == kept
    assert updated.project is after
    # An added item: made anew.
    (project_copy / "casestudies/a-new-one.yml").write_text(case.read_text(encoding="utf-8").replace("conflict-to-collaboration", "a-new-one"), encoding="utf-8")
    grown = load_project(project_copy, cache=cache)
    assert _shape(updated.updated(grown, set(changed_items(after, grown)))) == _shape(build_graph(grown))
