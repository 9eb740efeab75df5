"""A multiple-choice question: pick the right one of lettered choices (shuffled when asked again)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, ClassVar

from tutor.lessons.model import LETTERS, QUESTION_COMMON, Question
from tutor.lessons.wording import show


@dataclass(kw_only=True)
class MultipleChoiceQuestion(Question):
    kind: ClassVar[str] = "multiple_choice"
    keys: ClassVar[tuple[str, ...]] = (*QUESTION_COMMON, "choices", "answer")
    title: ClassVar[str] = "Multiple choice"
    answered_with: ClassVar[str] = "choice"
    choices: tuple[str, ...]
    answer: int  # index of the right choice, from 0 (the file writes its letter: "a", "b", ...)

    @property
    def answer_letter(self) -> str:
        return LETTERS[self.answer]

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> MultipleChoiceQuestion:
        choices = read_choices(table)
        return cls(**common, choices=choices, answer=read_letter(table, len(choices)))

    def item(self, base: dict[str, Any], seed: int | None, shuffle: bool) -> Any:
        from tutor.quiz.generate import Item, Solution

        order = list(range(len(self.choices)))
        if shuffle:
            random.Random(seed).shuffle(order)
        right = order.index(self.answer)
        return Item(
            **base,
            prompt=self.prompt,
            answer=right,
            choices=tuple(self.choices[i] for i in order),
            order=tuple(order) if shuffle else (),
            form="Pick one choice.",
            solution=Solution(f"({LETTERS[right]}) {self.choices[self.answer]}"),
        )

    def choice_answer(self, index: int) -> str:
        """The choice shown at `index` as the checker reads it: its letter."""
        return LETTERS[index]

    def judge(self, item: Any, given: Any) -> Any:
        from tutor.quiz.check import check_choice

        return check_choice(given, int(item.answer), len(item.choices))


def read_choices(table: Any) -> tuple[str, ...]:
    value = table.raw.get("choices")
    if value is None:
        table.missing("choices")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        table.problem(f"'choices' should be a list of texts, got {show(value)}", "choices")
        return ()
    if not 2 <= len(value) <= len(LETTERS):
        table.problem(f"'choices' should have 2 to {len(LETTERS)} choices, got {len(value)}", "choices")
        return ()
    for i, choice in enumerate(value):
        if choice in value[:i]:
            table.problem(f"choice {LETTERS[i]} repeats choice {LETTERS[value.index(choice)]}", "choices", i)
    return tuple(value)


def read_letter(table: Any, count: int) -> int:
    value = table.raw.get("answer")
    if value is None:
        table.missing("answer")
        return 0
    if not isinstance(value, str) or len(value.strip()) != 1 or value.strip().lower() not in LETTERS:
        table.problem(
            f"'answer' should be the letter of the right choice, like \"b\" (choices are lettered a, b, c, ... "
            f"in the order written), got {show(value)}",
            "answer",
        )
        return 0
    index = LETTERS.index(value.strip().lower())
    if count and index >= count:
        last = LETTERS[count - 1]
        table.problem(f"'answer' is {show(value)}, but there are only {count} choices (a to {last})", "answer")
        return 0
    return index
