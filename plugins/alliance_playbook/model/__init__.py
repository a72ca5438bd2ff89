"""The content model: plain Python (pydantic) types, no MkDocs imports."""

from .casestudy import CaseStudy, Feedback, LessonRef, Location, Outcome, Partner, Period, Source
from .lesson import Lesson
from .playbook import ChecklistItem, Phase, Step
from .worksheet import Chart, Score, Worksheet, WorksheetField

__all__ = [
    "CaseStudy", "Feedback", "LessonRef", "Location", "Outcome", "Partner", "Period", "Source",
    "Lesson", "ChecklistItem", "Phase", "Step", "Chart", "Score", "Worksheet", "WorksheetField",
]
