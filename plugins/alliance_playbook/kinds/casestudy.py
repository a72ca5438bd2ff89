"""Case study: ``casestudies/<id>.yml``; pages ``casestudies/`` (the
filterable index) and ``casestudies/<id>/``; ``data/casestudies.csv``
(its columns in :mod:`.catalogue`)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from markupsafe import Markup
from pydantic import BeforeValidator, Field

from ..errors import quoted
from ..markup import charts
from ..model.base import Entity, Model
from ..model.codes import Country, Language
from ..model.enums import SECTOR_LABELS, AllianceForm, PartnerRole, PartnerType, PolicyArea, Scope, Status
from ..model.text import Label, Markdown, MarkdownLimit, Text, TextLimit, Title, same_words
from ..model.types import Bool, LessonId, Number, OneOf, PartialDate, StepId, Url, date_key
from ..urls import src_to_url, src_to_url_file
from .base import GeneratedPage, Kind, NavText, ProjectView, Report, Site, as_written, item_error, item_warning, memo
from .catalogue import CSV_COLUMNS, CSV_FIELDS, catalogue_row, csv_line

if TYPE_CHECKING:
    from ..errors import Problem


class Location(Model):
    """Where the alliance works."""

    country: Country | None = Field(None, description="ISO 3166-1 alpha-2 code, e.g. NL")
    region: Annotated[str, TextLimit(120)] | None = Field(None, description="Region, state or province")
    city: Annotated[str, TextLimit(120)] | None = Field(None, description="City or town")
    scope: Annotated[str, OneOf(Scope)] | None = Field(None, description="How far the alliance reaches")


class Period(Model):
    """When the alliance ran."""

    start: PartialDate | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    end: PartialDate | None = Field(None, description="Same forms as start; not before start")
    ongoing: Bool | None = Field(None, description="true when the alliance is still running (then no end)")


class Partner(Model):
    """One organization (or person) in the alliance."""

    name: Title = Field(description="Name of the partner")
    type: Annotated[str, OneOf(PartnerType)] = Field(description="Kind of organization; its sector follows from it")
    role: Annotated[str, OneOf(PartnerRole)] | None = Field(None, description="Role in the alliance")
    contribution: Annotated[str, TextLimit(500)] | None = Field(None, description="What the partner brought")


class Outcome(Model):
    """A result; with a numeric ``result`` it is a metric and is charted."""

    description: Text = Field(description="What changed")
    indicator: Text | None = Field(None, description="What was measured")
    baseline: Number | None = Field(None, description="Value before")
    result: Number | None = Field(None, description="Value after")
    unit: Annotated[str, TextLimit(40)] | None = Field(None, description='Unit, e.g. "%" or "days/year"')
    as_of: PartialDate | None = Field(None, description="When the result was measured")

    @property
    def is_metric(self) -> bool:
        """Whether the outcome has a numeric result (then it is charted)."""
        return self.result is not None


class Feedback(Model):
    """A qualitative voice from the alliance."""

    quote: Annotated[str, TextLimit(600)] = Field(description="What was said")
    source: Title = Field(description="Who said it (a role is enough)")


class LessonRef(Model):
    """A lesson the case bears out, with how it showed up."""

    lesson: LessonId = Field(description="Lesson id")
    note: Annotated[str, MarkdownLimit(2000)] | None = Field(None, description="How the lesson showed up in this case")


def _lesson_ref(value: Any) -> Any:
    return {"lesson": value} if isinstance(value, str) else value


class Source(Model):
    """A published source."""

    title: Annotated[str, TextLimit(300)] = Field(description="Title of the source")
    url: Url = Field(description="http or https address")


class CaseStudy(Entity):
    """An alliance's story: who took part, what they did, what changed."""

    title: Annotated[str, TextLimit(120)] = Field(description="Title of the case study")
    summary: Annotated[str, TextLimit(500)] = Field(description="One or two sentences")
    policy_areas: list[Annotated[str, OneOf(PolicyArea)]] = Field(min_length=1, max_length=3, description="1 to 3 policy areas")
    alliance_form: Annotated[str, OneOf(AllianceForm)] | None = Field(None, description="Form of the alliance")
    location: Location | None = Field(None, description="Where the alliance works")
    period: Period | None = Field(None, description="When it ran: start, end or ongoing")
    partners: list[Partner] = Field(min_length=2, max_length=100, description="At least two partners")
    challenge: Markdown = Field(description="The problem they faced (Markdown)")
    approach: Markdown = Field(description="What the alliance did (Markdown)")
    outcomes: list[Outcome] = Field(min_length=1, max_length=30, description="At least one outcome")
    feedback: list[Feedback] | None = Field(None, max_length=30, description="Quotes from people in the alliance")
    lessons: list[Annotated[LessonRef, BeforeValidator(_lesson_ref)]] = Field(
        min_length=1, max_length=20, description="Lesson ids, or mappings {lesson: id, note: ...}"
    )
    # Links to steps (checked, shown on both pages), then the case's own lists.
    steps: list[StepId] | None = Field(None, max_length=50, description="Ids of the playbook steps this case applied")
    tags: list[Label] | None = Field(None, max_length=30, description="Site tags")
    sources: list[Source] | None = Field(None, max_length=30, description="Published sources")
    contributors: list[Title] | None = Field(None, max_length=50, description="Who wrote or reviewed this case")
    status: Annotated[str, OneOf(Status)] | None = Field(None, description="draft or published (default)")
    last_reviewed: PartialDate | None = Field(None, description="When the case was last checked")
    language: Language | None = Field(None, description="Language the case is written in (e.g. fr, ja), when not the site's")

    @property
    def is_draft(self) -> bool:
        """Whether the case is a draft (``status: draft``): drafts are built only when asked for."""
        return self.status == "draft"

    @property
    def metrics(self) -> list[Outcome]:
        """The outcomes with a numeric result, in file order."""
        return [o for o in self.outcomes if o.is_metric]

    @property
    def qualitative_outcomes(self) -> list[Outcome]:
        """The outcomes without a numeric result, in file order."""
        return [o for o in self.outcomes if not o.is_metric]

    def rules(self) -> Iterator[Problem]:
        """The period reads forwards; a baseline comes with a result."""
        period = self.period
        if period is not None:
            if period.ongoing and period.end:
                yield item_error(self, ("period", "ongoing"), "'ongoing: true' cannot go with an 'end' date; remove one of them")
            if period.start and period.end and date_key(period.end) < date_key(period.start):
                yield item_error(self, ("period", "end"), f"the end ({period.end}) is before the start ({period.start})")
        for i, outcome in enumerate(self.outcomes):
            if outcome.baseline is not None and outcome.result is None:
                yield item_warning(self, ("outcomes", i, "baseline"), "a baseline without a result is not charted; add 'result'")


