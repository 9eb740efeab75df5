"""A true-or-false question."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from tutor.lessons.model import QUESTION_COMMON, Question
from tutor.lessons.wording import show


@dataclass(kw_only=True)
class TrueFalseQuestion(Question):
    kind: ClassVar[str] = "true_false"
    keys: ClassVar[tuple[str, ...]] = (*QUESTION_COMMON, "answer")
    title: ClassVar[str] = "True or false"
    answered_with: ClassVar[str] = "choice"
    answer: bool

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> TrueFalseQuestion:
        answer = table.raw.get("answer")
        if "answer" not in table.raw:
            table.missing("answer")
        elif not isinstance(answer, bool):
            table.problem(f"'answer' should be true or false (no quotes), got {show(answer)}", "answer")
        return cls(**common, answer=bool(answer))

    def item(self, base: dict[str, Any], seed: int | None, shuffle: bool) -> Any:
        from tutor.quiz.generate import Item, Solution

        return Item(
            **base,
            prompt=self.prompt,
            answer=self.answer,
            choices=("True", "False"),
            form="True or false?",
            solution=Solution("true" if self.answer else "false"),
        )

    def choice_answer(self, index: int) -> str:
        """The choice shown at `index` (True, False) as the checker reads it."""
        return "true" if index == 0 else "false"

    def judge(self, item: Any, given: Any) -> Any:
        from tutor.quiz.check import check_true_false

        return check_true_false(given, self.answer)
