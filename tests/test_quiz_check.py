"""Quiz answer checking: equal forms accepted, unequal ones rejected with their slip, hostile input refused."""

import pytest

from tutor.quiz import (
    EXTRA_HALF,
    HALF_FORGOTTEN,
    SIGN_FLIPPED,
    TOO_FEW_DIGITS,
    AnswerFormError,
    Limits,
    check_chain,
    check_choice,
    check_numeric,
    check_symbolic,
    check_true_false,
    format_expression,
    parse_expression,
    parse_number,
)

VARIABLES = ["a", "n", "t", "x", "w", "ε", "a_j"]
SIGMOID = {"a": "σ(n)"}
TANH = {"a": "tanh(n)"}
DELTA = "(t-a)*a*(1-a)*x"  # −∂E/∂w for a sigmoid output unit with half-SSE

# --- symbolic: equal forms ---------------------------------------------------------------

EQUAL = [
    ("a*(1-a)", "a(1-a)", None),
    ("(1-a)*a", "a*(1-a)", None),  # reordered product
    ("a - a^2", "a*(1-a)", None),  # expanded
    ("a−a²", "a(1-a)", None),  # Unicode minus, superscript
    ("a·(1−a)", "a*(1-a)", None),  # middle dot
    ("a⋅(1 − a)", "a*(1-a)", None),  # dot operator
    ("a×(1−a)", "a*(1-a)", None),  # times sign
    ("-a**2 + a", "a*(1-a)", None),  # ** for powers
    ("σ(n)(1−σ(n))", "a*(1-a)", SIGMOID),  # in terms of n, answer in terms of a
    ("sigmoid(n)*(1-sigmoid(n))", "a(1-a)", SIGMOID),
    ("exp(-n)/(1+exp(-n))^2", "a*(1-a)", SIGMOID),  # σ′ written out
    ("e^(-n)/(1+e^(-n))²", "σ(n)(1−σ(n))", None),
    ("e^-n/(1+e^-n)^2", "σ(n)*(1-σ(n))", None),
    ("1/(1+e^(-n))", "σ(n)", None),  # σ written out
    ("1/(1+exp(−n))", "a", SIGMOID),
    ("(t-a)*a*(1-a)*x", "x a (1−a)(t−a)", None),  # implicit products, any order
    ("-(a-t)a(1-a)x", DELTA, None),
    ("(t−a)·a·(1−a)·x", DELTA, None),
    ("[t-a][1-a]a x", DELTA, None),  # square brackets
    ("1 - tanh(n)^2", "1 - a^2", TANH),
    ("1 − tanh²(n)", "1 - a^2", TANH),
    ("(1-a)(1+a)", "1 - a^2", None),
    ("tanh(n)", "(e^n - e^(-n))/(e^n + e^(-n))", None),
    ("-(t-a)", "a - t", None),
    ("0.5*(t-a)^2", "(t-a)^2/2", None),
    ("t*t - 2*t*a + a*a", "(t-a)^2", None),
    ("2a", "a + a", None),
    ("5e-1 a", "a/2", None),
    ("a⁻¹", "1/a", None),
    ("ln(exp(n))", "n", None),
    ("eps (t-a) a (1-a) x", "ε·(t−a)·a·(1−a)·x", None),  # Greek letter typed by name
    ("epsilon*x*a*(1-a)*(t-a)", "ε (t-a) a (1-a) x", None),
    ("a_j(1-a_j)", "a_j - a_j^2", None),
    ("-(t - a_j) a_j (1 - a_j) a", "(a_j - t)*a_j*(1-a_j)*a", None),  # the slide's ∂E/∂w_ij
    ("sech(n)^2", "1 - tanh(n)^2", None),  # tanh′ through the hyperbolic functions
    ("1/cosh(n)^2", "1 - a^2", TANH),
    ("sech²(n)", "1 - tanh(n)^2", None),
    ("sinh(n)/cosh(n)", "tanh(n)", None),
    ("(cosh(n) - sinh(n))/cosh(n)", "1 - tanh(n)", None),
    ("½(t-a)^2", "(t-a)^2/2", None),  # vulgar fractions, as the app writes ½ and ¼
    ("¼a + ¾a", "a", None),
    ("eta (t-a) a (1-a) x", "ε·(t−a)·a·(1−a)·x", None),  # η, the other textbooks' learning rate, for ε
    ("η*x*a*(1-a)*(t-a)", "ε (t-a) a (1-a) x", None),
    ("e^(2n)", "exp(2*n)", None),  # the unambiguous forms of what e^2n might mean
    ("e^2*n", "n*exp(2)", None),
    ("e²n", "n*exp(2)", None),
    ("1/(2a)", "0.5/a", None),
    ("(1/2)a", "a/2", None),
    ("1/2*a", "a/2", None),
]


