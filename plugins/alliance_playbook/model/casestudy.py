"""Case study: ``casestudies/<id>.yml``."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from .base import Entity, Model
from .enums import AllianceForm, PartnerRole, PartnerType, PolicyArea, Scope, Status
from .types import Bool, Country, Language, Markdown, Number, PartialDate, Text, Url, enum_type, markdown, ref, text


class Location(Model):
    """Where the alliance works."""

    country: Country | None = Field(None, description="ISO 3166-1 alpha-2 code, e.g. NL")
    region: text(120) | None = Field(None, description="Region, state or province")
    city: text(120) | None = Field(None, description="City or town")
    scope: enum_type(Scope) | None = Field(None, description="How far the alliance reaches")


class Period(Model):
    """When the alliance ran."""

    start: PartialDate | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    end: PartialDate | None = Field(None, description="Same forms as start; not before start")
    ongoing: Bool | None = Field(None, description="true when the alliance is still running (then no end)")


class Partner(Model):
    """One organization (or person) in the alliance."""

    name: text(200) = Field(description="Name of the partner")
    type: enum_type(PartnerType) = Field(description="Kind of organization; its sector follows from it")
    role: enum_type(PartnerRole) | None = Field(None, description="Role in the alliance")
    contribution: text(1000) | None = Field(None, description="What the partner brought")


class Outcome(Model):
    """A result; with a numeric ``result`` it is a metric and is charted."""

    description: Text = Field(description="What changed")
    indicator: Text | None = Field(None, description="What was measured")
    baseline: Number | None = Field(None, description="Value before")
    result: Number | None = Field(None, description="Value after")
    unit: text(40) | None = Field(None, description='Unit, e.g. "%" or "days/year"')
    as_of: PartialDate | None = Field(None, description="When the result was measured")

    @property
    def is_metric(self) -> bool:
        return self.result is not None


class Feedback(Model):
    """A qualitative voice from the alliance."""

    quote: text(1000) = Field(description="What was said")
    source: text(200) = Field(description="Who said it (a role is enough)")


class LessonRef(Model):
    """A lesson the case bears out, with how it showed up."""

    lesson: ref("lesson") = Field(description="Lesson id")
    note: markdown(5000) | None = Field(None, description="How the lesson showed up in this case")


def _lesson_ref(value: Any) -> Any:
    return {"lesson": value} if isinstance(value, str) else value


class Source(Model):
    """A published source."""

    title: text(300) = Field(description="Title of the source")
    url: Url = Field(description="http or https address")


class CaseStudy(Entity):
    """An alliance's story: who took part, what they did, what changed."""

    title: text(120) = Field(description="Title of the case study")
    summary: text(500) = Field(description="One or two sentences")
    policy_areas: list[enum_type(PolicyArea)] = Field(min_length=1, max_length=3, description="1 to 3 policy areas")
    alliance_form: enum_type(AllianceForm) | None = Field(None, description="Form of the alliance")
    location: Location | None = Field(None, description="Where the alliance works")
    period: Period | None = Field(None, description="When it ran: start, end or ongoing")
    partners: list[Partner] = Field(min_length=2, max_length=200, description="At least two partners")
    challenge: Markdown = Field(description="The problem they faced (Markdown)")
    approach: Markdown = Field(description="What the alliance did (Markdown)")
    outcomes: list[Outcome] = Field(min_length=1, max_length=50, description="At least one outcome")
    feedback: list[Feedback] | None = Field(None, max_length=50, description="Quotes from people in the alliance")
    lessons: list[Annotated[LessonRef, BeforeValidator(_lesson_ref)]] = Field(
        min_length=1, max_length=50, description="Lesson ids, or mappings {lesson: id, note: ...}"
    )
    steps: list[ref("step")] | None = Field(None, max_length=50, description="Ids of the playbook steps this case applied")
    tags: list[text(60)] | None = Field(None, max_length=30, description="Site tags")
    sources: list[Source] | None = Field(None, max_length=50, description="Published sources")
    contributors: list[text(200)] | None = Field(None, max_length=50, description="Who wrote or reviewed this case")
    status: enum_type(Status) | None = Field(None, description="draft or published (default)")
    last_reviewed: PartialDate | None = Field(None, description="When the case was last checked")
    language: Language | None = Field(None, description="Language the case is written in (e.g. fr, ja), when not the site's")

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def metrics(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.is_metric]

    @property
    def qualitative_outcomes(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.is_metric]
