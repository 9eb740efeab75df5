"""Turn a lesson's question and a seed into an Item: a question ready to ask, check and explain.

Numeric questions are asked on a network drawn afresh from the seed (`draw_network`); the
answer, the worked solution and the likely slips are all read from the engine's trace of that very
network, never recomputed on the side. Chain questions offer the factors of `Trace.chain(weight)`
mixed with plausible wrong ones, in an order shuffled by the seed. The same seed gives the same item.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.activations import ACTIVATIONS
from engine.netfile import layer_of
from engine.numbers import fmt
from engine.tomlfile import FileProblems
from engine.trace import Weight, unit_label
from tutor.lessons.model import LETTERS, Lesson, Page, Question
from tutor.lessons.networks import draw_network, load_ref
from tutor.quiz.check import (
    EPSILON_FORGOTTEN,
    HALF_FORGOTTEN,
    SIGN_FLIPPED,
    Verdict,
    check_numeric,
    sign_mirror,
    without_sign_flipped,
)

if TYPE_CHECKING:
    from engine.network import Network
    from engine.trace import Chain, Term, Trace

SLOPE_MISSING = "missing"  # slip names end with this: "a_h1(1 − a_h1) missing"
ALL_SLOPES_MISSING = "every a(1 − a) missing"
INPUT_MISSING = "the input to the weight missing"  # recurrent chains; feed-forward ones name it: "a_i1 missing"
MAX_DISTRACTORS = 4
MAX_SOLUTION_PATHS = 16  # a chain with more paths is summarized by its total only
_GRADIENT_KINDS = ("dE_dw", "dE_db")
_UPDATE_KINDS = ("delta_w", "new_w")
_CHOICE_REFERENCE = re.compile(r"(?P<word>\b[Cc]hoices? )\((?P<letter>[a-z])\)")


@dataclass(frozen=True)
class Slip:
    """A likely mistake: its name, the number it gives for this very network, and how that number comes about."""

    name: str
    value: float
    how: str


@dataclass(frozen=True)
class Path:
    """One product of chain-rule factors (loss first) and its value."""

    label: str  # "through o1"; empty when the chain has one path
    factors: tuple[Term, ...]
    product: float


@dataclass(frozen=True)
class ChainSolution:
    """A derivative written as a sum over paths of products of factors, from `Trace.chain`."""

    symbol: str  # ∂E/∂w_i1,h1, ∂E/∂n_h1 ...
    paths: tuple[Path, ...]
    total: float
    omitted: int = 0  # paths left out of `paths` because there were too many to show


@dataclass(frozen=True)
class Solution:
    """What a learner is shown after a wrong answer.

    `steps` are the trace's terms the learner had to compute, in the order the trace computes them,
    the asked term last; `chain` writes the asked quantity as chain-rule factors, when it has them;
    `expected` says the right answer in words.
    """

    expected: str
    steps: tuple[Term, ...] = ()
    chain: ChainSolution | None = None


@dataclass(frozen=True)
class Given:
    """One row of a numeric question's data: a group ("inputs", "weights into hidden"...) and its values."""

    group: str
    values: tuple[tuple[str, float], ...]  # (symbol, value)


