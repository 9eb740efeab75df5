"""ValuesTable: the lecture's worked spreadsheet, filled in as terms are computed.

One row per unit (n, a, t, ∂E/∂a, ∂a/∂n, ∂E/∂n) and one per weight (w, ∂E/∂w, Δw, w′), 6
significant digits, the loss on the first line. Given numbers (inputs, targets, old weights)
are there from the start; computed ones appear when their term is computed. The current
term's row is highlighted and its cell marked.

Drawn through the Line API with one cached strip per row: a step re-renders only the rows
it changed. (Textual's DataTable re-renders every visible row on each cell update, which
made a step cost ~20 times more than everything else together.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from engine.numbers import fmt
from engine.trace import Term, Trace, connection, weight_symbol
from tutor.player import TracePlayer
from tutor.widgets import colors

UNIT_COLUMNS = ("n", "a", "t", "dE_da", "da_dn", "dE_dn")
WEIGHT_COLUMNS = ("w", "grad", "delta", "new")
UNIT_KINDS = {"net_input": "n", "activation": "a", "dE_da": "dE_da", "da_dn": "da_dn", "dE_dn": "dE_dn"}
WEIGHT_KINDS = {"dE_dw": "grad", "dE_db": "grad", "delta_w": "delta", "new_w": "new"}
SIGNED = {"dE_da", "dE_dn", "grad", "delta"}  # columns coloured by the diverging scale
COLUMN_WIDTH = 13  # "−0.000219284" and a space


@dataclass(frozen=True)
class Cell:
    table: str  # units | weights | loss
    row: str  # unit or connection id ("E" for the loss)
    column: str


def cell_of(term: Term) -> Cell | None:
    """Where a term's value goes in the table; None for terms without a cell (chain-rule factors)."""
    if term.kind == "loss":
        return Cell("loss", "E", "E")
    if term.kind in UNIT_KINDS and term.unit is not None:
        return Cell("units", f"{term.layer}.{term.unit}", UNIT_KINDS[term.kind])
    if term.kind in WEIGHT_KINDS and term.connections:
        return Cell("weights", term.connections[0], WEIGHT_KINDS[term.kind])
    return None


@dataclass
class _Row:
    kind: str  # loss | heading | unit | weight | blank
    label: str = ""
    columns: tuple[str, ...] = ()
    values: dict[str, float | None] = field(default_factory=dict)
    headers: tuple[str, ...] = ()  # a heading row's column titles
    weight: str = ""  # a weight row's connection id


