"""Messages the app's parts send each other, as small dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from engine.kinds import Analysis


@dataclass
class PageDone(Message):
    """The learner has done what the page asks: read it, stepped to the end, trained, answered."""


@dataclass
class StepReached(Message):
    """A trace or unroll page moved to `step` (on pattern or sequence `pattern`), to be saved."""

    step: int
    pattern: int


@dataclass
class TrainProgress(Message):
    """Epochs trained since the last report (their summed losses), and what the network computes now."""

    run: int  # which run of the page's network (a reset or a new seed starts another)
    losses: list[float]
    analysis: Analysis | None = None


@dataclass
class TrainStopped(Message):
    """A training run ended: it reached ecrit, ran its epochs, or was paused."""

    run: int
    losses: list[float]  # the epochs not yet reported
    reached_ecrit: bool
    analysis: Analysis | None = None
    diverged: bool = False  # the loss overflowed: the weights are no longer numbers to train on
