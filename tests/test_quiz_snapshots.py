"""What quiz mode looks like: a numeric question (with its network drawn when there is room), a wrong
answer's worked solution, the score screen.

Deterministic: fixed seeds, the tour lesson only, no blinking cursor, no animation, no clock, and a
fresh progress folder for each test (see conftest.py). Plain `def` tests: snap_compare runs the app itself.
"""

from __future__ import annotations

import pytest

from engine.numbers import fmt
from tests.quizhelp import FIXTURE, fixture_lessons, right_answer, wrong_answer
from tests.test_quiz_screens import answer
from tutor.quiz import HALF_FORGOTTEN
from tutor.screens.quiz import QuizApp
from tutor.widgets.question import QuestionView

SIZE = (100, 34)
SEED = 5  # the tour quiz in the order numeric, symbolic, true/false, multiple choice, chain


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch):
    monkeypatch.setattr(QuestionView, "cursor_blink", False)


def quiz_app() -> QuizApp:
    app = QuizApp(fixture_lessons().lessons, lesson_id=FIXTURE, seed=SEED)
    app.animation_level = "none"
    return app


def test_snapshot_a_numeric_question(snap_compare):
    async def hint(pilot):
        await pilot.pause()
        await pilot.press("ctrl+t")

    assert snap_compare(quiz_app(), terminal_size=SIZE, run_before=hint)


def test_snapshot_a_numeric_question_on_a_tall_terminal_draws_the_network(snap_compare):
    assert snap_compare(quiz_app(), terminal_size=(100, 46))


def test_snapshot_a_numeric_question_at_the_usual_120_by_36_draws_the_network_tighter(snap_compare):
    async def settle(pilot):
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(quiz_app(), terminal_size=(120, 36), run_before=settle)


def test_snapshot_a_wrong_numeric_answer_with_its_worked_solution(snap_compare):
    async def slip(pilot):
        await pilot.pause()
        view = pilot.app.screen.query_one(QuestionView)
        await answer(pilot, view, fmt(view.item.slip(HALF_FORGOTTEN).value))

    assert snap_compare(quiz_app(), terminal_size=SIZE, run_before=slip)


def test_snapshot_the_score_screen(snap_compare):
    async def play(pilot):
        await pilot.pause()
        for plan in ("hint", "wrong", "right", "right", "wrong"):
            view = pilot.app.screen.query_one(QuestionView)
            if plan == "hint":
                view.action_hint()
            await answer(pilot, view, wrong_answer(view.item) if plan == "wrong" else right_answer(view.item))
            await pilot.press("enter")
            await pilot.pause()

    assert snap_compare(quiz_app(), terminal_size=SIZE, run_before=play)
