"""Combining partners' worksheet exports in a real browser (combine.js):
statistics per question, disagreement, trends, merged rows, refusals,
exports and print, without touching the reader's own answers."""

from __future__ import annotations

import csv
import io
import json
import statistics
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

HEALTH = "worksheets/alliance-health-check/"
PARTNER = "worksheets/partner-identification/"
SCALES = ["trust", "communication", "shared-goals", "every-voice", "roles-clear", "progress-on-metrics"]


def health_export(alliance: str, day: str, ratings: dict[str, int], comments: str = "") -> dict:
    return {"worksheet": "alliance-health-check", "version": 1, "exported": f"{day}T10:00:00Z",
            "rows": [{"alliance": alliance, "date": day, **ratings, "comments": comments}]}


# Three partners, three dates; they disagree on trust (2 to 5) and agree on the rest.
FILES = {
    "city.json": health_export("Riverside", "2026-01-15", dict(zip(SCALES, [2, 4, 4, 3, 4, 3])), "Trust is still thin."),
    "ngo.json": health_export("Riverside", "2026-04-15", dict(zip(SCALES, [5, 4, 3, 3, 4, 4]))),
    "firm.json": health_export("Riverside", "2026-07-15", dict(zip(SCALES, [4, 5, 4, 4, 3, 4])), "<b>Good</b> [link](javascript:x)"),
}


def payload(name: str, data) -> dict:
    text = data if isinstance(data, str) else json.dumps(data)
    return {"name": name, "mimeType": "application/json", "buffer": text.encode("utf-8")}


def open_page(page, base: str, path: str) -> None:
    page.goto(base + path)
    page.wait_for_selector("[data-ap-combine].ap-combine-ready")


def saved(page) -> dict:
    return page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")


def stat(page, question: str, name: str) -> str:
    found = page.locator(f"[data-ap-combine-result] tr[data-question='{question}'] [data-stat='{name}']")
    return found.inner_text().strip() if found.count() else ""


@pytest.fixture
def scales(seed_site: Path) -> list[str]:
    # The health check's rating questions, from its YAML: the test follows the content.
    fields = yaml.safe_load((Path(__file__).resolve().parent.parent / "content/worksheets/alliance-health-check.yml").read_text(encoding="utf-8"))["fields"]
    ids = [f["id"] for f in fields if f["type"] == "scale"]
    assert ids == SCALES
    return ids


def test_three_partners_combined_show_spread_disagreement_and_trend(page, seed_http, scales):
    open_page(page, seed_http, HEALTH)
    # The reader's own answers, saved in this browser before combining.
    page.locator(".md-content [data-field='alliance']").fill("Our own alliance")
    page.locator(".md-content [data-field='trust'] input[value='1']").check()
    before = saved(page)
    assert any(":worksheet:alliance-health-check" in k for k in before)

    page.set_input_files("[data-ap-combine-files]", [payload(n, d) for n, d in FILES.items()])
    page.wait_for_selector("[data-ap-combine-result] tr[data-question='trust']")
    status = page.locator(".ap-combine-status").inner_text()
    assert "Read 3 files: city.json, ngo.json, firm.json." in status and "Left out" not in status
    for q in scales:
        values = [d["rows"][0][q] for d in FILES.values()]
        assert stat(page, q, "n") == "3"
        assert stat(page, q, "lowest") == str(min(values))
        assert stat(page, q, "median") == str(statistics.median(values))
        assert stat(page, q, "highest") == str(max(values))
        flagged = max(values) - min(values) >= 2
        assert (stat(page, q, "flag") == "Partners disagree: talk it through") is flagged, q
    assert stat(page, "trust", "flag") and not stat(page, "communication", "flag")
    # Three dates: each question's average per date, oldest first, as a chart with a text alternative.
    trend = page.locator("tr[data-question='trust'] [data-stat='trend'] svg")
    assert trend.get_attribute("aria-label") == "2026-01-15: 2; 2026-04-15: 5; 2026-07-15: 4"
    assert trend.locator("circle").count() == 3
    spread = page.locator("tr[data-question='trust'] [data-stat='spread'] svg")
    assert spread.get_attribute("aria-label") == "from 2 to 5, median 4"
    # The score (Health) is combined too.
    assert page.locator("tr[data-question='score']").count() == 1
    # What partners wrote is shown as text, never as markup.
    texts = page.locator(".ap-combine-texts")
    assert "Riverside" not in texts.inner_text()  # the alliance is the files' own, not an answer to list
    assert "Trust is still thin." in texts.inner_text() and "<b>Good</b> [link](javascript:x)" in texts.inner_text()
    assert page.locator(".ap-combine-texts b, .ap-combine-texts a").count() == 0
    # Nothing of the reader's own: saved answers and the form as they were.
    assert saved(page) == before
    assert page.locator(".md-content [data-field='alliance']").input_value() == "Our own alliance"
    assert page.locator(".md-content [data-field='trust'] input[value='1']").is_checked()
    assert page.errors == []


