"""The input square of a square page: the patterns at its corners and the line each unit draws across it.

Each corner is a pattern, ● where its target is 1 and ○ where it is 0, labelled with its input ("01"). Each
unit fed by the two inputs draws its line n = w₁x₁ + w₂x₂ + b = 0 across the square (engine/square.py finds
them), and the cells are tinted by how many of the square's units say 1 there (n ≥ 0): for one unit, its 1
side against its 0 side; for OR and AND together, the band between the lines where OR says 1 and AND does
not, which holds exactly XOR's two 1s. The drawing reuses the hidden-unit space panel's line and labels.
"""

from __future__ import annotations

import numpy as np
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from engine import square as squares
from engine.hidden_space import HiddenSpace
from engine.numbers import fmt
from engine.surface import DEFAULT_SPAN
from tutor.widgets import colors
from tutor.widgets.hidden_space import _free_place, input_label, line_cells

AXIS = 6  # columns for the x2 labels ("−0.50 ")
GAP = 2  # columns between squares side by side
SMALLEST = 5  # rows of a square below which the figure says it needs room instead
LINE_MARKS = (("·", "bright_cyan"), ("×", "bright_magenta"), ("+", "bright_yellow"))  # one a unit


def _as_space(line: squares.UnitLine) -> HiddenSpace:
    """The unit's line in the form the hidden-unit space panel draws lines from (inputs as its two axes)."""
    none = np.zeros((0, 2))
    return HiddenSpace([], none, none, none, "step", np.array([line.w1, line.w2]), line.bias)


def plot(square: squares.Square, cols: int, rows: int, color: bool = True) -> list[Text]:
    """One square as `rows` lines of text, `cols` cells each, x₁ across and x₂ up over the surface's span."""
    lo, hi = DEFAULT_SPAN
    step_x, step_y = (hi - lo) / cols, (hi - lo) / rows
    chars = [[" "] * cols for _ in range(rows)]
    styles: list[list[Style | None]] = [[None] * cols for _ in range(rows)]
    if color:  # tint each cell by how many units say 1 at its centre
        xx, yy = np.meshgrid(lo + (np.arange(cols) + 0.5) * step_x, hi - (np.arange(rows) + 0.5) * step_y)
        on = sum(line.says_one(xx, yy).astype(int) for line in square.lines)
        for r in range(rows):
            for c in range(cols):
                count = int(on[r, c])
                styles[r][c] = colors.fill_style(2 * count if count else -2 if len(square.lines) == 1 else 0)
    for line, (mark, hue) in zip(square.lines, LINE_MARKS, strict=False):
        for r, c in line_cells(_as_space(line), lo, hi, cols, rows):
            chars[r][c] = mark
            styles[r][c] = (styles[r][c] or Style()) + Style(color=hue if color else None, bold=True)
    at = {}
    for point, one in zip(square.inputs, square.ones, strict=True):
        c = min(cols - 1, max(0, int((point[0] - lo) / step_x)))
        r = rows - 1 - min(rows - 1, max(0, int((point[1] - lo) / step_y)))
        at[(r, c)] = (point, bool(one))
    for (r, c), (_, one) in at.items():
        chars[r][c] = "●" if one else "○"
        styles[r][c] = (styles[r][c] or Style()) + Style(color="bright_white", bold=True)
    taken = set(at)
    for (r, c), (point, _) in at.items():
        name = input_label(point)
        place = _free_place(r, c, len(name), rows, cols, taken)
        if place is None:
            continue
        r0, c0 = place
        for k, ch in enumerate(name):
            chars[r0][c0 + k] = ch
            styles[r0][c0 + k] = (styles[r0][c0 + k] or Style()) + Style(color="white" if color else None)
        taken |= {(r0, c0 + k) for k in range(-1, len(name) + 1)}
    lines = []
    for r in range(rows):
        label = fmt(hi, 2) if r == 0 else (fmt(lo, 2) if r == rows - 1 else "")
        text = Text(f"{label:>{AXIS - 1}} ", style="dim", no_wrap=True, overflow="crop")
        for c in range(cols):
            text.append(chars[r][c], styles[r][c])
        lines.append(text)
    left, right = fmt(lo, 2), fmt(hi, 2)
    lines.append(Text(" " * AXIS + left + right.rjust(max(1, cols - len(left))), style="dim"))
    return lines


def _title(square: squares.Square) -> str:
    if len(square.lines) == 1 and square.lines[0].label == square.title:
        return f"{square.title} over (x1, x2)"
    return f"targets of {square.title}; lines of {', '.join(line.label for line in square.lines)}"


def key(found: list[squares.Square]) -> list[Text]:
    """What the marks, the tint and each line mean, a short line each."""
    several = any(len(square.lines) > 1 for square in found)
    out = [
        Text("● target 1  ○ target 0", style="dim", no_wrap=True),
        Text("tint: how many units say 1" if several else "tint: the unit says 1", style="dim", no_wrap=True),
    ]
    labels = [line.label for line in found[0].lines] if len(found) == 1 else ["each unit's"]
    for label, (mark, hue) in zip(labels, LINE_MARKS, strict=False):
        line = Text(no_wrap=True)
        line.append(mark * 3, Style(color=hue, bold=True))
        line.append(f" {label}: n = 0" if len(found) == 1 else f" {label} line: n = 0", style="dim")
        out.append(line)
    return out


def picture(found: list[squares.Square], width: int, height: int, color: bool = True) -> Text:
    """The squares as large as fit: side by side or one above the other, whichever draws them larger, with
    the key below; or a one-line note when even a small square does not fit."""
    n, below = len(found), key(found)
    across = (width - (n - 1) * GAP) // n - AXIS
    side = min(height - len(below) - 2, across // 2)  # rows: title and x axis; a cell is twice as tall as wide
    stacked = min((height - len(below) - 2 * n) // n, (width - AXIS) // 2)
    rows = max(side, stacked)
    if rows < SMALLEST:
        return Text("The input square needs a larger window.", style="dim italic", no_wrap=True)
    blocks = []
    for square in found:
        blocks.append([Text(_title(square), style="bold", no_wrap=True), *plot(square, 2 * rows, rows, color)])
    out: list[Text] = []
    if side >= stacked:
        block_width = AXIS + 2 * rows
        for r in range(len(blocks[0])):
            row = Text(no_wrap=True, overflow="crop")
            for k, block in enumerate(blocks):
                part = block[r].copy()
                part.truncate(block_width, overflow="ellipsis", pad=k < n - 1)
                row.append_text(part)
                if k < n - 1:
                    row.append(" " * GAP)
            out.append(row)
    else:
        for block in blocks:
            out += block
    out += below
    return Text("\n").join(out)


class SquareFigure(Widget):
    """The input square(s) of a network, drawn to fit the widget's size."""

    DEFAULT_CSS = """
    SquareFigure {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
    }
    """

    def __init__(self, found: list[squares.Square], *, id: str | None = None):
        super().__init__(id=id)
        self.found = found

    def render(self) -> Text:
        width, height = self.content_size
        return picture(self.found, width, height, color=not self.app.no_color)
