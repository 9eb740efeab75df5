"""Parse a learner's typed formula into a sympy expression, safely.

The text is untrusted. It is never handed to sympify, parse_expr or Python's
evaluator: a tokenizer accepts only whitelisted characters, names and
functions, and a recursive-descent parser builds the sympy tree node by node
with ``evaluate=False``, so nothing large is computed while parsing.

Grammar (implicit multiplication binds like ``*``; ``^`` is right-associative)::

    sum      := product (("+" | "-") product)*
    product  := signed (("*" | "/") signed | <implicit> power)*
    signed   := ("+" | "-") signed | power
    power    := postfix ("^" exponent)?
    exponent := ("+" | "-") exponent | postfix ("^" exponent)?
    postfix  := atom superscript?
    atom     := number | name | "e" | function superscript? "(" sum ("," sum)? ")" | "(" sum ")"

An implicit product may not start with a number (``a 2`` and ``(1-a)2`` are
refused as likely typos); ``a b`` is ``a·b`` but ``ab`` is one (unknown) name.
Nor may one follow a divisor or a ``^`` exponent written without brackets:
``1/2a`` and ``e^2n`` are refused as ambiguous (1/(2a) or (1/2)·a? e^(2n) or e²·n?).
"""

from __future__ import annotations

import cmath
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

import sympy
from sympy import Add, Function, Mul, Pow, S, Symbol

from engine.activations import ACTIVATIONS, Activation


class AnswerFormError(ValueError):
    """A typed answer that cannot be read: `message` says what form is expected, `position` where reading stopped."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Limits:
    """Bounds on typed input, so that no answer can make the checker slow or big."""

    max_length: int = 200
    max_tokens: int = 100
    max_depth: int = 20
    max_exponent: float = 10  # a constant exponent must lie in [-10, 10]
    max_exponent_size: int = 20  # nodes in an exponent that contains a variable, like e^(−n)
    max_degree: int = 100  # (a^10)^10 is allowed, ((a^10)^10)^2 is not
    max_magnitude: float = 1e100  # largest number literal, and largest constant a power may produce


DEFAULT_LIMITS = Limits()


class NamedActivation(Function):
    """An activation function kept by name, σ(x) or softplus(x), so it prints as the learner wrote it.

    Its value and derivative are the activation's own (engine/activations.py: `typed_value`,
    `typed_slope`), formulas in x read by this very parser: dσ/dx = σ(x)(1 − σ(x)).
    """

    nargs = 1
    activation: ClassVar[Activation]

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return _read_with_x(self.activation.typed_slope, self.args[0])

    def _eval_rewrite_as_exp(self, arg: sympy.Expr, **kwargs: object) -> sympy.Expr:
        return _read_with_x(self.activation.typed_value, arg)

    def _sympystr(self, printer: object) -> str:
        return format_expression(self)


def _read_with_x(formula: str, x: sympy.Expr) -> sympy.Expr:
    """One of an activation's own formulas in x (trusted text from engine/activations.py), x put in."""
    parser = _Parser(formula, ["x"], DEFAULT_LIMITS)
    parser.symbols = {"x": x}
    return parser.parse()


# One sympy function per activation kept by name: Sigmoid (printed σ), Softplus (printed softplus).
NAMED_ACTIVATIONS: dict[str, type[NamedActivation]] = {
    fn.name: type(fn.name.capitalize(), (NamedActivation,), {"activation": fn})
    for fn in ACTIVATIONS.values()
    if fn.typed_label
}


def _activation_builder(fn: Activation) -> Callable[[sympy.Expr], sympy.Expr]:
    """How a typed activation name is read: its named function, or its formula (relu(x) is max(0, x))."""
    if fn.typed_label:
        return NAMED_ACTIVATIONS[fn.name]
    return lambda x: _read_with_x(fn.typed_value, x)


def _sqrt(x: sympy.Expr) -> sympy.Expr:
    return Pow(x, S.Half, evaluate=False)


