"""A trace page's `ask_formula = ["da_dn", "dE_da"]`: terms of these kinds are asked as formulas in the
page's symbols (∂a_h1/∂n_h1 = a_h1(1 − a_h1)), not as numbers (tutor.quiz.term_formula). The page asks
them as predict mode does (`predict` names more kinds to ask as numbers); `=` and fading ask them too.
"""

from __future__ import annotations

from typing import Any

from engine.tomlfile import Problem
from tutor.lessons.model import PREDICT_KINDS

KEY = "ask_formula"
FORMULA_KINDS = ("da_dn", "dE_da", "dE_dn")  # kinds whose formula is the point, in symbols a learner can type


def read_ask_formula(table: Any) -> tuple[str, ...]:
    """The kinds `ask_formula` lists; () when absent or wrong (reported)."""
    from tutor.lessons.wording import show, suggest

    value = table.raw.get(KEY)
    if value is None:
        return ()
    if not (isinstance(value, list) and value and all(isinstance(k, str) for k in value)):
        example = '["da_dn", "dE_da"]'
        table.problem(f"{table.name(KEY)} should be a list of term kinds, like {example}, got {show(value)}", KEY)
        return ()
    for i, kind in enumerate(value):
        if kind not in FORMULA_KINDS:
            why = (
                f"is asked as a number only (formulas: {', '.join(map(show, FORMULA_KINDS))})"
                if kind in PREDICT_KINDS
                else f"is not a term kind ({suggest(kind, FORMULA_KINDS)})"
            )
            table.problem(f"{table.name(KEY)} names {show(kind)}, which {why}", KEY, i)
            return ()
    return tuple(value)


def ask_formula_problems(page: Any, trace: Any) -> list[Problem]:
    """Each kind the page asks as a formula has terms on the page, and each of them can be typed in symbols."""
    from tutor.lessons.wording import show
    from tutor.quiz.term_formula import term_formula

    problems = []
    for i, kind in enumerate(page.ask_formula):
        terms = [term for term in trace.terms if term.kind == kind]
        if not terms:
            problems.append(page.origin.problem(f"'{KEY}' names {show(kind)}, but this page has no such term", KEY, i))
        for term in terms:
            try:
                term_formula(trace, term)
            except ValueError as err:
                why = f"'{KEY}': {term.symbol} cannot be asked as a formula: {err}"
                problems.append(page.origin.problem(why, KEY, i))
                break
    return problems
