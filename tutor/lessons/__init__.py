"""Lesson files (docs/lessons.md): typed objects, loading, checking and discovery.

Importing this package does not import NumPy. The checks that build networks (`check_page`,
`check_values` in `tutor.lessons.networks`, `check_lesson` in `tutor.lessons.validate`) and the kinds
of page and question (tutor/kinds/) are imported on first use.
"""

from tutor.lessons.discover import discover_lessons, load_lesson
from tutor.lessons.files import bundled_dir
from tutor.lessons.model import Found, Lesson, NetworkRef, Origin, Page, Question, Start, ValueCheck

_DEEP = ("check_page", "check_values")


def __getattr__(name: str):
    if name == "parse_lesson":  # not needed to list lessons from their outlines
        from tutor.lessons.parse import parse_lesson

        return parse_lesson
    if name == "check_lesson":
        from tutor.lessons.validate import check_lesson

        return check_lesson
    if name in _DEEP:
        from tutor.lessons import networks

        return getattr(networks, name)
    if name.startswith("__"):
        raise AttributeError(name)
    import tutor.kinds  # the kinds import tutor.lessons.model, so they load on first use

    if name in tutor.kinds.__all__:
        return getattr(tutor.kinds, name)
    raise AttributeError(f"module 'tutor.lessons' has no attribute '{name}'")


__all__ = [  # and every name of tutor.kinds.__all__: the kinds of page and question
    "Found",
    "Lesson",
    "NetworkRef",
    "Origin",
    "Page",
    "Question",
    "Start",
    "ValueCheck",
    "bundled_dir",
    "check_lesson",
    "check_page",
    "check_values",
    "discover_lessons",
    "load_lesson",
    "parse_lesson",
]
