"""Check a learner's answer: a formula, a number, a choice, true/false, or a chain-rule product.

Each check returns a Verdict. An answer that cannot be read at all raises
AnswerFormError instead: the app shows its message, keeps the text for editing,
and does not count the attempt.
"""

from __future__ import annotations

import cmath
import math
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import sympy
from sympy import Symbol

from engine.numbers import fmt
from tutor.quiz.expressions import (
    DEFAULT_LIMITS,
    OPERATORS,
    SLOPED_FUNCTIONS,
    SUPERSCRIPTS,
    VULGAR_FRACTIONS,
    AnswerFormError,
    Limits,
    canonical_name,
    format_expression,
    numeric_value,
    parse_expression,
    slope_in_activation,
)

T = TypeVar("T")

SIGN_FLIPPED = "sign flipped"
HALF_FORGOTTEN = "the ½ of half-SSE forgotten"  # the answer is twice the right one
EPSILON_FORGOTTEN = "ε forgotten"  # a weight change made with −∂E/∂w, not −ε·∂E/∂w
EXTRA_HALF = "an extra factor ½"
TOO_FEW_DIGITS = "too few significant digits"

# Where variables are sampled: activations and targets (a, y, h, o, t) lie in (0, 1), anything else around 0.
ACTIVATION_DOMAIN = (0.05, 0.95)
OTHER_DOMAIN = (-2.0, 2.0)
_UNIT_STEMS = frozenset("ayhot")
_POINTS = 8  # sample points at which two formulas must agree
_MIN_POINTS = 4
_DRAWS = 64
_SEED = 0  # the same answer always gets the same verdict
_SCALES = ((2, HALF_FORGOTTEN), (0.5, EXTRA_HALF))  # the right answer times 2 or ½
_AND = " and "


@dataclass(frozen=True)
class Verdict:
    """The outcome of one answer.

    `slip` names the likely mistake of a wrong answer when it can be told; `normalized` echoes
    the answer as it was read (a·(1 − a) for "a(1-a)"); `position` is the 0-based index of the
    first wrong factor of a chain.
    """

    correct: bool
    message: str
    slip: str | None = None
    normalized: str = ""
    position: int | None = None


def _right(normalized: str) -> Verdict:
    return Verdict(True, "Correct.", normalized=normalized)


def with_sign_flipped(slip: str) -> str:
    """The name of a slip made together with a flipped sign: "sign flipped and the ½ of half-SSE forgotten"."""
    return SIGN_FLIPPED + _AND + slip


def without_sign_flipped(slip: str) -> str | None:
    """The slip made along with the flipped sign in a name from `with_sign_flipped`; None if it is no such name."""
    prefix = SIGN_FLIPPED + _AND
    return slip.removeprefix(prefix) if slip.startswith(prefix) else None


def match_slip(
    slips: Sequence[tuple[str | None, T]], matches: Callable[[T], bool], flip: Callable[[T], T]
) -> str | None:
    """The slip an answer shows: the first of `slips` whose value `matches` it, else the first that matches flipped.

    `slips` are (name, what that slip gives), led by (None, the right answer), whose flip is a plain
    sign slip. Symbolic and numeric answers are both judged here, so a slip made together with a
    flipped sign is told the same way for both: "sign flipped and …".
    """
    for name, value in slips:
        if name is not None and matches(value):
            return name
    for name, value in slips:
        if name != SIGN_FLIPPED and matches(flip(value)):
            return SIGN_FLIPPED if name is None else with_sign_flipped(name)
    return None


def _wrong(normalized: str, slip: str | None = None, position: int | None = None) -> Verdict:
    message = f"Not quite: likely slip, {slip}." if slip else "Not quite."
    return Verdict(False, message, slip, normalized, position)


# --- symbolic ----------------------------------------------------------------------------


def default_domain(name: str) -> tuple[float, float]:
    """The interval a variable is sampled from when the question does not say."""
    return ACTIVATION_DOMAIN if canonical_name(name).split("_")[0] in _UNIT_STEMS else OTHER_DOMAIN