@dataclass(frozen=True)
class Item:
    """One question as asked: its text, data, answer, the slips it anticipates and its worked solution."""

    lesson_id: str
    lesson_title: str
    page: int  # the quiz page, from 0
    index: int  # the question on that page, from 0
    question: Question
    seed: int | None  # what drew the numbers (numeric) or shuffled the options (chain); kept to replay it
    prompt: str  # Markdown
    answer: float | str | int | bool | tuple[str, ...]
    form: str  # what an answer looks like, shown beside the answer box
    solution: Solution
    choices: tuple[str, ...] = ()  # multiple choice: the choices; chain: the factors offered, in shown order
    order: tuple[int, ...] = ()  # multiple choice shuffled: the question's choice shown at each place; () as written
    digits: int = 3  # numeric: significant digits that must match
    slips: tuple[Slip, ...] = ()
    givens: tuple[Given, ...] = ()
    summary: str = ""  # numeric: the network's shape, loss and settings, in one paragraph
    network: Network | None = field(default=None, repr=False, compare=False)
    trace: Trace | None = field(default=None, repr=False, compare=False)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def key(self) -> tuple[str, int, int]:
        """(lesson id, quiz page, question index): where the question is written."""
        return (self.lesson_id, self.page, self.index)

    @property
    def hints(self) -> tuple[str, ...]:
        return self.question.hints

    @property
    def explanation(self) -> str:
        """The question's explanation; a "choice (c)" in it is relettered when the choices are shuffled."""
        text = self.question.explanation
        if not self.order:
            return text

        def shown(match: re.Match[str]) -> str:
            written = LETTERS.index(match["letter"])
            if written >= len(self.order):
                return match[0]
            return f"{match['word']}({LETTERS[self.order.index(written)]})"

        return _CHOICE_REFERENCE.sub(shown, text)

    def check(self, given: str | Sequence[str]) -> Verdict:
        """Judge an answer: text for every kind but chain, whose answer is the factors picked, in order.

        Raises AnswerFormError when the text cannot be read (the attempt does not count).
        """
        if (self.question.answered_with == "factors") == isinstance(given, str):
            raise TypeError("a chain is answered with a list of factors, every other kind with text")
        return self.question.judge(self, given)

    def slip(self, name: str | None) -> Slip | None:
        """The slip of that name; for "sign flipped and …", the named slip with its sign flipped as well."""
        found = next((s for s in self.slips if s.name == name), None)
        alone = without_sign_flipped(name) if found is None and name else None
        base = self.slip(alone) if alone else None
        if base is None:
            return found
        mirror = sign_mirror(float(self.answer), {s.name: s.value for s in self.slips})
        return Slip(name, mirror - base.value, f"{base.how}, and then the sign flipped")

    def matching_step(self, value: float) -> Term | None:
        """The solution's step whose value the learner's number matches, if any (the last such)."""
        found = None
        for term in self.solution.steps:
            if check_numeric(value, term.value, self.digits).correct:
                found = term
        return found


class GenerationError(ValueError):
    """A question that cannot be asked (its network or term is broken); the message says why."""


_BROKEN = (FileProblems, LookupError, ValueError, ArithmeticError, OSError)


# -- making items -------------------------------------------------------------------------------


def quiz_questions(lesson: Lesson) -> list[tuple[Page, Question]]:
    """Every question of a lesson's quiz pages, in the lesson's order."""
    return [(page, q) for page in lesson.pages for q in page.asks()]


def make_item(lesson: Lesson, page: Page, question: Question, seed: int | None, shuffle: bool = False) -> Item:
    """The question as asked with this seed (each kind makes its own: tutor/kinds/questions/). Raises
    GenerationError if its network or term is broken.

    With `shuffle`, a multiple-choice question's choices come in an order drawn from the seed (as when
    the missed questions are asked again, right after their answers were shown).
    """
    base = {
        "lesson_id": lesson.id,
        "lesson_title": lesson.title,
        "page": page.index,
        "index": question.index,
        "question": question,
        "seed": seed,
    }
    try:
        return question.item(base, seed, shuffle)
    except GenerationError:
        raise
    except _BROKEN as err:  # a broken network file or term must not stop the quiz: say what is wrong
        raise GenerationError(_problem_text(err)) from err


def _problem_text(err: Exception) -> str:
    problems = getattr(err, "problems", None)
    if problems:
        return "; ".join(str(p) for p in problems)
    return str(err.args[0]) if err.args else type(err).__name__


# -- numeric ------------------------------------------------------------------------------------


def numeric_item(question: Question, seed: int, base: dict) -> Item:
    from engine.kinds import build_trace

    net = draw_network(question, seed)
    trace = build_trace(net, question.pattern, question.network.notation)
    try:
        term = trace[question.term]
    except KeyError:
        raise GenerationError(f"the trace of network '{question.network.name}' has no term '{question.term}'") from None
    chain = _term_chain(trace, term)
    steps = tuple(trace[i] for i in sorted(trace.index(d) for d in _needed(trace, term.id)))
    solution = Solution(f"{term.symbol} = {fmt(term.value)}", steps, chain)
    return Item(
        **base,
        prompt=question.prompt,
        answer=term.value,
        digits=question.digits,
        form=f"A number, to {question.digits} significant digits: 0.0572, −5.72e−2 or 5.72 × 10^−2.",
        solution=solution,
        slips=tuple(_telling(_slips(trace, term, chain), term.value, question.digits)),
        givens=tuple(givens(trace)),
        summary=network_summary(trace),
        network=net,
        trace=trace,
    )


