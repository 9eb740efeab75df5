"""Spaced review: Leitner boxes moved by answers on fixed days (BPTUTOR_TODAY), quiz --due, mastery across
days, the record's migration from version 1, and the merge of review cards."""

from __future__ import annotations

import json
from datetime import date

from textual.widgets import Static

from tests.app_support import make_app, test_lessons  # noqa: F401 (a fixture)
from tests.quizhelp import lessons, right_answer, wrong_answer
from tests.test_quiz_screens import answer
from tutor import progress as progress_module
from tutor.progress import INTERVALS, VERSION, Progress, merge_learning, review_summary, today
from tutor.quiz.review import due_session
from tutor.widgets.question import QuestionView


def on(monkeypatch, day: str) -> None:
    monkeypatch.setenv("BPTUTOR_TODAY", day)


def card(progress: Progress, key: str) -> tuple[int, str]:
    entry = progress.data["reviews"][key]
    return entry["box"], entry["due"]


def test_today_is_fixed_by_the_environment_and_a_bad_value_is_named(monkeypatch):
    on(monkeypatch, "2026-03-01")
    assert today() == date(2026, 3, 1) and progress_module.today_problem() is None
    on(monkeypatch, "March 1st")
    assert today() == date.today()
    assert "BPTUTOR_TODAY should be a date written YYYY-MM-DD" in progress_module.today_problem()


def test_right_answers_move_a_question_up_the_boxes_and_a_wrong_one_back_to_the_first(monkeypatch):
    assert INTERVALS == (0, 1, 3, 7, 21)
    progress = Progress()
    key = "quiz:tour:3:0"
    days = ["2026-03-01", "2026-03-02", "2026-03-05", "2026-03-12", "2026-04-02"]
    # Right each day it is due: box 2 (1 day), 3 (3 days), 4 (7 days), 5 (21 days), and 5 stays the top.
    expected = [(2, "2026-03-02"), (3, "2026-03-05"), (4, "2026-03-12"), (5, "2026-04-02"), (5, "2026-04-23")]
    for day, after in zip(days, expected, strict=True):
        on(monkeypatch, day)
        assert [r.key for r in progress.due()] == ([key] if day != days[0] else [])
        progress.record_answer("tour", 3, 0, 1.0)
        assert card(progress, key) == after
        assert progress.due() == []
    on(monkeypatch, "2026-04-23")
    progress.record_answer("tour", 3, 0, 0.0)  # wrong: back to box 1, due again the same day (interval 0)
    assert card(progress, key) == (1, "2026-04-23")
    assert [r.key for r in progress.due()] == [key]
    assert progress.next_due(date(2026, 4, 22)) == date(2026, 4, 23)


def test_a_prediction_missed_on_a_trace_page_becomes_a_card_and_the_counts_are_kept(monkeypatch):
    on(monkeypatch, "2026-03-01")
    progress = Progress()
    progress.record_prediction("basics", 1, "dE/dn.hidden.0", "∂E/∂n_h1", "dE_dn", right=True)
    assert progress.reviews() == []  # a right first guess adds no card
    progress.record_prediction("basics", 1, "dE/dw.hidden.0.0", "∂E/∂w_1", "dE_dw", right=False)
    (missed,) = progress.reviews()
    assert (missed.kind, missed.lesson, missed.page, missed.term, missed.box, missed.due) == (
        "predict",
        "basics",
        1,
        "dE/dw.hidden.0.0",
        1,
        date(2026, 3, 1),
    )
    progress.record_review(missed.key, True)
    assert progress.reviews()[0].box == 2
    assert progress.predictions() == {"dE_dn": (1, 1), "dE_dw": (1, 0)}
    summary = review_summary(progress)
    assert summary["today"] == "2026-03-01" and summary["due_today"] == 0 and summary["next_due"] == "2026-03-02"
    assert summary["scheduled"] == [
        {
            "id": "predict:basics:1:dE/dw.hidden.0.0",
            "kind": "predict",
            "lesson": "basics",
            "page": 1,
            "box": 2,
            "due": "2026-03-02",
            "term": "dE/dw.hidden.0.0",
            "symbol": "∂E/∂w_1",
            "term_kind": "dE_dw",
        }
    ]
    assert summary["predictions"] == {"dE_dn": {"asked": 1, "right": 1}, "dE_dw": {"asked": 1, "right": 0}}


# A record as the current release (format 1) writes it: every kind of entry it has.
VERSION_1_FILE = {
    "version": 1,
    "last": {"lesson": "tour", "page": 3, "step": None},
    "lessons": {
        "tour": {
            "page": 3,
            "pages_done": [0, 1],
            "steps": {"1": 4},
            "patterns": {"1": 2},
            "quizzes": {
                "3": {
                    "best": 0.5,
                    "last": 0.5,
                    "attempts": 1,
                    "mastered": False,
                    "questions": {"0": {"best": 1.0, "last": 1.0, "attempts": 1}},
                    "current": {"0": {"given": "0.57", "seed": 7, "hints": 1, "score": 0.75}},
                }
            },
        },
        "an-instructors-lesson": {"page": 2, "done": True},
    },
    "theme": "dark",
}


