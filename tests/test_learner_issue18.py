"""Issue 18, what a learner hits: each bug driven through the app as a learner meets it (Pilot)."""

from __future__ import annotations

import re

from textual.widgets import Static

from engine.numbers import fmt
from tests.app_support import make_app, settle
from tests.quizhelp import lessons
from tests.test_quiz_screens import plain, tour_app
from tutor.quiz.generate import make_item
from tutor.widgets.question import ChainPicker, QuestionView


async def open_bundled(pilot, lesson: str, page: int):
    pilot.app.open_lesson(lesson, page)
    await pilot.pause()
    await pilot.pause()
    return pilot.app.screen.view


# -- B3: what a train page's text says a key does, the key does ----------------------------------


async def test_b3_a_page_that_says_run_one_pass_names_the_key_that_runs_one_pass():
    """Delta and Hebb, "Hebb on overlapping patterns" and "When the two rules agree": one pass, the tss quoted."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        for title, quoted in (("Hebb on overlapping patterns", 0.75), ("When the two rules agree", 0.0)):
            lesson = app.lesson("delta-hebb")
            page = next(p.index for p in lesson.pages if p.title == title)
            view = await open_bundled(pilot, "delta-hebb", page)
            said = re.search(r"`(\w+)`[^.:]*one\s+pass", view.page.text)
            assert said is not None, f"{title}: the text names the key for one pass"
            await pilot.press(said[1])
            await settle(pilot, lambda view=view: not view.running and view.losses, tries=100, every=0.02)
            assert len(view.losses) == 1, f"{title}: the key named runs one pass"
            assert fmt(view.losses[-1]) == fmt(quoted)


# -- B6: an unfinished chain is refused, not graded; the cursor stays where it was ---------------


async def test_b6_an_unfinished_chain_is_refused_like_an_unchosen_choice_and_the_cursor_stays():
    app = tour_app(seed=2)  # the chain question comes first
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(QuestionView)
        item = view.item
        picker = view.query_one("#factors", ChainPicker)
        first = item.choices.index(item.answer[0])
        picker.highlighted = first
        await pilot.press("space")
        await pilot.pause()
        assert picker.highlighted is not None and abs(picker.highlighted - first) <= 1, "the cursor stays near"
        await pilot.press("enter")
        await pilot.pause()
        assert not view.answered and app.screen.session.attempts == []
        assert "not finished" in plain(view.query_one("#form", Static))
        assert isinstance(app.focused, ChainPicker)


# -- B7: two slips giving the same number are both named; ε forgotten is a slip ------------------


def test_b7_a_delta_w_with_epsilon_forgotten_names_both_slips_that_give_that_number():
    """Training XOR asks Δw = −ε·∂E/∂w with ε = .5 and half-SSE: −∂E/∂w is ε forgotten and also the ½ forgotten."""
    lesson = next(x for x in lessons().lessons if x.id == "training-xor")
    page, question = next(
        (p, q) for p in lesson.pages for q in getattr(p, "questions", ()) if getattr(q, "term", "").startswith("dw.")
    )
    for seed in range(5):
        item = make_item(lesson, page, question, seed)
        assert item.network.training.learning_rate == 0.5 and item.network.loss_name == "half_sse"
        verdict = item.check(fmt(item.answer / 0.5))  # Δw without its ε
        assert not verdict.correct
        assert "ε forgotten" in verdict.slip and "½ of half-SSE forgotten" in verdict.slip, verdict.slip
