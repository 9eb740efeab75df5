"""A term asked as a formula: the learner types ∂a_h1/∂n_h1 = a_h1(1 − a_h1), or a hidden unit's
∂E/∂a as the sum of weight × ∂E/∂n over the units it feeds, in the page's symbols.

The symbols a term's formula may use are the ones the page shows for it: its own unit's activation and
net input (and target, at an output), the terms it depends on (∂E/∂n_o1, ∂a_h1/∂n_h1, a_h1) and the
weights it reads. Each is typed as the page writes it (a_h1, w_h1,o1 or w_{h1,o1}, ∂E/∂n_o1 or dE/dn_o1);
a sloped unit's own a and n may also be written bare (a(1 − a)). The answer is judged by the quiz's
symbolic checker (tutor.quiz.check.check_symbolic: a whitelist parser, equality at sample points;
never eval), so every equal form is right (a − a²); a wrong one is matched against the slips this
kind of term invites (σ instead of σ′, a unit it feeds left out), then the checker's own (sign, ½,
a factor missing or doubled).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.numbers import fmt
from engine.trace import Term, Trace, parse_connection, unit_label, weight_symbol
from tutor.quiz.check import Verdict, check_symbolic
from tutor.quiz.expressions import AnswerFormError, canonical_name, format_expression, numeric_value, parse_expression

# A name as the parser reads one (a_h1, n₅, w_{h1,o1}, E); a derivative is ∂top/∂bottom or dtop/dbottom.
_NAME = r"[A-Za-z]+[0-9]*(?:_\{[A-Za-z0-9,]+\}|_[A-Za-z0-9]+|[₀-₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ]+)?"
_DERIVATIVE = re.compile(rf"[∂d]\s*({_NAME})\s*/\s*[∂d]\s*({_NAME})")
_PLAIN_NAME = re.compile(r"[^\W\d_][^\W_]*(?:_[^\W_]+)?")
_COMMA_NAME = re.compile(r"(?<![\w{])[A-Za-z]+_[A-Za-z0-9]+,[A-Za-z0-9]+(?![\w}])")
_UNKNOWN = re.compile(r"Unknown name “([^”]*)”")
_INTERNAL = "Dd_{}"  # how the parser is told about the n-th derivative symbol (it reads no ∂)
_NO_BARE = {"e"}  # a bare stem the parser reads as something else (e is Euler's number)


@dataclass(frozen=True)
class TermFormula:
    """What a formula for one term is checked against, in the parser's names (derivatives renamed)."""

    term: Term
    shown: tuple[str, ...]  # the symbols the learner may use, as the page shows them
    bare: tuple[str, ...]  # shorter names for the unit's own a and n ("a", "n"), if any
    variables: tuple[str, ...]  # the parser's names, shown symbols and bare names alike
    expected: str  # the term's formula in the parser's names
    definitions: dict[str, str]  # a_h1 = σ(n_h1), a = a_h1 ...
    slips: tuple[tuple[str, str], ...]  # (the slip's name, the formula it gives), the kind's own
    values: dict[str, float]  # each parser name's number on this page (to say what an answer gives)
    _derivatives: dict[tuple[str, str], str]  # (canonical top, canonical bottom) -> parser name
    _spelled: dict[str, str]  # a shown symbol the parser cannot read as it is -> its parser spelling
    _names: dict[str, str]  # parser name -> shown symbol (for messages)

    @property
    def accepts(self) -> str:
        """The symbols, as the box lists them: "a_h1, n_h1 (or a, n)"."""
        bare = f" (or {', '.join(self.bare)})" if self.bare else ""
        return ", ".join(self.shown) + bare

    def read(self, text: str) -> str:
        """The learner's text with the page's symbols spelled as the parser reads them. Raises AnswerFormError
        for a derivative that is not one of the symbols."""

        def derivative(match: re.Match[str]) -> str:
            key = (canonical_name(match[1]), canonical_name(match[2]))
            if key not in self._derivatives:
                raise AnswerFormError(self.unknown(match[0].strip()), match.start())
            return f" {self._derivatives[key]} "

        text = _DERIVATIVE.sub(derivative, text)
        for shown, spelled in sorted(self._spelled.items(), key=lambda item: -len(item[0])):
            if "∂" not in shown:
                text = re.sub(rf"(?<![\w]){re.escape(shown)}(?![\w])", f" {spelled} ", text)
        if stray := _COMMA_NAME.search(text):  # w_h1,o3: a weight of another unit, or a typo
            raise AnswerFormError(self.unknown(stray[0]), stray.start())
        return text

    def unknown(self, name: str) -> str:
        """What a typo'd or foreign symbol is told: the symbols the formula takes, and how ∂ is typed."""
        first = next((s for s in self.shown if "∂" in s), None)
        typed = f" ({first} may be typed {first.replace('∂', 'd')})" if first else ""
        return f"“{name}” is not one of this formula's symbols: {self.accepts}{typed}."

    def shown_names(self, message: str) -> str:
        """A parser message with the page's symbols in place of the parser's names."""
        for name, shown in sorted(self._names.items(), key=lambda item: -len(item[0])):
            message = re.sub(rf"(?<![\w]){re.escape(name)}(?![\w])", shown, message)
        return message


