"""``casestudies/propose/``: propose a case study without Git.

The form is made from the case study model itself (its JSON Schema, the
same one editors use): every field, lists that grow and shrink, choices
from the model's values, lessons and steps from the site's own. The page's
script (``propose.js``) checks as the person types, with the rules and the
messages of ``alliance check`` (:data:`MESSAGES`: the loader's own wording,
kept in step by a browser test that runs ``alliance check`` on what the form
writes), shows a preview and gives the YAML file.
"""

from __future__ import annotations

import re
from typing import Any

from ..model.codes import country_codes

#: Labels of the form's inputs (the schema's titles are Python's), by field name.
LABELS = {
    "title": "Title", "summary": "Summary", "policy_areas": "Policy areas", "alliance_form": "Form of the alliance",
    "location": "Where", "country": "Country", "region": "Region", "city": "City or town", "scope": "Scope",
    "period": "When", "start": "Start", "end": "End", "ongoing": "Still running",
    "partners": "Partners", "name": "Name", "type": "Type", "role": "Role", "contribution": "Contribution",
    "challenge": "Challenge", "approach": "Approach", "outcomes": "Outcomes", "description": "What changed",
    "indicator": "What was measured", "baseline": "Before", "result": "After", "unit": "Unit", "as_of": "Measured in",
    "feedback": "Voices from the alliance", "quote": "Quote", "source": "Who said it", "lessons": "Lessons",
    "lesson": "Lesson", "note": "How it showed up", "steps": "Playbook steps", "tags": "Tags", "sources": "Sources",
    "url": "Web address", "contributors": "Contributors", "status": "Status", "last_reviewed": "Last reviewed",
    "language": "Language of the case",
}
#: What one row of a list is called ("Partner 2").
ROW_LABELS = {"partners": "Partner", "outcomes": "Outcome", "feedback": "Voice", "lessons": "Lesson", "sources": "Source",
              "contributors": "Contributor", "tags": "Tag"}
#: The model's lists of values and the label set each is shown with.
ENUM_LABELS = {"policy_areas": "policy_area", "alliance_form": "alliance_form", "scope": "scope", "type": "partner_type",
               "role": "partner_role", "status": "status"}
#: Rows a valid case needs, shown from the start.
START_ROWS = {"partners": 2, "outcomes": 1, "lessons": 1}
#: The checker's messages (model/text.py, model/types.py, validation.py, kinds/casestudy.py), for the script.
MESSAGES = {
    "required": "required field '{name}' is missing",
    "tooLong": "is {n} characters long; at most {max} are allowed{hint}",
    "hintText": "; split it, or move detail into a Markdown field",
    "hintMarkdown": "; split the text, or link to a longer source",
    "empty": "must contain text; it is empty or only spaces",
    "invisible": "must contain text that shows; it has only spaces, invisible characters or comments",
    "placeholder": "replace the placeholder '...' with your text",
    "control": "contains the control character U+{code} (invisible, and it garbles pages and files); remove it",
    "bidi": "contains the bidirectional control U+{code}, which shows text in another order than it is written; remove it",
    "fewItems": "needs at least {need} item{s}, has {n}",
    "manyItems": "at most {max} items are allowed, has {n}",
    "date": "{got} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (for example 2019 or 2019-04)",
    "url": "{shown}: write an address that starts with https:// or http://",
    "urlScheme": "'{scheme}:' links are not allowed",
    "urlPartial": "not a full web address",
    "ongoingEnd": "'ongoing: true' cannot go with an 'end' date; remove one of them",
    "endBeforeStart": "the end ({end}) is before the start ({start})",
    "tooLarge": "{got} is too large: numbers up to a million billion (1e15) are allowed",
    "broken": "contains a broken character (half of a pair that makes one character); type it again",
    "reserved": "'{id}' is the address of {what}; choose another title",
    "exists": "a case study with the id '{id}' is already in the guide; choose another title",
    "noId": "give the case a title made of letters or digits (its file name is made from it)",
}


