"""Spaced review: the questions due today as a quiz session (`bptutor quiz --due`), and the schedule in words.

A due card is a lesson's quiz question, asked again (a numeric one with new numbers), or a term the
learner missed predicting on a trace or unroll page, asked as a numeric question of its own on that
page's network with freshly drawn weights ("compute ∂E/∂n₃ for this network"). Cards whose lesson,
page or question is no longer installed are left on the schedule, untouched.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from tutor.kinds import NumericQuestion, QuizPage
from tutor.kinds.pages.trace import SteppedPage
from tutor.lessons.model import Lesson
from tutor.progress import Progress, Review
from tutor.quiz.session import QuizSession, Source


def due_session(
    lessons: Sequence[Lesson], progress: Progress, seed: int | None = None, day: date | None = None
) -> QuizSession:
    """A session of the cards due on `day` (default today), in a shuffled order."""
    by_id = {lesson.id: lesson for lesson in lessons}
    sources: list[Source] = []
    reviews: dict[tuple[str, int, int], str] = {}
    asked_on_page: dict[tuple[str, int], int] = {}
    for card in progress.due(day):
        lesson = by_id.get(card.lesson)
        page = lesson.pages[card.page] if lesson is not None and card.page < len(lesson.pages) else None
        if card.kind == "quiz" and isinstance(page, QuizPage) and card.question is not None:
            if card.question < len(page.questions):
                sources.append(Source(lesson, page, page.questions[card.question]))
        elif card.kind == "predict" and isinstance(page, SteppedPage) and card.term:
            n = asked_on_page.get((lesson.id, page.index), 0)
            asked_on_page[(lesson.id, page.index)] = n + 1
            sources.append(Source(lesson, page, _predict_question(page, card, n)))
            reviews[(lesson.id, page.index, n)] = card.key
    random.Random(seed).shuffle(sources)
    return QuizSession.of(sources, seed, progress, reviews)


def _predict_question(page: SteppedPage, card: Review, index: int) -> NumericQuestion:
    """A missed prediction as a numeric question: the same term of the page's network, with new weights."""
    where = f"You missed it on “{page.title}”."
    return NumericQuestion(
        index=index,
        prompt=f"Compute **{card.symbol or card.term}** for this network (its weights are drawn afresh). {where}",
        network=page.network,
        term=card.term,
        pattern=page.example,
        origin=page.origin,
    )