@dataclass(frozen=True)
class FormulaVerdict:
    correct: bool
    slip: str | None
    written: str  # the answer as read, in the page's symbols: a_h1·(1 − a_h1)
    value: float | None  # what it gives with this page's numbers


def term_formula(trace: Trace, term: Term) -> TermFormula:
    """The formula question for `term`; ValueError if its formula cannot be asked in symbols (a step
    unit's u(n), a softmax sum over k, an unrolled step's superscripts)."""
    net, N = trace.net, trace.notation
    if trace.steps is not None or term.step is not None:
        raise ValueError("formulas are asked on trace pages (an unrolled step's symbols cannot be typed)")
    symbols: dict[str, float] = {}  # shown symbol -> its value on this page
    own: dict[str, str] = {}  # "a"/"n" -> the unit's own symbol
    # the unit's own a and n (and t, at an output) when the formula is about the unit itself, not a
    # product or sum of derivatives it depends on
    about_unit = not any("∂" in trace[dep].symbol for dep in term.depends)
    if about_unit and term.unit is not None and term.layer:
        unit = f"{term.layer}.{term.unit}"
        for role in ("a", "n"):
            try:
                found = trace[f"{role}.{unit}"]
            except KeyError:
                continue
            symbols[found.symbol] = found.value
            own[role] = found.symbol
        if term.layer == net.output.name and term.kind != "da_dn":
            target = N.t(unit_label(net, unit))
            symbols[target] = float(trace.targets[term.unit])
    for dep in term.depends:
        found = trace[dep]
        symbols[found.symbol] = found.value
    for connection in term.connections:
        key, index = parse_connection(connection)
        symbols[weight_symbol(net, N, key, index)] = float(trace.weights_before[key][index])
    derivatives: dict[tuple[str, str], str] = {}
    spelled: dict[str, str] = {}
    names: dict[str, str] = {}
    values: dict[str, float] = {}
    for shown, value in symbols.items():
        match = _DERIVATIVE.fullmatch(shown)
        if match:
            name = _INTERNAL.format(len(derivatives) + 1)
            derivatives[canonical_name(match[1]), canonical_name(match[2])] = name
            spelled[shown] = name
        elif _PLAIN_NAME.fullmatch(shown):
            name = shown
        else:  # w_h1,o1: the parser reads it braced, w_{h1,o1}
            stem, _, sub = shown.partition("_")
            name = shown
            spelled[shown] = f"{stem}_{{{sub}}}"
        names[name] = shown
        values[name] = value
    fn = net.fns[[layer.name for layer in net.layers].index(term.layer)] if term.layer else None
    definitions: dict[str, str] = {}
    if fn is not None and "a" in own and "n" in own and (value := _typed_value(fn, own["n"])):
        definitions[own["a"]] = value
    bare: list[str] = []
    slips: list[tuple[str, str]] = []
    if term.kind == "da_dn" and fn is not None:
        for symbol in own.values():
            stem = symbol.partition("_")[0]
            if stem not in _NO_BARE and stem not in names:
                bare.append(stem)
                definitions[stem] = symbol
                names[stem] = stem
                values[stem] = symbols[symbol]
        if fn.sloped and "a" in own:
            label = fn.typed_label or fn.name
            slips.append((f"{label} instead of {label}′", own["a"]))
        if "a" in own and "n" in own and "{a}" in fn.slope_formula:  # σ′ written with the net input: n(1 − n)
            on_n = _spell(fn.slope_symbols(own["n"], own["n"]), {}, spelled)
            slips.append((f"{own['n']} (the net input) in place of {own['a']} (the activation)", on_n))
    expected = _spell(term.formula, derivatives, spelled)
    if term.kind == "dE_da" and " + " in term.formula:
        parts = term.formula.split(" + ")
        for k, part in enumerate(parts):
            rest = " + ".join(parts[:k] + parts[k + 1 :])
            slips.append((f"{part} left out", _spell(rest, derivatives, spelled)))
    formula = TermFormula(
        term=term,
        shown=tuple(symbols),
        bare=tuple(bare),
        variables=tuple(names),
        expected=expected,
        definitions=definitions,
        slips=tuple(slips),
        values=values,
        _derivatives=derivatives,
        _spelled=spelled,
        _names=names,
    )
    try:  # the term's own formula must be one the checker reads, and equal itself
        if not check_symbolic(expected, expected, formula.variables, definitions).correct:
            raise ValueError(f"the formula of {term.symbol} is undefined where it is sampled")
    except AnswerFormError as err:
        raise ValueError(f"the formula of {term.symbol}, {term.formula}, cannot be typed: {err.message}") from None
    return formula


