"""What a page kind drawn from one network shares (square, clusters): its `network` key read, and a check
that loads the network and asks the kind whether it can show it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from engine.tomlfile import Problem
from tutor.lessons.model import NETWORK_KEYS, PAGE_COMMON, NetworkRef, Page


@dataclass(kw_only=True)
class OneNetworkPage(Page):
    """A page of text and one drawing of the network its `network` key names."""

    keys: ClassVar[tuple[str, ...]] = (*PAGE_COMMON, *NETWORK_KEYS)
    network: NetworkRef

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> OneNetworkPage | None:
        network = reader.network(table, notation)
        return None if network is None else cls(**common, network=network)

    def check(self, networks: Any) -> list[Problem]:
        """The network loads, and this kind can show it (`cannot_show`)."""
        net, problems = networks.load(self.network)
        if problems:
            return problems
        why = self.cannot_show(net)
        return [] if why is None else [self.origin.problem(why, "network")]

    def cannot_show(self, net: Any) -> str | None:
        """Why this kind of page cannot show `net` (None: it can)."""
        return None
