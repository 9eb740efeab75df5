"""The Hebb rule next to the delta rule, on one-layer linear pattern associators (the PDP pre-lecture quiz)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.kinds import build_trace, train
from engine.network import Layer, Network, Training


def associator(inputs, targets, rule="delta", learning_rate=1.0) -> Network:
    n_in, n_out = inputs.shape[1], targets.shape[1]
    return Network(
        "associator",
        [Layer("input", n_in), Layer("output", n_out, "linear")],
        "half_sse",
        Training(learning_rate=learning_rate, update="pattern", rule=rule),
        params={"output": np.zeros((n_out, n_in))},
        inputs=inputs,
        targets=targets,
    )


ORTHONORMAL = np.array([[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1]], dtype=float) / 2
INDEPENDENT = np.array([[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0]], dtype=float)  # independent, not orthogonal
DEPENDENT = np.array([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 1, 1]], dtype=float)  # third = first + second
TARGETS = np.array([[1, 0], [0, 1], [1, 1]], dtype=float)


def test_hebb_equals_delta_for_orthonormal_inputs_after_one_pass():
    delta, hebb = associator(ORTHONORMAL, TARGETS), associator(ORTHONORMAL, TARGETS, "hebb")
    train(delta, epochs=1)
    train(hebb, epochs=1)
    assert np.allclose(delta.params["output"], hebb.params["output"], atol=1e-15)
    assert np.allclose(hebb.params["output"], TARGETS.T @ ORTHONORMAL)  # W = Σ_p t_p x_pᵀ
    assert np.allclose(hebb.forward(ORTHONORMAL).activation[-1], TARGETS)  # and recall is perfect


@pytest.mark.parametrize("learning_rate", [0.1, 0.5])
def test_equivalence_holds_for_any_learning_rate(learning_rate):
    delta = associator(ORTHONORMAL, TARGETS, learning_rate=learning_rate)
    hebb = associator(ORTHONORMAL, TARGETS, "hebb", learning_rate)
    train(delta, epochs=1)
    train(hebb, epochs=1)
    assert np.allclose(delta.params["output"], hebb.params["output"], atol=1e-15)


def test_hebb_and_delta_differ_when_inputs_are_not_orthogonal():
    delta, hebb = associator(INDEPENDENT, TARGETS), associator(INDEPENDENT, TARGETS, "hebb")
    train(delta, epochs=1)
    train(hebb, epochs=1)
    assert not np.allclose(delta.params["output"], hebb.params["output"])
    # and Hebb's crosstalk makes recall wrong
    assert not np.allclose(hebb.forward(INDEPENDENT).activation[-1], TARGETS, atol=0.1)


def test_delta_rule_learns_independent_patterns():
    net = associator(INDEPENDENT, TARGETS, learning_rate=0.2)
    result = train(net, epochs=400)
    assert result.final_loss < 1e-8
    assert np.allclose(net.forward(INDEPENDENT).activation[-1], TARGETS, atol=1e-4)


def test_delta_rule_finds_the_least_squares_weights_for_dependent_patterns():
    targets = np.array([[1, 0], [0, 1], [0, 0]], dtype=float)  # inconsistent with x3 = x1 + x2
    net = associator(DEPENDENT, targets, learning_rate=0.05)
    net.training.update = "batch"
    result = train(net, epochs=3000)
    best = np.linalg.lstsq(DEPENDENT, targets, rcond=None)[0].T
    assert result.final_loss > 0.1  # it cannot be learned exactly
    assert np.allclose(net.forward(DEPENDENT).activation[-1], DEPENDENT @ best.T, atol=1e-6)


def test_hebb_update_in_the_trace():
    net = associator(ORTHONORMAL, TARGETS, "hebb", 0.5)
    trace = build_trace(net, 1)
    term = trace["dw.output.1.1"]
    assert term.formula == "ε · t_o2 · a_i2"
    assert term.expression == "0.50 × 1 × (−0.50)"
    assert term.value == pytest.approx(0.5 * 1 * -0.5)
