"""Every derivation `e` shows is right: consecutive steps are equal (sympy, at random points), and the last
step is what the engine computes (its activation slopes and values, its losses, its fused softmax and
sigmoid deltas, its momentum update, its gradients on small networks). Every term of every bundled network
has an explanation, and each is written in the trace's notation, ending with the term's own numbers."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from engine import explain as X
from engine.activations import ACTIVATIONS
from engine.kinds import kind_of
from engine.losses import LOSSES
from engine.netfile import load_network
from engine.network import Layer, Network, Training
from engine.notation import notations

ALL = {
    **{f"slope.{k}": v for k, v in X.SLOPES.items()},
    **{f"value.{k}": v for k, v in X.ACTIVATION_VALUES.items()},
    **{f"dE_da.{k}": v for k, v in X.LOSS_SLOPES.items()},
    **{f"loss.{k}": v for k, v in X.LOSS_VALUES.items()},
    **X.RULES,
}
FUNCTIONS = {"d", "exp", "log", "sinh", "cosh", "tanh", "Max", "Heaviside", "Piecewise", "True"}
POINTS = 6


class Machine:
    """A derivation's `check` expressions as sympy, its `given` names written out where asked."""

    def __init__(self, derivation: X.Derivation):
        self.symbols: dict[str, sp.Symbol] = {}
        self.given: list[tuple[sp.Symbol, sp.Expr]] = []
        for name, text in derivation.given:
            self.given.append((self.symbol(name), self.parse(text)))
        self.steps = [self.full(self.parse(step.check)) for step in derivation.steps]

    def symbol(self, name: str) -> sp.Symbol:
        return self.symbols.setdefault(name, sp.Symbol(name, real=True))

    def parse(self, text: str) -> sp.Expr:
        names = {name: self.symbol(name) for name in re.findall(r"[A-Za-z_]\w*", text) if name not in FUNCTIONS}
        return sp.parse_expr(text, local_dict={**names, "d": self.d, "Max": sp.Max, "Heaviside": sp.Heaviside})

    def expand(self, expr: sp.Expr, keep: sp.Symbol | None = None) -> sp.Expr:
        """Write every given name out (but `keep`), until none is left."""
        for _ in range(len(self.given) + 1):
            expr = expr.subs([(name, value) for name, value in reversed(self.given) if name != keep])
        return expr

    def full(self, expr: sp.Expr) -> sp.Expr:
        return self.expand(expr).doit()

    def d(self, f: sp.Expr, x: sp.Symbol) -> sp.Expr:
        """∂f/∂x, holding the other given quantities at their definitions."""
        return sp.diff(self.expand(f, keep=x), x)

    def at(self, expr: sp.Expr, point: dict[sp.Symbol, float]) -> float:
        return float(sp.N(expr.subs(point)))

    def points(self, rng: random.Random):
        free = set().union(*(step.free_symbols for step in self.steps))
        for _ in range(POINTS):
            yield {s: _draw(s.name, rng) for s in free}


def _draw(name: str, rng: random.Random) -> float:
    """Activations and targets in (0.1, 0.9) (logs of a and 1 − a are taken); anything else ±(0.1..2)."""
    if name[0] in "at":
        return rng.uniform(0.1, 0.9)
    return rng.choice((-1, 1)) * rng.uniform(0.1, 2.0)


@pytest.mark.parametrize("key", sorted(ALL))
def test_consecutive_steps_are_equal(key):
    derivation = ALL[key]
    machine = Machine(derivation)
    rng = random.Random(key)
    for point in machine.points(rng):
        values = [machine.at(step, point) for step in machine.steps]
        for k, (before, after) in enumerate(itertools.pairwise(values)):
            assert after == pytest.approx(before, rel=1e-9, abs=1e-12), (key, k + 1, derivation.steps[k + 1].show)


def _last(derivation: X.Derivation):
    machine = Machine(derivation)
    return machine, machine.steps[-1]


def _values(machine, point):
    return {s.name: v for s, v in point.items()}


@pytest.mark.parametrize("name", sorted(X.SLOPES))
def test_slope_ends_at_the_engines_slope(name):
    machine, last = _last(X.SLOPES[name])
    fn = ACTIVATIONS[name]
    for point in machine.points(random.Random(name)):
        n = _values(machine, point).get("n", 0.7)  # a linear unit's slope does not depend on n
        a = float(fn.value(np.array([n]))[0])
        assert machine.at(last, point) == pytest.approx(fn.slope_at(n, a), rel=1e-12)


