"""Issue 18 "Responsiveness" and issue 13's predict box: the screen does no work it does not need (Pilot).

The timings themselves are in bench/bench_app.py; these tests check the behaviour behind them: the footer
composes its keys again only when the keys change, answers still get their feedback, and a long epoch
says it is working while keys are still answered.
"""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from tests.app_support import make_app, open_page, settle, test_lessons  # noqa: F401 (test_lessons is a fixture)
from tests.quizhelp import right_answer
from tests.test_app import plain
from tests.test_quiz_screens import SIZE, answer, feedback_text, tour_app
from tutor.screens.common import OneFooter
from tutor.widgets.question import QuestionView

APP_LESSONS = pytest.mark.usefixtures("test_lessons")


@pytest.fixture
def rebuilds(monkeypatch) -> list[OneFooter]:
    """Every time a footer composes its keys again, from now on."""
    done: list[OneFooter] = []
    recompose = OneFooter.recompose

    async def counted(self):
        done.append(self)
        await recompose(self)

    monkeypatch.setattr(OneFooter, "recompose", counted)
    return done


def footer_keys(screen) -> list[str]:
    """The footer's keys as shown: key and description, the keys the footer leaves out not counted."""
    return [
        f"{key.key_display} {key.description}".strip()
        for key in screen.query(FooterKey)
        if key.display and key.parent.display  # a key of a group is hidden with its group
    ]


async def test_an_answer_composes_the_footer_once_and_shows_its_feedback(rebuilds):
    """Answering moved the focus three ways (the answer box disabled, the question, the body), and each rebuilt
    the footer: once is enough, for the keys that changed (hint and give up go, next comes)."""
    app = tour_app(seed=5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(QuestionView)
        assert "^t Hint" in footer_keys(app.screen)
        rebuilds.clear()
        await answer(pilot, view, right_answer(view.item))
        await pilot.pause()
        assert view.answered and "✓ Correct." in feedback_text(view)
        assert len(rebuilds) == 1
        keys = footer_keys(app.screen)
        assert "⏎ Next" in keys and "^t Hint" not in keys


@APP_LESSONS
async def test_the_predict_box_hides_and_shows_keys_instead_of_composing_the_footer(rebuilds):
    """A refresh of the bindings that leaves the keys as they are leaves the footer as it is. Opening the predict
    box (it takes the keys that type) hides the keys it takes, judging shows them again, and neither composes
    the footer: what is shown is what composing it would show, in the order the keys were composed."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "trace")
        await pilot.pause()
        before = footer_keys(app.screen)
        assert "→" in before and "q Quit" in before
        rebuilds.clear()
        for _ in range(3):
            app.screen.refresh_bindings()
            await pilot.pause()
        view.take_focus()
        await pilot.pause()
        assert rebuilds == [] and footer_keys(app.screen) == before
        await pilot.press("equals_sign")
        await pilot.pause()
        asking = footer_keys(app.screen)
        assert rebuilds == [] and "→" not in asking and "q Quit" not in asking and "J" in asking
        await pilot.press(*"0.5", "enter")
        await pilot.pause()
        assert rebuilds == [] and footer_keys(app.screen) == before
        await pilot.press("equals_sign")
        await pilot.pause()
        assert footer_keys(app.screen) == asking
        footer = app.screen.query_one("KeysFooter")
        footer.call_later(footer.recompose)  # in the footer's own context (its keys bind to it)
        assert await settle(pilot, lambda: len(rebuilds) == 1)
        await pilot.pause()
        assert sorted(footer_keys(app.screen)) == sorted(asking)


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