# Whitelisted mathematical functions: typed name -> (builder, number of arguments).
_MATH_FUNCTIONS: dict[str, tuple[Callable[..., sympy.Expr], int]] = {
    "exp": (lambda x: sympy.exp(x, evaluate=False), 1),
    "ln": (lambda x: sympy.log(x, evaluate=False), 1),
    "log": (lambda x: sympy.log(x, evaluate=False), 1),
    "tanh": (lambda x: sympy.tanh(x, evaluate=False), 1),
    "cosh": (lambda x: sympy.cosh(x, evaluate=False), 1),
    "sinh": (lambda x: sympy.sinh(x, evaluate=False), 1),
    "sech": (lambda x: sympy.sech(x, evaluate=False), 1),
    "sqrt": (_sqrt, 1),
    "abs": (lambda x: sympy.Abs(x, evaluate=False), 1),
    "max": (lambda x, y: sympy.Max(x, y, evaluate=False), 2),
    "step": (lambda x: sympy.Heaviside(x, evaluate=False), 1),
}
# ... and the names each activation declares for itself (σ, sigma, relu, softplus...); tanh and step
# are mathematical functions already.
_FUNCTIONS = _MATH_FUNCTIONS | {
    name: (_activation_builder(fn), 1) for fn in ACTIVATIONS.values() for name in fn.typed_names
}
# The sympy function of each activation whose slope a learner can forget (σ, tanh, softplus nodes).
SLOPED_FUNCTIONS: dict[type, Activation] = {
    NAMED_ACTIVATIONS[fn.name] if fn.typed_label else type(_FUNCTIONS[fn.name][0](Symbol("x"))): fn
    for fn in ACTIVATIONS.values()
    if fn.sloped and (fn.typed_label or fn.name in _MATH_FUNCTIONS)
}


def slope_in_activation(fn: Activation, a: Symbol) -> sympy.Expr | None:
    """A unit's slope written with its activation a alone (a(1 − a), 1 − a²); None if it needs n."""
    if not fn.sloped or "{n}" in fn.slope_formula:
        return None
    return _read_with_x(fn.slope_formula.format(a="x"), a)


_FUNCTION_NAMES = ", ".join(
    [
        *(
            f"{fn.typed_names[0]} (or {fn.typed_names[1]})" if not fn.typed_names[0].isascii() else fn.typed_names[0]
            for fn in ACTIVATIONS.values()
            if fn.typed_names
        ),
        "exp, ln (= log), tanh, cosh, sinh, sech, sqrt, abs, max, step",
    ]
)

# Greek letters may be typed by name: eps_j means ε_j.
_GREEK_WORDS = {
    "eps": "ε",
    "epsilon": "ε",
    "alpha": "α",
    "eta": "η",
    "delta": "δ",
    "mu": "μ",
    "theta": "θ",
    "lambda": "λ",
}


def typed_names(names) -> list[str]:
    """How to type the Greek letters among `names` on a plain keyboard: ["delta_1 for δ_1", ...]."""
    spelled = {letter: word for word, letter in reversed(_GREEK_WORDS.items())}
    found = []
    for name in names:
        for letter, word in spelled.items():
            if name.startswith(letter):
                found.append(f"{word}{name[len(letter) :]} for {name}")
                break
    return found


# The learning rate is ε in PDP notation; many textbooks write η. When a question has ε and no η,
# η (or eta) is read as ε.
_LEARNING_RATE, _LEARNING_RATE_ELSEWHERE = "ε", "η"

# Vulgar fractions, as the app itself writes some (½, ¼): each is its exact value.
VULGAR_FRACTIONS = {ch: Fraction(unicodedata.numeric(ch)).limit_denominator(10) for ch in "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒"}

_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ", "0123456789aeoxhklmnpstij", strict=True))
# Raised digits and signs, and what they stand for: a² is a^2, 10⁻² is 10^-2.
SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+", strict=True))
_SUPERSCRIPT_TEXT = dict(zip("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻", strict=True))

