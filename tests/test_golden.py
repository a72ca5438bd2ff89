"""Golden files: YAML in, Markdown out, one per kind (tests/golden/).

Each input is added to a copy of the seed project under the id
``golden-<kind>`` and its page is rendered as ``alliance generate`` renders
it (every Markdown field converted here). The output must equal the
``.md`` file beside it, byte for byte.

After an intended change of the output, rewrite the files and read the
diff before committing it::

    make golden        # ALLIANCE_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from alliance_playbook.project import load_project
from alliance_playbook.render.site import PageRenderer, RenderOptions
from conftest import copy_project

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("ALLIANCE_UPDATE_GOLDEN", "") == "1"
#: input file -> (its kind, where it goes in the project, the page it makes)
CASES = {
    "case.yml": ("case", "casestudies/golden-case.yml", "casestudies/golden-case.md"),
    "step.yml": ("step", "content/playbook/steps/golden-step.yml", "playbook/golden-phase/golden-step.md"),
    "lesson.yml": ("lesson", "content/lessons/golden-lesson.yml", "lessons/golden-lesson.md"),
    "worksheet.yml": ("worksheet", "content/worksheets/golden-worksheet.yml", "worksheets/golden-worksheet.md"),
    "worksheet-form.yml": ("worksheet", "content/worksheets/golden-form.yml", "worksheets/golden-form.md"),
    "phase.yml": ("phase", "content/playbook/phases.yml", "playbook/golden-phase/index.md"),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str]:
    project = copy_project(tmp_path_factory.mktemp("golden") / "project")
    for name, (_kind, target, _page) in CASES.items():
        if name == "phase.yml":
            phases = yaml.safe_load((project / target).read_text(encoding="utf-8"))
            phases.append(yaml.safe_load((GOLDEN / name).read_text(encoding="utf-8")))
            (project / target).write_text(yaml.safe_dump(phases, allow_unicode=True, sort_keys=False), encoding="utf-8")
        else:
            shutil.copy(GOLDEN / name, project / target)
    renderer = PageRenderer(load_project(project), RenderOptions(site_name="Golden"))
    return {page.src_uri: page.content for page in renderer.pages()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_markdown(name: str, rendered: dict[str, str]):
    expected = GOLDEN / (Path(name).stem + ".md")
    actual = rendered[CASES[name][2]]
    if UPDATE:
        expected.write_text(actual, encoding="utf-8")
    assert expected.is_file(), f"{expected.name} is missing: run `make golden`"
    assert actual == expected.read_text(encoding="utf-8"), f"{name} renders differently: run `make golden` and read the diff"


def test_every_kind_has_a_golden_file():
    from alliance_playbook.kinds import BUILTIN

    assert {kind for kind, _target, _page in CASES.values()} == {k.name for k in BUILTIN}
