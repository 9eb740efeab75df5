"""An unroll page: a recurrent network laid out in time over one sequence (its first steps: Elman.page_steps),
stepped through as a trace page is (trace.py; tutor.screens.lesson.trace.TraceView)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tutor.kinds.pages.trace import SteppedPage
from tutor.lessons.model import NETWORK_KEYS, PAGE_COMMON


@dataclass(kw_only=True)
class UnrollPage(SteppedPage):
    """The same for a recurrent network, laid out in time over one sequence (its first steps: Elman.page_steps)."""

    kind: ClassVar[str] = "unroll"
    keys: ClassVar[tuple[str, ...]] = (*PAGE_COMMON, *NETWORK_KEYS, "sequence", "focus", "predict", "goal", "fade")
    example_key: ClassVar[str] = "sequence"
    unrolled: ClassVar[bool] = True
    sequence: int = 0
