"""Where each rule of the trace comes from: one derivation per rule, written once, as data.

A `Derivation` is a short chain of equal expressions, from the definition a learner knows to the rule
the trace applies (σ′ = σ(1 − σ) from σ = 1/(1 + e^(−n)); a hidden unit's ∂E/∂a as a sum over the
units it feeds; δ = a − t for softmax with cross-entropy...). Each step is written twice: `show`,
for the learner, with the roles of the page's notation in braces ({n} is n_j, {ai} is a_i, {E} the
error...), and `check`, the same expression for a machine (sympy syntax, never evaluated here), so
a test can confirm that consecutive steps are equal at random points and that the last one is what
the engine computes. In `check`, d(f, x) is ∂f/∂x with every quantity of `given` other than x
written out; a name of `given` stands for its definition.

`explain(term, trace)` picks the derivation a term instantiates (by its kind, its layer's activation,
the network's loss and training) and writes it in the trace's notation, with the term's own numbers
at the end. Activations and losses are looked up by name, so each rule sits beside the activation,
loss or term kind it belongs to, in the tables at the end of this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.losses import cross_entropy_pairing
from engine.notation import Notation
from engine.numbers import fmt
from engine.trace import Term, Trace

SIGMOID = "1/(1 + exp(-n))"


@dataclass(frozen=True)
class Step:
    show: str  # the expression as the learner reads it, roles in braces: "{a}(1 − {a})"
    check: str  # the same for sympy: "a*(1 - a)"
    why: str = ""  # what was done to get here from the step before


@dataclass(frozen=True)
class Derivation:
    key: str
    title: str
    start: str  # the quantity derived, left of the first "=": "∂{a}/∂{n}"
    steps: tuple[Step, ...]
    given: tuple[tuple[str, str], ...] = ()  # for `check`: the names it uses, defined in order
    idea: str = ""  # the one sentence to remember


@dataclass(frozen=True)
class Explanation:
    """A derivation written out for one term: its title, its lines, and the term's numbers."""

    title: str
    idea: str
    lines: tuple[tuple[str, str], ...]  # (expression, why) per step; the first holds "start = ..."
    numbers: tuple[str, ...]  # the term itself: symbol = formula = numbers = value

    def plain(self) -> str:
        out = [self.title, ""]
        for expression, why in self.lines:
            out.append(f"{expression}   ({why})" if why else expression)
        if self.idea:
            out += ["", self.idea]
        return "\n".join([*out, "", *self.numbers])


def _d(top: str, bottom: str) -> str:
    return f"∂{top}/∂{bottom}"


# -- activations: a = f(n) and where its slope ∂a/∂n comes from ---------------------------------------------

