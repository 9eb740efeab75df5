"""A trace page: step a feed-forward network through forward, backward and update on one pattern
(tutor.screens.lesson.trace.TraceView). An unroll page (unroll.py) shares its reading and checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from engine.tomlfile import Problem
from tutor.lessons.model import NETWORK_KEYS, PAGE_COMMON, NetworkRef, Page


@dataclass(kw_only=True)
class TracePage(Page):
    """Step a feed-forward network through forward, backward and update on one pattern."""

    kind: ClassVar[str] = "trace"
    keys: ClassVar[tuple[str, ...]] = (*PAGE_COMMON, *NETWORK_KEYS, "pattern", "focus", "predict")
    network: NetworkRef
    pattern: int = 0
    focus: str | None = None  # a weight, "hidden[0][1]" or "output_bias[0]": expand its chain of factors
    predict: bool | tuple[str, ...] = False  # ask before revealing: every term (True) or terms of these kinds

    @property
    def example(self) -> int:
        """The pattern stepped through."""
        return self.pattern

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> TracePage:
        walk = read_walk(reader, table, notation)
        return cls(**common, **walk, pattern=table.whole("pattern", low=0) or 0)

    def check(self, networks: Any) -> list[Problem]:
        return check_walk(self, networks)


def read_walk(reader: Any, table: Any, notation: str | None) -> dict[str, Any]:
    """What a page that steps through a network names: the network, a focus weight, what to predict."""
    network = reader.network(table, notation)
    focus = reader.weight_name(table, "focus")
    return {"network": network, "focus": focus, "predict": reader.predict(table)}


_WRONG_PAGE = {
    "unroll": "has context units: step through it on an unroll page",
    "trace": "has no context units: use a trace page for it",
}


def check_walk(page: Any, networks: Any) -> list[Problem]:
    """A trace or unroll page: its network is of the kind the page steps through, its pattern (sequence)
    exists, and its focus weight has a chain of factors."""
    from engine.kinds import kind_of
    from tutor.lessons.networks import _index_problems, _weight_problems
    from tutor.lessons.wording import show

    if page.network is None:
        return []
    net, problems = networks.load(page.network)
    if net is None:
        return problems
    name = show(page.network.name)
    wanted = kind_of(net).page
    if page.kind != wanted:
        return [page.origin.problem(f"network {name} {_WRONG_PAGE[wanted]}", "kind")]
    problems = _index_problems(net, page.example, page.origin, page.network.name)
    if page.focus and not problems:
        problems += _weight_problems(net, page.focus, page.example, page.network, "focus")
    return problems
