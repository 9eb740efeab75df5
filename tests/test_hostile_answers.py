"""Any text a learner types or pastes gets a verdict or the checkers' form error, never anything else (issue 17)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.quiz.check import Verdict, check_chain, check_choice, check_numeric, check_symbolic, check_true_false
from tutor.quiz.expressions import AnswerFormError

_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="0123456789.eE+-−×x^()/ ⁻²³½σ'′·*", max_size=200),
    st.integers(min_value=0, max_value=10**200).map(str),
)


def _checkers():
    return [
        lambda s: check_choice(s, 1, 4),
        lambda s: check_true_false(s, True),
        lambda s: check_numeric(s, 0.0572, 3),
        lambda s: check_symbolic(s, "a*(1-a)", ["a", "n"], {"a": "σ(n)"}),
        lambda s: check_chain(s.split("·"), ["∂E/∂a", "∂a/∂n", "∂n/∂w"]),
    ]


def _judge(check, text: str) -> None:
    try:
        verdict = check(text)
    except AnswerFormError:
        return
    assert isinstance(verdict, Verdict)


@pytest.mark.parametrize(
    "text",
    ["9" * 100000, "9" * 4301, "1" + "0" * 5000, "(" * 10000, "a" * 100000, "1e999999999", "\x00", "½" * 1000, ""],
    ids=lambda text: f"{text[:8]!r}x{len(text)}",
)
def test_long_and_odd_answers_get_a_verdict_or_the_form_error(text: str) -> None:
    for check in _checkers():
        _judge(check, text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT)
def test_every_checker_returns_a_verdict_or_the_form_error_for_any_text(text: str) -> None:
    for check in _checkers():
        _judge(check, text)
