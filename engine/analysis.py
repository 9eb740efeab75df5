"""Reading a trained network: which boolean function does each unit compute on binary inputs?"""

from __future__ import annotations

import numpy as np

from engine.network import Network

# The 16 functions of two binary inputs, keyed by their outputs on (0,0), (0,1), (1,0), (1,1).
TWO_INPUT_FUNCTIONS = {
    (0, 0, 0, 0): "FALSE",
    (0, 0, 0, 1): "AND",
    (0, 0, 1, 0): "x1 AND NOT x2",
    (0, 0, 1, 1): "x1",
    (0, 1, 0, 0): "x2 AND NOT x1",
    (0, 1, 0, 1): "x2",
    (0, 1, 1, 0): "XOR",
    (0, 1, 1, 1): "OR",
    (1, 0, 0, 0): "NOR",
    (1, 0, 0, 1): "XNOR",
    (1, 0, 1, 0): "NOT x2",
    (1, 0, 1, 1): "x1 OR NOT x2",
    (1, 1, 0, 0): "NOT x1",
    (1, 1, 0, 1): "x2 OR NOT x1",
    (1, 1, 1, 0): "NAND",
    (1, 1, 1, 1): "TRUE",
}
OR_LIKE = {"OR", "NOR"}
AND_LIKE = {"AND", "NAND"}


def unit_functions(net: Network, layer: str, threshold: float = 0.5) -> list[str]:
    """Name the function each unit of `layer` computes over the four binary patterns of a 2-input net.

    A unit's output on each pattern is read as 1 above `threshold`, else 0.
    """
    if net.layers[0].size != 2:
        raise ValueError("unit_functions reads networks with two binary inputs")
    grid = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    index = [x.name for x in net.layers].index(layer)
    activations = net.forward(grid).activation[index]
    return [
        TWO_INPUT_FUNCTIONS[tuple(int(v > threshold) for v in activations[:, u])] for u in range(activations.shape[1])
    ]


def feature_kind(name: str) -> str:
    """'AND-like' for a conjunction of two literals (one true row), 'OR-like' for a disjunction (three), else 'other'.

    NOR = NOT x1 AND NOT x2 counts as AND-like here; `computes_or_and` uses the narrower textbook reading.
    """
    truth = next(rows for rows, label in TWO_INPUT_FUNCTIONS.items() if label == name)
    return {1: "AND-like", 3: "OR-like"}.get(sum(truth), "other")


def computes_or_and(net: Network, layer: str = "hidden") -> bool:
    """True when one unit is OR-like (OR or NOR) and another AND-like (AND or NAND): the classic XOR solution."""
    names = set(unit_functions(net, layer))
    return bool(names & OR_LIKE) and bool(names & AND_LIKE)