SLOPES: dict[str, Derivation] = {
    "sigmoid": Derivation(
        "slope.sigmoid",
        "The sigmoid's slope, from σ(n) = 1/(1 + e^(−n))",
        "∂{a}/∂{n}",
        (
            Step("d/d{n} (1 + e^(−{n}))^(−1)", "d((1 + exp(-n))**-1, n)", "{a} = {sig}({n}) = 1/(1 + e^(−{n}))"),
            Step(
                "−(1 + e^(−{n}))^(−2) · (−e^(−{n}))",
                "-(1 + exp(-n))**-2 * (-exp(-n))",
                "power rule, then the chain rule: d/d{n} e^(−{n}) = −e^(−{n})",
            ),
            Step("e^(−{n}) / (1 + e^(−{n}))²", "exp(-n)/(1 + exp(-n))**2", "the two minus signs cancel"),
            Step(
                "1/(1 + e^(−{n})) · e^(−{n})/(1 + e^(−{n}))",
                "1/(1 + exp(-n)) * exp(-n)/(1 + exp(-n))",
                "split the square into two fractions",
            ),
            Step(
                "1/(1 + e^(−{n})) · (1 − 1/(1 + e^(−{n})))",
                "1/(1 + exp(-n)) * (1 - 1/(1 + exp(-n)))",
                "e^(−{n}) = (1 + e^(−{n})) − 1",
            ),
            Step("{a}(1 − {a})", "a*(1 - a)", "each fraction is {sig}({n}) = {a} again"),
        ),
        given=(("a", SIGMOID),),
        idea="The slope needs no new exponential: it is read off the activation itself, largest (¼) at {n} = 0.",
    ),
    "tanh": Derivation(
        "slope.tanh",
        "The tanh slope, from tanh(n) = sinh(n)/cosh(n)",
        "∂{a}/∂{n}",
        (
            Step("d/d{n} [sinh({n}) / cosh({n})]", "d(sinh(n)/cosh(n), n)", "{a} = tanh({n})"),
            Step(
                "[cosh({n})·cosh({n}) − sinh({n})·sinh({n})] / cosh²({n})",
                "(cosh(n)*cosh(n) - sinh(n)*sinh(n))/cosh(n)**2",
                "quotient rule: sinh′ = cosh, cosh′ = sinh",
            ),
            Step("1 − sinh²({n})/cosh²({n})", "1 - sinh(n)**2/cosh(n)**2", "divide each part by cosh²"),
            Step("1 − {a}²", "1 - a**2", "sinh/cosh is tanh = {a}"),
        ),
        given=(("a", "tanh(n)"),),
        idea="Like the sigmoid's, the slope is read off the activation: "
        "1 at {n} = 0, near 0 when the unit saturates at ±1.",
    ),
    "relu": Derivation(
        "slope.relu",
        "The ReLU's slope, from max(0, n)",
        "∂{a}/∂{n}",
        (
            Step("d/d{n} max(0, {n})", "d(Max(0, n), n)", "{a} = max(0, {n})"),
            Step(
                "1 where {n} > 0 (the line {a} = {n}), 0 where {n} < 0 (the flat {a} = 0)",
                "Piecewise((1, n > 0), (0, True))",
                "each side is a straight line",
            ),
            Step("u({n})", "Heaviside(n)", "u is the unit step; at exactly 0 the lectures take 1"),
        ),
        idea="A ReLU passes the error back unchanged while it is active and not at all while it is off.",
    ),
    "softplus": Derivation(
        "slope.softplus",
        "The softplus slope, from ln(1 + e^n)",
        "∂{a}/∂{n}",
        (
            Step("d/d{n} ln(1 + e^{n})", "d(log(1 + exp(n)), n)", "{a} = ln(1 + e^{n})"),
            Step("e^{n} / (1 + e^{n})", "exp(n)/(1 + exp(n))", "d ln(x) = dx/x, and d/d{n} e^{n} = e^{n}"),
            Step("1 / (1 + e^(−{n}))", "1/(1 + exp(-n))", "divide top and bottom by e^{n}"),
            Step("{sig}({n})", SIGMOID, "that is the sigmoid"),
        ),
        idea="Softplus is a smooth ReLU whose slope is the sigmoid: between 0 and 1, so some error always passes.",
    ),
    "step": Derivation(
        "slope.step",
        "Why a step unit passes nothing back",
        "∂{a}/∂{n}",
        (
            Step("d/d{n} u({n})", "d(Heaviside(n), n)", "{a} = u({n}): 1 for {n} ≥ 0, else 0"),
            Step("0", "0", "u is flat on both sides of the threshold; at {n} = 0 it jumps, and a jump has no slope"),
        ),
        idea="∂E/∂{n} = ∂E/∂{a} · 0 = 0: no error derivative passes a step "
        "unit, so backprop cannot train the weights below it.",
    ),
    "linear": Derivation(
        "slope.linear",
        "The slope of a linear unit",
        "∂{a}/∂{n}",
        (Step("d/d{n} {n}", "d(n, n)", "{a} = {n}"), Step("1", "1", "the derivative of n by n")),
        idea="A linear unit passes its error back unchanged.",
    ),
}

