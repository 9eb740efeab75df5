"""The diverging colour scale for weights and unit values: blue negative, grey zero, orange positive.

As in Lens and TensorFlow Playground, the hue says the sign and the intensity the magnitude
relative to the largest value shown. Blue against orange stays apart for red-green colour-blind
learners (tests/test_colour_access.py simulates protanopia, deuteranopia and tritanopia), where blue
against red loses the faintest red to grey; and the legend says the sign with − and + as well.
Magnitudes are quantized to a few levels so that a small change does not restyle a whole diagram,
and styles can be cached.
"""

from __future__ import annotations

from functools import cache

from rich.color import Color
from rich.style import Style

LEVELS = 6  # intensity steps on each side of zero

NEUTRAL = (118, 118, 118)  # grey: a weight or value near zero
NEGATIVE = (74, 144, 255)  # blue
POSITIVE = (240, 130, 30)  # orange
DARK = (28, 28, 32)  # what unit backgrounds are mixed towards, so that white text stays readable


def level(value: float, scale: float) -> int:
    """A signed intensity level in −LEVELS..LEVELS; 0 for zero (or when nothing is shown yet)."""
    if scale <= 0 or value != value:  # NaN
        return 0
    fraction = min(abs(value) / scale, 1.0)
    step = round(fraction * LEVELS)
    if step == 0 and value != 0 and fraction > 0.02:
        step = 1  # small but not negligible: show its sign
    return step if value > 0 else -step


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


@cache
def level_rgb(step: int) -> tuple[int, int, int]:
    """The colour of a signed level: grey at 0, full blue at −LEVELS, full orange at +LEVELS."""
    end = POSITIVE if step > 0 else NEGATIVE
    return _mix(NEUTRAL, end, abs(step) / LEVELS)


@cache
def line_style(step: int) -> Style:
    """Foreground style for a connection or a number at a signed level."""
    return Style(color=Color.from_rgb(*level_rgb(step)), bold=abs(step) >= LEVELS - 1)


@cache
def fill_style(step: int) -> Style:
    """Background style for a unit or a cell at a signed level (darkened so white text reads on it)."""
    return Style(bgcolor=Color.from_rgb(*_mix(DARK, level_rgb(step), 0.25 + 0.55 * abs(step) / LEVELS)))


@cache
def cell_rgb(step: int) -> tuple[int, int, int]:
    """The colour of a filled cell (a compact-mode unit, a pixel of a surface) at a signed level."""
    return _mix(DARK, level_rgb(step), 0.35 + 0.65 * abs(step) / LEVELS)


@cache
def cell_style(step: int) -> Style:
    """Background for a compact-mode cell: the full colour of the level (no text is printed on it)."""
    return Style(bgcolor=Color.from_rgb(*cell_rgb(step)))
