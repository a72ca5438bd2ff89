"""The case study catalogue's columns: ``data/casestudies.csv``, its
schema for ``data/datapackage.json``, and cells a spreadsheet will not run."""

from __future__ import annotations

import csv
import io
from typing import Any

#: The columns of ``data/casestudies.csv`` (a public format: add, never rename).
CSV_COLUMNS = [
    "id", "title", "summary", "policy_areas", "alliance_form", "country", "region", "city", "scope", "start", "end",
    "ongoing", "partners", "partner_types", "lessons", "steps", "tags", "metrics", "last_reviewed", "url",
]
#: Each column's type and meaning, for ``data/datapackage.json`` (a
#: Frictionless Table Schema; lists are one string, joined with "; ").
_LIST = "joined with \"; \""
CSV_FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "string", "description": "The case's id: its file name and the last part of its address",
     "constraints": {"required": True, "unique": True, "pattern": "[a-z0-9]+(-[a-z0-9]+)*"}},
    {"name": "title", "type": "string", "description": "The case's title", "constraints": {"required": True}},
    {"name": "summary", "type": "string", "description": "One or two sentences on who worked together and what changed"},
    {"name": "policy_areas", "type": "string", "description": f"Policy areas (ids), {_LIST}"},
    {"name": "alliance_form", "type": "string", "description": "The form of the alliance (an id)"},
    {"name": "country", "type": "string", "description": "ISO 3166-1 alpha-2 country code"},
    {"name": "region", "type": "string", "description": "Region, state or province"},
    {"name": "city", "type": "string", "description": "City or town"},
    {"name": "scope", "type": "string", "description": "How far the alliance reaches (an id)"},
    {"name": "start", "type": "string", "description": "When it started: YYYY, YYYY-MM or YYYY-MM-DD"},
    {"name": "end", "type": "string", "description": "When it ended, in the same forms"},
    {"name": "ongoing", "type": "boolean", "description": "Whether the alliance is still running", "trueValues": ["true"], "falseValues": ["false"]},
    {"name": "partners", "type": "string", "description": f"The partners' names, {_LIST}"},
    {"name": "partner_types", "type": "string", "description": f"The partners' types (ids), {_LIST}"},
    {"name": "lessons", "type": "string", "description": f"Lessons the case illustrates (ids), {_LIST}"},
    {"name": "steps", "type": "string", "description": f"Playbook steps the alliance went through (ids), {_LIST}"},
    {"name": "tags", "type": "string", "description": f"Free tags, {_LIST}"},
    {"name": "metrics", "type": "integer", "description": "How many outcomes have numbers", "constraints": {"minimum": 0}},
    {"name": "last_reviewed", "type": "string", "description": "When the case was last checked: YYYY, YYYY-MM or YYYY-MM-DD"},
    {"name": "url", "type": "string", "description": "The case's page, relative to the site's address"},
]
assert [f["name"] for f in CSV_FIELDS] == CSV_COLUMNS


def csv_cells(record: dict[str, Any]) -> list[str]:
    """A catalogue record (:meth:`CaseStudyKind.record`) as the cells of its CSV row."""
    cells = []
    for name in CSV_COLUMNS:
        value = record[name]
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = "; ".join(value)
        cells.append(safe_cell(value))
    return cells


#: What starts a formula in a spreadsheet, also after spaces and in the
#: full-width forms some spreadsheets read as the same signs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP advice)."""
    text = "" if value is None else str(value)
    if text.lstrip(" \u3000").startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_line(cells: list[str]) -> str:
    """One line of ``data/casestudies.csv`` (quoted as needed, ending in CR LF)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def catalogue_row(record: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """A case's row as the catalogue shows it: its cells (as in the CSV) and its typed record."""
    return csv_cells(record), record