# The characters typed for each operator, and the ASCII operator each stands for.
OPERATORS = {
    "+": "+",
    "-": "-",
    "−": "-",  # U+2212 minus sign
    "–": "-",  # en dash, as word processors turn "-" into it
    "*": "*",
    "×": "*",
    "·": "*",  # U+00B7 middle dot
    "⋅": "*",  # U+22C5 dot operator
    "∙": "*",  # U+2219 bullet operator
    "/": "/",
    "÷": "/",
    "∕": "/",
    "^": "^",
    ",": ",",
}
_OPENING = {"(": ")", "[": "]"}
_CLOSING = set(_OPENING.values())
_WHITESPACE = " \t\u00a0\u2009\u202f"

_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+\-−]?[0-9]+)?")
# A name: a Latin word or one Greek letter, digits, then a subscript: a_j, w_{1,3}, a_h1, n₅, a1.
_NAME = re.compile(
    r"(?P<stem>[A-Za-z]+|[\u0391-\u03a9\u03b1-\u03c9])(?P<digits>[0-9]*)"
    rf"(?:_(?P<plain>[A-Za-z0-9]+)|_\{{(?P<braced>[A-Za-z0-9,]+)\}}|(?P<small>[{''.join(_SUBSCRIPTS)}]+))?"
)

_CHARACTER_ADVICE = {
    "=": "Write only the expression, without “=”: a(1−a), not dσ/dn = a(1−a).",
    "|": "Write abs(x) for an absolute value.",
    "√": "Write sqrt(x) for a square root.",
    "{": "Use ( ) or [ ] for grouping.",
    "}": "Use ( ) or [ ] for grouping.",
    "_": "Names start with a letter, like a_j.",
    ".": "A dot is only a decimal point, as in 0.5.",
    "!": "Factorials are not part of these answers.",
}
_QUOTES = "'\"`‘’“”"


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "function", "e", "op", "open", "close", "sup", "end"
    text: str  # the canonical text: operator symbol, variable name, function name, bracket
    position: int
    value: object = None


def parse_expression(text: str, variables: Iterable[str], limits: Limits = DEFAULT_LIMITS) -> sympy.Expr:
    """Read `text` as a formula in the declared `variables`; raise AnswerFormError if it is not one.

    `e` is Euler's number unless a variable named e is declared.
    """
    return _Parser(text, list(variables), limits).parse()


def format_expression(expr: sympy.Expr) -> str:
    """Write a parsed formula back the way a slide would: a·(1 − a), e^(−n), σ(n)², with every product explicit."""
    return _format(expr)[0]


def canonical_name(name: str) -> str:
    """The form a variable name is compared in: eps_{j} and ε_j are the same, n₅ and n_5 too, a1 is a_1."""
    match = _NAME.fullmatch(name)
    if match is None:
        return name
    return _canonical_from_match(match)


def _canonical_from_match(match: re.Match[str]) -> str:
    stem = _GREEK_WORDS.get(match["stem"], match["stem"])
    small = "".join(_SUBSCRIPTS[ch] for ch in match["small"] or "")
    subscript = "_".join(part for part in (match["digits"], match["plain"] or match["braced"] or small) if part)
    return f"{stem}_{subscript}" if subscript else stem