ACTIVATION_VALUES: dict[str, Derivation] = {
    "sigmoid": Derivation(
        "value.sigmoid",
        "The sigmoid squashes any net input into (0, 1)",
        "{a}",
        (
            Step("{sig}({n}) = 1/(1 + e^(−{n}))", SIGMOID, "the logistic function"),
            Step("e^{n} / (e^{n} + 1)", "exp(n)/(exp(n) + 1)", "top and bottom times e^{n}"),
        ),
        idea="Large positive {n} gives nearly 1, large negative nearly 0, and {n} = 0 gives ½.",
    ),
    "tanh": Derivation(
        "value.tanh",
        "tanh squashes any net input into (−1, 1)",
        "{a}",
        (
            Step("tanh({n})", "tanh(n)", ""),
            Step("(e^{n} − e^(−{n})) / (e^{n} + e^(−{n}))", "(exp(n) - exp(-n))/(exp(n) + exp(-n))", "its definition"),
            Step("2{sig}(2{n}) − 1", "2/(1 + exp(-2*n)) - 1", "a sigmoid stretched to (−1, 1)"),
        ),
    ),
    "relu": Derivation(
        "value.relu",
        "A ReLU passes positive net input and cuts negative net input to 0",
        "{a}",
        (Step("max(0, {n})", "Max(0, n)", ""), Step("{n} · u({n})", "n*Heaviside(n)", "u({n}) is 1 when {n} ≥ 0")),
    ),
    "softplus": Derivation(
        "value.softplus",
        "Softplus: a ReLU with the corner rounded off",
        "{a}",
        (
            Step("ln(1 + e^{n})", "log(1 + exp(n))", ""),
            Step(
                "{n} + ln(1 + e^(−{n}))",
                "n + log(1 + exp(-n))",
                "take e^{n} out of the bracket: near {n} for large {n}",
            ),
        ),
    ),
    "step": Derivation(
        "value.step",
        "A threshold unit: on or off",
        "{a}",
        (Step("u({n})", "Heaviside(n)", "1 for {n} ≥ 0, else 0: McCulloch and Pitts' unit"),),
    ),
    "linear": Derivation("value.linear", "A linear unit passes its net input on", "{a}", (Step("{n}", "n", ""),)),
    "softmax": Derivation(
        "value.softmax",
        "Softmax turns a layer's net inputs into probabilities that sum to 1",
        "{a}",
        (
            Step("e^{n} / Σ_k e^{nk}", "exp(n1)/s", "every output depends on every net input of its layer"),
            Step(
                "1 / (1 + Σ_(k≠j) e^({nk} − {n}))",
                "1/(1 + exp(n2 - n1) + exp(n3 - n1))",
                "divide top and bottom by e^{n}",
            ),
        ),
        given=(("s", "exp(n1) + exp(n2) + exp(n3)"),),
    ),
}

# -- losses: E and where ∂E/∂a comes from -------------------------------------------------------------------

LOSS_SLOPES: dict[str, Derivation] = {
    "half_sse": Derivation(
        "dE_da.half_sse",
        "∂E/∂a of half the squared error",
        "∂{E}/∂{a}",
        (
            Step("∂/∂{a} ½ Σ_k ({tk} − {ak})²", "d((t - a)**2/2 + (t2 - a2)**2/2, a)", "{E} = ½ Σ_k ({tk} − {ak})²"),
            Step(
                "½ · 2({t} − {a}) · (−1)", "(1/2)*2*(t - a)*(-1)", "only k = j depends on {a}; chain rule on the square"
            ),
            Step("−({t} − {a})", "-(t - a)", "the ½ is there to cancel the 2"),
        ),
        idea="The error derivative is the output's miss, with the sign that says which way to move {a}.",
    ),
    "sse": Derivation(
        "dE_da.sse",
        "∂E/∂a of the squared error",
        "∂{E}/∂{a}",
        (
            Step("∂/∂{a} Σ_k ({tk} − {ak})²", "d((t - a)**2 + (t2 - a2)**2, a)", "{E} = Σ_k ({tk} − {ak})²"),
            Step("2({t} − {a}) · (−1)", "2*(t - a)*(-1)", "only k = j depends on {a}; chain rule on the square"),
            Step("−2({t} − {a})", "-2*(t - a)", "without a ½ in front, the 2 stays"),
        ),
        idea="Twice half_sse's: the same direction, steps twice as long.",
    ),
    "cross_entropy": Derivation(
        "dE_da.cross_entropy",
        "∂E/∂a of cross-entropy",
        "∂{E}/∂{a}",
        (
            Step("∂/∂{a} (−Σ_k {tk} ln {ak})", "d(-(t*log(a) + t2*log(a2)), a)", "{E} = −Σ_k {tk} ln {ak}"),
            Step("−{t} / {a}", "-t/a", "only k = j depends on {a}; d ln x = dx/x"),
        ),
    ),
    "cross_entropy.binary": Derivation(
        "dE_da.cross_entropy.binary",
        "∂E/∂a of cross-entropy for outputs that are each a probability",
        "∂{E}/∂{a}",
        (
            Step(
                "∂/∂{a} (−[{t} ln {a} + (1 − {t}) ln(1 − {a})])",
                "d(-(t*log(a) + (1 - t)*log(1 - a)), a)",
                "{E} = −Σ_k [{tk} ln {ak} + (1 − {tk}) ln(1 − {ak})]",
            ),
            Step("−{t}/{a} + (1 − {t})/(1 − {a})", "-t/a + (1 - t)/(1 - a)", "d ln x = dx/x, and d(1 − {a}) = −d{a}"),
        ),
    ),
}

