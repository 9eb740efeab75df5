"""Quiz answer checking: pure logic, no UI. Learner input is parsed with a whitelist, never evaluated as code."""

from tutor.quiz.check import (
    EPSILON_FORGOTTEN,
    EXTRA_HALF,
    HALF_FORGOTTEN,
    SIGN_FLIPPED,
    TOO_FEW_DIGITS,
    Verdict,
    chain_unfinished,
    check_chain,
    check_choice,
    check_numeric,
    check_symbolic,
    check_true_false,
    parse_number,
)
from tutor.quiz.expressions import AnswerFormError, Limits, format_expression, parse_expression

__all__ = [
    "EPSILON_FORGOTTEN",
    "EXTRA_HALF",
    "HALF_FORGOTTEN",
    "SIGN_FLIPPED",
    "TOO_FEW_DIGITS",
    "AnswerFormError",
    "Limits",
    "Verdict",
    "chain_unfinished",
    "check_chain",
    "check_choice",
    "check_numeric",
    "check_symbolic",
    "check_true_false",
    "format_expression",
    "parse_expression",
    "parse_number",
]
