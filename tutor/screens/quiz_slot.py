"""Where the quiz branch plugs in: the quiz page's question views and the quiz-mode screen.

PLUG-IN POINT (quizmode): until `tutor.widgets.question.QuestionView` and
`tutor.screens.quiz.QuizScreen` are merged, the two functions below return placeholders. After the
merge, make `question_view` return `QuestionView(...)` and `quiz_screen` return `QuizScreen(...)`;
nothing else in the app needs to change. A QuestionView reports its score to the quiz page view
through `QuizView.question_answered(index, score)`.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from tutor.lessons import Lesson, Question
from tutor.screens.common import KeysFooter, TooSmall


def question_view(question: Question, number: int) -> Widget:
    """The widget that asks one question of a quiz page and checks the answer."""
    return Static(
        f"Question {number} ({question.kind.replace('_', ' ')}):\n{question.prompt.strip()}\n\n"
        "[dim](Answering questions comes with the quiz mode update.)[/]",
        classes="question-placeholder",
    )


def quiz_screen(lessons: list[Lesson], lesson_id: str | None) -> Screen:
    """Quiz mode: questions from every lesson, or from one."""
    return QuizPlaceholder(lessons, lesson_id)


class QuizPlaceholder(Screen):
    """Stands in for quiz mode until it is merged: says what it will ask."""

    BINDINGS: ClassVar = [Binding("escape", "app.home", "Lessons", id="quiz.back")]

    def __init__(self, lessons: list[Lesson], lesson_id: str | None):
        super().__init__()
        self.lessons = [lesson for lesson in lessons if lesson_id in (None, lesson.id)]

    def compose(self) -> ComposeResult:
        count = sum(len(getattr(page, "questions", ())) for lesson in self.lessons for page in lesson.pages)
        where = self.lessons[0].title if len(self.lessons) == 1 else f"{len(self.lessons)} lessons"
        yield Header(icon="∂")
        yield Static(
            f"Quiz mode: {count} questions from {where}.\n\nQuiz mode is not in this version yet. "
            "Press escape to go back to the lessons.",
            id="quiz-placeholder",
        )
        yield KeysFooter()
        yield TooSmall()
