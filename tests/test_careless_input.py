"""Careless and hostile files: one clear line each, all at once, never a traceback.

Unit tests on the loader and the model, and project-level tests that drop a
file into a copy of the project and read what ``load_project`` reports.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import pytest

from alliance_playbook.errors import ContentError, Problem, printable, quoted
from alliance_playbook.loader import MAX_DEPTH, load_yaml_text
from alliance_playbook.project import load_project
from conftest import run_alliance

CASE = """title: A small alliance
summary: Two partners did a thing.
policy_areas: [health]
partners:
  - name: City
    type: local-government
  - name: Clinic
    type: health-provider
challenge: It was hard.
approach: They worked together.
outcomes:
  - description: It got better
lessons: [align-core-values]
"""


def problems(project: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_project(project)
    return [str(p) for p in info.value.problems]


def add_case(project: Path, name: str, text: str) -> str:
    (project / "casestudies" / name).write_text(text, encoding="utf-8")
    return f"casestudies/{name}"


# ----- numbers YAML 1.1 rewrites ------------------------------------------------------

@pytest.mark.parametrize("raw, says", [
    ("010", "YAML reads 010 as the octal number 8: write it without the leading 0 (10)"),
    ("0x1F", "YAML reads 0x1F as the hexadecimal number 31"),
    ("0b101", "YAML reads 0b101 as the binary number 5"),
    ("3:1", "YAML reads 3:1 as the base-60 number 181"),
    ("1:30", "YAML reads 1:30 as the base-60 number 90"),
])
def test_numbers_yaml_11_rewrites_are_refused_with_what_they_became(raw: str, says: str):
    with pytest.raises(ContentError) as info:
        load_yaml_text(f"result: {raw}\n", "f.yml")
    message = str(info.value)
    assert says in message and f'put it in quotes: "{raw}"' in message
    assert message.startswith("f.yml:1:9: result: ")


@pytest.mark.parametrize("raw, value", [("2.5e6", 2.5e6), ("1e3", 1000.0), ("-1.5E-3", -0.0015), ("1.7e+308", 1.7e308), ("12", 12), ("0", 0), ('"010"', "010")])
def test_ordinary_numbers_and_scientific_notation_are_read(raw: str, value):
    assert load_yaml_text(f"result: {raw}\n", "f.yml").data == {"result": value}


def test_huge_and_non_finite_numbers_are_refused_in_every_output(project_copy: Path):
    rel = add_case(project_copy, "huge.yml", CASE.replace("  - description: It got better\n",
        "  - description: It got better\n    baseline: 1.7e+308\n    result: .inf\n  - description: Tiny\n    result: 1e400\n"))
    out = problems(project_copy)
    assert f"{rel}:13:15: outcomes[0].baseline: the number 1.7e+308 is too large: numbers up to a million billion (1e15) are allowed" in out
    assert f"{rel}:14:13: outcomes[0].result: expected a finite number, got the number inf" in out
    assert f"{rel}:16:13: outcomes[1].result: the number '1e400' is too large to use; write a smaller one" in out


def test_a_number_with_separators_says_how_to_write_it(project_copy: Path):
    rel = add_case(project_copy, "commas.yml", CASE.replace("  - description: It got better\n", "  - description: It got better\n    result: 1,200\n"))
    assert f"{rel}:13:13: outcomes[0].result: expected a number, got the text '1,200'; write it without separators: 1200" in problems(project_copy)


# ----- empty text, placeholders, control characters, sizes ------------------------------------

@pytest.mark.parametrize("field, line", [("title", 1), ("summary", 2), ("challenge", 9)])
def test_whitespace_only_text_is_empty(project_copy: Path, field: str, line: int):
    text = "\n".join(f'{field}: "   "' if l.startswith(f"{field}:") else l for l in CASE.splitlines()) + "\n"
    rel = add_case(project_copy, "blank.yml", text)
    assert f"{rel}:{line}:{len(field) + 3}: {field}: must contain text; it is empty or only spaces" in problems(project_copy)


def test_blank_names_tags_and_contributors_are_empty(project_copy: Path):
    rel = add_case(project_copy, "blanks.yml", CASE.replace("  - name: City\n", '  - name: "\\t "\n') + 'tags: [" "]\ncontributors: ["\\n"]\n')
    out = problems(project_copy)
    assert f"{rel}:5:11: partners[0].name: must contain text; it is empty or only spaces" in out
    assert f"{rel}:14:8: tags[0]: must contain text; it is empty or only spaces" in out
    assert f"{rel}:15:16: contributors[0]: must contain text; it is empty or only spaces" in out


def test_control_characters_are_refused_by_name(project_copy: Path):
    rel = add_case(project_copy, "control.yml", CASE.replace("title: A small alliance", 'title: "A \\e[31mred\\e[0m alliance"'))
    assert f"{rel}:1:8: title: contains the control character U+001B (invisible, and it garbles pages and files); remove it" in problems(project_copy)


def test_every_text_field_has_a_limit_reported_like_any_other(project_copy: Path):
    rel = add_case(project_copy, "long.yml", CASE.replace("  - name: City\n", f"  - name: {'x' * 5000}\n").replace("challenge: It was hard.", f"challenge: {'y' * 25000}"))
    out = problems(project_copy)
    assert f"{rel}:5:11: partners[0].name: is 5,000 characters long; at most 200 are allowed; split it, or move detail into a Markdown field" in out
    assert f"{rel}:9:12: challenge: is 25,000 characters long; at most 20,000 are allowed; split the text, or link to a longer source" in out


def test_lists_have_limits(project_copy: Path):
    partners = "".join(f"  - name: P{i}\n    type: nonprofit\n" for i in range(201))
    rel = add_case(project_copy, "crowd.yml", CASE.replace("partners:\n", "partners:\n" + partners))
    assert any(p.startswith(f"{rel}:") and "partners: at most 100 items are allowed, has 203" in p for p in problems(project_copy))


def test_deep_nesting_is_refused_without_a_traceback():
    with pytest.raises(ContentError) as info:
        load_yaml_text("title: " + "[" * 600 + "]" * 600 + "\n", "f.yml")
    assert f"nested more than {MAX_DEPTH} levels deep" in str(info.value)


def test_a_huge_file_is_refused_before_it_is_read(project_copy: Path):
    rel = add_case(project_copy, "huge-file.yml", CASE + "# " + "x" * 1_200_000 + "\n")
    assert f"{rel}:1:1: the file is 1.2 MB; at most 1.0 MB are allowed (split it, or move long text to a guide page)" in problems(project_copy)


def test_a_huge_guide_page_is_refused(project_copy: Path):
    (project_copy / "content/guide/huge.md").write_text("# Huge\n\n" + "words " * 500_000, encoding="utf-8")
    assert "content/guide/huge.md:1:1: the page is 3.0 MB; pages of at most 2 MB are allowed: split it into several pages" in problems(project_copy)


# ----- ids that generated pages use ------------------------------------------------------

@pytest.mark.parametrize("rel, says", [
    ("casestudies/index.yml", "the id 'index' is reserved: the case study index (casestudies/) is there"),
    ("casestudies/propose.yml", "the id 'propose' is reserved: the page for proposing a case study (casestudies/propose/) is there"),
    ("content/lessons/index.yml", "the id 'index' is reserved: the lessons index (lessons/) is there"),
    ("content/worksheets/index.yml", "the id 'index' is reserved: the worksheets index (worksheets/) is there"),
    ("content/playbook/steps/index.yml", "the id 'index' is reserved: the phase page (playbook/<phase>/) is there"),
])
def test_reserved_ids_are_refused(project_copy: Path, rel: str, says: str):
    source = {"casestudies": "casestudies/conflict-to-collaboration.yml", "lessons": "content/lessons/align-core-values.yml",
              "worksheets": "content/worksheets/partner-identification.yml", "steps": "content/playbook/steps/balance-power.yml"}
    kind = next(k for k in source if f"/{k}/" in f"/{rel}")
    (project_copy / rel).write_text((project_copy / source[kind]).read_text(encoding="utf-8"), encoding="utf-8")
    out = problems(project_copy)
    assert any(p.startswith(f"{rel}:1:1: {says}; rename the file") for p in out), out


def test_reserved_phase_id_is_refused(project_copy: Path):
    phases = project_copy / "content/playbook/phases.yml"
    phases.write_text(phases.read_text(encoding="utf-8") + "- id: index\n  title: Index\n  summary: A phase.\n", encoding="utf-8")
    assert any("phases.yml" in p and "].id: the id 'index' is reserved: the playbook overview (playbook/) is there; choose another" in p for p in problems(project_copy))


# ----- every error of a run at once, at its true place ------------------------------------------

def test_references_are_reported_with_the_schema_errors_of_the_same_file(project_copy: Path):
    rel = add_case(project_copy, "both.yml", CASE.replace("policy_areas: [health]", "policy_areas: [helth]")
                   .replace("lessons: [align-core-values]", "lessons: [align-core-value]\nsteps: [stakeholder-maping]"))
    out = problems(project_copy)
    assert any(p.startswith(f"{rel}:3:16: policy_areas[0]: 'helth' is not a policy area; did you mean 'health'?") for p in out)
    assert f"{rel}:13:11: lessons[0]: there is no lesson 'align-core-value'; did you mean 'align-core-values'?" in out
    assert f"{rel}:14:9: steps[0]: there is no step 'stakeholder-maping'; did you mean 'stakeholder-mapping'?" in out


def test_loader_problems_and_schema_errors_come_in_one_run(project_copy: Path):
    rel = add_case(project_copy, "mixed.yml", CASE.replace("title: A small alliance", "title: A small alliance\ntitle: Again")
                   .replace("policy_areas: [health]", "policy_areas: [helth]"))
    out = problems(project_copy)
    assert f"{rel}:2:1: title: duplicate key 'title' (first given on line 1); keep only one" in out
    assert any(p.startswith(f"{rel}:4:16: policy_areas[0]: 'helth' is not a policy area; did you mean 'health'?") for p in out)


def test_a_wiki_link_in_a_folded_scalar_is_reported_on_its_own_line(project_copy: Path):
    rel = add_case(project_copy, "folded.yml", CASE.replace("approach: They worked together.",
        "approach: >-\n  They worked together\n  and then, as the lesson\n  [[lesson:no-such-lesson]] says,\n  it worked."))
    assert f"{rel}:13:3: approach: there is no lesson 'no-such-lesson'" in problems(project_copy)


def test_a_wiki_link_in_a_quoted_scalar_is_reported_where_it_is(project_copy: Path):
    rel = add_case(project_copy, "quoted.yml", CASE.replace("approach: They worked together.", 'approach: "One\\n\\nTwo [[step:nope]]"'))
    assert f"{rel}:10:23: approach: there is no step 'nope'" in problems(project_copy)


def test_page_paths_in_markdown_fields_are_errors_with_the_wiki_link_to_write(project_copy: Path):
    rel = add_case(project_copy, "paths.yml", CASE.replace("approach: They worked together.",
        "approach: |\n  See [the lesson](../lessons/align-core-values.md)\n  and [a page](../guide/collaboration.md).\n\n  [ref]: other.md"))
    out = problems(project_copy)
    first = f"{rel}:11:7: approach: the link '../lessons/align-core-values.md' points at a page path, which changes with every page that shows this text: write [[lesson:align-core-values]]"
    assert any(p.startswith(first) for p in out), out
    assert any(p.startswith(f"{rel}:12:7: approach: the link '../guide/collaboration.md' points at a page path") for p in out), out
    assert any(p.startswith(f"{rel}:14:3: approach: the link 'other.md'") for p in out), out


def test_what_the_sanitizer_removes_is_a_warning_at_its_line(project_copy: Path):
    add_case(project_copy, "removed.yml", CASE.replace("approach: They worked together.",
        "approach: |\n  Fine [web](https://example.org) and `[code](x.md)`.\n  ![logo](https://evil.example/logo.png)\n  [run](javascript:alert(1))\n  <script>alert(1)</script>"))
    project = load_project(project_copy)
    warnings = [str(w) for w in project.warnings if "removed.yml" in w.path]
    assert "casestudies/removed.yml:12:3: warning: approach: images are not shown from Markdown fields (they are removed); link to the picture, or put it on a guide page" in warnings
    assert "casestudies/removed.yml:13:3: warning: approach: 'javascript:' links are removed: link to an https:// or http:// address" in warnings
    assert "casestudies/removed.yml:14:3: warning: approach: raw HTML <script> is removed from Markdown fields; write Markdown instead" in warnings
    assert len(warnings) == 3, warnings


# ----- integer keys -----------------------------------------------------------------------------

def test_integer_keys_get_a_real_message(project_copy: Path):
    rel = add_case(project_copy, "intkey.yml", CASE + "1: foo\n")
    assert any(p.startswith(f"{rel}:14:1: 1: unknown key '1' (allowed here: title,") for p in problems(project_copy))


# ----- messages cannot forge output ---------------------------------------------------------------

def test_values_in_messages_are_escaped_and_cut_short():
    assert quoted("a\x1b[2Jb\nc") == "'a\\x1b[2Jb\\nc'"
    assert quoted("x" * 500) == "'" + "x" * 59 + "…'"
    assert printable("ok \u202e evil") == "ok \\u202e evil"
    line = str(Problem("case\n::error file=x::forged.yml", 1, 1, "title", "bad \r\x1b]0;title\x07"))
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\x07" not in line


def test_check_output_has_one_line_per_problem_whatever_the_values(project_copy: Path):
    add_case(project_copy, "forge.yml", CASE.replace("policy_areas: [health]", 'policy_areas: ["x\\n::error file=README.md,line=1::forged\\e[2J"]'))
    for fmt in ("text", "github"):
        proc = run_alliance("check", str(project_copy), "--format", fmt)
        lines = proc.stdout.splitlines()
        assert proc.returncode == 1
        assert len(lines) == 2, proc.stdout
        assert "\x1b" not in proc.stdout and "::error file=README.md" not in lines[0].split("::", 2)[-1].split("\\n")[0]


def test_github_annotations_escape_the_file_name(project_copy: Path):
    name = "bad,name:x.yml"
    add_case(project_copy, name, CASE)
    proc = run_alliance("check", str(project_copy), "--format", "github")
    line = next(l for l in proc.stdout.splitlines() if l.startswith("::error"))
    assert line.startswith("::error file=casestudies/bad%2Cname%3Ax.yml,line=1,col=1::"), line


# ----- files from outside the project -----------------------------------------------------------

def test_a_page_linked_to_the_environment_is_refused_and_nothing_leaks(project_copy: Path, tmp_path: Path):
    from conftest import run_mkdocs

    (project_copy / "content/guide/environ.md").symlink_to("/proc/self/environ")
    secret = "alliance-secret-" + str(os.getpid())
    proc = run_mkdocs(project_copy, env={"ALLIANCE_TEST_SECRET": secret}, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in out
    assert "content/guide/environ.md:1:1: is a symbolic link to a file outside the project" in out
    site = project_copy / "site"
    assert not site.exists() or not any(secret in p.read_text(errors="ignore") for p in site.rglob("*") if p.is_file())


def test_links_out_of_the_project_and_dangling_links_are_reported(project_copy: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere.yml"
    outside.write_text(CASE, encoding="utf-8")
    (project_copy / "casestudies/outside.yml").symlink_to(outside)
    (project_copy / "casestudies/dangling.yml").symlink_to(project_copy / "casestudies/missing.yml")
    (project_copy / "content/images").mkdir()
    (project_copy / "content/images/etc").symlink_to("/etc")
    inside = project_copy / "casestudies/inside.yml"
    inside.symlink_to(project_copy / "casestudies/conflict-to-collaboration.yml")
    out = problems(project_copy)
    assert "casestudies/outside.yml:1:1: is a symbolic link to a file outside the project; files from elsewhere on this machine are never published: copy the file into the project instead" in out
    assert any(p.startswith("casestudies/dangling.yml:1:1: is a symbolic link to") and "which does not exist" in p for p in out)
    assert any(p.startswith("content/images/etc:1:1: is a symbolic link to a file outside the project") for p in out)
    assert not any(p.startswith("casestudies/inside.yml") for p in out), "a link inside the project is fine"


def test_an_unreadable_folder_is_a_problem_not_a_traceback(project_copy: Path, monkeypatch):
    import alliance_playbook.sources as sources

    real = os.scandir

    def refusing(path):
        if str(path).endswith("lessons"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(sources.os, "scandir", refusing)
    assert "content/lessons:1:1: cannot read this folder: Permission denied" in problems(project_copy)


def test_an_unreadable_file_is_a_problem_not_a_traceback(project_copy: Path, monkeypatch):
    target = project_copy / "casestudies/conflict-to-collaboration.yml"
    real = Path.open

    def refusing(self, *args, **kwargs):
        if self == target:
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing)
    assert "casestudies/conflict-to-collaboration.yml:1:1: cannot read the file: Permission denied" in problems(project_copy)


# ----- speed: no single field stalls a check -----------------------------------------------------

def test_worst_case_fields_are_checked_in_seconds(project_copy: Path):
    nasty = "[" * 19000 + "](" * 400
    add_case(project_copy, "slow.yml", CASE.replace("approach: They worked together.", f"approach: |\n  {nasty}\n  {'`` ` ' * 3000}"))
    # A guard against a stall (such input took minutes), not a speed target.
    start = time.perf_counter()
    with contextlib.suppress(ContentError):
        load_project(project_copy)
    assert time.perf_counter() - start < 10


def test_markdown_that_would_stall_or_crash_a_build_is_refused_at_its_field(project_copy: Path):
    """The review's shapes (19 KB of nested brackets: tens of seconds; 600 nested list
    levels: a RecursionError) are errors at their field, with what to change,
    reported with the file's other problems, and the build never sees them."""
    add_case(project_copy, "brackets.yml", CASE.replace("approach: They worked together.", "approach: |\n  " + "[" * 19000))
    add_case(project_copy, "deep.yml", CASE.replace("approach: They worked together.", "approach: '" + "- " * 600 + "x'")
             .replace("summary: Two partners did a thing.", "summary: ''"))
    start = time.perf_counter()
    found = problems(project_copy)
    assert time.perf_counter() - start < 10
    brackets = [p for p in found if p.startswith("casestudies/brackets.yml:")]
    assert brackets and "approach:" in brackets[0] and "square brackets '[' are open at once" in brackets[0], found
    deep = [p for p in found if p.startswith("casestudies/deep.yml:")]
    assert any("approach:" in p and "nested 600 levels deep" in p for p in deep), deep
    assert any("summary:" in p and "must contain text" in p for p in deep), deep  # reported together


