"""Worksheet: ``content/worksheets/<id>.yml``, a fillable table or form."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from .base import Entity, Model
from .enums import BUILTIN_ENUMS, ChartType, FieldType, Layout
from .types import Bool, Id, Int, Markdown, Text, describe, enum_type, ref, text


def _options(value: Any) -> Any:
    if isinstance(value, str):
        if value in BUILTIN_ENUMS:
            return value
        from ..errors import did_you_mean

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
    label: text(200) = Field(description="Label shown to the person filling in")
    type: enum_type(FieldType) = Field(description="text, longtext, number, date, yesno, choice, multichoice or scale")
    required: Bool | None = Field(None, description="Default false")
    help: Text | None = Field(None, description="A hint under the label")
    options: Options | None = Field(None, description="choice/multichoice: a built-in enum's name or a list of texts")
    min: Int | None = Field(None, description="scale (and number): lowest value")
    max: Int | None = Field(None, description="scale (and number): highest value")
    labels: Labels | None = Field(None, description="scale: a label per value, e.g. {1: Low, 5: High}")

    @property
    def is_required(self) -> bool:
        return bool(self.required)

    @property
    def scale_range(self) -> tuple[int, int]:
        """(lowest, highest) of a scale: 1 to 5 unless ``min``/``max`` say otherwise."""
        return (self.min if self.min is not None else 1, self.max if self.max is not None else 5)

    def choices(self) -> list[tuple[str, str]]:
        """(value, label) pairs for choice fields; labels are translated later."""
        if isinstance(self.options, str):
            return list(BUILTIN_ENUMS[self.options].items())
        return [(o, o) for o in self.options or []]


class Quadrants(Model):
    top_right: text(60) = Field(description="High x, high y")
    top_left: text(60) = Field(description="Low x, high y")
    bottom_right: text(60) = Field(description="High x, low y")
    bottom_left: text(60) = Field(description="Low x, low y")


class Chart(Model):
    type: enum_type(ChartType) = Field(description="quadrant (table layout) or bars (form layout)")
    x: Id | None = Field(None, description="quadrant: scale field id on the horizontal axis")
    y: Id | None = Field(None, description="quadrant: scale field id on the vertical axis")
    quadrants: Quadrants | None = Field(None, description="quadrant: labels of the four corners")


class Score(Model):
    label: text(60) = Field(description="Name of the computed score, e.g. Fit")
    mean_of: list[Id] = Field(min_length=1, max_length=60, description="Scale or number field ids")


class Worksheet(Entity):
    """A fillable worksheet definition."""

    title: text(200) = Field(description="Title of the worksheet")
    summary: Text = Field(description="What it is for, in a sentence")
    layout: enum_type(Layout) | None = Field(None, description="table (default) or form")
    steps: list[ref("step")] | None = Field(None, max_length=30, description="Step ids whose key questions appear as guidance")
    instructions: Markdown | None = Field(None, description="How to fill it in")
    fields: list[WorksheetField] = Field(min_length=1, max_length=60, description="Columns of the table, or questions of the form")
    chart: Chart | None = Field(None, description="A chart drawn from the answers")
    score: Score | None = Field(None, description="A computed mean of some fields")
    print_rows: Int | None = Field(None, description="Blank rows in the printable version (default 8)")

    @property
    def layout_name(self) -> str:
        return str(self.layout or "table")

    @property
    def rows_to_print(self) -> int:
        return self.print_rows or 8

    def field(self, field_id: str) -> WorksheetField | None:
        return next((f for f in self.fields if f.id == field_id), None)
