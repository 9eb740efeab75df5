"""A trace page: step a feed-forward network through forward, backward and update on one pattern
(tutor.screens.lesson.trace.TraceView). An unroll page (unroll.py) is stepped through the same way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from engine.tomlfile import Problem
from tutor.kinds.pages.ask_formula import ask_formula_problems, read_ask_formula
from tutor.lessons.model import NETWORK_KEYS, PAGE_COMMON, Goal, NetworkRef, Page
from tutor.lessons.what_if import read_goal

if TYPE_CHECKING:
    from engine.trace import Chain, Trace


@dataclass(kw_only=True)
class SteppedPage(Page):
    """A page that steps through one example of a network, term by term: a trace or an unroll page."""

    example_key: ClassVar[str]  # the key that says which example: "pattern" or "sequence"
    unrolled: ClassVar[bool] = False  # stepped through a recurrent network laid out in time (an unroll page)
    network: NetworkRef
    focus: str | None = None  # a weight, "hidden[0][1]" or "output_bias[0]": expand its chain of factors
    predict: bool | tuple[str, ...] = False  # ask before revealing: every term (True) or terms of these kinds
    goal: Goal | None = None  # a what-if goal: change weights until a term passes a number
    fade: bool = False  # a faded worked example: each visit asks more of the backward pass (tutor/fading.py)
    ask_formula: tuple[str, ...] = ()  # term kinds asked as formulas in symbols (trace pages: ask_formula.py)

    @property
    def example(self) -> int:
        """The pattern (sequence) stepped through."""
        return getattr(self, self.example_key)

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> SteppedPage:
        network = reader.network(table, notation)
        focus = reader.weight_name(table, "focus")
        predict = reader.predict(table)
        goal = read_goal(table)
        fade = table.flag("fade")
        example = table.whole(cls.example_key, low=0) or 0
        return cls(
            **common, network=network, focus=focus, predict=predict, goal=goal, fade=fade, **{cls.example_key: example}
        )

    def check(self, networks: Any) -> list[Problem]:
        """Its network is of the kind this page steps through, the example exists, the focus weight exists, and
        (if `networks.traces`) the trace the page shows fits its focus and goal (`trace_problems`)."""
        from engine.kinds import kind_of
        from engine.tomlfile import FileProblems
        from tutor.lessons.networks import _index_problems, _weight_exists
        from tutor.lessons.wording import show

        if self.network is None:
            return []
        net, problems = networks.load(self.network)
        if net is None:
            return problems
        name = show(self.network.name)
        kind = kind_of(net)
        if self.kind != kind.page:
            return [self.origin.problem(f"network {name} {_WRONG_PAGE[kind.page]}", "kind")]
        problems = _index_problems(net, self.example, self.origin, self.network.name)
        if self.focus and not problems:
            problems += _weight_exists(net, self.focus, self.network, "focus")
        if problems or not networks.traces or not (self.focus or self.goal):
            return problems  # without `traces`, the view checks the trace it builds (tutor/screens/lesson/trace.py)
        try:  # the steps the page traces (engine.kinds.Elman.page_steps), not the whole sequence
            self.trace_problems(kind.trace(self.example, self.network.notation, kind.page_steps(self.example)))
        except FileProblems as err:
            return err.problems
        return []

    def trace_problems(self, trace: Trace, on: str = "", own_weights: bool = True) -> Chain | None:
        """The focus weight's chain of factors on `trace` (None without a focus); FileProblems if the chain cannot
        be expanded or the goal's term is not on the trace (or, with the lesson's weights on the page's example,
        is met already). Validate checks the page's trace with it, the view each trace it builds. `on` names the
        trace's example ("sequence 2") when it is not the page's."""
        from engine.tomlfile import FileProblems
        from tutor.lessons.networks import focus_chain
        from tutor.lessons.what_if import goal_problems

        chain = focus_chain(trace, self.focus, self.network, on=on) if self.focus else None
        problems = goal_problems(self.goal, trace, self.origin, on, own_weights) if self.goal else []
        if problems:
            raise FileProblems(problems)
        return chain


_WRONG_PAGE = {
    "unroll": "has context units: step through it on an unroll page",
    "trace": "has no context units: use a trace page for it",
}


@dataclass(kw_only=True)
class TracePage(SteppedPage):
    """Step a feed-forward network through forward, backward and update on one pattern."""

    kind: ClassVar[str] = "trace"
    keys: ClassVar[tuple[str, ...]] = (
        *PAGE_COMMON,
        *NETWORK_KEYS,
        "pattern",
        "focus",
        "predict",
        "goal",
        "until",
        "fade",
        "curves",
        "ask_formula",
    )
    example_key: ClassVar[str] = "pattern"
    pattern: int = 0
    until: str | None = None  # "forward": the page stops at the end of that pass (a forward-only exercise)
    curves: bool = False  # draw the current unit's a = f(n) (or ∂a/∂n) with its n marked (widgets/activation_curve)

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> TracePage:
        page = super().parse(reader, table, common, notation)
        page.until = _until(reader, table)
        page.curves = table.flag("curves")
        page.ask_formula = read_ask_formula(table)
        return page

    def check(self, networks: Any) -> list[Problem]:
        problems = super().check(networks)
        if self.ask_formula and not problems and self.network is not None:
            from engine.kinds import kind_of

            net, _ = networks.load(self.network)
            problems += ask_formula_problems(self, kind_of(net).trace(self.example, self.network.notation))
        return problems


UNTIL_PHASES = ("forward", "backward")  # where a trace page may stop (the update ends every trace)


def _until(reader: Any, table: Any) -> str | None:
    """`until = "forward"` or `"backward"`: the page stops at the end of that pass; None (all three) if absent."""
    from tutor.lessons.wording import show

    value = table.raw.get("until")
    if value is None or value in UNTIL_PHASES:
        return value
    table.problem(f"{table.name('until')} should be one of: {', '.join(map(show, UNTIL_PHASES))}, got {show(value)}")
    return None
