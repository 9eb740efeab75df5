"""Hidden-unit space: each pattern as the point of its hidden activations, and the output unit's
separating line there (Rumelhart, Hinton & Williams's picture of XOR made linearly separable).

For a network with one hidden layer of two or three units, a pattern's point is (h1, h2[, h3]), read
from the engine's own forward pass. The output unit's net input is linear in these coordinates,
n = w·h + b, so the patterns it calls 1 and those it calls 0 are split by the line (a plane, with
three units) where w·h + b = 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.network import Network
from engine.surface import BOUNDED

UNITS = (2, 3)  # hidden units a plane (and a colour for the third) can show
SATURATED = 0.01  # a bounded unit this close to a bound (as a share of its range) is saturated
SMOOTH = ("sigmoid", "tanh")  # bounded activations whose slope shrinks towards 0 near the bounds


@dataclass
class HiddenSpace:
    units: list[str]  # the hidden units' labels: the axes (and the colour, for a third)
    points: np.ndarray  # (patterns, units): each pattern's hidden activations
    inputs: np.ndarray
    targets: np.ndarray
    activation: str  # the hidden layer's activation
    weights: np.ndarray | None  # the (single) output unit's weights from the hidden units, or None
    bias: float

    def line_h2(self, h1: np.ndarray, h3: float = 0.0) -> np.ndarray:
        """The second coordinate of the separating line at each h1 (h3 fixed, with three units):
        w1·h1 + w2·h2 + w3·h3 + b = 0, so h2 = −(w1·h1 + w3·h3 + b) / w2."""
        w = self.weights
        rest = w[0] * np.asarray(h1, float) + self.bias + (w[2] * h3 if len(w) > 2 else 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return -rest / w[1]

    def net_input(self, h: np.ndarray) -> np.ndarray:
        """The output unit's net input at points of hidden space, w·h + b (rows are points)."""
        return np.atleast_2d(h) @ self.weights + self.bias


def hidden_layer(net: Network) -> int | None:
    """The index of the network's one hidden layer when it has 2 or 3 units (else None)."""
    if net.is_recurrent or len(net.layers) != 3 or net.layers[1].size not in UNITS:
        return None
    return 1


def compute(net: Network) -> HiddenSpace:
    """Every pattern's point in hidden-unit space, and the output's separating line (one output unit)."""
    index = hidden_layer(net)
    if index is None:
        raise ValueError("hidden-unit space is drawn for one hidden layer of two or three units")
    layer = net.layers[index]
    points = hidden_activations(net).values
    weights, bias = None, 0.0
    if net.output.size == 1:
        weights = net.params[net.output.name][0].copy()
        bias = float(net.params[f"{net.output.name}_bias"][0]) if net.output.bias else 0.0
    return HiddenSpace(list(layer.labels), points, net.inputs, net.targets, layer.activation or "linear", weights, bias)


@dataclass
class HiddenActivations:
    """Every pattern's hidden activations (all hidden layers, input side first), and which are saturated."""

    units: list[str]  # the hidden units' labels, layer by layer
    values: np.ndarray  # (patterns, units): the engine's forward pass over every pattern
    inputs: np.ndarray
    saturated: np.ndarray  # (patterns, units): −1 near the low bound, +1 near the high one, 0 elsewhere
    bounds: list[tuple[float, float] | None]  # each unit's range (None: unbounded, never called saturated)


def hidden_activations(net: Network) -> HiddenActivations:
    """One forward pass over every pattern of a feed-forward network: each hidden unit's activation.

    A sigmoid or tanh unit within SATURATED of its range from a bound is saturated: its slope there
    (a(1 − a) below .0099 for a sigmoid beyond .99) lets almost no error through it.
    """
    hidden = range(1, len(net.layers) - 1)
    with np.errstate(over="ignore", invalid="ignore"):
        record = net.forward(net.inputs)
    values = np.column_stack([record.activation[k] for k in hidden]) if hidden else np.zeros((len(net.inputs), 0))
    units, bounds = [], []
    for k in hidden:
        layer = net.layers[k]
        name = layer.activation or "linear"
        units += list(layer.labels)
        bounds += [BOUNDED[name] if name in SMOOTH else None] * layer.size
    saturated = np.zeros(values.shape, int)
    for u, span in enumerate(bounds):
        if span is not None:
            near = SATURATED * (span[1] - span[0])
            saturated[:, u] = np.where(
                values[:, u] <= span[0] + near, -1, np.where(values[:, u] >= span[1] - near, 1, 0)
            )
    return HiddenActivations(units, values, net.inputs, saturated, bounds)


@dataclass
class HiddenStates:
    """An Elman network's hidden activations at each step of one sequence: what its context carries."""

    units: list[str]
    states: np.ndarray  # [step, unit]
    labels: list[str]  # each step's input, as a short label
    activation: str


def hidden_states(net: Network, steps: int = 60) -> HiddenStates:
    """The hidden layer's activations over the first `steps` steps of the file's test stream (the
    positions the error strip shows), or of its last sequence when it has no stream."""
    from engine import recurrent  # the recurrent half of the engine, only for Elman networks

    k = recurrent.context_layer(net)
    stream = net.test_stream
    if stream is not None:
        inputs, labels = stream.inputs[:steps], list(stream.labels[:steps])
    else:
        inputs = net.sequences[-1][0][:steps]
        labels = ["".join(f"{v:g}" for v in row) for row in inputs]
    with np.errstate(over="ignore", invalid="ignore"):
        record = recurrent.forward_sequence(net, inputs)
    layer = net.layers[k]
    return HiddenStates(list(layer.labels), record.activation[k], labels, layer.activation or "linear")
