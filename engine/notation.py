"""Symbols by role (net input, activation, target, error, learning rate...), read from notation.toml.

PDP style is the default; other lectures' symbols are entries of the same table.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEFAULT = "pdp"
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


@dataclass(frozen=True)
class Notation:
    key: str
    title: str
    net_input: str
    activation: str
    input_activation: str
    context: str
    target: str
    weight: str
    bias: str
    error: str
    learning_rate: str
    momentum: str
    sigmoid: str

    def n(self, u: str) -> str:
        return self.net_input.format(u=u)

    def a(self, u: str, is_input: bool = False) -> str:
        return (self.input_activation if is_input else self.activation).format(u=u)

    def c(self, u: str) -> str:
        return self.context.format(u=u)

    def t(self, u: str) -> str:
        return self.target.format(u=u)

    def w(self, source: str, dest: str) -> str:
        return self.weight.format(**{"from": source, "to": dest})

    def b(self, u: str) -> str:
        return self.bias.format(u=u, to=u)

    @staticmethod
    def d(top: str, bottom: str) -> str:
        """A partial derivative written on one line: ∂E/∂a_h1."""
        return f"∂{top}/∂{bottom}"

    @staticmethod
    def at(symbol: str, step: int | None) -> str:
        """A symbol at time step t (recurrent networks): n_h1⁽²⁾."""
        return symbol if step is None else f"{symbol}⁽{str(step).translate(_SUPERSCRIPT)}⁾"


@cache
def notations() -> dict[str, Notation]:
    raw = tomllib.loads((Path(__file__).with_name("notation.toml")).read_text(encoding="utf-8"))
    return {key: Notation(key=key, **fields) for key, fields in raw.items()}


def get_notation(key: str | None = None) -> Notation:
    table = notations()
    key = key or DEFAULT
    if key not in table:
        raise KeyError(f"unknown notation '{key}' (expected one of: {', '.join(table)})")
    return table[key]