class ValuesTable(ScrollView, can_focus=False):
    """Per unit n, a, t, ∂E/∂a, ∂a/∂n, ∂E/∂n and per weight w, ∂E/∂w, Δw, w′, filling in step by step."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HELP_PATH = Path(__file__).with_suffix(".md")  # what the help screen says about this widget
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "values-table--heading",
        "values-table--label",
        "values-table--loss",
        "values-table--row",
        "values-table--current",
        "values-table--picked",
        "values-table--changed",
    }

    @dataclass
    class WeightClicked(Message):
        """A weight's row was clicked: what-if picks that weight (tutor/screens/lesson/what_if.py)."""

        table: ValuesTable
        weight: str  # its connection id

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self._trace: Trace | None = None
        self._terms: list[Term] = []
        self._cells: list[Cell | None] = []
        self._rows: list[_Row] = []
        self._index: dict[str, int] = {}  # unit or connection id (or "E") -> row
        self._scale: dict[str, float] = {}
        self._label_width = 0
        self._shown = 0  # how many of the player's terms the table shows
        self._current: Cell | None = None
        self._current_row: int | None = None
        self._lines: dict[int, Strip] = {}
        self._styles: dict[str, Style] = {}
        self._picked: str | None = None  # the weight what-if is about to set (its connection id)
        self._changed: frozenset[str] = frozenset()  # weights set by the learner: their w is marked

    # -- feeding it -----------------------------------------------------------------------

    def show(self, player: TracePlayer) -> None:
        """Bring the table to the player's position (only the rows that changed are drawn again)."""
        if player.trace is not self._trace or player.terms is not self._terms:
            self._load(player)
        lo, hi = sorted((self._shown, player.position))
        for k in range(lo, hi):
            cell = self._cells[k]
            if cell is not None:
                self._set(cell, self._terms[k].value if k < player.position else None)
        self._shown = player.position
        term = player.current
        self._mark(cell_of(term) if term else None, term)

    def _load(self, player: TracePlayer) -> None:
        trace = self._trace = player.trace
        self._terms = player.terms
        self._cells = [cell_of(term) for term in self._terms]
        self._shown, self._current, self._current_row = 0, None, None
        self._index, self._scale = {}, {}
        for term, cell in zip(self._terms, self._cells, strict=True):
            if cell is not None and cell.column in SIGNED:
                self._scale[cell.column] = max(self._scale.get(cell.column, 0.0), abs(term.value))
        N, net = trace.notation, trace.net
        E, n, a, t = N.error, _bare(N.n("")), _bare(N.a("")), _bare(N.t(""))
        w = _bare(N.w("", ""))
        rows = [_Row("loss", E, ("E",), {"E": None}), _Row("blank")]
        rows.append(_Row("heading", "unit", headers=(n, a, t, N.d(E, a), N.d(a, n), N.d(E, n))))
        first, out = net.layers[0].name, net.output.name
        for layer in net.layers:
            for j in range(layer.size):
                values: dict[str, float | None] = dict.fromkeys(UNIT_COLUMNS)
                if layer.name == first:
                    values["a"] = float(trace.inputs[j])
                if layer.name == out:
                    values["t"] = float(trace.targets[j])
                rows.append(_Row("unit", layer.label(j), UNIT_COLUMNS, values))
                self._index[f"{layer.name}.{j}"] = len(rows) - 1
        rows += [_Row("blank"), _Row("heading", "weight", headers=(w, N.d(E, w), f"Δ{w}", f"{w}′"))]
        for key, array in trace.weights_before.items():
            for index in np.ndindex(array.shape):
                symbol = weight_symbol(net, N, key, index)
                values = dict.fromkeys(WEIGHT_COLUMNS)
                values["w"] = float(array[index])
                rows.append(_Row("weight", symbol, WEIGHT_COLUMNS, values, weight=connection(key, *index)))
                self._index[connection(key, *(int(i) for i in index))] = len(rows) - 1
        self._index["E"] = 0
        self._rows = rows
        self._label_width = max(len(row.label) for row in rows) + 2
        self.virtual_size = Size(self._label_width + COLUMN_WIDTH * len(UNIT_COLUMNS), len(rows))
        self._lines.clear()
        self.refresh()

    def _set(self, cell: Cell, value: float | None) -> None:
        row = self._index[cell.row]
        self._rows[row].values[cell.column] = value
        self._redraw(row)

    def _mark(self, cell: Cell | None, term: Term | None) -> None:
        """Highlight the current term's row and cell (a chain-rule term: the row of the weight it expands)."""
        self._current = cell
        row = None
        if cell is not None:
            row = self._index[cell.row]
        elif term is not None and term.kind in ("factor", "chain_product", "chain_sum") and term.weight is not None:
            row = self._index[term.weight.connection]
        for old in (self._current_row, row):
            if old is not None:
                self._redraw(old)
        self._current_row = row
        if row is not None:  # the row above it too: a scrolled table's top line is its heading
            self.scroll_to_region(Region(0, max(row - 1, 0), 1, 2), animate=False, immediate=True)

    def mark_weights(self, picked: str | None, changed: frozenset[str]) -> None:
        """Mark the weight being picked for what-if (its row, scrolled into view) and those the learner set."""
        rows = {self._index.get(c) for c in (self._picked, picked, *(self._changed ^ changed))}
        self._picked, self._changed = picked, changed
        for row in rows - {None}:
            self._redraw(row)
        if picked in self._index:
            row = self._index[picked]
            self.scroll_to_region(Region(0, max(row - 1, 0), 1, 2), animate=False, immediate=True)

    def on_click(self, event: Click) -> None:
        at = event.get_content_offset(self)
        if at is None or (at.y == 0 and self.scroll_offset.y):  # a scrolled table's top line is a heading
            return
        row = at.y + self.scroll_offset.y
        if 0 <= row < len(self._rows) and self._rows[row].weight:
            self.post_message(self.WeightClicked(self, self._rows[row].weight))

    def _redraw(self, row: int) -> None:
        self._lines.pop(row, None)
        self.refresh_line(row)

    # -- drawing --------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._lines.clear()

    def _style(self, name: str) -> Style:
        """A component style from the TCSS ("" for the widget's own), looked up once per change of CSS."""
        style = self._styles.get(name)
        if style is None:
            name_ = f"values-table--{name}"
            style = self.get_component_rich_style(name_, partial=True) if name else self.rich_style
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = y + scroll_y
        if y == 0 and scroll_y > 0:  # scrolled: the top line keeps the heading of the rows below it
            row = self._heading_above(row + 1)
        strip = self._lines.get(row)
        if strip is None:
            strip = self._lines[row] = self._render_row(row)
        pad = self._style("") + (self._style("row") if row == self._current_row else Style())
        return strip.crop_extend(scroll_x, scroll_x + self.size.width, pad)

    def _heading_above(self, index: int) -> int:
        """The heading row of the section that row `index` is in (the units' heading above the first)."""
        headings = [k for k, row in enumerate(self._rows) if row.kind == "heading"]
        return max((k for k in headings if k <= index), default=headings[0] if headings else index)

    def _render_row(self, index: int) -> Strip:
        base = self._style("")
        if not 0 <= index < len(self._rows):
            return Strip.blank(self.virtual_size.width, base)
        row = self._rows[index]
        if index == self._current_row:
            base += self._style("row")
        label_width = self._label_width
        if row.kind == "loss":
            value = row.values["E"]
            style = base + self._style("loss")
            if self._current is not None and self._current.table == "loss":
                style += self._style("current")
            segments = [Segment(f" {row.label} = {'' if value is None else fmt(value)} ", style)]
        elif row.kind == "heading":
            heading = base + self._style("heading")
            text = f" {row.label}".ljust(label_width) + "".join(h.rjust(COLUMN_WIDTH - 1) + " " for h in row.headers)
            segments = [Segment(text, heading)]
        elif row.kind == "blank":
            segments = []
        else:
            label = base + self._style("label") + (self._style("row") if index == self._current_row else Style())
            if row.weight and row.weight == self._picked:
                label += self._style("picked")
            segments = [Segment(f" {row.label}".ljust(label_width), label)]
            current_column = self._current.column if self._current and index == self._current_row else None
            for column in row.columns:
                value = row.values.get(column)
                text = "" if value is None else fmt(value)
                style = base
                if value is not None and column in SIGNED:
                    style += colors.line_style(colors.level(value, self._scale.get(column, 0.0)))
                if column == current_column:
                    style += self._style("current")
                elif column == "w" and row.weight in self._changed:
                    style += self._style("changed")
                segments += [Segment(text.rjust(COLUMN_WIDTH - 1), style), Segment(" ", base)]
        return Strip(segments).extend_cell_length(self.virtual_size.width, base)

    # -- what a test or a reader sees -----------------------------------------------------

    def cell_text(self, row: str, column: str) -> str:
        """The text in a cell: row is a unit id ("hidden.0") or a connection id ("hidden[0][1]")."""
        value = self._rows[self._index[row]].values.get(column)
        return "" if value is None else fmt(value)

    @property
    def loss_text(self) -> str:
        value = self._rows[0].values["E"] if self._rows else None
        return f"{self._trace.notation.error} =" + ("" if value is None else f" {fmt(value)}")

    @property
    def current_row(self) -> str | None:
        """The unit or connection id of the highlighted row."""
        return next((key for key, row in self._index.items() if row == self._current_row), None)


def _bare(symbol: str) -> str:
    """A symbol with its unit subscript left empty, for a column header: 'n_' -> 'n', 'w_,' -> 'w'."""
    return symbol.rstrip("_,")
