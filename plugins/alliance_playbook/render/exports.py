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
from collections.abc import Callable
from typing import Any

from ..graph import LinkGraph
from ..project import Project
from ..urls import src_to_url

SCHEMA_VERSION = 1


#: (kind, id) -> an item's export and its text, kept between preview rebuilds.
ExportCache = dict[tuple[str, str], tuple[dict[str, Any], str]]
#: A JSON file's top-level keys and, for each list among them, its length:
#: what the ``data/`` page tells of it (:func:`..downloads.describe_data_file`).
JsonShape = tuple[list[str], list[tuple[str, int]]]


def playbook_json(project: Project, graph: LinkGraph, site_name: str = "", cache: ExportCache | None = None,
                  unchanged: Callable[[Any, str, Any], bool] | None = None, shape: list[JsonShape] | None = None) -> str:
    """Every published item with its resolved links, kind by kind in playbook order.

    The text is ``json.dumps(data, indent=1)``, written item by item so that
    ``cache`` (a preview's) can keep the text of an item whose export did not
    change: with an indent, Python's JSON encoder is the slow pure-Python one.
    An item for which ``unchanged(kind, id, item)`` holds (a preview rebuild
    leaves its page as it was, so nothing it shows changed) keeps its cached
    text without being exported again. ``shape``, when given, receives the
    file's keys and list lengths as they are written."""
    head_data = {"schema_version": SCHEMA_VERSION, "site_name": site_name}
    head = json.dumps(head_data, ensure_ascii=False, indent=1)
    parts = [head[:-2]]
    fresh: ExportCache = {}
    lists: list[tuple[str, int]] = []
    for kind in project.registry:
        texts = []
        for id_, item in project.items(kind.name).items():
            hit = cache.get((kind.name, id_)) if cache is not None else None
            if hit is None or unchanged is None or not unchanged(kind, id_, item):
                export = kind.export(item, graph, src_to_url(kind.src(id_, item)))
                if hit is None or hit[0] != export:
                    hit = (export, json.dumps(export, ensure_ascii=False, indent=1).replace("\n", "\n  "))
            fresh[(kind.name, id_)] = hit
            texts.append(hit[1])
        key = json.dumps(kind.export_key, ensure_ascii=False)
        if texts:  # (the pieces are joined once, at the end: the whole text is copied once)
            parts += [f",\n {key}: [\n  ", *(t for text in texts for t in (text, ",\n  "))]
            parts[-1] = "\n ]"
        else:
            parts.append(f",\n {key}: []")
        lists.append((kind.export_key, len(texts)))
    if cache is not None:
        cache.clear()
        cache.update(fresh)
    if shape is not None:
        shape.append(([*head_data, *(k for k, _ in lists)], lists))
    parts.append("\n}\n")
    return "".join(parts)


DATAPACKAGE = "data/datapackage.json"


def data_files(site: Any) -> list[tuple[str, str]]:
    """Every data export of ``site`` (a :class:`..site.PageRenderer`):
    playbook.json, each kind's own files, and the data package describing
    them; what playbook.json holds goes to ``site.data_shapes``. An item whose
    page a preview rebuild keeps is not exported again (its page shows its
    links, so its export did not change either)."""
    shape: list[JsonShape] = []
    kept = None if site.keep is None else lambda kind, id_, item: site.kept(kind.src(id_, item)) is not None
    files = [("data/playbook.json", playbook_json(site.project, site.graph, site.options.site_name, site.export_cache, kept, shape))]
    site.data_shapes, site.data_sizes = {"data/playbook.json": shape[0]}, {}
    schemas: dict[str, list[dict[str, Any]]] = {}
    for kind in site.project.registry:
        files.extend(kind.site_data_files(site))
        schemas.update(kind.data_file_schemas())
    files.append((DATAPACKAGE, datapackage_json(files, schemas, site.options.site_name, site.options.site_url, site.data_sizes)))
    return files


def _package_name(site_name: str) -> str:
    """A Data Package name: lower case letters, digits, '-', '.' and '_'."""
    return re.sub(r"[^a-z0-9._-]+", "-", site_name.casefold()).strip("-._") or "alliance-playbook"


def datapackage_json(files: list[tuple[str, str]], schemas: dict[str, list[dict[str, Any]]], site_name: str, site_url: str = "",
                     sizes: dict[str, int] | None = None) -> str:
    """A Frictionless Data Package (v1 descriptor) for the ``data/`` files:
    each CSV a tabular resource with its columns' types and meanings (from
    ``schemas``), read from the file itself so it can never name a column
    the file lacks; each JSON file a plain resource. ``sizes`` receives each
    file's size in bytes."""
    sizes = {} if sizes is None else sizes
    resources: list[dict[str, Any]] = []
    for path, text in files:
        name = path.removeprefix("data/")
        sizes[path] = len(text.encode("utf-8"))
        resource: dict[str, Any] = {"name": _package_name(name.rsplit(".", 1)[0]), "path": name,
                                    "bytes": sizes[path], "encoding": "utf-8"}
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
