"""The reference pages list every field the model has, and their examples are valid."""

from __future__ import annotations

import types
import typing
from importlib import resources
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pydantic import BaseModel, TypeAdapter

from alliance_playbook.kinds import CaseStudy, Lesson, Phase, Step, Worksheet
from alliance_playbook.loader import load_yaml_text

MODELS = {"casestudy": CaseStudy, "step": Step, "phases": Phase, "lesson": Lesson, "worksheet": Worksheet}


def _inner_models(annotation) -> list[tuple[type[BaseModel], bool]]:
    """(model, is_list) pairs found inside a field annotation."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _inner_models(args[0])
    if origin in (typing.Union, types.UnionType):
        return [m for a in args for m in _inner_models(a)]
    if origin is list:
        return [(m, True) for m, _ in _inner_models(args[0])]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, False)]
    return []


def model_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every field path of a model, walked from its Python annotations."""
    out: set[str] = set()
    for name, info in model.model_fields.items():
        key = info.alias or name
        out.add(prefix + key)
        for inner, is_list in _inner_models(info.annotation):
            out |= model_paths(inner, f"{prefix}{key}[]." if is_list else f"{prefix}{key}.")
    return out


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_reference_page_lists_every_field_of_the_model(seed_site: Path, kind: str):
    page = BeautifulSoup((seed_site / "reference" / kind / "index.html").read_text(encoding="utf-8"), "html.parser")
    listed = {row.find("td").get_text(strip=True) for row in page.select("table.ap-reference tbody tr")}
    assert listed == model_paths(MODELS[kind])
    required = {row.find("td").get_text(strip=True) for row in page.select("table.ap-reference tbody tr")
                if row.find_all("td")[2].get_text(strip=True) == "yes"}
    top_required = {n for n, f in MODELS[kind].model_fields.items() if f.is_required()}
    top_required = {MODELS[kind].model_fields[n].alias or n for n in top_required}
    assert top_required <= required


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_reference_examples_are_valid(kind: str):
    text = resources.files("alliance_playbook").joinpath("templates", "reference", "examples", f"{kind}.yml").read_text()
    data = load_yaml_text(text, f"{kind}.yml").data
    if kind == "phases":
        TypeAdapter(list[Phase]).validate_python(data)
    else:
        MODELS[kind].model_validate(data)


def test_reference_index_lists_builtin_values(seed_site: Path):
    page = BeautifulSoup((seed_site / "reference/index.html").read_text(encoding="utf-8"), "html.parser")
    text = page.get_text(" ")
    for value in ("local-government", "multi-stakeholder-platform", "water-sanitation", "measurement"):
        assert value in text
