"""Lesson files (docs/lessons.md): typed objects, loading, checking and discovery.

Importing this package does not import NumPy. The checks that build networks (`check_page`,
`check_values` in `tutor.lessons.networks`, `check_lesson` in `tutor.lessons.validate`) and the kinds
of page and question (tutor/kinds/) are imported on first use.
"""

from tutor.lessons.discover import discover_lessons, load_lesson
from tutor.lessons.files import bundled_dir
from tutor.lessons.model import Found, Lesson, NetworkRef, Origin, Page, Question, Start, ValueCheck
from tutor.lessons.parse import parse_lesson

_DEEP = ("check_page", "check_values")
_KINDS = (
    "PAGE_KINDS",
    "QUESTION_KINDS",
    "ChainQuestion",
    "MultipleChoiceQuestion",
    "NumericQuestion",
    "QuizPage",
    "Randomize",
    "SymbolicQuestion",
    "TextPage",
    "TracePage",
    "TrainPage",
    "TrueFalseQuestion",
    "UnrollPage",
    "expression_problem",
)


def __getattr__(name: str):
    if name == "check_lesson":
        from tutor.lessons.validate import check_lesson

        return check_lesson
    if name in _DEEP:
        from tutor.lessons import networks

        return getattr(networks, name)
    if name in _KINDS:  # the kinds (tutor/kinds/) import tutor.lessons.model, so they load on first use
        import tutor.kinds

        return getattr(tutor.kinds, name)
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
