"""The JSON Schemas shipped for editors come from the model and accept the content."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from alliance_playbook.schema import SCHEMA_DIR, json_schemas, render_schema
from conftest import FIXTURES, ROOT


def test_shipped_schemas_equal_the_model():
    for name, schema in json_schemas().items():
        shipped = (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
        assert shipped == render_schema(schema), f"run `alliance schema --write`: {name} is stale"


def _yaml_as_json(path: Path):
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


KINDS = {
    "casestudy": ["casestudies/*.yml"],
    "step": ["content/playbook/steps/*.yml"],
    "lesson": ["content/lessons/*.yml"],
    "worksheet": ["content/worksheets/*.yml"],
    "phases": ["content/playbook/phases.yml"],
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_seed_and_fork_content_validate_against_the_schema(kind):
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    files = [p for pattern in KINDS[kind] for base in (ROOT, FIXTURES / "fork") for p in base.glob(pattern)]
    assert files
    for path in files:
        errors = [e.message for e in validator.iter_errors(_yaml_as_json(path))]
        assert not errors, (path, errors)


def test_schema_rejects_what_the_model_rejects():
    schema = json.loads((SCHEMA_DIR / "casestudy.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    bad = _yaml_as_json(FIXTURES / "broken" / "bad-enum.yml")
    assert any("local_government" in e.message for e in validator.iter_errors(bad))
    unknown = _yaml_as_json(FIXTURES / "broken" / "unknown-key.yml")
    assert any("titel" in e.message for e in validator.iter_errors(unknown))


def test_every_yaml_file_points_at_its_schema():
    for kind, patterns in KINDS.items():
        for pattern in patterns:
            for path in ROOT.glob(pattern):
                first = path.read_text(encoding="utf-8").splitlines()[0]
                assert first.startswith("# yaml-language-server: $schema="), path
                target = (path.parent / first.split("=", 1)[1]).resolve()
                assert target == (SCHEMA_DIR / f"{kind}.schema.json").resolve(), path
