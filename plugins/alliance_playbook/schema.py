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

from .kinds.registry import BUILTIN, Registry

SCHEMA_DIR = Path(__file__).parent / "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _either_plain_or(schema: dict[str, Any], prop: str, ref: str) -> None:
    """A list whose items may be written as the mapping ``ref`` or as just its
    first required field (a lesson's id, a checklist item's text)."""
    mapping = schema["$defs"][ref]
    plain = mapping["properties"][mapping["required"][0]]
    schema["properties"][prop]["items"] = {"anyOf": [plain, {"$ref": f"#/$defs/{ref}"}]}


def json_schemas(registry: Registry | None = None) -> dict[str, dict[str, Any]]:
    """``{schema name: schema}`` for every kind (a list file's schema is a list of items)."""
    kinds = list(registry) if registry is not None else list(BUILTIN)
    out: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        if kind.list_file is not None:
            schema = TypeAdapter(list[kind.model]).json_schema()  # type: ignore[name-defined]
            schema.update({"title": f"Playbook {kind.plural}", "description": f"The {kind.plural} of the playbook, in order.", "minItems": 1})
        else:
            schema = kind.model.model_json_schema()
        for prop, ref in kind.plain_or_mapping:
            _either_plain_or(schema, prop, ref)
        schema["$schema"] = DIALECT
        schema["$id"] = f"{kind.schema_name}.schema.json"
        out[kind.schema_name] = schema
    return out


def render_schema(schema: dict[str, Any]) -> str:
    """A schema as the text of a shipped file: keys sorted, indented, a newline at the end."""
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Write the built-in kinds' schemas into ``folder`` (the package's, by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = folder / f"{name}.schema.json"
        path.write_text(render_schema(schema), encoding="utf-8")
        written.append(path)
    return written
