"""The current unit's activation function drawn beside the equation, with the current net input marked.

At an activation term (a = f(n)) the panel draws f over a range of n around the unit's
n, with the point (n, f(n)) marked ●; at a slope term (∂a/∂n) it draws f′ instead, marking (n, f′(n)). The
samples come from engine.activations (the functions the passes run); a readout says the numbers. Where the
panel gets few rows it drops the axis line, then says it needs room.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.text import Text
from textual.widget import Widget

from engine.activations import ACTIVATIONS
from engine.numbers import fmt

AXIS = 7  # columns for the value labels ("−0.96 ┤")
HALF_SPAN = 4.0  # n from −4 to 4 at least: where sigmoid and tanh bend
SMALLEST = (10, 3)  # plot columns and rows below which the panel says it needs room instead


@dataclass(frozen=True)
class CurveAt:
    """What to draw: a unit's activation at its net input n, and whether the slope f′ is the term shown."""

    unit: str  # the unit's label, "h1"
    activation: str  # engine.activations name
    n: float
    slope: bool  # True at a ∂a/∂n term: draw f′, not f

    def span(self) -> tuple[float, float]:
        """The range of n drawn: −4 to 4, widened to keep the unit's n a unit inside the edge."""
        return min(-HALF_SPAN, self.n - 1.0), max(HALF_SPAN, self.n + 1.0)

    def point(self) -> float:
        """f(n), or f′(n) for a slope term: the marked point's height."""
        f = ACTIVATIONS[self.activation]
        n = np.array([self.n])
        a = f.value(n)
        return float((f.slope(n, a) if self.slope else a)[0])


def curve_cells(at: CurveAt, width: int, height: int) -> tuple[list[list[tuple[str, str]]], float, float]:
    """The curve as rows of (character, style) cells, top row first, and the values of the top and bottom rows.

    Column c stands for n = low + c·(high − low)/(width − 1), sampled there; the rows span the curve's own
    values (and the marked point's). Steep stretches (a step's jump) are joined with a thin line.
    """
    low, high = at.span()
    _, values, slopes = ACTIVATIONS[at.activation].curve(low, high, width)
    ys = slopes if at.slope else values
    point = at.point()
    bottom, top = min(float(ys.min()), point), max(float(ys.max()), point)
    if top - bottom < 1e-9:  # a flat curve (a step's slope, a linear unit's): give it a band to sit in
        bottom, top = bottom - 1.0, top + 1.0
    cells = [[(" ", "")] * width for _ in range(height)]

    def row(y: float) -> int:
        return height - 1 - round((y - bottom) / (top - bottom) * (height - 1))

    last = None
    for c, y in enumerate(ys.tolist()):
        r = row(y)
        if last is not None:
            for between in range(min(last, r) + 1, max(last, r)):
                cells[between][c] = ("·", "cyan")
        cells[r][c] = ("•", "cyan")
        last = r
    column = round((at.n - low) / (high - low) * (width - 1))
    cells[row(point)][column] = ("●", "bold yellow")
    return cells, top, bottom


def title(at: CurveAt) -> str:
    """The function drawn, in symbols: "a = tanh(n)" or "∂a/∂n = 1 − a²"."""
    f = ACTIVATIONS[at.activation]
    return f"∂a/∂n = {f.slope_symbols('a', 'n')}" if at.slope else f"a = {f.value_symbols('n')}"


def picture(at: CurveAt, width: int, height: int) -> Text:
    """The panel at this size: the function, the readout, the curve with the point, an axis line if it fits."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if ACTIVATIONS[at.activation].elementwise is False:
        return Text(f"{at.activation}: no curve of one unit", style="dim italic")
    plot_w, rows = width - AXIS, height - 3  # title, readout, axis line
    axis = rows >= SMALLEST[1] + 2
    if not axis:
        rows = height - 2
    if plot_w < SMALLEST[0] or rows < SMALLEST[1]:
        return Text("The activation curve needs a larger window.", style="dim italic")
    text.append(f"{at.unit}: {title(at)}\n", style="bold")
    name = "∂a/∂n" if at.slope else "a"
    text.append(f"n = {fmt(at.n)} → {name} = {fmt(at.point())}\n", style="yellow")
    cells, top, bottom = curve_cells(at, plot_w, rows)
    for r, line in enumerate(cells):
        label = fmt(top, 2) if r == 0 else (fmt(bottom, 2) if r == rows - 1 else "")
        text.append(f"{label:>{AXIS - 2}} ┤", style="dim")
        for char, style in line:
            text.append(char, style=style)
        if r < rows - 1 or axis:
            text.append("\n")
    if axis:
        low, high = at.span()
        left, right = fmt(low, 2), fmt(high, 2)
        gap = max(1, plot_w - len(left) - len(right) - 3)
        text.append(" " * AXIS + left + " " * (gap // 2) + "n →" + " " * (gap - gap // 2) + right, style="dim")
    return text


class ActivationCurve(Widget):
    """The current unit's f(n), or f′(n) at a slope term, with its n marked; a note at other terms."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    SCOPED_CSS = False  # its styles follow the screen's size classes (-short)
    HELP_PATH = Path(__file__).with_suffix(".md")

    at: CurveAt | None = None

    def show(self, at: CurveAt | None) -> None:
        if at != self.at:
            self.at = at
            self.refresh()

    def render(self) -> Text:
        width, height = self.content_size
        if self.at is None:
            return Text("Activation curve:\nat the a and ∂a/∂n\nterms of a unit.", style="dim italic")
        return picture(self.at, width, height)


def curve_at(term, terms, net) -> CurveAt | None:
    """The curve for a trace term: its unit's f marked at its n for an activation term, f′ for a slope term
    (∂a/∂n); None for other terms (a net input's curve would give its activation away before it is computed)
    and for units without a curve of their own (softmax)."""
    if term is None or term.kind not in ("activation", "da_dn") or term.unit is None:
        return None
    layer = next((layer for layer in net.layers if layer.name == term.layer), None)
    f = ACTIVATIONS.get(layer.activation or "") if layer is not None else None
    if f is None or not f.elementwise:
        return None
    same_unit = (
        t for t in terms if (t.kind, t.layer, t.unit, t.step) == ("net_input", term.layer, term.unit, term.step)
    )
    n = next((t.value for t in same_unit), None)
    return None if n is None else CurveAt(layer.label(term.unit), f.name, float(n), term.kind == "da_dn")
