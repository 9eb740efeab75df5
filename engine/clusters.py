"""What an Elman network's hidden units group together (Elman 1990): the hidden state averaged over
every step where a word was the input, and those averages clustered hierarchically.

Clustering is agglomerative with average linkage on Euclidean distance: start with every word its
own cluster; repeatedly merge the two clusters whose members are closest on average. NumPy only:
seventeen words need no more than a few hundred distance look-ups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.network import Network


@dataclass(frozen=True)
class Merge:
    """Two clusters joined at `height` (their mean distance). Clusters are numbered as in SciPy's
    linkage: 0 .. n−1 the leaves, n + k the cluster merge k made."""

    left: int
    right: int
    height: float
    members: tuple[int, ...]  # the leaves under it


@dataclass(frozen=True)
class Tree:
    labels: list[str]
    merges: list[Merge]

    def leaves(self, cluster: int) -> tuple[int, ...]:
        return (cluster,) if cluster < len(self.labels) else self.merges[cluster - len(self.labels)].members

    def words(self, cluster: int) -> set[str]:
        return {self.labels[i] for i in self.leaves(cluster)}

    def top_split(self, cluster: int | None = None) -> tuple[set[str], set[str]]:
        """The two groups of words the last merge (or the merge that made `cluster`) joined."""
        merge = self.merges[-1] if cluster is None else self.merges[cluster - len(self.labels)]
        return self.words(merge.left), self.words(merge.right)

    def order(self) -> list[int]:
        """The leaves from top to bottom as a dendrogram draws them (each merge: left, then right)."""

        def walk(cluster: int) -> list[int]:
            if cluster < len(self.labels):
                return [cluster]
            merge = self.merges[cluster - len(self.labels)]
            return walk(merge.left) + walk(merge.right)

        return walk(len(self.labels) + len(self.merges) - 1) if self.merges else list(range(len(self.labels)))


def mean_hidden_by_input(net: Network, inputs: np.ndarray, labels: list[str]) -> tuple[list[str], np.ndarray]:
    """The hidden layer's activation averaged over the steps with each input label, labels in first-seen order."""
    from engine import recurrent

    k = recurrent.context_layer(net)
    hidden = recurrent.forward_sequence(net, inputs).activation[k]
    words = list(dict.fromkeys(labels))
    where = np.array(labels)
    return words, np.stack([hidden[where == word].mean(axis=0) for word in words])


def cluster(labels: list[str], points: np.ndarray) -> Tree:
    """Average-linkage agglomerative clustering of `points` (a row each) on Euclidean distance."""
    n = len(points)
    distance = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    active = {i: (i,) for i in range(n)}
    merges: list[Merge] = []
    while len(active) > 1:
        ids = sorted(active)
        best = None
        for a_pos, a in enumerate(ids):
            for b in ids[a_pos + 1 :]:
                d = float(distance[np.ix_(active[a], active[b])].mean())
                if best is None or d < best[0] - 1e-12:
                    best = (d, a, b)
        d, a, b = best
        members = active.pop(a) + active.pop(b)
        merges.append(Merge(a, b, d, members))
        active[n + len(merges) - 1] = members
    return Tree(list(labels), merges)


def hidden_tree(net: Network) -> Tree:
    """The tree of the network's test-stream words by their mean hidden state."""
    stream = net.test_stream
    words, means = mean_hidden_by_input(net, stream.inputs, list(stream.labels))
    return cluster(words, means)
