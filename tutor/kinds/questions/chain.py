"""A chain question: pick, in order, the factors whose product is ∂E/∂w for one weight, among plausible
wrong ones (tutor.quiz.generate builds the item from the trace's chain)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from engine.tomlfile import Problem
from tutor.lessons.model import NETWORK_KEYS, QUESTION_COMMON, NetworkRef, Question


@dataclass(kw_only=True)
class ChainQuestion(Question):
    """Pick, in order, the factors whose product is ∂E/∂w for `weight`."""

    kind: ClassVar[str] = "chain"
    keys: ClassVar[tuple[str, ...]] = (*QUESTION_COMMON, *NETWORK_KEYS, "weight", "pattern", "sequence")
    title: ClassVar[str] = "Chain rule"
    answered_with: ClassVar[str] = "factors"
    network: NetworkRef
    weight: str
    pattern: int = 0

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> ChainQuestion:
        network = reader.network(table, notation)
        pattern = reader.pattern(table)
        weight = reader.weight_name(table, "weight", required=True) or ""
        return cls(**common, network=network, weight=weight, pattern=pattern)

    def check(self, networks: Any) -> list[Problem]:
        """The pattern exists and the weight's gradient has a chain of factors."""
        from tutor.lessons.networks import _index_problems, _weight_problems

        if self.network is None or not self.weight:
            return []
        net, problems = networks.load(self.network)
        if net is None:
            return problems
        problems = _index_problems(net, self.pattern, self.origin, self.network.name)
        if problems:
            return problems
        return _weight_problems(net, self.weight, self.pattern, self.network, "weight")

    def item(self, base: dict[str, Any], seed: int | None, shuffle: bool) -> Any:
        from tutor.quiz.generate import chain_item

        return chain_item(self, seed or 0, base)

    def judge(self, item: Any, given: Any) -> Any:
        from tutor.quiz.check import check_chain

        return check_chain(list(given), list(item.answer))
