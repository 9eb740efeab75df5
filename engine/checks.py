"""Checking a parsed document (a network file, a lesson file, the progress record): the one framework.

A `Checks` walks the document and records each problem with the line of the key path it concerns
(`engine.tomlfile.Locator`), so an author sees every problem of a file at once, as FILE:LINE:
message. With `stop`, the first problem raises that exception instead (the progress record is
either sound or set aside whole, so there is nothing to gather). The predicates say what a value
is the same way for every file kind: a bool is never a number, a number is finite.

The messages themselves belong to each file kind (tests and authors read them): netfile, the
lesson reader (tutor/lessons/parse.py) and the progress record (tutor/progress.py) word them.
"""

from __future__ import annotations

import math
from typing import Any

from engine.tomlfile import Locator, Problem


class Checks:
    """Problems found in one document, each at the line of its key path."""

    def __init__(self, file: str = "", where: Locator | None = None, stop: type[Exception] | None = None):
        self.file, self.where, self.stop = file, where, stop
        self.problems: list[Problem] = []

    def problem(self, path: tuple, message: str) -> None:
        """Record `message` at the line of `path` (raise `stop(message)` if this Checks stops at the first)."""
        if self.stop is not None:
            raise self.stop(message)
        line = self.where.line(*path) if self.where is not None else None
        self.problems.append(Problem(self.file, line, message))

    def require(self, ok: bool, message: str, path: tuple = ()) -> bool:
        """`ok`, recording `message` when it is false."""
        if not ok:
            self.problem(path, message)
        return ok


def is_number(value: Any) -> bool:
    """An int or a float that is finite (true and false are not numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_whole(value: Any, low: int | None = None) -> bool:
    """An int (not a bool), at least `low` if given."""
    return isinstance(value, int) and not isinstance(value, bool) and (low is None or value >= low)


def is_score(value: Any) -> bool:
    """A number from 0 to 1."""
    return is_number(value) and 0 <= value <= 1