@pytest.mark.parametrize(("given", "expected", "definitions"), EQUAL)
def test_equal_forms_are_accepted(given, expected, definitions):
    verdict = check_symbolic(given, expected, VARIABLES, definitions)
    assert verdict.correct, verdict
    assert verdict.slip is None


# --- symbolic: unequal forms -------------------------------------------------------------

UNEQUAL = [
    ("(a-t)a(1-a)x", DELTA, None, SIGN_FLIPPED),
    ("(t-a)*a*(1-a)*x*-1", DELTA, None, SIGN_FLIPPED),
    ("t - a", "a - t", None, SIGN_FLIPPED),
    ("(t-a)x", DELTA, None, "a(1−a) missing"),
    ("(a-t)x", DELTA, None, "sign flipped and a(1−a) missing"),
    ("(t-a)a(1-a)", DELTA, None, "x missing"),
    ("a(1-a)x", DELTA, None, "(t − a) missing"),
    ("(t-a)*a*(1-a)*x*a*(1-a)", DELTA, None, "a(1−a) extra"),
    ("2(t-a)", "t-a", None, HALF_FORGOTTEN),
    ("2*(a-t)", "t-a", None, "sign flipped and the ½ of half-SSE forgotten"),
    ("(t-a)/2", "t-a", None, EXTRA_HALF),
    ("(t-a)x", "σ(n)(1−σ(n))(t-a)x", None, "σ(n)(1−σ(n)) missing"),
    ("(t-a)x", "(1-tanh(n)^2)(t-a)x", None, "1−tanh(n)² missing"),
    ("a(1+a)", "a(1-a)", None, None),
    ("a(1-a)^2", "a(1-a)", None, "(1 − a) extra"),
    ("a^3", "a^2", None, None),
    ("a", "a^2", None, None),
    ("1 + tanh(n)^2", "1 - tanh(n)^2", None, None),
    ("tanh(n)^2", "1 - tanh(n)^2", None, None),
    ("1 - a", "1 - a^2", TANH, None),
    ("1/(1+e^n)", "σ(n)", None, None),
    ("exp(n)", "exp(-n)", None, None),
    ("ln(a)", "1/a", None, None),
    ("0.333*a", "a/3", None, None),  # close constants are not equal
    ("a + 0.000001", "a", None, None),
    ("(t - a) a (1 - a) w", DELTA, None, None),  # the wrong variable
    ("σ(n)", "a(1-a)", SIGMOID, "(1 − a) missing"),
    ("e^n", "n", None, None),
]


@pytest.mark.parametrize(("given", "expected", "definitions", "slip"), UNEQUAL)
def test_unequal_forms_are_rejected_with_their_slip(given, expected, definitions, slip):
    verdict = check_symbolic(given, expected, VARIABLES, definitions)
    assert not verdict.correct
    assert verdict.slip == slip
    if slip:
        assert slip in verdict.message


def test_a_wrong_answer_is_echoed_as_it_was_read():
    verdict = check_symbolic("x a (1−a)(a−t)", DELTA, VARIABLES)
    assert verdict.normalized == "x·a·(1 − a)·(a − t)"


def test_an_answer_undefined_where_the_answer_is_defined_is_wrong():
    verdict = check_symbolic("1/(a-a)", "a", VARIABLES)
    assert not verdict.correct
    assert "no finite value" in verdict.message


