"""The kinds of page and question (tutor/kinds/): every kind says what it needs, and a new kind is one
class registered in tutor.kinds, read, checked, asked and judged with no other module edited."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

import tutor.kinds
from engine.tomlfile import read_toml
from tutor.kinds import PAGES, QUESTIONS
from tutor.lessons import load_lesson
from tutor.lessons.model import PAGE_COMMON, QUESTION_COMMON, Page, Question
from tutor.lessons.validate import check_lesson
from tutor.quiz.check import Verdict
from tutor.quiz.generate import Solution, make_item, quiz_questions


def test_every_kind_is_registered_under_its_own_name_with_the_common_keys():
    assert list(PAGES) == ["text", "trace", "unroll", "train", "quiz", "descent", "clusters", "square"]
    assert list(QUESTIONS) == ["multiple_choice", "true_false", "symbolic", "numeric", "chain"]
    for name, page in PAGES.items():
        assert issubclass(page, Page) and page.kind == name
        assert page.keys[: len(PAGE_COMMON)] == PAGE_COMMON
    for name, question in QUESTIONS.items():
        assert issubclass(question, Question) and question.kind == name
        assert question.keys[: len(QUESTION_COMMON)] == QUESTION_COMMON
        assert question.answered_with in ("text", "choice", "factors") and question.title
    assert [q.kind for q in QUESTIONS.values() if q.repeatable] == ["numeric"]
    assert [q.kind for q in QUESTIONS.values() if q.answered_with == "choice"] == ["multiple_choice", "true_false"]


@dataclass(kw_only=True)
class ParityQuestion(Question):
    """A made-up kind: is `number` even? Only this class and its registration exist for it."""

    kind: ClassVar[str] = "parity"
    keys: ClassVar[tuple[str, ...]] = (*QUESTION_COMMON, "number")
    title: ClassVar[str] = "Even or odd"
    number: int

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> ParityQuestion:
        number = table.whole("number", low=0)
        if number is None:
            table.missing("number")
        return cls(**common, number=number or 0)

    def check(self, networks: Any) -> list:
        return [] if self.number < 1000 else [self.origin.problem("too large to be worked by hand", "number")]

    def item(self, base: dict[str, Any], seed: int | None, shuffle: bool) -> Any:
        from tutor.quiz.generate import Item

        answer = "even" if self.number % 2 == 0 else "odd"
        return Item(**base, prompt=self.prompt, answer=answer, form="even or odd", solution=Solution(answer))

    def judge(self, item: Any, given: Any) -> Verdict:
        said = given.strip().lower()
        return Verdict(said == item.answer, "Right." if said == item.answer else "Not quite.", said)


LESSON = """\
[lesson]
id = "parity"
title = "Parity"
summary = "Even and odd."

[[pages]]
kind = "quiz"
title = "Check"

[[pages.questions]]
kind = "parity"
prompt = "Is it even?"
number = {number}
{extra}
"""


@pytest.fixture
def parity(monkeypatch):
    monkeypatch.setitem(tutor.kinds.QUESTIONS, "parity", ParityQuestion)


def lesson_file(tmp_path, number: int, extra: str = ""):
    path = tmp_path / "parity.toml"
    path.write_text(textwrap.dedent(LESSON.format(number=number, extra=extra)), encoding="utf-8")
    return path


def test_a_registered_question_kind_is_read_asked_and_judged(parity, tmp_path):
    lesson = load_lesson(lesson_file(tmp_path, 12))
    ((page, question),) = quiz_questions(lesson)
    assert isinstance(question, ParityQuestion) and question.number == 12
    item = make_item(lesson, page, question, seed=1)
    assert item.kind == "parity" and item.answer == "even"
    assert item.check(" Even ").correct and not item.check("odd").correct
    with pytest.raises(TypeError):  # text-answered: a list of factors is refused before the kind judges
        item.check(["even"])


def test_a_registered_question_kind_reports_its_own_problems_on_their_lines(parity, tmp_path):
    path = lesson_file(tmp_path, 4000, extra='choices = ["a", "b"]')
    data, where = read_toml(path)
    assert [(p.line, p.message) for p in check_lesson(path, data, where)] == [
        (14, "a parity question has no 'choices' (it belongs to multiple choice questions)"),
        (13, "too large to be worked by hand"),
    ]


def test_an_unregistered_kind_is_refused_with_the_registered_ones_named(tmp_path):
    data, where = read_toml(lesson_file(tmp_path, 12))
    problems = check_lesson(tmp_path / "parity.toml", data, where)
    assert [(p.line, p.message) for p in problems] == [
        (
            11,
            "unknown question kind 'parity' (expected one of: multiple_choice, true_false, symbolic, numeric, chain)",
        )
    ]