class _Parser:
    def __init__(self, text: str, variables: list[str], limits: Limits) -> None:
        self.text = text
        self.limits = limits
        self.names = {canonical_name(v): v for v in variables}
        self.variables = variables
        self.symbols = {v: Symbol(v, real=True) for v in variables}
        self.tokens: list[_Token] = []
        self.index = 0
        self.depth = 0
        self.open_power: tuple[int, int] | None = None  # (base, "^") of the last power whose exponent has no brackets

    # --- errors -------------------------------------------------------------------------

    def fail(self, problem: str, position: int) -> AnswerFormError:
        return AnswerFormError(f"{problem} {self.form_hint()}", position)

    def form_hint(self) -> str:
        if not self.variables:
            return "Write a formula, like 1/2 or 2*(1-0.5)."
        names = _and_list(self.variables)
        return f"Write an expression in {names}: * (or a space) for times, ^ for powers, ( ) for grouping."

    # --- tokens -------------------------------------------------------------------------

    def tokenize(self) -> None:
        text, limits = self.text, self.limits
        if len(text) > limits.max_length:
            problem = f"That answer is too long ({len(text)} characters; at most {limits.max_length})."
            raise self.fail(problem, limits.max_length)
        i = 0
        while i < len(text):
            ch = text[i]
            if ch in _WHITESPACE:
                i += 1
                continue
            if unicodedata.category(ch)[0] == "C":
                raise self.fail("The answer contains an invisible control character; please type it again.", i)
            if len(self.tokens) >= limits.max_tokens:
                raise self.fail(f"That expression has too many parts (at most {limits.max_tokens}).", i)
            i = self.scan(i)
        if not self.tokens:
            raise self.fail("The answer is empty.", 0)
        self.tokens.append(_Token("end", "", len(text)))

    def scan(self, i: int) -> int:
        """Read one token starting at text[i]; return where the next one starts."""
        text = self.text
        ch = text[i]
        if number := _NUMBER.match(text, i):
            self.tokens.append(_Token("number", number.group(0), i, self.number(number.group(0), i)))
            return number.end()
        if name := _NAME.match(text, i):
            self.tokens.append(self.name_token(name, i))
            return name.end()
        if text.startswith("**", i):
            self.tokens.append(_Token("op", "^", i))
            return i + 2
        if ch in OPERATORS:
            self.tokens.append(_Token("op", OPERATORS[ch], i))
            return i + 1
        if ch in _OPENING or ch in _CLOSING:
            self.tokens.append(_Token("open" if ch in _OPENING else "close", ch, i))
            return i + 1
        if ch in SUPERSCRIPTS:
            return self.superscript(i)
        if ch in VULGAR_FRACTIONS:
            value = VULGAR_FRACTIONS[ch]
            self.tokens.append(_Token("number", ch, i, sympy.Rational(value.numerator, value.denominator)))
            return i + 1
        if ch in _QUOTES:
            raise self.fail("Quotes are not part of a formula.", i)
        raise self.fail(_CHARACTER_ADVICE.get(ch, f"“{ch}” cannot be used in an answer."), i)

    def number(self, lexeme: str, position: int) -> sympy.Expr:
        ascii_lexeme = lexeme.replace("−", "-")
        mantissa, _, exponent = ascii_lexeme.lower().partition("e")
        too_big = self.fail("That number is too large, too small or too long for an answer.", position)
        if len(mantissa) > 30 or (exponent and abs(int(exponent)) > 300):
            raise too_big
        value = float(ascii_lexeme)
        underflow = value == 0 and mantissa.strip("0.") != ""
        if underflow or value > self.limits.max_magnitude or 0 < value < 1 / self.limits.max_magnitude:
            raise too_big
        return sympy.Integer(int(ascii_lexeme)) if ascii_lexeme.isdigit() else sympy.Float(value)

    def name_token(self, match: re.Match[str], position: int) -> _Token:
        raw = match.group(0)
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        canonical = _canonical_from_match(match)
        if canonical.startswith(_LEARNING_RATE_ELSEWHERE) and canonical not in self.names:
            canonical = _LEARNING_RATE + canonical.removeprefix(_LEARNING_RATE_ELSEWHERE)
        if canonical in self.names:
            return _Token("name", self.names[canonical], position)
        function = raw.lower() if raw.isascii() else raw  # Tanh is tanh, but Σ is not σ
        if function in _FUNCTIONS:
            return _Token("function", function, position)
        if raw == "e":
            return _Token("e", "e", position)
        split = _split_into_names(canonical, set(self.names))
        if split:
            problem = f"Unknown name “{shown}”. Put * or a space between names: {'*'.join(split)}."
        else:
            problem = f"Unknown name “{shown}” (the functions are {_FUNCTION_NAMES})."
        raise self.fail(problem, position)

    def superscript(self, i: int) -> int:
        text, start = self.text, i
        while i < len(text) and text[i] in SUPERSCRIPTS:
            i += 1
        exponent = "".join(SUPERSCRIPTS[ch] for ch in text[start:i])
        if not re.fullmatch(r"[+-]?[0-9]+", exponent):
            raise self.fail("A raised exponent is an optional sign and digits, like 10⁻².", start)
        self.tokens.append(_Token("sup", text[start:i], start, int(exponent)))
        return i

    # --- grammar ------------------------------------------------------------------------

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at_op(self, *ops: str) -> bool:
        return self.token.kind == "op" and self.token.text in ops

    def enter(self, position: int) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise self.fail(f"Too many nested brackets or signs (at most {self.limits.max_depth}).", position)

    def parse(self) -> sympy.Expr:
        self.tokenize()
        expr = self.sum()
        token = self.token
        if token.kind == "close":
            raise self.fail(f"This “{token.text}” closes no bracket.", token.position)
        if token.kind != "end":
            raise self.stray(token)
        return expr

    def sum(self) -> sympy.Expr:
        terms = [self.product()]
        while self.at_op("+", "-"):
            sign = self.advance().text
            term = self.product()
            terms.append(term if sign == "+" else _negate(term))
        return terms[0] if len(terms) == 1 else Add(*terms, evaluate=False)

    def product(self) -> sympy.Expr:
        start = self.token.position
        factors = [self.signed()]
        slash: _Token | None = None  # the "/" before the last factor, if it was a divisor
        while True:
            token = self.token
            if token.kind in ("name", "function", "e", "open"):
                self.refuse_ambiguous(start, slash)
            if self.at_op("*"):
                self.advance()
                factors.append(self.signed())
                slash = None
            elif self.at_op("/"):
                slash = self.advance()
                divisor = self.signed()
                if not divisor.free_symbols and _constant(divisor) in (None, 0):
                    raise self.fail("That divides by zero.", slash.position)
                factors.append(Pow(divisor, S.NegativeOne, evaluate=False))
            elif token.kind in ("name", "function", "e", "open"):
                factors.append(self.power())
            elif token.kind == "number":
                raise self.fail(
                    "A number cannot follow here without an operator: write 2*a or 2a (number first).",
                    token.position,
                )
            else:
                break
        return factors[0] if len(factors) == 1 else Mul(*factors, evaluate=False)

    def signed(self) -> sympy.Expr:
        if self.at_op("+", "-"):
            token = self.advance()
            self.enter(token.position)
            operand = self.signed()
            self.depth -= 1
            return operand if token.text == "+" else _negate(operand)
        return self.power()

    def power(self) -> sympy.Expr:
        start = self.token.position
        base = self.postfix()
        self.open_power = None
        if self.at_op("^"):
            caret = self.advance()
            power = self.make_power(base, self.exponent(), caret.position)
            if self.tokens[self.index - 1].kind != "close":  # e^2, e^-n: where does the exponent end?
                self.open_power = (start, caret.position)
            return power
        return base

    def refuse_ambiguous(self, start: int, slash: _Token | None) -> None:
        """An implicit product after e^2 or after 1/2: refused, saying both ways it could be meant."""
        opened, factor_at = self.open_power, self.token.position
        if opened is None and slash is None:
            return
        self.power()  # the factor that follows, to quote it whole
        text = self.text
        factor = text[factor_at : self.token.position].strip()
        if opened is not None:
            base_at, caret_at = opened
            base, exponent = text[base_at:caret_at].strip(), text[caret_at + 1 : factor_at].strip()
            typed = text[base_at : self.token.position].strip()
            alone = exponent if exponent.isalnum() else f"({exponent})"
            problem = (
                f"“{typed}” is ambiguous: write {base}^({exponent}{factor}) if {factor} is in the exponent, "
                f"or {base}^{alone}*{factor} if it is not."
            )
        else:
            numerator, divisor = text[start : slash.position].strip(), text[slash.position + 1 : factor_at].strip()
            typed = text[start : self.token.position].strip()
            problem = (
                f"“{typed}” is ambiguous: write {numerator}/({divisor}{factor}) if {factor} is in the denominator, "
                f"or ({numerator}/{divisor}){factor} if it is not."
            )
        raise self.fail(problem, factor_at)

    def exponent(self) -> sympy.Expr:
        token = self.token
        self.enter(token.position)
        if self.at_op("+", "-"):
            self.advance()
            operand = self.exponent()
            result = operand if token.text == "+" else _negate(operand)
        else:
            result = self.power()
        self.depth -= 1
        return result

    def postfix(self) -> sympy.Expr:
        expr = self.atom()
        if self.token.kind == "sup":
            sup = self.advance()
            expr = self.make_power(expr, sympy.Integer(sup.value), sup.position)
        return expr

    def atom(self) -> sympy.Expr:
        token = self.token
        if token.kind == "number":
            self.advance()
            return token.value
        if token.kind == "name":
            self.advance()
            return self.symbols[token.text]
        if token.kind == "e":
            self.advance()
            return S.Exp1
        if token.kind == "function":
            return self.call()
        if token.kind == "open":
            self.advance()
            self.enter(token.position)
            inner = self.sum()
            self.close(token)
            self.depth -= 1
            return inner
        if token.kind == "end":
            raise self.fail("The expression stops too early: something is missing at the end.", token.position)
        raise self.fail(f"Something is missing before this “{self.lexeme(token)}”.", token.position)

    def call(self) -> sympy.Expr:
        name_token = self.advance()
        builder, arity = _FUNCTIONS[name_token.text]
        power: tuple[sympy.Expr, int] | None = None
        if self.token.kind == "sup":  # tanh²(n)
            sup = self.advance()
            power = (sympy.Integer(sup.value), sup.position)
        elif self.at_op("^") and self.tokens[self.index + 1].kind == "number":  # tanh^2(n)
            caret = self.advance()
            power = (self.advance().value, caret.position)
        opening = self.token
        if opening.kind != "open":
            example = "max(0, n)" if arity == 2 else f"{name_token.text}(n)"
            raise self.fail(f"Put the argument of {name_token.text} in brackets, like {example}.", opening.position)
        self.advance()
        self.enter(opening.position)
        arguments = [self.sum()]
        while len(arguments) < arity:
            if not self.at_op(","):
                raise self.fail(f"{name_token.text} takes {arity} arguments, like max(0, n).", self.token.position)
            self.advance()
            arguments.append(self.sum())
        self.close(opening)
        self.depth -= 1
        expr = builder(*arguments)
        return expr if power is None else self.make_power(expr, power[0], power[1])

    def close(self, opening: _Token) -> None:
        token = self.token
        if token.kind == "close" and token.text == _OPENING[opening.text]:
            self.advance()
            return
        if token.kind == "close":
            raise self.fail(f"This “{token.text}” does not match the “{opening.text}” it closes.", token.position)
        if token.kind == "end":
            raise self.fail(f"This “{opening.text}” is never closed.", opening.position)
        raise self.stray(token)

    def stray(self, token: _Token) -> AnswerFormError:
        """The current token, standing where nothing of its kind may."""
        if token.text == ",":
            problem = "A comma only separates the two arguments of max(…, …); decimals use a point (0.5)."
            return self.fail(problem, token.position)
        return self.fail(f"Unexpected “{self.lexeme(token)}” here.", token.position)

    def lexeme(self, token: _Token) -> str:
        """What the learner typed for the current token."""
        return self.text[token.position : self.tokens[self.index + 1].position].strip()

    def make_power(self, base: sympy.Expr, exponent: sympy.Expr, position: int) -> sympy.Expr:
        """base^exponent, refused unless the exponent is a small constant or a small formula in the variables."""
        limits = self.limits
        if exponent.free_symbols:
            if _size(exponent) > limits.max_exponent_size:
                raise self.fail("That exponent is too long.", position)
            return Pow(base, exponent, evaluate=False)
        value = _constant(exponent)
        if value is None or value.imag != 0 or abs(value.real) > limits.max_exponent:
            m = limits.max_exponent
            raise self.fail(f"Powers must be small numbers (from −{m:g} to {m:g}), like a^2 or e^(−n).", position)
        if _degree(base) * abs(value.real) > limits.max_degree:
            raise self.fail(f"That power is too high (degree above {limits.max_degree}).", position)
        power = Pow(base, exponent, evaluate=False)
        if not base.free_symbols:
            result = _constant(power)
            if result is None or abs(result) > limits.max_magnitude:
                raise self.fail("That power is too large, or undefined (like 0⁻¹).", position)
        return power