def _needed(trace: Trace, term_id: str) -> set[str]:
    """The term and, recursively, every term it is computed from."""
    seen: set[str] = set()
    pending = [term_id]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            pending.extend(trace[current].depends)
        except KeyError:
            seen.discard(current)  # a dependency the trace does not list as a term of its own
    return seen


def weight_of(term: Term) -> str | None:
    """The weight a gradient or update term is about: dE/dw.hidden.0.1 → hidden[0][1], db.output.0 → output_bias[0]."""
    if term.weight is None or term.kind not in (*_GRADIENT_KINDS, *_UPDATE_KINDS):
        return None
    return term.weight.connection


def _term_chain(trace: Trace, term: Term) -> ChainSolution | None:
    """The asked quantity as chain-rule factors, when the trace can expand it.

    Gradients and updates use the chain of their weight. ∂E/∂n_j and ∂E/∂a_j use the chain of a
    weight into unit j with its last factor(s) taken off, since ∂E/∂w_ij = ∂E/∂n_j · a_i and
    ∂E/∂n_j = ∂E/∂a_j · ∂a_j/∂n_j (feed-forward networks, elementwise activations for ∂E/∂a).
    """
    net = trace.net
    if term.kind in _UPDATE_KINDS and net.training.rule == "hebb":
        return None
    weight, drop = weight_of(term), 0
    if weight is None and term.step is None and term.pattern is None and term.kind in ("dE_dn", "dE_da"):
        k = [layer.name for layer in net.layers].index(term.layer)
        drop = 1 if term.kind == "dE_dn" else 2
        if drop == 2 and not net.fns[k].elementwise:
            return None
        weight = f"{term.layer}[{term.unit}][0]"
    if weight is None:
        return None
    try:
        chain = trace.chain(weight)
    except (KeyError, ValueError):
        return None  # too many paths to list, or a weight the chain cannot expand
    if all(len(path) - drop < 2 for path in chain.paths):
        return None  # one factor is no chain: the steps say it all
    return _solution_chain(trace, chain, term.symbol if drop else chain.symbol, drop)


def _solution_chain(trace: Trace, chain: Chain, symbol: str, drop: int) -> ChainSolution:
    paths = []
    for n, (factors, product) in enumerate(zip(chain.paths, chain.products, strict=True)):
        kept = tuple(factors[: len(factors) - drop])
        value = math.prod(f.value for f in kept) if drop else product.value
        label = "" if len(chain.paths) == 1 else _path_label(trace, chain, n, kept)
        paths.append(Path(label, kept, value))
    total = math.fsum(p.product for p in paths)
    shown = tuple(paths[:MAX_SOLUTION_PATHS])
    return ChainSolution(symbol, shown, total, len(paths) - len(shown))


def _path_label(trace: Trace, chain: Chain, n: int, factors: tuple[Term, ...]) -> str:
    """Name one path of a sum: the units it goes through ("through o1"), or E_t and the step in time."""
    if chain.products[n].step is not None:  # a path through time: named by its E_t and step
        return chain.products[n].symbol
    ends = set(chain.paths[n][-1].units)
    units = [u for f in factors for u in f.units if u not in ends]
    labels = [unit_label(trace.net, u) for u in dict.fromkeys(units)]
    return "through " + ", ".join(labels) if labels else f"path {n + 1}"


# -- slips --------------------------------------------------------------------------------------


