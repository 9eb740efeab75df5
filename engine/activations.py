"""Activation functions a = f(n), each with its derivative da/dn right beside it.

Everything about an activation lives in its class here, so adding one means adding a class
(and its docs and tests), nothing else: the value and slope the engine computes on whole arrays
(rows are patterns, columns are units); the formulas the trace shows (`{n}` and `{a}` in a
template stand for the unit's net input and activation, as symbols or as numbers); the teaching
note beside each ∂a/∂n; whether the quiz names a forgotten slope as a slip; which cross-entropy
its outputs pair with; and the function names the quiz's answer parser accepts for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.numbers import fill


@dataclass(frozen=True)
class Activation:
    name: str
    title: str
    value_formula: str  # f(n) written with {n}: "1 / (1 + e^(−{n}))"
    slope_formula: str  # da/dn written with {a} and {n}, symbols side: "{a}(1 − {a})"
    slope_numbers: str  # the same, for numbers put in: "{a} × (1 − {a})"
    elementwise: bool = True  # False for softmax, whose a_k depends on every n_j
    # What the trace says beside each of the unit's ∂a/∂n terms (softmax: beside ∂E/∂n).
    note: str = ""
    # The slope is a factor a learner can forget (not 0, 1 or u(n), which change nothing or
    # everything): the quiz offers "∂a/∂n missing" as a slip for it.
    sloped: bool = False
    # The cross-entropy its outputs pair with, where ∂E/∂n = a − t: "binary" (each output a
    # probability, −Σ [t ln a + (1 − t) ln(1 − a)]), "categorical" (the outputs sum to 1,
    # −Σ t ln a), or "" (cross-entropy cannot follow it).
    cross_entropy: str = ""
    # The quiz's answer parser: names a learner may type for f(x), f(x) and df/dx written in the
    # parser's own grammar with x (and f(x) by one of the names), and how a parsed answer prints
    # f. An activation whose name already is one of the parser's functions (tanh, step) needs none.
    typed_names: tuple[str, ...] = ()
    typed_value: str = ""  # "1/(1 + e^(−x))"
    typed_slope: str = ""  # "σ(x)·(1 − σ(x))"
    typed_label: str = ""  # "σ": kept as a named function, printed as written; "": read as typed_value

    def value(self, n: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def slope(self, n: np.ndarray, a: np.ndarray) -> np.ndarray:
        """da/dn for each unit (elementwise functions only)."""
        raise NotImplementedError

    def backprop(self, dE_da: np.ndarray, n: np.ndarray, a: np.ndarray) -> np.ndarray:
        """dE/dn from dE/da: dE/dn_j = dE/da_j · da_j/dn_j."""
        return dE_da * self.slope(n, a)

    # -- how the trace writes it ------------------------------------------------------------

    def value_symbols(self, n: str, sigmoid: str = "σ") -> str:
        """a = f(n) with symbols, as the trace's activation terms and rules write it."""
        return self.value_formula.format(n=n)

    def value_numbers(self, n: float) -> str:
        """f(n) with the number put in."""
        return fill(self.value_formula, n=n)

    def slope_symbols(self, a: str, n: str) -> str:
        """da/dn with symbols: "a_h1(1 − a_h1)"."""
        return self.slope_formula.format(a=a, n=n)

    def slope_with_numbers(self, a: float, n: float) -> str:
        """da/dn with the numbers put in: "0.731 × (1 − 0.731)"."""
        return fill(self.slope_numbers, a=a, n=n)

    def slope_at(self, n: float, a: float) -> float:
        """da/dn of one unit, from the same code the engine's backward pass runs."""
        return float(self.slope(np.array([n], dtype=float), np.array([a], dtype=float))[0])

    def curve(self, low: float, high: float, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """n, f(n) and f′(n) at `count` evenly spaced net inputs from `low` to `high` (both included), from the
        same value and slope the engine's passes run (elementwise functions only): what a curve of it draws."""
        n = np.linspace(low, high, count)
        a = self.value(n)
        return n, a, self.slope(n, a)


# How the sigmoid is computed, for speed on the few units of a layer (per-step training makes
# millions of these calls): the constants are 0-d arrays, not Python floats (the same numbers,
# a third less time a call), and each operation writes into the other of two buffers, never into
# its own input (NumPy runs such an in-place operation about three times slower on a
# one-element array, a network's single output unit), with no temporaries beyond the two.
_ONE, _CAP = np.array(1.0), np.array(700.0)


def _logistic(n: np.ndarray) -> np.ndarray:
    # σ(n) = 1 / (1 + e^−n). Capping −n at 700 keeps e^−n finite (σ(−700) ≈ 1e−304 already),
    # so no net input overflows.
    first = np.negative(n, dtype=float)
    second = np.minimum(first, _CAP)
    np.exp(second, out=first)
    np.add(first, _ONE, out=second)
    return np.reciprocal(second, out=first)


class Sigmoid(Activation):
    def value(self, n):
        return _logistic(n)

    def slope(self, n, a):
        return a * (1.0 - a)  # dσ/dn = σ(n)(1 − σ(n))

    def backprop(self, dE_da, n, a):
        first = np.subtract(_ONE, a)  # dE/dn = dE/da · a(1 − a), in two buffers (see _logistic)
        second = np.multiply(first, a)
        return np.multiply(second, dE_da, out=first)

    def value_symbols(self, n, sigmoid="σ"):
        return f"{sigmoid}({n}) = {super().value_symbols(n)}"  # σ(n) = 1 / (1 + e^(−n)): the name is used later


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


class Softplus(Activation):
    """ln(1 + e^n): a smooth ReLU (≈ 0 far below 0, ≈ n far above), whose slope is the sigmoid."""

    def value(self, n):
        return np.logaddexp(0.0, n)  # ln(e^0 + e^n), without overflow for large n

    def slope(self, n, a):
        return _logistic(n)  # d/dn ln(1 + e^n) = e^n / (1 + e^n) = σ(n)


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
        Sigmoid(
            "sigmoid",
            "logistic sigmoid",
            "1 / (1 + e^(−{n}))",
            "{a}(1 − {a})",
            "{a} × (1 − {a})",
            sloped=True,
            cross_entropy="binary",
            typed_names=("σ", "sigma", "sig", "sigmoid", "logistic"),
            typed_value="1/(1 + e^(−x))",
            typed_slope="σ(x)·(1 − σ(x))",
            typed_label="σ",
        ),
        Tanh("tanh", "hyperbolic tangent", "tanh({n})", "1 − {a}²", "1 − {a}²", sloped=True),
        ReLU(
            "relu",
            "rectified linear",
            "max(0, {n})",
            "u({n})",
            "u({n})",
            note="u(n) is 1 for n ≥ 0 and 0 below: a ReLU passes the error only when it is active.",
            typed_names=("relu",),
            typed_value="max(0, x)",
        ),
        Softplus(
            "softplus",
            "softplus (smooth ReLU)",
            "ln(1 + e^{n})",
            "σ({n})",
            "1 / (1 + e^(−{n}))",
            note="Softplus is a smooth ReLU, and its slope is the sigmoid: ∂a/∂n = σ(n) lies between 0 and 1, "
            "near 0 far below the threshold and near 1 far above it, so some error always passes.",
            sloped=True,
            typed_names=("softplus",),
            typed_value="ln(1 + e^x)",
            typed_slope="σ(x)",
            typed_label="softplus",
        ),
        Step(
            "step",
            "threshold (step)",
            "u({n})",
            "0",
            "0",
            note="A step unit is flat on both sides of its threshold, so ∂a/∂n = 0: no error "
            "derivative passes through it, and backprop cannot train the weights below it.",
        ),
        Linear("linear", "linear", "{n}", "1", "1"),
        Softmax(
            "softmax",
            "softmax",
            "e^{n} / Σ_k e^n_k",
            "a_k(δ_kj − a_j)",
            "a_k(δ_kj − a_j)",
            elementwise=False,
            note="Each softmax output depends on every net input of its layer, so ∂E/∂n_j sums over them.",
            cross_entropy="categorical",
        ),
    )
}
