"""Worksheet: ``content/worksheets/<id>.yml``, a fillable table or form;
pages ``worksheets/`` and ``worksheets/<id>/`` (editor, chart, blank copy)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from markupsafe import Markup
from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..errors import did_you_mean, quoted
from ..markup import charts
from ..model.base import Entity, Model
from ..model.enums import BUILTIN_ENUMS, ChartType, FieldType, Layout
from ..model.text import Label, Markdown, Text, Title
from ..model.types import Bool, Id, Int, OneOf, StepId, describe
from .base import GeneratedPage, Kind, ProjectView, Report, Site, item_error, item_warning

if TYPE_CHECKING:
    from ..errors import Problem


def _options(value: Any) -> Any:
    if isinstance(value, str):
        if value in BUILTIN_ENUMS:
            return value
        hint = did_you_mean(value.replace("-", "_"), BUILTIN_ENUMS) or f"; built-in enums: {', '.join(BUILTIN_ENUMS)}"
        raise PydanticCustomError("options", "'{value}' is not a built-in enum{hint}; or give a list of texts", {"value": value, "hint": hint})
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        if len(value) > 50:
            raise PydanticCustomError("options", "at most 50 options are allowed, has {n}", {"n": len(value)})
        if any(len(v.strip()) > 200 for v in value):
            raise PydanticCustomError("options", "each option is at most 200 characters long")
        return [v.strip() for v in value]
    raise PydanticCustomError(
        "options", "expected a built-in enum name or a list of texts, got {got}", {"got": describe(value)}
    )


Options = Annotated[
    str | list[str],
    PlainValidator(_options),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": list(BUILTIN_ENUMS)},
                {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 200}, "minItems": 1, "maxItems": 50},
            ]
        }
    ),
]


def _labels(value: Any) -> dict[int, str]:
    if not isinstance(value, dict):
        raise PydanticCustomError("labels", "expected a mapping of scale values to labels, got {got}", {"got": describe(value)})
    out: dict[int, str] = {}
    for key, label in value.items():
        if isinstance(key, str) and key.strip().lstrip("-").isdigit():
            key = int(key)
        if not isinstance(key, int) or isinstance(key, bool):
            raise PydanticCustomError("labels", "label keys must be whole numbers on the scale, got {got}", {"got": describe(key)})
        if not isinstance(label, str) or not label.strip():
            raise PydanticCustomError("labels", "the label for {key} must be text, got {got}", {"key": key, "got": describe(label)})
        if len(label.strip()) > 60:
            raise PydanticCustomError("labels", "the label for {key} is {n} characters long; at most 60 are allowed", {"key": key, "n": len(label.strip())})
        out[key] = label.strip()
    return out


Labels = Annotated[
    dict[int, str],
    PlainValidator(_labels),
    PlainSerializer(lambda labels: {str(k): v for k, v in labels.items()}, when_used="json"),
    WithJsonSchema({"type": "object", "patternProperties": {"^-?[0-9]+$": {"type": "string", "minLength": 1, "maxLength": 60}}, "additionalProperties": False}),
]


class WorksheetField(Model):
    """One column of a table, or one question of a form."""

    id: Id = Field(description="Unique in the worksheet")
    label: Title = Field(description="Label shown to the person filling in")
    type: Annotated[str, OneOf(FieldType)] = Field(description="text, longtext, number, date, yesno, choice, multichoice or scale")
    required: Bool | None = Field(None, description="Default false")
    help: Text | None = Field(None, description="A hint under the label")
    options: Options | None = Field(None, description="choice/multichoice: a built-in enum's name or a list of texts")
    min: Int | None = Field(None, description="scale (and number): lowest value")
    max: Int | None = Field(None, description="scale (and number): highest value")
    labels: Labels | None = Field(None, description="scale: a label per value, e.g. {1: Low, 5: High}")

    @property
    def is_required(self) -> bool:
        """Whether the field must be filled in (``required: true``)."""
        return bool(self.required)

    @property
    def scale_range(self) -> tuple[int, int]:
        """(lowest, highest) of a scale: 1 to 5 unless ``min``/``max`` say otherwise."""
        return (self.min if self.min is not None else 1, self.max if self.max is not None else 5)

    def rules(self, worksheet: Entity, i: int) -> Iterator[Problem]:
        """A field's settings fit its type (options for choices, min/max for
        scales and numbers, labels for scales)."""
        kind = str(self.type)
        if kind in ("choice", "multichoice") and not self.options:
            yield item_error(worksheet, ("fields", i), f"a {kind} field needs 'options': a built-in enum name (partner_type, policy_area, ...) or a list of texts")
        if self.options is not None and kind not in ("choice", "multichoice"):
            yield item_error(worksheet, ("fields", i, "options"), f"'options' only applies to choice and multichoice fields, not {kind}", key=True)
        if kind not in ("scale", "number"):
            for name in ("min", "max"):
                if getattr(self, name) is not None:
                    yield item_error(worksheet, ("fields", i, name), f"'{name}' only applies to scale and number fields, not {kind}", key=True)
        if self.labels is not None and kind != "scale":
            yield item_error(worksheet, ("fields", i, "labels"), f"'labels' only applies to scale fields, not {kind}", key=True)
        if kind == "scale":
            lo, hi = self.scale_range
            if lo >= hi:
                yield item_error(worksheet, ("fields", i, "max"), f"max ({hi}) must be greater than min ({lo})")
            elif hi - lo > 20:
                yield item_error(worksheet, ("fields", i, "max"), f"a scale has at most 21 points; {lo}..{hi} has {hi - lo + 1}")
            for value in (self.labels or {}):
                if not lo <= value <= hi:
                    yield item_error(worksheet, ("fields", i, "labels", str(value)), f"{value} is outside the scale {lo}..{hi}", key=True)

    def choices(self) -> list[tuple[str, str]]:
        """(value, label) pairs for choice fields; labels are translated later."""
        if isinstance(self.options, str):
            return list(BUILTIN_ENUMS[self.options].items())
        return [(o, o) for o in self.options or []]


class Quadrants(Model):
    """The labels of a quadrant chart's four corners."""

    top_right: Label = Field(description="High x, high y")
    top_left: Label = Field(description="Low x, high y")
    bottom_right: Label = Field(description="High x, low y")
    bottom_left: Label = Field(description="Low x, low y")


