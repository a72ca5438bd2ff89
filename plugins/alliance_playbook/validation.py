"""Turn pydantic's validation errors into ``path:line:col: field: message``."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem, allowed_list, did_you_mean
from .model.types import describe
from .sourcemap import Loc, SourceMap, format_loc

_YAML11_BOOLS = {"y", "n", "yes", "no", "on", "off", "true", "false"}


def _unwrap(annotation: Any) -> list[Any]:
    """The candidate types inside Optional/Annotated/list/Union."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``loc``."""
    current: Any = model
    for part in loc:
        candidates = _unwrap(current)
        if isinstance(part, int):
            items = [typing.get_args(c)[0] for c in candidates if typing.get_origin(c) is list]
            if not items:
                return None
            current = items[0]
            continue
        models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if not models:
            return None
        field = _fields_by_key(models[0]).get(part)
        if field is None:
            return None
        current = field
    models = [c for c in _unwrap(current) if isinstance(c, type) and issubclass(c, BaseModel)]
    return models[0] if models else None


def _fields_by_key(model: type[BaseModel]) -> dict[str, Any]:
    return {(f.alias or name): f.annotation for name, f in model.model_fields.items()}


def allowed_keys(model: type[BaseModel], loc: Loc = ()) -> list[str]:
    """The keys the mapping at ``loc`` may have, as written in files; [] when no model describes it."""
    target = _model_at(model, loc)
    return list(_fields_by_key(target)) if target else []


def _yaml_hint(source: SourceMap, loc: Loc) -> str:
    raw = source.raw(loc)
    if raw and raw.lower() in _YAML11_BOOLS:
        return f"; YAML reads an unquoted {raw} as a yes/no value: put it in quotes, \"{raw}\""
    if raw and raw[:1].isdigit() or raw.startswith("-") and raw[1:2].isdigit():
        return f"; to use it as text, put it in quotes: \"{raw}\""
    return ""


def _message(err: Mapping[str, Any], model: type[BaseModel], source: SourceMap, prefix: Loc) -> tuple[str, bool]:
    """The message for one error, and whether it points at the key."""
    loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "missing":
        return f"required field '{loc[-1]}' is missing", False
    if kind == "extra_forbidden":
        allowed = allowed_keys(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), allowed)
        return f"unknown key '{loc[-1]}'{hint} (allowed here: {allowed_list(allowed)})", True
    if kind in ("string_too_long", "too_long") and isinstance(value, str):
        return f"is {len(value)} characters long; at most {ctx['max_length']} are allowed", False
    if kind in ("string_too_short", "too_short") and isinstance(value, str):
        return "must not be empty", False
    if kind == "too_short":
        need = ctx.get("min_length", 1)
        return f"needs at least {need} item{'s' if need != 1 else ''}, has {ctx.get('actual_length', 0)}", False
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items are allowed, has {ctx.get('actual_length')}", False
    if kind == "list_type":
        return f"expected a list (one '- item' per line), got {describe(value)}", False
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        keys = allowed_keys(model, loc)
        return f"expected a mapping (key: value lines) with keys such as {allowed_list(keys, 6)}, got {describe(value)}", False
    if kind in ("text_type", "string_type"):
        return f"{err['msg'] if kind == 'text_type' else 'expected text, got ' + describe(value)}{_yaml_hint(source, prefix + loc)}", False
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return err["msg"].replace("Input should be", "must be"), False
    return err["msg"], False


def problems_from(exc: ValidationError, model: type[BaseModel], source: SourceMap, prefix: Loc = ()) -> list[Problem]:
    """Every error of a failed validation, with its source position."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(err["loc"])
        message, at_key = _message(err, model, source, prefix)
        if err["type"] == "missing":
            line, col = source.where(loc[:-1])
        else:
            line, col = source.where(loc, key=at_key)
        problems.append(Problem(source.path, line, col, format_loc(loc), message))
    return problems
