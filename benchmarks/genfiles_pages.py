"""The usual approach, for comparison: an mkdocs-gen-files script.

This is what a team typically writes instead of a plugin: read the YAML with
``yaml.safe_load``, format Markdown with f-strings, and let MkDocs list every
page in the sidebar. It produces the same pages as ours (playbook, phases,
steps, lessons, case studies and their indexes, with cross links and the
case lists on lesson and step pages) in plain Markdown of similar size, but
no validation, charts, filters or data exports. ``run.py`` points
mkdocs-gen-files at this file; the data lives in ``data/`` next to the
mkdocs.yml (links to the synthetic project's folders).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import defaultdict
from pathlib import Path

import mkdocs_gen_files
import yaml

DATA = Path("data")
LINK = re.compile(r"\[\[(\w+):([a-z0-9-]+)(?:\|([^\]]+))?\]\]")


def load(folder: Path) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yml"))}


phases = yaml.safe_load((DATA / "playbook/phases.yml").read_text(encoding="utf-8"))
steps = load(DATA / "playbook/steps")
lessons = load(DATA / "lessons")
cases = load(DATA / "casestudies")
worksheets = load(DATA / "worksheets")

PATHS = {("phase", p["id"]): f"playbook/{p['id']}/index.md" for p in phases}
PATHS.update({("step", k): f"playbook/{v['phase']}/{k}.md" for k, v in steps.items()})
PATHS.update({("lesson", k): f"lessons/{k}.md" for k in lessons})
PATHS.update({("case", k): f"casestudies/{k}.md" for k in cases})
PATHS.update({("worksheet", k): "playbook/index.md" for k in worksheets})  # no worksheet pages here
TITLES = {("phase", p["id"]): p["title"] for p in phases}
TITLES.update({(kind, k): v["title"] for kind, table in (("step", steps), ("lesson", lessons), ("case", cases), ("worksheet", worksheets)) for k, v in table.items()})


def href(src: str, kind: str, id_: str) -> str:
    return posixpath.relpath(PATHS[(kind, id_)], posixpath.dirname(src) or ".")


def md(text: str | None, src: str) -> str:
    """Markdown from YAML with [[kind:id]] links made relative Markdown links."""
    def one(m: re.Match) -> str:
        key = (m.group(1), m.group(2))
        if key not in PATHS:  # e.g. an example in a code block of the guide
            return m.group(0)
        return f"[{m.group(3) or TITLES[key]}]({href(src, *key)})"

    return LINK.sub(one, text or "")


def link(src: str, kind: str, id_: str) -> str:
    return f"[{TITLES[(kind, id_)]}]({href(src, kind, id_)})"


def write(path: str, text: str) -> None:
    with mkdocs_gen_files.open(path, "w") as f:
        f.write(text)


lesson_cases: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
step_cases: dict[str, list[str]] = defaultdict(list)
for cid, case in cases.items():
    for ref in case["lessons"]:
        ref = ref if isinstance(ref, dict) else {"lesson": ref}
        lesson_cases[ref["lesson"]].append((cid, ref.get("note")))
    for sid in case.get("steps") or []:
        step_cases[sid].append(cid)

# Case studies: one page each, and an index table of all of them.
for cid, c in cases.items():
    src = f"casestudies/{cid}.md"
    loc = c.get("location") or {}
    period = c.get("period") or {}
    out = [f"---\ntitle: {json.dumps(c['title'])}\ntags: {json.dumps(c.get('tags') or [])}\n---\n", f"# {c['title']}\n", c["summary"], ""]
    out += ["| | |", "|---|---|", f"| Policy areas | {', '.join(c['policy_areas'])} |", f"| Form | {c.get('alliance_form', '')} |",
            f"| Where | {', '.join(str(v) for v in loc.values())} |", f"| When | {period.get('start', '')} – {period.get('end', 'ongoing')} |", ""]
    out += ["## Partners", "", "| Partner | Type | Role | Contribution |", "|---|---|---|---|"]
    out += [f"| {p['name']} | {p['type']} | {p.get('role', '')} | {p.get('contribution', '')} |" for p in c["partners"]]
    out += ["", "## The challenge", "", md(c["challenge"], src), "## What the alliance did", "", md(c["approach"], src), "## Outcomes", ""]
    metrics = [o for o in c["outcomes"] if "result" in o]
    if metrics:
        out += ["| Indicator | Baseline | Result | Unit |", "|---|---|---|---|"]
        out += [f"| {o.get('indicator', o['description'])} | {o.get('baseline', '')} | {o['result']} | {o.get('unit', '')} |" for o in metrics]
        out.append("")
    out += [f"- {o['description']}" for o in c["outcomes"] if "result" not in o]
    if c.get("feedback"):
        out += ["", "## In their words", ""] + [f"> {f['quote']}\n>\n> — {f['source']}\n" for f in c["feedback"]]
    out += ["", "## Lessons", ""]
    for ref in c["lessons"]:
        ref = ref if isinstance(ref, dict) else {"lesson": ref}
        out.append(f"- {link(src, 'lesson', ref['lesson'])}" + (f": {md(ref.get('note'), src)}" if ref.get("note") else ""))
    out += ["", "## Steps applied", ""] + [f"- {link(src, 'step', s)}" for s in c.get("steps") or []]
    if c.get("sources"):
        out += ["", "## Sources", ""] + [f"- [{s['title']}]({s['url']})" for s in c["sources"]]
    write(src, "\n".join(out) + "\n")

rows = [f"| {link('casestudies/index.md', 'case', cid)} | {', '.join(c['policy_areas'])} | {(c.get('location') or {}).get('country', '')} | {len(c['partners'])} |" for cid, c in cases.items()]
write("casestudies/index.md", "# Case studies\n\n| Case | Policy areas | Country | Partners |\n|---|---|---|---|\n" + "\n".join(rows) + "\n")

# Lessons: statement, body, every citing case with its note, and the steps.
for lid, lesson in lessons.items():
    src = f"lessons/{lid}.md"
    out = [f"# {lesson['title']}\n", f"**{lesson['statement']}**\n", md(lesson.get("body"), src), f"## Evidence: {len(lesson_cases[lid])} case studies\n"]
    out += [f"- {link(src, 'case', cid)}" + (f": {md(note, src)}" if note else "") for cid, note in lesson_cases[lid]]
    out += ["", "## Where it applies", ""] + [f"- {link(src, 'step', s)}" for s in lesson.get("steps") or []]
    write(src, "\n".join(out) + "\n")
write("lessons/index.md", "# Lessons\n\n" + "\n".join(f"- {link('lessons/index.md', 'lesson', lid)}: {l['statement']}" for lid, l in lessons.items()) + "\n")

# Playbook: overview, phases, and steps with their checklists.
write("playbook/index.md", "# Playbook\n\n" + "\n".join(f"- {link('playbook/index.md', 'phase', p['id'])}: {p['summary']}" for p in phases) + "\n")
for p in phases:
    src = PATHS[("phase", p["id"])]
    mine = sorted((s for s in steps.items() if s[1]["phase"] == p["id"]), key=lambda kv: (kv[1].get("order", 99), kv[1]["title"]))
    write(src, f"# {p['title']}\n\n{p['summary']}\n\n{md(p.get('intro'), src)}\n\n" + "\n".join(f"1. {link(src, 'step', k)}: {s['summary']}" for k, s in mine) + "\n")
for sid, s in steps.items():
    src = PATHS[("step", sid)]
    items = [i if isinstance(i, str) else i["text"] for i in s["checklist"]]
    out = [f"# {s['title']}\n", s["summary"], "", "## Why", "", md(s.get("why"), src), "## How", "", md(s.get("how"), src), "## Checklist", ""]
    out += [f"- [ ] {i}" for i in items]
    out += ["", "## Key questions", ""] + [f"- {q}" for q in s.get("key_questions") or []]
    out += ["", "## Lessons", ""] + [f"- {link(src, 'lesson', l)}" for l in s.get("lessons") or []]
    out += ["", f"## Case studies that applied it ({len(step_cases[sid])})", ""] + [f"- {link(src, 'case', c)}" for c in step_cases[sid]]
    write(src, "\n".join(out) + "\n")

# The hand-written guide pages, with their [[kind:id]] links made plain links.
for path in sorted((DATA / "pages").rglob("*.md")):
    src = path.relative_to(DATA / "pages").as_posix()
    write(src, md(path.read_text(encoding="utf-8"), src))
