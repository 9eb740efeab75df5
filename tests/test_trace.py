"""The trace: built from the engine's arrays, complete, ordered, and consistent with its own formulas."""

from __future__ import annotations

import numpy as np
import pytest

from engine.kinds import build_trace
from engine.netfile import layer_of, load_network
from engine.network import Layer, Network, Training
from engine.trace import chain_weight, gradient_id, parse_connection
from tests.arithmetic import evaluate
from tests.test_gradients import random_net

BUNDLED = ["one_hidden_unit", "two_two_two", "xor", "encoder_424"]


def mixed_nets():
    yield random_net("tanh", "softmax", "cross_entropy", True, 1)
    yield random_net("relu", "linear", "sse", True, 2)
    yield random_net("sigmoid", "softmax", "half_sse", False, 3)
    yield random_net("softmax", "sigmoid", "cross_entropy", True, 4)
    yield random_net("step", "sigmoid", "half_sse", True, 5)
    yield random_net("linear", "tanh", "half_sse", True, 6, sizes=(2, 3, 3, 2))


@pytest.mark.parametrize(
    "net", mixed_nets(), ids=lambda n: f"{n.layers[1].activation}-{n.output.activation}-{n.loss_name}"
)
def test_trace_values_equal_matrix_gradients_exactly(net):
    for pattern in range(len(net.inputs)):
        trace = build_trace(net, pattern)
        record = net.backward(net.forward(net.inputs[pattern : pattern + 1], net.targets[pattern : pattern + 1]))
        for key, grad in record.gradients.items():
            is_bias = key.endswith("_bias")
            layer = layer_of(key)
            for index in np.ndindex(grad.shape):
                term_id = f"dE/db.{layer}.{index[0]}" if is_bias else f"dE/dw.{layer}.{index[0]}.{index[1]}"
                assert trace[term_id].value == grad[index]
        for k, layer in enumerate(net.layers[1:], start=1):
            for j in range(layer.size):
                assert trace[f"n.{layer.name}.{j}"].value == record.net_input[k][0, j]
                assert trace[f"a.{layer.name}.{j}"].value == record.activation[k][0, j]
                assert trace[f"dE/dn.{layer.name}.{j}"].value == record.dE_dn[k][0, j]
        assert trace["E"].value == pytest.approx(record.loss, rel=1e-14)


@pytest.mark.parametrize("net", mixed_nets(), ids=lambda n: n.layers[1].activation)
def test_every_chain_expansion_sums_to_the_gradient(net):
    trace = build_trace(net, 0)
    for key, grad in trace.gradients.items():
        for index in np.ndindex(grad.shape):
            weight = key + "".join(f"[{i}]" for i in index)
            chain = trace.chain(weight)
            for factors, product in zip(chain.paths, chain.products, strict=True):
                assert product.value == pytest.approx(np.prod([f.value for f in factors]), rel=1e-12, abs=1e-300)
            assert sum(p.value for p in chain.products) == pytest.approx(grad[index], rel=1e-9, abs=1e-15)


def test_chain_paths_multiply_out_over_units_above(network_path):
    trace = build_trace(load_network(network_path("two_two_two")))
    chain = trace.chain("hidden[1][0]")
    assert len(chain.paths) == 2  # through o1 and through o2
    assert all(len(path) == 5 for path in chain.paths)
    assert chain.paths[0][2].connections == ("output[0][1]",)
    assert chain.paths[1][2].connections == ("output[1][1]",)
    assert chain.total.value == trace["dE/dw.hidden.1.0"].value
    assert len(chain.terms()) == 2 * 6 + 1
    output_chain = trace.chain("output_bias[1]")
    assert [f.symbol for f in output_chain.paths[0]] == ["∂E/∂a_o2", "∂a_o2/∂n_o2", "∂n_o2/∂b_o2"]


def test_unknown_weight_is_refused(network_path):
    trace = build_trace(load_network(network_path("two_two_two")))
    for bad in ("hidden[5][0]", "input[0][0]", "nonsense", "hidden[0]", "hidden_bias[0][0]"):
        with pytest.raises((KeyError, IndexError)):
            trace.chain(bad)


