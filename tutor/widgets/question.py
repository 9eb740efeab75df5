"""One quiz question on screen, of any kind: the prompt, the way to answer, hints, and the feedback.

`QuestionView(item)` checks the answer itself (`Item.check`) and posts `QuestionView.Answered`; it
keeps no score across questions (that is `QuizSession`'s job). A lesson's quiz page mounts it as is;
the quiz screen also passes `answered=` to show a question already answered, for the review.
It grows with its content: put it inside a scrolling container.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.console import Group
from rich.markdown import Markdown
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.numbers import fmt
from tutor.player import TracePlayer
from tutor.quiz import AnswerFormError, Verdict, chain_unfinished, parse_number
from tutor.quiz.generate import LETTERS, Item
from tutor.quiz.session import HINT_COST, question_score
from tutor.widgets.diagram import NetworkDiagram
from tutor.widgets.diagram_layout import choose
from tutor.widgets.solution import (
    answer_line,
    chain_table,
    givens_table,
    numeric_solution,
    slip_text,
    verdict_line,
)


@dataclass(frozen=True)
class Attempted:
    """An answer already given, to show a question in its answered state."""

    given: str
    verdict: Verdict
    hints_used: int = 0


class ChoiceList(OptionList):
    """The choices of a multiple-choice or true/false question, none highlighted at first.

    So a stray enter answers nothing: with no choice highlighted, enter goes on to the question,
    which asks for a choice.
    """

    def __init__(self, *options, **kwargs) -> None:
        super().__init__(*options, **kwargs)
        self.highlighted = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select":
            return self.highlighted is not None
        return True

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.refresh_bindings()


class ChainPicker(OptionList, inherit_bindings=False):
    """The factors on offer: space (or a click) picks the highlighted one; enter is left to the question.

    The picks are kept here and changed at once (not through a message), so an enter pressed right
    after a space always answers with every factor picked.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", "Pick factor", id="quiz.pick"),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]

    @dataclass
    class Changed(Message):
        picker: ChainPicker

    def __init__(self, *options, **kwargs) -> None:
        super().__init__(*options, **kwargs)
        self.picked: list[int] = []  # indices of the options picked, in order

    def action_select(self) -> None:
        index = self.highlighted
        if index is None or self.get_option_at_index(index).disabled:
            return
        self.picked.append(index)
        self.disable_option_at_index(index)
        self.highlighted = self._nearest_enabled(index)
        self.post_message(self.Changed(self))

    def _nearest_enabled(self, index: int) -> int | None:
        """The option still on offer nearest to `index`, the one below first: the cursor stays where it was."""
        count = self.option_count
        for step in range(1, count):
            for near in (index + step, index - step):
                if 0 <= near < count and not self.get_option_at_index(near).disabled:
                    return near
        return None

    def undo(self) -> None:
        """Take back the last pick."""
        if self.picked:
            self.enable_option_at_index(self.picked.pop())
            self.post_message(self.Changed(self))