def _slips(trace: Trace, term: Term, chain: ChainSolution | None) -> list[Slip]:
    """What the named slips would give for this term of this network, from the trace's own numbers.

    Gradient-level slips (a different ∂E/∂w) reach an update term through Δw = −ε·g + α·Δw(t−1)
    and w′ = w + Δw, with the trace's ε, α and weights.
    """
    net = trace.net
    to_term = _through_update(trace, term)
    if to_term is None:
        return []
    carried = {"delta_w": ", carried through Δw = −ε·∂E/∂w", "new_w": ", carried through w′ = w − ε·∂E/∂w"}
    slips = []
    if term.kind == "new_w":
        w = _weight_symbol(term)
        how = f"what {w} + ε·∂E/∂{w} gives: a step up the gradient instead of down it"
        slips.append(Slip(SIGN_FLIPPED, to_term(-_gradient(trace, term)), how))
    elif term.value != 0:
        slips.append(Slip(SIGN_FLIPPED, -term.value, "the right number with its sign flipped"))
    half = net.loss_name == "half_sse" and (
        term.kind == "loss" or term.phase == "update" or (term.phase == "backward" and term.kind != "da_dn")
    )
    if half:
        if term.kind == "loss":
            value, how = 2 * term.value, "what Σ(t − a)² gives, without the ½ in front"
        else:
            # Without the ½, ∂E/∂a = −2(t − a): the loss factor of every path doubles, and so does g.
            g = _gradient(trace, term)
            doubled = 2 * (chain.total if chain and term.phase != "update" else g)
            how = "what ∂E/∂a = −2(t − a) instead of −(t − a) gives: every number after it doubles"
            value = to_term(doubled)
        slips.append(Slip(HALF_FORGOTTEN, value, how))
    if term.kind in _UPDATE_KINDS:
        unscaled = _through_update(trace, term, learning_rate=1.0)
        how = "what Δw = −∂E/∂w gives, without the learning rate ε in front"
        slips.append(Slip(EPSILON_FORGOTTEN, unscaled(_gradient(trace, term)), how))
    if chain is not None:
        slips += _factor_slips(trace, term, chain, to_term)
    suffix = carried.get(term.kind, "")
    return [slip if slip.name == SIGN_FLIPPED else Slip(slip.name, slip.value, slip.how + suffix) for slip in slips]


def _telling(slips: list[Slip], answer: float, digits: int) -> list[Slip]:
    """The slips that can be told from the answer at `digits`; two that give the same number are named together."""
    kept: list[Slip] = []
    for slip in slips:
        if check_numeric(slip.value, answer, digits).correct:
            continue
        same = next((n for n, k in enumerate(kept) if check_numeric(slip.value, k.value, digits).correct), None)
        if same is None:
            kept.append(slip)
        else:
            k = kept[same]
            kept[same] = Slip(f"{k.name} or {slip.name}", k.value, f"{k.how}; or {slip.how}")
    return kept


def _through_update(trace: Trace, term: Term, learning_rate: float | None = None):
    """A function taking a gradient-level value to this term's value (the identity except for update terms).

    `learning_rate` replaces the network's ε (1.0: the step a forgotten ε makes).
    """
    if term.kind not in _UPDATE_KINDS:
        return lambda g: g
    if term.weight is None or trace.net.training.rule == "hebb":
        return None
    key, index = term.weight
    lr = trace.net.training.learning_rate if learning_rate is None else learning_rate
    momentum = trace.net.training.momentum
    previous = float(trace.net.velocity[key][index])
    before = float(trace.weights_before[key][index])
    if term.kind == "delta_w":
        return lambda g: -lr * g + momentum * previous
    return lambda g: before + (-lr * g + momentum * previous)


def _gradient(trace: Trace, term: Term) -> float:
    """∂E/∂w behind an update term (or the term's own value for any other)."""
    if term.kind not in _UPDATE_KINDS:
        return term.value
    return trace[term.weight.gradient_id].value


def _weight_symbol(term: Term) -> str:
    return term.symbol.removesuffix("′").removeprefix("Δ")


