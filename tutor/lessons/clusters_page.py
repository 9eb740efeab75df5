"""The `clusters` page kind: an Elman network's words clustered by their mean hidden state, drawn
as a dendrogram (Elman 1990). The page names a recurrent network with a [stream]:

    kind = "clusters"
    network = "sentences.toml"

Its model, keys and checks live here, so the kind can move into a page registry as one piece; the
parser, the checks and the lesson screen call in with one line each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tutor.lessons.model import NetworkRef, Page

KEYS: tuple[str, ...] = ()


@dataclass(kw_only=True)
class ClustersPage(Page):
    """The dendrogram of a network's words; `r` retrains it from fresh weights."""

    kind: ClassVar[str] = "clusters"
    network: NetworkRef


def parse(reader, table, common: dict, notation: str | None) -> ClustersPage | None:
    network = reader.network(table, notation)
    return None if network is None else ClustersPage(**common, network=network)


def check(page: ClustersPage, networks) -> list:
    net, problems = networks.load(page.network)
    if problems:
        return problems
    if net.test_stream is None:
        return [page.origin.problem("a clusters page needs a recurrent network with a [stream]", "network")]
    return []
