"""Quiz mode in the app, driven by Pilot: a full session with right, wrong and malformed answers and
hints, the score, the review of the missed ones and their retry; the question widget on its own."""

from __future__ import annotations

from rich.console import Console
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, Static

from engine.numbers import fmt
from tests.quizhelp import FIXTURE, fixture_lessons, lessons, quiz_lesson, right_answer, wrong_answer
from tutor.progress import Progress
from tutor.quiz import HALF_FORGOTTEN
from tutor.quiz.generate import Item, make_item, quiz_questions
from tutor.screens.quiz import QuizApp, QuizScreen
from tutor.widgets.question import ChainPicker, QuestionView

SIZE = (100, 30)


def plain(widget: Static) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=160, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(widget.content)
    return console.export_text()


def feedback_text(view: QuestionView) -> str:
    return "\n".join(plain(w) for w in view.query("#feedback Static").results(Static))


async def answer(pilot, view: QuestionView, given: str | list[str]) -> None:
    """Answer the way a learner does: type and press enter, move to a choice, or pick factors."""
    item = view.item
    if item.kind in ("multiple_choice", "true_false"):
        index = (
            "abcdefghijklmnopqrstuvwxyz".index(given)
            if item.kind == "multiple_choice"
            else ["true", "false"].index(given)
        )
        view.query_one("#choices", OptionList).highlighted = index
        await pilot.press("enter")
    elif item.kind == "chain":
        picker = view.query_one("#factors", ChainPicker)
        for symbol in given:
            picker.highlighted = item.choices.index(symbol)
            await pilot.press("space")
        await pilot.press("enter")
    elif given.replace("−", "-").isascii():
        await pilot.press(*given.replace("−", "-"), "enter")
    else:  # Greek letters and the like: pasted rather than typed
        view.query_one("#answer", Input).value = given
        await pilot.press("enter")
    await pilot.pause()


def tour_app(seed: int = 5, **options) -> QuizApp:
    return QuizApp(fixture_lessons().lessons, lesson_id=FIXTURE, seed=seed, **options)


def status(app) -> str:
    return plain(app.screen.query_one("#quiz-status", Static)).strip()


