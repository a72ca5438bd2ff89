"""Problems found in content, reported as ``path:line:col: field: message``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


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
        where = f"{printable(self.path)}:{self.line}:{self.col}"
        label = f"{printable(self.field)}: " if self.field else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{label}{printable(self.message)}"


#: Characters that would let a value forge or hide output in a terminal or a
#: CI log: C0/C1 controls (escape sequences, line breaks), DEL, the bidi
#: overrides and isolates, line and paragraph separators, zero-width marks.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def printable(text: str) -> str:
    """``text`` with every unprintable character spelled as an escape (``\\x1b``, ``\\n``)."""
    if not _UNPRINTABLE.search(text):
        return text
    names = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return _UNPRINTABLE.sub(lambda m: names.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"), text)


def quoted(value: object, limit: int = 60) -> str:
    """A value for a message: in quotes, unprintable characters escaped, cut
    to about ``limit`` characters (a message must stay one readable line)."""
    text = printable(str(value))
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"'{text}'"


class ContentError(Exception):
    """Raised with every problem of a run at once; never for a bug of ours."""

    def __init__(self, problems: Sequence[Problem], files_checked: int | None = None):
        self.problems = sorted(problems)
        #: How many files the run read, when it read a project.
        self.files_checked = files_checked
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class ProblemList:
    """Collects problems while loading and validating a project."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, col: int, fld: str, message: str, severity: str = "error") -> None:
        """Record one problem; an error unless ``severity`` says ``warning``."""
        self.items.append(Problem(path, line, col, fld, message, severity))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record every problem in ``problems``."""
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """The errors, sorted by file, line and column."""
        return sorted(p for p in self.items if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        """The warnings, sorted by file, line and column."""
        return sorted(p for p in self.items if p.severity == "warning")

    def raise_if_errors(self) -> None:
        """Raise :class:`ContentError` with every error, if there is one; warnings never raise."""
        if self.errors:
            raise ContentError(self.errors)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def summary(files: int | None, errors: int, warnings: int = 0) -> str:
    """The last line of a run: ``41 files checked, 2 errors, 1 warning``."""
    line = f"{'?' if files is None else files} files checked, {_count(errors, 'error')}"
    return line + (f", {_count(warnings, 'warning')}" if warnings else "")


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
    """``values`` joined by commas for a message; past ``limit`` of them, the rest is counted, not listed."""
    vals = list(values)
    shown = ", ".join(vals[:limit])
    if len(vals) > limit:
        shown += f", … ({len(vals)} in all)"
    return shown
