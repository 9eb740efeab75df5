"""Elman's original training of a simple recurrent network, one step at a time, with little bookkeeping.

Training an Elman network on a stream changes the weights after every item (`update = "step"`,
`bptt_steps = 0`: the context is a plain input). Through `Network.forward`, `backward` and
`update`, each step builds a Pass, a gradient dict and one update per weight array, and that
bookkeeping, not the arithmetic, is most of the time (~40 µs a step for a 1-2-1 network).
`train_steps` does the same float operations in the same order, so the weights agree to the
last bit (the lessons quote numbers from these runs), with less around them: the weights
looked up once per sequence; every product made by the arrays' own `dot` (the same BLAS call
as `@` on contiguous arrays, and cheaper to make); the biases added as rows, not broadcast;
and the update Δw = −ε ∂E/∂w + α Δw(t−1) applied to every weight array at once, the arrays
laid end to end in one flat array. engine.recurrent.train_by_steps sends the networks it
applies to here; tests/test_step_training.py checks it against the general path (forward,
backward and update) on every bundled recurrent network, and bench/bench_srn.py times both.
"""

from __future__ import annotations

import numpy as np

from engine.network import Network


def applies(net: Network) -> bool:
    """The networks train_steps trains: input, one hidden layer with context units, output (Elman 1990)."""
    return len(net.layers) == 3 and net.layers[1].context


class _Flat:
    """Where each weight array of a network lies when they are laid end to end in one flat array."""

    def __init__(self, net: Network):
        self.shapes = net.param_shapes()
        self.spans: dict[str, slice] = {}
        self.size = 0
        for key, shape in self.shapes.items():
            self.spans[key] = slice(self.size, self.size + int(np.prod(shape)))
            self.size = self.spans[key].stop

    def view(self, flat: np.ndarray, key: str, as_row: bool = False) -> np.ndarray | None:
        """The part of `flat` that holds weight array `key` (None if the network has none), a bias as a row if asked."""
        if key not in self.spans:
            return None
        return flat[self.spans[key]].reshape((1, -1) if as_row else self.shapes[key])


def train_steps(net: Network, inputs: np.ndarray, targets: np.ndarray) -> None:
    """One pass over a sequence, the weights changed after every step, the context carried on.

    Per step, as Network.forward, backward and update on one row: n_h = x·W_inᵀ + b_h + c·W_cᵀ,
    a_h = f(n_h), n_o = a_h·W_outᵀ + b_o, a_o = f(n_o); δ_o = ∂E/∂n_o, δ_h = (δ_o·W_out) ⊙ f′(n_h);
    ∂E/∂w_ij = δ_j · a_i; then c = a_h for the next step.
    """
    hidden, output = net.layers[1].name, net.layers[2].name
    f_hidden, f_output, loss, output_activation = net.fns[1], net.fns[2], net.loss, net.layers[2].activation
    output_delta = loss.output_delta
    flat = _Flat(net)
    weights, velocity, grads = np.zeros(flat.size), np.zeros(flat.size), np.zeros(flat.size)
    for key in flat.spans:
        flat.view(weights, key)[...] = net.params[key]
        flat.view(velocity, key)[...] = net.velocity[key]
    # −ε and α as arrays, not scalars: the same products, and NumPy makes them faster
    minus_lr, momentum = np.full(flat.size, -net.training.learning_rate), np.full(flat.size, net.training.momentum)
    w_in, w_context, w_out = (flat.view(weights, key) for key in (hidden, f"{hidden}_context", output))
    w_in_t, w_context_t, w_out_t = w_in.T, w_context.T, w_out.T
    b_hidden, b_output = (flat.view(weights, f"{name}_bias", as_row=True) for name in (hidden, output))
    g_in, g_context, g_out = (flat.view(grads, key) for key in (hidden, f"{hidden}_context", output))
    g_hidden_bias, g_output_bias = (flat.view(grads, f"{name}_bias", as_row=True) for name in (hidden, output))
    multiply, with_momentum = np.multiply, bool(net.training.momentum)
    value_h, value_o, backprop_h = f_hidden.value, f_output.value, f_hidden.backprop
    rows = zip(np.asarray(inputs, float)[:, None, :], np.asarray(targets, float)[:, None, :], strict=True)
    c = np.full((1, net.layers[1].size), net.training.initial_context)
    for a_in, t in rows:  # each a row [1, units]
        # n = (a·Wᵀ + b) + c·W_cᵀ, summed in that order; not in place (see engine.activations._logistic)
        n_h = a_in.dot(w_in_t) if b_hidden is None else a_in.dot(w_in_t) + b_hidden
        n_h = n_h + c.dot(w_context_t)
        a_h = value_h(n_h)
        n_o = a_h.dot(w_out_t) if b_output is None else a_h.dot(w_out_t) + b_output
        a_o = value_o(n_o)
        delta_o = output_delta(a_o, n_o, t, f_output, output_activation)
        delta_h = backprop_h(delta_o.dot(w_out), n_h, a_h)
        delta_o.T.dot(a_h, out=g_out)  # ∂E/∂w_ij = δ_j · a_i, one product each
        delta_h.T.dot(a_in, out=g_in)
        delta_h.T.dot(c, out=g_context)
        if g_output_bias is not None:
            g_output_bias[...] = delta_o
        if g_hidden_bias is not None:
            g_hidden_bias[...] = delta_h
        # Δw = −ε ∂E/∂w + α Δw(t−1), as Network.update computes it (the sum in either order is the same float)
        multiply(grads, minus_lr, out=grads)
        if with_momentum:
            multiply(velocity, momentum, out=velocity)
            velocity += grads
        else:
            velocity[...] = grads
        weights += velocity
        c = a_h
    for key in flat.spans:
        net.params[key][...] = flat.view(weights, key)
        net.velocity[key] = flat.view(velocity, key).copy()
