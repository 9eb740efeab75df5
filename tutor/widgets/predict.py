"""Predict-then-reveal: the answer box for the next term of a trace or unroll page, and its verdict.

The learner types the next term's value (a number, or an expression of numbers such as 0.5*0.3,
read by the quiz's safe parser: nothing is evaluated as Python); enter judges it. Right means
within 0.5 % of the engine's value, or within 1e-4 of it near 0. A wrong value is matched
against the term's named slips (sign flipped, ½ forgotten, a factor missing, σ′ taken as σ...),
the quiz's own (tutor.quiz.generate.term_slips). Text that is not a number keeps the box open,
with the text, and counts nothing. `escape` closes the box revealing nothing; `h` (or `ctrl+t`)
gives a hint: the rule in symbols, then the numbers it needs. A page's `ask_formula` kinds are
asked as formulas in the page's symbols instead (tutor.quiz.term_formula: the symbolic checker,
slips named); there `h` is a letter and only `ctrl+t` gives hints.

The checker (sympy) is imported in a thread when the box is first composed, so that opening the
box and judging an answer stay instant.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Static

from engine.numbers import fmt
from engine.trace import Term

RELATIVE = 0.005  # a prediction within 0.5 % of the engine's value is right ...
ABSOLUTE = 1e-4  # ... or within this of it (values near 0)
HINTS = 2  # the rule in symbols, then the numbers put in
VALUE_PLACEHOLDER = "a number, or numbers: 0.5*0.3"


def formula_placeholder(formula) -> str:
    """How to type a formula, in the answer line: ∂ as d for a derivative, * and ^ (not the answer)."""
    first = next((s for s in formula.shown if "∂" in s), None)
    typed = f"{first} as {first.replace('∂', 'd')}, " if first else ""
    return f"type {typed}* for times, ^ for powers, sigma(n) for σ(n)"


@dataclass(frozen=True)
class Prediction:
    """A judged prediction: `value` None when the text was not a number (nothing is counted then)."""

    given: str
    value: float | None
    right: bool
    slip: str | None
    message: str


def close(given: float, expected: float) -> bool:
    """Within 0.5 % relative, or 1e-4 absolute (for values near 0)."""
    return abs(given - expected) <= max(RELATIVE * abs(expected), ABSOLUTE)


def read_prediction(text: str) -> float:
    """A typed number or expression of numbers (0.5*0.3, −(0.2 − 0.7), 1/(1+e^−0.38)). Raises AnswerFormError."""
    from tutor.quiz.check import parse_number
    from tutor.quiz.expressions import AnswerFormError, numeric_value, parse_expression

    try:
        return parse_number(text)
    except AnswerFormError:
        pass
    expr = parse_expression(text, ())
    value = numeric_value(expr, {})
    if value is None or abs(value.imag) > 1e-12 or not math.isfinite(value.real):
        raise AnswerFormError("That does not work out to a real number.", 0)
    return float(value.real)


def judge(text: str, term: Term, slips: Mapping[str, float]) -> Prediction:
    """The verdict on a prediction of `term`; `slips` maps a named slip to the value it would give."""
    from tutor.quiz.check import match_slip, sign_mirror
    from tutor.quiz.expressions import AnswerFormError

    try:
        value = read_prediction(text.strip())
    except AnswerFormError as err:
        return Prediction(text, None, False, None, f"Not a number: {err.message} Nothing was counted.")
    expected = term.value
    if close(value, expected):
        return Prediction(text, value, True, None, f"Right: {term.symbol} = {fmt(expected)} (you said {fmt(value)}).")
    mirror = sign_mirror(expected, slips)
    slip = match_slip(
        [(None, expected), *slips.items()],
        lambda v: close(value, v) and not close(v, expected),
        lambda v: mirror - v,
    )
    why = f" Likely slip: {slip}." if slip else ""
    return Prediction(
        text, value, False, slip, f"Not quite: {term.symbol} = {fmt(expected)}, you said {fmt(value)}.{why}"
    )


def judge_formula(text: str, formula) -> Prediction:
    """The verdict on a formula typed for a term the page asks in symbols (tutor.quiz.term_formula)."""
    from tutor.quiz.expressions import AnswerFormError
    from tutor.quiz.term_formula import check_formula, formula_message

    try:
        verdict = check_formula(text.strip(), formula)
    except AnswerFormError as err:
        return Prediction(text, None, False, None, f"Not a formula here: {err.message} Nothing was counted.")
    value = verdict.value if verdict.value is not None else math.nan
    return Prediction(text, value, verdict.correct, verdict.slip, formula_message(formula, verdict))


class PredictInput(Input):
    """The answer line: `h` and `ctrl+t` ask for a hint (no number needs an h; a formula does, and there only
    ctrl+t asks), `escape` closes the box."""

    BINDINGS: ClassVar = [
        # Not in the footer: the box says them itself, and the footer keeps its keys (nothing to compose again)
        Binding("ctrl+t", "hint", "Hint", priority=True, show=False, id="predict.hint"),
        Binding("h", "hint_or_h", "Hint", priority=True, show=False, id="predict.hint_h"),
        Binding("escape", "close", "Close, revealing nothing", priority=True, show=False, id="predict.close"),
    ]

    _styled_focused = False  # whether its styles were last looked up focused

    def watch_has_focus(self, focused: bool) -> None:
        """Styled again when the focus changes its look, and it shows: at a verdict it is hidden as it loses the
        keyboard, and takes it back as it shows again (PredictBox.ask), so its focused styles hold. Restyling it
        (its cursor, placeholder... are component classes, each matched against the whole stylesheet) took ~1 ms
        of each opening and of each verdict."""
        if focused == self._styled_focused or not (focused or (self.display and self.parent.display)):
            return
        self._styled_focused = focused
        super().watch_has_focus(focused)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styled_focused = self.has_focus

    def on_key(self, event: events.Key) -> None:
        """Enter is judged here, in turn after the keys typed before it (a priority binding would come before
        them), and at once: not by the Input's Submitted message, a turn later, nor after the Input has shown its
        cursor again (a frame of its own, and the verdict would wait for the next)."""
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.parent.check(self.value)

    def action_hint(self) -> None:
        self.parent.hint()

    def action_hint_or_h(self) -> None:
        """`h` asks for a hint, except in a formula, where it is a letter (a_h1, tanh): ctrl+t asks there."""
        if self.parent.formula is not None:
            raise SkipAction()  # the Input types the h, in its turn among the keys
        self.parent.hint()

    def action_close(self) -> None:
        self.parent.close()


class PredictBox(Vertical):
    """Asks for one term's value; calls its owner's `judged` (right or wrong) or `closed` (escape: nothing revealed,
    nothing counted). Hidden until `ask`.

    The owner is called in the key's own turn, not by a message handled a turn later: what it changes (the term
    revealed, the keyboard back on the diagram, the footer's keys) is drawn in the frame that draws the verdict."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HELP_PATH = Path(__file__).with_suffix(".md")  # what the help screen says about predicting
    HELP_WHERE = "In the answer box (predicting a term)"

    def __init__(self, judged: Callable[[Term, Prediction], None], closed: Callable[[Term], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.judged, self.closed = judged, closed
        self.term: Term | None = None
        self.formula = None  # a TermFormula when the term is asked in symbols, not as a number
        self._slips: dict[str, float] | Callable[[], Mapping[str, float]] = {}
        self.hints = 0

    def compose(self) -> ComposeResult:
        yield Static(id="predict-ask")
        yield PredictInput(placeholder=VALUE_PLACEHOLDER, id="predict-answer")
        yield Static(id="predict-verdict")

    def on_mount(self) -> None:
        self.display = False
        self.run_worker(_warm_up, thread=True, group="predict", exit_on_error=False)

    @property
    def asking(self) -> bool:
        return self.display and self.term is not None and self.query_one(PredictInput).display

    @property
    def slips(self) -> dict[str, float]:
        """The asked term's named slips: the value each would give."""
        if callable(self._slips):
            self._slips = dict(self._slips())
        return self._slips

    def ask(
        self,
        term: Term,
        slips: Mapping[str, float] | Callable[[], Mapping[str, float]] | None = None,
        why: str = "",
        formula=None,
    ) -> None:
        """Open the box for `term` (not yet shown anywhere): its symbol, an empty answer line, no hints.
        With a `formula` (tutor.quiz.term_formula.TermFormula) the box asks for the formula in symbols.
        `slips` may be a function that finds them: only a verdict needs them, so it is called once the box is
        drawn (or by a verdict that comes first), not in the key's turn."""
        self.term, self.hints, self.formula = term, 0, formula
        self._slips = slips if callable(slips) else dict(slips or {})
        if callable(slips):
            self.call_after_refresh(lambda: self.slips)
        ask = Text("The formula for " if formula else "Predict ", style="bold")
        ask.append(term.symbol, style="bold yellow")
        ask.append(" = ?", style="bold")
        keys = "ctrl+t: hint · esc: close" if formula else "h: hint · escape: close"
        ask.append(f"   enter: check · {keys}{why}", style="dim")
        if formula is not None:  # two lines, as the value box's ask and verdict: the diagram keeps its room
            ask.append(f"\nin symbols: {formula.accepts}", style="yellow")
        self.query_one("#predict-ask", Static).update(ask)
        answer = self.query_one(PredictInput)
        answer.placeholder = formula_placeholder(formula) if formula else VALUE_PLACEHOLDER
        answer.value = ""
        answer.display = True
        verdict = self.query_one("#predict-verdict", Static)
        verdict.update("")
        verdict.display = formula is None  # shown again with the first hint or verdict
        self._verdict_class(None)
        self.display = True
        focus_now(answer)

    def hint(self) -> None:
        """The rule in symbols first, then the same with the numbers put in."""
        term = self.term
        if term is None:
            return
        self.hints = min(self.hints + 1, HINTS)
        if self.formula is not None:  # the answer is the formula: the rule first, then the formula itself
            lines = Text(f"Hint: the rule is {term.rule}", style="yellow")
            if self.hints >= 2:
                lines.append(f"\n      {term.symbol} = {term.formula}", style="yellow")
            self._say(lines)
            return
        lines = Text(f"Hint: {term.symbol} = {term.formula}", style="yellow")
        if term.rule and term.rule != term.formula:
            lines.append(f"   (the rule: {term.rule})", style="dim")
        if self.hints >= 2:
            lines.append(f"\n      = {term.expression}", style="yellow")
        self._say(lines)

    def _say(self, text: Text) -> None:
        verdict = self.query_one("#predict-verdict", Static)
        verdict.update(text)
        verdict.display = True

    def _verdict_class(self, right: bool | None) -> None:
        """-right or -wrong (the border's colour), or neither while asking. Only the box is styled again: nothing
        inside it depends on them, and styling the answer line again (its cursor, placeholder... are styles of
        their own) took as long as the rest of the answer."""
        classes = {"-right": right is True, "-wrong": right is False}
        if any(self.has_class(name) != on for name, on in classes.items()):
            self.update_classes(classes, update=False)
            self.app.stylesheet.update_nodes([self], animate=False)

    def close(self) -> None:
        term = self.term
        self.display = False
        self.term = None
        if term is not None:
            self.closed(term)

    def check(self, text: str) -> None:
        """Judge the answer line's text (enter): say the verdict, and tell the owner (a number only)."""
        term = self.term
        if term is None:
            return
        formula = self.formula
        prediction = judge_formula(text, formula) if formula is not None else judge(text, term, self.slips)
        if prediction.value is None:
            self._say(Text(prediction.message, style="red"))  # the text stays in the box
            return
        mark = "✓ " if prediction.right else "✗ "
        self._say(Text(mark + prediction.message, style="bold green" if prediction.right else "bold red"))
        self._verdict_class(prediction.right)
        self.query_one(PredictInput).display = False
        done = f"You wrote the formula for {term.symbol}." if self.formula else f"You predicted {term.symbol}."
        self.query_one("#predict-ask", Static).update(Text(done, style="dim"))
        self.judged(term, prediction)


def focus_now(widget: Widget) -> None:
    """Give `widget` the keyboard now (Widget.focus waits a turn, and the screen may draw a frame in between: the
    box opened or judged in one, the focus and the footer's keys in the next). The footer hears of the keys at once
    (KeysFooter), in the same turn."""
    widget.screen.set_focus(widget)


def _warm_up() -> None:
    """Import the checker (sympy) off the UI thread, so that the first answer is judged at once."""
    import tutor.quiz.generate  # noqa: F401