LOSS_VALUES: dict[str, Derivation] = {
    "half_sse": Derivation(
        "loss.half_sse",
        "The error: half the sum of squared misses",
        "{E}",
        (Step("½ Σ_j ({t} − {a})²", "((t - a)**2 + (t2 - a2)**2)/2", "a miss either way counts, large ones most"),),
        idea="The ½ is a convenience: it cancels the 2 the square brings down in ∂E/∂a.",
    ),
    "sse": Derivation(
        "loss.sse",
        "The error: the sum of squared misses",
        "{E}",
        (Step("Σ_j ({t} − {a})²", "(t - a)**2 + (t2 - a2)**2", "a miss either way counts, large ones most"),),
    ),
    "cross_entropy": Derivation(
        "loss.cross_entropy",
        "Cross-entropy: how surprised the network is by the target",
        "{E}",
        (
            Step("−Σ_j {t} ln {a}", "-(t*log(a) + t2*log(a2))", ""),
            Step("−ln {a} of the target unit", "-log(a)", "with a one-hot target only its unit's term is left"),
        ),
        given=(("t", "1"), ("t2", "0")),
    ),
}

# -- the other terms: by kind --------------------------------------------------------------------------------

RULES: dict[str, Derivation] = {
    "net_input": Derivation(
        "net_input",
        "The net input: a weighted sum of what feeds the unit",
        "{n}",
        (
            Step(
                "Σ_i {ai} {wij} + {bj}",
                "a1*w1 + a2*w2 + b",
                "each sending unit's activation times its weight, plus a bias",
            ),
        ),
        idea="It is linear in every weight and every input: this is why ∂{n}/∂{wij} = {ai} later.",
    ),
    "loss.unrolled": Derivation(
        "loss.unrolled",
        "A sequence's error is the sum of its steps' errors",
        "{E}",
        (Step("Σ_t {E}_t", "E1 + E2", "each step t has its own target, and its own error {E}_t"),),
        idea="So each step's error sends its own gradient back, and the gradients add up.",
    ),
    "context": Derivation(
        "context",
        "A context unit holds the hidden unit's activation from the step before",
        "{c}(t)",
        (Step("{a}(t − 1)", "a", "Elman's copy-back connection, weight 1, not trained"),),
        idea="So the hidden layer at step t sees the input and its own state "
        "at t − 1: a memory, and a way back in time for the error.",
    ),
    "dE_dn": Derivation(
        "dE_dn",
        "From ∂E/∂a to ∂E/∂n: one factor of the chain rule",
        "∂{E}/∂{n}",
        (
            Step("∂{E}/∂{n}", "d(E, n)", "{E} depends on {n} only through {a} = f({n})"),
            Step("∂{E}/∂{a} · ∂{a}/∂{n}", "d(E, a) * d(a, n)", "the chain rule"),
        ),
        given=(("a", SIGMOID), ("E", "(t - a)**2/2")),
        idea="This is the unit's delta, δ: the error signal every weight into the unit uses.",
    ),
    "dE_dn.fused.categorical": Derivation(
        "dE_dn.fused.categorical",
        "Why softmax with cross-entropy gives δ = a − t",
        "∂{E}/∂{n}",
        (
            Step(
                "Σ_k ∂{E}/∂{ak} · ∂{ak}/∂{n}",
                "d(E, a1)*d(a1, n1) + d(E, a2)*d(a2, n1) + d(E, a3)*d(a3, n1)",
                "every softmax output {ak} depends on {n}, so the chain rule sums over k",
            ),
            Step(
                "(−{t}/{a}) · {a}(1 − {a}) + Σ_(k≠j) (−{tk}/{ak}) · (−{ak}{a})",
                "(-t1/a1)*a1*(1 - a1) + (-t2/a2)*(-a2*a1) + (-t3/a3)*(-a3*a1)",
                "∂E/∂{ak} = −{tk}/{ak}; k = j: ∂{a}/∂{n} = {a}(1 − {a}); k ≠ j: ∂{ak}/∂{n} = −{ak}{a}",
            ),
            Step("−{t} + {t}{a} + {a} Σ_(k≠j) {tk}", "-t1 + t1*a1 + a1*(t2 + t3)", "each {ak} cancels"),
            Step("−{t} + {a} Σ_k {tk}", "-t1 + a1*(t1 + t2 + t3)", "gather the {a} terms"),
            Step("{a} − {t}", "a1 - t1", "the targets sum to 1"),
        ),
        given=(
            ("t3", "1 - t1 - t2"),
            ("s", "exp(n1) + exp(n2) + exp(n3)"),
            ("a1", "exp(n1)/s"),
            ("a2", "exp(n2)/s"),
            ("a3", "exp(n3)/s"),
            ("E", "-(t1*log(a1) + t2*log(a2) + t3*log(a3))"),
        ),
        idea="The softmax's slopes cancel cross-entropy's 1/a exactly: "
        "the error signal is the plain miss, never stuck small.",
    ),
    "dE_dn.fused.binary": Derivation(
        "dE_dn.fused.binary",
        "Why a sigmoid with cross-entropy gives δ = a − t",
        "∂{E}/∂{n}",
        (
            Step("∂{E}/∂{a} · ∂{a}/∂{n}", "d(E, a) * d(a, n)", "the chain rule"),
            Step(
                "(−{t}/{a} + (1 − {t})/(1 − {a})) · {a}(1 − {a})",
                "(-t/a + (1 - t)/(1 - a)) * a*(1 - a)",
                "cross-entropy's ∂E/∂a and the sigmoid's slope",
            ),
            Step("−{t}(1 − {a}) + (1 − {t}){a}", "-t*(1 - a) + (1 - t)*a", "multiply out: the fractions cancel"),
            Step("{a} − {t}", "a - t", "the {t}{a} terms cancel"),
        ),
        given=(("a", SIGMOID), ("E", "-(t*log(a) + (1 - t)*log(1 - a))")),
        idea="The sigmoid's slope a(1 − a) cancels cross-entropy's "
        "denominators: a saturated wrong unit still gets a full error.",
    ),
    "dE_da.hidden": Derivation(
        "dE_da.hidden",
        "Why a hidden unit's ∂E/∂a is a sum over the units it feeds",
        "∂{E}/∂{ai}",
        (
            Step("∂{E}/∂{ai}", "d(E, ai)", "{E} depends on {ai} through the net input of every unit j it feeds"),
            Step(
                "Σ_j ∂{E}/∂{n} · ∂{n}/∂{ai}",
                "d(E, n1)*d(n1, ai) + d(E, n2)*d(n2, ai)",
                "the chain rule with several paths: add them",
            ),
            Step(
                "Σ_j ∂{E}/∂{n} · {wij}",
                "d(E, n1)*w1 + d(E, n2)*w2",
                "{n} = Σ_i {ai} {wij} + {bj}, so ∂{n}/∂{ai} = {wij}",
            ),
        ),
        given=(
            ("n1", "ai*w1 + r1"),
            ("n2", "ai*w2 + r2"),
            ("E", "((t1 - 1/(1 + exp(-n1)))**2 + (t2 - 1/(1 + exp(-n2)))**2)/2"),
        ),
        idea="The error comes back along the same weights the activation went forward on: this is the backward pass.",
    ),
    "dE_da.back_in_time": Derivation(
        "dE_da.back_in_time",
        "How the error goes back a time step, through the context units",
        "∂{E}_t/∂{ai}(t − 1)",
        (
            Step("∂{E}_t/∂{ai}(t − 1)", "d(E, ai)", "{ai}(t − 1) is copied into the context unit {c}(t)"),
            Step(
                "Σ_j ∂{E}_t/∂{n}(t) · ∂{n}(t)/∂{c}(t)",
                "d(E, n1)*d(n1, ai) + d(E, n2)*d(n2, ai)",
                "the chain rule over every hidden unit j the context unit feeds at step t",
            ),
            Step("Σ_j ∂{E}_t/∂{n}(t) · w_c", "d(E, n1)*w1 + d(E, n2)*w2", "∂{n}(t)/∂{c}(t) is the context weight w_c"),
        ),
        given=(
            ("n1", "ai*w1 + r1"),
            ("n2", "ai*w2 + r2"),
            ("E", "((t1 - 1/(1 + exp(-n1)))**2 + (t2 - 1/(1 + exp(-n2)))**2)/2"),
        ),
        idea="Unrolled in time, the context weights are just more "
        "forward connections, and the error flows back along them.",
    ),
    "dE_dw": Derivation(
        "dE_dw",
        "Why ∂E/∂w = ∂E/∂n · a: the weight's own factor is the activation it carries",
        "∂{E}/∂{wij}",
        (
            Step("∂{E}/∂{wij}", "d(E, w)", "{E} depends on {wij} only through {n}"),
            Step("∂{E}/∂{n} · ∂{n}/∂{wij}", "d(E, n)*d(n, w)", "the chain rule"),
            Step("∂{E}/∂{n} · ∂/∂{wij} (Σ_k a_k w_k,j + {bj})", "d(E, n)*d(ai*w + a2*w2 + b, w)", "{n} written out"),
            Step("∂{E}/∂{n} · {ai}", "d(E, n)*ai", "only the term {ai} {wij} holds {wij}"),
        ),
        given=(("n", "ai*w + a2*w2 + b"), ("E", "(t - 1/(1 + exp(-n)))**2/2")),
        idea="A weight from a unit that was off ({ai} = 0) does not change: it did not contribute to the error.",
    ),
    "dE_db": Derivation(
        "dE_db",
        "A bias is a weight from a unit that is always 1",
        "∂{E}/∂{bj}",
        (
            Step("∂{E}/∂{n} · ∂{n}/∂{bj}", "d(E, n)*d(n, b)", "the chain rule"),
            Step("∂{E}/∂{n} · 1", "d(E, n)*1", "{n} = Σ_i {ai} {wij} + {bj}"),
        ),
        given=(("n", "ai*w + b"), ("E", "(t - 1/(1 + exp(-n)))**2/2")),
    ),
    "dE_dw.source": Derivation(
        "dE_dw.source",
        "One error E_t's gradient: a shared weight sums over its copies in time",
        "∂{E}_t/∂{wij}",
        (
            Step("∂{E}_t/∂{wij}", "d(E, w)", "unrolled, the same weight {wij} sits in every time step s"),
            Step(
                "Σ_s ∂{E}_t/∂{n}(s) · ∂{n}(s)/∂{wij}",
                "d(E, n2)*d(n2, w2) + d(E, n1)*d(n1, w1)",
                "the chain rule over each copy s = 1, 2 … t",
            ),
            Step(
                "Σ_s ∂{E}_t/∂{n}(s) · {ai}(s)",
                "d(E, n2)*x2 + d(E, n1)*x1",
                "each copy's ∂{n}(s)/∂{wij} is the activation it carried then",
            ),
        ),
        given=(
            ("w1", "w"),
            ("w2", "w"),
            ("n1", "w1*x1"),
            ("h1", "1/(1 + exp(-n1))"),
            ("n2", "w2*x2 + v*h1"),
            ("E", "(t - 1/(1 + exp(-n2)))**2/2"),
        ),
        idea="Backprop through time is the ordinary chain rule on the unrolled network, with every copy's share added.",
    ),
    "dE_dw.unrolled": Derivation(
        "dE_dw.unrolled",
        "Why an unrolled ∂E/∂w sums over time steps",
        "∂{E}/∂{wij}",
        (
            Step(
                "∂/∂{wij} Σ_t {E}_t", "d(E1 + E2, w)", "the sequence's error is the sum of each step's, {E} = Σ_t {E}_t"
            ),
            Step("Σ_t ∂{E}_t/∂{wij}", "d(E1, w) + d(E2, w)", "the derivative of a sum is the sum of the derivatives"),
        ),
        given=(
            ("n1", "w*x1"),
            ("n2", "w*x2 + v/(1 + exp(-n1))"),
            ("E1", "(t1 - 1/(1 + exp(-n1)))**2/2"),
            ("E2", "(t2 - 1/(1 + exp(-n2)))**2/2"),
        ),
        idea="Each step's error has its own gradient (the terms before this one); the update uses their sum, once.",
    ),
    "delta_w": Derivation(
        "delta_w",
        "Gradient descent: a step against the gradient",
        "Δ{wij}",
        (
            Step(
                "−{eps} · ∂{E}/∂{wij}", "-eps*g", "∂{E}/∂{wij} > 0 means more {wij} gives more error: go the other way"
            ),
        ),
        idea="{eps} sets the step: too small and learning crawls, too large and it overshoots.",
    ),
    "delta_w.momentum": Derivation(
        "delta_w.momentum",
        "Momentum: each change keeps a share {alpha} of the last one",
        "Δ{wij}(t)",
        (
            Step("−{eps} ∂{E}/∂{wij}(t) + {alpha} Δ{wij}(t−1)", "-eps*g3 + alpha*D2", "the rule"),
            Step(
                "−{eps} ∂{E}/∂{wij}(t) + {alpha}(−{eps} ∂{E}/∂{wij}(t−1) + {alpha} Δ{wij}(t−2))",
                "-eps*g3 + alpha*(-eps*g2 + alpha*D1)",
                "the rule again, for Δ{wij}(t−1)",
            ),
            Step(
                "−{eps} [∂{E}/∂{wij}(t) + {alpha} ∂{E}/∂{wij}(t−1) + {alpha}² ∂{E}/∂{wij}(t−2) + …]",
                "-eps*(g3 + alpha*g2 + alpha**2*g1)",
                "and again, down to the first step",
            ),
        ),
        given=(("D1", "-eps*g1"), ("D2", "-eps*g2 + alpha*D1")),
        idea="Every past gradient still pushes, shrunk by {alpha} per "
        "step: steady directions speed up, zig-zags cancel.",
    ),
    "delta_w.hebb": Derivation(
        "delta_w.hebb",
        "Hebb's rule: units that are on together get a stronger connection",
        "Δ{wij}",
        (Step("{eps} · {t} · {ai}", "eps*t*ai", "the output unit is clamped to its target {t}"),),
        idea="No error is involved: Hebb learns correlations, which works only when the input patterns are orthogonal.",
    ),
    "new_w": Derivation(
        "new_w",
        "The new weight",
        "{wij}′",
        (Step("{wij} + Δ{wij}", "w + D", "the change is added to the weight"),),
    ),
    "chain": Derivation(
        "chain",
        "The chain rule: ∂E/∂w as a product of factors along each path from E down to w",
        "∂{E}/∂w",
        (
            Step("∂{E}/∂w", "d(E, w)", "w affects {E} through a chain of quantities: w → n_h → a_h → n_o → a_o → E"),
            Step(
                "∂{E}/∂a_o · ∂a_o/∂n_o · ∂n_o/∂a_h · ∂a_h/∂n_h · ∂n_h/∂w",
                "d(E, ao)*d(ao, no)*d(no, ah)*d(ah, nh)*d(nh, w)",
                "the chain rule, one factor per link",
            ),
            Step(
                "−(t − a_o) · a_o(1 − a_o) · v · a_h(1 − a_h) · x",
                "-(t - ao)*ao*(1 - ao)*v*ah*(1 - ah)*x",
                "each factor is a rule of its own (e explains them in the trace)",
            ),
        ),
        given=(
            ("nh", "w*x"),
            ("ah", "1/(1 + exp(-nh))"),
            ("no", "v*ah"),
            ("ao", "1/(1 + exp(-no))"),
            ("E", "(t - ao)**2/2"),
        ),
        idea="When a unit feeds several units there are several paths; their products add up to ∂E/∂w.",
    ),
}


