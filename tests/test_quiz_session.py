"""Quiz sessions: choosing and mixing questions, scoring with hint costs, the missed list, the retry,
replaying an attempt from its seed, and per-lesson mastery saved with the progress and read back."""

from __future__ import annotations

import itertools
import json
import random

import pytest

from tests.quizhelp import FIXTURE, lessons, quiz_lesson, right_answer, wrong_answer
from tutor.lessons import load_lesson
from tutor.progress import Mastery, Progress
from tutor.quiz import AnswerFormError
from tutor.quiz.generate import quiz_questions
from tutor.quiz.session import HINT_COST, SKIPPED, QuizSession, Source, choose, question_score


def tour():
    return [quiz_lesson()]


def test_question_score_is_one_point_less_the_hints_never_below_zero():
    assert HINT_COST == 0.25
    assert [question_score(True, n) for n in range(6)] == [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]
    assert question_score(False, 0) == 0.0 and question_score(True, 1, hint_cost=0.1) == 0.9


def test_a_session_asks_every_kind_mixed_with_seeds_recorded():
    session = QuizSession.start(tour(), seed=1)
    kinds = [item.kind for item in session.items]
    assert sorted(kinds) == sorted(["multiple_choice", "true_false", "symbolic", "numeric", "chain"])
    assert all(item.seed is not None for item in session.items)
    again = QuizSession.start(tour(), seed=1)
    assert [(i.key, i.seed, i.answer) for i in again.items] == [(i.key, i.seed, i.answer) for i in session.items]
    other = QuizSession.start(tour(), seed=2)
    assert [i.seed for i in other.items] != [i.seed for i in session.items]
    assert not session.problems and session.count == 5 and session.round == 1


def test_asking_for_more_questions_than_written_repeats_numeric_ones_with_fresh_numbers():
    session = QuizSession.start(tour(), count=9, seed=4)
    kinds = [item.kind for item in session.items]
    assert kinds.count("numeric") == 5 and len(kinds) == 9
    numbers = [item.answer for item in session.items if item.kind == "numeric"]
    assert len(set(numbers)) == 5
    assert all(a != b for a, b in itertools.pairwise(kinds) if a != "numeric")
    assert QuizSession.start(tour(), count=2, seed=4).count == 2


def test_choose_mixes_kinds_and_spreads_them_out():
    lesson = quiz_lesson()
    pool = [Source(lesson, page, q) for page, q in quiz_questions(lesson)] * 2  # two of each kind
    for seed in range(20):
        picked = choose(pool, 5, random.Random(seed))
        assert len({s.question.kind for s in picked}) == 5  # five different kinds before any repeats
        picked = choose(pool, 10, random.Random(seed))
        kinds = [s.question.kind for s in picked]
        assert sum(a == b for a, b in itertools.pairwise(kinds)) <= 1
    assert choose([], 5, random.Random(0)) == []


def test_ten_questions_from_ten_lessons_come_one_from_each_with_kinds_mixed():
    every = lessons().lessons
    with_quiz = [lesson.id for lesson in every if quiz_questions(lesson)]
    assert len(with_quiz) == 13
    for seed in range(10):
        session = QuizSession.start(every, seed=seed)
        assert session.count == 10 and len({item.lesson_id for item in session.items}) == 10, seed
        kinds = [item.kind for item in session.items]
        assert max(kinds.count(kind) for kind in set(kinds)) <= 3 and len(set(kinds)) == 5, kinds
    twice = QuizSession.start(every, count=2 * len(with_quiz), seed=0)
    lessons_asked = [item.lesson_id for item in twice.items]
    assert all(lessons_asked.count(lesson) == 2 for lesson in with_quiz)


def answer(session: QuizSession, given, hints_used: int = 0):
    """Check an answer to the current question as the question widget does, then record it."""
    verdict = session.current.check(given)  # raises AnswerFormError before anything is recorded
    session.record(given if isinstance(given, str) else " · ".join(given), verdict, hints_used)
    return verdict


