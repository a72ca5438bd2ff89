"""Worksheet pages as HTML: every control named, ids unique, the embedded JSON
sound, and text from YAML never turned into markup."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import copy_project, run_mkdocs
from test_worksheet_browser import assert_clean

HOSTILE = "</script><script>alert(1)</script>"
HOSTILE_ATTR = '"><img src=x onerror=alert(2)>'
HOSTILE_SHEET = f"""\
title: 'Hostile {HOSTILE}'
summary: A worksheet whose texts try to break out of the page.
layout: table
fields:
  - id: name
    label: 'Name {HOSTILE}'
    type: text
    required: true
    help: 'Help {HOSTILE_ATTR}'
  - id: kind
    label: 'Kind {HOSTILE_ATTR}'
    type: choice
    options: ['A {HOSTILE}', 'B {HOSTILE_ATTR}']
  - id: reach
    label: 'Reach {HOSTILE_ATTR}'
    type: scale
    min: 1
    max: 5
    labels: {{1: 'Low {HOSTILE}', 5: 'High {HOSTILE_ATTR}'}}
  - id: pull
    label: Pull
    type: scale
    min: 1
    max: 5
chart:
  type: quadrant
  x: reach
  y: pull
  quadrants:
    top_right: 'TR {HOSTILE}'
    top_left: TL
    bottom_right: BR
    bottom_left: BL
score:
  label: 'Score {HOSTILE_ATTR}'
  mean_of: [reach, pull]
