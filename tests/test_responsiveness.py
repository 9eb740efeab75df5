"""Issue 18 "Responsiveness" and issue 13's predict box: the screen does no work it does not need (Pilot).

The timings themselves are in bench/bench_app.py; these tests check the behaviour behind them: the footer
composes its keys again only when the keys change, answers still get their feedback, and a long epoch
says it is working while keys are still answered.
"""

from __future__ import annotations

import pytest

from tests.app_support import footer_keys, make_app, open_page, settle, test_lessons  # noqa: F401 (a fixture)
from tests.quizhelp import right_answer
from tests.test_app import plain
from tests.test_quiz_screens import SIZE, answer, feedback_text, tour_app
from tutor.widgets.question import QuestionView

APP_LESSONS = pytest.mark.usefixtures("test_lessons")


def layouts(screen) -> int:
    """How many times the screen's footer has laid its keys out (it does when they change, once a frame at most)."""
    return screen.query_one("KeysFooter").layouts_made


async def test_an_answer_lays_the_footer_out_once_and_shows_its_feedback():
    """Answering moves the focus three ways (the answer box disabled, the question, the body), and each changes the
    keys: the footer lays them out once, for the keys that changed (hint and give up go, next comes)."""
    app = tour_app(seed=5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(QuestionView)
        assert "^t Hint" in footer_keys(app.screen)
        before = layouts(app.screen)
        await answer(pilot, view, right_answer(view.item))
        await pilot.pause()
        assert view.answered and "✓ Correct." in feedback_text(view)
        assert layouts(app.screen) == before + 1
        keys = footer_keys(app.screen)
        assert "⏎ Next" in keys and "^t Hint" not in keys


@APP_LESSONS
async def test_the_footer_lays_out_only_keys_that_changed_and_keeps_their_places():
    """A refresh of the bindings that leaves the keys as they are leaves the footer as it is. Opening the predict
    box (it takes the keys that type) leaves the keys it does not take where they were, in their order, and judging
    shows the page's keys again: each a single layout."""
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        view = await open_page(pilot, "trace")
        await pilot.pause()
        before = footer_keys(app.screen)
        assert "→" in before and "q Quit" in before and "J" in before  # wide enough for every key
        laid = layouts(app.screen)
        for _ in range(3):
            app.screen.refresh_bindings()
            await pilot.pause()
        view.take_focus()
        await pilot.pause()
        assert layouts(app.screen) == laid and footer_keys(app.screen) == before
        await pilot.press("equals_sign")
        await pilot.pause()
        asking = footer_keys(app.screen)
        assert layouts(app.screen) == laid + 1
        assert "→" not in asking and "q Quit" not in asking and "J" in asking and "pgdn" in asking
        kept = [key for key in asking if key in before]
        assert kept and kept == [key for key in before if key in asking]  # the keys left did not move about
        await pilot.press(*"0.5", "enter")
        await pilot.pause()
        assert layouts(app.screen) == laid + 2 and footer_keys(app.screen) == before


@APP_LESSONS
async def test_keys_are_answered_while_a_long_epoch_runs(monkeypatch):
    """While an epoch is still running (the status says "learning…"), keys still work: t hides the text, + speeds up."""
    import threading

    import engine.kinds

    release = threading.Event()
    real = engine.kinds.train

    def held(*args, **kwargs):
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine.kinds, "train", held)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "train")
        shown, speed = view.show_text, view.speed
        await pilot.press("s")
        await pilot.pause()
        try:
            assert view.running and "learning…" in plain(view.query_one("#train-status").content)
            await pilot.press("t", "plus")
            await pilot.pause()
            assert view.running
            assert view.show_text is not shown and view.speed == speed + 1
        finally:
            release.set()
        assert await settle(pilot, lambda: not view.running)