def play(session: QuizSession, answers: dict[str, str]) -> None:
    """Answer every question: 'right', 'wrong', 'hint' (one hint, then right) or 'skip', by kind."""
    while not session.finished:
        item = session.current
        plan = answers.get(item.kind, "right")
        if plan == "skip":
            session.skip()
        else:
            answer(session, wrong_answer(item) if plan == "wrong" else right_answer(item), int(plan == "hint"))
        session.advance()


def test_scoring_hints_wrong_answers_and_the_missed_list():
    session = QuizSession.start(tour(), seed=3)
    play(session, {"numeric": "hint", "symbolic": "wrong", "chain": "skip"})
    by_kind = {a.item.kind: a for a in session.attempts}
    assert by_kind["numeric"].score == 0.75 and by_kind["numeric"].hints_used == 1
    assert by_kind["multiple_choice"].score == 1.0 and by_kind["true_false"].score == 1.0
    assert by_kind["symbolic"].score == 0.0 and by_kind["chain"].score == 0.0
    assert by_kind["chain"].verdict.slip == SKIPPED
    assert session.score == 2.75 and session.finished and session.current is None
    assert sorted(a.item.kind for a in session.missed) == ["chain", "symbolic"]


def test_a_malformed_answer_is_not_an_attempt_and_the_question_stays_open():
    session = QuizSession.start(tour(), seed=3)
    while session.current.kind != "numeric":
        answer(session, right_answer(session.current))
        session.advance()
    before = len(session.attempts)
    for text in ("0,5", "__import__('os')", "", "1e999"):
        with pytest.raises(AnswerFormError):
            answer(session, text)
    assert len(session.attempts) == before and not session.answered
    answer(session, right_answer(session.current))
    assert session.attempts[-1].verdict.correct


def test_each_hint_used_costs_its_share_of_the_point():
    session = QuizSession.start(tour(), seed=3)
    while session.current.kind != "symbolic":
        answer(session, right_answer(session.current))
        session.advance()
    item = session.current
    assert len(item.hints) == 2
    answer(session, right_answer(item), hints_used=2)
    assert session.attempts[-1].score == 0.5 and session.attempts[-1].hints_used == 2


def test_order_of_operations_is_enforced():
    session = QuizSession.start(tour(), count=1, seed=0)
    with pytest.raises(RuntimeError):
        session.advance()
    answer(session, right_answer(session.current))
    with pytest.raises(RuntimeError):
        answer(session, right_answer(session.items[0]))
    assert session.advance() is None
    with pytest.raises(RuntimeError):
        session.skip()


def test_a_verdict_reached_by_the_widget_is_recorded_with_its_hints():
    session = QuizSession.start(tour(), count=1, seed=0)
    item = session.current
    attempt = session.record("x", item.check(right_answer(item)), hints_used=2)
    assert attempt.score == 0.5 and attempt.given == "x" and session.answered


def test_retry_the_missed_ones_with_fresh_numbers():
    session = QuizSession.start(tour(), seed=5)
    play(session, {"numeric": "wrong", "multiple_choice": "wrong"})
    missed = {a.item.key: a for a in session.missed}
    retry = session.retry_missed()
    assert retry.round == 2 and {item.key for item in retry.items} == set(missed)
    numeric = next(item for item in retry.items if item.kind == "numeric")
    old = next(a.item for a in session.missed if a.item.kind == "numeric")
    assert numeric.seed != old.seed and numeric.answer != old.answer and numeric.givens != old.givens
    play(retry, {})
    assert retry.score == 2 and not retry.missed
    assert retry.retry_missed().count == 0


def test_a_retried_multiple_choice_question_shuffles_its_choices_and_replays_them():
    shuffled = set()
    for seed in range(6):
        session = QuizSession.start(tour(), seed=seed)
        play(session, {"multiple_choice": "wrong"})
        (missed,) = session.missed
        assert missed.item.order == ()  # first asked as written
        retry = session.retry_missed()
        (item,) = retry.items
        assert sorted(item.choices) == sorted(missed.item.choices) and item.order
        shuffled.add(item.choices != missed.item.choices)
        play(retry, {"multiple_choice": "wrong"})
        again = retry.replay(retry.attempts[0])
        assert again.choices == item.choices and again.answer == item.answer
    assert True in shuffled


