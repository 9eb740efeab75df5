"""Descent pages: one weight stepped down its error curve, w ← w − ε ∂E/∂w, with a choice of ε.

The engine (engine.descent) computes the curve and every step; this view only draws them and says
what the slope's sign and the last step mean.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from engine.descent import OneWeight, describe_step
from engine.numbers import fmt
from tutor.kinds.pages.descent import DescentPage
from tutor.lessons import Lesson
from tutor.lessons.networks import load_ref
from tutor.messages import PageDone
from tutor.progress import Progress
from tutor.screens.lesson.views import PageText, PageView
from tutor.widgets.error_curve import ErrorCurve

CURVE_SAMPLES = 241  # weights the curve is computed at (the drawing reads the nearest one per column)
STEPS_TO_TRY = 2  # steps with every ε before the page counts as done


class DescentView(PageView):
    """The error curve of one weight, the weight on it, and a readout of the step."""

    HELP_WHERE = "On this page (gradient descent)"
    DEFAULT_CSS = """
    DescentView {
        & > PageText { height: auto; max-height: 35%; border-bottom: hkey $primary 40%; }
        #descent-readout { height: auto; padding: 0 1; }
    }
    """

    BINDINGS: ClassVar = [
        Binding("s,space,right", "step", "Step", tooltip="Move the weight one step down the slope", id="descent.step"),
        Binding("e", "next_rate", "Next ε", tooltip="Try the next learning rate, from the start", id="descent.rate"),
        Binding("r", "reset", "Start again", id="descent.reset"),
    ]

    def __init__(self, lesson: Lesson, page: DescentPage, progress: Progress):
        super().__init__(lesson, page, progress)
        self.one = OneWeight(load_ref(page.network), page.weight)
        self.weights, self.errors = self.one.curve(*page.span, CURVE_SAMPLES)
        self.rate_index = 0
        self.tried: dict[float, int] = {}
        self.points = self.one.descend(page.start_weight, self.rate, 0)
        self.done = False  # every ε has had its steps: the page has told the lesson once

    @property
    def rate(self) -> float:
        return self.page.rates[self.rate_index]

    def compose(self) -> ComposeResult:
        if self.page.text:
            yield PageText(self.page.text, id="text")
        with Vertical():
            yield ErrorCurve(id="error-curve")
            yield Static(id="descent-readout")

    def on_mount(self) -> None:
        curve = self.query_one(ErrorCurve)
        curve.weights, curve.errors = tuple(self.weights.tolist()), tuple(self.errors.tolist())
        self._show()

    def action_step(self) -> None:
        here = self.points[-1]
        after = self.one.descend(here.weight, self.rate, 1)
        if len(after) < 2:
            self.toast("The weight has run off to where the error cannot be computed: e or r to start again.")
        else:
            self.points.append(after[1])
            self.tried[self.rate] = self.tried.get(self.rate, 0) + 1
        self._show()
        if not self.done and all(self.tried.get(rate, 0) >= STEPS_TO_TRY for rate in self.page.rates):
            self.done = True
            self.post_message(PageDone())

    def action_next_rate(self) -> None:
        self.rate_index = (self.rate_index + 1) % len(self.page.rates)
        self.action_reset()

    def action_reset(self) -> None:
        self.points = self.one.descend(self.page.start_weight, self.rate, 0)
        self._show()

    def _show(self) -> None:
        self.query_one(ErrorCurve).path = tuple((p.weight, p.error) for p in self.points)
        self.query_one("#descent-readout", Static).update(readout(self.page, self.rate, self.points))
        self.status = f"ε = {fmt(self.rate)} · step {len(self.points) - 1}"


def readout(page: DescentPage, rate: float, points: list) -> Text:
    """ε, where the weight is, the slope's sign and what it implies, and what the last step did."""
    here = points[-1]
    text = Text()
    text.append(f"ε = {fmt(rate)}", style="bold")
    others = " · ".join(fmt(r) for r in page.rates)
    text.append(f"   (e: the next of {others}; s: step; r: start again)\n", style="dim")
    text.append(
        f"step {len(points) - 1}   w = {fmt(here.weight)}   E = {fmt(here.error)}   ∂E/∂w = {fmt(here.slope)}\n"
    )
    change = -rate * here.slope
    if here.slope < 0:
        text.append("The slope is negative: E falls as w grows, so the step −ε·∂E/∂w = ")
        text.append(f"{fmt(change)} moves w to the right.\n")
    elif here.slope > 0:
        text.append("The slope is positive: E falls as w shrinks, so the step −ε·∂E/∂w = ")
        text.append(f"{fmt(change)} moves w to the left.\n")
    else:
        text.append("The slope is 0: the bottom of the curve, where a step no longer moves w.\n")
    if len(points) > 1:
        text.append(f"Last step: {describe_step(points[-2], here)}.", style="italic")
    return text