def _negate(expr: sympy.Expr) -> sympy.Expr:
    return Mul(S.NegativeOne, expr, evaluate=False)


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _split_into_names(word: str, names: set[str]) -> list[str] | None:
    """If `word` is declared names run together (ta → t, a), return them, to suggest t*a."""
    # splits[i] splits word[i:]; filled from the end, so the work stays quadratic in len(word)
    splits: list[list[str] | None] = [None] * len(word) + [[]]
    for start in range(len(word) - 1, -1, -1):
        for end in range(len(word), start, -1):
            rest = splits[end]
            if word[start:end] in names and rest is not None:
                splits[start] = [word[start:end], *rest]
                break
    return splits[0] if word else None


def _size(expr: sympy.Expr) -> int:
    return 1 + sum(_size(arg) for arg in expr.args)


def _degree(expr: sympy.Expr) -> float:
    """An upper bound on the polynomial degree, to keep any later expand() small."""
    if not expr.free_symbols:
        return 0
    if isinstance(expr, Symbol):
        return 1
    if isinstance(expr, Mul):
        return sum(_degree(arg) for arg in expr.args)
    if isinstance(expr, Pow):
        exponent = _constant(expr.exp) if not expr.exp.free_symbols else None
        return _degree(expr.base) * (abs(exponent) if exponent is not None else 1)
    return max(1, *(_degree(arg) for arg in expr.args))


