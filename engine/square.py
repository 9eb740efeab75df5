"""The input square: a two-input network's patterns as corners, and the line each unit above the inputs draws.

A unit fed straight by the inputs has net input n = w₁x₁ + w₂x₂ + b, which is 0 along a straight line; a
threshold unit says 1 on the side where n ≥ 0 and 0 on the other (lesson 1: "draw the four input pairs as the
corners of a square"). One line separates OR's 1s from its 0s, and another AND's, but XOR's need both: the
two 1s lie between the OR line and the AND line.

For a network whose first layer above the inputs is its output layer, each output unit is a square of its
own, its corners marked by that unit's targets. Otherwise the first hidden layer's units all draw their lines
in one square, marked by the first output unit's targets: what the network must compute, and the lines its
hidden units draw to get there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.network import Network
from engine.surface import BOUNDED, check_two_inputs


@dataclass(frozen=True)
class UnitLine:
    """The line n = w₁x₁ + w₂x₂ + b = 0 of one unit fed by the two inputs."""

    label: str
    w1: float
    w2: float
    bias: float

    def net_input(self, x1: np.ndarray | float, x2: np.ndarray | float) -> np.ndarray:
        """n = w₁x₁ + w₂x₂ + b at each point."""
        return self.w1 * np.asarray(x1, float) + self.w2 * np.asarray(x2, float) + self.bias

    def says_one(self, x1: np.ndarray | float, x2: np.ndarray | float) -> np.ndarray:
        """Whether a threshold unit says 1 there: n ≥ 0 (the step function's u(0) = 1)."""
        return self.net_input(x1, x2) >= 0


@dataclass(frozen=True)
class Square:
    """One square to draw: its corners (the patterns' inputs), what each is marked by, and its lines."""

    title: str  # "OR", or "y: targets; lines of OR and AND"
    inputs: np.ndarray  # (patterns, 2)
    targets: np.ndarray  # (patterns,): the target marking each corner
    ones: np.ndarray  # (patterns,) bool: the target is on the upper half of the unit's range (● rather than ○)
    lines: tuple[UnitLine, ...]


def why_not(net: Network) -> str | None:
    """Why the square cannot be drawn for this network, or None when it can."""
    why = check_two_inputs(net)
    if why is not None:
        return why
    if net.layers[1].size > 3:
        return f"a square shows the lines of at most 3 units; {net.layers[1].name} has {net.layers[1].size}"
    return None


def unit_lines(net: Network) -> tuple[UnitLine, ...]:
    """The line of every unit in the first layer above the inputs, from the network's own weights."""
    layer = net.layers[1]
    weights = net.params[layer.name]
    bias = net.params[f"{layer.name}_bias"] if layer.bias else np.zeros(layer.size)
    return tuple(
        UnitLine(layer.label(k), float(weights[k, 0]), float(weights[k, 1]), float(bias[k])) for k in range(layer.size)
    )


def squares(net: Network) -> list[Square]:
    """The squares to draw: one per output unit when the inputs feed the outputs, else one with every hidden line."""
    why = why_not(net)
    if why is not None:
        raise ValueError(why)
    lines = unit_lines(net)
    low, high = BOUNDED.get(net.output.activation or "linear", (0.0, 1.0))
    middle = (low + high) / 2

    def square(title: str, unit: int, drawn: tuple[UnitLine, ...]) -> Square:
        targets = net.targets[:, unit].astype(float)
        return Square(title, net.inputs[:, :2].astype(float), targets, targets >= middle, drawn)

    if len(net.layers) == 2:
        return [square(line.label, k, (line,)) for k, line in enumerate(lines)]
    return [square(net.output.label(0), 0, lines)]
