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
    keys: ClassVar[tuple[str, ...]] = (
        *PAGE_COMMON,
        *NETWORK_KEYS,
        "epochs",
        "ecrit",
        "surface_from",
        "surface_to",
        "rates",
        "momenta",
    )
    network: NetworkRef
    epochs: int | None = None  # per run; None: the network file's training.epochs
    ecrit: float | None = None  # stop a run below this summed loss; None: the network file's
    surface_span: tuple[float, float] | None = None  # the decision surface's square; None: [−0.5, 1.5]²
    rates: tuple[float, ...] = ()  # learning rates ε the learner can switch between (`e`); (): the page's only
    momenta: tuple[float, ...] = ()  # momenta α the learner can switch between (`a`); (): the page's only

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> TrainPage:
        return cls(
            **common,
            network=reader.network(table, notation),
            epochs=table.whole("epochs", low=1),
            ecrit=table.number("ecrit", low=0),
            surface_span=surface_span(table),
            rates=choices(table, "rates", "learning rates", low=0.0, high=MAX_RATE),
            momenta=choices(table, "momenta", "momenta", low=0.0, high=1.0, take_low=True),
        )

    def check(self, networks: Any) -> list[Problem]:
        return [] if self.network is None else networks.load(self.network)[1]


MAX_RATE = 100.0  # a learning rate above this overflows any of these networks at once


def choices(table: Any, key: str, what: str, low: float, high: float, take_low: bool = False) -> tuple[float, ...]:
    """A list of two or more different values from low to high (low itself only if `take_low`; high never),
    for the learner to switch between; () when absent or wrong (reported at the key's line)."""
    if key not in table.raw:
        return ()
    value = table.raw[key]
    numbers = isinstance(value, list) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    if not numbers or len(set(value)) < 2 or len(set(value)) < len(value):
        table.problem(f"{table.name(key)} should be a list of two or more different {what}, got {value!r}", key)
        return ()
    bad = [v for v in value if not (low <= v < high if take_low else low < v < high)]
    if bad:
        side = "from" if take_low else "above"
        table.problem(f"{table.name(key)}: each should be {side} {low:g} and below {high:g}, got {bad[0]!r}", key)
        return ()
    return tuple(float(v) for v in value)


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
