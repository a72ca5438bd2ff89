"""Problems found in content, reported as ``path:line:col: field: message``."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Sequence


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        label = f"{self.field}: " if self.field else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{label}{self.message}"


class ContentError(Exception):
    """Raised with every problem of a run at once; never for a bug of ours."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class ProblemList:
    """Collects problems while loading and validating a project."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, col: int, fld: str, message: str, severity: str = "error") -> None:
        self.items.append(Problem(path, line, col, fld, message, severity))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "warning")

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors)


def normalise_token(value: str) -> str:
    """The canonical spelling of an enum value or id: lower case, hyphens."""
    return "-".join(value.strip().lower().replace("_", " ").replace("-", " ").split())


def closest(value: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates closest to ``value``, spelling variants first."""
    pool = list(dict.fromkeys(candidates))
    norm = normalise_token(value)
    exact = [c for c in pool if c == norm]
    if exact:
        return exact
    matches = difflib.get_close_matches(norm, pool, n=n, cutoff=0.6)
    if not matches:
        matches = [c for c in pool if norm and (norm in c or c in norm)][:n]
    return matches


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    """A ``; did you mean 'x'?`` suffix, or an empty string."""
    matches = closest(value, candidates)
    if not matches:
        return ""
    if len(matches) == 1:
        return f"; did you mean '{matches[0]}'?"
    return "; did you mean " + " or ".join(f"'{m}'" for m in matches) + "?"


def allowed_list(values: Iterable[str], limit: int = 25) -> str:
    vals = list(values)
    shown = ", ".join(vals[:limit])
    if len(vals) > limit:
        shown += f", … ({len(vals)} in all)"
    return shown
