"""JSON Schemas for editors, generated from the model (one source of truth).

The schemas are shipped in ``schemas/`` so the ``# yaml-language-server:
$schema=...`` modeline in each YAML file works in VS Code's YAML extension;
a test checks the shipped files equal what the model generates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .model import CaseStudy, Lesson, Phase, Step, Worksheet
from .model.types import ID_PATTERN

SCHEMA_DIR = Path(__file__).parent / "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
_ID = {"type": "string", "pattern": ID_PATTERN, "maxLength": 64}


def _either_id_or(schema: dict[str, Any], prop: str, ref: str) -> None:
    """Lists whose items may be a plain id/text or a mapping (lessons, checklist)."""
    items = schema["properties"][prop]
    plain = _ID if ref == "LessonRef" else schema["$defs"][ref]["properties"]["text"]
    items["items"] = {"anyOf": [plain, {"$ref": f"#/$defs/{ref}"}]}


def json_schemas() -> dict[str, dict[str, Any]]:
    """``{file stem: schema}`` for every kind."""
    case = CaseStudy.model_json_schema()
    _either_id_or(case, "lessons", "LessonRef")
    step = Step.model_json_schema()
    _either_id_or(step, "checklist", "ChecklistItem")
    phases = TypeAdapter(list[Phase]).json_schema()
    phases.update({"title": "Playbook phases", "description": "The phases of the playbook, in order.", "minItems": 1})
    out = {
        "casestudy": case,
        "step": step,
        "lesson": Lesson.model_json_schema(),
        "worksheet": Worksheet.model_json_schema(),
        "phases": phases,
    }
    for name, schema in out.items():
        schema["$schema"] = DIALECT
        schema["$id"] = f"{name}.schema.json"
    return out


def render_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = folder / f"{name}.schema.json"
        path.write_text(render_schema(schema), encoding="utf-8")
        written.append(path)
    return written