# -- choosing and writing ------------------------------------------------------------------------------------


def derivation_for(term: Term, trace: Trace) -> Derivation | None:
    """The derivation `term` instantiates; None for a kind without one (there should be none)."""
    net = trace.net
    layer = next((layer for layer in net.layers if layer.name == term.layer), None)
    activation = layer.activation if layer is not None else ""
    output = layer is not None and layer is net.layers[-1]
    kind = term.kind
    if kind == "activation":
        return ACTIVATION_VALUES.get(activation)
    if kind == "da_dn":
        return SLOPES.get(activation)
    if kind == "loss":
        return (
            LOSS_VALUES.get(net.loss.name) if trace.steps is None or term.step is not None else RULES["loss.unrolled"]
        )
    if kind == "dE_da":
        if not output:
            return RULES["dE_da.hidden"]
        pairing = cross_entropy_pairing(activation) if net.loss.fuses_with(activation) else ""
        return LOSS_SLOPES.get(f"{net.loss.name}.{pairing}" if pairing == "binary" else net.loss.name)
    if kind == "dE_da_back_in_time":
        return RULES["dE_da.back_in_time"]
    if kind == "dE_dn":
        if output and net.loss.fuses_with(activation):
            return RULES[f"dE_dn.fused.{cross_entropy_pairing(activation)}"]
        return RULES["dE_dn"]
    if kind == "dE_dw":
        return RULES["dE_dw.unrolled"] if trace.steps is not None else RULES["dE_dw"]
    if kind == "delta_w":
        if net.training.rule == "hebb":
            return RULES["delta_w.hebb"]
        return RULES["delta_w.momentum" if net.training.momentum else "delta_w"]
    if kind in ("factor", "chain_product", "chain_sum"):
        return RULES["chain"]
    return RULES.get(KIND_RULES.get(kind, kind))


