"""Quiz pages: the page's questions, each asked and checked by its own question view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll

from tutor.messages import PageDone, PageStatus
from tutor.screens.lesson.views import SCROLL_BINDINGS, PageView
from tutor.screens.quiz_slot import question_view


class QuizView(PageView):
    """The questions of a quiz page, one under the other; the score is saved once all are answered."""

    BINDINGS = SCROLL_BINDINGS

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="questions", can_focus=False):
            if self.page.text:
                from textual.widgets import Markdown

                yield Markdown(self.page.text, id="intro")
            for n, question in enumerate(self.page.questions, start=1):
                yield question_view(question, n)

    def on_mount(self) -> None:
        self.scores: dict[int, float] = {}
        self._report()

    def question_answered(self, index: int, score: float) -> None:
        """A question view reports a final score (0 to 1) for question `index` (from 0)."""
        self.scores[index] = score
        self._report()
        if len(self.scores) == len(self.page.questions):
            scores = [self.scores[i] for i in range(len(self.page.questions))]
            result = self.progress.record_quiz(self.lesson.id, self.page.index, scores, self.page.pass_mark)
            self.app.progress_changed()
            self.notify(f"Quiz score {round(result.last * 100)}% (best {round(result.best * 100)}%).")
            self.post_message(PageDone())

    def _report(self) -> None:
        total = len(self.page.questions)
        self.post_message(PageStatus(f"{len(self.scores)}/{total} answered"))

    def scroller(self) -> VerticalScroll:
        return self.query_one("#questions", VerticalScroll)
