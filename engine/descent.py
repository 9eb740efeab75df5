"""Gradient descent on one weight: the error as a function of that weight alone, its slope, and the
steps w ← w − ε ∂E/∂w down the curve (every other weight held where the network file puts it).

E is the network's loss summed over all its patterns (tss), and ∂E/∂w comes from the engine's own
backward pass, so the curve and the steps are the ones training would take with batch updates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.network import Network
from engine.trace import parse_connection

MAX_WEIGHT = 1e6  # a weight beyond this has diverged: the steps stop there


@dataclass(frozen=True)
class Point:
    """One weight value with the error and the slope there."""

    weight: float
    error: float
    slope: float  # ∂E/∂w


class OneWeight:
    """The network seen as a function of one weight (`connection`, e.g. "output[0][0]")."""

    def __init__(self, net: Network, connection: str):
        self.net = net.copy()
        self.key, self.index = parse_connection(connection)
        shape = self.net.params[self.key].shape  # KeyError: no such array
        if len(self.index) != len(shape) or not all(0 <= i < n for i, n in zip(self.index, shape, strict=True)):
            raise IndexError(f"{connection}: no such weight in an array of shape {shape}")

    def point(self, weight: float) -> Point:
        """E and ∂E/∂w with the weight set to `weight`: one forward and one backward pass."""
        self.net.params[self.key][self.index] = weight
        record = self.net.backward(self.net.forward(self.net.inputs, self.net.targets))
        return Point(float(weight), float(record.loss), float(record.gradients[self.key][self.index]))

    def curve(self, low: float, high: float, count: int) -> tuple[np.ndarray, np.ndarray]:
        """`count` weights evenly spaced over [low, high] and the error at each."""
        weights = np.linspace(low, high, count)
        return weights, np.array([self.point(w).error for w in weights])

    def descend(self, start: float, rate: float, steps: int) -> list[Point]:
        """The start and up to `steps` steps w ← w − ε ∂E/∂w; stops early once the weight diverges."""
        points = [self.point(start)]
        for _ in range(steps):
            here = points[-1]
            weight = here.weight - rate * here.slope
            if not np.isfinite(weight) or abs(weight) > MAX_WEIGHT:
                break
            points.append(self.point(weight))
        return points


def describe_step(here: Point, after: Point) -> str:
    """What one step did: went downhill, overshot the bottom (the slope changed sign), or climbed."""
    if after.error > here.error:
        return "climbed: the step was so long it landed higher on the other side"
    if here.slope * after.slope < 0:
        return "overshot the bottom, but landed lower"
    return "went downhill"