def _constant(expr: sympy.Expr) -> complex | None:
    """The value of a formula without variables, or None where it is undefined or overflows."""
    return numeric_value(expr, {})


def numeric_value(expr: sympy.Expr, values: dict[Symbol, complex]) -> complex | None:
    """Evaluate a parsed formula in complex floating point; None where it is undefined, infinite or overflows.

    `values` gives each variable's value. This walks the sympy tree itself (no code generation),
    so only the node types the parser builds are understood.
    """
    try:
        result = _numeric(expr, values)
    except (ArithmeticError, ValueError, KeyError):
        return None
    return result if cmath.isfinite(result) else None


def _numeric(expr: sympy.Expr, values: dict[Symbol, complex]) -> complex:
    if isinstance(expr, Symbol):
        return values[expr]
    if expr is S.Exp1:
        return complex(math.e)
    if expr.is_Number:
        return complex(float(expr))
    if isinstance(expr, sympy.Heaviside):
        x = _real(_numeric(expr.args[0], values))
        return complex(1.0 if x >= 0 else 0.0)  # u(0) = 1, as the engine's step and ReLU derivative
    args = [_numeric(arg, values) for arg in expr.args]
    if isinstance(expr, Add):
        return sum(args, 0j)
    if isinstance(expr, Mul):
        return math.prod(args, start=1 + 0j)
    if isinstance(expr, Pow):
        base, exponent = args
        if exponent.imag == 0 and exponent.real.is_integer():
            return base ** int(exponent.real)
        return base**exponent
    return _NUMERIC_FUNCTIONS[type(expr)](*args)