def _factor_slips(trace: Trace, term: Term, chain: ChainSolution, to_term) -> list[Slip]:
    """A lost activation slope a(1 − a), per unit and all at once; a lost last factor a_i of ∂E/∂w."""
    net, N = trace.net, trace.notation
    slopes: dict[tuple[str, int | None], None] = {}
    for path in chain.paths:
        for f in path.factors:
            if _is_slope(net, path.factors, f):
                slopes.setdefault((f.layer, f.unit), None)
    if chain.omitted:
        return []  # the sums below would leave out paths
    slips = []
    for unit in slopes:
        value = math.fsum(
            math.prod(f.value for f in p.factors if not (_is_slope(net, p.factors, f) and (f.layer, f.unit) == unit))
            for p in chain.paths
        )
        layer_name, j = unit
        k = [layer.name for layer in net.layers].index(layer_name)
        lab = net.layers[k].label(j)
        slope = net.fns[k].slope_symbols(N.a(lab), N.n(lab))
        how = f"what the chain gives without its factor ∂{N.a(lab)}/∂{N.n(lab)} = {slope}"
        slips.append(Slip(f"{slope} {SLOPE_MISSING}", to_term(value), how))
    if len(slopes) > 1:
        value = math.fsum(
            math.prod(f.value for f in p.factors if not _is_slope(net, p.factors, f)) for p in chain.paths
        )
        slips.append(Slip(ALL_SLOPES_MISSING, to_term(value), "what the chain gives without any activation slope"))
    last = chain.paths[0].factors[-1]
    if term.kind in ("dE_dw", *_UPDATE_KINDS) and not term.weight.is_bias and last.formula != "1":
        value = math.fsum(math.prod(f.value for f in p.factors[:-1]) for p in chain.paths)
        how = f"what the chain gives without its last factor {last.symbol} = {last.formula}"
        name = INPUT_MISSING if last.step is not None else f"{last.formula} {SLOPE_MISSING}"
        slips.append(Slip(name, to_term(value), how))
    return slips


def _is_slope(net: Network, factors: tuple[Term, ...], factor: Term) -> bool:
    """A factor ∂a_j/∂n_j of a unit whose slope can be forgotten (sigmoid, tanh, softplus: the activation's
    `sloped`): not the loss factor, not a weight (no connection)."""
    if factor is factors[0] or factor.connections or len(factor.units) != 1:
        return False
    layer = next((layer for layer in net.layers if layer.name == factor.layer), None)
    return layer is not None and layer.activation is not None and ACTIVATIONS[layer.activation].sloped


# -- the data a numeric question gives --------------------------------------------------------------


def givens(trace: Trace) -> list[Given]:
    """Everything a learner needs to work the term out: inputs, weights, targets and settings."""
    net, N = trace.net, trace.notation
    first, last = net.layers[0], net.layers[-1]
    rows = []
    unrolled = trace.steps is not None
    if unrolled:
        inputs, targets = net.sequences[trace.pattern]
        for s, (x, t) in enumerate(zip(inputs, targets, strict=True), start=1):
            values = [(N.at(N.a(lab, is_input=True), s), v) for lab, v in zip(first.labels, x, strict=True)]
            values += [(N.at(N.t(lab), s), v) for lab, v in zip(last.labels, t, strict=True)]
            rows.append(Given(f"step {s}", tuple(values)))
    else:
        rows.append(
            Given(
                "inputs",
                tuple((N.a(lab, is_input=True), float(v)) for lab, v in zip(first.labels, trace.inputs, strict=True)),
            )
        )
    for key in net.param_order:
        layer = layer_of(key)
        values = []
        for index in _indices(net.params[key].shape):
            term = trace[Weight(key, index).id]
            values.append((_weight_symbol(term), float(trace.weights_before[key][index])))
        what = "biases" if key.endswith("_bias") else "context weights" if key.endswith("_context") else "weights"
        rows.append(Given(f"{what} into {layer}", tuple(values)))
    if not unrolled:
        rows.append(
            Given("targets", tuple((N.t(lab), float(v)) for lab, v in zip(last.labels, trace.targets, strict=True)))
        )
    settings = [(N.learning_rate, net.training.learning_rate)]
    if net.training.momentum:
        settings.append((N.momentum, net.training.momentum))
    if unrolled:
        settings.append(("initial context", net.training.initial_context))
    rows.append(Given("settings", tuple(settings)))
    return rows