# ----- what a red-team review found next (each a class) -----------------------------------------

def test_a_heading_id_from_a_field_cannot_take_the_themes():
    from alliance_playbook.markup.markdown import sanitize

    html = sanitize('<h2 id="__config">{"base":"x"}</h2><h2 id="__search">s</h2><h3 id="ap-filter-q">a</h3><h3 id="md-content">m</h3>'
                    '<h3 id="results-2024">r</h3><h3 id="résumé">é</h3>')
    assert 'id="__' not in html and 'id="ap-' not in html and 'id="md-' not in html and 'id="h-__config"' in html
    assert 'id="results-2024"' in html and 'id="résumé"' in html


def test_the_page_scan_refuses_theme_ids_in_content():
    from alliance_playbook.markup.safety import unsafe_content

    assert [str(f) for f in unsafe_content('<h2 id="__config">x</h2>')] == ["<h2 id>: an id the theme's scripts look up: '__config'"]


def test_a_field_that_copies_the_themes_config_builds_without_it(project_copy: Path):
    from conftest import run_mkdocs

    path = project_copy / "casestudies/conflict-to-collaboration.yml"
    text = path.read_text(encoding="utf-8").replace("challenge: |\n", 'challenge: |\n  <h2 id="__config">{"base":"https://evil.example/"}</h2>\n\n  ## x {: #__search }\n\n', 1)
    path.write_text(text, encoding="utf-8")
    run_mkdocs(project_copy)
    page = (project_copy / "site/casestudies/conflict-to-collaboration/index.html").read_text(encoding="utf-8")
    assert page.count('id="__config"') == 1 and page.count('id="__search"') == 1  # the theme's own, once each
    assert "evil.example" not in page.split('<script id="__config"')[-1]


