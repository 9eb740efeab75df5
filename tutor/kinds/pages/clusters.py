"""The `clusters` page kind: an Elman network's words clustered by their mean hidden state, drawn
as a dendrogram (Elman 1990). The page names a recurrent network with a [stream]:

    kind = "clusters"
    network = "sentences.toml"

Its view is tutor.screens.lesson.clusters.ClustersView.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from engine.tomlfile import Problem
from tutor.lessons.model import NETWORK_KEYS, PAGE_COMMON, NetworkRef, Page


@dataclass(kw_only=True)
class ClustersPage(Page):
    """The dendrogram of a network's words; `r` retrains it from fresh weights."""

    kind: ClassVar[str] = "clusters"
    keys: ClassVar[tuple[str, ...]] = (*PAGE_COMMON, *NETWORK_KEYS)
    network: NetworkRef

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> ClustersPage | None:
        network = reader.network(table, notation)
        return None if network is None else cls(**common, network=network)

    def check(self, networks: Any) -> list[Problem]:
        net, problems = networks.load(self.network)
        if problems:
            return problems
        if net.test_stream is None:
            return [self.origin.problem("a clusters page needs a recurrent network with a [stream]", "network")]
        return []