@pytest.mark.parametrize("name", sorted(X.ACTIVATION_VALUES))
def test_activation_ends_at_the_engines_value(name):
    machine, last = _last(X.ACTIVATION_VALUES[name])
    fn = ACTIVATIONS[name]
    for point in machine.points(random.Random(name)):
        v = _values(machine, point)
        n = np.array([[v["n1"], v["n2"], v["n3"]]]) if name == "softmax" else np.array([v["n"]])
        assert machine.at(last, point) == pytest.approx(float(np.ravel(fn.value(n))[0]), rel=1e-12)


@pytest.mark.parametrize("key", sorted(X.LOSS_SLOPES))
def test_loss_slope_ends_at_the_engines_dE_da(key):
    name, _, pairing = key.partition(".")
    activation = "sigmoid" if pairing == "binary" else "softmax"
    machine, last = _last(X.LOSS_SLOPES[key])
    for point in machine.points(random.Random(key)):
        v = _values(machine, point)
        engine = LOSSES[name].dE_da(np.array([v["a"]]), np.array([v["t"]]), activation)[0]
        assert machine.at(last, point) == pytest.approx(engine, rel=1e-12)


@pytest.mark.parametrize("name", sorted(X.LOSS_VALUES))
def test_loss_ends_at_the_engines_loss(name):
    machine, last = _last(X.LOSS_VALUES[name])
    for point in machine.points(random.Random(name)):
        v = {"t": 1.0, "t2": 0.0, "a2": 0.3, **_values(machine, point)}  # cross-entropy's last line has a only
        a, t = np.array([[v["a"], v["a2"]]]), np.array([[v["t"], v["t2"]]])
        assert machine.at(last, point) == pytest.approx(LOSSES[name].value(a, t, activation="softmax"), rel=1e-12)


def test_fused_softmax_delta_is_the_engines():
    machine, last = _last(X.RULES["dE_dn.fused.categorical"])
    ce, softmax = LOSSES["cross_entropy"], ACTIVATIONS["softmax"]
    for point in machine.points(random.Random(1)):
        v = _values(machine, point)
        n = np.array([[v["n1"], v["n2"], v["n3"]]])
        t = np.array([[v["t1"], v["t2"], 1 - v["t1"] - v["t2"]]])
        a = softmax.value(n)
        chained = softmax.backprop(ce.dE_da(a, t, "softmax"), n, a)[0, 0]  # the long way the derivation goes
        assert machine.at(last, point) == pytest.approx(chained, rel=1e-9)
        assert machine.at(last, point) == pytest.approx(_one_layer(n, t, "softmax", "cross_entropy")[0, 0], rel=1e-9)


def test_fused_sigmoid_delta_is_the_engines():
    machine, last = _last(X.RULES["dE_dn.fused.binary"])
    for point in machine.points(random.Random(2)):
        v = _values(machine, point)
        n, t = np.array([[v["n"]]]), np.array([[v["t"]]])
        assert machine.at(last, point) == pytest.approx(_one_layer(n, t, "sigmoid", "cross_entropy")[0, 0], rel=1e-9)


def _one_layer(n, t, activation, loss):
    """dE/dn of a one-layer network whose net inputs are `n` (an identity input, weights 1 on the diagonal)."""
    size = n.shape[1]
    net = Network(
        "one layer",
        [Layer("input", size), Layer("output", size, activation)],
        loss,
        params={"output": np.eye(size)},
    )
    return net.backward(net.forward(n, t)).dE_dn[1]


def test_momentum_recursion_is_the_engines_update():
    machine, last = _last(X.RULES["delta_w.momentum"])
    for point in machine.points(random.Random(3)):
        v = _values(machine, point)
        net = Network(
            "momentum",
            [Layer("input", 1), Layer("output", 1, "sigmoid")],
            training=Training(learning_rate=v["eps"], momentum=v["alpha"]),
            params={"output": np.zeros((1, 1))},
        )
        for g in ("g1", "g2", "g3"):
            change = net.update({"output": np.array([[v[g]]])})["output"][0, 0]
        assert machine.at(last, point) == pytest.approx(change, rel=1e-9)


def _sigmoid_net(sizes, params, x, t):
    layers = [Layer("input", sizes[0]), *(Layer(f"l{k}", s, "sigmoid") for k, s in enumerate(sizes[1:], 1))]
    net = Network("small", layers, params={key: np.array(value, float) for key, value in params.items()})
    return net.backward(net.forward(np.array([x], float), np.array([t], float)))


