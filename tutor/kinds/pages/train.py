"""A train page: watch a network learn, epoch by epoch (tutor.screens.lesson.train.TrainView)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from engine.tomlfile import Problem
from tutor.lessons.model import NETWORK_KEYS, PAGE_COMMON, NetworkRef, Page


@dataclass(kw_only=True)
class TrainPage(Page):
    """Watch a network learn: train it epoch by epoch, with its loss curve and what its units compute."""

    kind: ClassVar[str] = "train"
    keys: ClassVar[tuple[str, ...]] = (*PAGE_COMMON, *NETWORK_KEYS, "epochs", "ecrit", "surface_from", "surface_to")
    network: NetworkRef
    epochs: int | None = None  # per run; None: the network file's training.epochs
    ecrit: float | None = None  # stop a run below this summed loss; None: the network file's
    surface_span: tuple[float, float] | None = None  # the decision surface's square; None: [−0.5, 1.5]²

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> TrainPage:
        return cls(
            **common,
            network=reader.network(table, notation),
            epochs=table.whole("epochs", low=1),
            ecrit=table.number("ecrit", low=0),
            surface_span=surface_span(table),
        )

    def check(self, networks: Any) -> list[Problem]:
        return [] if self.network is None else networks.load(self.network)[1]


def surface_span(table: Any) -> tuple[float, float] | None:
    """A train page's square for its decision surface (surface_from, surface_to), or None for the default."""
    low, high = table.number("surface_from", -100, 100), table.number("surface_to", -100, 100)
    if low is None and high is None:
        return None
    if low is None or high is None:
        table.problem("give both surface_from and surface_to (the range of both inputs), or neither")
        return None
    if low >= high:
        table.problem(f"surface_from ({low:g}) should be below surface_to ({high:g})", "surface_to")
        return None
    return low, high