@pytest.mark.parametrize("link, target", [
    ("content/assets/config.txt", "../../.git/config"),
    ("content/env.txt", "../.env"),
    ("content/repo", "../.git"),
    ("content/readme.md", "../README.md"),
    ("casestudies/secrets.yml", "../secrets.yml"),
])
def test_links_to_files_of_the_project_outside_the_sites_folders_are_refused(project_copy: Path, link: str, target: str):
    (project_copy / ".git").mkdir()
    (project_copy / ".git/config").write_text('[http]\n  extraheader = AUTHORIZATION: basic c2VjcmV0\n', encoding="utf-8")
    (project_copy / ".env").write_text("GH_TOKEN=ghs_secret\n", encoding="utf-8")
    (project_copy / "README.md").write_text("# Readme\n", encoding="utf-8")
    (project_copy / "secrets.yml").write_text("title: token\n", encoding="utf-8")
    (project_copy / link).parent.mkdir(parents=True, exist_ok=True)
    (project_copy / link).symlink_to(target)
    out = problems(project_copy)
    assert any(p.startswith(f"{link}:1:1: is a symbolic link to") and "outside the folders the site is built from" in p for p in out), out


def test_a_folder_linked_to_one_that_contains_it_is_refused(project_copy: Path):
    (project_copy / "content/guide/loop").symlink_to(".")
    out = problems(project_copy)
    assert "content/guide/loop:1:1: is a symbolic link to a folder that contains it: the build would walk round in circles; remove it" in out


