"""The hidden-unit space panel of a train page: each pattern where its hidden activations put it.

With h1 across and h2 up (a third unit as the point's colour), each training pattern is a dot
labelled with its input. For a single output unit, the plane is tinted by the sign of the output's
net input w·h + b, and dots mark the separating line where it is 0: as XOR trains, the four points
move until one line splits them. With several output units (the encoders) a table of each
pattern's hidden code follows, sharpening towards a binary code as training goes on.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text

from engine import hidden_space
from engine.numbers import fmt
from engine.surface import BOUNDED
from tutor.widgets import colors
from tutor.widgets.live_panel import LivePanel

AXIS = 5  # columns for the h2 labels
SMALLEST = (12, 6)  # plot columns and rows below which the panel says it needs room instead
LINE = "·"
SHORT_FROM = 4  # input units: a longer one-hot input is labelled by its active unit


def input_label(values: np.ndarray) -> str:
    """A pattern's input as a short label: "01" for binary inputs, else the values with spaces."""
    if all(float(v).is_integer() and 0 <= v <= 9 for v in values):
        return "".join(str(int(v)) for v in values)
    return " ".join(fmt(float(v), 2) for v in values)


def point_label(values: np.ndarray, layer) -> str:
    """A pattern's label beside its point: its input ("01"), or for a one-hot input of more than
    SHORT_FROM units (the 8-3-8 encoder's) the name of its one active unit ("i3"), which fits beside a dot."""
    hot = np.flatnonzero(values)
    if len(values) > SHORT_FROM and len(hot) == 1 and values[hot[0]] == 1:
        return layer.label(int(hot[0]))
    return input_label(values)


def axis_range(space: hidden_space.HiddenSpace) -> tuple[float, float]:
    """The range of both axes: the hidden activation's own (0 to 1 for a sigmoid), else the points'."""
    if space.activation in BOUNDED:
        return BOUNDED[space.activation]
    lo, hi = float(np.nanmin(space.points[:, :2])), float(np.nanmax(space.points[:, :2]))
    lo, hi = min(lo, 0.0), max(hi, lo + 1.0)
    return lo, hi + (hi - lo) * 0.1


@np.errstate(divide="ignore", invalid="ignore")
def line_cells(space: hidden_space.HiddenSpace, lo: float, hi: float, cols: int, rows: int) -> set[tuple[int, int]]:
    """The (row from the top, column) cells the separating line crosses, sampled finely both ways."""
    w = space.weights
    h3 = float(np.mean(space.points[:, 2])) if len(w) > 2 else 0.0
    step_x, step_y = (hi - lo) / cols, (hi - lo) / rows
    h1 = lo + (np.arange(4 * cols) + 0.5) * step_x / 4
    h2 = lo + (np.arange(4 * rows) + 0.5) * step_y / 4
    along_x = np.column_stack([h1, space.line_h2(h1, h3)])
    rest = w[1] * h2 + space.bias + (w[2] * h3 if len(w) > 2 else 0.0)
    along_y = np.column_stack([-rest / w[0], h2])  # the same line, solved for h1: steep lines too
    cells = set()
    for a, b in np.vstack([along_x, along_y]):
        if np.isfinite(a) and np.isfinite(b) and lo <= a < hi and lo <= b < hi:
            cells.add((rows - 1 - int((b - lo) / step_y), int((a - lo) / step_x)))
    return cells


