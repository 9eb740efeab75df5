"""What-if on trace and unroll pages: a page's goal (`[pages.goal]`, docs/lessons.md), reading the weight a
learner sets ("w1 = 0.3"), and whether the goal is met by the weights as they are now.

Reading a goal needs no NumPy (the home screen lists lessons with it); judging one is given the trace
built from the changed weights (engine.what_if), so the value it checks is the engine's own.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from engine.tomlfile import Problem
from tutor.lessons.model import Goal, Origin

GOAL_KEYS = ("term", "above", "below", "weights", "text")
LARGEST = 100.0  # a weight set by hand stays within ±this (the diagram and the table stay readable)
VALUE_FORM = "type a number, like 0.3, −1.5 or 2e−3"


def read_goal(page) -> Goal | None:
    """The page table's `[pages.goal]`, or None (absent, or with its problems recorded at their lines)."""
    table = page.sub("goal", "[pages.goal]")
    if table is None:
        return None
    before = len(table.reader.problems)
    table.unknown(GOAL_KEYS)
    term = table.text("term", required=True, one_line=True)
    above, below = table.number("above"), table.number("below")
    if ("above" in table.raw) == ("below" in table.raw):
        table.problem("[pages.goal] gives one of 'above' and 'below': the number the term should pass")
    weights = table.whole("weights", low=1)
    text = table.text("text", one_line=True) or ""
    if len(table.reader.problems) > before:
        return None
    return Goal(term, above, below, weights, text)


def goal_problems(goal: Goal, trace, origin: Origin, on: str = "", own_weights: bool = True) -> list[Problem]:
    """What only the page's trace reveals: the goal's term must be one of its terms, and not met already by the
    lesson's weights (`own_weights`) on the page's example. `on` names the trace's example ("sequence 2") when it
    is not the page's."""
    ids = [term.id for term in trace.terms]
    if goal.term not in ids:
        close = difflib.get_close_matches(goal.term, ids, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "terms are named like 'a.output.0' or 'E'"
        whose = f"the trace of {on}" if on else "the page's trace"
        return [origin.problem(f"'goal.term': {whose} has no term '{goal.term}' ({hint})", "goal", "term")]
    term = trace[goal.term]
    if own_weights and not on and _passes(goal, term.value):
        return [
            origin.problem(
                f"the goal is met with the lesson's own weights ({term.symbol} = {term.value:.6g}): "
                "there is nothing to change",
                "goal",
            )
        ]
    return []


def _passes(goal: Goal, value: float) -> bool:
    return value > goal.above if goal.above is not None else value < goal.below


def describe(goal: Goal, symbol: str) -> str:
    """The goal in words: the lesson's own, else "make a_o1 above 0.9 by changing one weight"."""
    if goal.text:
        return goal.text
    side = f"above {goal.above:g}" if goal.above is not None else f"below {goal.below:g}"
    count = goal.weights
    how = "" if count is None else " by changing one weight" if count == 1 else f" by changing at most {count} weights"
    return f"make {symbol} {side}{how}"


@dataclass(frozen=True)
class GoalCheck:
    met: bool
    value: float
    message: str


def check_goal(goal: Goal, trace, changed: int) -> GoalCheck:
    """Is the goal met by the trace of the weights as they are now (`changed` of them set by the learner)?"""
    from engine.numbers import fmt

    term = trace[goal.term]
    now = f"{term.symbol} = {fmt(term.value)}"
    passes = _passes(goal, term.value)
    allowed = goal.weights if goal.weights is not None else changed
    weights = f"{changed} weight{'' if changed == 1 else 's'} changed"
    if passes and changed and changed <= allowed:
        return GoalCheck(True, term.value, f"✓ Goal met: {now}, with {weights}.")
    if passes and changed > allowed:
        return GoalCheck(
            False, term.value, f"{now}, but with {weights}: the goal allows {allowed}. r gives the lesson's weights."
        )
    return GoalCheck(False, term.value, f"Goal: {describe(goal, term.symbol)}. Now {now}.")


class SettingError(ValueError):
    """A weight setting that cannot be read: `message` says what form is expected."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_setting(text: str, net, notation, selected=None):
    """(weight, value) from what the learner typed: "w1 = 0.3", "hidden[0][1] = −2", or a value alone for the
    `selected` weight. Raises SettingError saying what is expected. The value is read by the quiz's own
    number reader (nothing is evaluated)."""
    from engine.trace import weight_symbol
    from engine.what_if import weight_named
    from tutor.quiz.check import parse_number
    from tutor.quiz.expressions import AnswerFormError

    name, sep, value = text.partition("=")
    if not sep:
        name, value = "", text
    weight = weight_named(net, notation, name) if name.strip() else selected
    if weight is None:
        if not name.strip():
            raise SettingError("Which weight? Write its name and the value, like w1 = 0.3, or pick a row with ↑↓.")
        first = next(iter(net.params))
        example = weight_symbol(net, notation, first, (0,) * net.params[first].ndim)
        raise SettingError(
            f"This network has no weight “{name.strip()}”: name one as the table of values does ({example}) "
            f"or as {first}[0][0], then = and the value."
        )
    symbol = weight_symbol(net, notation, *weight)
    if not value.strip():
        raise SettingError(f"What value for {symbol}? {VALUE_FORM[0].upper()}{VALUE_FORM[1:]}.")
    try:
        number = parse_number(value.strip())
    except AnswerFormError as err:
        raise SettingError(f"The new value of {symbol}: {err.message}") from None
    if not abs(number) <= LARGEST:
        raise SettingError(f"{symbol} = {value.strip()} is too large: keep a weight between −100 and 100.")
    return weight, number