class Chart(Model):
    """A chart of a worksheet's answers: two scale fields as a quadrant, or every scale field as bars."""

    type: Annotated[str, OneOf(ChartType)] = Field(description="quadrant (table layout) or bars (form layout)")
    x: Id | None = Field(None, description="quadrant: scale field id on the horizontal axis")
    y: Id | None = Field(None, description="quadrant: scale field id on the vertical axis")
    quadrants: Quadrants | None = Field(None, description="quadrant: labels of the four corners")


class Score(Model):
    """A computed score: the mean of some scale or number fields."""

    label: Label = Field(description="Name of the computed score, e.g. Fit")
    mean_of: list[Id] = Field(min_length=1, max_length=60, description="Scale or number field ids")


class Worksheet(Entity):
    """A fillable worksheet definition."""

    title: Title = Field(description="Title of the worksheet")
    summary: Text = Field(description="What it is for, in a sentence")
    layout: Annotated[str, OneOf(Layout)] | None = Field(None, description="table (default) or form")
    steps: list[StepId] | None = Field(None, max_length=30, description="Step ids whose key questions appear as guidance")
    instructions: Markdown | None = Field(None, description="How to fill it in")
    fields: list[WorksheetField] = Field(min_length=1, max_length=60, description="Columns of the table, or questions of the form")
    chart: Chart | None = Field(None, description="A chart drawn from the answers")
    score: Score | None = Field(None, description="A computed mean of some fields")
    print_rows: Int | None = Field(None, description="Blank rows in the printable version (default 8)")

    @property
    def layout_name(self) -> str:
        """``table`` or ``form``; ``table`` when the file gives no layout."""
        return str(self.layout or "table")

    @property
    def rows_to_print(self) -> int:
        """How many blank rows the printable version has: ``print_rows``, or 8."""
        return self.print_rows or 8

    def field(self, field_id: str) -> WorksheetField | None:
        """The field with the id ``field_id``, or None."""
        return next((f for f in self.fields if f.id == field_id), None)

    def rules(self) -> Iterator[Problem]:
        """Field ids unique; each field's settings fit its type; the chart and
        the score name fields of the right type; print_rows in 1..60."""
        ids: dict[str, int] = {}
        for i, f in enumerate(self.fields):
            if f.id in ids:
                yield item_error(self, ("fields", i, "id"), f"the field id {quoted(f.id)} is already used by fields[{ids[f.id]}]")
            ids[f.id] = i
            yield from f.rules(self, i)
        yield from self._chart_rules()
        numeric = [f.id for f in self.fields if str(f.type) in ("scale", "number")]
        if self.score is not None:
            for i, fid in enumerate(self.score.mean_of):
                if fid not in numeric:
                    yield item_error(self, ("score", "mean_of", i), f"{quoted(fid)} is not a scale or number field of this worksheet{did_you_mean(fid, numeric)}")
        if self.print_rows is not None and not 1 <= self.print_rows <= 60:
            yield item_error(self, ("print_rows",), f"must be between 1 and 60, got {self.print_rows}")

    def _chart_rules(self) -> Iterator[Problem]:
        chart = self.chart
        if chart is None:
            return
        scales = [f.id for f in self.fields if str(f.type) == "scale"]
        if str(chart.type) == "quadrant":
            if self.layout_name != "table":
                yield item_error(self, ("chart", "type"), "a quadrant chart places table rows; use it with 'layout: table' (or use 'bars' for a form)")
            for axis in ("x", "y"):
                value = getattr(chart, axis)
                if value is None:
                    yield item_error(self, ("chart",), f"a quadrant chart needs '{axis}': the id of a scale field")
                elif value not in scales:
                    yield item_error(self, ("chart", axis), f"{quoted(value)} is not a scale field of this worksheet{did_you_mean(value, scales) or '; scale fields: ' + ', '.join(scales)}")
            return
        if self.layout_name != "form":
            yield item_error(self, ("chart", "type"), "a bars chart draws the scale fields of a form; use it with 'layout: form'")
        if not scales:
            yield item_error(self, ("chart", "type"), "a bars chart needs at least one scale field")
        for axis in ("x", "y", "quadrants"):
            if getattr(chart, axis) is not None:
                yield item_error(self, ("chart", axis), f"'{axis}' only applies to quadrant charts", key=True)