def test_a_link_to_another_file_of_the_content_is_fine(project_copy: Path):
    (project_copy / "content/guide/again.md").symlink_to("collaboration.md")
    load_project(project_copy)


def test_links_in_the_theme_folder_are_checked_by_check_too(project_copy: Path):
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"), encoding="utf-8")
    (project_copy / "overrides/alliance").mkdir(parents=True)
    (project_copy / "overrides/alliance/casestudy.md.j2").symlink_to("/proc/self/environ")
    (project_copy / "overrides/leak.txt").symlink_to("../mkdocs.yml")
    proc = run_alliance("check", str(project_copy))
    assert proc.returncode == 1, proc.stdout
    assert "overrides/alliance/casestudy.md.j2:1:1: is a symbolic link to a file outside the project" in proc.stdout
    assert "overrides/leak.txt:1:1: is a symbolic link to mkdocs.yml, outside the folders the site is built from" in proc.stdout


def test_a_file_name_with_a_control_character_is_refused(project_copy: Path):
    (project_copy / "content/guide/bad\x1b[31m.md").write_text("# Bad\n", encoding="utf-8")
    assert "content/guide/bad\\x1b[31m.md:1:1: the file name has a control character in it (it would garble messages and links); rename it" in problems(project_copy)


def test_an_in_page_link_must_name_a_heading_of_the_same_text(project_copy: Path):
    rel = add_case(project_copy, "anchors.yml", CASE.replace("approach: They worked together.",
        "approach: |\n  ## Results 2024\n\n  See [the results](#results-2024) and [nothing](#nope)."))
    out = problems(project_copy)
    assert f"{rel}:13:40: approach: there is no heading 'nope' in this text; link to a heading of this same text, to an item with [[kind:id]] or to a full https:// address" in out
    assert not any("results-2024" in p for p in out)