def test_an_attempt_replays_from_its_seed():
    session = QuizSession.start(tour(), seed=8)
    play(session, {"numeric": "wrong"})
    attempt = next(a for a in session.attempts if a.item.kind == "numeric")
    again = session.replay(attempt)
    assert again.seed == attempt.seed and again.answer == attempt.item.answer
    assert again.givens == attempt.item.givens and again.solution.expected == attempt.item.solution.expected


def test_mastery_is_saved_with_the_progress_and_read_back(monkeypatch):
    monkeypatch.setenv("BPTUTOR_TODAY", "2026-03-01")
    progress, _ = Progress.load()
    session = QuizSession.start(tour(), seed=6, progress=progress)
    play(session, {"numeric": "hint", "chain": "wrong"})
    assert session.save() is None
    (score,) = session.lesson_scores()
    assert (score.lesson_id, score.points, score.asked) == (FIXTURE, 3.75, 5)
    assert score.mastery == Mastery(0.75, 5, 5, False)  # pass mark 0.8, and no question right on two days

    reloaded, message = Progress.load()
    assert message is None
    lesson = tour()[0]
    assert reloaded.lesson_mastery(lesson) == Mastery(0.75, 5, 5, False)
    status = reloaded.lesson_status(FIXTURE, len(lesson.pages))
    assert status.state == "not_started" and status.score is None  # no page opened, no quiz page taken whole
    assert reloaded.lesson_overview(lesson).mastery == Mastery(0.75, 5, 5, False)
    assert reloaded.last is None  # quiz mode does not move the place to continue from

    retry = session.retry_missed()
    retry.progress = reloaded
    play(retry, {})
    assert retry.save() is None
    final, _ = Progress.load()
    # The best score of each question counts; all right, but all on one day: not mastered yet.
    assert final.lesson_mastery(lesson) == Mastery(0.95, 5, 5, False, 0)
    monkeypatch.setenv("BPTUTOR_TODAY", "2026-03-02")
    again = QuizSession.start(tour(), seed=7, progress=final)
    play(again, {})
    assert final.lesson_mastery(lesson) == Mastery(1.0, 5, 5, True, 5)  # each right again a day later
    data = json.loads(final.path.read_text(encoding="utf-8"))
    chain_page = next(item for item in session.items if item.kind == "chain")
    entry = data["lessons"][FIXTURE]["quizzes"][str(chain_page.page)]["questions"][str(chain_page.index)]
    assert entry == {"best": 1.0, "last": 1.0, "attempts": 2}


def test_unanswered_questions_count_zero_and_a_lesson_without_quizzes_has_no_mastery():
    progress = Progress()
    progress.record_answer("tour", 3, 0, 1.0)
    assert progress.mastery("tour", {3: 5}) == Mastery(0.2, 1, 5, False)
    assert progress.mastery("tour", {}) is None
    with pytest.raises(ValueError):
        progress.record_answer("tour", 3, 0, 1.5)


def test_a_question_that_cannot_be_asked_is_left_out_with_a_message(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(
        '[lesson]\nid = "broken"\ntitle = "B"\nsummary = "S"\n\n[[pages]]\nkind = "quiz"\ntitle = "Q"\n\n'
        '[[pages.questions]]\nkind = "numeric"\nprompt = "P"\nnetwork = "two_two_two.toml"\nterm = "dE/dw.nope"\n\n'
        '[[pages.questions]]\nkind = "true_false"\nprompt = "T"\nanswer = true\n',
        encoding="utf-8",
    )
    session = QuizSession.start([load_lesson(path)], seed=0)
    assert [item.kind for item in session.items] == ["true_false"]
    assert session.problems == [
        "lesson 'broken', page 1, question 1 was left out: "
        "the trace of network 'two_two_two.toml' has no term 'dE/dw.nope'"
    ]
