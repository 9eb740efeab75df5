"""Backprop against finite differences, for every activation × loss × bias combination."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from engine.activations import ACTIVATIONS
from engine.gradcheck import check_gradients, compare, numeric_gradients
from engine.network import Layer, Network, Training

HIDDEN = list(ACTIVATIONS)
OUTPUT = list(ACTIVATIONS)
LOSSES = ["half_sse", "sse", "cross_entropy"]


def random_net(hidden: str, output: str, loss: str, bias: bool, seed: int, sizes=(3, 4, 3), patterns: int = 4):
    rng = np.random.default_rng(seed)
    layers = [Layer("input", sizes[0])]
    for k, size in enumerate(sizes[1:-1]):
        layers.append(Layer(f"hidden{k}" if len(sizes) > 3 else "hidden", size, hidden, bias))
    layers.append(Layer("output", sizes[-1], output, bias))
    training = Training(learning_rate=0.3, weight_range=1.0, seed=seed)
    x = rng.uniform(-1, 1, size=(patterns, sizes[0]))
    if loss == "cross_entropy" and output == "softmax":
        t = np.eye(sizes[-1])[rng.integers(0, sizes[-1], size=patterns)]
    elif loss == "cross_entropy":
        t = rng.uniform(0, 1, size=(patterns, sizes[-1]))
    else:
        t = rng.uniform(-1, 1, size=(patterns, sizes[-1]))
    return Network("random", layers, loss, training, inputs=x, targets=t)


COMBINATIONS = [
    (h, o, loss, bias)
    for h, o, loss, bias in itertools.product(HIDDEN, OUTPUT, LOSSES, [False, True])
    if not (loss == "cross_entropy" and not ACTIVATIONS[o].cross_entropy)
]


@pytest.mark.parametrize("hidden, output, loss, bias", COMBINATIONS)
def test_gradients_match_finite_differences(hidden, output, loss, bias):
    for seed in range(2):
        net = random_net(hidden, output, loss, bias, seed)
        result = check_gradients(net)  # all 4 patterns at once: the batch gradient
        assert result.max_rel_error < 1e-5 or result.max_abs_error < 1e-8, (hidden, output, loss, bias, seed)


def test_step_units_pass_no_gradient():
    net = random_net("step", "sigmoid", "half_sse", True, 0)
    grads = net.backward(net.forward(net.inputs, net.targets)).gradients
    assert np.all(grads["hidden"] == 0) and np.all(grads["hidden_bias"] == 0)
    assert np.any(grads["output"] != 0)


@pytest.mark.parametrize("depth", [3, 4, 5])
def test_deeper_networks(depth):
    sizes = (2, *([3] * (depth - 2)), 2)
    net = random_net("tanh", "sigmoid", "half_sse", True, depth, sizes=sizes)
    assert check_gradients(net).max_rel_error < 1e-5


def test_single_pattern_gradient_matches_finite_differences():
    net = random_net("sigmoid", "sigmoid", "half_sse", True, 7)
    x, t = net.inputs[1:2], net.targets[1:2]
    assert check_gradients(net, x, t).max_rel_error < 1e-6


def test_batch_gradient_is_sum_of_pattern_gradients():
    net = random_net("sigmoid", "softmax", "cross_entropy", True, 3)
    batch = net.backward(net.forward(net.inputs, net.targets)).gradients
    for key in batch:
        summed = sum(
            net.backward(net.forward(net.inputs[p : p + 1], net.targets[p : p + 1])).gradients[key]
            for p in range(len(net.inputs))
        )
        assert np.allclose(batch[key], summed, rtol=1e-12, atol=1e-15)


def test_momentum_update_follows_the_formula():
    # Δw(t) = −ε ∂E/∂w + α Δw(t−1), checked over three batch updates against a hand-rolled loop.
    net = random_net("sigmoid", "sigmoid", "half_sse", True, 11)
    net.training.momentum = 0.9
    lr, alpha = net.training.learning_rate, 0.9
    expected = {k: v.copy() for k, v in net.params.items()}
    previous = {k: np.zeros_like(v) for k, v in net.params.items()}
    for _ in range(3):
        grads = net.backward(net.forward(net.inputs, net.targets)).gradients
        # what the update should do, computed from the same gradients
        for key, grad in grads.items():
            change = -lr * grad + alpha * previous[key]
            expected[key] = expected[key] + change
            previous[key] = change
        net.update(grads)
        for key in expected:
            assert np.allclose(net.params[key], expected[key], rtol=0, atol=1e-15)


@pytest.mark.parametrize("output, loss", [("sigmoid", "half_sse"), ("linear", "sse"), ("sigmoid", "cross_entropy")])
def test_output_error_derivative_matches_finite_differences(output, loss):
    # ∂E/∂a of each output unit, as the trace shows it, against E(a ± h) with the loss alone.
    net = random_net("tanh", output, loss, True, 4)
    x, t = net.inputs[:1], net.targets[:1]
    record = net.backward(net.forward(x, t))
    a = record.activation[-1][0]
    h = 1e-6

    def loss_at(out):
        return net.loss.value(out[None], t, activation=output)

    for j in range(len(a)):
        up, down = a.copy(), a.copy()
        up[j] += h
        down[j] -= h
        numeric = (loss_at(up) - loss_at(down)) / (2 * h)
        assert record.dE_da[-1][0, j] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_momentum_updates_follow_finite_difference_gradients():
    # Δw(t) = −ε ∂E/∂w + α Δw(t−1), with ∂E/∂w measured by finite differences (not the engine's backward).
    net = random_net("sigmoid", "sigmoid", "half_sse", True, 12)
    net.training.momentum = 0.9
    lr, alpha = net.training.learning_rate, 0.9
    mirror = net.copy()
    previous = {k: np.zeros_like(v) for k, v in net.params.items()}
    for _ in range(3):
        numeric = numeric_gradients(mirror, lambda n: n.forward(n.inputs, n.targets).loss)
        for key, grad in numeric.items():
            previous[key] = -lr * grad + alpha * previous[key]
            mirror.params[key] = mirror.params[key] + previous[key]
        net.update(net.backward(net.forward(net.inputs, net.targets)).gradients)
        for key in net.params:
            assert np.allclose(net.params[key], mirror.params[key], rtol=0, atol=1e-8), key


def test_batch_training_follows_the_gradient_of_the_summed_loss():
    # One batch update with a tiny step must lower the loss by about ε‖g‖².
    net = random_net("tanh", "linear", "half_sse", True, 5)
    net.training.learning_rate = 1e-4
    before = net.forward(net.inputs, net.targets).loss
    grads = net.backward(net.forward(net.inputs, net.targets)).gradients
    net.update(grads)
    after = net.forward(net.inputs, net.targets).loss
    predicted = 1e-4 * sum(float((g * g).sum()) for g in grads.values())
    assert before - after == pytest.approx(predicted, rel=1e-2)


def test_numeric_gradients_helper_agrees_with_compare():
    net = random_net("sigmoid", "sigmoid", "sse", False, 2)
    numeric = numeric_gradients(net, lambda n: n.forward(n.inputs, n.targets).loss)
    analytic = net.backward(net.forward(net.inputs, net.targets)).gradients
    result = compare(numeric, analytic)
    assert result.ok()
    # and it notices a wrong gradient
    analytic["output"] = analytic["output"] * 1.01
    assert not compare(numeric, analytic).ok()


def test_reseed_redraws_only_the_weights_the_file_does_not_give(network_path):
    from engine.netfile import load_network

    net = load_network(network_path("two_two_two"))  # gives every weight
    before = {k: v.copy() for k, v in net.params.items()}
    assert net.reseed(7) == []
    assert all(np.array_equal(net.params[k], before[k]) for k in before)
    xor = load_network(network_path("xor"))  # gives none
    first = {k: v.copy() for k, v in xor.params.items()}
    assert xor.reseed(8) == list(first)
    assert not np.array_equal(xor.params["hidden"], first["hidden"])
    partly = load_network(network_path("xor"))
    partly.params["output"] = np.zeros((1, 2))
    partly.given.add("output")
    partly.reseed(9)
    assert np.array_equal(partly.params["output"], np.zeros((1, 2)))
    assert not np.array_equal(partly.params["hidden"], first["hidden"])
