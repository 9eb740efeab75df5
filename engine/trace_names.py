"""How the trace reads a pass and names what it writes: the arrays a row at a time (`Rows`: a row is
a pattern or a time step), the naming of patterns and of time steps, and the symbols of units and
weights through a naming. Shared by the one trace builder and the one chain builder.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.netfile import layer_of
from engine.network import Network
from engine.notation import Notation
from engine.numbers import fmt_operand
from engine.trace import weight_symbol

_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclass
class Rows:
    """One pass as the trace reads it: arrays indexed [row, unit], a row a pattern or a time step.

    by_lag[k][d][t] = ∂E_t/∂n_k at row t − d (the error of row t's loss, d steps back);
    dE_da_by_lag likewise for ∂E_t/∂a. A feed-forward pass has lag 0 only.
    """

    net_input: list
    activation: list
    target: np.ndarray
    row_loss: np.ndarray
    slope: list
    by_lag: list
    dE_da_by_lag: list
    gradients: dict[str, np.ndarray]
    loss: float  # the pass's loss: summed over the rows
    context: np.ndarray | None = None  # c(t) of the context layer, unrolled networks
    context_layer: int | None = None  # the layer with context units
    lags: int = 0  # how far back in time each E_t's error reaches
    source_gradients: dict[str, np.ndarray] | None = None  # [t, ...] = ∂E_t/∂w, unrolled networks

    def inputs_of(self, key: str, k: int) -> np.ndarray:
        """What a weight multiplies at each row: the activation below, the context, or 1 (a bias)."""
        if key.endswith("_context"):
            return self.context
        if key.endswith("_bias"):
            return np.ones((len(self.target), 1))
        return self.activation[k - 1]


class PatternNames:
    """Feed-forward naming: n_h1, ∂E/∂n_h1; in a batch, ids get @pN and symbols [pN]."""

    unrolled = False

    def __init__(self, N: Notation, rows: list[int], tag: bool):
        self.N, self.rows, self.tag = N, rows, tag

    def id(self, base: str, r: int) -> str:
        return f"{base}@p{self.rows[r] + 1}" if self.tag else base

    def at(self, symbol: str, r: int) -> str:
        """A unit's symbol at row r."""
        return symbol

    def whole(self, symbol: str, r: int) -> str:
        """A term's whole symbol at row r."""
        return f"{symbol}[p{self.rows[r] + 1}]" if self.tag else symbol

    def error(self, t: int | None = None) -> str:
        return self.N.error

    def d(self, t: int) -> str:
        """The start of the ids of the derivatives of row t's error."""
        return "dE"

    def where(self, r: int) -> dict:
        return {"pattern": self.rows[r] if self.tag else None}

    def source(self, t: int) -> dict:
        return {}

    def path_symbol(self, n: int, count: int, t: int, s: int, w_sym: str) -> str:
        return self.N.d(self.N.error, w_sym) if count == 1 else f"path {n}"

    def chain_note(self, count: int, w_sym: str) -> str:
        if count == 1:
            return f"One path leads from {self.N.error} down to {w_sym}: its product is the gradient."
        return f"{count} paths lead from {self.N.error} down to {w_sym}; their products add up to the gradient."


class StepNames:
    """Unrolled naming: n_h1⁽²⁾, E₂, ∂E₂/∂n_h1⁽¹⁾; ids end in @tN, error ids start with dE<t>."""

    unrolled = True

    def __init__(self, N: Notation, steps: int):
        self.N, self.steps = N, steps
        self.errors = [f"{N.error}{str(t + 1).translate(_SUBSCRIPT)}" for t in range(steps)]  # E₁, E₂, ...

    def id(self, base: str, r: int) -> str:
        return f"{base}@t{r + 1}"

    def at(self, symbol: str, r: int) -> str:
        return self.N.at(symbol, r + 1)

    def whole(self, symbol: str, r: int) -> str:
        return symbol

    def error(self, t: int | None = None) -> str:
        return self.N.error if t is None else self.errors[t]

    def d(self, t: int) -> str:
        return f"dE{t + 1}"

    def where(self, r: int) -> dict:
        return {"step": r + 1}

    def source(self, t: int) -> dict:
        return {"source": t + 1}

    def path_symbol(self, n: int, count: int, t: int, s: int, w_sym: str) -> str:
        many = count > self.steps * self.steps
        return f"{self.error(t)} via {self.at(w_sym, s)}" + (f" (path {n})" if many else "")

    def chain_note(self, count: int, w_sym: str) -> str:
        return (
            "Each error E_t reaches every copy of the weight it can travel back to; the paths that go "
            "further back multiply more factors, and usually shrink."
        )


class Symbols:
    """Symbols and ids of units and weights, through a naming (shared by the term and chain builders)."""

    def __init__(self, net: Network, names: PatternNames | StepNames):
        self.net, self.names, self.N = net, names, names.N
        self.layer_at = {key: [layer.name for layer in net.layers].index(layer_of(key)) for key in net.params}
        self.context_layer = next((k for k, layer in enumerate(net.layers) if layer.context), None)
        self.weights: dict[tuple[str, tuple[int, ...]], str] = {}  # weight symbols written so far

    def label(self, k: int, j: int) -> str:
        return self.net.layers[k].label(j)

    def a(self, k: int, j: int, r: int) -> str:
        return self.names.at(self.N.a(self.label(k, j), is_input=(k == 0)), r)

    def n(self, k: int, j: int, r: int) -> str:
        return self.names.at(self.N.n(self.label(k, j)), r)

    def t(self, j: int, r: int) -> str:
        return self.names.at(self.N.t(self.net.output.label(j)), r)

    def c(self, j: int, r: int) -> str:
        return self.names.at(self.N.c(self.label(self.context_layer, j)), r)

    def w(self, key: str, index: tuple[int, ...]) -> str:
        symbol = self.weights.get((key, index))
        if symbol is None:
            symbol = self.weights[key, index] = weight_symbol(self.net, self.N, key, index)
        return symbol

    def x(self, key: str, index: tuple[int, ...], r: int) -> str:
        """What weight key[index] multiplies at row r: a_i, c_i or 1."""
        if key.endswith("_bias"):
            return "1"
        if key.endswith("_context"):
            return self.c(index[1], r)
        return self.a(self.layer_index(key) - 1, index[1], r)

    def x_id(self, key: str, index: tuple[int, ...], r: int) -> str | None:
        """The id of the term x() names, None if it is no term (a bias's 1, an input)."""
        k = self.layer_index(key)
        if key.endswith("_bias"):
            return None
        if key.endswith("_context"):
            return self.names.id(f"c.{self.net.layers[k].name}.{index[1]}", r)
        return self.names.id(f"a.{self.net.layers[k - 1].name}.{index[1]}", r) if k > 1 else None

    def fused_error(self, rows: Rows, k: int, j: int, t: int) -> dict:
        """∂E/∂n = a − t of output unit j under a fused loss (cross-entropy after softmax or sigmoid): its
        formula, the numbers put in and the engine's value, as the term and the chain factor both write it."""
        return {
            "formula": f"{self.a(k, j, t)} − {self.t(j, t)}",
            "expression": f"{fmt_operand(rows.activation[k][t, j])} − {fmt_operand(rows.target[t, j])}",
            "value": float(rows.by_lag[k][0][t, j]),
        }

    def layer_index(self, key: str) -> int:
        """The layer a parameter key feeds, by number."""
        return self.layer_at[key]

    def units_of(self, key: str, index: tuple[int, ...]) -> tuple[str, ...]:
        """The units a weight connects: (from, to), or (to,) for a bias."""
        k = self.layer_index(key)
        name = self.net.layers[k].name
        if key.endswith("_bias"):
            return (f"{name}.{index[0]}",)
        if key.endswith("_context"):
            return (f"{name}_context.{index[1]}", f"{name}.{index[0]}")
        return (f"{self.net.layers[k - 1].name}.{index[1]}", f"{name}.{index[0]}")
