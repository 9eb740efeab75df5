"""Quiz pages: the page's questions one under the other, each asked and checked by a QuestionView.

Each answer is saved as it is given. Re-entering the page shows the answers of the current attempt
(the same questions, drawn from the same seeds) and the score so far; ctrl+r starts a new attempt,
with new numbers for the numeric and chain questions, so practice never repeats the same numbers.
The page's own score is recorded once every question of an attempt is answered.
"""

from __future__ import annotations

import random
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from tutor.messages import PageDone
from tutor.progress import Answer
from tutor.quiz import AnswerFormError, Verdict
from tutor.quiz.generate import GenerationError, Item, make_item
from tutor.quiz.session import SKIPPED
from tutor.screens.lesson.views import PageView
from tutor.widgets.question import Attempted, QuestionView


class QuizView(PageView):
    """The questions of a quiz page; their keys (enter answers, h hints) work on the one being answered."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "try_again", "Try again", id="quiz.try_again"),
        Binding("ctrl+g", "give_up", "Give up", id="quiz.give_up"),
    ]

    def compose(self) -> ComposeResult:
        self.scores: dict[int, float] = {}
        self.asked = 0
        rng = random.Random()
        kept = self.progress.current_attempt(self.lesson.id, self.page.index)
        with VerticalScroll(id="questions"):
            if self.page.text:
                yield Markdown(self.page.text, id="intro")
            for question in self.page.questions:
                earlier = kept.get(question.index)
                seed = earlier[0].seed if earlier else rng.randrange(2**31)
                try:
                    item = make_item(self.lesson, self.page, question, seed)
                except GenerationError as err:
                    yield Static(Text(f"Question {question.index + 1} cannot be asked: {err}", style="red"))
                    continue
                self.asked += 1
                attempted = _attempted(item, earlier[0]) if earlier else None
                if attempted is not None:
                    self.scores[question.index] = earlier[1]
                yield QuestionView(item, answered=attempted, classes="question")

    def on_mount(self) -> None:
        self._report()

    def take_focus(self) -> None:
        for view in self.query(QuestionView):
            if not view.answered:
                view.focus_answer()
                return
        self.focus()

    def scroller(self) -> VerticalScroll:
        return self.query_one("#questions", VerticalScroll)

    async def action_try_again(self) -> None:
        """A new attempt at the page: every question asked afresh (the earlier answers stay counted)."""
        self.progress.new_attempt(self.lesson.id, self.page.index)
        self.app.progress_changed()
        await self.recompose()
        self._report()
        self.take_focus()

    def action_give_up(self) -> None:
        """Give up on the question being answered (as ctrl+g in quiz mode): it counts as missed, its solution shows."""
        focused = self.screen.focused
        views = [v for v in self.query(QuestionView) if not v.answered]
        view = next((q for q in (focused.ancestors if focused else ()) if isinstance(q, QuestionView)), None)
        if view is None or view.answered:
            view = views[0] if views else None
        if view is None:
            return
        verdict = GAVE_UP
        view.give_up(verdict)
        view.post_message(QuestionView.Answered(view, view.item, "", verdict, view.hints_used, 0.0))

    @on(QuestionView.Answered)
    def _answered(self, event: QuestionView.Answered) -> None:
        event.stop()
        index = event.item.index
        self.scores[index] = event.score
        self.progress.record_answer(
            self.lesson.id, self.page.index, index, event.score, Answer(event.given, event.item.seed, event.hints_used)
        )
        self.app.progress_changed()
        self._report()
        views = list(self.query(QuestionView))
        following = [view for view in views[views.index(event.view) + 1 :] if not view.answered]
        if following:
            following[0].focus_answer()
        self.call_after_refresh(self._show_feedback_and_focus, event.view)
        if len(self.scores) == self.asked:
            scores = [self.scores.get(q.index, 0.0) for q in self.page.questions]
            result = self.progress.record_quiz_total(self.lesson.id, self.page.index, scores, self.page.pass_mark)
            self.app.progress_changed()
            self.notify(f"Quiz score {round(result.last * 100)}% (best {round(result.best * 100)}%).")
            self.post_message(PageDone())

    def _show_feedback_and_focus(self, answered: QuestionView) -> None:
        """Bring the verdict into view, then the next question, and always the focused answer box.

        Each scroll is the least that shows its widget, so the verdict stays in view when there is
        room; when there is not, the question being answered wins (keys must land where they show).
        """
        scroller = self.scroller()
        scroller.scroll_to_widget(answered.query_one("#feedback"), animate=False)
        focused = self.screen.focused
        if focused is None:
            return
        question = next((q for q in focused.ancestors if isinstance(q, QuestionView)), None)
        if question is not None and question is not answered:
            scroller.scroll_to_widget(question, animate=False)
            scroller.scroll_to_widget(focused, animate=False)

    def _report(self) -> None:
        answered = len(self.scores)
        status = f"{answered}/{self.asked} answered"
        if answered:
            status += f" · score {round(sum(self.scores.values()) / max(self.asked, 1) * 100)}% · ctrl+r try again"
        self.status = status


GAVE_UP = Verdict(False, "Skipped: here is the solution.", SKIPPED)


def _attempted(item: Item, answer: Answer) -> Attempted | None:
    """An answer kept from the current attempt, judged again on the same question; None if it no longer reads."""
    if not answer.given:  # given up on (ctrl+g)
        return Attempted("", GAVE_UP, answer.hints)
    given: str | list[str] = answer.given
    if item.question.answered_with == "factors":
        given = [factor for factor in answer.given.split(" · ") if factor]
    try:
        verdict = item.check(given)
    except (AnswerFormError, TypeError):
        return None
    return Attempted(answer.given, verdict, answer.hints)
