"""A lesson's quiz page: each answer saved as it is given, shown again on re-entry, focus always in view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.app_support import make_app
from tests.test_app import plain
from tutor.progress import Progress
from tutor.widgets.question import QuestionView

QUIZ_LESSONS = Path(__file__).parent / "data" / "quizpage"


@pytest.fixture(autouse=True)
def quiz_lessons(monkeypatch):
    monkeypatch.setattr("tutor.lessons.discover.bundled_dir", lambda: QUIZ_LESSONS)


async def open_quiz(pilot):
    pilot.app.open_lesson("quizpage", 0)
    await pilot.pause()
    await pilot.pause()
    return pilot.app.screen.view


def visible(pilot, widget) -> bool:
    """The widget is drawn inside the quiz page's scrolling area (not below or above it)."""
    scroller = pilot.app.screen.view.scroller()
    return widget.region.area > 0 and scroller.region.contains_region(widget.region)


async def test_one_answer_of_five_is_saved_at_once_and_shown_again_on_return():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_quiz(pilot)
        await pilot.press("down", "enter")  # question 1: "True", right
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    saved = json.loads(Progress().path.read_text(encoding="utf-8"))
    quiz = saved["lessons"]["quizpage"]["quizzes"]["0"]
    assert quiz["questions"]["0"] == {"attempts": 1, "best": 1.0, "last": 1.0}
    assert quiz["current"]["0"]["given"] == "true" and "best" not in quiz  # the page is not finished

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        row = app.screen.query_one("#lessons").get_option("lesson:quizpage").prompt
        assert "quiz 1/5 tried" in plain(row)
        view = await open_quiz(pilot)
        views = list(view.query(QuestionView))
        assert [v.answered for v in views] == [True, False, False, False, False]
        assert view.status == "1/5 answered · score 20% · ctrl+r try again"
        assert app.focused in views[1].query("#choices")  # the first question not yet answered
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.pause()
        assert [v.answered for v in view.query(QuestionView)] == [False] * 5
        assert view.status == "0/5 answered"
    assert app.progress.data["lessons"]["quizpage"]["quizzes"]["0"]["questions"]["0"]["attempts"] == 1  # kept


async def test_a_finished_page_counts_one_attempt_and_each_question_once():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_quiz(pilot)
        await pilot.press("down", "enter", "down", "down", "enter")  # true (right), false (right)
        await pilot.pause()
        await pilot.press(*"a*(1-a)", "enter")  # right
        await pilot.pause()
        await pilot.press("0", "enter")  # a number: wrong, but an answer
        await pilot.pause()
        chain = list(view.query(QuestionView))[4]
        chain._submit(list(chain.item.answer))  # the chain in the right order
        await pilot.pause()
        assert view.status == "5/5 answered · score 80% · ctrl+r try again"
    quiz = app.progress.data["lessons"]["quizpage"]["quizzes"]["0"]
    assert quiz["attempts"] == 1 and quiz["best"] == pytest.approx(0.8)
    assert {k: q["attempts"] for k, q in quiz["questions"].items()} == {str(i): 1 for i in range(5)}
    assert 0 in app.progress.data["lessons"]["quizpage"]["pages_done"]


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_after_each_answer_the_focused_answer_box_is_in_view(size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        view = await open_quiz(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert visible(pilot, app.focused), "the second question's choices"
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert type(app.focused).__name__ == "Input"
        assert visible(pilot, app.focused), "the symbolic question's answer box"
        await pilot.press(*"a*(1-a)")
        assert app.focused.value == "a*(1-a)"
        await pilot.press("enter")
        await pilot.pause()
        assert visible(pilot, app.focused), "the numeric question's answer box"
        assert list(view.query(QuestionView))[3].query_one("#answer") is app.focused