@pytest.mark.parametrize("rel, old, new, says", [
    ("content/worksheets/partner-identification.yml", "  - id: name\n", '  - id: "name\\n"\n', "fields[0].id: 'name\\n' is not a valid id"),
    ("content/playbook/phases.yml", "- id: collaborate\n", '- id: "collaborate\\n"\n', "[1].id: 'collaborate\\n' is not a valid id"),
])
def test_a_trailing_line_break_does_not_pass_for_an_id(project_copy: Path, rel: str, old: str, new: str, says: str):
    path = project_copy / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    assert any(says in p for p in problems(project_copy))


def test_a_trailing_line_break_does_not_pass_for_a_language(project_copy: Path):
    rel = add_case(project_copy, "lang.yml", CASE + 'language: "en\\n"\n')
    assert any(p.startswith(f"{rel}:14:11: language: 'en\\n' is not a language code") for p in problems(project_copy))


def test_a_wiki_link_after_one_in_code_is_reported_where_it_is(project_copy: Path):
    rel = add_case(project_copy, "codelink.yml", CASE.replace("approach: They worked together.",
        "approach: |\n  Write links like `[[case:nope]]` in code.\n\n  Then a real one: [[case:nope]]"))
    assert f"{rel}:13:20: approach: there is no case 'nope'" in problems(project_copy)