def test_e_is_eulers_number_unless_the_question_declares_it():
    assert check_symbolic("e^n", "exp(n)", ["n"]).correct
    assert not check_symbolic("e^n", "exp(n)", ["e", "n"]).correct


def test_variables_may_come_with_their_own_sampling_interval():
    # sqrt(n²) is |n|: the same as n only where n is positive
    assert check_symbolic("sqrt(n^2)", "n", {"n": (0.1, 3.0)}).correct
    assert not check_symbolic("sqrt(n^2)", "n", {"n": (-3.0, 3.0)}).correct


def test_verdicts_do_not_change_between_calls():
    first = check_symbolic("(t-a)x", DELTA, VARIABLES)
    assert all(check_symbolic("(t-a)x", DELTA, VARIABLES) == first for _ in range(3))


@pytest.mark.parametrize(
    ("expected", "definitions"),
    [("a +", None), ("a*(1-a)", {"q": "n"}), ("a", {"a": "σ(t)", "t": "a"}), ("1/(a-a)", None)],
)
def test_a_broken_question_is_a_plain_value_error_not_the_learners_fault(expected, definitions):
    with pytest.raises(ValueError) as info:
        check_symbolic("a", expected, VARIABLES, definitions)
    assert not isinstance(info.value, AnswerFormError)


# --- the parser ------------------------------------------------------------------------

ECHOES = [
    ("a(1-a)", "a·(1 − a)"),
    ("σ(n)(1−σ(n))", "σ(n)·(1 − σ(n))"),
    ("e^-n/(1+e^-n)^2", "e^(−n)/(1 + e^(−n))²"),
    ("a/2*a", "a/2·a"),  # * binds left to right
    ("½a + ⅓", "0.5·a + 0.333333333333333"),
    ("2a^2", "2·a²"),
    ("-a^2", "−a²"),
    ("a^2^3", "a^(2³)"),  # ^ is right-associative
    ("tanh²(n)", "tanh(n)²"),
    ("tanh^2(n)", "tanh(n)²"),
    ("5.72e-2 x", "0.0572·x"),
    ("sigma(n) + sig(n) + logistic(n)", "σ(n) + σ(n) + σ(n)"),
    ("relu(n) + max(0, n) + step(n) + abs(n)", "max(0, n) + max(0, n) + step(n) + abs(n)"),
    ("sqrt(a) + ln(a) + log(a)", "sqrt(a) + ln(a) + ln(a)"),
    ("eps_j + ε_j", "ε_j + ε_j"),
    ("w_{ij} + w_ij", "w_ij + w_ij"),
    ("n₅ + n5 + n_5", "n_5 + n_5 + n_5"),
    ("a − −a", "a − (−a)"),
    ("(t-a)(1-a)", "(t − a)·(1 − a)"),
]


@pytest.mark.parametrize(("text", "echo"), ECHOES)
def test_the_parser_reads_the_usual_notations(text, echo):
    expr = parse_expression(text, ["a", "n", "t", "x", "ε_j", "w_ij", "n_5"])
    assert format_expression(expr) == echo


def test_an_unknown_name_is_refused_with_the_names_the_question_accepts():
    with pytest.raises(AnswerFormError) as info:
        parse_expression("a + b", ["a", "n"])
    assert info.value.position == 4
    assert "“b”" in info.value.message
    assert "a and n" in info.value.message
    assert "* (or a space) for times" in info.value.message