def test_a_foreign_newer_or_broken_file_is_left_out_with_a_reason(page, seed_http):
    open_page(page, seed_http, HEALTH)
    other = {"worksheet": "partner-identification", "version": 1, "rows": [{"name": "X"}]}
    newer = dict(FILES["city.json"], version=99)
    older = {k: v for k, v in FILES["ngo.json"].items() if k != "version"}  # before versions were written
    page.set_input_files("[data-ap-combine-files]", [payload("city.json", FILES["city.json"]), payload("partners.json", other),
                                                     payload("newer.json", newer), payload("notes.json", "not json {"),
                                                     payload("older.json", older), payload("empty.json", {"worksheet": "alliance-health-check", "rows": [{"trust": 9}]})])
    page.wait_for_selector("[data-ap-combine-result] tr[data-question='trust']")
    status = page.locator(".ap-combine-status").inner_text()
    assert "Read 2 files: city.json, older.json." in status
    assert "partners.json (exported from the worksheet “partner-identification”, not this one)" in status
    assert "newer.json (made by a newer version of this site)" in status
    assert "notes.json (not a JSON file)" in status
    assert "empty.json (no answers that fit this worksheet)" in status
    assert stat(page, "trust", "n") == "2"
    # Only another worksheet's file: nothing combined, and it says why.
    page.set_input_files("[data-ap-combine-files]", [payload("partners.json", other)])
    page.wait_for_function("document.querySelector('.ap-combine-status').textContent.includes('No file could be combined')")
    assert page.locator("[data-ap-combine-result]").is_hidden()


def test_files_dropped_on_the_box_are_combined(page, seed_http):
    open_page(page, seed_http, HEALTH)
    page.evaluate("""files => {
        const box = document.querySelector('[data-ap-combine-drop]');
        const data = new DataTransfer();
        for (const [name, text] of files) data.items.add(new File([text], name, {type: 'application/json'}));
        box.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true, cancelable: true}));
        box.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
    }""", [[n, json.dumps(d)] for n, d in FILES.items()])
    page.wait_for_selector("[data-ap-combine-result] tr[data-question='trust']")
    assert stat(page, "trust", "n") == "3"


def partner_export(rows: list[dict]) -> dict:
    return {"worksheet": "partner-identification", "version": 1, "exported": "2026-05-01T09:00:00Z", "rows": rows}


def test_rows_naming_the_same_organization_are_merged(page, seed_http):
    open_page(page, seed_http, PARTNER)
    before = saved(page)
    a = partner_export([{"name": "Riverside Trust", "type": "nonprofit", "values": 4, "influence": 2, "interest": 5, "brings": "Volunteers"},
                        {"name": "City water board", "type": "local-government", "values": 3, "influence": 5, "interest": 3}])
    b = partner_export([{"name": "  riverside   TRUST ", "type": "community-group", "values": 5, "influence": 4, "interest": 5, "brings": "Local trust"}])
    page.set_input_files("[data-ap-combine-files]", [payload("ana.json", a), payload("ben.json", b)])
    merged = page.locator("[data-ap-combined='merged'] tbody tr")
    merged.first.wait_for()
    assert merged.count() == 2
    river = merged.filter(has_text="Riverside Trust")
    assert river.locator("td[data-field='values']").inner_text().startswith("4.5")
    assert river.locator("td[data-field='influence']").inner_text().startswith("3")
    assert river.locator("td[data-field='interest']").inner_text().strip() == "5"  # the same in both: no mark
    assert river.locator("td[data-field='interest'] .ap-disagree-mark").count() == 0
    assert river.locator("td[data-field='values'] .ap-disagree-mark").count() == 1
    assert "files disagree: Nonprofit, Community group" in river.locator("td[data-field='type']").inner_text()
    brings = river.locator("td[data-field='brings']").inner_text()
    assert "Volunteers" in brings and "Local trust" in brings  # every note kept
    assert river.locator("td.ap-combine-from").inner_text() == "ana.json, ben.json"
    assert page.locator("[data-ap-combined='all'] tbody tr").count() == 3
    # The merged rows on the worksheet's chart, one point each, labelled.
    points = page.locator(".ap-combine-chart g.ap-point")
    assert points.count() == 2
    assert "Riverside Trust: 5, 3" in page.locator(".ap-combine-chart").inner_html()
    assert saved(page) == before and page.locator(".md-content [data-ap-rows] tr").count() == 1
    assert page.errors == []
    # Printed, the merged table turns the page: every column on paper.
    page.evaluate("document.body.classList.add('ap-print-combined')")
    page.emulate_media(media="print")
    from pypdf import PdfReader

    pdf = io.BytesIO(page.pdf(prefer_css_page_size=True))
    box = PdfReader(pdf).pages[0].mediabox
    assert box.width > box.height
    text = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Next step Fit" in text and "Concerns" in text  # the last columns too