def test_weight_gradient_and_chain_are_the_engines():
    rng = random.Random(4)
    for derivation, shape in ((X.RULES["dE_dw"], "dE_dw"), (X.RULES["chain"], "chain")):
        machine, last = _last(derivation)
        for point in machine.points(rng):
            v = _values(machine, point)
            if shape == "dE_dw":
                net = Network(
                    "one unit",
                    [Layer("input", 2), Layer("output", 1, "sigmoid", bias=True)],
                    params={"output": np.array([[v["w"], v["w2"]]]), "output_bias": np.array([v["b"]])},
                )
                record = net.backward(net.forward(np.array([[v["ai"], v["a2"]]]), np.array([[v["t"]]])))
                engine = record.gradients["output"][0, 0]
            else:
                record = _sigmoid_net((1, 1, 1), {"l1": [[v["w"]]], "l2": [[v["v"]]]}, [v["x"]], [v["t"]])
                engine = record.gradients["l1"][0, 0]
            assert machine.at(last, point) == pytest.approx(engine, rel=1e-9)


def test_hidden_error_derivative_is_the_engines():
    machine, last = _last(X.RULES["dE_da.hidden"])
    for point in machine.points(random.Random(5)):
        v = _values(machine, point)
        # a 1-1-2 network whose hidden unit is linear with weight 1: its activation is the input, a_i
        net = Network(
            "fan out",
            [Layer("input", 1), Layer("hidden", 1, "linear"), Layer("output", 2, "sigmoid", bias=True)],
            params={
                "hidden": np.array([[1.0]]),
                "output": np.array([[v["w1"]], [v["w2"]]]),
                "output_bias": np.array([v["r1"], v["r2"]]),
            },
        )
        record = net.backward(net.forward(np.array([[v["ai"]]]), np.array([[v["t1"], v["t2"]]])))
        assert machine.at(last, point) == pytest.approx(record.dE_da[1][0, 0], rel=1e-9)


# -- every term of every bundled network is explained ---------------------------------------------------------


def _bundled():
    for path in sorted(Path("lessons/networks").glob("*.toml")):
        net = load_network(path)
        trace = kind_of(net).trace(0, None, 3)
        terms = list(trace.terms)
        first = net.layers[1].name  # a weight into the first hidden layer: several paths where it fans out
        weight = next((t.weight for t in terms if t.kind == "dE_dw" and t.weight and t.weight.key == first), None)
        if weight is not None and trace.steps is None:
            terms += trace.chain(weight.connection).terms()
        yield path.name, trace, terms


def test_every_term_of_every_bundled_network_is_explained():
    kinds = set()
    for name, trace, terms in _bundled():
        for term in terms:
            explanation = X.explain(term, trace)
            assert explanation is not None, (name, term.id, term.kind)
            assert explanation.lines and explanation.title
            assert explanation.numbers[-1].endswith(X.fmt(term.value))
            kinds.add(term.kind)
    assert {"dE_dw_source", "dE_da_back_in_time", "context", "factor", "chain_sum"} <= kinds


def test_the_derivation_meets_the_engines_rule():
    """Where a derivation ends in the rule the trace itself applies, its last line is that rule."""
    pairs = {
        ("dE_dw", "sigmoid"): "∂E/∂w_i,j = ∂E/∂n_j · a_i",
        ("da_dn", "sigmoid"): "∂a_j/∂n_j = a_j(1 − a_j)",
        ("da_dn", "tanh"): "∂a_j/∂n_j = 1 − a_j²",
        ("da_dn", "softplus"): "∂a_j/∂n_j = σ(n_j)",
        ("da_dn", "relu"): "∂a_j/∂n_j = u(n_j)",
        ("da_dn", "step"): "∂a_j/∂n_j = 0",
        ("da_dn", "linear"): "∂a_j/∂n_j = 1",
        ("dE_dn", "softmax"): "∂E/∂n_j = a_j − t_j",
    }
    met = set()
    for _, trace, terms in _bundled():
        if trace.steps is not None:
            continue
        for term in terms:
            layer = next((layer for layer in trace.net.layers if layer.name == term.layer), None)
            rule = pairs.get((term.kind, layer.activation if layer else None))
            if rule is None:
                continue
            met.add((term.kind, layer.activation))
            derivation = X.derivation_for(term, trace)
            _, _, lines = X.write(derivation, trace.notation)
            assert term.rule == rule
            assert f"{lines[0][0].split(' = ')[0]} {lines[-1][0]}" == rule
    assert met == set(pairs)


@pytest.mark.parametrize("key", sorted(notations()))
def test_every_derivation_writes_in_every_notation(key):
    notation = notations()[key]
    for derivation in ALL.values():
        title, idea, lines = X.write(derivation, notation)
        text = " ".join([title, idea, *(e + w for e, w in lines)])
        assert "{" not in text and "}" not in text, derivation.key
    _, _, lines = X.write(X.SLOPES["sigmoid"], notation)
    assert lines[-1][0] == f"= {notation.a('j')}(1 − {notation.a('j')})"
