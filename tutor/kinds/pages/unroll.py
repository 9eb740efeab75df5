"""An unroll page: a recurrent network laid out in time over one sequence (its first MAX_TRACE_STEPS),
stepped through as a trace page is (tutor.screens.lesson.trace.TraceView)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from engine.tomlfile import Problem
from tutor.kinds.pages.trace import check_walk, read_walk
from tutor.lessons.model import NETWORK_KEYS, PAGE_COMMON, NetworkRef, Page


@dataclass(kw_only=True)
class UnrollPage(Page):
    """The same for a recurrent network, laid out in time over one sequence (its first MAX_TRACE_STEPS)."""

    kind: ClassVar[str] = "unroll"
    keys: ClassVar[tuple[str, ...]] = (*PAGE_COMMON, *NETWORK_KEYS, "sequence", "focus", "predict")
    network: NetworkRef
    sequence: int = 0
    focus: str | None = None
    predict: bool | tuple[str, ...] = False

    @property
    def example(self) -> int:
        """The sequence stepped through."""
        return self.sequence

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> UnrollPage:
        walk = read_walk(reader, table, notation)
        return cls(**common, **walk, sequence=table.whole("sequence", low=0) or 0)

    def check(self, networks: Any) -> list[Problem]:
        return check_walk(self, networks)
