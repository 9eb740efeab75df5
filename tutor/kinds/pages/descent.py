"""The `descent` page kind: gradient descent on one weight of a network, down its error curve.

The page names a network and one of its weights, where the weight starts, the learning rates the
learner can try and the range of the weight the curve is drawn over:

    kind = "descent"
    network = "one_weight.toml"
    weight = "output[0][0]"
    start_weight = -0.5
    rates = [0.05, 0.2, 0.4, 0.6]
    span = [-1.5, 2.5]

Its view is tutor.screens.lesson.descent.DescentView.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from engine.tomlfile import Problem
from tutor.lessons.model import NETWORK_KEYS, PAGE_COMMON, NetworkRef, Page


@dataclass(kw_only=True)
class DescentPage(Page):
    """Step one weight down its error curve, w ← w − ε ∂E/∂w, with a choice of ε."""

    kind: ClassVar[str] = "descent"
    keys: ClassVar[tuple[str, ...]] = (*PAGE_COMMON, *NETWORK_KEYS, "weight", "start_weight", "rates", "span")
    network: NetworkRef
    weight: str
    start_weight: float
    rates: tuple[float, ...]
    span: tuple[float, float]

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> DescentPage | None:
        """A descent page from its table (reader: tutor.lessons.parse.LessonReader); None with problems."""
        network = reader.network(table, notation)
        weight = reader.weight_name(table, "weight", required=True)
        start = table.number("start_weight", -1000, 1000)
        if start is None and "start_weight" not in table.raw:
            table.missing("start_weight")
        rates = _numbers(table, "rates", low=0)
        span = _numbers(table, "span", count=2)
        if span is not None and span[0] >= span[1]:
            table.problem(f"{table.name('span')} should go from low to high, got {span[0]:g} to {span[1]:g}", "span")
            span = None
        if None in (network, weight, start, rates, span):
            return None
        return cls(**common, network=network, weight=weight, start_weight=start, rates=rates, span=span)

    def check(self, networks: Any) -> list[Problem]:
        """The problems only the network reveals: it loads, is feed-forward, and has the weight."""
        from engine.descent import OneWeight

        net, problems = networks.load(self.network)
        if problems:
            return problems
        if net.is_recurrent:
            return [self.origin.problem("a descent page needs a feed-forward network", "network")]
        try:
            OneWeight(net, self.weight)
        except (KeyError, IndexError, ValueError):
            return [self.origin.problem(f"the network has no weight {self.weight}", "weight")]
        return []


def _numbers(table, key: str, low: float | None = None, count: int | None = None) -> tuple[float, ...] | None:
    value = table.raw.get(key)
    if value is None:
        table.missing(key)
        return None
    ok = (
        isinstance(value, list) and value and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )
    if ok and count is not None:
        ok = len(value) == count
    if ok and low is not None:
        ok = all(v > low for v in value)
    if not ok:
        size = f"{count} numbers" if count else "a list of numbers" + (f" above {low:g}" if low is not None else "")
        table.problem(f"{table.name(key)} should be {size}, got {value!r}", key)
        return None
    return tuple(float(v) for v in value)