class QuestionView(Vertical):
    """Ask one Item; `h` shows a hint (each costs HINT_COST of the question's point), `enter` answers."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Answer", id="quiz.answer"),
        Binding("h", "hint", "Hint", id="quiz.hint"),
        # While typing an answer, h is a letter: ctrl+t asks for the hint instead.
        Binding("ctrl+t", "hint_typing", "Hint", id="quiz.hint_typing"),
        Binding("backspace", "undo", "Undo pick", id="quiz.undo"),
    ]

    answered: reactive[bool] = reactive(False)
    cursor_blink: ClassVar[bool] = True  # of the answer box; snapshot tests turn it off

    @dataclass
    class Answered(Message):
        """The learner answered (a form error is not an answer): the verdict, hints used and points scored."""

        view: QuestionView
        item: Item
        given: str
        verdict: Verdict
        hints_used: int
        score: float

    def __init__(self, item: Item, answered: Attempted | None = None, hint_cost: float = HINT_COST, **kwargs) -> None:
        super().__init__(**kwargs)
        self.item = item
        self.hint_cost = hint_cost
        self.hints_used = answered.hints_used if answered else 0
        self._shown_picks: list[str] = []  # a chain answered before (review): the factors it picked
        self._rows: int | None = None  # the rows the question should fit in, with its diagram (fit_diagram)
        self._picker: ChainPicker | None = None
        self._attempted = answered

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        item = self.item
        title = item.question.title
        if item.kind == "numeric":
            title += f" · {item.digits} significant digits"
        yield Static(Text(f"{title} · {item.lesson_title}"), classes="kind")
        yield Static(Markdown(item.prompt), classes="prompt")
        if item.kind == "numeric":
            yield Static(Text(item.summary), classes="summary")
            diagram = network_diagram(item)
            if diagram is not None:
                yield diagram
            yield Static(givens_table(item), classes="givens")
        yield Static(self._hint_text(), id="hints")
        yield from self._answer_widgets()
        yield Static(Text(item.form), id="form", classes="form")
        yield Vertical(id="feedback")

    def _answer_widgets(self) -> ComposeResult:
        item = self.item
        if item.question.answered_with == "choice":
            prompts = (
                [f"({LETTERS[n]}) {choice}" for n, choice in enumerate(item.choices)]
                if item.kind == "multiple_choice"
                else list(item.choices)
            )
            yield ChoiceList(*[Option(Text(p)) for p in prompts], id="choices")
        elif item.question.answered_with == "factors":
            with Horizontal(id="chain-area"):
                self._picker = ChainPicker(*[Option(Text(symbol)) for symbol in item.choices], id="factors")
                yield self._picker
                yield Static(self._chain_text(), id="picked")
        else:
            answer = Input(placeholder="Type your answer, then enter", id="answer", select_on_focus=False)
            answer.cursor_blink = self.cursor_blink
            yield answer

    def on_mount(self) -> None:
        self.query_one("#hints").display = self.hints_used > 0
        if self._attempted is not None:
            self.add_class("-review")
            attempt = self._attempted
            if self.item.question.answered_with == "factors":
                self._shown_picks = [p for p in attempt.given.split(" · ") if p]
                self.query_one("#picked", Static).update(self._chain_text())
            elif self.item.question.answered_with == "text":
                self.query_one("#answer", Input).value = attempt.given
            self._show_feedback(attempt.given, attempt.verdict)
        else:
            self.focus_answer()

    def fit_diagram(self, rows: int | None) -> None:
        """Draw a numeric question's network in what the rest of the question leaves of `rows`, tighter if need be.

        It is left out when no view of it fits, so the answer box stays in view; None draws it whole.
        Call it once the question is laid out; `rows` is kept, to fit again when a hint takes rows.
        """
        self._rows = rows
        for diagram in self.query(".diagram").results(NetworkDiagram):
            if rows is None:
                diagram.styles.max_height = None
                diagram.display = True
                continue
            margin = diagram.styles.margin.top
            drawn = diagram.outer_size.height + margin if diagram.display else 0
            room = rows - (self.outer_size.height - drawn) - margin
            scene = diagram.scene
            width = self.content_size.width
            fits = room > 0 and scene is not None and width > 0
            if fits:
                view = choose(scene.net, scene.labels, scene.measures, width, room, diagram.compact)
                fits = view.mode in ("full", "compact")
            diagram.styles.max_height = max(room, 1)
            diagram.display = fits

    def focus_answer(self) -> None:
        """Put the keyboard on the answer: the input, the choices or the factors."""
        for selector in ("#answer", "#choices", "#factors"):
            for widget in self.query(selector):
                widget.focus()
                return

    # -- keys ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("submit", "hint", "hint_typing", "undo") and self.answered:
            return False
        typing = isinstance(self.screen.focused, Input)
        if action == "hint":
            return not typing
        if action == "hint_typing":
            return typing
        if action == "undo":
            return self.item.question.answered_with == "factors"
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def action_hint_typing(self) -> None:
        self.action_hint()

    def action_hint(self) -> None:
        """Show the next hint; it costs `hint_cost` of this question's point."""
        if self.answered:
            return
        if self.hints_used >= len(self.item.hints):
            message = "There is no hint for this question." if not self.item.hints else "That was the last hint."
            self.notify(message, timeout=3)
            return
        self.hints_used += 1
        hints = self.query_one("#hints", Static)
        hints.update(self._hint_text())
        hints.display = True
        if self._rows is not None:
            self.call_after_refresh(self.fit_diagram, self._rows)  # the hint takes rows the diagram had

    def _hint_text(self) -> Text:
        text = Text()
        total = len(self.item.hints)
        for n, hint in enumerate(self.item.hints[: self.hints_used], start=1):
            if n > 1:
                text.append("\n")
            text.append(f"Hint {n} of {total} (−{fmt(self.hint_cost * 100)}%): ", style="bold")
            text.append(hint)
        return text

    def action_undo(self) -> None:
        """Take back the last factor picked."""
        if self._picker is not None and not self.answered:
            self._picker.undo()

    @property
    def picked(self) -> list[str]:
        """Chain questions: the factors picked so far, in order."""
        if self._shown_picks or self._picker is None:
            return list(self._shown_picks)
        return [self.item.choices[i] for i in self._picker.picked]

    @on(ChainPicker.Changed)
    def _picks_changed(self, event: ChainPicker.Changed) -> None:
        event.stop()
        self.query_one("#picked", Static).update(self._chain_text())

    def _chain_text(self) -> Text:
        text = Text("Your chain, from the error down:\n", style="bold")
        if not self.picked:
            text.append("(nothing picked yet: space picks the highlighted factor)", style="dim")
        for n, symbol in enumerate(self.picked, start=1):
            text.append(f"{n}. ")
            text.append(symbol)
            text.append("\n")
        return text

    @on(OptionList.OptionSelected, "#choices")
    def _choose(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._submit(self._choice_answer(event.option_index))

    def _choice_answer(self, index: int) -> str:
        """A choice as the checker reads it: its letter, or true/false."""
        return self.item.question.choice_answer(index)

    @on(Input.Submitted, "#answer")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.value)

    def action_submit(self) -> None:
        """Answer with what is chosen, typed or picked."""
        if self.answered:
            return
        answered_with = self.item.question.answered_with
        if answered_with == "factors":
            self._submit(list(self.picked))
        elif answered_with == "choice":
            highlighted = self.query_one("#choices", OptionList).highlighted
            if highlighted is None:
                self._form_problem("Pick a choice first: ↑ ↓ (or a click) choose, enter answers.")
            else:
                self._submit(self._choice_answer(highlighted))
        else:
            self._submit(self.query_one("#answer", Input).value)

    # -- answering ----------------------------------------------------------------------------

    def _submit(self, given: str | list[str]) -> None:
        if self.answered:
            return
        if self.item.question.answered_with == "factors" and not given:
            self._form_problem("Pick at least one factor first: space picks, backspace takes back.")
            return
        if self.item.question.answered_with == "factors" and chain_unfinished(given, self.item.answer):
            self._form_problem("The chain is not finished yet: pick the factors that take it on (space), then enter.")
            return
        try:
            verdict = self.item.check(given)
        except AnswerFormError as err:
            self._form_problem(err.message, err.position)
            return
        text = given if isinstance(given, str) else " · ".join(given)
        self._show_feedback(text, verdict)
        score = question_score(verdict.correct, self.hints_used, self.hint_cost)
        self.post_message(self.Answered(self, self.item, text, verdict, self.hints_used, score))

    def give_up(self, verdict: Verdict) -> None:
        """The learner gave up on the question: show `verdict` and the solution, as for a wrong answer."""
        if not self.answered:
            self._show_feedback("", verdict)

    def _form_problem(self, message: str, position: int | None = None) -> None:
        """The answer could not be read: say what form is expected; the learner's text stays for editing."""
        form = self.query_one("#form", Static)
        form.update(Text(message))
        form.add_class("-error")
        for answer in self.query("#answer").results(Input):
            answer.focus()
            if position is not None:
                answer.cursor_position = min(position, len(answer.value))

    def watch_answered(self, answered: bool) -> None:
        self.set_class(answered, "-answered")

    def _show_feedback(self, given: str, verdict: Verdict) -> None:
        self.answered = True
        for widget in self.query("#answer, #choices, #factors"):
            widget.disabled = True
        form = self.query_one("#form", Static)
        form.remove_class("-error")
        form.display = False
        score = question_score(verdict.correct, self.hints_used, self.hint_cost)
        feedback = self.query_one("#feedback", Vertical)
        feedback.set_class(verdict.correct, "-right")
        feedback.set_class(not verdict.correct, "-wrong")
        parts: list[Static] = [Static(verdict_line(verdict, score, self.hints_used), classes="verdict")]
        parts += [Static(r, classes="solution") for r in self._solution(given, verdict)]
        if self.item.explanation:
            parts.append(Static(Markdown(self.item.explanation), classes="explanation"))
        feedback.mount_all(parts)

    def _solution(self, given: str, verdict: Verdict) -> list:
        """What to show under the verdict: the right answer, and for a wrong one how to get it."""
        item, kind = self.item, self.item.kind
        given = given or "— (skipped)"
        out: list = []
        if kind == "numeric":
            if verdict.correct:
                return [Text(item.solution.expected)]
            slip = slip_text(item, verdict)
            head = answer_line(item, verdict.normalized or given)
            out.append(head if slip is None else Group(head, slip))
            title = Text("Worked solution, from the engine's trace of this network:", style="bold")
            out.append(Group(title, numeric_solution(item, _number(given))))
            return out
        if verdict.correct:
            return []
        if kind == "symbolic":
            text = Text("Your answer, as read: ", style="bold")
            text.append(verdict.normalized or given)
            text.append("\nExpected: ", style="bold")
            text.append(item.solution.expected)
            text.append(" (or anything equal to it)", style="dim")
            return [text]
        if kind == "chain":
            return [chain_table(item.solution.chain, tuple(self.picked))]
        text = Text("Your answer: ", style="bold")
        text.append(self._choice_text(given))
        text.append("\nThe answer: ", style="bold")
        text.append(item.solution.expected)
        return [text]

    def _choice_text(self, given: str) -> str:
        """A choice answer written out: "(a) Sigmoid units have…", or true/false."""
        if self.item.kind == "multiple_choice" and len(given) == 1 and given in LETTERS[: len(self.item.choices)]:
            return f"({given}) {self.item.choices[LETTERS.index(given)]}"
        return given


def network_diagram(item: Item) -> NetworkDiagram | None:
    """The drawn network of a numeric question: its inputs, weights and targets, nothing computed yet.

    Recurrent networks are left to the table, which gives their inputs and targets step by step.
    """
    trace = item.trace
    if trace is None or trace.steps is not None:
        return None
    return NetworkDiagram(TracePlayer(trace), compact=False, classes="diagram")  # position 0: nothing computed


def _number(text: str) -> float | None:
    try:
        return parse_number(text)
    except AnswerFormError:
        return None