def _unwrap(prop: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """A property without its ``anyOf [..., null]`` wrapper, and whether null was allowed."""
    options = prop.get("anyOf")
    if options and any(o.get("type") == "null" for o in options):
        rest = [o for o in options if o.get("type") != "null"]
        inner = dict(rest[0]) if len(rest) == 1 else {"anyOf": rest}
        for key in ("description", "title"):
            if key in prop and key not in inner:
                inner[key] = prop[key]
        return inner, True
    return prop, False


def _field(name: str, prop: dict[str, Any], required: bool, defs: dict[str, Any], site: Any, extra: dict[str, Any]) -> dict[str, Any]:
    prop, _optional = _unwrap(prop)
    out: dict[str, Any] = {"name": name, "label": site.translate(LABELS.get(name, name.replace("_", " ").capitalize())),
                           "help": site.translate(prop.get("description", "")), "required": required}
    ref = prop.get("$ref")
    if ref:
        return {**out, **_group(defs[ref.rsplit("/", 1)[-1]], defs, site, extra)}
    if prop.get("type") == "array":
        items = prop["items"]
        out.update(minItems=prop.get("minItems", 0), maxItems=prop.get("maxItems"), start=START_ROWS.get(name, 0),
                   one=site.translate(ROW_LABELS.get(name, out["label"])))
        if "enum" in items:
            return {**out, "kind": "choices", "choices": _choices(name, items["enum"], site)}
        if name == "steps":
            return {**out, "kind": "choices", "choices": extra["steps"]}
        if "anyOf" in items or "$ref" in items:  # lessons: an id or a mapping; the form writes mappings
            target = next((o["$ref"] for o in items.get("anyOf", [items]) if "$ref" in o), None)
            assert target is not None
            return {**out, "kind": "rows", "item": _group(defs[target.rsplit("/", 1)[-1]], defs, site, extra)}
        return {**out, "kind": "rows", "item": {"kind": "text", "name": "", "label": out["label"], "help": "", "required": True,
                                                 "max": items.get("maxLength")}}
    if "enum" in prop:
        return {**out, "kind": "choice", "choices": _choices(name, prop["enum"], site)}
    if prop.get("contentMediaType") == "text/markdown":
        # Its links and unusual Markdown shapes are checked when the site is built, not in the form.
        help_text = site.translate("Markdown: **bold**, *italic*, lists, [links](https://example.org). Links and the Markdown's shape are checked when the site is built.")
        return {**out, "kind": "markdown", "max": prop.get("maxLength"), "help": f"{out['help']}. {help_text}" if out["help"] else help_text}
    if "anyOf" in prop or prop.get("description", "").startswith("YYYY"):
        return {**out, "kind": "date"}
    if prop.get("format") == "uri":
        return {**out, "kind": "url"}
    if prop.get("type") == "number":
        return {**out, "kind": "number"}
    if prop.get("type") == "boolean":
        return {**out, "kind": "bool"}
    if name == "country":
        return {**out, "kind": "choice", "choices": extra["countries"]}
    if name == "language":
        return {**out, "kind": "choice", "choices": extra["languages"]}
    if name == "lesson":
        return {**out, "kind": "choice", "choices": extra["lessons"]}
    return {**out, "kind": "text", "max": prop.get("maxLength")}


def _group(schema: dict[str, Any], defs: dict[str, Any], site: Any, extra: dict[str, Any]) -> dict[str, Any]:
    required = set(schema.get("required", []))
    return {"kind": "group", "fields": [_field(n, p, n in required, defs, site, extra) for n, p in schema["properties"].items()]}


def _choices(name: str, values: list[str], site: Any) -> list[list[str]]:
    enum = ENUM_LABELS.get(name)
    return [[v, site.label(enum, v) if enum else v] for v in values]


def form_spec(site: Any, model: Any, schema_path: str) -> dict[str, Any]:
    """The form, its rules and its messages for ``propose.js`` (JSON-ready)."""
    import pycountry

    project = site.project
    schema = model.model_json_schema()
    extra = {
        "countries": sorted(([code, site.country(code)] for code in country_codes()), key=lambda c: c[1].casefold()),
        "lessons": [[id_, lesson.title] for id_, lesson in project.items("lesson").items()],
        "steps": [[id_, step.title] for id_, step in project.items("step").items()],
        # Languages with a two-letter code (the checker also takes the three-letter ones a file may give).
        "languages": sorted(([lang.alpha_2, lang.name] for lang in pycountry.languages if hasattr(lang, "alpha_2")), key=lambda c: c[1].casefold()),
    }
    fields = _group(schema, schema.get("$defs", {}), site, extra)["fields"]
    # Case order as in the files people write: what it is, where and when, who, the story, the links.
    return {"fields": fields, "messages": MESSAGES, "existing": sorted(project.items("case")), "schema": schema_path,
            "idMax": 64, "reserved": dict(project.registry["case"].reserved)}


def github_links(repo_url: str, edit_uri: str) -> dict[str, str] | None:
    """The repository's "new file" and "new issue" addresses, when it is on GitHub."""
    match = re.fullmatch(r"https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?", repo_url.strip())
    if not match:
        return None
    branch = re.match(r"(?:edit|blob)/([^/]+)/", edit_uri or "")
    base = f"https://github.com/{match.group(1)}/{match.group(2)}"
    return {"new_file": f"{base}/new/{branch.group(1) if branch else 'main'}", "issue": f"{base}/issues/new?template=case-study.yml"}