@pytest.mark.parametrize("value", ['"\\u200b\\u2060\\ufeff"', '"\\u3164\\u2800"'])
def test_text_of_invisible_characters_is_empty(project_copy: Path, value: str):
    rel = add_case(project_copy, "invisible.yml", CASE.replace("title: A small alliance", f"title: {value}"))
    assert f"{rel}:1:8: title: must contain text that shows; it has only spaces, invisible characters or comments" in problems(project_copy)


@pytest.mark.parametrize(("text", "markdown", "shows"), [
    ("a", False, True), ("  \u200b a", False, True), ("\u200b\u2060", False, False), ("&nbsp;", False, False),
    (" &nbsp;\u200b&nbsp; ", False, False), ("&nbsp;x", False, True), ("&amp;", False, True), ("&", False, True),
    ("<!-- x -->", True, False), ("<!-- x --> &nbsp;", True, False), ("<!-- x -->y", True, True), ("<!-- x -->", False, True),
])
def test_what_shows(text: str, markdown: bool, shows: bool):
    """The quick answer (the first character that shows) agrees with the full one."""
    from alliance_playbook.model.text import visible

    assert visible(text, markdown) is shows


def test_markdown_of_only_a_comment_is_empty(project_copy: Path):
    rel = add_case(project_copy, "comment.yml", CASE.replace("challenge: It was hard.", 'challenge: "<!-- nothing -->"'))
    assert f"{rel}:9:12: challenge: must contain text that shows; it has only spaces, invisible characters or comments" in problems(project_copy)


