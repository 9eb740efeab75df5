"""Loss functions E(a, t), each with dE/da, and the cross-entropy shortcut dE/dn = a − t.

Losses are summed over output units and over the patterns given (rows). Each loss also
carries how one unit's share and dE/da are written, with symbols ({t}, {a}) or numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.activations import ACTIVATIONS

_TINY = 1e-300  # keeps log() finite when an output saturates at exactly 0 or 1


@dataclass(frozen=True)
class Loss:
    name: str
    title: str
    scale: str  # written in front of the sum over units: "½", "" or "−"
    unit_symbols: str  # one unit's share, symbols: "({t} − {a})²"
    unit_numbers: str  # the same with numbers put in
    dE_da_symbols: str  # ∂E/∂a_j
    dE_da_numbers: str

    def value(self, a, t, n=None, activation: str = "") -> float:
        raise NotImplementedError

    def dE_da(self, a: np.ndarray, t: np.ndarray, activation: str = "") -> np.ndarray:
        raise NotImplementedError

    def row_values(self, a: np.ndarray, t: np.ndarray, n: np.ndarray | None = None, activation: str = "") -> np.ndarray:
        """The loss of each row (a pattern, or a time step) on its own, as value() gives it for that row."""
        return np.array(
            [
                self.value(a[s : s + 1], t[s : s + 1], None if n is None else n[s : s + 1], activation)
                for s in range(len(a))
            ]
        )

    def fuses_with(self, activation: str) -> bool:
        """True when dE/dn = a − t directly (cross-entropy after softmax or sigmoid)."""
        return False

    def output_delta(self, a, n, t, fn, activation: str, dE_da=None) -> np.ndarray:
        """dE/dn of the output units (δ): a − t where the loss fuses with the activation, else dE/da passed back
        through the activation `fn` (its backprop). `dE_da`, when the caller has it already, is not computed again."""
        if self.fuses_with(activation):
            return a - t
        return fn.backprop(self.dE_da(a, t, activation) if dE_da is None else dE_da, n, a)

    def unit_templates(self, activation: str) -> tuple[str, str]:
        return self.unit_symbols, self.unit_numbers


def _row_squares(a: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Σ_j (t_j − a_j)² of every row at once, each row's by the same dot product d @ d as on the row alone."""
    d = t - a
    return np.matmul(d[:, None, :], d[:, :, None])[:, 0, 0]


class HalfSSE(Loss):
    def value(self, a, t, n=None, activation=""):
        d = np.ravel(t - a)
        return 0.5 * float(d @ d)

    def row_values(self, a, t, n=None, activation=""):
        return 0.5 * _row_squares(a, t)

    def dE_da(self, a, t, activation=""):
        return a - t  # ∂/∂a ½(t − a)² = −(t − a)


class SSE(Loss):
    def value(self, a, t, n=None, activation=""):
        d = np.ravel(t - a)
        return float(d @ d)

    def row_values(self, a, t, n=None, activation=""):
        return _row_squares(a, t)

    def dE_da(self, a, t, activation=""):
        return 2.0 * (a - t)  # ∂/∂a (t − a)² = −2(t − a)


def cross_entropy_pairing(activation: str | None) -> str:
    """The cross-entropy an output activation pairs with ("binary", "categorical"), or "": the activation says."""
    fn = ACTIVATIONS.get(activation or "")
    return fn.cross_entropy if fn else ""


def _binary(activation: str | None) -> bool:
    """Outputs that are each a probability (sigmoid), not one distribution (softmax)."""
    return cross_entropy_pairing(activation) == "binary"


class CrossEntropy(Loss):
    """−Σ t ln a after a distribution (softmax); −Σ [t ln a + (1 − t) ln(1 − a)] after probabilities
    (sigmoid units). Which one an output activation takes is its `cross_entropy`."""

    def value(self, a, t, n=None, activation="softmax"):
        if _binary(activation):
            if n is not None:
                # −[t ln σ(n) + (1 − t) ln(1 − σ(n))] = ln(1 + e^n) − t·n, exact for any n
                return float(np.sum(np.logaddexp(0.0, n) - t * n))
            a = np.clip(a, _TINY, 1 - 1e-16)
            return float(-np.sum(t * np.log(a) + (1 - t) * np.log(1 - a)))
        if n is not None:
            # −Σ t ln softmax(n) = Σ t (logsumexp(n) − n)
            top = np.max(n, axis=-1, keepdims=True)
            lse = top + np.log(np.sum(np.exp(n - top), axis=-1, keepdims=True))
            return float(np.sum(t * (lse - n)))
        return float(-np.sum(t * np.log(np.maximum(a, _TINY))))

    def dE_da(self, a, t, activation="softmax"):
        if _binary(activation):
            # ∂/∂a −[t ln a + (1 − t) ln(1 − a)] = −t/a + (1 − t)/(1 − a)
            return -t / np.maximum(a, _TINY) + (1 - t) / np.maximum(1 - a, _TINY)
        return -t / np.maximum(a, _TINY)

    def fuses_with(self, activation):
        return bool(cross_entropy_pairing(activation))

    def unit_templates(self, activation):
        if _binary(activation):
            return "{t} ln {a} + (1 − {t}) ln(1 − {a})", "{t} × ln {a} + (1 − {t}) × ln(1 − {a})"
        return self.unit_symbols, self.unit_numbers


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        HalfSSE(
            "half_sse",
            "half the sum of squared errors",
            "½",
            "({t} − {a})²",
            "({t} − {a})²",
            "−({t} − {a})",
            "−({t} − {a})",
        ),
        SSE(
            "sse",
            "sum of squared errors",
            "",
            "({t} − {a})²",
            "({t} − {a})²",
            "−2({t} − {a})",
            "−2 × ({t} − {a})",
        ),
        CrossEntropy(
            "cross_entropy",
            "cross-entropy",
            "−",
            "{t} ln {a}",
            "{t} × ln {a}",
            "−{t} / {a}",
            "−{t} / {a}",
        ),
    )
}