def _real(z: complex) -> float:
    if abs(z.imag) > 1e-12 * max(1.0, abs(z.real)):
        raise ValueError("a real function of a complex value")
    return z.real


def _named_numeric(fn: Activation) -> Callable[[complex], complex]:
    """f(z) of a named activation: its typed_value evaluated at z."""
    x = Symbol("x")
    value = _read_with_x(fn.typed_value, x)
    return lambda z: _numeric(value, {x: z})


_NUMERIC_FUNCTIONS: dict[type, Callable[..., complex]] = {
    **{cls: _named_numeric(cls.activation) for cls in NAMED_ACTIVATIONS.values()},
    sympy.exp: cmath.exp,
    sympy.log: cmath.log,
    sympy.tanh: cmath.tanh,
    sympy.cosh: cmath.cosh,
    sympy.sinh: cmath.sinh,
    sympy.sech: lambda z: 1 / cmath.cosh(z),
    sympy.Abs: lambda z: complex(abs(z)),
    sympy.Max: lambda *zs: complex(max(_real(z) for z in zs)),
}


# --- printing ----------------------------------------------------------------------------

_ADD, _NEG, _MUL, _POW, _ATOM = 1, 2, 3, 4, 5
_FUNCTION_LABELS = {
    **{cls: cls.activation.typed_label for cls in NAMED_ACTIVATIONS.values()},
    sympy.exp: "exp",
    sympy.log: "ln",
    sympy.tanh: "tanh",
    sympy.cosh: "cosh",
    sympy.sinh: "sinh",
    sympy.sech: "sech",
    sympy.Abs: "abs",
}


