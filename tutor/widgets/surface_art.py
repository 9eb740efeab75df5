"""Drawing a surface (engine/surface.py) as Rich text: two pixels a character cell, with half blocks.

Each cell is "▀" with the upper pixel's colour as foreground and the lower one's as background, in
the diagram's diverging palette (blue below the middle of the unit's range, grey at it, red above).
Without colour (NO_COLOR, or a plain console), each cell is a shade from blank to full instead.
The command line (`bptutor surface`) and the train page's panel both draw with this module.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text

from engine.numbers import fmt
from tutor.widgets import colors

SHADES = " ·░▒▓█"  # without colour: from the bottom of the unit's range to its top
MARK = Style(bold=True, color="bright_white")
MARK_MONO = Style(bold=True, reverse=True)


def levels(values: np.ndarray, span: tuple[float, float] | None) -> np.ndarray:
    """Signed colour levels (−LEVELS..LEVELS) of a grid: 0 at the middle of `span` (None: at 0, scaled to the
    largest magnitude shown, for units without bounds such as ReLU)."""
    if span is None:
        centre, half = 0.0, float(np.nanmax(np.abs(values))) if values.size else 0.0
    else:
        centre, half = (span[0] + span[1]) / 2, (span[1] - span[0]) / 2
    if not half > 0:
        return np.zeros(values.shape, int)
    fraction = np.clip(np.nan_to_num((values - centre) / half), -1.0, 1.0)
    return np.rint(fraction * colors.LEVELS).astype(int)


@cache
def _pixel_pair(top: int, bottom: int) -> Style:
    return Style(color=Color.from_rgb(*colors.cell_rgb(top)), bgcolor=Color.from_rgb(*colors.cell_rgb(bottom)))


@cache
def _mark_style(step: int) -> Style:
    return MARK + Style(bgcolor=Color.from_rgb(*colors.cell_rgb(step)))


def _shade(top: int, bottom: int) -> str:
    mean = (top + bottom) / 2
    return SHADES[round((mean + colors.LEVELS) / (2 * colors.LEVELS) * (len(SHADES) - 1))]


def pattern_marks(x: np.ndarray, y: np.ndarray, inputs: np.ndarray, targets: np.ndarray) -> dict[tuple[int, int], str]:
    """Where each training pattern falls, as (cell row from the top, column), with its target as one
    character (a digit for a whole-number target, else •). Patterns outside the square are left out."""
    marks: dict[tuple[int, int], str] = {}
    height = len(y)
    step_x = (x[-1] - x[0]) / max(1, len(x) - 1)
    step_y = (y[-1] - y[0]) / max(1, height - 1)
    for point, target in zip(inputs, targets, strict=True):
        px, py = float(point[0]), float(point[1])
        if not (x[0] - step_x / 2 <= px <= x[-1] + step_x / 2 and y[0] - step_y / 2 <= py <= y[-1] + step_y / 2):
            continue
        j, i = int(np.argmin(np.abs(x - px))), int(np.argmin(np.abs(y - py)))
        t = float(target[0])
        label = str(int(t)) if t.is_integer() and 0 <= t <= 9 else "•"
        marks[((height - 1 - i) // 2, j)] = label
    return marks


def cell_rows(
    values: np.ndarray,
    span: tuple[float, float] | None,
    marks: dict[tuple[int, int], str] | None = None,
    color: bool = True,
) -> list[Text]:
    """The grid (rows bottom to top, as engine.surface gives it) as lines of text, top line first."""
    steps = levels(values, span)[::-1]  # top row first
    height, width = steps.shape
    if height % 2:
        steps = np.vstack([steps, steps[-1:]])  # an odd pixel row: the last cell row repeats it
    marks = marks or {}
    lines = []
    for r in range(len(steps) // 2):
        top, bottom = steps[2 * r].tolist(), steps[2 * r + 1].tolist()
        line = Text(no_wrap=True, overflow="crop")
        run, run_style = [], None
        for c in range(width):
            mark = marks.get((r, c))
            if mark is not None:
                style, char = (_mark_style(top[c]) if color else MARK_MONO), mark
            elif color:
                style, char = _pixel_pair(top[c], bottom[c]), "▀"
            else:
                style, char = None, _shade(top[c], bottom[c])
            if style != run_style and run:
                line.append("".join(run), run_style)
                run = []
            run_style = style
            run.append(char)
        if run:
            line.append("".join(run), run_style)
        lines.append(line)
    return lines


def framed(lines: list[Text], x: np.ndarray, y: np.ndarray) -> Text:
    """The drawing with the second input's range on the left and the first input's below."""
    top, bottom = fmt(y[-1], 2), fmt(y[0], 2)
    axis = max(len(top), len(bottom)) + 1
    text = Text(no_wrap=True, overflow="crop")
    for r, line in enumerate(lines):
        label = top if r == 0 else (bottom if r == len(lines) - 1 else "")
        text.append(f"{label:>{axis - 1}} ", style="dim")
        text.append_text(line)
        text.append("\n")
    width = len(x)
    lo, hi = fmt(x[0], 2), fmt(x[-1], 2)
    text.append(" " * axis + lo + hi.rjust(max(1, width - len(lo))), style="dim")
    return text


def legend(span: tuple[float, float] | None, color: bool = True) -> Text:
    """What the colours (or shades) mean for a unit with this range."""
    if span is None:
        ends = ("−max", "0", "+max")
    else:
        ends = (fmt(span[0], 2), fmt((span[0] + span[1]) / 2, 2), fmt(span[1], 2))
    text = Text(no_wrap=True, overflow="crop")
    if color:
        for step, end in zip((-colors.LEVELS, 0, colors.LEVELS), ends, strict=True):
            text.append("██", Style(color=Color.from_rgb(*colors.cell_rgb(step))))
            text.append(f" {end}  ")
    else:
        text.append(f"'{SHADES[1]}' {ends[0]} … '{SHADES[-1]}' {ends[2]}  ")
    return text
