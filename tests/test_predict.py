"""Predict-then-reveal on trace and unroll pages: `=` asks for the next term, predict mode asks before each →,
a page can ask some kinds only; right, wrong (with the slip named) and not-a-number verdicts; hints."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from engine.numbers import fmt
from tests.app_support import make_app, open_page, settle, test_lessons  # noqa: F401 (a fixture)
from tutor.lessons import load_lesson
from tutor.widgets.predict import PredictBox, PredictInput, close, judge, read_prediction

SIZE = (120, 36)
PREDICT_LESSON = Path(__file__).parent / "data" / "predict"


def box_of(view) -> PredictBox:
    return view.query_one(PredictBox)


def verdict(view) -> str:
    return str(view.query_one("#predict-verdict", Static).render())


async def predict(pilot, view, text: str) -> None:
    """Open the box with =, type the text and press enter."""
    await pilot.press("equals_sign")
    await pilot.pause()
    view.query_one(PredictInput).value = text
    await pilot.press("enter")
    await pilot.pause()


async def ready_trace(pilot, page: str = "trace"):
    view = await open_page(pilot, page)
    box = box_of(view)
    await settle(pilot, lambda: not any(w.group == "predict" and w.is_running for w in view.workers))
    return view, box


def test_tolerance_is_half_a_percent_or_1e_4_near_zero_and_expressions_of_numbers_are_read():
    assert close(1.004, 1.0) and not close(1.006, 1.0)
    assert close(0.00009, 0.0) and not close(0.0002, 0.0)
    assert read_prediction("0.5*0.3") == 0.15
    assert abs(read_prediction("1/(1+e^(-0.38))") - 0.5938731) < 1e-6  # σ(0.38)
    assert read_prediction("−2.5e−2") == -0.025


async def test_a_right_prediction_reveals_the_term_and_is_counted(test_lessons):  # noqa: F811
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await ready_trace(pilot)
        player = view.player
        before = player.position
        term = player.terms[before]
        await pilot.press("equals_sign")
        await pilot.pause()
        assert box.asking and box.term is term and app.focused is view.query_one(PredictInput)
        assert player.position == before  # nothing revealed yet
        assert view.query_one("#diagram").state.current.units == frozenset(term.units)  # what it involves, lit
        view.query_one(PredictInput).value = f"{term.value:.6f}"
        await pilot.press("enter")
        await pilot.pause()
        assert player.position == before + 1 and player.current is term
        assert verdict(view).startswith("✓ Right") and box.has_class("-right") and not box.asking
        assert app.progress.predictions() == {term.kind: (1, 1)}
        assert app.progress.reviews() == []


async def test_a_wrong_prediction_names_its_slip_and_enters_the_review(test_lessons):  # noqa: F811
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await ready_trace(pilot)
        player = view.player
        player.to_end_of("forward")
        view._show()
        term = player.terms[player.position]  # the first backward term: ∂E/∂a of the output, −(t − a)
        assert term.kind == "dE_da"
        await predict(pilot, view, fmt(-term.value))
        assert "Not quite" in verdict(view) and "Likely slip: sign flipped" in verdict(view)
        assert box.has_class("-wrong") and player.current is term  # revealed all the same
        (card,) = app.progress.reviews()
        assert (card.kind, card.term, card.box, card.term_kind) == ("predict", term.id, 1, "dE_da")
        assert app.progress.predictions() == {"dE_da": (1, 0)}


async def test_a_half_forgotten_slip_is_named_too(test_lessons):  # noqa: F811
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, _ = await ready_trace(pilot)
        player = view.player
        player.seek(player.index(next(t.id for t in player.terms if t.kind == "dE_da")))
        view._show()
        term = player.terms[player.position]
        await predict(pilot, view, fmt(2 * term.value))
        assert "½" in verdict(view) and "Likely slip" in verdict(view)


async def test_text_that_is_not_a_number_keeps_the_box_and_counts_nothing(test_lessons):  # noqa: F811
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await ready_trace(pilot)
        before = view.player.position
        await predict(pilot, view, "about a half")
        assert verdict(view).startswith("Not a number") and box.asking
        assert view.query_one(PredictInput).value == "about a half"
        assert view.player.position == before and app.progress.predictions() == {}
        await pilot.press("h")  # a hint: the rule in symbols, then the numbers
        await pilot.pause()
        term = box.term
        assert verdict(view).startswith(f"Hint: {term.symbol} = {term.formula}") and term.expression not in verdict(
            view
        )
        await pilot.press("h")
        await pilot.pause()
        assert term.expression in verdict(view)
        assert view.query_one(PredictInput).value == "about a half"  # h asked for a hint, it typed nothing
        await pilot.press("escape")  # closes, revealing nothing
        await pilot.pause()
        assert not box.display and view.player.position == before and app.screen is view.screen


async def test_predict_mode_asks_every_term_of_a_whole_backward_pass(test_lessons):  # noqa: F811
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await ready_trace(pilot)
        player = view.player
        player.to_end_of("forward")
        view._show()
        await pilot.press("a")
        await pilot.pause()
        assert app.progress.setting("predict") is True
        backward = [t for t in player.terms if t.phase == "backward"]
        asked = []
        while player.terms[player.position].phase == "backward":
            await pilot.press("right")
            await pilot.pause()
            assert box.asking and player.current is not box.term
            asked.append(box.term)
            view.query_one(PredictInput).value = repr(box.term.value)
            await pilot.press("enter")
            await pilot.pause()
            assert verdict(view).startswith("✓ Right")
        assert asked == backward
        assert sum(a for a, _ in app.progress.predictions().values()) == len(backward)
        assert all(a == r for a, r in app.progress.predictions().values())
        await pilot.press("left", "right")  # a term already asked is not asked again
        await pilot.pause()
        assert not box.asking


async def test_escape_then_right_reveals_without_asking_again(test_lessons):  # noqa: F811
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await ready_trace(pilot)
        await pilot.press("a", "right")
        await pilot.pause()
        assert box.asking and view.player.position == 0
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert view.player.position == 1 and not box.asking and app.progress.predictions() == {}


async def test_a_page_asks_only_the_kinds_it_names(monkeypatch):
    monkeypatch.setattr("tutor.lessons.discover.bundled_dir", lambda: PREDICT_LESSON)
    lesson = load_lesson(PREDICT_LESSON / "predict.toml")
    assert lesson.pages[0].predict == ("dE_dn", "dE_dw")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("predict", 0)
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        box = box_of(view)
        player = view.player
        asked = []
        while not player.at_end:
            await pilot.press("right")
            await pilot.pause()
            if box.asking:
                asked.append(box.term.kind)
                view.query_one(PredictInput).value = "0"
                await pilot.press("enter")
                await pilot.pause()
        expected = [t.kind for t in player.terms if t.kind in ("dE_dn", "dE_dw")]
        assert asked == expected and set(asked) == {"dE_dn", "dE_dw"}
        assert app.progress.setting("predict") is None  # the page's own mode, not the learner's


def test_a_page_naming_an_unknown_kind_is_a_problem(tmp_path):
    from tutor.lessons import discover_lessons

    text = (PREDICT_LESSON / "predict.toml").read_text().replace('"dE_dw"]', '"dEdw"]')
    (tmp_path / "bad.toml").write_text(text)
    found = discover_lessons([tmp_path])
    assert any("'dEdw', not a term kind" in str(p) and "dE_dw" in str(p) for p in found.problems)


async def test_predicting_on_an_unroll_page(test_lessons):  # noqa: F811
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, _ = await ready_trace(pilot, "unroll")
        term = view.player.terms[0]
        await predict(pilot, view, repr(term.value))
        assert verdict(view).startswith("✓ Right") and view.player.current is term


def test_judging_without_slips_says_only_not_quite():
    lesson = load_lesson(PREDICT_LESSON / "predict.toml")
    from engine.kinds import kind_of
    from tutor.lessons.networks import load_ref

    trace = kind_of(load_ref(lesson.pages[0].network)).trace(0)
    term = trace.terms[0]
    wrong = judge("12345", term, {})
    assert not wrong.right and wrong.slip is None and "Likely slip" not in wrong.message


def test_the_answer_box_on_a_trace_page(snap_compare, test_lessons):  # noqa: F811
    async def run_before(pilot) -> None:
        pilot.app.open_lesson("basics", 1)
        await pilot.pause()
        await pilot.pause()
        await pilot.press("f", "equals_sign")
        await pilot.pause()
        for box in pilot.app.screen.query(PredictInput):
            box.cursor_blink = False
        await pilot.press(*"0.1")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=run_before)


def test_a_wrong_prediction_with_its_slip(snap_compare, test_lessons):  # noqa: F811
    async def run_before(pilot) -> None:
        pilot.app.open_lesson("basics", 1)
        await pilot.pause()
        await pilot.pause()
        await pilot.press("f")
        view = pilot.app.screen.view
        term = view.player.terms[view.player.position]
        await pilot.press("equals_sign")
        await pilot.pause()
        view.query_one(PredictInput).value = fmt(-term.value)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=run_before)
