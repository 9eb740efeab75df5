"""Quiz pages: the page's questions one under the other, each asked and checked by a QuestionView.

Numeric and chain questions are drawn afresh (a new seed) each time the page is opened, so practice
never repeats the same numbers. The page's score is saved once every question is answered.
"""

from __future__ import annotations

import random

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from tutor.messages import PageDone
from tutor.quiz.generate import GenerationError, make_item
from tutor.screens.lesson.views import PageView
from tutor.widgets.question import QuestionView


class QuizView(PageView):
    """The questions of a quiz page; their keys (enter answers, h hints) work on the one being answered."""

    def compose(self) -> ComposeResult:
        self.scores: dict[int, float] = {}
        self.asked = 0
        rng = random.Random()
        with VerticalScroll(id="questions"):
            if self.page.text:
                yield Markdown(self.page.text, id="intro")
            for question in self.page.questions:
                try:
                    item = make_item(self.lesson, self.page, question, rng.randrange(2**31))
                except GenerationError as err:
                    yield Static(Text(f"Question {question.index + 1} cannot be asked: {err}", style="red"))
                    continue
                self.asked += 1
                yield QuestionView(item, classes="question")

    def on_mount(self) -> None:
        self._report()

    def take_focus(self) -> None:
        for view in self.query(QuestionView):
            view.focus_answer()
            return
        self.focus()

    def scroller(self) -> VerticalScroll:
        return self.query_one("#questions", VerticalScroll)

    @on(QuestionView.Answered)
    def _answered(self, event: QuestionView.Answered) -> None:
        event.stop()
        self.scores[event.item.index] = event.score
        self._report()
        views = list(self.query(QuestionView))
        following = views[views.index(event.view) + 1 :]
        if following:
            following[0].focus_answer()
            self.call_after_refresh(self.scroller().scroll_to_widget, event.view.query_one("#feedback"))
        if len(self.scores) == self.asked:
            scores = [self.scores.get(q.index, 0.0) for q in self.page.questions]
            result = self.progress.record_quiz(self.lesson.id, self.page.index, scores, self.page.pass_mark)
            self.app.progress_changed()
            self.notify(f"Quiz score {round(result.last * 100)}% (best {round(result.best * 100)}%).")
            self.post_message(PageDone())

    def _report(self) -> None:
        self.status = f"{len(self.scores)}/{self.asked} answered"