def check_formula(text: str, formula: TermFormula) -> FormulaVerdict:
    """Judge a typed formula for the term. Raises AnswerFormError (in the page's symbols) if it cannot be read."""
    variables, definitions = formula.variables, formula.definitions
    try:
        read = formula.read(text)
        verdict: Verdict = check_symbolic(read, formula.expected, variables, definitions)
        given = parse_expression(read, variables)
    except AnswerFormError as err:
        unknown = _UNKNOWN.match(err.message)  # a typo'd symbol: say which symbols, in the page's names
        message = formula.unknown(unknown[1]) if unknown else formula.shown_names(err.message)
        raise AnswerFormError(message, err.position) from None
    point = {symbol: complex(formula.values[symbol.name]) for symbol in given.free_symbols}
    value = numeric_value(given, point)
    number = float(value.real) if value is not None and abs(value.imag) < 1e-12 else None
    written = formula.shown_names(format_expression(given))
    if verdict.correct:
        return FormulaVerdict(True, None, written, number)
    slip = next(
        (name for name, slipped in formula.slips if check_symbolic(read, slipped, variables, definitions).correct),
        verdict.slip,
    )
    return FormulaVerdict(False, formula.shown_names(slip) if slip else None, written, number)


def formula_message(formula: TermFormula, verdict: FormulaVerdict) -> str:
    """The verdict in words: right, or the term's formula beside what was written and the slip."""
    term = formula.term
    gives = f" (here {fmt(verdict.value)})" if verdict.value is not None else ""
    if verdict.correct:
        return f"Right: {term.symbol} = {verdict.written}{gives}."
    why = f" Likely slip: {verdict.slip}." if verdict.slip else ""
    return f"Not quite: {term.symbol} = {term.formula}; you wrote {verdict.written}{gives}.{why}"


def _spell(text: str, derivatives: dict[tuple[str, str], str], spelled: dict[str, str]) -> str:
    """A display formula of the trace in the parser's spelling."""

    def derivative(match: re.Match[str]) -> str:
        return f" {derivatives[canonical_name(match[1]), canonical_name(match[2])]} "

    try:
        text = _DERIVATIVE.sub(derivative, text)
    except KeyError as err:
        raise ValueError(f"{text} uses a symbol the term does not depend on") from err
    for shown, name in sorted(spelled.items(), key=lambda item: -len(item[0])):
        if "∂" not in shown:
            text = re.sub(rf"(?<![\w]){re.escape(shown)}(?![\w])", f" {name} ", text)
    return text


def _typed_value(fn, n: str) -> str:
    """a = f(n) as the parser reads it: σ(n_h1), tanh(n_h1), n_h1 for a linear unit; "" if it has no name."""
    if fn.typed_names:
        return f"{fn.typed_names[1] if not fn.typed_names[0].isascii() else fn.typed_names[0]}({n})"
    if fn.name in ("tanh", "step"):
        return f"{fn.name}({n})"
    if fn.value_formula == "{n}":
        return n
    return ""