def test_names_run_together_get_a_hint():
    with pytest.raises(AnswerFormError) as info:
        parse_expression("(ta)", ["t", "a"])
    assert info.value.position == 1
    assert "t*a" in info.value.message


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("(t-a", 0, "never closed"),
        ("(t-a]", 4, "does not match"),
        ("t-a)", 3, "closes no bracket"),
        ("a*", 2, "missing at the end"),
        ("*a", 0, "missing before"),
        ("a 2", 2, "number first"),
        ("tanh n", 5, "in brackets"),
        ("0,5 a", 1, "decimals use a point"),
        ("|a|", 0, "abs(x)"),
        ("da/dn = a(1-a)", 0, "Unknown name"),
        ("a(1-a) = 0", 7, "without “=”"),
        ("1/0", 1, "divides by zero"),
        ("a^(1/0)", 4, "divides by zero"),
        ("0^-1", 1, "undefined"),
        ("e^2n", 3, "write e^(2n) if n is in the exponent, or e^2*n if it is not"),
        ("e^-2n", 4, "write e^(-2n) if n is in the exponent, or e^(-2)*n if it is not"),
        ("e^2 n", 4, "“e^2 n” is ambiguous"),
        ("e^n a", 4, "write e^(na) if a is in the exponent, or e^n*a if it is not"),
        ("a^2(1-a)", 3, "or a^2*(1-a) if it is not"),
        ("1/2a", 3, "write 1/(2a) if a is in the denominator, or (1/2)a if it is not"),
        ("1/2 a", 4, "“1/2 a” is ambiguous"),
        ("a/2a", 3, "write a/(2a)"),
        ("t(1-a)/2a", 8, "write t(1-a)/(2a) if a is in the denominator, or (t(1-a)/2)a if it is not"),
        ("1/e^2n", 5, "write e^(2n)"),
    ],
)
def test_a_malformed_expression_says_where_and_what_form_is_expected(text, position, words):
    with pytest.raises(AnswerFormError) as info:
        parse_expression(text, ["a", "n", "t"])
    assert info.value.position == position
    assert words in info.value.message
    assert "Write an expression in a, n and t" in info.value.message


# --- hostile input -------------------------------------------------------------------------

HOSTILE = [
    "__import__('os')",
    '__import__("os").system("ls")',
    "a.__class__",
    "a.__class__.__mro__[1].__subclasses__()",
    "lambda: 0",
    "(lambda: 0)()",
    "[x for x in ()]",
    "exec('1')",
    "eval('1')",
    "open('/etc/passwd')",
    "globals()",
    "a; import os",
    "a = 1",
    "a if a else a",
    "f'{a}'",
    "a\\x",
    "9**9**9",
    "9^9^9",
    "9^9^9^9",
    "2^(10^10)",
    "10^10^10",
    "((10^10)^10)^10",
    "((a^10)^10)^10",
    "a^(" + "+".join("a" * 25) + ")",  # an exponent too long to be "a small formula"
    "1e999999",
    "1e-999999",
    "9" * 150,
    "x" * 10_000,
    "(" * 500 + "a" + ")" * 500,
    "-" * 150 + "a",
    "a" * 1000,
    " ".join("a" * 101),
    "a\x00",
    "\x00",
    "a\n+a",
    "a\u200b",
    "😀",
    "a + 😀",
    "a⁺",
    "",
    "   ",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_refused_with_a_message(text):
    with pytest.raises(AnswerFormError) as info:
        check_symbolic(text, "a*(1-a)", ["a", "n"])
    # what is wrong with this text, then the form expected, naming the question's variables
    reason, _, form = info.value.message.partition(" Write an expression in a and n: ")
    assert reason.endswith(".") and form == "* (or a space) for times, ^ for powers, ( ) for grouping."
    assert 0 <= info.value.position <= len(text)
    assert check_symbolic("a(1−a)", "a*(1-a)", ["a", "n"]).correct  # and the checker still works


def test_learner_text_never_reaches_sympys_string_parser(monkeypatch):
    import sympy.parsing.sympy_parser

    def refuse(*args, **kwargs):
        raise AssertionError("a string reached sympy's parse_expr")

    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", refuse)
    assert check_symbolic("σ(n)(1−σ(n))", "a(1-a)", VARIABLES, SIGMOID).correct
    with pytest.raises(AnswerFormError):
        check_symbolic("__import__('os')", "a", VARIABLES)


def test_deep_nesting_is_refused_even_when_long_input_is_allowed():
    roomy = Limits(max_length=5000, max_tokens=5000)
    with pytest.raises(AnswerFormError) as info:
        parse_expression("(" * 500 + "a" + ")" * 500, ["a"], roomy)
    assert "nested" in info.value.message
    assert info.value.position == 20


def test_limits_are_configurable():
    with pytest.raises(AnswerFormError, match="too long"):
        parse_expression("a + a", ["a"], Limits(max_length=4))
    with pytest.raises(AnswerFormError, match="Powers"):
        parse_expression("a^3", ["a"], Limits(max_exponent=2))
    assert format_expression(parse_expression("a^10", ["a"])) == "a¹⁰"


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.0572", 0.0572),
        ("-.057", -0.057),
        ("−0.057", -0.057),
        ("5.72e-2", 0.0572),
        ("5.72E−2", 0.0572),
        ("5.72×10^-2", 0.0572),
        ("5.72 × 10⁻²", 0.0572),
        ("5.72*10**(-2)", 0.0572),
        ("5.72 x 10^-2", 0.0572),
        ("1/3", 1 / 3),
        ("-1/4", -0.25),
        ("½", 0.5),
        ("−¼", -0.25),
        ("  0.0572 ", 0.0572),
        ("+2", 2.0),
        ("0", 0.0),
    ],
)
def test_parse_number_reads_the_usual_notations(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "0,0572", "1e999999", "1/0", "5.72 × 10^", "--1", "0.05.7", "nan", "inf", "1 2", "0" * 100, "1\x00"],
)
def test_parse_number_refuses_the_rest_with_a_message(text):
    with pytest.raises(AnswerFormError) as info:
        parse_number(text)
    assert "Enter a number, like 0.0572" in info.value.message


