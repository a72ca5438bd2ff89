"""The kinds of content, one module each, and the registry that lists them."""

from .base import GeneratedPage, Kind
from .casestudy import CaseStudy, Feedback, LessonRef, Location, Outcome, Partner, Period, Source
from .lesson import Lesson
from .phase import Phase
from .registry import BUILTIN, Registry, load_registry
from .step import ChecklistItem, Step
from .worksheet import Chart, Score, Worksheet, WorksheetField

__all__ = [
    "BUILTIN", "GeneratedPage", "Kind", "Registry", "load_registry",
    "CaseStudy", "Feedback", "LessonRef", "Location", "Outcome", "Partner", "Period", "Source",
    "Lesson", "Phase", "ChecklistItem", "Step", "Chart", "Score", "Worksheet", "WorksheetField",
]
