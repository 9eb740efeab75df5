"""Decision surfaces: what a two-input network computes over a square of the input plane.

Every point of the grid is one row of a single batched forward pass through the network's own
`forward` (no second implementation, no loop over points), so the picture is exactly the function
the trace steps through. As in TensorFlow Playground, each hidden unit's activation over the same
grid is its own small surface.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.network import Network

DEFAULT_SPAN = (-0.5, 1.5)  # the unit square with a margin: the four binary patterns sit inside it
DEFAULT_SIZE = (41, 41)  # points across and up: a step of .05 over the default span, so 0 and 1 are on the grid
MAX_POINTS = 1_000_000  # a grid larger than this would only use memory: 1000 × 1000 points

# The activations a unit's value lies between, for a colour scale centred on their midpoint.
BOUNDED = {"sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "step": (0.0, 1.0), "tanh": (-1.0, 1.0)}


@dataclass
class Surface:
    """Activations over a grid: `output[i, j]` (and each hidden grid) is the value at (x[j], y[i])."""

    x: np.ndarray  # (W,) first input, left to right
    y: np.ndarray  # (H,) second input, bottom to top
    output: np.ndarray  # (H, W) the first output unit
    outputs: dict[str, np.ndarray]  # every output unit, by label
    hidden: dict[str, np.ndarray]  # every hidden unit, by label, in layer order
    output_activation: str
    hidden_activation: dict[str, str]  # unit label -> its layer's activation

    def span(self, label: str | None = None) -> tuple[float, float] | None:
        """The range a unit's value lies in (None: unbounded, like ReLU or linear)."""
        name = self.output_activation if label is None else self.hidden_activation[label]
        return BOUNDED.get(name)


def check_two_inputs(net: Network) -> str | None:
    """Why a surface cannot be drawn for this network, or None when it can."""
    if net.is_recurrent:
        return "a recurrent network's output depends on its context as well as its input: no surface over two inputs"
    if net.layers[0].size != 2:
        return f"a surface is drawn over two inputs; this network has {net.layers[0].size}"
    return None


def grid_axes(width: int, height: int, span: tuple[float, float] = DEFAULT_SPAN) -> tuple[np.ndarray, np.ndarray]:
    """`width` points across and `height` points up, evenly spread over the span, ends included."""
    lo, hi = span
    return np.linspace(lo, hi, width), np.linspace(lo, hi, height)


def compute(
    net: Network, width: int = DEFAULT_SIZE[0], height: int = DEFAULT_SIZE[1], span: tuple[float, float] = DEFAULT_SPAN
) -> Surface:
    """Every unit's activation over the grid, from one forward pass of all W × H points at once."""
    why = check_two_inputs(net)
    if why is not None:
        raise ValueError(why)
    if width < 1 or height < 1 or width * height > MAX_POINTS:
        raise ValueError(f"a surface has from 1 to {MAX_POINTS:,} points; {width} × {height} asked for")
    x, y = grid_axes(width, height, span)
    xx, yy = np.meshgrid(x, y)  # xx[i, j] = x[j], yy[i, j] = y[i]
    points = np.column_stack([xx.ravel(), yy.ravel()])
    with np.errstate(over="ignore", invalid="ignore"):
        record = net.forward(points)
    hidden: dict[str, np.ndarray] = {}
    kinds: dict[str, str] = {}
    for layer, acts in zip(net.layers[1:-1], record.activation[1:-1], strict=True):
        for unit in range(layer.size):
            hidden[layer.label(unit)] = acts[:, unit].reshape(height, width)
            kinds[layer.label(unit)] = layer.activation or "linear"
    top = record.activation[-1]
    outputs = {net.output.label(k): top[:, k].reshape(height, width) for k in range(net.output.size)}
    return Surface(x, y, top[:, 0].reshape(height, width), outputs, hidden, net.output.activation or "linear", kinds)