@pytest.mark.parametrize("name", BUNDLED)
def test_terms_are_ordered_and_depend_only_on_earlier_terms(network_path, name):
    trace = build_trace(load_network(network_path(name)))
    seen: set[str] = set()
    phases = [term.phase for term in trace.terms]
    assert phases == sorted(phases, key=["forward", "backward", "update"].index)
    for term in trace.terms:
        assert term.id not in seen, f"duplicate id {term.id}"
        for dep in term.depends:
            assert dep in seen, f"{term.id} depends on {dep}, which comes later or not at all"
        seen.add(term.id)


@pytest.mark.parametrize(
    "net",
    [*mixed_nets(), *(load_network(f"lessons/networks/{n}.toml") for n in BUNDLED)],
    ids=lambda n: n.name + str(n.layers[1].activation),
)
def test_formula_with_numbers_evaluates_to_the_value(net):
    trace = build_trace(net, 0)
    terms = list(trace.terms)
    for key, grad in trace.gradients.items():
        for index in list(np.ndindex(grad.shape))[:3]:
            terms += trace.chain(key + "".join(f"[{i}]" for i in index)).terms()
    for term in terms:
        shown = evaluate(term.expression)
        # numbers in expressions carry 6 significant digits, so allow for their rounding
        assert shown == pytest.approx(term.value, rel=2e-4, abs=1e-5), (term.id, term.expression)


def test_hidden_error_shows_the_sum_over_the_layer_above(network_path):
    trace = build_trace(load_network(network_path("two_two_two")))
    term = trace["dE/da.hidden.0"]
    assert term.formula == "∂E/∂n_o1 · w_h1,o1 + ∂E/∂n_o2 · w_h1,o2"
    assert term.depends == ("dE/dn.output.0", "dE/dn.output.1")
    assert set(term.connections) == {"output[0][0]", "output[1][0]"}
    assert "sum" in term.note


def test_step_units_show_a_zero_derivative():
    net = Network(
        "step",
        [Layer("input", 2), Layer("hidden", 2, "step", True), Layer("output", 1, "sigmoid", True)],
        "half_sse",
        Training(seed=3),
        inputs=np.array([[1.0, 0.0]]),
        targets=np.array([[1.0]]),
    )
    trace = build_trace(net)
    for j in range(2):
        term = trace[f"da/dn.hidden.{j}"]
        assert term.value == 0.0
        assert term.formula == "0"
        assert "step" in term.note.lower()
        assert trace[f"dE/dn.hidden.{j}"].value == 0.0
    assert trace["dE/dw.hidden.0.0"].value == 0.0
    assert trace["dw.hidden.0.0"].value == 0.0


def test_softmax_cross_entropy_uses_the_shortcut():
    net = random_net("sigmoid", "softmax", "cross_entropy", True, 9)
    trace = build_trace(net, 2)
    term = trace["dE/dn.output.1"]
    assert term.formula == "a_o2 − t_o2"
    a, t = trace.outputs[1], trace.targets[1]
    assert term.value == pytest.approx(a - t, abs=1e-15)
    assert "dE/da.output.1" not in [x.id for x in trace.terms]


def test_momentum_appears_in_the_update_terms(network_path):
    net = load_network(network_path("xor"))
    net.step(net.inputs, net.targets)  # one batch update leaves a previous Δw behind
    trace = build_trace(net, 1)
    term = trace["dw.output.0.0"]
    assert "α · Δw_h1,o1(t−1)" in term.formula
    previous = net.velocity["output"][0, 0]
    expected = -net.training.learning_rate * trace["dE/dw.output.0.0"].value + net.training.momentum * previous
    assert term.value == pytest.approx(expected, rel=1e-12)
    assert trace["w.output.0.0"].value == pytest.approx(net.params["output"][0, 0] + expected, rel=1e-12)


