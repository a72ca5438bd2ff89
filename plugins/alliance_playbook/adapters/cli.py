"""The ``alliance`` command: check, generate, new, schema, pdf, from-issue."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from ..errors import ContentError, Problem, printable, summary
from ..settings import Settings, SettingsError


def _github_data(text: str) -> str:
    """A workflow command's message: %, CR and LF escaped (GitHub's rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """A workflow command's property value: also ':' and ',' escaped, so a
    file name cannot end the property or add one."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def _print_problems(problems: list[Problem], fmt: str, stream: TextIO) -> None:
    for p in problems:
        if fmt == "github":
            level = "warning" if p.severity == "warning" else "error"
            msg = printable((f"{p.field}: " if p.field else "") + p.message)
            print(f"::{level} file={_github_property(printable(p.path))},line={p.line},col={p.col}::{_github_data(msg)}", file=stream)
        else:
            print(p, file=stream)


def _project_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", help="project folder (default: the current one)")
    parser.add_argument("--content-dir", help="the docs folder (default: docs_dir of mkdocs.yml)")
    parser.add_argument("--casestudies-dir", help="the case study folder (default: the alliance plugin's casestudies_dir)")
    parser.add_argument("--drafts", action="store_true", help="include draft case studies")


def _settings(args: argparse.Namespace, command: str) -> Settings | None:
    """The project's settings (mkdocs.yml, then the command line), or None
    after saying why they cannot be read."""
    from .config import settings_from_file

    root = Path(args.path)
    if not root.is_dir():
        print(f"alliance {command}: {root} is not a folder", file=sys.stderr)
        return None
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        settings = settings_from_file(root)
    except SettingsError as exc:
        print(f"alliance {command}: mkdocs.yml: {exc}", file=sys.stderr)
        return None
    except Exception as exc:  # MkDocs' own errors for a broken mkdocs.yml
        print(f"alliance {command}: mkdocs.yml cannot be read: {printable(str(exc))}", file=sys.stderr)
        return None
    changes: dict[str, object] = {}
    if getattr(args, "content_dir", None):
        changes["docs_dir"] = args.content_dir
    if getattr(args, "casestudies_dir", None):
        changes["casestudies_dir"] = args.casestudies_dir
    if getattr(args, "drafts", False):
        changes["drafts"] = True
    return replace(settings, **changes) if changes else settings  # type: ignore[arg-type]


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a project and print every problem (``path:line:col: field: message``)."""
    from .glue import load

    settings = _settings(args, "check")
    if settings is None:
        return 2
    try:
        project = load(settings)
    except SettingsError as exc:
        print(f"alliance check: mkdocs.yml: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        _print_problems(exc.problems, args.format, sys.stdout)
        print(summary(exc.files_checked, len(exc.problems)))
        return 1
    if not args.quiet_warnings:
        _print_problems(project.warnings, args.format, sys.stdout)
    print(summary(project.files_checked, 0, len(project.warnings)))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Write a skeleton file of a kind with every field, ready to fill in."""
    import datetime as dt
    import json

    import jinja2

    from ..kinds.registry import load_registry
    from ..model.enums import BUILTIN_ENUMS, FIELD_TYPE_LABELS, LESSON_KIND_LABELS
    from ..model.types import ID_MAX, ID_RE, slugify

    settings = _settings(args, "new")
    if settings is None:
        return 2
    root = Path(args.path)
    registry = load_registry(root, settings.kinds)
    if args.kind not in registry or registry[args.kind].new_template is None:
        writable = [k.name for k in registry if k.new_template]
        print(f"alliance new: there is no skeleton for {args.kind!r}; kinds: {', '.join(writable)}", file=sys.stderr)
        return 2
    kind = registry[args.kind]
    folder = kind.files_folder(root, settings.docs_dir, settings.casestudies_dir)
    assert folder is not None and kind.new_template is not None
    id_ = args.id or slugify(args.title)
    if not ID_RE.fullmatch(id_ or "") or len(id_) > ID_MAX:
        print(f"alliance new: '{id_}' is not a valid id; pass --id with lower-case words joined by hyphens", file=sys.stderr)
        return 2
    target = folder / f"{id_}.yml"
    if target.exists():
        print(f"alliance new: {target} already exists; choose another title or --id (nothing was written)", file=sys.stderr)
        return 1

    def names(name: str) -> str:
        where = registry[name].files_folder(root, settings.docs_dir, settings.casestudies_dir)
        ids = sorted(p.stem for p in where.glob("*.yml"))[:3] if where is not None else []
        return ", ".join(ids) if ids else "..."

    phases = "..."
    phases_file = registry["phase"].list_path(root, settings.docs_dir)
    try:
        import yaml

        phases = ", ".join(p["id"] for p in yaml.safe_load(phases_file.read_text(encoding="utf-8")) or []) if phases_file else "..."
    except (OSError, TypeError, KeyError, ValueError, yaml.YAMLError):
        pass
    enums = {k: ", ".join(v) for k, v in BUILTIN_ENUMS.items()}
    enums["lesson_kind"] = ", ".join(LESSON_KIND_LABELS)
    enums["field_type"] = ", ".join(FIELD_TYPE_LABELS)
    env = jinja2.Environment(loader=jinja2.PackageLoader("alliance_playbook", "templates/new"), keep_trailing_newline=True)
    schemas = Path(__file__).resolve().parent.parent / "schemas"
    schema_path = os.path.relpath(schemas / f"{kind.schema_name}.schema.json", target.parent.resolve())
    text = env.get_template(kind.new_template).render(
        title=json.dumps(args.title, ensure_ascii=False), schema=Path(schema_path).as_posix(), enums=enums,
        lessons=names("lesson"), steps=names("step"), worksheets=names("worksheet"),
        phases=phases, builtin=", ".join(BUILTIN_ENUMS), today=dt.date.today().isoformat(),
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"Wrote {target.as_posix()}")
    print("Next: replace every '...' with your text, then run `alliance check` (or `make check`) and `make serve` to preview.")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schemas, or write them into the package."""
    from ..schema import json_schemas, write_schemas

    if args.write:
        for path in write_schemas():
            print(f"Wrote {path}")
        return 0
    import json

    print(json.dumps(json_schemas(), indent=2))
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    """Write the whole site as plain Markdown (and a plain mkdocs.yml)."""
    from .generate import OutputRefused, generate

    settings = _settings(args, "generate")
    if settings is None:
        return 2
    try:
        project, count = generate(Path(args.path), Path(args.out), write_config=args.config, settings=settings)
    except (OutputRefused, SettingsError) as exc:
        print(f"alliance generate: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        _print_problems(exc.problems, "text", sys.stdout)
        print(summary(exc.files_checked, len(exc.problems)))
        return 1
    print(f"Wrote {count} pages to {Path(args.out) / 'docs'}" + (f" and {Path(args.out) / 'mkdocs.yml'}" if args.config else ""))
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    """Build the site with the PDF on (the PDF is made from the built pages),
    or, with ``--site``, make the PDFs of a site another engine built."""
    import signal
    import subprocess

    root = Path(args.path)
    if args.site:
        from .pdf_site import SiteRefused, pdf_from_site

        settings = _settings(argparse.Namespace(path=args.path), "pdf")
        if settings is None:
            return 2
        site = Path(args.site)
        try:
            written = pdf_from_site(settings, site, Path(args.config) if args.config else site.parent / "mkdocs.yml")
        except SiteRefused as exc:
            print(f"alliance pdf: {exc}", file=sys.stderr)
            return 2
        for pdf in written:
            print(f"Wrote {pdf.as_posix()} ({pdf.stat().st_size // 1024} kB)")
        return 0
    env = {**os.environ, "ALLIANCE_PDF": "1", "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--clean"], cwd=root, env=env)
    try:
        returncode = build.wait()
    except KeyboardInterrupt:
        # Ctrl-C in a terminal reaches the build as well: it stops its PDF
        # workers, removes its temporary files and says so. Give it the time
        # (subprocess.run would kill it mid-way). A build still running after
        # a few seconds was not told (kill -INT to this process only): tell it.
        try:
            build.wait(timeout=3)
        except subprocess.TimeoutExpired:
            build.send_signal(signal.SIGINT)
            try:
                build.wait(timeout=60)
            except subprocess.TimeoutExpired:
                build.kill()
                build.wait()
        return 130
    if returncode != 0:
        return returncode
    pdfs = sorted((root / "site" / "pdf").glob("*.pdf"))
    if not pdfs:
        print("alliance pdf: no PDF was written; is `- alliance-pdf` listed under plugins in mkdocs.yml?", file=sys.stderr)
        return 1
    for pdf in pdfs + sorted((root / "site" / "pdf" / "worksheets").glob("*.pdf")):
        print(f"Wrote {pdf.as_posix()} ({pdf.stat().st_size // 1024} kB)")
    return 0


def cmd_from_issue(args: argparse.Namespace) -> int:
    """Turn an issue made with the case study form into a checked case study file (see :mod:`.from_issue`)."""
    from .from_issue import from_issue

    settings = _settings(args, "from-issue")
    return 2 if settings is None else from_issue(args, settings)


def main(argv: list[str] | None = None) -> int:
    """The ``alliance`` command line: runs one subcommand and returns its exit code (130 after Ctrl-C)."""
    parser = argparse.ArgumentParser(prog="alliance", description="Alliance Playbook: check and build playbook content.")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate a project folder and print every problem")
    _project_args(check)
    check.add_argument("--format", choices=["text", "github"], default="text", help="github: workflow annotations")
    check.add_argument("--quiet-warnings", action="store_true", help="print errors only")
    check.set_defaults(func=cmd_check)

    new = sub.add_parser("new", help="write a new, valid skeleton file for a case, step, lesson or worksheet")
    new.add_argument("kind", help="case, step, lesson or worksheet")
    new.add_argument("title")
    new.add_argument("--id", help="the id (default: made from the title)")
    new.add_argument("--path", default=".", help="project folder (default: the current one)")
    new.set_defaults(func=cmd_new)

    schema = sub.add_parser("schema", help="print the JSON Schemas, or --write them into the package")
    schema.add_argument("--write", action="store_true")
    schema.set_defaults(func=cmd_schema)

    gen = sub.add_parser("generate", help="write the whole site as plain Markdown for any engine")
    _project_args(gen)
    gen.add_argument("--out", required=True,
                     help="output folder outside the project's sources: new, empty, or written by an earlier run (its docs/ is replaced)")
    gen.add_argument("--config", action="store_true", help="also write a plain mkdocs.yml (no alliance plugin)")
    gen.set_defaults(func=cmd_generate)

    issue = sub.add_parser("from-issue", help="turn an issue made with the case study form into casestudies/<id>.yml, checked")
    issue.add_argument("file", help="the issue's body (Markdown, as GitHub writes it), or - to read it from standard input")
    issue.add_argument("--path", default=".", help="project folder (default: the current one)")
    issue.add_argument("--form", help="the issue form (default: .github/ISSUE_TEMPLATE/case-study.yml in the project)")
    issue.add_argument("--report", help="also write the problems (or the good news) as a Markdown comment to this file")
    issue.add_argument("--github-output", help="append id, path and title to this file (GitHub Actions' $GITHUB_OUTPUT)")
    issue.set_defaults(func=cmd_from_issue, content_dir=None, casestudies_dir=None, drafts=False)

    pdf = sub.add_parser("pdf", help="build the site and its PDFs (the whole guide and each worksheet)")
    pdf.add_argument("path", nargs="?", default=".", help="project folder (default: the current one)")
    pdf.add_argument("--site", help="make the PDFs of this built site (any engine's build of `alliance generate --config`'s folder) instead of building")
    pdf.add_argument("--config", help="with --site: the generated folder's mkdocs.yml (default: the one beside the site folder)")
    pdf.set_defaults(func=cmd_pdf)

    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
