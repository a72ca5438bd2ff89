"""Reference pages generated from the model's JSON Schema, so they cannot drift."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..kinds.base import Kind
from ..kinds.registry import Registry
from ..model.types import ID_PATTERN
from ..schema import json_schemas


@dataclass
class FieldRow:
    """One row of a reference table: a field's path, type, limits, allowed values and description."""

    path: str
    type: str
    required: bool
    limits: str
    allowed: list[str]
    description: str


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        resolved: dict[str, Any] = defs[node["$ref"].split("/")[-1]]
        return resolved
    return node


def _non_null(node: dict[str, Any]) -> list[dict[str, Any]]:
    options = node.get("anyOf")
    if options is None:
        return [node]
    kept = [o for o in options if o.get("type") != "null"]
    if len(kept) == 1 and "anyOf" in kept[0]:
        return _non_null(kept[0])
    return kept


def _type_name(node: dict[str, Any], defs: dict[str, Any]) -> str:
    options = _non_null(node)
    if len(options) > 1:
        kinds = {o.get("type") for o in options}
        if kinds == {"integer", "string"} and any("pattern" in o for o in options):
            return "date (YYYY, YYYY-MM or YYYY-MM-DD)"
        return " or ".join(_type_name(o, defs) for o in options)
    node = _resolve(options[0], defs)
    t = node.get("type")
    if t == "string":
        if node.get("pattern") == ID_PATTERN:
            return "id"
        if node.get("contentMediaType") == "text/markdown":
            return "Markdown"
        if node.get("format") == "uri":
            return "web address (http/https)"
        if "enum" in node:
            return "one value"
        return "text"
    if t == "array":
        return f"list of {_type_name(node.get('items', {}), defs)}"
    if t == "object" or "properties" in node:
        return "mapping"
    return {"integer": "whole number", "number": "number", "boolean": "true or false"}.get(t or "", t or "any")


def _limits(node: dict[str, Any]) -> str:
    parts = []
    for o in _non_null(node):
        if "minLength" in o and o["minLength"] > 1:
            parts.append(f"at least {o['minLength']} characters")
        if "maxLength" in o and o.get("pattern") != ID_PATTERN:
            parts.append(f"at most {o['maxLength']} characters")
        if "minItems" in o:
            parts.append(f"at least {o['minItems']} item{'s' if o['minItems'] != 1 else ''}")
        if "maxItems" in o:
            parts.append(f"at most {o['maxItems']} items")
        if o.get("pattern") == ID_PATTERN:
            parts.append("lower-case words joined by hyphens, at most 64 characters")
        if o.get("pattern") == "^[A-Z]{2}$":
            parts.append("ISO 3166-1 alpha-2 code")
    return "; ".join(dict.fromkeys(parts))


def _allowed(node: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    for o in _non_null(node):
        o = _resolve(o, defs)
        if "enum" in o:
            return [str(v) for v in o["enum"]]
        if o.get("type") == "array":
            inner = _allowed(o.get("items", {}), defs)
            if inner:
                return inner
    return []


def _children(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """The mapping schema inside a field (directly, in a list, or in anyOf)."""
    for o in _non_null(node):
        o = _resolve(o, defs)
        if o.get("type") == "array":
            items = o.get("items", {})
            for alt in items.get("anyOf", [items]):
                alt = _resolve(alt, defs)
                if "properties" in alt:
                    return alt
        elif "properties" in o:
            return o
    return None


def field_rows(schema: dict[str, Any]) -> list[FieldRow]:
    """Every field of a kind, nested fields as ``partners[].name``."""
    defs = schema.get("$defs", {})
    root = schema if "properties" in schema else _resolve(schema.get("items", {}), defs)
    rows: list[FieldRow] = []

    def walk(obj: dict[str, Any], prefix: str) -> None:
        required = set(obj.get("required", []))
        for name, node in obj.get("properties", {}).items():
            path = f"{prefix}{name}"
            rows.append(FieldRow(path, _type_name(node, defs), name in required, _limits(node), _allowed(node, defs), node.get("description", "")))
            child = _children(node, defs)
            if child is not None:
                is_list = any(_resolve(o, defs).get("type") == "array" for o in _non_null(node))
                walk(child, f"{path}[]." if is_list else f"{path}.")

    walk(root, "")
    return rows


def where(kind: Kind) -> str:
    """Where a kind's files live, with the default folders."""
    if kind.list_file is not None:
        return kind.list_file.format(content="content") + " (a list, in order)"
    assert kind.folder is not None
    return kind.folder.format(content="content", casestudies="casestudies") + "/<id>.yml"


def reference_kinds(registry: Registry) -> list[Kind]:
    """The kinds in the Reference section's order."""
    return sorted(registry, key=lambda k: k.reference_rank)


def reference_tables(registry: Registry) -> list[tuple[str, str, str, list[FieldRow]]]:
    """(page id, title, where, rows) for each kind: its page id is its schema's name."""
    schemas = json_schemas(registry)
    return [(k.schema_name, k.reference_title, where(k), field_rows(schemas[k.schema_name])) for k in reference_kinds(registry)]