def test_the_combined_view_exports_and_prints(page, context, seed_http):
    open_page(page, seed_http, HEALTH)
    assert page.locator("[data-ap-combine-tools]").is_hidden()  # nothing to export before files are read
    page.set_input_files("[data-ap-combine-files]", [payload(n, d) for n, d in FILES.items()])
    page.wait_for_selector("[data-ap-combine-result] tr[data-question='trust']")
    with page.expect_download() as info:
        page.click("[data-ap-combine-export='csv']")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:6] == ["Question", "Answers", "Lowest", "Median", "Highest", "Partners disagree"]
    trust = next(r for r in rows if r[0] == "Partners trust each other")
    assert trust[1:6] == ["3", "2", "4", "5", "Yes"] and trust[6:] == ["2", "5", "4"]
    with page.expect_download() as info:
        page.click("[data-ap-combine-export='json']")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["combined"] is True and data["worksheet"] == "alliance-health-check" and len(data["files"]) == 3
    assert next(q for q in data["questions"] if q["id"] == "trust")["disagree"] is True
    # Print: only the combined view (not the worksheet, not the controls).
    page.evaluate("document.body.classList.add('ap-print-combined')")
    page.emulate_media(media="print")
    assert page.locator("[data-ap-combine-result] table").is_visible()
    assert page.locator(".md-content [data-ap-worksheet]").is_hidden()
    assert page.locator("[data-ap-combine-files]").is_hidden() and page.locator("[data-ap-combine-tools]").is_hidden()
    page.evaluate("document.body.classList.remove('ap-print-combined')")
    assert page.locator(".ap-combine").is_hidden()  # an ordinary print leaves it out


def test_what_a_file_cannot_give_is_said_and_huge_numbers_stay_numbers(page, seed_http):
    open_page(page, seed_http, PARTNER)
    many = partner_export([{"name": f"Org {i}", "values": 3} for i in range(250)])
    odd = partner_export([{"name": "Odd", "influence": 9, "interest": "high", "type": "alien", "brings": "x" * 20_000}])
    page.set_input_files("[data-ap-combine-files]", [payload("many.json", many), payload("odd.json", odd), payload("odd.json", odd)])
    page.wait_for_selector("[data-ap-combined='merged'] tbody tr")
    status = page.locator(".ap-combine-status").inner_text()
    assert "Read 3 files: many.json, odd.json, odd.json (2)." in status  # two files of one name told apart
    assert "Only the first 200 rows of a file were read; 50 left out." in status
    assert "Values that do not fit this worksheet were left out: 6." in status
    assert "Texts longer than a worksheet holds were cut: 2." in status
    open_page(page, seed_http, "worksheets/roles-and-expectations/")
    fields = page.evaluate("JSON.parse(document.querySelector('.ap-ws-def').textContent).fields")
    number = next((f["id"] for f in fields if f["type"] in ("number", "scale")), None)
    label = next(f["id"] for f in fields if f["type"] == "text")
    if number is not None:
        rows = [{label: "P", number: 1e307}]
        big = {"worksheet": "roles-and-expectations", "version": 1, "rows": rows}
        page.set_input_files("[data-ap-combine-files]", [payload("a.json", big), payload("b.json", big)])
        page.wait_for_selector("[data-ap-combined='merged'] tbody tr")
        assert "Infinity" not in page.locator("[data-ap-combine-result]").inner_text()
    assert page.errors == []
