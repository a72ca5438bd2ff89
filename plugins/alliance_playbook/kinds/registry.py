"""The ordered list of kinds every part of the package iterates.

The built-in kinds come first, in playbook order (phases before the steps
that name them). A project may add kinds of its own: the ``alliance``
plugin option ``kinds`` lists Python files of the project, each defining a
:class:`~.base.Kind` subclass instance named ``KIND``; its pages render
through its templates (in the templates folder) and its labels fall back to
English.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..settings import SettingsError
from .base import Kind
from .casestudy import CaseStudyKind
from .lesson import LessonKind
from .phase import PhaseKind
from .step import StepKind
from .worksheet import WorksheetKind

BUILTIN: tuple[Kind, ...] = (PhaseKind(), StepKind(), LessonKind(), WorksheetKind(), CaseStudyKind())


class RegistryError(SettingsError):
    """A project's extra kind cannot be used; the message says why."""


class Registry:
    """The kinds of one project, in order, found by name."""

    def __init__(self, kinds: Sequence[Kind]):
        self.kinds = tuple(kinds)
        self._by_name = {k.name: k for k in self.kinds}
        if len(self._by_name) != len(self.kinds):
            raise RegistryError("two kinds have the same name")

    def __iter__(self) -> Iterator[Kind]:
        return iter(self.kinds)

    def __getitem__(self, name: str) -> Kind:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @property
    def names(self) -> tuple[str, ...]:
        """Every kind's name: the kinds of ``[[kind:id]]`` links."""
        return tuple(self._by_name)

    def in_section(self, section: str) -> list[Kind]:
        """The kinds whose pages belong to ``section``, in registry order."""
        return [k for k in self.kinds if k.section == section]

    @property
    def sections(self) -> list[str]:
        """The sections the kinds' pages belong to, in order."""
        return list(dict.fromkeys(k.section for k in self.kinds))


_BUILTIN_REGISTRY = Registry(BUILTIN)
_LOADED: dict[tuple[str, float], Kind] = {}


def load_registry(root: Path, extra: Sequence[str] = ()) -> Registry:
    """The built-in kinds, then those defined by the project's files ``extra``."""
    if not extra:
        return _BUILTIN_REGISTRY
    kinds = list(BUILTIN)
    for relative in extra:
        kinds.append(_load_kind(root, relative))
    try:
        return Registry(kinds)
    except RegistryError as exc:
        raise RegistryError(f"kinds: {exc}; give each kind its own name") from None


def _load_kind(root: Path, relative: str) -> Kind:
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()) or path.suffix != ".py" or not path.is_file():
        raise RegistryError(f"kinds: {relative!r} is not a Python file of the project (a path such as kinds/resource.py)")
    key = (str(path), path.stat().st_mtime)
    if key in _LOADED:
        return _LOADED[key]
    name = "alliance_playbook_kind_" + "_".join(path.relative_to(root.resolve()).with_suffix("").parts)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    kind = getattr(module, "KIND", None)
    if not isinstance(kind, Kind):
        raise RegistryError(f"kinds: {relative} must define KIND, an instance of alliance_playbook.kinds.Kind")
    _LOADED[key] = kind
    return kind
