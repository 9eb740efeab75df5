"""A symbolic question: the learner types an expression, right when it equals the answer mathematically
(tutor.quiz.check.check_symbolic, with the quiz's whitelist parser; never eval)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from engine.tomlfile import Problem
from tutor.lessons.model import QUESTION_COMMON, Question
from tutor.lessons.wording import show

VARIABLE_NAME = re.compile(r"^[^\W\d]\w*$")


@dataclass(kw_only=True)
class SymbolicQuestion(Question):
    """The learner types an expression; right when it equals `answer` mathematically."""

    kind: ClassVar[str] = "symbolic"
    keys: ClassVar[tuple[str, ...]] = (*QUESTION_COMMON, "answer", "variables", "definitions")
    title: ClassVar[str] = "Symbolic"
    answer: str
    variables: tuple[str, ...]  # the names an answer may use
    definitions: dict[str, str] = field(default_factory=dict)  # e.g. {"a": "σ(n)"}

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> SymbolicQuestion:
        answer = table.text("answer", required=True, one_line=True)
        if answer is not None and (why := expression_problem(answer)):
            table.problem(f"'answer' {why}", "answer")
        raw_vars = table.raw.get("variables")
        variables: tuple[str, ...] = ()
        if raw_vars is None:
            table.missing("variables")
        elif not isinstance(raw_vars, list) or not raw_vars or not all(isinstance(v, str) for v in raw_vars):
            table.problem(
                f'\'variables\' should be a list of names, like ["a", "n"], got {show(raw_vars)}', "variables"
            )
        else:
            for i, name in enumerate(raw_vars):
                if not VARIABLE_NAME.match(name):
                    table.problem(f"variable {show(name)} should be a name: letters, digits and _", "variables", i)
                elif name in raw_vars[:i]:
                    table.problem(f"variable {show(name)} is listed twice", "variables", i)
            variables = tuple(raw_vars)
        definitions: dict[str, str] = {}
        defs = table.sub("definitions", "[definitions]")
        for name, value in (defs.raw if defs else {}).items():
            if not isinstance(value, str):
                defs.problem(f"the definition of '{name}' should be text, like \"σ(n)\", got {show(value)}", name)
            elif why := expression_problem(value):
                defs.problem(f"the definition of '{name}' {why}", name)
            elif variables and name not in variables:
                defs.problem(f"'{name}' is defined but not listed in 'variables'", name)
            else:
                definitions[name] = value.strip()
        return cls(**common, answer=answer or "", variables=variables, definitions=definitions)

    def check(self, networks: Any) -> list[Problem]:
        """The answer and definitions must parse with the quiz's own whitelist parser and be defined where
        sampled. Checked with the networks (deep checks) rather than when listing lessons: it imports sympy."""
        from tutor.quiz import AnswerFormError, check_symbolic, parse_expression

        if not self.answer or not self.variables:
            return []  # already reported as missing
        problems = []
        for name, text in self.definitions.items():
            try:
                parse_expression(text, self.variables)
            except AnswerFormError as err:
                problems.append(
                    self.origin.problem(
                        f"the definition of '{name}' cannot be used: {err.message}", "definitions", name
                    )
                )
        if problems:
            return problems
        try:
            verdict = check_symbolic(self.answer, self.answer, self.variables, self.definitions)
        except (AnswerFormError, ValueError) as err:
            return [
                self.origin.problem(f"the symbolic answer cannot be used: {getattr(err, 'message', err)}", "answer")
            ]
        if not verdict.correct:
            return [self.origin.problem("the symbolic answer does not equal itself where it is sampled", "answer")]
        return []

    def item(self, base: dict[str, Any], seed: int | None, shuffle: bool) -> Any:
        from tutor.quiz.expressions import AnswerFormError, format_expression, parse_expression, typed_names
        from tutor.quiz.generate import GenerationError, Item, Solution

        try:
            written = format_expression(parse_expression(self.answer, self.variables))
        except AnswerFormError as err:
            raise GenerationError(f"the symbolic answer cannot be read: {err.message}") from err
        names = ", ".join(self.variables)
        greek = typed_names(self.variables)
        typing = f" Type {', '.join(greek)}." if greek else ""
        return Item(
            **base,
            prompt=self.prompt,
            answer=self.answer,
            form=(
                f"An expression in {names}: * for times, ^ for powers, sigma(n) or σ(n), tanh(n), e^(−n), ln(x)."
                + typing
            ),
            solution=Solution(written),
        )

    def judge(self, item: Any, given: Any) -> Any:
        from tutor.quiz.check import check_symbolic

        return check_symbolic(given, self.answer, self.variables, self.definitions)


def expression_problem(text: str) -> str | None:
    """Why `text` cannot be a symbolic answer, or None if it can, as far as reading the file tells.

    Only emptiness is checked here, so listing lessons stays free of sympy; whether the text parses
    (with the quiz's own whitelist parser) is a deep check: see SymbolicQuestion.check.
    """
    if not text.strip():
        return "is empty"
    return None