def check_symbolic(
    given_text: str,
    expected_text: str,
    variables: Iterable[str] | Mapping[str, tuple[float, float]],
    definitions: Mapping[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Verdict:
    """Accept `given_text` when it equals `expected_text` as a function of the variables, whatever its form.

    `variables` are the names the learner may use, optionally with the interval each is sampled
    from (default: see default_domain). `definitions` express some variables through others, e.g.
    {"a": "σ(n)"}, so that a(1−a) and σ(n)(1−σ(n)) are both right. Equality is decided by
    evaluating both trees at several random points of those intervals (see numeric_value); no
    simplification is run, so the check always ends quickly. Raises AnswerFormError for an
    unreadable answer, and plain ValueError if the expected answer or a definition is broken
    (lesson validation should call this once with the expected answer as `given_text`).
    """
    domains = dict(variables) if isinstance(variables, Mapping) else {v: default_domain(v) for v in variables}
    names = list(domains)
    given = parse_expression(given_text, names, limits)
    expected = _parse_trusted(expected_text, names, "the expected answer")
    defined = {}
    for name, text in (definitions or {}).items():
        if name not in domains:
            raise ValueError(f"definition of {name!r}: not one of the variables {names}")
        defined[Symbol(name, real=True)] = _parse_trusted(text, names, f"the definition of {name}")
    points = _sample(expected, [given, *defined.values()], defined, domains)
    if len(points) < _MIN_POINTS:
        raise ValueError(f"the expected answer {expected_text!r} is undefined almost everywhere it is sampled")
    expected_values = [value for _, value in points]
    given_values = [numeric_value(given, point) for point, _ in points]
    normalized = format_expression(given)
    if all(g is not None and _close(g, e) for g, e in zip(given_values, expected_values, strict=True)):
        return _right(normalized)
    finite_given = [g for g in given_values if g is not None]
    if len(finite_given) < len(given_values):
        message = "Not quite: your expression has no finite value (a division by zero?) where the answer has one."
        return Verdict(False, message, normalized=normalized)
    factors = [(label, [numeric_value(f, point) for point, _ in points]) for label, f in _factors(expected, defined)]
    return _wrong(normalized, _symbolic_slip(finite_given, expected_values, factors))


def _parse_trusted(text: str, names: list[str], what: str) -> sympy.Expr:
    """Parse lesson text with the learner's parser; a failure is the lesson's fault, not the learner's."""
    try:
        return parse_expression(text, names, Limits(max_length=1000, max_tokens=400))
    except AnswerFormError as error:
        raise ValueError(f"{what}, {text!r}: {error.message}") from None


def _sample(
    expected: sympy.Expr,
    others: list[sympy.Expr],
    defined: dict[Symbol, sympy.Expr],
    domains: Mapping[str, tuple[float, float]],
) -> list[tuple[dict[Symbol, complex], complex]]:
    """Random points (with every defined variable worked out) where the expected answer has a finite value."""
    free = sorted(set().union(*(e.free_symbols for e in [expected, *others])) - set(defined), key=str)
    rng = random.Random(_SEED)
    points = []
    for _ in range(_DRAWS):
        point = {symbol: complex(rng.uniform(*domains[symbol.name])) for symbol in free}
        if not _resolve(point, defined):
            continue
        value = numeric_value(expected, point)
        if value is not None:
            points.append((point, value))
            if len(points) == _POINTS:
                break
    return points


def _resolve(point: dict[Symbol, complex], defined: dict[Symbol, sympy.Expr]) -> bool:
    """Add the value of each defined variable to `point`; False where one is undefined."""
    pending = dict(defined)
    while pending:
        ready = [symbol for symbol, expr in pending.items() if expr.free_symbols <= point.keys()]
        if not ready:
            raise ValueError(f"the definitions of {sorted(map(str, pending))} refer to each other in a circle")
        for symbol in ready:
            value = numeric_value(pending.pop(symbol), point)
            if value is None:
                return False
            point[symbol] = value
    return True


def _factors(expected: sympy.Expr, defined: dict[Symbol, sympy.Expr]) -> list[tuple[str, sympy.Expr]]:
    """Factors a learner may leave out or put in twice: activation derivatives first, then the answer's own."""
    candidates = []
    for kind, fn in SLOPED_FUNCTIONS.items():  # σ′ = σ(1 − σ), tanh′ = 1 − tanh², softplus′ = σ
        for node in sorted(expected.atoms(kind), key=str):
            label = fn.slope_formula.format(a=format_expression(node), n=format_expression(node.args[0]))
            candidates.append((label.replace(" ", ""), node.fdiff()))
    for v in sorted(expected.free_symbols | set(defined), key=str):
        for fn in SLOPED_FUNCTIONS.values():  # a sigmoid unit's a(1 − a), a tanh unit's 1 − a²
            slope = slope_in_activation(fn, v)
            if slope is not None:
                candidates.append((fn.slope_formula.format(a=v).replace(" ", ""), slope))
    for factor in _product_factors(expected):
        if not factor.is_Number:
            candidates.append((_wrap_sum(factor), factor))
    return candidates


def _product_factors(expr: sympy.Expr) -> list[sympy.Expr]:
    if isinstance(expr, sympy.Mul):
        return [f for arg in expr.args for f in _product_factors(arg)]
    return [expr]


def _wrap_sum(expr: sympy.Expr) -> str:
    text = format_expression(expr)
    return f"({text})" if isinstance(expr, sympy.Add) else text


def _symbolic_slip(
    given: list[complex], expected: list[complex], factors: list[tuple[str, list[complex | None]]]
) -> str | None:
    """Name the slip if the answer is the right one times −1, 2, ½, or with an activation derivative lost or doubled."""
    slipped: list[tuple[str | None, list[complex]]] = [(None, expected)]
    slipped += [(name, [scale * e for e in expected]) for scale, name in _SCALES]
    for label, values in factors:
        if any(f is None or f == 0 for f in values):
            continue
        slipped.append((f"{label} missing", [e / f for e, f in zip(expected, values, strict=True)]))
        slipped.append((f"{label} extra", [e * f for e, f in zip(expected, values, strict=True)]))

    def matches(values: list[complex]) -> bool:
        return all(_close(g, v) for g, v in zip(given, values, strict=True))

    return match_slip(slipped, matches, lambda values: [-v for v in values])


def _close(x: complex, y: complex) -> bool:
    return cmath.isclose(x, y, rel_tol=1e-8, abs_tol=1e-12)


# --- numbers -----------------------------------------------------------------------------

_NUMBER_FORM = "Enter a number, like 0.0572 or −5.72e−2."
_NUM = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?"
_PLAIN = re.compile(_NUM)
_SCIENTIFIC = re.compile(rf"({_NUM})\*10\^\(?([+-]?[0-9]+)\)?")  # 5.72×10^-2, 5.72 × 10⁻²
_FRACTION = re.compile(rf"({_NUM})/({_NUM})")
_NUMBER_CHARACTERS = set("0123456789.eExX() ") | set(SUPERSCRIPTS) | set(VULGAR_FRACTIONS) | set(OPERATORS) - {","}
_RAISED = re.compile(f"[{''.join(SUPERSCRIPTS)}]+")


def parse_number(text: str) -> float:
    """Read a typed number: 0.0572, −.057, 5.72e−2, 5.72×10^-2, 5.72 × 10⁻², 1/3, ½. Raises AnswerFormError."""
    return _read_number(text)[0]


def _read_number(text: str) -> tuple[float, int | None]:
    """The number and how many significant digits were typed (None for a fraction, which is exact)."""
    if len(text) > 60:
        raise AnswerFormError(f"That is too long for a number. {_NUMBER_FORM}", 60)
    for i, ch in enumerate(text):
        if ch not in _NUMBER_CHARACTERS:
            problem = "Decimals use a point, not a comma." if ch == "," else f"“{ch}” is not part of a number."
            raise AnswerFormError(f"{problem} {_NUMBER_FORM}", i)
    ascii_text = _RAISED.sub(lambda m: "^" + "".join(SUPERSCRIPTS[ch] for ch in m.group(0)), text)  # 10⁻² is 10^-2
    ascii_text = "".join(_ascii_character(ch) for ch in ascii_text).replace("x", "*").replace("X", "*")
    ascii_text = ascii_text.strip().replace("E", "e").replace("**", "^")
    ascii_text = re.sub(r"^([+-]) +| *([*/^]) *", lambda m: m.group(1) or m.group(2), ascii_text)  # 1 2 stays two
    value: float | None = None
    digits: int | None = None
    if match := _PLAIN.fullmatch(ascii_text):
        value, digits = float(match.group(0)), _significant_digits(match.group(0))
    elif match := _SCIENTIFIC.fullmatch(ascii_text):
        exponent = int(match.group(2))
        if abs(exponent) <= 300:
            value, digits = float(match.group(1)) * 10.0**exponent, _significant_digits(match.group(1))
    elif match := _FRACTION.fullmatch(ascii_text):
        denominator = float(match.group(2))
        if denominator == 0:
            raise AnswerFormError(f"That divides by zero. {_NUMBER_FORM}", text.index("/"))
        value = float(match.group(1)) / denominator
    else:
        raise AnswerFormError(f"That is not a number. {_NUMBER_FORM}", 0)
    if value is None or not math.isfinite(value):
        raise AnswerFormError(f"That number is too large. {_NUMBER_FORM}", 0)
    return value, digits


def _ascii_character(ch: str) -> str:
    """An operator as its ASCII symbol, ½ as 1/2; anything else as it is."""
    if ch in VULGAR_FRACTIONS:
        value = VULGAR_FRACTIONS[ch]
        return f"{value.numerator}/{value.denominator}"
    return OPERATORS.get(ch, ch)


def _significant_digits(lexeme: str) -> int:
    mantissa = lexeme.lstrip("+-").split("e")[0]
    return len(mantissa.replace(".", "").lstrip("0"))


def check_numeric(
    given: str | float,
    expected: float,
    sig_digits: int = 3,
    slips: Mapping[str, float] | None = None,
    abs_tol: float = 1e-9,
) -> Verdict:
    """Accept a number that agrees with `expected` to `sig_digits` significant digits, rounded or truncated.

    Differences up to `abs_tol` are always accepted (so 0 is right for an engine value of 1e-17).
    `slips` maps a named slip to the value it would give; an answer matching one is told so. A flipped
    sign is told too, alone or on top of another slip (see match_slip and sign_mirror).
    """
    value, typed_digits = _read_number(given) if isinstance(given, str) else (float(given), None)
    normalized = fmt(value)
    if _agrees(value, expected, sig_digits, abs_tol):
        return _right(normalized)
    known = dict(slips or {})
    mirror = sign_mirror(expected, known)

    def matches(slip_value: float) -> bool:
        distinct = not _agrees(slip_value, expected, sig_digits, abs_tol)
        return distinct and _agrees(value, slip_value, sig_digits, abs_tol)

    slip = match_slip([(None, expected), *known.items()], matches, lambda v: mirror - v)
    if slip is not None:
        return _wrong(normalized, slip)
    if typed_digits and typed_digits < sig_digits and _agrees(value, expected, typed_digits, abs_tol):
        message = f"Close: give at least {sig_digits} significant digits."
        return Verdict(False, message, TOO_FEW_DIGITS, normalized)
    return _wrong(normalized)


def sign_mirror(expected: float, slips: Mapping[str, float]) -> float:
    """What a flipped sign turns a value v into is `sign_mirror − v`: mirrored as the answer is by its sign slip.

    Without a named sign slip that is −v. For a new weight w′ = w − ε·g, stepping up the gradient
    gives w + ε·g, and the same for any slip's g: so the mirror is the answer plus its sign slip.
    """
    return expected + slips.get(SIGN_FLIPPED, -expected)


def _agrees(given: float, expected: float, sig_digits: int, abs_tol: float) -> bool:
    """True when `given` is `expected` rounded, or truncated, to `sig_digits` significant digits (or more)."""
    if abs(given - expected) <= abs_tol:
        return True
    if expected == 0:
        return False
    unit = 10.0 ** (math.floor(math.log10(abs(expected))) - sig_digits + 1)  # the last digit's place value
    slack = 1 + 1e-9
    if abs(given - expected) <= unit / 2 * slack:
        return True
    return given * expected > 0 and abs(given) <= abs(expected) and abs(expected) - abs(given) < unit * slack


# --- choices -----------------------------------------------------------------------------


def check_choice(given: str, correct_index: int, n_choices: int) -> Verdict:
    """A multiple-choice answer given as a letter or a 1-based number: b, B, (b), b), 2. `correct_index` is 0-based."""
    letters = "abcdefghijklmnopqrstuvwxyz"[:n_choices]
    text = given.strip().strip("()[].").strip().lower()
    if len(text) == 1 and text in letters:
        index = letters.index(text)
    elif len(text) <= 3 and text.isascii() and text.isdigit() and 1 <= int(text) <= n_choices:
        index = int(text) - 1
    else:
        raise AnswerFormError(
            f"Answer with a letter from a to {letters[-1]} or a number from 1 to {n_choices}, like b or 2.", 0
        )
    normalized = f"({letters[index]})"
    return _right(normalized) if index == correct_index else _wrong(normalized)


_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


def check_true_false(given: str, answer: bool) -> Verdict:
    """A true/false answer: true/false, t/f, yes/no, y/n, 1/0, in any case."""
    text = given.strip().strip(".!").strip().lower()
    if text not in _TRUE | _FALSE:
        raise AnswerFormError("Answer true or false (or t/f, yes/no, 1/0).", 0)
    said = text in _TRUE
    normalized = "true" if said else "false"
    return _right(normalized) if said == answer else _wrong(normalized)


# --- chain assembly ----------------------------------------------------------------------


def check_chain(chosen: Sequence[str], correct: Sequence[str]) -> Verdict:
    """Accept the chain-rule factors in order, from the loss down to the weight or the reverse.

    A wrong chain gets the first position that is wrong (0-based, in `position`) and whether a
    factor is missing there, extra, out of order, or not part of the chain.
    """
    picked = [_factor_key(f) for f in chosen]
    forward = [_factor_key(f) for f in correct]
    normalized = " · ".join(chosen)
    if picked in (forward, forward[::-1]):
        return _right(normalized)
    target = max((forward, forward[::-1]), key=lambda order: _common_prefix(picked, order))
    i = _common_prefix(picked, target)
    if i == len(picked):
        slip, message = "factor missing", f"The chain is incomplete: {len(target) - i} more factor(s) needed."
    elif i == len(target):
        slip, message = "extra factor", f"Factor {i + 1}, {chosen[i]}, is extra: the chain is complete before it."
    elif sorted(picked) == sorted(target):
        slip = "wrong order"
        message = (
            f"Right factors, but factor {i + 1} is out of place: neighbouring factors share a variable, "
            "as in ∂E/∂a · ∂a/∂n."
        )
    elif picked[i] not in target:
        slip, message = "wrong factor", f"Factor {i + 1}, {chosen[i]}, is not part of this chain."
    elif i + 1 < len(target) and picked[i] == target[i + 1]:
        slip, message = "factor missing", f"A factor is missing at position {i + 1}."
    elif i + 1 < len(picked) and picked[i + 1] == target[i]:
        slip, message = "extra factor", f"Factor {i + 1}, {chosen[i]}, is extra."
    else:
        slip, message = "wrong order", f"Factor {i + 1}, {chosen[i]}, belongs in the chain but not at this place."
    return Verdict(False, f"Not quite. {message}", slip, normalized, i)


def chain_unfinished(chosen: Sequence[str], correct: Sequence[str]) -> bool:
    """Whether the factors picked so far start the chain right (either way round) but stop short of its end.

    Such a chain is not an answer yet, as no choice is none: it is refused, not graded.
    """
    picked = [_factor_key(f) for f in chosen]
    forward = [_factor_key(f) for f in correct]
    return len(picked) < len(forward) and picked in (forward[: len(picked)], forward[::-1][: len(picked)])


def _factor_key(factor: str) -> str:
    return "".join(factor.split())


def _common_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n