def test_bidirectional_overrides_are_refused(project_copy: Path):
    rel = add_case(project_copy, "bidi.yml", CASE.replace("title: A small alliance", 'title: "A \\u202egnilaes alliance"'))
    assert f"{rel}:1:8: title: contains the bidirectional control U+202E, which shows text in another order than it is written; remove it" in problems(project_copy)


def test_tags_that_read_the_same_are_one_tag(project_copy: Path):
    add_case(project_copy, "tag-a.yml", CASE + 'tags: ["Night  Markets"]\n')
    add_case(project_copy, "tag-b.yml", CASE.replace("A small", "Another small") + 'tags: ["night markets\\u200b"]\n')
    project = load_project(project_copy)
    assert project.cases["tag-b"].tags == ["Night  Markets"]


def test_yaml_that_no_kind_reads_is_a_warning(project_copy: Path):
    (project_copy / "casestudies/2024").mkdir()
    add_case(project_copy, "2024/nested.yml", CASE)
    add_case(project_copy, "typo.yml.txt", CASE)
    (project_copy / "content/guide/broken.yml").write_text("title: [unclosed\n", encoding="utf-8")
    warnings = [str(w) for w in load_project(project_copy).warnings]
    assert any(w.startswith("casestudies/2024/nested.yml:1:1: warning: this YAML file is not read: content files belong in") for w in warnings)
    assert "casestudies/typo.yml.txt:1:1: warning: is not read: case study files end in .yml" in warnings
    assert any(w.startswith("content/guide/broken.yml:1:1: warning: this YAML file is not read") for w in warnings)


def test_huge_numbers_and_control_bytes_get_short_located_messages(project_copy: Path):
    rel = add_case(project_copy, "digits.yml", CASE.replace("  - description: It got better\n", f"  - description: It got better\n    result: {'9' * 5000}\n"))
    out = problems(project_copy)
    message = next(p for p in out if p.startswith(f"{rel}:13:13: outcomes[0].result:"))
    assert message.endswith("has 5,000 digits; numbers up to a million billion (1e15) are allowed") and len(message) < 250
    esc = add_case(project_copy, "escape.yml", CASE.replace("challenge: It was hard.", "challenge: It was \x1bhard."))
    assert f"{esc}:9:19: the character U+001B is not allowed in YAML (an invisible control character); remove it" in problems(project_copy)


def test_autolinks_are_not_raw_html(project_copy: Path):
    add_case(project_copy, "autolink.yml", CASE.replace("approach: They worked together.", "approach: See <https://example.org> or <team@example.org>."))
    assert not [w for w in load_project(project_copy).warnings if "autolink" in w.path]


@pytest.mark.parametrize("cell", [" =HYPERLINK(\"x\")", "\uff1d1+1", "\u3000+1", "@SUM(A1)"])
def test_csv_cells_that_a_spreadsheet_would_run_are_guarded(cell: str):
    from alliance_playbook.kinds.catalogue import safe_cell

    assert safe_cell(cell) == "'" + cell
    assert safe_cell("a = b") == "a = b"
