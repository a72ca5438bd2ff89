"""The ``alliance`` command: check, generate, new, schema, pdf."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import ContentError, Problem


def _print_problems(problems: list[Problem], fmt: str, stream) -> None:
    for p in problems:
        if fmt == "github":
            level = "warning" if p.severity == "warning" else "error"
            msg = (f"{p.field}: " if p.field else "") + p.message
            msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            print(f"::{level} file={p.path},line={p.line},col={p.col}::{msg}", file=stream)
        else:
            print(p, file=stream)


def _project_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", help="project folder (default: the current one)")
    parser.add_argument("--content-dir", default="content")
    parser.add_argument("--casestudies-dir", default="casestudies")
    parser.add_argument("--drafts", action="store_true", help="include draft case studies")


def cmd_check(args: argparse.Namespace) -> int:
    from .project import load_project

    root = Path(args.path)
    if not root.is_dir():
        print(f"alliance check: {root} is not a folder", file=sys.stderr)
        return 2
    try:
        project = load_project(root, content_dir=args.content_dir, casestudies_dir=args.casestudies_dir, include_drafts=args.drafts)
    except ContentError as exc:
        _print_problems(exc.problems, args.format, sys.stdout)
        files = getattr(exc, "files_checked", None)
        count = len(exc.problems)
        print(f"{files if files is not None else '?'} files checked, {count} error{'s' if count != 1 else ''}")
        return 1
    if not args.quiet_warnings:
        _print_problems(project.warnings, args.format, sys.stdout)
    w = len(project.warnings)
    print(f"{project.files_checked} files checked, 0 errors" + (f", {w} warning{'s' if w != 1 else ''}" if w else ""))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="alliance", description="Alliance Playbook: check and build playbook content.")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate a project folder and print every problem")
    _project_args(check)
    check.add_argument("--format", choices=["text", "github"], default="text", help="github: workflow annotations")
    check.add_argument("--quiet-warnings", action="store_true", help="print errors only")
    check.set_defaults(func=cmd_check)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