def test_a_version_1_file_migrates_on_load_and_loses_nothing(monkeypatch):
    on(monkeypatch, "2026-03-01")
    assert VERSION == 2
    path = progress_module.progress_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(VERSION_1_FILE), encoding="utf-8")
    progress, message = Progress.load()
    assert message is None
    assert progress.data == {**VERSION_1_FILE, "version": 2}
    assert progress.step("tour", 1) == 4 and progress.pattern("tour", 1) == 2
    assert progress.quiz_result("tour", 3).questions[0].best == 1.0
    progress.record_answer("tour", 3, 1, 1.0)  # answered from now on: enters the schedule
    assert progress.save() is None
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["version"] == 2 and written["theme"] == "dark"
    assert written["lessons"]["an-instructors-lesson"] == {"page": 2, "done": True}
    assert (
        written["lessons"]["tour"]["quizzes"]["3"]["current"]
        == VERSION_1_FILE["lessons"]["tour"]["quizzes"]["3"]["current"]
    )
    assert list(written["reviews"]) == ["quiz:tour:3:1"]


def test_a_damaged_review_card_is_named():
    path = progress_module.progress_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 2, "lessons": {}, "reviews": {"x": {"box": 9, "due": "2026-03-01"}}}))
    progress, message = Progress.load()
    assert "review 'x' is not a review card" in message and progress.reviews() == []


def test_two_processes_keep_each_others_cards_and_the_later_review_wins(monkeypatch):
    on(monkeypatch, "2026-03-01")
    one, _ = Progress.load()
    one.record_answer("tour", 3, 0, 1.0)
    assert one.save() is None
    other, _ = Progress.load()
    on(monkeypatch, "2026-03-02")
    other.record_answer("tour", 3, 0, 1.0)  # box 3, seen on the 2nd
    other.record_prediction("basics", 1, "n.hidden.0", "n_h1", "net_input", right=False)
    assert other.save() is None
    one.record_answer("tour", 3, 1, 0.0)  # the first process, still open, answers another question
    assert one.save() is None
    merged, _ = Progress.load()
    assert card(merged, "quiz:tour:3:0") == (3, "2026-03-05")
    assert card(merged, "quiz:tour:3:1") == (1, "2026-03-02")
    assert "predict:basics:1:n.hidden.0" in merged.data["reviews"]
    assert merged.predictions() == {"net_input": (1, 0)}
    first = merged.data["reviews"]["quiz:tour:3:0"]
    assert (first["first_right"], first["last_right"]) == ("2026-03-01", "2026-03-02")


def test_a_record_brought_back_merges_cards_and_counts_and_merging_twice_changes_nothing():
    mine = {
        "reviews": {"a": {"box": 2, "due": "2026-03-03", "seen": "2026-03-02", "first_right": "2026-03-02"}},
        "predictions": {"dE_dn": {"asked": 3, "right": 1}},
    }
    theirs = {
        "reviews": {
            "a": {"box": 4, "due": "2026-03-08", "seen": "2026-03-01", "first_right": "2026-02-20"},
            "b": {"box": 1, "due": "2026-03-01", "seen": "2026-03-01"},
        },
        "predictions": {"dE_dn": {"asked": 2, "right": 2}, "dE_dw": {"asked": 1, "right": 0}},
    }
    merged = merge_learning(mine, theirs)
    assert merged["reviews"]["a"] == {
        "box": 2,
        "due": "2026-03-03",
        "seen": "2026-03-02",
        "first_right": "2026-02-20",
    }
    assert merged["reviews"]["b"] == theirs["reviews"]["b"]
    assert merged["predictions"] == {"dE_dn": {"asked": 3, "right": 2}, "dE_dw": {"asked": 1, "right": 0}}
    assert merge_learning(merged, theirs) == merged