class WorksheetKind(Kind):
    """Worksheets: a file each, a page each with its editor and chart; a worksheet no step uses gets a warning."""

    name, noun, model = "worksheet", "worksheet", Worksheet
    reference_rank = 4

    def rules(self, item: Any) -> Iterator[Problem]:
        yield from item.rules()

    def project_rules(self, project: ProjectView, report: Report) -> None:
        used = {w for s in project.items("step").values() for w in s.worksheets or []}
        used |= {w.id for w in project.items("worksheet").values() if w.steps}
        report.extend(item_warning(ws, ("title",), "no step uses this worksheet, so readers only find it in the worksheet list")
                      for ws in project.items("worksheet").values() if ws.id not in used)

    def pages(self, site: Site) -> list[GeneratedPage]:
        """The index, then each worksheet with its editor and chart."""
        out = [site.page("worksheets.md.j2", "worksheets/index.md", site.translate("Worksheets"), "worksheets")]
        for ws in site.project.worksheets.values():
            out.append(self.page(site, ws))
        return out

    def page(self, site: Site, ws: Worksheet) -> GeneratedPage:
        """The page of one worksheet: the editor's definition, its chart, and the
        steps it is linked with as guidance."""
        chart = Markup("")
        if ws.chart is not None and str(ws.chart.type) == "quadrant":
            fx, fy = ws.field(ws.chart.x or ""), ws.field(ws.chart.y or "")
            assert fx is not None and fy is not None  # checked by the rules
            corners = ws.chart.quadrants.model_dump() if ws.chart.quadrants else {}
            chart = charts.quadrant_chart(fx.label, fy.label, fx.scale_range, fy.scale_range, corners, ws.title,
                                          empty=site.translate("Rate a row's {x} and {y} to place it here.", x=fx.label, y=fy.label))
        elif ws.chart is not None:
            chart = charts.bars_chart([(f.id, f.label, *f.scale_range, None) for f in ws.fields if str(f.type) == "scale"], ws.title)
        guidance = [site.project.steps[s] for s in site.graph.worksheet_steps.get(ws.id, []) if s in site.project.steps]
        definition = json.dumps(self.definition(site, ws), ensure_ascii=False).replace("<", "\\u003c")
        return site.page(
            "worksheet.md.j2", self.src(ws.id), ws.title, "worksheet", ws, scripts=("worksheet.js", "combine.js"),
            description=ws.summary, hide=("navigation", "toc") if ws.layout_name == "table" else (), ws=ws, chart=chart, guidance=guidance, definition=Markup(definition),
        )

    @staticmethod
    def definition(site: Site, ws: Worksheet) -> dict[str, Any]:
        """What the browser script needs to know of the worksheet (JSON in the page)."""
        return {
            "id": ws.id, "layout": ws.layout_name,
            "fields": [
                {"id": f.id, "label": f.label, "type": str(f.type), "required": f.is_required,
                 "min": f.scale_range[0] if str(f.type) == "scale" else f.min,
                 "max": f.scale_range[1] if str(f.type) == "scale" else f.max,
                 "choices": [[v, site.translate(label)] for v, label in f.choices()]}
                for f in ws.fields
            ],
            "chart": ws.chart.model_dump(mode="json") if ws.chart else None,
            "score": ws.score.model_dump(mode="json") if ws.score else None,
        }

    def export(self, item: Any, graph: Any, url: str) -> dict[str, Any]:
        return {"id": item.id, **item.model_dump(mode="json", exclude_none=True), "url": url,
                "links": {"steps": graph.worksheet_steps.get(item.id, [])}}
