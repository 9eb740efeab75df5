"""No overflow warnings or NaN for net inputs up to ±1e4."""

from __future__ import annotations

import numpy as np
import pytest

from engine.activations import ACTIVATIONS
from engine.losses import LOSSES
from engine.network import Layer, Network, Training

EXTREME = np.array([[-1e4, -710.0, -50.0, 0.0, 50.0, 710.0, 1e4]])


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activations_stay_finite(name):
    fn = ACTIVATIONS[name]
    with np.errstate(all="raise", under="ignore"):
        a = fn.value(EXTREME)
        dn = fn.backprop(np.ones_like(a), EXTREME, a)
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(dn))


def test_sigmoid_saturates_exactly():
    a = ACTIVATIONS["sigmoid"].value(np.array([-1e4, 0.0, 1e4]))
    assert a[0] == pytest.approx(0.0, abs=1e-300) and a[1] == 0.5 and a[2] == 1.0


def test_softmax_of_huge_inputs():
    a = ACTIVATIONS["softmax"].value(np.array([[1e4, 1e4 - 1, -1e4]]))
    assert np.isclose(a.sum(), 1.0) and a[0, 0] > a[0, 1] > a[0, 2] == 0.0


@pytest.mark.parametrize(
    "output, loss",
    [
        ("sigmoid", "cross_entropy"),
        ("softmax", "cross_entropy"),
        ("sigmoid", "half_sse"),
        ("tanh", "sse"),
        ("relu", "half_sse"),
    ],
)
def test_loss_and_gradients_stay_finite_when_saturated(output, loss):
    net = Network(
        "huge",
        [Layer("input", 2), Layer("hidden", 3, "sigmoid", True), Layer("output", 3, output, True)],
        loss,
        Training(weight_range=1.0),
        inputs=np.array([[1.0, -1.0], [1.0, 1.0]]),
        targets=np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),
    )
    net.params["output"][:] = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [0.0, 0.0, -1e4]])
    net.params["output_bias"][:] = [1e4, -1e4, 0.0]
    with np.errstate(all="raise", under="ignore"):
        record = net.backward(net.forward(net.inputs, net.targets))
    assert np.isfinite(record.loss)
    for grad in record.gradients.values():
        assert np.all(np.isfinite(grad))


def test_cross_entropy_of_a_certain_wrong_answer_is_large_not_infinite():
    loss = LOSSES["cross_entropy"]
    n = np.array([[1e4, -1e4]])
    a = ACTIVATIONS["softmax"].value(n)
    value = loss.value(a, np.array([[0.0, 1.0]]), n, "softmax")
    assert value == pytest.approx(2e4)
    assert np.isfinite(loss.value(a, np.array([[0.0, 1.0]]), None, "softmax"))


def test_training_that_diverges_stops_and_says_so_without_warnings():
    # Linear outputs with ε = 50 overshoot further at every step until the loss overflows.
    import warnings

    from engine.kinds import train

    layers = [Layer("input", 2), Layer("hidden", 2, "sigmoid", True), Layer("output", 2, "linear", True)]
    net = Network(
        "diverges",
        layers,
        "half_sse",
        Training(learning_rate=50.0, update="batch", seed=0),
        inputs=[[0.05, 0.1], [1.0, 0.0]],
        targets=[[0.01, 0.99], [1.0, 0.0]],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = train(net, epochs=400)
    assert result.diverged and not result.stopped_early
    assert result.epochs == len(result.loss_history) < 400
    assert not np.isfinite(result.loss_history[-1]) and np.all(np.isfinite(result.loss_history[:-1]))