def test_the_due_session_asks_the_due_questions_numeric_ones_with_new_numbers(monkeypatch):
    tour = [lessons().get("tour")]
    on(monkeypatch, "2026-03-01")
    progress = Progress()
    first = due_session(tour, progress, seed=1)
    assert first.count == 0  # nothing scheduled yet
    from tutor.quiz.session import QuizSession

    session = QuizSession.start(tour, seed=4, progress=progress)
    numbers = {}
    while not session.finished:
        item = session.current
        numbers[item.key] = item.answer
        given = wrong_answer(item) if item.kind in ("numeric", "chain") else right_answer(item)
        given_text = given if isinstance(given, str) else " · ".join(given)
        session.record(given_text, item.check(given))
        session.advance()
    missed = {a.item.key for a in session.missed}
    assert sorted(r.key for r in progress.due()) == sorted(f"quiz:{k[0]}:{k[1]}:{k[2]}" for k in missed)
    review = due_session(tour, progress, seed=2)
    assert {item.key for item in review.items} == missed
    numeric = next(item for item in review.items if item.kind == "numeric")
    assert numeric.answer != numbers[numeric.key]  # drawn afresh
    on(monkeypatch, "2026-03-02")
    assert {item.key for item in due_session(tour, progress, seed=3).items} == set(numbers)  # the right ones: +1 day


def test_a_missed_prediction_comes_back_as_a_numeric_question_on_that_network(monkeypatch, test_lessons):  # noqa: F811
    from tutor.lessons import discover_lessons

    basics = discover_lessons().get("basics")
    on(monkeypatch, "2026-03-01")
    progress = Progress()
    progress.record_prediction("basics", 1, "dE/dw.hidden.0.0", "∂E/∂w_1", "dE_dw", right=False)
    session = due_session([basics], progress, seed=5)
    (item,) = session.items
    assert item.kind == "numeric" and "∂E/∂w_1" in item.prompt and "One hidden unit" in item.prompt
    assert item.trace["dE/dw.hidden.0.0"].value == item.answer
    session.record(right_answer(item), item.check(right_answer(item)))
    assert card(progress, "predict:basics:1:dE/dw.hidden.0.0") == (2, "2026-03-02")
    assert progress.quiz_result("basics", 1) is None  # not recorded as a quiz of the trace page


SIZE = (100, 32)


def two_due(monkeypatch) -> None:
    """A saved record with two cards due on 2026-03-01: a missed quiz question and a missed prediction."""
    on(monkeypatch, "2026-03-01")
    progress = Progress()
    progress.record_answer("basics", 5, 0, 0.0)
    progress.record_prediction("basics", 1, "dE/dn.hidden.0", "∂E/∂n_h1", "dE_dn", right=False)
    assert progress.save() is None


async def test_quiz_due_with_nothing_due_says_when_and_offers_a_normal_session(monkeypatch, test_lessons):  # noqa: F811
    on(monkeypatch, "2026-03-01")
    progress = Progress()
    progress.record_answer("basics", 5, 0, 1.0)
    assert progress.save() is None
    app = make_app(start_in_quiz=True, quiz_due=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.mode == "empty"
        text = str(screen.query_one(".empty", Static).render())
        assert "Nothing is due for review today; the next is due on 2026-03-02 (in 1 day)." in text
        await pilot.press("enter")
        await pilot.pause()
        assert screen.mode == "question" and not screen.due and screen.session.count == 1


async def test_quiz_due_asks_the_due_ones_and_moves_them_up_a_box(monkeypatch, test_lessons):  # noqa: F811
    two_due(monkeypatch)
    app = make_app(start_in_quiz=True, quiz_due=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.mode == "question" and screen.session.count == 2
        assert str(screen.query_one("#quiz-status", Static).render()).startswith("Quiz · review · question 1 of 2")
        for _ in range(2):
            view = screen.query_one(QuestionView)
            await answer(pilot, view, right_answer(view.item))
            assert screen.session.attempts[-1].verdict.correct
            await pilot.press("enter")
            await pilot.pause()
        assert screen.mode == "score"
    assert [(r.key, r.box, r.due) for r in app.progress.reviews()] == [
        ("predict:basics:1:dE/dn.hidden.0", 2, date(2026, 3, 2)),
        ("quiz:basics:5:0", 2, date(2026, 3, 2)),
    ]


async def test_the_home_screen_says_how_many_are_due(monkeypatch, test_lessons):  # noqa: F811
    two_due(monkeypatch)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = app.screen.query_one("#lessons").get_option("review").prompt
        from rich.console import Console

        console = Console(width=80, record=True)
        console.print(row)
        assert "Review: 2 questions due today" in console.export_text()
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.due and app.screen.session.count == 2


def test_home_with_questions_due(snap_compare, monkeypatch, test_lessons):  # noqa: F811
    two_due(monkeypatch)
    assert snap_compare(make_app(), terminal_size=(80, 30))


def test_quiz_due_on_the_command_line_and_a_bad_today_is_a_usage_error(monkeypatch, capsys):
    from tutor.cli.parser import build_parser, main

    assert build_parser().parse_args(["quiz", "--due"]).due is True
    on(monkeypatch, "2026-13-01")
    assert main(["quiz", "--due"]) == 2
    assert "BPTUTOR_TODAY should be a date written YYYY-MM-DD" in capsys.readouterr().err
