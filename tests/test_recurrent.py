"""Elman networks: forward through time, backprop through time (full, truncated, Elman's original)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.gradcheck import numeric_gradients
from engine.kinds import build_trace, check_gradients, kind_of, total_loss, train
from engine.netfile import load_network
from engine.network import Layer, Network, Training
from engine.recurrent import (
    backward_by_lag,
    backward_sweep,
    forward_sequence,
    sequence_gradients,
    unrolled_numeric_gradients,
)
from tests.arithmetic import evaluate


def srn(
    hidden="sigmoid",
    output="sigmoid",
    loss="half_sse",
    bias=True,
    bptt=None,
    sizes=(2, 3, 2),
    steps=5,
    seed=0,
    initial_context=0.5,
    below=None,
):
    rng = np.random.default_rng(seed)
    layers = [Layer("input", sizes[0])]
    if below:
        layers.append(Layer("pre", below, "tanh", bias))
    layers += [Layer("hidden", sizes[1], hidden, bias, context=True), Layer("output", sizes[2], output, bias)]
    training = Training(
        learning_rate=0.3,
        weight_range=1.0,
        seed=seed,
        bptt_steps=bptt,
        update="sequence",
        initial_context=initial_context,
    )
    x = rng.uniform(-1, 1, size=(steps, sizes[0]))
    if loss == "cross_entropy" and output == "softmax":
        t = np.eye(sizes[2])[rng.integers(0, sizes[2], size=steps)]
    else:
        t = rng.uniform(0, 1, size=(steps, sizes[2]))
    return Network("srn", layers, loss, training, sequences=[(x, t)])


@pytest.mark.parametrize("bptt", [None, 0, 1, 2, 10])
@pytest.mark.parametrize(
    "hidden, output, loss",
    [
        ("sigmoid", "sigmoid", "half_sse"),
        ("tanh", "linear", "sse"),
        ("sigmoid", "softmax", "cross_entropy"),
        ("relu", "sigmoid", "half_sse"),
    ],
)
def test_gradients_match_finite_differences_on_the_unrolled_network(bptt, hidden, output, loss):
    net = srn(hidden, output, loss, bptt=bptt, seed=3)
    result = check_gradients(net)
    assert result.max_rel_error < 1e-5 or result.max_abs_error < 1e-8, (bptt, result.max_rel_error)


def test_a_layer_below_the_context_layer():
    for bptt in (None, 1):
        net = srn(bptt=bptt, below=3, seed=5)
        assert check_gradients(net).max_rel_error < 1e-5


def test_truncation_changes_the_gradient():
    net = srn(bptt=None, seed=1)
    x, t = net.sequences[0]
    full = backward_by_lag(net, forward_sequence(net, x, t), None).gradients["hidden_context"]
    elman = backward_by_lag(net, forward_sequence(net, x, t), 0).gradients["hidden_context"]
    one = backward_by_lag(net, forward_sequence(net, x, t), 1).gradients["hidden_context"]
    assert not np.allclose(full, elman) and not np.allclose(full, one) and not np.allclose(one, elman)


def test_full_bptt_numeric_is_the_plain_derivative_of_the_sequence_loss():
    # With no truncation, the unrolled check is the ordinary derivative of E = Σ_t E_t.
    net = srn(bptt=None, seed=2)
    x, t = net.sequences[0]
    unrolled = unrolled_numeric_gradients(net, x, t, None)
    key, h = "hidden_context", 1e-6
    plain = np.zeros_like(net.params[key])
    for index in np.ndindex(plain.shape):
        old = net.params[key][index]
        net.params[key][index] = old + h
        up = forward_sequence(net, x, t).loss
        net.params[key][index] = old - h
        down = forward_sequence(net, x, t).loss
        net.params[key][index] = old
        plain[index] = (up - down) / (2 * h)
    assert np.allclose(unrolled[key], plain, rtol=1e-6, atol=1e-10)


def test_sweep_equals_the_sum_over_error_sources():
    net = srn(bptt=None, steps=9, seed=4)
    x, t = net.sequences[0]
    by_source = backward_by_lag(net, forward_sequence(net, x, t), None).gradients
    sweep = backward_sweep(net, forward_sequence(net, x, t)).gradients
    for key in by_source:
        assert np.allclose(by_source[key], sweep[key], rtol=1e-12, atol=1e-15)


def test_elman_original_is_the_feedforward_pass_with_the_context_as_input():
    net = srn(bptt=0, seed=6)
    x, t = net.sequences[0]
    rec = forward_sequence(net, x, t)
    by_step = net.backward(net.forward(x, t, context=rec.context))
    assert np.allclose(by_step.activation[-1], rec.activation[-1], rtol=0, atol=1e-15)
    for key, grad in sequence_gradients(net, rec).gradients.items():
        assert np.allclose(grad, by_step.gradients[key], rtol=1e-12, atol=1e-15)


def test_context_copies_the_hidden_layer_from_the_step_before():
    net = srn(seed=7, initial_context=0.25)
    x, t = net.sequences[0]
    rec = forward_sequence(net, x, t)
    assert np.all(rec.context[0] == 0.25)
    assert np.array_equal(rec.context[1:], rec.activation[1][:-1])  # layer 1 is the hidden layer
    assert rec.loss == pytest.approx(rec.step_loss.sum())


@pytest.mark.parametrize("update", ["sequence", "batch", "step"])
@pytest.mark.parametrize("bptt", [None, 0, 2])
def test_every_training_mode_lowers_the_loss(update, bptt):
    net = srn(bptt=bptt, seed=8, steps=6)
    net.sequences.append(srn(bptt=bptt, seed=9, steps=4).sequences[0])
    net.training.update = update
    net.training.learning_rate = 0.2
    result = train(net, epochs=40)
    assert result.loss_history[-1] < 0.9 * net_loss_before(net, bptt)


def net_loss_before(net, bptt):
    fresh = srn(bptt=bptt, seed=8, steps=6)
    fresh.sequences.append(srn(bptt=bptt, seed=9, steps=4).sequences[0])
    return total_loss(fresh)


def test_step_updates_change_the_weights_after_every_step():
    net = srn(bptt=0, seed=10, steps=3)
    net.training.update = "step"
    before = net.params["output"].copy()
    x, t = net.sequences[0]
    # one step at a time by hand: the context carried from step to step, weights changed after each
    hand = srn(bptt=0, seed=10, steps=3)
    context = np.full((1, 3), 0.5)
    for s in range(3):
        record = hand.backward(hand.forward(x[s : s + 1], t[s : s + 1], context=context))
        hand.update(record.gradients)
        context = record.activation[1]
    train(net, epochs=1)
    assert not np.allclose(net.params["output"], before)
    for key in net.params:
        assert np.allclose(net.params[key], hand.params[key], rtol=0, atol=1e-15)


@pytest.mark.parametrize("bptt", [None, 2])
def test_step_updates_through_time_follow_finite_differences(bptt):
    # After step s the weights move by −ε ∂E_s/∂w, with E_s unrolled back through the window (all of it,
    # or bptt steps) from the context that window started with: ∂E_s/∂w measured by finite differences.
    net = srn(bptt=bptt, seed=12, steps=5)
    net.training.update = "step"
    hand = net.copy()
    x, t = net.sequences[0]
    started, context = [], np.full(3, hand.training.initial_context)
    for s in range(len(x)):
        started.append(context)
        first = 0 if bptt is None else max(0, s - bptt)

        def last_error(n, first=first, s=s):
            return forward_sequence(n, x[first : s + 1], t[first : s + 1], started[first]).step_loss[-1]

        grads = numeric_gradients(hand, last_error)
        context = forward_sequence(hand, x[first : s + 1], t[first : s + 1], started[first]).activation[1][-1]
        hand.update(grads)
    train(net, epochs=1)
    for key in net.params:
        assert np.allclose(net.params[key], hand.params[key], rtol=0, atol=1e-8), key


# -- the unrolled trace --------------------------------------------------------------------------


def test_tiny_srn_trace_terms(network_path):
    trace = build_trace(load_network(network_path("tiny_srn")))
    assert trace.steps == 3 and trace.bptt_steps == 2
    assert trace["c.hidden.0@t1"].value == 0.0
    assert trace["c.hidden.0@t2"].value == trace["a.hidden.0@t1"].value
    assert trace["E"].value == pytest.approx(sum(trace[f"E@t{s}"].value for s in (1, 2, 3)))
    back = trace["dE3/da.hidden.0@t1"]
    assert back.kind == "dE_da_back_in_time"
    assert back.connections == ("hidden_context[0][0]",)
    # ∂E/∂w = Σ_t ∂E_t/∂w
    total = trace["dE/dw.hidden_context.0.0"]
    assert total.value == pytest.approx(sum(trace[f"dE{t}/dw.hidden_context.0.0"].value for t in (1, 2, 3)), abs=1e-15)
    assert total.formula == "∂E₁/∂w_chid,hid + ∂E₂/∂w_chid,hid + ∂E₃/∂w_chid,hid"


@pytest.mark.parametrize("bptt", [None, 0, 1])
def test_unrolled_trace_agrees_with_the_gradients(bptt):
    net = srn(bptt=bptt, seed=11, steps=4)
    trace = build_trace(net, 0)
    x, t = net.sequences[0]
    grads = sequence_gradients(net, forward_sequence(net, x, t)).gradients
    for key, grad in grads.items():
        for index in np.ndindex(grad.shape):
            kind = "b" if key.endswith("_bias") else "w"
            term = trace[f"dE/d{kind}.{key.removesuffix('_bias')}." + ".".join(map(str, index))]
            assert term.weight == (key, index)
            assert term.value == pytest.approx(grad[index], rel=1e-12, abs=1e-15)
    seen = set()
    for term in trace.terms:
        assert term.id not in seen
        assert all(dep in seen for dep in term.depends), term.id
        seen.add(term.id)
        assert evaluate(term.expression) == pytest.approx(term.value, rel=2e-4, abs=1e-5), term.id


@pytest.mark.parametrize("bptt", [None, 1])
def test_unrolled_chain_sums_to_the_gradient(bptt):
    net = srn(bptt=bptt, seed=12, steps=3, sizes=(1, 2, 1))
    trace = build_trace(net, 0)
    for key, grad in trace.gradients.items():
        for index in np.ndindex(grad.shape):
            chain = trace.chain(key + "".join(f"[{i}]" for i in index))
            assert sum(p.value for p in chain.products) == pytest.approx(grad[index], rel=1e-9, abs=1e-14)


def test_gradients_shrink_as_they_travel_back(network_path):
    trace = build_trace(load_network(network_path("tiny_srn")))
    chain = trace.chain("hidden_context[0][0]")
    from_e3 = [p for p in chain.products if p.symbol.startswith("E₃") and p.value != 0]
    by_copy = sorted(from_e3, key=lambda p: -p.step)  # copy at step 3, then step 2
    assert abs(by_copy[0].value) > 5 * abs(by_copy[1].value)


def test_trace_steps_limit(network_path):
    net = load_network(network_path("temporal_xor"))
    trace = build_trace_steps(net, 4)
    assert trace.steps == 4
    assert "a.output.0@t4" in [t.id for t in trace.terms]
    assert "a.output.0@t5" not in [t.id for t in trace.terms]


def build_trace_steps(net, steps):
    from engine.sequence_trace import build_sequence_trace

    return build_sequence_trace(net, 0, None, steps)


def test_each_kind_gives_and_replaces_one_example_on_copies():
    """draw_network and the lesson checks read and replace an example through the kind, not by branching."""
    for path, rows in (("lessons/networks/xor.toml", 1), ("lessons/networks/tiny_srn.toml", None)):
        net = load_network(path)
        kind = kind_of(net)
        xs, ts = kind.example_data(0)
        assert len(xs) == (rows or len(net.sequences[0][0])) and len(xs) == len(ts)
        originals = [xs.copy(), ts.copy()]
        kind.set_example_data(0, xs + 0.5, ts * 0.0)
        new_xs, new_ts = kind.example_data(0)
        assert np.array_equal(new_xs, originals[0] + 0.5) and not new_ts.any()
        assert np.array_equal(xs, originals[0]) and np.array_equal(ts, originals[1])  # the old arrays are untouched
    assert kind_of(load_network("lessons/networks/xor.toml")).settings == ()
    assert "bptt_steps" in kind_of(load_network("lessons/networks/tiny_srn.toml")).settings
