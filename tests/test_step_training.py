"""engine.step_training: Elman's per-step training, faster, with the very same numbers as the general path.

The general path (engine.recurrent.train_by_steps with fast=False) runs Network.forward, backward and
update on each step; the fast one must give the same weights to the last bit (np.array_equal, not a
tolerance), since the lessons quote numbers from these runs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine import step_training
from engine.activations import ACTIVATIONS
from engine.kinds import train
from engine.losses import LOSSES
from engine.netfile import load_network
from engine.network import Layer, Network, Training
from engine.recurrent import context_layer, forward_sequence, train_by_steps
from engine.tasks import letters

NETWORKS = Path(__file__).resolve().parent.parent / "lessons" / "networks"
RECURRENT = sorted(path.stem for path in NETWORKS.glob("*.toml") if load_network(path).is_recurrent)
STEPS = 1500  # per seed: a stream's first 1,500 steps, or a short sequence again and again


def _trained(net, fast: bool, epochs: int, steps: int | None = None) -> dict[str, np.ndarray]:
    """Elman's original training (bptt_steps = 0), step by step, through the fast or the general path."""
    net.training.update, net.training.bptt_steps = "step", 0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            for x, t in net.sequences:
                train_by_steps(net, x[:steps], t[:steps], fast=fast)
    return {**net.params, **{f"velocity {key}": value for key, value in net.velocity.items()}}


def _assert_same_training(net, seed: int) -> None:
    net.reseed(seed)
    longest = max(len(x) for x, _ in net.sequences)
    epochs = max(1, STEPS // (longest * len(net.sequences)))
    fast, general = net.copy(), net.copy()
    fast_arrays = _trained(fast, True, epochs, STEPS)
    general_arrays = _trained(general, False, epochs, STEPS)
    assert any(not np.array_equal(fast.params[key], net.params[key]) for key in net.params)  # it trained
    for key, value in general_arrays.items():
        assert np.array_equal(fast_arrays[key], value), f"{net.name}: {key} differs"


def test_the_bundled_recurrent_networks_are_found():
    assert {"temporal_xor", "temporal_xor_4", "letters", "word_boundaries", "sentences", "tiny_srn"} <= set(RECURRENT)


@pytest.mark.parametrize("seed", [1, 7])
@pytest.mark.parametrize("name", RECURRENT)
def test_fast_steps_give_the_general_paths_weights_to_the_last_bit(name, seed):
    net = load_network(NETWORKS / f"{name}.toml")
    assert step_training.applies(net)
    _assert_same_training(net, seed)


@pytest.mark.parametrize(
    "name, hidden, output, loss",
    [
        ("temporal_xor", "tanh", "sigmoid", "cross_entropy"),  # ∂E/∂n = a − t, fused
        ("tiny_srn", "relu", "linear", "sse"),
        ("letters", "softplus", "softmax", "cross_entropy"),
        ("letters", "sigmoid", "tanh", "half_sse"),
    ],
)
def test_fast_steps_agree_for_other_activations_and_losses(name, hidden, output, loss):
    net = load_network(NETWORKS / f"{name}.toml")
    net.layers[1].activation, net.layers[2].activation = hidden, output
    net.fns[1], net.fns[2] = ACTIVATIONS[hidden], ACTIVATIONS[output]
    net.loss_name, net.loss = loss, LOSSES[loss]
    if output == "softmax":  # one letter a step: targets that are a distribution
        net.sequences = [(x, np.eye(6)[np.argmax(t, axis=1)]) for x, t in net.sequences]
    net.training.learning_rate, net.training.momentum = 0.05, 0.9
    _assert_same_training(net, 3)


def test_training_takes_the_fast_path_for_every_file_that_trains_step_by_step(monkeypatch):
    calls = []
    monkeypatch.setattr(step_training, "train_steps", lambda *args: calls.append(args))
    for name in RECURRENT:
        net = load_network(NETWORKS / f"{name}.toml")
        if net.training.update == "step" and net.training.bptt_steps == 0:
            calls.clear()
            train(net, epochs=1)
            assert len(calls) == len(net.sequences), name


def test_a_network_with_a_layer_below_the_context_layer_takes_the_general_path():
    layers = [
        Layer("input", 2),
        Layer("pre", 3, "tanh", True),
        Layer("hidden", 3, "sigmoid", True, context=True),
        Layer("output", 2, "sigmoid", True),
    ]
    rng = np.random.default_rng(4)
    net = Network(
        "deep",
        layers,
        training=Training(momentum=0.5),
        sequences=[(rng.uniform(size=(300, 2)), rng.uniform(size=(300, 2)))],
    )
    assert not step_training.applies(net)
    _assert_same_training(net, 5)


def test_forward_sequence_gives_each_steps_values_as_the_step_by_step_sum_does():
    # forward_sequence's loop over time: n_h(t) = (a_below·Wᵀ + b) + c(t)·W_cᵀ with c(t) = a_h(t − 1), and
    # E_t of every step at once; here written the plain way, one step and one row at a time.
    net = load_network(NETWORKS / "letters.toml")
    train(net, epochs=1)
    stream = letters(300, seed=11)
    record = forward_sequence(net, stream.inputs, stream.targets)
    h = context_layer(net)
    p = net.params
    before_context = stream.inputs @ p["hidden"].T + p["hidden_bias"]
    c = np.full(net.layers[h].size, net.training.initial_context)
    for s in range(len(stream.inputs)):
        n = before_context[s] + c @ p["hidden_context"].T
        a = net.fns[h].value(n[None, :])[0]
        assert np.array_equal(record.context[s], c) and np.array_equal(record.net_input[h][s], n)
        assert np.array_equal(record.activation[h][s], a)
        c = a
    a_out, n_out = record.activation[-1], record.net_input[-1]
    by_row = [net.loss.value(a_out[s : s + 1], stream.targets[s : s + 1], n_out[s : s + 1]) for s in range(300)]
    assert np.array_equal(record.step_loss, by_row)


@pytest.mark.parametrize("loss", ["half_sse", "sse"])  # their rows at once; the others' row by row
@pytest.mark.parametrize("units", [1, 6, 17])
def test_row_losses_are_each_rows_loss_to_the_last_bit(loss, units):
    rng = np.random.default_rng(units)
    a = rng.uniform(0.01, 0.99, size=(400, units))
    t = rng.uniform(0, 1, size=(400, units))
    n = np.log(a / (1 - a))
    rows = LOSSES[loss].row_values(a, t, n, "sigmoid")
    assert np.array_equal(
        rows, [LOSSES[loss].value(a[s : s + 1], t[s : s + 1], n[s : s + 1], "sigmoid") for s in range(400)]
    )
