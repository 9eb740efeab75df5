"""Timing shared by the benchmarks: best of interleaved repeats, so both sides see the same machine load."""

from __future__ import annotations

import time


def best_of(repeats: int, *funcs) -> list[float]:
    """Run each function `repeats` times, interleaved; return each one's best time in seconds."""
    best = [float("inf")] * len(funcs)
    for _ in range(repeats):
        for i, func in enumerate(funcs):
            start = time.perf_counter()
            func()
            best[i] = min(best[i], time.perf_counter() - start)
    return best
