"""``casestudies/propose/`` in a real browser: the form made from the case
study model writes YAML that ``alliance check`` accepts unchanged, builds a
page, and shows the checker's own messages as the person types."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from conftest import copy_project, run_alliance, run_mkdocs

pytestmark = pytest.mark.browser

PAGE = "casestudies/propose/"


def open_form(page, base: str) -> None:
    page.goto(base + PAGE)
    page.wait_for_selector("[data-ap-propose-form] [data-control='title']")


def control(page, path: str):
    return page.locator(f"[data-ap-propose-form] [data-control='{path}']")


def fill_required(page, title: str = "Harbour flood alliance") -> None:
    control(page, "title").fill(title)
    control(page, "summary").fill("The city, residents and a utility prepare the harbour for floods.")
    page.locator("[data-control='policy_areas'] input[value='environment']").check()
    for i, (name, kind) in enumerate([("City emergency office", "local-government"), ("Harbour residents", "community-group")]):
        control(page, f"partners[{i}].name").fill(name)
        control(page, f"partners[{i}].type").select_option(kind)
    control(page, "challenge").fill("Floods came faster than warnings.\n\nOld people heard last.")
    control(page, "approach").fill("Partners **met monthly**.")
    control(page, "outcomes[0].description").fill("Residents are warned sooner")
    control(page, "lessons[0].lesson").select_option(index=1)


def the_yaml(page) -> str:
    return page.locator("[data-ap-propose-yaml]").text_content()


def form_problems(page) -> set[str]:
    return {f"{p['path']}: {p['message']}" for p in page.evaluate("window.AlliancePlaybookPropose.problems()") if p["path"] != "__id"}


def check_problems(project: Path, text: str, name: str = "proposed.yml") -> tuple[int, set[str]]:
    target = project / "casestudies" / name
    target.write_text(text, encoding="utf-8")
    proc = run_alliance("check", str(project))
    target.unlink()
    found = set()
    for line in proc.stdout.splitlines():
        m = re.match(r"^casestudies/" + re.escape(name) + r":\d+:\d+: (?!warning: )(\S+): (.*)$", line)
        if m:
            found.add(f"{m.group(1)}: {m.group(2)}")
    return proc.returncode, found


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("propose") / "project")


def test_a_filled_form_gives_a_file_that_passes_the_checks_and_builds(page, seed_http, project: Path):
    open_form(page, seed_http)
    # The rows a valid case needs are there from the start, required inputs marked.
    assert page.locator("[data-path^='partners['].ap-propose-row").count() == 2
    assert page.locator("[data-path^='outcomes['].ap-propose-row").count() == 1
    assert page.locator("[data-path^='lessons['].ap-propose-row").count() == 1
    for path in ("title", "summary", "challenge", "approach", "partners[0].name", "partners[1].type", "outcomes[0].description", "lessons[0].lesson"):
        assert control(page, path).get_attribute("required") is not None, path
    fill_required(page)
    assert page.locator(".ap-propose-summary").inner_text().strip() == "The file is valid: it passes the same checks as alliance check."
    with page.expect_download() as info:
        page.click("[data-ap-propose-download]")
    assert info.value.suggested_filename == "harbour-flood-alliance.yml"
    text = Path(info.value.path()).read_bytes().decode("utf-8")
    assert text == the_yaml(page)
    case = yaml.safe_load(text)
    assert case["title"] == "Harbour flood alliance" and case["challenge"] == "Floods came faster than warnings.\n\nOld people heard last."
    build = copy_project(project.parent / "build")
    (build / "casestudies" / "harbour-flood-alliance.yml").write_text(text, encoding="utf-8")
    check = run_alliance("check", str(build))
    assert check.returncode == 0, check.stdout
    run_mkdocs(build)
    built = (build / "site" / "casestudies" / "harbour-flood-alliance" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in built and "Harbour flood alliance" in built
    # Printed: the file in full and the preview, not the form.
    import io

    from pypdf import PdfReader

    page.emulate_media(media="print")
    assert page.locator("[data-ap-propose-form]").is_hidden() and page.locator(".ap-propose-summary").is_hidden()
    printed = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf())).pages).split())
    assert "partners:" in printed and "Harbour flood alliance" in printed and "Download the file" not in printed
    page.emulate_media(media="screen")
    assert not page.locator(".ap-propose-yaml").evaluate("d => d.open")  # closed again after printing
    # GitHub's "new file" page with the file filled in.
    href = page.locator("[data-ap-propose-github]").get_attribute("href")
    query = parse_qs(urlparse(href).query)
    assert href.startswith("https://github.com/alliance-playbook/alliance-playbook/new/main?")
    assert query["filename"] == ["casestudies/harbour-flood-alliance.yml"] and query["value"] == [text]
    assert page.errors == []


def test_the_form_says_what_alliance_check_says(page, seed_http, project: Path):
    open_form(page, seed_http)
    fill_required(page)
    # Clearing a required field: the same message at the field as the checker's.
    control(page, "title").fill("")
    error = page.locator("[data-path='title'] > .ap-field-error")
    assert error.is_visible() and error.inner_text() == "required field 'title' is missing"
    assert control(page, "title").get_attribute("aria-invalid") == "true"
    code, found = check_problems(project, the_yaml(page))
    assert code == 1 and found == form_problems(page) == {"title: required field 'title' is missing"}
    # Several mistakes at once: each message word for word, at the same path.
    control(page, "title").fill("T" * 121)
    control(page, "summary").fill("Sneaky \u202egnirts")
    control(page, "period.start").fill("2019-13")
    control(page, "period.end").fill("2018")
    page.locator("[data-control='period.ongoing']").check()
    page.click("[data-add='sources']")
    control(page, "sources[0].title").fill("Report")
    control(page, "sources[0].url").fill("javascript:alert(1)")
    page.click("[data-remove='partners[1]']")
    page.click("[data-add='contributors']")
    control(page, "outcomes[0].description").fill("...")
    expected = form_problems(page)
    code, found = check_problems(project, the_yaml(page))
    assert code == 1 and found == expected
    assert len(expected) >= 7, expected
    # The rules across fields, once the rest is valid (as the checker does).
    page.click("[data-add='partners']")
    fill_required(page)
    control(page, "sources[0].url").fill("https://example.org/report")
    control(page, "contributors[0]").fill("A. Writer")
    control(page, "period.start").fill("2020")
    assert form_problems(page) == {"period.ongoing: 'ongoing: true' cannot go with an 'end' date; remove one of them",
                                   "period.end: the end (2018) is before the start (2020)"}
    code, found = check_problems(project, the_yaml(page))
    assert found == form_problems(page)
    page.locator("[data-control='period.ongoing']").uncheck()
    assert form_problems(page) == {"period.end: the end (2018) is before the start (2020)"}
    code, found = check_problems(project, the_yaml(page))
    assert found == form_problems(page)


def test_hostile_text_stays_text_and_the_draft_survives_a_reload(page, seed_http, project: Path):
    open_form(page, seed_http)
    title = "<img src=x onerror=alert(1)> \"quoted\" #not-a-comment: yes"
    fill_required(page, title)
    control(page, "approach").fill("- a list?\nkey: value\n\n<script>alert(1)</script>")
    control(page, "partners[0].name").fill("null")
    preview = page.locator("[data-ap-propose-preview]")
    assert preview.locator("h1").inner_text() == title and preview.locator("img, script").count() == 0
    assert "<script>alert(1)</script>" in preview.inner_text()  # shown, not run
    control(page, "challenge").fill("Floods came **fast**.\n\n- one\n- [two](javascript:x)")
    assert preview.locator("strong").inner_text() == "fast" and preview.locator("li").filter(has_text="two").count() == 1
    assert preview.locator("a").count() == 0
    text = the_yaml(page)
    case = yaml.safe_load(text)
    assert case["title"] == title and case["partners"][0]["name"] == "null" and case["approach"].startswith("- a list?\nkey: value")
    code, found = check_problems(project, text)
    assert code == 0 and found == set()
    page.reload()
    page.wait_for_selector("[data-ap-propose-form] [data-control='title']")
    assert control(page, "title").input_value() == title
    assert "restored" in page.locator(".ap-propose-status").inner_text()
    page.once("dialog", lambda d: d.accept())
    page.click("[data-ap-propose-clear]")
    page.reload()
    page.wait_for_selector("[data-ap-propose-form] [data-control='title']")
    assert control(page, "title").input_value() == ""
    assert page.errors == []


def _type(page, path: str, value: str) -> None:
    """Put any text in an input (also what a keyboard cannot type) as typing would."""
    page.evaluate("""([path, value]) => {
        const el = document.querySelector(`[data-ap-propose-form] [data-control="${path}"]`);
        el.value = value;
        el.dispatchEvent(new Event('input', {bubbles: true}));
    }""", [path, value])


@pytest.mark.parametrize("path, value", [
    ("outcomes[0].baseline", "10000000000000000"),    # past the checker's 1e15
    ("summary", "\x1c"),                               # white space to Python's strip(), not to JavaScript's
    ("summary", "A delete\x7fcharacter"),             # a control character YAML must not see raw
    ("city", "Halle\x85Saale"),                        # a YAML 1.1 line break
    ("sources[0].url", "https://example.com/a\x1cb"),  # Python's \\s, not JavaScript's
    ("sources[0].url", "https://example.com/\ufeffx"),
    ("period.start", "0050"),                          # a year below 100
])
def test_odd_characters_get_the_checkers_verdict(page, seed_http, project: Path, path: str, value: str):
    open_form(page, seed_http)
    fill_required(page)
    if path.startswith("sources"):
        page.click("[data-add='sources']")
        control(page, "sources[0].title").fill("Report")
    if path == "city":
        path = "location.city"
    _type(page, path, value)
    text = the_yaml(page)
    code, found = check_problems(project, text)
    assert found == form_problems(page), (found, form_problems(page))


def test_a_reserved_address_and_a_broken_character_are_refused(page, seed_http):
    open_form(page, seed_http)
    fill_required(page, "Index")
    assert any(p["path"] == "__id" and "'index' is the address of" in p["message"] for p in page.evaluate("window.AlliancePlaybookPropose.problems()"))
    fill_required(page)
    _type(page, "challenge", "multi\n\ud800 line")
    assert "challenge: contains a broken character" in " ".join(sorted(form_problems(page)))
    text = the_yaml(page)
    assert yaml.safe_load(text)["challenge"] == "multi\n\ufffd line"  # the file stays valid UTF-8
    assert page.errors == []
