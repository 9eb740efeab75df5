"""The `clusters` page kind: an Elman network's words clustered by their mean hidden state, drawn
as a dendrogram (Elman 1990). The page names a recurrent network with a [stream]:

    kind = "clusters"
    network = "sentences.toml"

Its view is tutor.screens.lesson.clusters.ClustersView.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from tutor.kinds.pages.one_network import OneNetworkPage


@dataclass(kw_only=True)
class ClustersPage(OneNetworkPage):
    """The dendrogram of a network's words; `r` retrains it from fresh weights."""

    kind: ClassVar[str] = "clusters"

    def cannot_show(self, net: Any) -> str | None:
        if net.test_stream is None:
            return "a clusters page needs a recurrent network with a [stream]"
        return None