KIND_RULES = {"dE_dw_source": "dE_dw.source"}


def roles(notation: Notation) -> dict[str, str]:
    """The names a derivation's `show` text uses, in a notation: {n} is the unit j's net input, and so on."""
    N = notation
    return {
        "n": N.n("j"),
        "a": N.a("j"),
        "t": N.t("j"),
        "c": N.c("j"),
        "ai": N.a("i"),
        "nk": N.n("k"),
        "ak": N.a("k"),
        "tk": N.t("k"),
        "wij": N.w("i", "j"),
        "bj": N.b("j"),
        "E": N.error,
        "eps": N.learning_rate,
        "alpha": N.momentum,
        "sig": N.sigmoid,
    }


def write(derivation: Derivation, notation: Notation) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """A derivation in a notation: (title, idea, lines), the first line "start = step 1", then "= step k"."""
    names = roles(notation)
    lines = []
    for k, step in enumerate(derivation.steps):
        left = derivation.start.format_map(names) + " = " if k == 0 else "= "
        lines.append((left + step.show.format_map(names), step.why.format_map(names)))
    return derivation.title.format_map(names), derivation.idea.format_map(names), tuple(lines)


def explain(term: Term, trace: Trace) -> Explanation | None:
    """Where `term`'s rule comes from, in the trace's notation, ending with the term's own numbers."""
    derivation = derivation_for(term, trace)
    if derivation is None:
        return None
    title, idea, lines = write(derivation, trace.notation)
    numbers = (f"Here: {term.symbol} = {term.formula}", f"    = {term.expression} = {fmt(term.value)}")
    return Explanation(title, idea, lines, numbers)