def _format(expr: sympy.Expr) -> tuple[str, int]:
    """Text and precedence of a node; the parser's shapes are x − y = x + (−1)·y and x/y = x·y^(−1)."""
    if isinstance(expr, Symbol):
        return expr.name, _ATOM
    if expr is S.Exp1:
        return "e", _ATOM
    if expr.is_Integer:
        return str(expr), _ATOM
    if expr.is_Number:
        return _format_float(float(expr)), _ATOM
    if isinstance(expr, Add):
        parts = [_format(expr.args[0])[0]]
        for term in expr.args[1:]:
            if _is_negation(term):
                parts.append(" − " + _wrap(term.args[1], _NEG + 1))
            else:
                parts.append(" + " + _wrap(term, _NEG + 1))
        return "".join(parts), _ADD
    if isinstance(expr, Mul):
        if _is_negation(expr):
            return "−" + _wrap(expr.args[1], _MUL), _NEG
        parts = [_wrap(expr.args[0], _NEG)]
        for factor in expr.args[1:]:
            if isinstance(factor, Pow) and factor.exp is S.NegativeOne:
                parts.append("/" + _wrap(factor.base, _POW))
            else:
                parts.append("·" + _wrap(factor, _MUL + 1))
        return "".join(parts), _MUL
    if isinstance(expr, Pow):
        if expr.exp is S.Half:
            return f"sqrt({format_expression(expr.base)})", _ATOM
        base = _wrap(expr.base, _ATOM)
        if expr.exp.is_Integer:
            return base + "".join(_SUPERSCRIPT_TEXT[c] for c in str(expr.exp)), _POW
        return f"{base}^{_wrap(expr.exp, _ATOM)}", _POW
    if isinstance(expr, sympy.Heaviside):
        return f"step({format_expression(expr.args[0])})", _ATOM
    if isinstance(expr, sympy.Max):
        return f"max({', '.join(format_expression(arg) for arg in expr.args)})", _ATOM
    return f"{_FUNCTION_LABELS[type(expr)]}({format_expression(expr.args[0])})", _ATOM


def _wrap(expr: sympy.Expr, at_least: int) -> str:
    text, precedence = _format(expr)
    return text if precedence >= at_least else f"({text})"


def _is_negation(expr: sympy.Expr) -> bool:
    return isinstance(expr, Mul) and len(expr.args) == 2 and expr.args[0] is S.NegativeOne


def _format_float(x: float) -> str:
    mantissa, _, exponent = f"{x:.15g}".partition("e")
    return f"{mantissa}e{int(exponent)}".replace("-", "−") if exponent else mantissa
