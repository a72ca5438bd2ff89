"""``data/playbook.json``: every built item of every kind, with its links;
``data/datapackage.json``: what the data files are, for open-data portals.

Each kind says how its items look in the file (``Kind.export``) and may add
data files of its own (``Kind.data_files``: ``data/casestudies.csv``) with
the type and meaning of their columns (``Kind.data_file_schemas``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from ..graph import LinkGraph
from ..project import Project
from ..urls import src_to_url

SCHEMA_VERSION = 1


#: (kind, id) -> an item's export and its text, kept between preview rebuilds.
ExportCache = dict[tuple[str, str], tuple[dict[str, Any], str]]


def playbook_json(project: Project, graph: LinkGraph, site_name: str = "", cache: ExportCache | None = None) -> str:
    """Every published item with its resolved links, kind by kind in playbook order.

    The text is ``json.dumps(data, indent=1)``, written item by item so that
    ``cache`` (a preview's) can keep the text of an item whose export did not
    change: with an indent, Python's JSON encoder is the slow pure-Python one."""
    head = json.dumps({"schema_version": SCHEMA_VERSION, "site_name": site_name}, ensure_ascii=False, indent=1)
    parts = [head[:-2]]
    fresh: ExportCache = {}
    for kind in project.registry:
        texts = []
        for id_, item in project.items(kind.name).items():
            export = kind.export(item, graph, src_to_url(kind.src(id_, item)))
            hit = cache.get((kind.name, id_)) if cache is not None else None
            text = hit[1] if hit is not None and hit[0] == export else json.dumps(export, ensure_ascii=False, indent=1).replace("\n", "\n  ")
            fresh[(kind.name, id_)] = (export, text)
            texts.append(text)
        key = json.dumps(kind.export_key, ensure_ascii=False)
        parts.append(f",\n {key}: [\n  " + ",\n  ".join(texts) + "\n ]" if texts else f",\n {key}: []")
    if cache is not None:
        cache.clear()
        cache.update(fresh)
    return "".join(parts) + "\n}\n"


DATAPACKAGE = "data/datapackage.json"


def _package_name(site_name: str) -> str:
    """A Data Package name: lower case letters, digits, '-', '.' and '_'."""
    return re.sub(r"[^a-z0-9._-]+", "-", site_name.casefold()).strip("-._") or "alliance-playbook"


def datapackage_json(files: list[tuple[str, str]], schemas: dict[str, list[dict[str, Any]]], site_name: str, site_url: str = "") -> str:
    """A Frictionless Data Package (v1 descriptor) for the ``data/`` files:
    each CSV a tabular resource with its columns' types and meanings (from
    ``schemas``), read from the file itself so it can never name a column
    the file lacks; each JSON file a plain resource."""
    resources: list[dict[str, Any]] = []
    for path, text in files:
        name = path.removeprefix("data/")
        resource: dict[str, Any] = {"name": _package_name(name.rsplit(".", 1)[0]), "path": name,
                                    "bytes": len(text.encode("utf-8")), "encoding": "utf-8"}
        if path.endswith(".csv"):
            header = next(csv.reader(io.StringIO(text)), [])
            fields = {f["name"]: f for f in schemas.get(path, [])}
            resource.update({"profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                             "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "header": True},
                             "schema": {"fields": [fields.get(column, {"name": column, "type": "string"}) for column in header],
                                        "missingValues": [""]}})
            if "id" in header:
                resource["schema"]["primaryKey"] = ["id"]
        else:
            resource.update({"profile": "data-resource", "type": "json", "format": "json", "mediatype": "application/json"})
        resources.append(resource)
    package: dict[str, Any] = {"profile": "data-package", "name": _package_name(site_name), "title": site_name or "Alliance Playbook",
                               "description": "The case studies, playbook, lessons and worksheets of the guide, as data.",
                               "resources": resources}
    if site_url:
        package["homepage"] = site_url
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"
