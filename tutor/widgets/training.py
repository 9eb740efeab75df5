"""Pictures of a network learning: the loss curve, and the error at each position of a test stream.

Both are drawn with Rich text from plain lists of numbers, so the train view can hand them what a
worker thread measured without sharing the network.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from engine.numbers import fmt
from engine.tasks import PREDICTABLE
from tutor.widgets import colors

EIGHTHS = " ▁▂▃▄▅▆▇█"
SMALL_FALL = 2 / 3  # a curve whose lowest tss is above this share of its highest gets an axis from near its lowest


def axis_floor(values: Sequence[float]) -> float:
    """Where the loss axis starts: 0, or when the values fall by less than a third of their top (SMALL_FALL), a round
    number a little below the lowest, so that a small fall (a plateau, a run that is stuck) can be seen."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return 0.0
    low, top = min(finite), max(finite)
    if top <= 0 or low < top * SMALL_FALL:
        return 0.0
    span = (top - low) or top * 0.1
    unit = 10 ** (math.floor(math.log10(span)) - 1)  # two significant digits of the span
    return max(0.0, math.floor((low - span * 0.1) / unit) * unit)


def bins(values: Sequence[float], count: int) -> list[float]:
    """`values` squeezed into at most `count` columns, each the mean of the values it covers."""
    n = len(values)
    if n <= count:
        return list(values)
    out = []
    for c in range(count):
        lo, hi = c * n // count, (c + 1) * n // count
        chunk = values[lo:hi]
        out.append(sum(chunk) / len(chunk))
    return out


def bar_rows(heights: Sequence[float], top: float, rows: int) -> list[str]:
    """Vertical bars in eighths of a cell, `rows` high; a height of `top` fills a column."""
    lines = []
    for r in range(rows - 1, -1, -1):  # top row first
        line = []
        for h in heights:
            eighths = 0 if top <= 0 else round(min(max(h, 0.0) / top, 1.0) * rows * 8)
            line.append(EIGHTHS[max(0, min(8, eighths - r * 8))])
        lines.append("".join(line))
    return lines


class LossCurve(Widget):
    """tss after each epoch as bars, squeezed to the width; a dotted line at ecrit."""

    losses: reactive[tuple[float, ...]] = reactive((), layout=False)
    ecrit: reactive[float | None] = reactive(None)

    AXIS = 9  # columns for the y-axis labels and the axis line

    def render(self) -> Text:
        width, height = self.size
        plot_w, plot_h = max(1, width - self.AXIS), max(1, height - 1)
        losses = self.losses
        text = Text()
        if not losses:
            text.append("tss after each epoch appears here as the network trains.", style="dim italic")
            return text
        top, floor = max(losses), axis_floor(losses)
        columns = [value - floor for value in bins(losses, plot_w)]
        lines = bar_rows(columns, top - floor, plot_h)
        ecrit_row = None
        if self.ecrit is not None and floor < self.ecrit < top:
            ecrit_row = plot_h - 1 - min(plot_h - 1, int((self.ecrit - floor) / (top - floor) * plot_h))
        for r, line in enumerate(lines):
            label = fmt(top, 3) if r == 0 else (fmt(floor) if r == plot_h - 1 else "")
            if r == ecrit_row and r not in (0, plot_h - 1):
                label = fmt(self.ecrit, 2)
            text.append(f"{label[: self.AXIS - 2]:>{self.AXIS - 2}} ┤", style="dim")
            if r == ecrit_row:
                line = "".join(ch if ch != " " else "┄" for ch in line)
            text.append(line, style="bold cyan")
            text.append("\n")
        axis = f"epoch 1 … {len(losses)}"
        if floor:  # say where the axis starts, in as many words as fit
            notes = (f"   tss axis from {fmt(floor)}, not 0", f" · axis from {fmt(floor)}")
            axis += next((note for note in notes if len(axis) + len(note) <= plot_w), "")
        text.append(" " * (self.AXIS - 1) + "└" + axis[: max(0, plot_w)], style="dim")
        return text


class ErrorStrip(Widget):
    """The error at each of the first positions of a test stream, a bar over each input label, and a
    tick under each position whose next item can be predicted (engine.tasks.PREDICTABLE)."""

    errors: reactive[tuple[float, ...]] = reactive(())
    labels: reactive[tuple[str, ...]] = reactive(())
    kinds: reactive[tuple[str, ...]] = reactive(())

    def render(self) -> Text:
        width, height = self.size
        text = Text()
        if not self.errors:
            text.append("The error at each position of the test stream appears here.", style="dim italic")
            return text
        step = 2 if max((len(label) for label in self.labels), default=1) <= 1 else 3
        count = min(len(self.errors), max(1, (width - 1) // step))
        errors, labels = self.errors[:count], self.labels[:count]
        reasons = [PREDICTABLE.get(kind, "") for kind in self.kinds[:count]]
        ticked = any(reasons)
        top = max(errors) or 1.0
        rows = max(1, height - 2 - ticked)
        lines = bar_rows(errors, top, rows)
        for line in lines:
            for x, (ch, error) in enumerate(zip(line, errors, strict=True)):
                style = colors.line_style(colors.level(error, top))
                text.append(ch * (step - 1), style=style)
                text.append(" " if x < count - 1 else "")
            text.append("\n")
        if ticked:
            text.append("".join((TICK if reason else " ").ljust(step) for reason in reasons), style="bold")
            text.append("\n")
        text.append("".join(label[: step - 1].ljust(step) for label in labels), style="bold")
        text.append("\n" + strip_key(sorted(set(filter(None, reasons))), width), "dim")
        return text


TICK = "▴"


def strip_key(reasons: list[str], width: int) -> str:
    """The strip's one-line key: what the bars say, and what the ticks mark, as much as `width` allows."""
    bars = ("error at each position of the test stream (taller, redder: larger)", "error (taller, redder: larger)")
    if not reasons:
        return bars[0]
    ticks = (f"{TICK} {'; '.join(reasons)}", f"{TICK} next one predictable")
    for line in (f"{bars[0]}   {ticks[0]}", f"{bars[1]}   {ticks[0]}", f"{bars[1]}   {ticks[1]}"):
        if len(line) <= width:
            return line
    return f"{bars[1]}   {ticks[1]}"
