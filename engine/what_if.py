"""What if a weight had another value: the network with weights changed, and which weights differ.

A trace page's what-if (issue 14) recomputes its whole pass from a copy of the lesson's network with
some weights set by the learner; the trace itself is built as for any network, so every term, the
diagram and the chain follow from the engine's own arrays.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from engine.network import Network
from engine.notation import Notation
from engine.trace import Weight, weight_symbol


def weights_of(net: Network) -> Iterator[Weight]:
    """Every weight and bias of the network, in the order the table of values lists them."""
    for key, array in net.params.items():
        for index in np.ndindex(array.shape):
            yield Weight(key, tuple(int(i) for i in index))


def weight_named(net: Network, notation: Notation, name: str) -> Weight | None:
    """The weight a name means: its connection id ('hidden[0][1]', 'output_bias[0]') or the symbol the
    table of values gives it (w1, w_i1,h1, b_o1); None if it names none."""
    name = "".join(name.split())
    for weight in weights_of(net):
        if name in (weight.connection, "".join(weight_symbol(net, notation, *weight).split())):
            return weight
    return None


def with_weights(net: Network, values: Mapping[Weight, float]) -> Network:
    """A copy of the network with the given weights set (the network itself is left as it is)."""
    twin = net.copy()
    for weight, value in values.items():
        twin.params[weight.key][weight.index] = value
    return twin


@dataclass(frozen=True)
class Change:
    """One weight whose value differs from the reference network's."""

    weight: Weight
    before: float
    after: float


def changes(reference: Network, net: Network) -> list[Change]:
    """The weights of `net` that differ from those of `reference` (same shapes), in table order."""
    found = []
    for key, array in net.params.items():
        for index in zip(*np.nonzero(array != reference.params[key]), strict=True):
            index = tuple(int(i) for i in index)
            found.append(Change(Weight(key, index), float(reference.params[key][index]), float(array[index])))
    return found
