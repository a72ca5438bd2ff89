"""Hostile content for the tests: every plain-text field of every kind filled
with text that would be markup, Markdown structure or a remote load if any
renderer let it through.

Which fields are plain text is read from the shipped JSON Schemas (a string
with no pattern, format, enum or media type), so a field added to the model
is attacked without changing this file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from alliance_playbook.schema import json_schemas

#: Short enough for the tightest limits: a heading with attributes, a link
#: and an image written as Markdown, an emoji, raw HTML, a list, a quote.
PAYLOAD = (
    "x\n# H {: #pwn onfocus=alert(1) autofocus }\n[a](javascript:alert(2))"
    "![i](https://evil.example/i.png):smile:<img src=x onerror=alert(3)>\n- l\n> q\n"
    "{onclick=alert(4)}`c`*e*<script>alert(5)</script>"
)
EXAMPLES = resources.files("alliance_playbook").joinpath("templates", "reference", "examples")


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    return defs[node["$ref"].split("/")[-1]] if "$ref" in node else node


def is_plain_text(node: dict[str, Any]) -> bool:
    """A text field: a string that is not an id, a code, an address, a value
    from a list or Markdown."""
    return (node.get("type") == "string" and node.get("pattern") in (None, r"\S")
            and not any(k in node for k in ("format", "enum", "contentMediaType")))


def _options(node: dict[str, Any], defs: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(node, defs)
    return [_resolve(o, defs) for o in node.get("anyOf", [node])]


def fill(data: Any, node: dict[str, Any], defs: dict[str, Any], text: Callable[[int], str]) -> Any:
    """``data`` with every plain-text value replaced by ``text(max_length)``."""
    options = _options(node, defs)
    if isinstance(data, str):
        for o in options:
            if is_plain_text(o):
                return text(o.get("maxLength", 500))
        return data
    if isinstance(data, list):
        item = next((o.get("items", {}) for o in options if o.get("type") == "array"), {})
        return [fill(v, item, defs, text) for v in data]
    if isinstance(data, dict):
        for o in options:
            if "properties" in o:
                return {k: fill(v, o["properties"].get(k, {}), defs, text) for k, v in data.items()}
            if "patternProperties" in o:  # a scale's labels
                inner = next(iter(o["patternProperties"].values()))
                return {k: fill(v, inner, defs, text) for k, v in data.items()}
    return data


def payload_of(length: int, payload: str = PAYLOAD) -> str:
    return payload[:length]


def hostile(kind: str, text: Callable[[int], str] = payload_of, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The complete example of ``kind`` (or ``base``) with hostile plain text."""
    schemas = json_schemas()
    schema = schemas[kind]
    data = base if base is not None else yaml.safe_load(EXAMPLES.joinpath(f"{kind}.yml").read_text(encoding="utf-8"))
    return fill(data, schema, schema.get("$defs", {}), text)


def write_hostile_project(project: Path, text: Callable[[int], str] = payload_of) -> None:
    """Add a hostile case, step, lesson, worksheet and phase, and a guide page
    that links the hostile case by its title, to a copy of the project."""
    def dump(rel: str, value: Any) -> None:
        (project / rel).write_text(json.dumps(value, ensure_ascii=False, indent=1, default=str), encoding="utf-8")

    case = hostile("casestudy", text)
    case["lessons"][1]["note"] = "[[step:hostile-step]] and [[lesson:hostile-lesson]]"
    dump("casestudies/hostile-everything.yml", case)
    phases = yaml.safe_load((project / "content/playbook/phases.yml").read_text(encoding="utf-8"))
    phases.append(hostile("phases", text, [{"id": "hostile-phase", "title": "t", "summary": "s"}])[0])
    dump("content/playbook/phases.yml", phases)
    step = hostile("step", text)
    step["phase"] = "hostile-phase"
    step["lessons"] = ["hostile-lesson"]
    step["worksheets"] = ["hostile-worksheet"]
    dump("content/playbook/steps/hostile-step.yml", step)
    lesson = hostile("lesson", text)
    dump("content/lessons/hostile-lesson.yml", lesson)
    ws = yaml.safe_load(EXAMPLES.joinpath("worksheet.yml").read_text(encoding="utf-8"))
    ws["fields"].append({"id": "pick", "label": "Pick", "type": "multichoice", "options": ["one", "two"], "help": "h"})
    ws["steps"] = ["hostile-step"]
    dump("content/worksheets/hostile-worksheet.yml", hostile("worksheet", text, ws))
    form = {"title": "f", "summary": "s", "layout": "form", "steps": ["hostile-step"],
            "fields": [{"id": "q1", "label": "l", "type": "scale", "labels": {"1": "a", "5": "b"}},
                       {"id": "q2", "label": "l2", "type": "choice", "options": ["x", "y"]}],
            "chart": {"type": "bars"}, "score": {"label": "s", "mean_of": ["q1"]}}
    dump("content/worksheets/hostile-form.yml", hostile("worksheet", text, form))
    page = project / "content/guide/hostile-links.md"
    page.write_text("# Links\n\nSee [[case:hostile-everything]], [[step:hostile-step]], [[lesson:hostile-lesson]], "
                    "[[worksheet:hostile-worksheet]] and [[phase:hostile-phase]].\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("      - guide/case-studies.md\n",
                                                                 "      - guide/case-studies.md\n      - guide/hostile-links.md\n"), encoding="utf-8")
