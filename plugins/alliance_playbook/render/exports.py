"""``data/playbook.json``: every built item of every kind, with its links.

Each kind says how its items look in the file (``Kind.export``) and may add
data files of its own (``Kind.data_files``: ``data/casestudies.csv``).
"""

from __future__ import annotations

import json
from typing import Any

from ..graph import LinkGraph
from ..project import Project
from ..urls import src_to_url

SCHEMA_VERSION = 1


def playbook_json(project: Project, graph: LinkGraph, site_name: str = "") -> str:
    """Every published item with its resolved links, kind by kind in playbook order."""
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "site_name": site_name}
    for kind in project.registry:
        data[kind.export_key] = [kind.export(item, graph, src_to_url(kind.src(id_, item))) for id_, item in project.items(kind.name).items()]
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
