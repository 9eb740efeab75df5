"""A quiz page: questions of any kind (tutor/kinds/questions/), and the share of points that masters it
(tutor.screens.lesson.quiz.QuizView)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from engine.tomlfile import Problem
from tutor.lessons.model import PAGE_COMMON, Page, Question


@dataclass(kw_only=True)
class QuizPage(Page):
    kind: ClassVar[str] = "quiz"
    keys: ClassVar[tuple[str, ...]] = (*PAGE_COMMON, "questions", "pass_mark")
    questions: tuple[Question, ...]
    pass_mark: float = 0.8  # the share of the points that counts as mastering this quiz

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> QuizPage:
        questions = reader.questions(table, notation)
        pass_mark = table.number("pass_mark", low=0, high=1, above_low=True)
        return cls(**common, questions=tuple(questions), pass_mark=0.8 if pass_mark is None else pass_mark)

    def check(self, networks: Any) -> list[Problem]:
        return [problem for question in self.questions for problem in question.check(networks)]

    def asks(self) -> tuple[Question, ...]:
        return self.questions
