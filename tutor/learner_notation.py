"""The learner's notation: the lecture whose symbols every trace page uses, kept with the other
learner settings in the record (tutor.progress, `settings`, key "notation"; see tutor/settings.py).

"lesson" (the default) keeps each page's own notation, the one its lesson writes in; any key of
engine/notation.toml (pdp, zy, eh, xa) switches every trace and unroll page to that lecture's symbols.
"""

from __future__ import annotations

from engine.notation import get_notation, notations
from tutor.progress import Progress

SETTING = "notation"
AS_WRITTEN = "lesson"


def choices() -> list[str]:
    """ "lesson", then every notation of engine/notation.toml, in the file's order."""
    return [AS_WRITTEN, *notations()]


def chosen(progress: Progress) -> str:
    """The learner's choice; an unknown or missing value is "lesson"."""
    value = progress.setting(SETTING, AS_WRITTEN)
    return value if value in choices() else AS_WRITTEN


def notation_for(progress: Progress, page_notation: str | None) -> str | None:
    """The notation a trace page should use: the learner's choice, or the page's own if they chose "lesson"."""
    choice = chosen(progress)
    return page_notation if choice == AS_WRITTEN else choice


def choose(progress: Progress, choice: str) -> bool:
    """Keep a choice for every later trace page (the caller saves the record); False if it is unknown."""
    if choice not in choices():
        return False
    progress.set_setting(SETTING, choice)
    return True


def following(choice: str) -> str:
    """The choice after `choice`, round the list (the trace page's key steps through them)."""
    order = choices()
    return order[(order.index(choice) + 1) % len(order)] if choice in order else AS_WRITTEN


def describe(choice: str) -> str:
    if choice == AS_WRITTEN:
        return "each lesson's own notation"
    return get_notation(choice).title
