"""Training loops: epochs of pattern-by-pattern or whole-batch updates, stopping at an error criterion."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine.network import Network


@dataclass
class TrainResult:
    epochs: int  # epochs actually run
    loss_history: list[float] = field(default_factory=list)  # the loss after each epoch, summed over patterns
    stopped_early: bool = False  # True when the loss fell below ecrit
    diverged: bool = False  # True when the loss overflowed (too large a learning rate): training stopped there

    @property
    def final_loss(self) -> float:
        return self.loss_history[-1] if self.loss_history else float("nan")


def train_patterns(
    net: Network,
    epochs: int | None = None,
    ecrit: float | None = None,
    on_epoch: Callable[[int, float], bool | None] | None = None,
) -> TrainResult:
    """Train a feed-forward network in place. After each epoch the loss of all patterns (tss) is
    recorded; training stops when it falls below `ecrit`, or when `on_epoch(epoch, loss)` returns False.
    (Any network: engine.kinds.train.)
    """
    epochs = net.training.epochs if epochs is None else epochs
    ecrit = net.training.ecrit if ecrit is None else ecrit
    result = TrainResult(0)
    x, t = net.inputs, net.targets
    batch = net.training.update == "batch"
    rng = np.random.default_rng(net.training.seed)
    if batch and net.training.rule == "hebb":
        raise ValueError('the Hebb rule is applied pattern by pattern: use update = "pattern"')
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is caught as a diverged loss below
        record = net.forward(x, t)
        for epoch in range(1, epochs + 1):
            if batch:
                net.update(net.backward(record).gradients)
            else:
                order = rng.permutation(len(x)) if net.training.order == "permuted" else range(len(x))
                for p in order:
                    net.step(x[p : p + 1], t[p : p + 1])
            record = net.forward(x, t)
            if end_of_epoch(result, epoch, record.loss, ecrit, on_epoch):
                break
    return result


def end_of_epoch(result: TrainResult, epoch: int, loss: float, ecrit: float | None, on_epoch: Callable | None) -> bool:
    """Record the epoch's loss; True when training should stop (ecrit reached, diverged, or asked to)."""
    result.loss_history.append(loss)
    result.epochs = epoch
    if not math.isfinite(loss):
        result.diverged = True
        return True
    if ecrit is not None and loss < ecrit:
        result.stopped_early = True
        return True
    return on_epoch is not None and on_epoch(epoch, loss) is False
