"""Finite-difference gradient check: nudge every weight by ±h and compare with backprop."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.network import Network

STEP = 1e-6  # h of the central differences (E(w + h) − E(w − h)) / 2h
TOLERANCE = 1e-6  # the relative difference under which backprop and finite differences agree


@dataclass
class GradCheck:
    numeric: dict[str, np.ndarray]  # (E(w + h) − E(w − h)) / 2h for every weight
    analytic: dict[str, np.ndarray]  # what the backward pass computed
    max_abs_error: float
    max_rel_error: float
    h: float = STEP  # the step the numeric gradients were taken with

    def ok(self, tolerance: float = TOLERANCE) -> bool:
        return self.max_rel_error < tolerance


def numeric_gradients(net: Network, loss_of: callable, h: float = STEP) -> dict[str, np.ndarray]:
    """Central differences of `loss_of(net)` with respect to every parameter of `net`."""
    numeric = {}
    for key, param in net.params.items():
        grad = np.zeros_like(param)
        for index in np.ndindex(param.shape):
            old = param[index]
            param[index] = old + h
            up = loss_of(net)
            param[index] = old - h
            down = loss_of(net)
            param[index] = old
            grad[index] = (up - down) / (2 * h)
        numeric[key] = grad
    return numeric


def compare(numeric: dict[str, np.ndarray], analytic: dict[str, np.ndarray], h: float = STEP) -> GradCheck:
    abs_err = rel_err = 0.0
    for key, num in numeric.items():
        diff = np.abs(num - analytic[key])
        scale = np.maximum(np.abs(num) + np.abs(analytic[key]), 1e-8)
        abs_err = max(abs_err, float(diff.max(initial=0.0)))
        rel_err = max(rel_err, float((diff / scale).max(initial=0.0)))
    return GradCheck(numeric, analytic, abs_err, rel_err, h)


def check_gradients(net: Network, inputs=None, targets=None, h: float = STEP) -> GradCheck:
    """Compare backprop's dE/dw on the given patterns (all of the network's by default) with finite differences."""
    x = net.inputs if inputs is None else np.atleast_2d(inputs)
    t = net.targets if targets is None else np.atleast_2d(targets)
    analytic = net.backward(net.forward(x, t)).gradients
    numeric = numeric_gradients(net, lambda n: n.forward(x, t).loss, h)
    return compare(numeric, analytic, h)


def check_pattern_gradients(net: Network, pattern: int | None) -> GradCheck:
    """The check for what a trace shows: one pattern (None: all of them at once). Any network: engine.kinds."""
    if pattern is None:
        return check_gradients(net)
    return check_gradients(net, net.inputs[pattern : pattern + 1], net.targets[pattern : pattern + 1])


def rows(result: GradCheck) -> list[tuple[str, float, float]]:
    """(weight as the command line names it, backprop's ∂E/∂w, the finite difference) for every weight."""
    return [
        (key + "".join(f"[{i}]" for i in index), float(result.analytic[key][index]), float(num[index]))
        for key, num in result.numeric.items()
        for index in np.ndindex(num.shape)
    ]
