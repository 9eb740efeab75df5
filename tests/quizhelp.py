"""Right and wrong answers to any generated quiz item, for the session and screen tests."""

from __future__ import annotations

from pathlib import Path

from engine.numbers import fmt
from tutor.lessons import Found, Lesson, discover_lessons
from tutor.quiz.generate import LETTERS, Item

QUIZ_LESSONS = Path(__file__).parent / "data" / "quiz"
FIXTURE = "quiz-fixture"  # the tour as it was: five questions, one of each kind (tests/data/quiz)


def lessons() -> Found:
    return discover_lessons()


def fixture_lessons() -> Found:
    """The bundled lessons and the quiz engine's fixture lesson, FIXTURE."""
    return discover_lessons([QUIZ_LESSONS])


def quiz_lesson() -> Lesson:
    """The quiz engine's fixture lesson (its quiz is page 3)."""
    return fixture_lessons().get(FIXTURE)


def right_answer(item: Item) -> str | list[str]:
    if item.kind == "chain":
        return list(item.answer)
    if item.kind == "multiple_choice":
        return LETTERS[item.answer]
    if item.kind == "true_false":
        return "true" if item.answer else "false"
    if item.kind == "symbolic":
        return item.question.answer
    return fmt(item.answer)


def wrong_answer(item: Item) -> str | list[str]:
    """An answer that is wrong and names no slip (a numeric one matches no slip either)."""
    if item.kind == "chain":
        return [*item.answer[:-2], item.answer[-1], item.answer[-2]]
    if item.kind == "multiple_choice":
        return LETTERS[(item.answer + 1) % len(item.choices)]
    if item.kind == "true_false":
        return "false" if item.answer else "true"
    if item.kind == "symbolic":
        return f"({item.question.answer}) + 1"
    return fmt(3 * item.answer + 0.5)