async def test_a_full_session_with_right_wrong_and_malformed_answers_then_review_and_retry():
    app = tour_app(seed=5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        session = screen.session
        assert [i.kind for i in session.items] == ["numeric", "symbolic", "true_false", "multiple_choice", "chain"]
        assert status(app).startswith("Quiz · question 1 of 5 · score 0 / 0")

        # 1. numeric: a hint, a malformed answer (kept for editing, not counted), then the right one
        view = screen.query_one(QuestionView)
        assert isinstance(app.focused, Input)
        await pilot.press("ctrl+t")
        assert "Hint 1 of 2 (−25%)" in plain(view.query_one("#hints", Static))
        await pilot.press("0", ",", "5", "enter")
        await pilot.pause()
        box = view.query_one("#answer", Input)
        form = view.query_one("#form", Static)
        assert box.value == "0,5" and "Decimals use a point" in plain(form) and form.has_class("-error")
        assert session.attempts == [] and not view.answered
        await pilot.press("home", "ctrl+k")
        await answer(pilot, view, right_answer(view.item))
        assert session.attempts[-1].score == 0.75 and "1 hint used" in feedback_text(view)
        assert status(app).startswith("Quiz · question 1 of 5 · score 0.75 / 1")
        await pilot.press("enter")
        await pilot.pause()

        # 2. symbolic: hostile text is refused with the expected form, then a wrong answer with a slip
        view = screen.query_one(QuestionView)
        assert view.item.kind == "symbolic"
        await pilot.press(*"__import__('os')", "enter")
        await pilot.pause()
        assert view.query_one("#answer", Input).value == "__import__('os')"
        assert "Write an expression in a and n" in plain(view.query_one("#form", Static))
        assert app.is_running and session.attempts[-1].item.kind == "numeric"
        await pilot.press("end", "ctrl+u")
        await answer(pilot, view, "-a*(1-a)")
        text = feedback_text(view)
        assert "likely slip, sign flipped" in text and "Expected: a·(1 − a)" in text
        await pilot.press("enter")
        await pilot.pause()

        # 3. true/false, wrong; 4. multiple choice, right; 5. chain, wrong
        for plan in ("wrong", "right", "wrong"):
            view = screen.query_one(QuestionView)
            item = view.item
            await answer(pilot, view, wrong_answer(item) if plan == "wrong" else right_answer(item))
            assert session.attempts[-1].verdict.correct == (plan == "right")
            if item.kind == "chain":
                assert "your pick" in feedback_text(view)
            if item.kind == "true_false":
                assert "The answer: false" in feedback_text(view) or "The answer: true" in feedback_text(view)
            await pilot.press("enter")
            await pilot.pause()

        # the score, the review and the retry
        assert screen.mode == "score"
        assert "Score 1.75 / 5" in plain(screen.query_one("#score-head", Static))
        assert "35% (5 of 5 answered)" in plain(screen.query_one("#score-mastery", Static))
        await pilot.press("r")
        await pilot.pause()
        assert screen.mode == "review"
        reviewed = list(screen.query(QuestionView).results(QuestionView))
        assert [v.item.kind for v in reviewed] == ["symbolic", "true_false", "chain"]
        assert all(v.answered and v.has_class("-review") for v in reviewed)
        await pilot.press("s")
        await pilot.pause()
        assert screen.mode == "score"
        await pilot.press("t")
        await pilot.pause()
        retry = screen.session
        assert retry.round == 2 and sorted(i.kind for i in retry.items) == ["chain", "symbolic", "true_false"]
        assert status(app).startswith("Quiz · retry 1 · question 1 of 3")
        for _ in range(3):
            view = screen.query_one(QuestionView)
            await answer(pilot, view, right_answer(view.item))
            await pilot.press("enter")
            await pilot.pause()
        assert "Score 3 / 3" in plain(screen.query_one("#score-head", Static))
        assert "Nothing missed" in plain(screen.query_one("#score-keys", Static))
        assert "95% (5 of 5 answered)" in plain(screen.query_one("#score-mastery", Static))
        # every question right, but all today: mastered needs them right again on a later day
        assert "not yet" in plain(screen.query_one("#score-mastery", Static))
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_value is retry

    progress, message = Progress.load()
    assert message is None
    mastery = progress.lesson_mastery(quiz_lesson())
    assert (mastery.score, mastery.answered, mastery.mastered, mastery.spaced) == (0.95, 5, False, 0)


async def test_the_app_keeps_running_after_hostile_input_in_every_typed_question():
    hostile = ["__import__('os')", "[bold]x[/]", "1e999999", "a" * 300, "σ(σ(σ(σ(", "\\x00", "0/0", "{}"]
    app = tour_app(seed=5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        for _ in range(2):  # the numeric question, then the symbolic one
            view = screen.query_one(QuestionView)
            box = view.query_one("#answer", Input)
            for text in hostile:
                box.value = text
                await pilot.press("enter")
                await pilot.pause()
                assert app.is_running and not view.answered and box.value == text
                assert view.query_one("#form", Static).has_class("-error")
            box.value = ""
            await answer(pilot, view, right_answer(view.item))
            await pilot.press("enter")
            await pilot.pause()
        assert len(screen.session.attempts) == 2 and all(a.verdict.correct for a in screen.session.attempts)


async def test_chain_picks_can_be_taken_back_and_h_is_a_letter_while_typing():
    app = tour_app(seed=2)  # the chain question comes first
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(QuestionView)
        item = view.item
        assert item.kind == "chain" and isinstance(app.focused, ChainPicker)
        picker = view.query_one("#factors", ChainPicker)
        picker.highlighted = item.choices.index(item.answer[0])
        await pilot.press("space")
        picker.highlighted = item.choices.index(item.answer[2])
        await pilot.press("space", "backspace")
        await pilot.pause()
        assert view.picked == [item.answer[0]]
        assert "2." not in plain(view.query_one("#picked", Static))
        await pilot.press("h")
        assert view.hints_used == 1
        await answer(pilot, view, item.answer[1:])
        assert view.answered and app.screen.session.attempts[-1].score == 0.75
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.query_one(QuestionView)
        assert view.item.kind == "symbolic"
        await pilot.press("h")
        assert view.hints_used == 0 and view.query_one("#answer", Input).value == "h"
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t")  # the hint key while typing: two hints, then no more
        await pilot.pause()
        shown = plain(view.query_one("#hints", Static))
        assert view.hints_used == len(view.item.hints) == 2
        assert all(hint in shown for hint in view.item.hints) and "Hint 2 of 2" in shown
        view.query_one("#answer", Input).value = ""  # the h typed above
        await answer(pilot, view, right_answer(view.item))
        assert app.screen.session.attempts[-1].score == 0.5 and app.screen.session.attempts[-1].hints_used == 2


async def test_an_unknown_lesson_says_which_lessons_have_quizzes():
    app = QuizApp(lessons().lessons, lesson_id="no-such-lesson")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.mode == "empty"
        assert "There is no lesson 'no-such-lesson'. Lessons with quiz questions: tour" in app.screen.message
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_value is None


# -- the question widget on its own, as a lesson's quiz page mounts it ---------------------------------


class OneQuestion(App):
    def __init__(self, item: Item):
        super().__init__()
        self.item = item
        self.answers: list[QuestionView.Answered] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield QuestionView(self.item)

    def on_question_view_answered(self, message: QuestionView.Answered) -> None:
        self.answers.append(message)


def numeric_item(seed: int) -> Item:
    tour = quiz_lesson()
    page, question = next((p, q) for p, q in quiz_questions(tour) if q.kind == "numeric")
    return make_item(tour, page, question, seed)


async def test_a_wrong_numeric_answer_gets_the_worked_solution_with_the_slip_named():
    item = numeric_item(21)
    slip = item.slip(HALF_FORGOTTEN)
    app = OneQuestion(item)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(QuestionView)
        await answer(pilot, view, fmt(slip.value))
        (message,) = app.answers
        assert message.item is item and message.score == 0 and message.verdict.slip == HALF_FORGOTTEN
        text = feedback_text(view)
        assert "Likely slip: the ½ of half-SSE forgotten" in text
        assert f"yours: {fmt(slip.value)}" in text
        for term in item.solution.steps:  # every step, formula → numbers → value
            value = fmt(term.value)
            assert (f"= {term.expression} = {value}" if term.expression != value else f"= {value}") in text
        for path in item.solution.chain.paths:
            assert path.label in text and fmt(path.product) in text
        assert "Both output units send error back to h1" in text  # the lesson's explanation


async def test_a_number_matching_an_earlier_step_is_placed_beside_it():
    item = numeric_item(4)
    dE_da = item.trace["dE/da.hidden.0"]
    app = OneQuestion(item)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(QuestionView)
        await answer(pilot, view, fmt(dE_da.value))
        text = feedback_text(view)
        line = next(line for line in text.splitlines() if f"= {fmt(dE_da.value)}" in line and "◀ yours" in line)
        assert "◀ yours" in line
        assert app.answers[0].verdict.slip == "a_h1(1 − a_h1) missing"


async def test_learner_text_is_shown_as_typed_never_as_markup():
    tour = quiz_lesson()
    page, question = next((p, q) for p, q in quiz_questions(tour) if q.kind == "symbolic")
    app = OneQuestion(make_item(tour, page, question, 0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(QuestionView)
        await answer(pilot, view, "a*[b]")
        assert view.query_one("#answer", Input).value == "a*[b]" and not view.answered
        await pilot.press("end", "ctrl+u")
        await answer(pilot, view, "n + 1")
        assert "Your answer, as read: n + 1" in feedback_text(view)


async def test_a_numeric_question_draws_its_network_where_it_fits_and_keeps_the_answer_box_in_view():
    from tutor.widgets.diagram import NetworkDiagram

    for size, drawn in (((120, 36), True), ((100, 34), False), ((120, 60), True)):
        app = tour_app()  # seed 5: the numeric question comes first
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.pause()
            view = app.screen.query_one(QuestionView)
            assert view.item.kind == "numeric"
            diagram = view.query_one(".diagram", NetworkDiagram)
            assert diagram.display is drawn, size
            if drawn:
                assert diagram.mode == "full"
            body = app.screen.query_one("#quiz-body", VerticalScroll)
            box = view.query_one("#form", Static).region
            assert box.bottom <= body.region.bottom, size  # the form line under the answer box is in view
            await pilot.resize_terminal(120, 60)
            await pilot.pause()
            await pilot.pause()
            assert diagram.display, "room again: drawn again"


async def test_a_stray_enter_answers_no_choice_and_ctrl_g_gives_up_with_the_solution():
    from tutor.quiz.session import SKIPPED

    app = tour_app(seed=5)  # numeric, symbolic, true/false, multiple choice, chain
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        session = screen.session
        assert any(b.binding.action == "skip" for b in screen.active_bindings.values())
        await pilot.press("ctrl+t", "ctrl+g")  # a hint, then give up on the numeric question
        await pilot.pause()
        view = screen.query_one(QuestionView)
        attempt = session.attempts[-1]
        assert attempt.verdict.slip == SKIPPED and attempt.score == 0 and attempt.hints_used == 1
        assert view.answered and "Worked solution" in feedback_text(view)
        assert not any(b.binding.action == "skip" for b in screen.active_bindings.values())
        for _ in range(2):  # on to the true/false question, answering the symbolic one
            if not session.answered:
                await answer(pilot, screen.query_one(QuestionView), right_answer(session.current))
            await pilot.press("enter")
            await pilot.pause()
        view = screen.query_one(QuestionView)
        assert view.item.kind == "true_false"
        choices = view.query_one("#choices", OptionList)
        assert app.focused is choices and choices.highlighted is None  # nothing chosen for the learner
        await pilot.press("enter")
        await pilot.pause()
        assert not view.answered and len(session.attempts) == 2
        assert "Pick a choice first" in plain(view.query_one("#form", Static))
        await pilot.press("down", "enter")  # (the first choice, True)
        await pilot.pause()
        assert view.answered and session.attempts[-1].given == "true"