#: The page for proposing a case without Git (its id is reserved below).
PROPOSE_SRC = "casestudies/propose.md"


class CaseStudyKind(Kind):
    """Case studies: a file each in the case study folder, pages under
    ``casestudies/``; drafts are left out unless asked for."""

    name, noun, plural, model = "case", "case study", "case studies", CaseStudy
    folder = "{casestudies}"  # a folder of its own beside the content, set by the casestudies_dir option
    schema_name = "casestudy"
    reference_rank = 0
    reserved = {
        "index": "the case study index (casestudies/)",
        "propose": "the page for proposing a case study (casestudies/propose/)",
    }
    plain_or_mapping = (("lessons", "LessonRef"),)

    def is_published(self, item: Any, include_drafts: bool) -> bool:
        return include_drafts or not item.is_draft

    def rules(self, item: Any) -> Iterator[Problem]:
        yield from item.rules()

    def project_rules(self, project: ProjectView, report: Report) -> None:
        """Tags that differ only in case or spacing are one tag: every case
        shows the first spelling (in case order), and the others are told."""
        spelling: dict[str, tuple[str, Any]] = {}
        as_written("case", project.items("case").values(), "tags")
        for case in sorted(project.items("case").values(), key=lambda c: c.id):
            for i, tag in enumerate(case.tags or []):
                key = same_words(tag)
                first = spelling.setdefault(key, (tag, case))
                if first[0] != tag:
                    report.extend([item_warning(case, ("tags", i), f"the tag {quoted(tag)} is written {quoted(first[0])} in {first[1].path}; "
                                                                   f"tags that differ only in case are one tag, shown as {quoted(first[0])}")])
                    case.tags[i] = first[0]

    # ----- pages ---------------------------------------------------------------------------
    def pages(self, site: Site) -> list[GeneratedPage]:
        """The filterable index, then a page per published case."""
        from . import casestudy_index as index

        out = [site.page("casestudies.md.j2", "casestudies/index.md", site.translate("Case studies"), "casestudies",
                         scripts=("casefilter.js",), facets=index.facets(site), facet_values=lambda case: index.facet_values(site, case),
                         search_script=index.SEARCH_SCRIPT, rows_script=index.ROWS_SCRIPT, card_meta=lambda case: index.card_meta(site, case),
                         compact=index.compact(site), cards_script=index.CARDS_SCRIPT,
                         propose_url=src_to_url_file(PROPOSE_SRC, site.options.directory_urls))]
        out.append(self.propose_page(site))
        for case in site.project.cases.values():
            out.append(self.page(site, case))
        return out

    def nav(self, project: ProjectView, titles: NavText, nav_limit: int) -> list[Any]:
        """The index, the proposal form, then the cases (while they are few, see :meth:`Kind.nav`)."""
        entries = super().nav(project, titles, nav_limit)
        if entries:
            pages = next(iter(entries[0].values()))
            pages.insert(1, {titles.label("Propose a case study"): PROPOSE_SRC})
        return entries

    def propose_page(self, site: Site) -> GeneratedPage:
        """``casestudies/propose/``: the form for proposing a case without Git (see :mod:`.casestudy_propose`)."""
        from . import casestudy_propose as propose

        folder = site.project.layout.casestudies_dir.strip("/") or "casestudies"
        depth = "../" * len(folder.split("/"))
        spec = propose.form_spec(site, self.model, f"{depth}plugins/alliance_playbook/schemas/casestudy.schema.json")
        spec["folder"] = folder
        github = propose.github_links(site.options.repo_url, site.options.edit_uri)
        return site.page("propose.md.j2", PROPOSE_SRC, site.translate("Propose a case study"), "casestudies",
                         scripts=("propose.js",), hide=("navigation", "toc"), book=False, github=github,
                         spec=Markup(json.dumps(spec, ensure_ascii=False).replace("<", "\\u003c")))

    def page(self, site: Site, case: CaseStudy) -> GeneratedPage:
        """A case study's page: sector and metric charts, related cases, JSON-LD in the head."""
        if (kept := site.kept(self.src(case.id))) is not None:  # a preview rebuild that does not touch this case
            return kept
        sectors = Counter(site.sector_of(p.type) for p in case.partners)
        sector_counts = [(site.translate(SECTOR_LABELS[s]), n) for s, n in sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0]))]
        metrics = case.metrics
        metric_chart = charts.metrics_chart(
            [(m.indicator or m.description, m.baseline, m.result, m.unit or "") for m in metrics if m.result is not None],
            site.translate("Outcome metrics: baseline and result"), (site.translate("Baseline"), site.translate("Result")),
        ) if metrics else Markup("")
        page = site.page(
            "casestudy.md.j2", self.src(case.id), case.title, "case", case, description=case.summary,
            tags=case.tags or (), case=case, sector_counts=sector_counts,
            # A chart of equal bars says nothing the partner table does not.
            sector_chart=charts.sector_chart(sector_counts, site.translate("Partners by sector"))
            if len({n for _, n in sector_counts}) > 1 else Markup(""),
            metric_chart=metric_chart, related=[site.project.cases[c] for c in site.graph.related_cases.get(case.id, [])],
        )
        page.head = f'<script type="application/ld+json">{self.jsonld(site, case)}</script>'
        return page

    @staticmethod
    def jsonld(site: Site, case: CaseStudy) -> str:
        """schema.org structured data for the page's <head>."""
        data: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "Article", "headline": case.title, "description": case.summary,
            "about": [site.label("policy_area", a) for a in case.policy_areas],
            "keywords": ", ".join(case.tags or []),
            "contributor": [{"@type": "Organization", "name": p.name} for p in case.partners],
        }
        if case.contributors:
            data["author"] = [{"@type": "Person", "name": n} for n in case.contributors]
        if case.last_reviewed:
            data["dateModified"] = case.last_reviewed
        if case.location and case.location.country:
            place = [case.location.city, case.location.region, site.country(case.location.country)]
            data["spatialCoverage"] = {"@type": "Place", "name": ", ".join(p for p in place if p)}
        if case.sources:
            data["citation"] = [{"@type": "CreativeWork", "name": s.title, "url": s.url} for s in case.sources]
        # Escape "<" so no text can close the script element.
        return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    # ----- data ----------------------------------------------------------------------------
    def export(self, item: Any, graph: Any, url: str) -> dict[str, Any]:
        return {"id": item.id, **item.model_dump(mode="json", exclude_none=True), "url": url,
                "links": {"related": graph.related_cases.get(item.id, [])}}

    def data_files(self, project: ProjectView, graph: Any) -> list[tuple[str, str]]:
        return [("data/casestudies.csv", self.csv(project))]

    def site_data_files(self, site: Site) -> list[tuple[str, str]]:
        return [("data/casestudies.csv", self.csv(site.project, site))]

    def row(self, site: Site | None, c: CaseStudy) -> tuple[list[str], dict[str, Any]]:
        """A case's catalogue row (CSV cells, typed record), kept between a preview's rebuilds."""
        return memo(site, "row", c, tuple(c.tags or ()), lambda: catalogue_row(self.record(c)))  # type: ignore[no-any-return]

    def assets(self, site: Site) -> list[tuple[str, str]]:
        from . import casestudy_index as index

        rows = index.rows_script(site, CSV_COLUMNS, site.project.items("case").values(), lambda c: self.row(site, c))
        out = [(index.SEARCH_SCRIPT, index.search_script(site)), (index.ROWS_SCRIPT, rows)]
        if index.compact(site):  # only a large index draws its cards from data
            out.append((index.CARDS_SCRIPT, index.cards_script(site)))
        return out

    def data_file_notes(self) -> dict[str, str]:
        return {"data/casestudies.csv": "One row per case study, for spreadsheets; lists are joined with “; ”."}

    def csv(self, project: ProjectView, site: Site | None = None) -> str:
        """One row per published case, lists joined with '; ' (rows kept between a preview's rebuilds)."""
        return csv_line(CSV_COLUMNS) + "".join(memo(site, "csv", c, tuple(c.tags or ()), lambda c=c: csv_line(self.row(site, c)[0]))
                                               for c in project.items("case").values())

    def record(self, c: CaseStudy) -> dict[str, Any]:
        """A case as a row of the catalogue (:data:`CSV_COLUMNS`), typed:
        lists as lists, ``ongoing`` a boolean, ``metrics`` a number, what a
        case leaves out ``None``. The CSV and the case index's "Download
        these cases" are made from it."""
        loc, per = c.location, c.period
        return {
            "id": c.id, "title": c.title, "summary": c.summary, "policy_areas": [str(a) for a in c.policy_areas],
            "alliance_form": str(c.alliance_form) if c.alliance_form else None,
            "country": loc.country if loc else None, "region": loc.region if loc else None, "city": loc.city if loc else None,
            "scope": str(loc.scope) if loc and loc.scope else None,
            "start": str(per.start) if per and per.start else None, "end": str(per.end) if per and per.end else None,
            "ongoing": bool(per and per.ongoing),
            "partners": [p.name for p in c.partners], "partner_types": sorted({str(p.type) for p in c.partners}),
            "lessons": [r.lesson for r in c.lessons], "steps": list(c.steps or []), "tags": list(c.tags or []),
            "metrics": len(c.metrics), "last_reviewed": str(c.last_reviewed) if c.last_reviewed else None,
            "url": src_to_url(self.src(c.id)),
        }

    def data_file_schemas(self) -> dict[str, list[dict[str, Any]]]:
        return {"data/casestudies.csv": CSV_FIELDS}
