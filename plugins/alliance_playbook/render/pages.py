"""Model -> Markdown pages (with HTML blocks), charts, data exports.

Pages render through Jinja templates (``templates/*.md.j2``); a fork
overrides one by putting a file of the same name in its templates folder.
Templates autoescape: text from YAML can never become markup. Markdown
fields go through :class:`MarkdownFields` (rendered, then sanitized).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

import jinja2
from markupsafe import Markup

from ..gcpause import paused_gc
from ..graph import LinkGraph, build_graph
from ..i18n import Translator
from ..model import CaseStudy, Lesson, Step, Worksheet
from ..model.enums import BUILTIN_ENUMS, LESSON_KIND_LABELS, SECTOR_LABELS, SECTOR_OF_PARTNER_TYPE
from ..model.types import country_codes, slugify
from ..project import Project
from ..wikilinks import WikiLink
from . import charts
from .markdown import MarkdownFields
from .text import finalize, plain, with_code
from .urls import page_src, relative_url, src_to_url_file

_TEMPLATE_DIR = (Path(__file__).resolve().parent.parent / "templates")
ALL_SECTIONS = ("playbook", "checklist", "worksheets", "lessons", "casestudies", "explore", "reference", "data")
ASSET_DIR = "assets/alliance"


@dataclass
class GeneratedPage:
    """One page for the site: its source path, Markdown, and YAML source."""

    src_uri: str
    content: str
    title: str
    kind: str
    id: str = ""
    edit_path: str | None = None
    scripts: tuple[str, ...] = ()
    #: Extra markup for the page's <head> (JSON-LD), added by the adapter.
    head: str = ""
    #: Rendered by a built-in template: headings and HTML blocks only, no
    #: Markdown prose (see :func:`split_html_blocks`).
    html_only: bool = False
    #: Deferred Markdown fields, appended to the page for the site's Markdown.
    islands: list[str] = field(default_factory=list)


@dataclass
class GeneratedFile:
    """A non-page output: a data export or a script/stylesheet."""

    path: str
    content: bytes


@dataclass
class RenderOptions:
    directory_urls: bool = True
    language: str = "en"
    site_name: str = "Alliance Playbook"
    site_url: str = ""
    template_dirs: Sequence[Path] = ()
    sections: Sequence[str] = ALL_SECTIONS
    build_date: str = ""
    #: Link the printable PDFs (only when the PDF plugin makes them).
    pdf_links: bool = False
    #: Leave Markdown fields to the site's own Markdown pass (MkDocs plugin):
    #: a secret per build that marks where they go (see render.markdown).
    defer_nonce: str | None = None


def site_key(site_name: str, site_url: str = "") -> str:
    """A short key that namespaces browser storage by site."""
    digest = hashlib.sha1(f"{site_name}\n{site_url}".encode()).hexdigest()[:8]
    return f"{slugify(site_name)[:24] or 'site'}-{digest}"


def _front_matter(title: str, **extra: Any) -> str:
    # The theme prints meta values without escaping: escape every text here.
    meta: dict[str, Any] = {"title": str(Markup.escape(title))}
    for key, value in extra.items():
        if value:
            meta[key] = [str(Markup.escape(v)) for v in value] if isinstance(value, list) else str(Markup.escape(value))
    # JSON is valid YAML, and safe whatever the text contains.
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items()) + "---\n\n"


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory between builds of one process.

    ``mkdocs serve`` makes new Jinja environments for every rebuild; compiling
    the same templates again cost about 0.2 s a rebuild. Jinja keys each entry
    by the template's source checksum, so an edited template is recompiled.
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


BYTECODE_CACHE = MemoryBytecodeCache()


class SiteRenderer:
    """Renders every generated page of a project, once per build."""

    def __init__(self, project: Project, options: RenderOptions | None = None, graph: LinkGraph | None = None):
        self.p = project
        self.o = options or RenderOptions()
        self.g = graph or build_graph(project)
        self._ = Translator(self.o.language)
        self.key = site_key(self.o.site_name, self.o.site_url)
        self.md = MarkdownFields(self._render_wikilink, self.o.defer_nonce)
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader([str(d) for d in self.o.template_dirs])]
        loaders.append(jinja2.PackageLoader("alliance_playbook", "templates"))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
            bytecode_cache=BYTECODE_CACHE,
            # Every {{ value }} is written so that neither HTML nor Markdown
            # reads syntax in it (see render.text): text from YAML stays text.
            finalize=finalize,
        )
        self.env.globals.update(
            _=self._, label=self.label, country=self.country, sector_of=self.sector_of, fmt=_fmt_number,
            project=project, graph=self.g, site_key=self.key, lesson_kinds=LESSON_KIND_LABELS, pdf_links=self.o.pdf_links,
        )
        self._builtin_cache: dict[str, bool] = {}
        self.env.globals["renderer_case_facets"] = self.case_facet_values
        self.env.filters["period"] = self.period
        self.env.filters["mdh"] = plain  # kept for templates of forks
        self.env.filters["with_code"] = with_code

    # ----- helpers available to templates -------------------------------------------------
    def url(self, kind: str, id_: str = "", phase: str = "") -> str:
        if kind == "step" and not phase:
            phase = self.p.steps[id_].phase
        return src_to_url_file(page_src(kind, id_, phase), self.o.directory_urls)

    def link_from(self, page_url: str):
        # URLs are made of ids (checked against the id syntax: [a-z0-9-])
        # and our own paths, so they hold nothing to escape.
        def link(kind: str, id_: str = "") -> Markup:
            return Markup(relative_url(page_url, self.url(kind, id_)))

        def asset(path: str) -> Markup:
            return Markup(relative_url(page_url, path))

        return link, asset

    def title_of(self, kind: str, id_: str) -> str:
        target = self.p.get(kind, id_)
        return getattr(target, "title", id_) if target is not None else id_

    def _render_wikilink(self, link: WikiLink, page_url: str) -> str:
        text = link.text or self.title_of(link.kind, link.id)
        href = relative_url(page_url, self.url(link.kind, link.id))
        return f'<a href="{Markup.escape(href)}" class="ap-xref">{plain(text)}</a>'

    def label(self, enum: str, value: Any) -> str:
        if value is None:
            return ""
        labels = BUILTIN_ENUMS.get(enum) or (LESSON_KIND_LABELS if enum == "lesson_kind" else {})
        return self._(labels.get(str(value), str(value)))

    def country(self, code: str | None) -> str:
        if not code:
            return ""
        name = country_codes().get(code, code)
        if self._.language != "en":
            try:
                import gettext

                import pycountry

                tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[self._.language])
                return tr.gettext(name)
            except (OSError, ImportError):
                return name
        return name

    def sector_of(self, partner_type: Any) -> str:
        return SECTOR_OF_PARTNER_TYPE.get(str(partner_type), "other")

    def period(self, case: CaseStudy) -> str:
        p = case.period
        if p is None or (not p.start and not p.end):
            return self._("ongoing") if p and p.ongoing else ""
        if p.start and p.ongoing:
            return self._("since {start}, ongoing", start=p.start)
        if p.start and p.end:
            return f"{p.start} – {p.end}"
        if p.start:
            return self._("since {start}", start=p.start)
        return self._("until {end}", end=p.end)

    # ----- pages ----------------------------------------------------------------------
    def render(self, template: str, src_uri: str, **context: Any) -> str:
        page_url = src_to_url_file(src_uri, self.o.directory_urls)
        link, asset = self.link_from(page_url)
        md = lambda text, inline=False: self.md.render(text, page_url, inline)  # noqa: E731
        return self.env.get_template(template).render(link=link, asset=asset, md=md, page_url=page_url, **context)

    @paused_gc()
    def pages(self) -> list[GeneratedPage]:
        """Every generated page (see :mod:`..gcpause` for why the collector waits)."""
        out: list[GeneratedPage] = []
        sections = set(self.o.sections)
        if "playbook" in sections:
            out.append(self.page("playbook.md.j2", page_src("phase"), self._("Playbook"), "playbook", scripts=("checklist.js",)))
            for phase in self.p.phases:
                out.append(self.page("phase.md.j2", page_src("phase", phase.id), phase.title, "phase", phase, scripts=("checklist.js",), phase=phase, steps=self.p.steps_of(phase.id)))
            for step in self.p.steps.values():
                out.append(self.step_page(step))
        if "checklist" in sections:
            out.append(self.page("checklist.md.j2", page_src("checklist"), self._("Master checklist"), "checklist", scripts=("checklist.js",)))
        if "worksheets" in sections:
            out.append(self.page("worksheets.md.j2", page_src("worksheet"), self._("Worksheets"), "worksheets"))
            for ws in self.p.worksheets.values():
                out.append(self.worksheet_page(ws))
        if "lessons" in sections:
            out.append(self.page("lessons.md.j2", page_src("lesson"), self._("Lessons"), "lessons", groups=self.lesson_groups()))
            for lesson in self.p.lessons.values():
                out.append(self.page("lesson.md.j2", page_src("lesson", lesson.id), lesson.title, "lesson", lesson, lesson=lesson, description=lesson.statement))
        if "casestudies" in sections:
            out.append(self.page("casestudies.md.j2", page_src("case"), self._("Case studies"), "casestudies", scripts=("casefilter.js",), facets=self.case_facets()))
            for case in self.p.cases.values():
                out.append(self.case_page(case))
        if "explore" in sections:
            out.append(self.explore_page())
        if "reference" in sections:
            out.extend(self.reference_pages())
        return out

    def reference_pages(self) -> list[GeneratedPage]:
        """The YAML reference, generated from the model's JSON Schema."""
        from ..model.enums import BUILTIN_ENUMS, LESSON_KIND_LABELS
        from .reference import reference_tables

        tables = reference_tables()
        examples = resources.files("alliance_playbook").joinpath("templates", "reference", "examples")
        index_src = page_src("reference")
        link, _asset = self.link_from(src_to_url_file(index_src, self.o.directory_urls))
        enums = list(BUILTIN_ENUMS.items()) + [("lesson_kind", LESSON_KIND_LABELS)]
        pages = [self.page("reference_index.md.j2", index_src, self._("Reference"), "reference", tables=tables, enums=enums,
                           ref_link=lambda pid: link("reference", pid))]
        for page_id, title, where, rows in tables:
            example = examples.joinpath(f"{page_id}.yml").read_text(encoding="utf-8")
            pages.append(self.page("reference.md.j2", page_src("reference", page_id), self._(title), "reference",
                                   kind_title=self._(title).lower(), where=where, rows=rows, example=example))
        return pages

    def explore_page(self) -> GeneratedPage:
        from .explore import explore_svg

        src = page_src("explore")
        link, _asset = self.link_from(src_to_url_file(src, self.o.directory_urls))
        return self.page("explore.md.j2", src, self._("Explore"), "explore", svg=explore_svg(self.p, self.g, link, self._))

    def page(self, template: str, src: str, title: str, kind: str, entity: Any = None, scripts: tuple[str, ...] = (), description: str = "", tags: Sequence[str] = (), **context: Any) -> GeneratedPage:
        self.md.take_islands()
        body = self.render(template, src, title=title, scripts=scripts, **context)
        islands = self.md.take_islands()
        edit = entity.path if entity is not None and entity.path else None
        head = _front_matter(title, description=description, tags=list(tags))
        if scripts:
            _, asset = self.link_from(src_to_url_file(src, self.o.directory_urls))
            body += "\n" + "".join(f'<script src="{asset(f"{ASSET_DIR}/{name}")}" defer></script>\n' for name in scripts)
        return GeneratedPage(src, head + body, title, kind, getattr(entity, "id", ""), edit, scripts,
                             html_only=self._builtin(template), islands=islands)

    def _builtin(self, template: str) -> bool:
        """Whether ``template`` is ours rather than a fork's override (which
        may contain Markdown prose)."""
        cached = self._builtin_cache.get(template)
        if cached is None:
            filename = self.env.get_template(template).filename or ""
            cached = self._builtin_cache[template] = Path(filename).resolve().is_relative_to(_TEMPLATE_DIR)
        return cached

    def data_files(self) -> list[tuple[str, str]]:
        """The data exports, when the ``data`` section is on."""
        if "data" not in self.o.sections:
            return []
        from .exports import casestudies_csv, playbook_json

        with paused_gc():
            return [
                ("data/playbook.json", playbook_json(self.p, self.g, self.o.site_name)),
                ("data/casestudies.csv", casestudies_csv(self.p)),
            ]

    def step_page(self, step: Step) -> GeneratedPage:
        steps = list(self.p.steps.values())
        index = steps.index(step)
        prev_step = steps[index - 1] if index > 0 else None
        next_step = steps[index + 1] if index + 1 < len(steps) else None
        return self.page(
            "step.md.j2", page_src("step", step.id, step.phase), step.title, "step", step, scripts=("checklist.js",),
            description=step.summary, step=step, phase=self.p.phase_by_id[step.phase], prev_step=prev_step, next_step=next_step,
            cases=[self.p.cases[c] for c in self.g.step_cases.get(step.id, [])],
        )

    def case_page(self, case: CaseStudy) -> GeneratedPage:
        sectors = Counter(self.sector_of(p.type) for p in case.partners)
        sector_counts = [(self._(SECTOR_LABELS[s]), n) for s, n in sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0]))]
        metrics = case.metrics
        metric_chart = charts.metrics_chart(
            [(m.indicator or m.description, m.baseline, m.result, m.unit or "") for m in metrics],
            self._("Outcome metrics: baseline and result"), (self._("Baseline"), self._("Result")),
        ) if metrics else Markup("")
        page = self.page(
            "casestudy.md.j2", page_src("case", case.id), case.title, "case", case, description=case.summary,
            tags=case.tags or (), case=case, sector_counts=sector_counts, sector_chart=charts.sector_chart(sector_counts, self._("Partners by sector")),
            metric_chart=metric_chart, related=[self.p.cases[c] for c in self.g.related_cases.get(case.id, [])],
        )
        page.head = f'<script type="application/ld+json">{self.case_jsonld(case)}</script>'
        return page

    def worksheet_page(self, ws: Worksheet) -> GeneratedPage:
        chart = Markup("")
        if ws.chart is not None and str(ws.chart.type) == "quadrant":
            fx, fy = ws.field(ws.chart.x), ws.field(ws.chart.y)
            corners = ws.chart.quadrants.model_dump() if ws.chart.quadrants else {}
            chart = charts.quadrant_chart(fx.label, fy.label, fx.scale_range, fy.scale_range, corners, ws.title)
        elif ws.chart is not None:
            chart = charts.bars_chart([(f.id, f.label, *f.scale_range, None) for f in ws.fields if str(f.type) == "scale"], ws.title)
        guidance = [self.p.steps[s] for s in self.g.worksheet_steps.get(ws.id, []) if s in self.p.steps]
        return self.page(
            "worksheet.md.j2", page_src("worksheet", ws.id), ws.title, "worksheet", ws, scripts=("worksheet.js",),
            description=ws.summary, ws=ws, chart=chart, guidance=guidance, definition=Markup(json.dumps(self.worksheet_json(ws), ensure_ascii=False).replace("<", "\\u003c")),
        )

    def worksheet_json(self, ws: Worksheet) -> dict[str, Any]:
        return {
            "id": ws.id, "layout": ws.layout_name,
            "fields": [
                {"id": f.id, "label": f.label, "type": str(f.type), "required": f.is_required,
                 "min": f.scale_range[0] if str(f.type) == "scale" else f.min,
                 "max": f.scale_range[1] if str(f.type) == "scale" else f.max,
                 "choices": [[v, self._(l)] for v, l in f.choices()]}
                for f in ws.fields
            ],
            "chart": ws.chart.model_dump(mode="json") if ws.chart else None,
            "score": ws.score.model_dump(mode="json") if ws.score else None,
        }

    def lesson_groups(self) -> list[tuple[str, str, list[Lesson]]]:
        groups = []
        for kind, label in LESSON_KIND_LABELS.items():
            items = [l for l in self.p.lessons.values() if str(l.kind) == kind]
            items.sort(key=lambda l: (-len(self.g.lesson_cases.get(l.id, [])), l.title.casefold()))
            if items:
                groups.append((kind, self._(label), items))
        return groups

    def case_facets(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """Filter groups for the case index: (facet, heading, [(value, label)])."""
        values: dict[str, dict[str, str]] = {k: {} for k in ("area", "ptype", "sector", "country", "scope", "form", "lesson", "step")}
        for case in self.p.cases.values():
            for a in case.policy_areas:
                values["area"][str(a)] = self.label("policy_area", a)
            for partner in case.partners:
                values["ptype"][str(partner.type)] = self.label("partner_type", partner.type)
                s = self.sector_of(partner.type)
                values["sector"][s] = self.label("sector", s)
            loc = case.location
            if loc and loc.country:
                values["country"][loc.country] = self.country(loc.country)
            if loc and loc.scope:
                values["scope"][str(loc.scope)] = self.label("scope", loc.scope)
            if case.alliance_form:
                values["form"][str(case.alliance_form)] = self.label("alliance_form", case.alliance_form)
            for ref in case.lessons:
                values["lesson"][ref.lesson] = self.p.lessons[ref.lesson].title
            for s in case.steps or []:
                values["step"][s] = self.p.steps[s].title
        headings = {"area": "Policy area", "ptype": "Partner type", "sector": "Sector", "country": "Country", "scope": "Scope",
                    "form": "Alliance form", "lesson": "Lesson", "step": "Step"}
        return [(k, self._(headings[k]), sorted(v.items(), key=lambda kv: kv[1].casefold())) for k, v in values.items() if v]

    def case_facet_values(self, case: CaseStudy) -> dict[str, list[str]]:
        loc = case.location
        return {
            "area": [str(a) for a in case.policy_areas],
            "ptype": sorted({str(p.type) for p in case.partners}),
            "sector": sorted({self.sector_of(p.type) for p in case.partners}),
            "country": [loc.country] if loc and loc.country else [],
            "scope": [str(loc.scope)] if loc and loc.scope else [],
            "form": [str(case.alliance_form)] if case.alliance_form else [],
            "lesson": [r.lesson for r in case.lessons],
            "step": list(case.steps or []),
        }

    def case_jsonld(self, case: CaseStudy) -> str:
        data = {
            "@context": "https://schema.org", "@type": "Article", "headline": case.title, "description": case.summary,
            "about": [self.label("policy_area", a) for a in case.policy_areas],
            "keywords": ", ".join(case.tags or []),
            "contributor": [{"@type": "Organization", "name": p.name} for p in case.partners],
        }
        if case.contributors:
            data["author"] = [{"@type": "Person", "name": n} for n in case.contributors]
        if case.last_reviewed:
            data["dateModified"] = case.last_reviewed
        if case.location and case.location.country:
            data["spatialCoverage"] = {"@type": "Place", "name": ", ".join(filter(None, [case.location.city, case.location.region, self.country(case.location.country)]))}
        if case.sources:
            data["citation"] = [{"@type": "CreativeWork", "name": s.title, "url": s.url} for s in case.sources]
        # Escape "<" so no text can close the script element.
        return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def split_html_blocks(markdown_text: str) -> tuple[str, list[str]]:
    """Move the HTML blocks of a generated page out of its Markdown.

    Generated pages are front matter, ``#`` headings (for the table of
    contents) and HTML blocks. Python-Markdown would re-parse every block of
    HTML we made only to pass it through unchanged; instead each block is
    replaced by a ``<!--ap:N-->`` comment, which Markdown passes through
    cheaply, and put back into the page's HTML afterwards. Returns the
    skeleton and the blocks in order.
    """
    head = ""
    body = markdown_text
    if body.startswith("---\n"):
        end = body.index("\n---\n", 4) + 5
        head, body = body[:end], body[end:]
    skeleton: list[str] = []
    blocks: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = "\n".join(run).strip("\n")
        run.clear()
        if text:
            skeleton.append(f"\n<!--ap:{len(blocks)}-->\n")
            blocks.append(text)

    for line in body.split("\n"):
        if line.startswith("#"):
            flush()
            skeleton.append("\n" + line + "\n")
        else:
            run.append(line)
    flush()
    return head + "".join(skeleton), blocks




def _fmt_number(value: float | None) -> str:
    if value is None:
        return ""
    return charts._num(value)