EXPECTED = 0.0572385


@pytest.mark.parametrize(
    ("given", "correct"),
    [
        ("0.0572", True),  # rounded
        ("0.05724", True),  # rounded, more digits
        ("0.0572385", True),
        ("5.72e-2", True),
        ("0.0573", False),  # neither rounded nor truncated
        ("0.0571", False),
        ("0.05", False),
        (0.0572, True),  # a float from a slider or spin box
    ],
)
def test_check_numeric_accepts_three_significant_digits(given, correct):
    assert check_numeric(given, EXPECTED).correct is correct


def test_check_numeric_accepts_truncation_as_well_as_rounding():
    assert check_numeric("0.0573", 0.0572911).correct  # rounded
    assert check_numeric("0.0572", 0.0572911).correct  # truncated
    assert not check_numeric("0.0571", 0.0572911).correct
    assert check_numeric("-0.572", -0.5729).correct


def test_check_numeric_names_the_slip():
    slips = {HALF_FORGOTTEN: 2 * EXPECTED, "a(1−a) missing": EXPECTED / (0.7 * 0.3)}
    assert check_numeric("-0.0572", EXPECTED, slips=slips).slip == SIGN_FLIPPED
    assert check_numeric("0.114", EXPECTED, slips=slips).slip == HALF_FORGOTTEN
    assert check_numeric("0.273", EXPECTED, slips=slips).slip == "a(1−a) missing"
    assert check_numeric("0.5", EXPECTED, slips=slips).slip is None


def test_check_numeric_names_a_slip_made_with_a_flipped_sign_as_the_symbolic_check_does():
    slips = {HALF_FORGOTTEN: 2 * EXPECTED}
    both = "sign flipped and the ½ of half-SSE forgotten"
    assert check_numeric(-2 * EXPECTED, EXPECTED, slips=slips).slip == both
    assert check_symbolic("2*(a-t)", "t-a", VARIABLES).slip == both
    # A new weight w′ = w − ε·g = 0.5 − 0.1·0.2: its sign slip steps up the gradient (0.52), and so does
    # that of the ½ forgotten (0.5 − 0.1·0.4 = 0.46 becomes 0.5 + 0.1·0.4 = 0.54).
    slips = {SIGN_FLIPPED: 0.52, HALF_FORGOTTEN: 0.46}
    assert check_numeric(0.54, 0.48, slips=slips).slip == both
    assert check_numeric(-0.48, 0.48, slips=slips).slip is None  # not a slip this weight can show


def test_check_numeric_asks_for_more_digits_when_the_answer_is_right_but_short():
    verdict = check_numeric("0.057", EXPECTED)
    assert not verdict.correct
    assert verdict.slip == TOO_FEW_DIGITS
    assert check_numeric("0.06", EXPECTED, sig_digits=1).correct