class HiddenSpacePanel(LivePanel):
    """The patterns as points in the space of two or three hidden units, the output's separating line
    across it, and (several output units) each pattern's hidden code."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    SCOPED_CSS = False  # its styles follow the screen's width classes (-narrow); Textual reads this per class
    HELP_PATH = Path(__file__).with_suffix(".md")

    def picture(self, width: int, height: int, color: bool = True) -> Text:
        space = hidden_space.compute(self.net)
        code_rows = len(space.points) + 1 if space.weights is None else 0
        cols, rows = width - AXIS, height - 3 - code_rows  # title, x axis, key line
        if cols < SMALLEST[0] or rows < SMALLEST[1]:
            code_rows = 0
            rows = height - 3
        if cols < SMALLEST[0] or rows < SMALLEST[1]:
            return Text("Hidden-unit space needs a larger window.", style="dim italic", no_wrap=True)
        rows = min(rows, max(SMALLEST[1], cols // 2))  # about square: a cell is twice as tall as wide
        text = Text(no_wrap=True, overflow="crop")
        units = space.units
        title = f"Hidden-unit space: {units[0]} across, {units[1]} up"
        text.append((title if len(title) <= width else f"{units[0]} across, {units[1]} up") + "\n", style="bold")
        text.append_text(self.plot(space, cols, rows, color))
        key = Text(no_wrap=True, overflow="crop")
        if len(units) > 2:
            key.append(f"● colour: {units[2]}", style="dim")
        elif space.weights is not None:
            key.append("● colour: target", style="dim")
        if space.weights is not None:
            key.append(f"   {LINE * 3} n_{self.net.output.label(0)} = 0", style="dim")
            if len(units) > 2:
                key.append(f" at mean {units[2]}", style="dim")
        text.append("\n")
        text.append_text(key)
        if code_rows:
            text.append("\n")
            text.append_text(self.code_table(space, color, width))
        return text

    def plot(self, space: hidden_space.HiddenSpace, cols: int, rows: int, color: bool) -> Text:
        lo, hi = axis_range(space)
        step_x, step_y = (hi - lo) / cols, (hi - lo) / rows
        chars = [[" "] * cols for _ in range(rows)]
        styles: list[list[Style | None]] = [[None] * cols for _ in range(rows)]
        if space.weights is not None:
            if color:  # tint each cell by the sign of the output's net input at its centre
                h3 = float(np.mean(space.points[:, 2])) if len(space.units) > 2 else None
                centres_x = lo + (np.arange(cols) + 0.5) * step_x
                centres_y = hi - (np.arange(rows) + 0.5) * step_y
                xx, yy = np.meshgrid(centres_x, centres_y)
                grid = [xx.ravel(), yy.ravel()] + ([np.full(xx.size, h3)] if h3 is not None else [])
                sign = np.sign(space.net_input(np.column_stack(grid))).reshape(rows, cols)
                for r in range(rows):
                    for c in range(cols):
                        styles[r][c] = _tint(int(sign[r, c]))
            for r, c in line_cells(space, lo, hi, cols, rows):
                chars[r][c] = LINE
        scale = (float(np.min(space.points[:, 2])), float(np.max(space.points[:, 2]))) if len(space.units) > 2 else None
        at: dict[tuple[int, int], list[int]] = {}  # patterns that fall in the same cell share one dot
        for p, point in enumerate(space.points):
            if np.isfinite(point[0]) and np.isfinite(point[1]):
                c = min(cols - 1, max(0, int((point[0] - lo) / step_x)))
                r = rows - 1 - min(rows - 1, max(0, int((point[1] - lo) / step_y)))
                at.setdefault((r, c), []).append(p)
        for (r, c), patterns in at.items():
            first = patterns[0]
            value = space.points[first, 2] if scale else float(space.targets[first, 0])
            chars[r][c] = "●"
            styles[r][c] = _dot(value, scale or BOUNDED["sigmoid"], styles[r][c], color)
        taken = set(at)  # every dot first: a label never covers one, nor touches another label
        inputs = self.net.layers[0]
        for (r, c), patterns in at.items():
            name = ",".join(point_label(space.inputs[p], inputs) for p in patterns)
            place = _free_place(r, c, len(name), rows, cols, taken)
            if place is None:
                continue  # no room beside the dot: the table below names it
            r0, c0 = place
            for k, ch in enumerate(name):
                chars[r0][c0 + k] = ch
                styles[r0][c0 + k] = _label(styles[r0][c0 + k])
            taken |= {(r0, c0 + k) for k in range(-1, len(name) + 1)}  # a space between two labels
        text = Text(no_wrap=True, overflow="crop")
        for r in range(rows):
            label = fmt(hi, 2) if r == 0 else (fmt(lo, 2) if r == rows - 1 else "")
            text.append(f"{label:>{AXIS - 1}} ", style="dim")
            for c in range(cols):
                text.append(chars[r][c], styles[r][c])
            text.append("\n")
        left, right = fmt(lo, 2), fmt(hi, 2)
        text.append(" " * AXIS + left + right.rjust(max(1, cols - len(left))), style="dim")
        return text

    def code_table(self, space: hidden_space.HiddenSpace, color: bool, width: int = 80) -> Text:
        """Each pattern's input and its hidden activations: the code the network invented. Where the inputs
        do not fit in `width` columns, the points' own labels stand for them and the columns close up."""
        layer = self.net.layers[0]
        names = []  # the input, after the point's own label where the plot names it otherwise ("i3 00100000")
        for inputs in space.inputs:
            short, full = point_label(inputs, layer), input_label(inputs)
            names.append(full if short == full else f"{short} {full}")
        units = len(space.units)
        name_width, gap, digits = max(10, max(len(name) for name in names) + 2), "  ", 5
        if name_width + units * (digits + len(gap)) - len(gap) > width:
            names = [point_label(inputs, layer) for inputs in space.inputs]
            name_width, gap, digits = max(len(name) for name in names) + 1, " ", 4
        text = Text(no_wrap=True, overflow="crop")
        head = "input" if name_width > len("input") else ""
        text.append(head.ljust(name_width) + gap.join(unit.rjust(digits) for unit in space.units), style="bold")
        lo, hi = BOUNDED.get(space.activation, (0.0, 1.0))
        for name, point in zip(names, space.points, strict=True):
            text.append("\n" + name.ljust(name_width))
            for k, value in enumerate(point):
                step = colors.level(value - (lo + hi) / 2, (hi - lo) / 2)
                text.append((gap if k else "") + f"{value:{digits}.2f}", colors.line_style(step) if color else None)
        return text


def _free_place(r: int, c: int, length: int, rows: int, cols: int, taken: set) -> tuple[int, int] | None:
    """Where a label of `length` goes beside the dot at (r, c): after it, before it, then above or below
    it, wherever it fits inside the plot without covering a dot or another label; None if nowhere."""
    for r0, c0 in (
        (r, c + 1),
        (r, c - length),
        (r - 1, c),
        (r + 1, c),
        (r - 1, c + 1 - length),
        (r + 1, c + 1 - length),
    ):
        cells = {(r0, c0 + k) for k in range(length)}
        if 0 <= r0 < rows and c0 >= 0 and c0 + length <= cols and not cells & taken:
            return r0, c0
    return None


def _tint(sign: int) -> Style:
    return colors.fill_style(2 * sign)  # faint: the side of the line, under the points


def _dot(value: float, span: tuple[float, float] | None, under: Style | None, color: bool) -> Style:
    if not color:
        return Style(bold=True)
    lo, hi = span or (0.0, 1.0)
    step = colors.level(value - (lo + hi) / 2, (hi - lo) / 2) or (1 if value >= (lo + hi) / 2 else -1)
    return (under or Style()) + Style(color=Color.from_rgb(*colors.level_rgb(step)), bold=True)


def _label(under: Style | None) -> Style:
    return (under or Style()) + Style(color="bright_white")