def test_batch_trace_sums_gradients_over_patterns(network_path):
    net = load_network(network_path("xor"))
    trace = build_trace(net, None)
    assert "n.hidden.0@p4" in [t.id for t in trace.terms]
    term = trace["dE/dw.hidden.0.1"]
    assert term.expression.count("×") == 4
    record = net.backward(net.forward(net.inputs, net.targets))
    assert term.value == record.gradients["hidden"][0, 1]
    assert trace.loss == pytest.approx(record.loss)


def test_notation_is_data(network_path):
    net = load_network(network_path("two_two_two"))
    zy = build_trace(net, 0, "zy")
    assert zy["n.hidden.0"].symbol == "z_h1"
    assert zy["a.hidden.0"].formula.startswith("σ(z_h1)")
    assert zy["n.hidden.0"].formula == "x_i1 · w_i1,h1 + x_i2 · w_i2,h1 + b_h1"
    eh = build_trace(net, 0, "eh")
    assert eh["dE/dn.output.0"].symbol == "∂L/∂e_o1"
    with pytest.raises(KeyError):
        build_trace(net, 0, "klingon")


def test_json_has_the_contract_fields(network_path):
    data = build_trace(load_network(network_path("two_two_two"))).to_json()
    for key in ("network", "pattern", "outputs", "loss", "gradients", "weights_after", "terms"):
        assert key in data
    assert set(data["gradients"]) == {"hidden", "hidden_bias", "output", "output_bias"}
    assert data["weights_after"]["output"][0][0] == pytest.approx(0.35891648, abs=1e-8)
    for term in data["terms"]:
        assert {"id", "phase", "symbol", "expression", "value"} <= set(term)


def test_parse_connection():
    assert parse_connection("hidden[0][1]") == ("hidden", (0, 1))
    assert parse_connection("output_bias[2]") == ("output_bias", (2,))


def test_a_negative_argument_of_a_function_gets_one_pair_of_parentheses():
    from pathlib import Path

    from engine.numbers import fill

    assert fill("u({n})", n=-0.5) == "u(−0.50)"
    assert fill("1 / (1 + e^(−{n}))", n=-0.5) == "1 / (1 + e^(−(−0.50)))"
    assert fill("{a} × (1 − {a})", a=-0.25, n=0.0) == "(−0.25) × (1 − (−0.25))"
    net = load_network(Path(__file__).resolve().parents[1] / "lessons" / "networks" / "xor_step.toml")
    trace = build_trace(net, 0)
    assert trace["a.output.0"].expression == "u(−0.50)"


def test_terms_carry_typed_references_that_agree_with_their_ids():
    """Every weight term names its weight as (key, index); chain terms their path and factor; nothing
    outside the engine needs to take an id apart."""
    for path in ("lessons/networks/xor.toml", "lessons/networks/tiny_srn.toml"):
        net = load_network(path)
        trace = build_trace(net, 0)
        kinds = {"dE_dw", "dE_db", "dE_dw_source", "delta_w", "new_w"}
        weighted = [term for term in trace.terms if term.kind in kinds]
        assert weighted and all(term.weight is not None for term in weighted)
        for term in weighted:
            key, index = term.weight
            assert term.connections == (term.weight.connection,)
            assert term.layer == layer_of(key) and term.unit == index[0]
            if term.kind == "new_w":
                assert term.id == term.weight.id and term.value == trace.weights_after[key][index]
            if term.kind in ("dE_dw", "dE_db"):
                assert term.id == term.weight.gradient_id and term.value == trace.gradients[key][index]
        for key in net.params:
            weight = f"{key}[0][0]" if net.params[key].ndim == 2 else f"{key}[0]"
            chain = trace.chain(weight)
            assert chain_weight(chain.total.id) == weight and chain.total.weight.connection == weight
            for n, (factors, product) in enumerate(zip(chain.paths, chain.products, strict=True), start=1):
                assert product.path == n and chain_weight(product.id) == weight
                assert [f.factor for f in factors] == list(range(1, len(factors) + 1))
                assert all(f.path == n and f.weight == chain.total.weight and f.layer for f in factors)
    assert chain_weight("dE/dw.hidden.0.1") is None
    assert gradient_id("hidden_bias[1]") == "dE/db.hidden.1" and gradient_id("hidden[0][1]") == "dE/dw.hidden.0.1"
