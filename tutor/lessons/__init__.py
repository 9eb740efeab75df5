"""Lesson files (docs/lessons.md): typed objects, loading, checking and discovery.

Importing this package does not import NumPy. The checks that build networks (`check_lesson`,
`check_page`, `check_values`) live in `tutor.lessons.networks` and are imported
on first use.
"""

from tutor.lessons.discover import discover_lessons, load_lesson
from tutor.lessons.files import bundled_dir
from tutor.lessons.model import (
    PAGE_KINDS,
    QUESTION_KINDS,
    ChainQuestion,
    Found,
    Lesson,
    MultipleChoiceQuestion,
    NetworkRef,
    NumericQuestion,
    Origin,
    Page,
    Question,
    QuizPage,
    Randomize,
    Start,
    SymbolicQuestion,
    TextPage,
    TracePage,
    TrainPage,
    TrueFalseQuestion,
    UnrollPage,
    ValueCheck,
)
from tutor.lessons.parse import expression_problem, parse_lesson

_DEEP = ("check_lesson", "check_page", "check_values")


def __getattr__(name: str):
    if name in _DEEP:
        from tutor.lessons import networks

        return getattr(networks, name)
    raise AttributeError(f"module 'tutor.lessons' has no attribute '{name}'")


__all__ = [
    "PAGE_KINDS",
    "QUESTION_KINDS",
    "ChainQuestion",
    "Found",
    "Lesson",
    "MultipleChoiceQuestion",
    "NetworkRef",
    "NumericQuestion",
    "Origin",
    "Page",
    "Question",
    "QuizPage",
    "Randomize",
    "Start",
    "SymbolicQuestion",
    "TextPage",
    "TracePage",
    "TrainPage",
    "TrueFalseQuestion",
    "UnrollPage",
    "ValueCheck",
    "bundled_dir",
    "check_lesson",
    "check_page",
    "check_values",
    "discover_lessons",
    "expression_problem",
    "load_lesson",
    "parse_lesson",
]
