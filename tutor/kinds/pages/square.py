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

from tutor.kinds.pages.one_network import OneNetworkPage


@dataclass(kw_only=True)
class SquarePage(OneNetworkPage):
    """Text to read beside the input square: its corners marked by their targets, and each unit's line."""

    kind: ClassVar[str] = "square"
    text_required: ClassVar[bool] = True

    def cannot_show(self, net: Any) -> str | None:
        """A feed-forward network with two inputs, its first layer at most three units."""
        from engine.square import why_not

        why = why_not(net)
        return None if why is None else f"a square page cannot draw this network: {why}"