"""


def soup_of(site: Path, worksheet: str) -> BeautifulSoup:
    return BeautifulSoup((site / "worksheets" / worksheet / "index.html").read_text(encoding="utf-8"), "html.parser")


def embedded(root, selector: str) -> dict:
    return json.loads(root.select_one(f"script{selector}").string)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile-ws") / "project")
    (project / "content/worksheets/hostile-sheet.yml").write_text(HOSTILE_SHEET, encoding="utf-8")
    run_mkdocs(project)
    return project / "site"


def test_table_controls_are_named_and_unique(seed_site: Path):
    soup = soup_of(seed_site, "partner-identification")
    root = soup.select_one("div.ap-worksheet[data-ap-worksheet]")
    definition = embedded(root, ".ap-ws-def")
    labels = {f["id"]: f["label"] for f in definition["fields"]}
    row = root.select_one("tbody[data-ap-rows] > tr[data-row='0']")
    controls = row.select("[data-field]")
    assert [c["data-field"] for c in controls] == list(labels)
    for control in controls:
        assert control["aria-label"] == f"{labels[control['data-field']]}, row 1"
    described = {c["data-field"]: soup.find(id=c["aria-describedby"]).get_text() for c in controls if c.get("aria-describedby")}
    assert set(described) == set(labels) - {"type"}  # every field with help text in the YAML
    assert described["name"] == "Common name of the organization or group"
    for fieldset in row.select("fieldset"):
        assert fieldset.legend and fieldset.legend.get_text(strip=True) == labels[fieldset["data-field"]]
        assert {r["name"] for r in fieldset.select("input[type=radio]")} == {fieldset["id"]}
    assert row.select_one("[data-field=name]")["aria-required"] == "true"
    actions = [b["aria-label"] for b in row.select("td.ap-row-actions button")]
    assert actions == ["Move row 1 up", "Move row 1 down", "Remove row 1"]

    # "Add a row" sits under the table, where the rows grow; the rest in the toolbar.
    assert root.select_one(".ap-ws-scroll + .ap-ws-add [data-ap-add-row]") is not None
    toolbar = root.select_one(".ap-toolbar")
    for selector in ("[data-ap-ws-export=csv]", "[data-ap-ws-export=json]", "input[type=file][data-ap-ws-import]",
                     "[data-ap-ws-clear]", "[data-ap-print]", "[data-ap-print-blank]"):
        assert toolbar.select_one(selector) is not None, selector
    assert "never sent anywhere" in soup.select_one(".ap-privacy").get_text()

    # The printable copy repeats the chart without repeating its ids.
    ids = Counter(el["id"] for el in soup.select(".ap-worksheet [id], .ap-blank [id]"))
    assert [i for i, n in ids.items() if n > 1 or len(soup.find_all(id=i)) > 1] == []
    blank_svg = soup.select_one(".ap-blank svg")
    assert all(soup.find(id=i) for i in blank_svg["aria-labelledby"].split())


def test_messages_for_the_script(seed_site: Path):
    root = soup_of(seed_site, "partner-identification").select_one("[data-ap-worksheet]")
    messages = embedded(root, "[data-ap-texts]")
    assert messages["cell"] == "{label}, row {n}"
    assert messages["moveUp"] == "Move row {n} up" and messages["remove"] == "Remove row {n}"
    assert all(isinstance(v, str) and v for v in messages.values())


def test_form_labels_point_at_labelable_controls(seed_site: Path):
    soup = soup_of(seed_site, "alliance-health-check")
    form = soup.select_one("[data-ap-worksheet][data-layout=form] .ap-ws-form")
    assert form is not None and soup.select_one("[data-ap-worksheet] tbody") is None
    for label in form.select("label[for]"):
        assert soup.find(id=label["for"]).name in ("input", "select", "textarea")
    for fieldset in form.select("fieldset.ap-scale"):
        legend = fieldset.legend
        assert "ap-sr" not in legend.get("class", []) and legend.get_text(strip=True)
    named = {c["data-field"] for c in form.select("[data-field]")}
    labelled = {soup.find(id=label["for"])["data-field"] for label in form.select("label[for]")}
    with_legend = {f["data-field"] for f in form.select("fieldset[data-field]") if f.legend}
    assert named == labelled | with_legend
    assert form.select_one("output[data-ap-score]") is not None


def test_hostile_worksheet_text_stays_text(hostile_site: Path):
    html = (hostile_site / "worksheets/hostile-sheet/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("img", src="x") is None
    # A broken-out </script> would start a script of its own.
    assert [s for s in soup.find_all("script") if (s.string or "").strip().startswith("alert(")] == []
    root = soup.select_one("[data-ap-worksheet]")
    assert len(root.select("script[type='application/json']")) == 2
    definition = embedded(root, ".ap-ws-def")
    assert definition["fields"][0]["label"] == f"Name {HOSTILE}"
    assert definition["fields"][1]["choices"][1] == [f"B {HOSTILE_ATTR}", f"B {HOSTILE_ATTR}"]
    row = root.select_one("tbody tr")
    assert row.select_one("[data-field=name]")["aria-label"] == f"Name {HOSTILE}, row 1"
    assert row.select_one("[data-field=kind] option[value^='B']").get_text() == f"B {HOSTILE_ATTR}"
    assert f"TR {HOSTILE}" in root.select_one("svg.ap-quadrant-chart").get_text()


@pytest.mark.browser
def test_hostile_worksheet_in_the_browser(page, context, hostile_site: Path):
    page.goto((hostile_site / "worksheets/hostile-sheet/index.html").as_uri())
    page.wait_for_selector("[data-ap-worksheet].ap-ws-ready")
    row = page.locator("[data-ap-worksheet] tbody tr").first
    row.locator("[data-field=name]").fill("<img src=x onerror=alert(3)>")
    row.locator("fieldset[data-field=reach] label:has(input[value='2'])").click()
    row.locator("fieldset[data-field=pull] label:has(input[value='5'])").click()
    label = page.locator("[data-ap-worksheet] g.ap-points text")
    assert label.text_content() == "<img src=x onerror=alert(3)>"
    assert page.locator("[data-ap-worksheet] g.ap-points img").count() == 0
    assert row.locator("[data-ap-score]").inner_text() == "3.5"
    assert page.get_by_role("textbox", name=f"Name {HOSTILE}, row 1").count() == 1
    page.wait_for_timeout(200)
    assert page.dialogs == []  # no alert() ran
    assert_clean(page, context)
