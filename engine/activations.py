"""Activation functions a = f(n), each with its derivative da/dn right beside it.

Every function works on whole arrays (rows are patterns, columns are units). Each one also
carries the formulas the trace shows: `{n}` and `{a}` in a template stand for the unit's
net input and activation, as symbols or as numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Activation:
    name: str
    title: str
    value_formula: str  # f(n) written with {n}: "1 / (1 + e^(−{n}))"
    slope_formula: str  # da/dn written with {a} and {n}, symbols side: "{a}(1 − {a})"
    slope_numbers: str  # the same, for numbers put in: "{a} × (1 − {a})"
    elementwise: bool = True  # False for softmax, whose a_k depends on every n_j

    def value(self, n: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def slope(self, n: np.ndarray, a: np.ndarray) -> np.ndarray:
        """da/dn for each unit (elementwise functions only)."""
        raise NotImplementedError

    def backprop(self, dE_da: np.ndarray, n: np.ndarray, a: np.ndarray) -> np.ndarray:
        """dE/dn from dE/da: dE/dn_j = dE/da_j · da_j/dn_j."""
        return dE_da * self.slope(n, a)


class Sigmoid(Activation):
    def value(self, n):
        # σ(n) = 1 / (1 + e^−n), computed in place. Capping −n at 700 keeps e^−n finite
        # (σ(−700) ≈ 1e−304 already), so no net input overflows.
        out = np.negative(n)
        np.minimum(out, 700.0, out=out)
        np.exp(out, out=out)
        out += 1.0
        return np.reciprocal(out, out=out)

    def slope(self, n, a):
        return a * (1.0 - a)  # dσ/dn = σ(n)(1 − σ(n))

    def backprop(self, dE_da, n, a):
        out = np.subtract(1.0, a)  # dE/dn = dE/da · a(1 − a), in place: no temporaries
        out *= a
        out *= dE_da
        return out


class Tanh(Activation):
    def value(self, n):
        return np.tanh(n)

    def slope(self, n, a):
        return 1.0 - a * a  # d tanh/dn = 1 − tanh²(n)


class ReLU(Activation):
    def value(self, n):
        return np.maximum(n, 0.0)

    def slope(self, n, a):
        # u(n), the unit step, with u(0) = 1 as in the lectures (PyTorch uses 0 at exactly 0).
        return (n >= 0).astype(float)


class Step(Activation):
    def value(self, n):
        return (n >= 0).astype(float)  # McCulloch–Pitts threshold unit: u(n), u(0) = 1

    def slope(self, n, a):
        # Flat on both sides of the threshold: no error derivative passes through a step unit.
        return np.zeros_like(n)


class Linear(Activation):
    def value(self, n):
        return np.array(n, dtype=float, copy=True)

    def slope(self, n, a):
        return np.ones_like(n)


class Softmax(Activation):
    def value(self, n):
        shifted = n - np.max(n, axis=-1, keepdims=True)  # subtracting the max changes nothing but overflow
        e = np.exp(shifted)
        return e / np.sum(e, axis=-1, keepdims=True)

    def slope(self, n, a):
        raise TypeError("softmax has no per-unit slope: ∂a_k/∂n_j = a_k(δ_kj − a_j)")

    def backprop(self, dE_da, n, a):
        # dE/dn_j = Σ_k dE/da_k · a_k(δ_kj − a_j) = a_j (dE/da_j − Σ_k dE/da_k a_k)
        return a * (dE_da - np.sum(dE_da * a, axis=-1, keepdims=True))


ACTIVATIONS: dict[str, Activation] = {
    f.name: f
    for f in (
        Sigmoid("sigmoid", "logistic sigmoid", "1 / (1 + e^(−{n}))", "{a}(1 − {a})", "{a} × (1 − {a})"),
        Tanh("tanh", "hyperbolic tangent", "tanh({n})", "1 − {a}²", "1 − {a}²"),
        ReLU("relu", "rectified linear", "max(0, {n})", "u({n})", "u({n})"),
        Step("step", "threshold (step)", "u({n})", "0", "0"),
        Linear("linear", "linear", "{n}", "1", "1"),
        Softmax(
            "softmax",
            "softmax",
            "e^{n} / Σ_k e^n_k",
            "a_k(δ_kj − a_j)",
            "a_k(δ_kj − a_j)",
            elementwise=False,
        ),
    )
}
