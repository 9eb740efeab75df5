"""The error as a function of one weight, drawn in the terminal, with the steps taken down it.

Drawn with Rich text from plain lists of numbers (the engine's engine.descent computes them): the
curve as dots, one a column; earlier steps as ○, the weight now as ●; a weight off either side of
the drawing as an arrow at that edge.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from engine.numbers import fmt

AXIS = 8  # columns for the E labels and the axis line


def plot_lines(
    weights: Sequence[float], errors: Sequence[float], path: Sequence[tuple[float, float]], width: int, height: int
) -> list[list[tuple[str, str]]]:
    """The plot as rows of (character, style) cells, top row first: `width` columns, `height` rows.

    Column c stands for the weight weights[0] + c·(span / (width − 1)); the curve's error there (read
    from the nearest sample) sets the row, E = 0 on the bottom row and the curve's highest E on the top.
    """
    low, high = weights[0], weights[-1]
    top = max(errors) or 1.0
    cells = [[(" ", "")] * width for _ in range(height)]

    def row(error: float) -> int:
        return height - 1 - round(min(max(error / top, 0.0), 1.0) * (height - 1))

    def column(weight: float) -> int:
        return round((weight - low) / (high - low) * (width - 1))

    last = None
    for c in range(width):
        k = min(len(errors) - 1, round(c / max(1, width - 1) * (len(errors) - 1)))
        r = row(errors[k])
        if last is not None:  # join steep stretches with a thin line, so the curve stays one piece
            for between in range(min(last, r) + 1, max(last, r)):
                cells[between][c] = ("·", "cyan")
        cells[r][c] = ("•", "bold cyan")
        last = r
    for k, (weight, error) in enumerate(path):
        now = k == len(path) - 1
        if weight < low or weight > high:
            edge = 0 if weight < low else width - 1
            cells[row(min(error, top))][edge] = ("◀" if weight < low else "▶", "bold red" if now else "red")
            continue
        mark = ("●", "bold yellow") if now else ("○", "yellow")
        cells[row(error)][column(weight)] = mark
    return cells


class ErrorCurve(Widget):
    """E(w) over the page's range of w, and the walk of the weight down it."""

    DEFAULT_CSS = """
    ErrorCurve {
        height: 1fr;
        min-height: 6;
        padding: 0 1;
    }
    """

    weights: reactive[tuple[float, ...]] = reactive(())
    errors: reactive[tuple[float, ...]] = reactive(())
    path: reactive[tuple[tuple[float, float], ...]] = reactive(())

    def render(self) -> Text:
        width, height = self.size
        plot_w, plot_h = max(2, width - AXIS), max(2, height - 2)
        text = Text()
        if not self.weights:
            return text
        cells = plot_lines(self.weights, self.errors, self.path, plot_w, plot_h)
        top = max(self.errors)
        for r, line in enumerate(cells):
            label = fmt(top, 3) if r == 0 else ("0" if r == plot_h - 1 else "")
            text.append(f"{'E ' + label if r == 0 else label:>{AXIS - 2}} ┤", style="dim")
            for char, style in line:
                text.append(char, style=style)
            text.append("\n")
        text.append(" " * (AXIS - 1) + "└" + "─" * plot_w + "\n", style="dim")
        low, high = fmt(self.weights[0], 3), fmt(self.weights[-1], 3)
        middle = "w →"
        gap = max(1, plot_w - len(low) - len(high) - len(middle))
        text.append(" " * AXIS + low + " " * (gap // 2) + middle + " " * (gap - gap // 2) + high, style="dim")
        return text
