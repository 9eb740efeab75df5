"""The `square` page kind: text beside the input square of a two-input network, with the patterns at its
corners and the line each unit fed by the inputs draws (lesson 1: "draw the four input pairs as the corners
of a square"):

    kind = "square"
    network = "or_and.toml"

Its view is tutor.screens.lesson.square.SquareView; engine/square.py says which squares a network gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from engine.tomlfile import Problem
from tutor.lessons.model import NETWORK_KEYS, PAGE_COMMON, NetworkRef, Page


@dataclass(kw_only=True)
class SquarePage(Page):
    """Text to read beside the input square: its corners marked by their targets, and each unit's line."""

    kind: ClassVar[str] = "square"
    keys: ClassVar[tuple[str, ...]] = (*PAGE_COMMON, *NETWORK_KEYS)
    text_required: ClassVar[bool] = True
    network: NetworkRef

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> SquarePage | None:
        network = reader.network(table, notation)
        return None if network is None else cls(**common, network=network)

    def check(self, networks: Any) -> list[Problem]:
        """The network loads, is feed-forward with two inputs, and its first layer has at most three units."""
        from engine.square import why_not

        net, problems = networks.load(self.network)
        if problems:
            return problems
        why = why_not(net)
        return [] if why is None else [self.origin.problem(f"a square page cannot draw this network: {why}", "network")]
