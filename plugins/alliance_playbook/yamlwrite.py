"""Writing YAML files people edit (case studies made from an issue, the
benchmarks' synthetic content) so that the loader reads back what was written."""

from __future__ import annotations

import re
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Safe YAML, with texts of several lines as literal blocks (as people write Markdown in YAML)."""


#: Characters YAML reads back as something else when written as they are
#: (line breaks of YAML 1.1, a byte order mark, C1 controls): such a text is
#: written double-quoted, where they become escapes.
_REREAD = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _REREAD.search(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    # (PyYAML itself falls back from a block where one cannot hold the text.)
    style = "|" if "\n" in value and "\t" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def dump_yaml(data: Any, schema: str = "") -> str:
    """``data`` as a YAML file people can edit (keys in their order, texts of
    several lines as blocks), headed by the editor's schema line when given;
    the loader (:func:`.loader.load_yaml_text`) reads back exactly ``data``."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)
    return (f"# yaml-language-server: $schema={schema}\n" if schema else "") + body