def test_check_numeric_handles_zero_and_tiny_values():
    assert check_numeric("0", 0.0).correct
    assert check_numeric("0", 1e-17).correct  # round-off in the engine
    assert not check_numeric("0.001", 0.0).correct
    assert check_numeric("3.21e-9", 3.2114e-9).correct
    assert not check_numeric("0", 3.2114e-9).correct
    assert check_numeric("−3.21 × 10⁻⁹", -3.2114e-9).correct


def test_check_numeric_echoes_the_number_read():
    assert check_numeric("5.72 × 10⁻²", EXPECTED).normalized == "0.0572"


# --- choices -------------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["b", "B", "(b)", "b)", "b.", " 2 ", "2", "(2)"])
def test_check_choice_reads_letters_and_numbers(given):
    verdict = check_choice(given, 1, 4)
    assert verdict.correct
    assert verdict.normalized == "(b)"


def test_check_choice_rejects_the_other_choices():
    assert not check_choice("a", 1, 4).correct
    assert not check_choice("4", 1, 4).correct


@pytest.mark.parametrize("given", ["e", "5", "0", "", "bb", "²", "b or c"])
def test_check_choice_refuses_what_is_not_a_choice(given):
    with pytest.raises(AnswerFormError, match="a letter from a to d or a number from 1 to 4"):
        check_choice(given, 1, 4)


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("true", True),
        ("T", True),
        ("Yes", True),
        ("y", True),
        ("1", True),
        ("false", False),
        ("F", False),
        ("no", False),
        ("n", False),
        ("0", False),
        ("False.", False),
    ],
)
def test_check_true_false_reads_the_usual_words(given, said):
    assert check_true_false(given, said).correct
    assert not check_true_false(given, not said).correct


def test_check_true_false_refuses_anything_else():
    with pytest.raises(AnswerFormError, match="true or false"):
        check_true_false("maybe", True)


# --- chain assembly ------------------------------------------------------------------------

CHAIN = ["∂E/∂a_5", "∂a_5/∂n_5", "∂n_5/∂a_3", "∂a_3/∂n_3", "∂n_3/∂w_1,3"]


def test_check_chain_accepts_both_directions():
    assert check_chain(CHAIN, CHAIN).correct
    assert check_chain(CHAIN[::-1], CHAIN).correct
    assert check_chain([" ∂E / ∂a_5", *CHAIN[1:]], CHAIN).correct  # spacing does not matter


@pytest.mark.parametrize(
    ("chosen", "position", "slip"),
    [
        (CHAIN[:2] + CHAIN[3:], 2, "factor missing"),
        (CHAIN[:4], 4, "factor missing"),
        ([], 0, "factor missing"),
        ([*CHAIN[:3], CHAIN[2], *CHAIN[3:]], 3, "extra factor"),
        ([*CHAIN, "∂E/∂a_5"], 5, "extra factor"),
        ([CHAIN[1], CHAIN[0], *CHAIN[2:]], 0, "wrong order"),
        ([*CHAIN[::-1][:2], *CHAIN[::-1][3:], CHAIN[2]], 2, "wrong order"),
        ([*CHAIN[:2], "∂n_5/∂a_4", *CHAIN[3:]], 2, "wrong factor"),
    ],
)
def test_check_chain_says_the_first_wrong_position(chosen, position, slip):
    verdict = check_chain(chosen, CHAIN)
    assert not verdict.correct
    assert verdict.position == position
    assert verdict.slip == slip


def test_greek_names_can_be_typed_on_a_plain_keyboard():
    from tutor.quiz.expressions import typed_names

    assert typed_names(["a", "δ_1", "ε", "w_1"]) == ["delta_1 for δ_1", "eps for ε"]
    assert check_symbolic(
        "a(1-a)(delta_1 w_1 + delta_2 w_2)", "a*(1-a)*(δ_1*w_1 + δ_2*w_2)", ["a", "δ_1", "δ_2", "w_1", "w_2"]
    ).correct