def _indices(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    if len(shape) == 1:
        return [(j,) for j in range(shape[0])]
    return [(j, i) for j in range(shape[0]) for i in range(shape[1])]


def network_summary(trace: Trace) -> str:
    """The network's layers, loss and settings in a sentence or two."""
    net, N = trace.net, trace.notation
    parts = []
    for layer in net.layers:
        if layer.activation is None:
            parts.append(f"{layer.size} input{'s' if layer.size != 1 else ''}")
            continue
        extras = [layer.activation]
        if layer.bias:
            extras.append("biases")
        if layer.context:
            extras.append("context units")
        parts.append(f"{layer.size} {layer.name} ({', '.join(extras)})")
    rule = next((term.rule for term in trace.terms if term.kind == "loss" and term.rule), "")
    loss = f"{net.loss.title}, {rule}" if rule else net.loss.title
    text = f"{' → '.join(parts)}. Loss: {loss}; {N.learning_rate} = {fmt(net.training.learning_rate)}"
    if net.training.momentum:
        text += f", {N.momentum} = {fmt(net.training.momentum)}"
    if trace.steps is not None:
        bptt = net.training.bptt_steps
        back = "all the way back" if bptt is None else f"{bptt} step{'s' if bptt != 1 else ''} back"
        text += f"; errors sent {back} in time"
    return text + "."


# -- chain assembly -----------------------------------------------------------------------------


def chain_item(question: Question, seed: int, base: dict) -> Item:
    from engine.kinds import build_trace

    net = load_ref(question.network)
    trace = build_trace(net, question.pattern, question.network.notation)
    chain = trace.chain(question.weight)
    rng = random.Random(seed)
    n = rng.randrange(len(chain.paths)) if len(chain.paths) > 1 else 0
    path = chain.paths[n]
    correct = tuple(f.symbol for f in path)
    prompt = question.prompt
    label = ""
    if len(chain.paths) > 1:
        label = _path_label(trace, chain, n, tuple(path))
        through_time = trace.steps is not None
        where, which = ("", f"for {label}") if through_time else (" from the error down to the weight", label)
        prompt += (
            f"\n\n{chain.symbol} is a sum over {len(chain.paths)} paths{where}. "
            f"Put in order the factors of the path {which}."
        )
    options = list(correct) + _distractors(trace, chain, n, rng)
    rng.shuffle(options)
    shown = ChainSolution(
        chain.symbol if len(chain.paths) == 1 else f"{chain.symbol}, {label}",
        (Path(label, tuple(path), chain.products[n].value),),
        chain.products[n].value,
    )
    return Item(
        **base,
        prompt=prompt,
        answer=correct,
        choices=tuple(options),
        form="Pick the factors in order, from the error down to the weight.",
        solution=Solution(" · ".join(correct), chain=shown),
        trace=trace,
        network=net,
    )


def _distractors(trace: Trace, chain: Chain, n: int, rng: random.Random) -> list[str]:
    """Plausible wrong factors: a slope upside down, a target for an activation, factors of other paths and weights."""
    net, N = trace.net, trace.notation
    path = chain.paths[n]
    taken = {_key(f.symbol) for f in path}
    made: list[str] = []
    slope = next((f for f in path[1:] if not f.connections and len(f.units) == 1), None)
    if slope is not None and "/∂" in slope.symbol:
        top, bottom = slope.symbol.removeprefix("∂").split("/∂", 1)
        made.append(f"∂{bottom}/∂{top}")  # upside down: ∂n/∂a for ∂a/∂n
    loss_factor = path[0]
    out = next(layer for layer in net.layers if layer.name == loss_factor.layer)
    target = N.t(out.label(loss_factor.unit))
    made.append(N.d(N.error, N.at(target, loss_factor.step)))  # a target instead of an activation
    others: list[str] = [f.symbol for m, p in enumerate(chain.paths) if m != n for f in p]
    for key in net.param_order:
        for index in _indices(net.params[key].shape):
            weight = key + "".join(f"[{i}]" for i in index)
            if weight == chain.weight or len(others) > 40:
                continue
            try:
                other = trace.chain(weight)
            except (KeyError, ValueError):
                continue
            others += [f.symbol for p in other.paths[:4] for f in p]
    pool_made = _unique(made, taken)
    pool_others = _unique(others, taken | {_key(s) for s in pool_made})
    picked = pool_made[:2]
    picked += rng.sample(pool_others, min(len(pool_others), MAX_DISTRACTORS - len(picked)))
    return picked


def _unique(symbols: list[str], exclude: set[str]) -> list[str]:
    seen = set(exclude)
    out = []
    for s in symbols:
        if _key(s) not in seen:
            seen.add(_key(s))
            out.append(s)
    return out


def _key(symbol: str) -> str:
    return "".join(symbol.split())


def term_slips(trace: Trace, term: Term, digits: int = 3) -> tuple[Slip, ...]:
    """The named slips of one term of a trace that can be told apart (for predictions on a trace page)."""
    return tuple(_telling(_slips(trace, term, _term_chain(trace, term)), term.value, digits))
