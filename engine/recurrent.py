"""Elman (simple recurrent) networks: forward through time, backprop through time, training.

One hidden layer has context units: c(t) = a(t − 1), with c(1) = initial_context. The loss of
a sequence is E = Σ_t E_t. `training.bptt_steps` says how far back in time each E_t sends its
error: 0 is Elman's original (the context is a plain input), k sends it through k earlier
steps, None all the way to the first step.

Arrays are indexed [step, unit]. Only the context layer needs a loop over time; the layers
below and above it are computed for all steps at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine import step_training
from engine.gradcheck import STEP, GradCheck, compare
from engine.network import Network, row_losses
from engine.train import TrainResult, end_of_epoch


@dataclass
class SequencePass:
    """One forward pass through a sequence, and the backward pass that followed it."""

    net_input: list[np.ndarray | None]  # per layer, [step, unit]; None for the input layer
    activation: list[np.ndarray]
    context: np.ndarray  # c(t), [step, unit]
    target: np.ndarray
    step_loss: np.ndarray  # E_t
    loss: float  # E = Σ_t E_t
    gradients: dict[str, np.ndarray] = field(default_factory=dict)
    # by_lag[k][d][t] = ∂E_t/∂n_k at step t − d, for each layer k (index d only 0 above the context layer)
    by_lag: list[list[np.ndarray]] | None = None
    dE_da_by_lag: list[list[np.ndarray]] | None = None
    slope: list[np.ndarray | None] | None = None  # ∂a/∂n per layer, [step, unit] (engine.network.slopes)
    source_gradients: dict[str, np.ndarray] | None = None  # [t, ...] = ∂E_t/∂w, filled by source_gradients()


def context_layer(net: Network) -> int:
    return next(k for k, layer in enumerate(net.layers) if layer.context)


def _step_losses(net: Network, a: np.ndarray, t: np.ndarray, n: np.ndarray) -> np.ndarray:
    return row_losses(net, a, t, n)


def forward_sequence(
    net: Network,
    inputs: np.ndarray,
    targets: np.ndarray | None = None,
    first_context: np.ndarray | None = None,
    overrides: dict[tuple[int, str], np.ndarray] | None = None,
) -> SequencePass:
    """Run the sequence through the network. `overrides[(step, key)]` replaces a weight array at one
    step only: the unrolled network has one copy of each weight per step (used by gradient checks).
    """
    layers, fns, params = net.layers, net.fns, net.params
    h = context_layer(net)
    x = np.atleast_2d(np.asarray(inputs, float))
    steps = len(x)
    size = layers[h].size
    ctx0 = np.full(size, net.training.initial_context) if first_context is None else first_context

    def weight(key: str, step: int | None = None) -> np.ndarray:
        if overrides and step is not None and (step, key) in overrides:
            return overrides[(step, key)]
        return params[key]

    def layer_in(k: int, a_below: np.ndarray) -> np.ndarray:
        """n_k for every step at once (layers whose input does not loop back)."""
        name = layers[k].name
        if overrides:
            n = np.stack([a_below[s] @ weight(name, s).T for s in range(steps)])
            if layers[k].bias:
                n += np.stack([weight(name + "_bias", s) for s in range(steps)])
            return n
        n = a_below @ params[name].T
        if layers[k].bias:
            n += params[name + "_bias"]
        return n

    nets: list[np.ndarray | None] = [None]
    acts = [x]
    for k in range(1, h):
        nets.append(layer_in(k, acts[-1]))
        acts.append(fns[k].value(nets[-1]))
    # the context layer: n(t) = Σ a_below(t) w + Σ c(t) w_c + b, with c(t) = a(t − 1)
    pre = layer_in(h, acts[-1])
    n_h = np.empty((steps, size))
    a_h = np.empty((steps, size))
    c = ctx0
    key = layers[h].name + "_context"
    value, w_context_t = fns[h].value, params[key].T
    for s in range(steps):  # c.dot, out=: the same product and sum as pre[s] + c @ w_c.T, made faster
        if overrides:
            w_context_t = weight(key, s).T
        np.add(pre[s], c.dot(w_context_t), out=n_h[s])
        a_h[s : s + 1] = value(n_h[s : s + 1])
        c = a_h[s]
    context = np.empty((steps, size))
    context[:1] = ctx0
    context[1:] = a_h[:-1]
    nets.append(n_h)
    acts.append(a_h)
    for k in range(h + 1, len(layers)):
        nets.append(layer_in(k, acts[-1]))
        acts.append(fns[k].value(nets[-1]))
    t = np.zeros_like(acts[-1]) if targets is None else np.atleast_2d(np.asarray(targets, float))
    losses = _step_losses(net, acts[-1], t, nets[-1]) if targets is not None else np.zeros(steps)
    return SequencePass(nets, acts, context, t, losses, float(losses.sum()))


def _output_delta(net: Network, rec: SequencePass, sources: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """dE_t/da and dE_t/dn of the output layer at step t, for every t (or only where `sources` is 1)."""
    top = len(net.layers) - 1
    a, n, t = rec.activation[top], rec.net_input[top], rec.target
    dE_da = net.loss.dE_da(a, t, net.output.activation)
    delta = net.loss.output_delta(a, n, t, net.fns[top], net.output.activation, dE_da)
    if sources is None:
        return dE_da, delta
    # sources are 0 or 1: masking after the activation's backprop gives the same numbers as masking before
    return dE_da * sources[:, None], delta * sources[:, None]


def _down(net: Network, rec: SequencePass, k: int, delta: np.ndarray, shift: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """From dE/dn of layer k to dE/da and dE/dn of layer k − 1, at steps shifted back by `shift`."""
    dE_da = delta @ net.params[net.layers[k].name]
    n, a = _shifted(rec.net_input[k - 1], shift), _shifted(rec.activation[k - 1], shift)
    return dE_da, net.fns[k - 1].backprop(dE_da, n, a)


def _shifted(array: np.ndarray, d: int) -> np.ndarray:
    """Row t holds array[t − d] (rows before d are zeros): the values d steps back."""
    if d == 0:
        return array
    out = np.zeros_like(array)
    out[d:] = array[:-d]
    return out


def backward_by_lag(
    net: Network, rec: SequencePass, bptt_steps: int | None, sources: np.ndarray | None = None
) -> SequencePass:
    """Backprop through time, error source by error source: by_lag[k][d][t] = ∂E_t/∂n_k(t − d).

    Each E_t sends its error back `bptt_steps` steps (all the way if None); the lag-d errors of
    every E_t are one matrix product away from the lag d − 1 ones, through the context weights:
    ∂E_t/∂a_h(t − d) = Σ_m ∂E_t/∂n_hm(t − d + 1) · w_c[m][j].
    """
    layers = net.layers
    top, h = len(layers) - 1, context_layer(net)
    steps = len(rec.target)
    lags = steps - 1 if bptt_steps is None else min(bptt_steps, steps - 1)
    by_lag: list[list[np.ndarray]] = [[] for _ in layers]
    dE_da_by_lag: list[list[np.ndarray]] = [[] for _ in layers]
    dE_da, delta = _output_delta(net, rec, sources)
    by_lag[top].append(delta)
    dE_da_by_lag[top].append(dE_da)
    for k in range(top, h, -1):  # down to the context layer, all at the same step (lag 0)
        dE_da, delta = _down(net, rec, k, by_lag[k][0])
        by_lag[k - 1].append(delta)
        dE_da_by_lag[k - 1].append(dE_da)
    context_weights = net.params[layers[h].name + "_context"]
    fn, n_h, a_h = net.fns[h], rec.net_input[h], rec.activation[h]
    for d in range(1, lags + 1):
        # the error of E_t at step t − d + 1 flows back through the context weights to step t − d
        carried = by_lag[h][d - 1] @ context_weights
        carried[:d] = 0.0  # no step before the first
        dE_da_by_lag[h].append(carried)
        by_lag[h].append(fn.backprop(carried, _shifted(n_h, d), _shifted(a_h, d)))
    for k in range(h, 1, -1):  # below the context layer: every lag, within its own step
        for d in range(lags + 1):
            dE_da, delta = _down(net, rec, k, by_lag[k][d], d)
            dE_da_by_lag[k - 1].append(dE_da)
            by_lag[k - 1].append(delta)
    rec.by_lag, rec.dE_da_by_lag = by_lag, dE_da_by_lag
    rec.gradients = _lag_gradients(net, rec)
    return rec


def _lag_gradients(net: Network, rec: SequencePass) -> dict[str, np.ndarray]:
    """∂E/∂w = Σ_t Σ_d ∂E_t/∂n(t − d) · a_below(t − d): every error source, every copy of the weight."""
    grads: dict[str, np.ndarray] = {}
    h = context_layer(net)
    for k in range(len(net.layers) - 1, 0, -1):
        layer = net.layers[k]
        below = rec.activation[k - 1]
        grads[layer.name] = sum(delta.T @ _shifted(below, d) for d, delta in enumerate(rec.by_lag[k]))
        if k == h:
            grads[layer.name + "_context"] = sum(
                delta.T @ _shifted(rec.context, d) for d, delta in enumerate(rec.by_lag[k])
            )
        if layer.bias:
            grads[layer.name + "_bias"] = sum(delta.sum(axis=0) for delta in rec.by_lag[k])
    return {key: grads[key] for key in net.param_shapes()}


def source_gradients(net: Network, rec: SequencePass) -> dict[str, np.ndarray]:
    """∂E_t/∂w for every error source t, from backward_by_lag's arrays: [t, to, from] (or [t, to] for a
    bias) = Σ_d ∂E_t/∂n_to(t − d) · input_from(t − d), over the steps d back that E_t reached."""
    out: dict[str, np.ndarray] = {}
    steps = len(rec.target)
    for k, layer in enumerate(net.layers[1:], start=1):
        sources = {layer.name: rec.activation[k - 1]}
        if layer.context:
            sources[layer.name + "_context"] = rec.context
        if layer.bias:
            sources[layer.name + "_bias"] = np.ones((steps, 1))
        for key, inputs in sources.items():
            total = np.zeros((steps, *net.params[key].shape))
            for d, delta in enumerate(rec.by_lag[k]):
                if d >= steps:
                    break
                term = delta[d:, :, None] * inputs[: steps - d, None, :]
                total[d:] += term[..., 0] if key.endswith("_bias") else term
            out[key] = total
    rec.source_gradients = out
    return out


def backward_sweep(net: Network, rec: SequencePass, sources: np.ndarray | None = None) -> SequencePass:
    """Full backprop through time in one backward sweep over the steps (O(T), for training).

    δ_h(t) = (∂E/∂a_h(t) from above + δ_h(t + 1) · W_c) ⊙ f′(n_h(t)). It gives the same gradient
    as backward_by_lag with bptt_steps=None, summed in another order. `sources` (1 or 0 per step)
    keeps only the errors E_t of the steps marked 1.
    """
    layers = net.layers
    top, h = len(layers) - 1, context_layer(net)
    _, delta = _output_delta(net, rec, sources)
    deltas: list[np.ndarray | None] = [None] * len(layers)
    deltas[top] = delta
    for k in range(top, h, -1):
        deltas[k - 1] = _down(net, rec, k, deltas[k])[1]
    from_above = deltas[h + 1] @ net.params[layers[h + 1].name]
    context_weights = net.params[layers[h].name + "_context"]
    fn, n_h, a_h = net.fns[h], rec.net_input[h], rec.activation[h]
    delta_h = np.empty_like(from_above)
    carried = np.zeros(from_above.shape[1])
    for s in range(len(from_above) - 1, -1, -1):
        delta_h[s] = fn.backprop((from_above[s] + carried)[None, :], n_h[s : s + 1], a_h[s : s + 1])[0]
        carried = delta_h[s] @ context_weights
    deltas[h] = delta_h
    for k in range(h, 1, -1):
        deltas[k - 1] = _down(net, rec, k, deltas[k])[1]
    grads = {}
    for k in range(top, 0, -1):
        layer = layers[k]
        grads[layer.name] = deltas[k].T @ rec.activation[k - 1]
        if k == h:
            grads[layer.name + "_context"] = deltas[k].T @ rec.context
        if layer.bias:
            grads[layer.name + "_bias"] = np.ones(len(deltas[k])) @ deltas[k]
    rec.gradients = {key: grads[key] for key in net.param_shapes()}
    return rec


def sequence_gradients(net: Network, rec: SequencePass) -> SequencePass:
    if net.training.bptt_steps is None:
        return backward_sweep(net, rec)
    return backward_by_lag(net, rec, net.training.bptt_steps)


def sequence_loss(net: Network, inputs: np.ndarray, targets: np.ndarray) -> float:
    return forward_sequence(net, inputs, targets).loss


def total_sequence_loss(net: Network) -> float:
    """The loss summed over every sequence of the network (tss)."""
    return sum(sequence_loss(net, x, t) for x, t in net.sequences)


def position_errors(net: Network, inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """E_t at every position of a stream: where the next item is predictable, it drops."""
    return forward_sequence(net, inputs, targets).step_loss


# -- training ----------------------------------------------------------------------------------


def train_by_steps(net: Network, inputs: np.ndarray, targets: np.ndarray, fast: bool = True) -> None:
    """Change the weights after every step, the context carried on (how Elman trained on long streams).

    With bptt_steps = 0 the context is a plain input (Elman's original). Otherwise E_t sends its error
    back through the last bptt_steps steps (all of them if None), recomputed with the weights as they
    are now, from the context those steps started with. Elman's original on his own network (input,
    hidden with context, output) runs through engine.step_training: the same numbers in less time;
    `fast=False` takes the general path below (tests and bench/bench_srn.py compare the two).
    """
    window = net.training.bptt_steps
    if fast and window == 0 and step_training.applies(net):
        step_training.train_steps(net, inputs, targets)
        return
    h = context_layer(net)
    c = np.full((1, net.layers[h].size), net.training.initial_context)
    if window == 0:
        for s in range(len(inputs)):
            record = net.backward(net.forward(inputs[s : s + 1], targets[s : s + 1], context=c))
            net.update(record.gradients)
            c = record.activation[h]
        return
    started_from: list[np.ndarray] = []  # the context each step started from
    for s in range(len(inputs)):
        started_from.append(c[0])
        first = 0 if window is None else max(0, s - window)
        rec = forward_sequence(net, inputs[first : s + 1], targets[first : s + 1], started_from[first])
        only_now = np.zeros(s + 1 - first)
        only_now[-1] = 1.0  # E_t alone: the earlier steps' errors were used when they happened
        backward_sweep(net, rec, sources=only_now)  # all the way back through the window, in O(window)
        net.update(rec.gradients)
        c = rec.activation[h][-1:]


def train_recurrent(net: Network, epochs=None, ecrit=None, on_epoch=None):
    epochs = net.training.epochs if epochs is None else epochs
    ecrit = net.training.ecrit if ecrit is None else ecrit
    result = TrainResult(0)
    mode = net.training.update
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is caught as a diverged loss
        for epoch in range(1, epochs + 1):
            if mode == "batch":
                total: dict[str, np.ndarray] = {}
                for x, t in net.sequences:
                    grads = sequence_gradients(net, forward_sequence(net, x, t)).gradients
                    for key, grad in grads.items():
                        total[key] = total.get(key, 0) + grad
                net.update(total)
            else:
                for x, t in net.sequences:
                    if mode == "step":
                        train_by_steps(net, x, t)
                    else:
                        net.update(sequence_gradients(net, forward_sequence(net, x, t)).gradients)
            if end_of_epoch(result, epoch, total_sequence_loss(net), ecrit, on_epoch):
                break
    return result


# -- gradient check on the unrolled network ------------------------------------------------------


def unrolled_numeric_gradients(net: Network, inputs, targets, bptt_steps: int | None, h: float = STEP):
    """Finite differences of Σ_t E_t, where E_t may only feel the copies of each weight at steps
    t − bptt_steps … t (all steps if None): exactly what truncated backprop through time computes.
    """
    steps = len(inputs)
    numeric = {key: np.zeros_like(value) for key, value in net.params.items()}
    for key, param in net.params.items():
        for index in np.ndindex(param.shape):
            for s in range(steps):  # perturb the copy of this weight used at step s
                up, down = param.copy(), param.copy()
                up[index] += h
                down[index] -= h
                e_up = forward_sequence(net, inputs, targets, overrides={(s, key): up}).step_loss
                e_down = forward_sequence(net, inputs, targets, overrides={(s, key): down}).step_loss
                window = range(s, steps) if bptt_steps is None else range(s, min(steps, s + bptt_steps + 1))
                # E_t feels the copy at step s only if s lies within t's window: s ≥ t − bptt_steps
                numeric[key][index] += sum((e_up[t] - e_down[t]) / (2 * h) for t in window)
    return numeric


def check_sequence_gradients(net: Network, sequence: int = 0, h: float = STEP, steps: int | None = None) -> GradCheck:
    """Backprop through time against finite differences on one sequence (its first `steps` steps, if given)."""
    x, t = net.sequences[sequence]
    x, t = x[:steps], t[:steps]
    analytic = sequence_gradients(net, forward_sequence(net, x, t)).gradients
    numeric = unrolled_numeric_gradients(net, x, t, net.training.bptt_steps, h)
    return compare(numeric, analytic, h)
