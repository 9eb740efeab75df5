"""ValuesTable: the lecture's worked spreadsheet, filled in as terms are computed.

One row per unit (n, a, t, ∂E/∂a, ∂a/∂n, ∂E/∂n) and one per weight (w, ∂E/∂w, Δw, w′), 6
significant digits, the loss on a line above. Given numbers (inputs, targets, old weights)
are there from the start; computed ones appear when their term is computed. The row of the
current term is the table's cursor row, its cell in bold. A step updates only the cells
that changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from engine.numbers import fmt
from engine.trace import Term, Trace, connection
from tutor.widgets import colors

UNIT_COLUMNS = ("n", "a", "t", "dE_da", "da_dn", "dE_dn")
WEIGHT_COLUMNS = ("w", "grad", "delta", "new")
UNIT_KINDS = {"net_input": "n", "activation": "a", "dE_da": "dE_da", "da_dn": "da_dn", "dE_dn": "dE_dn"}
WEIGHT_KINDS = {"dE_dw": "grad", "dE_db": "grad", "delta_w": "delta", "new_w": "new"}
SIGNED = {"dE_da", "dE_dn", "grad", "delta"}  # columns coloured by the diverging scale


@dataclass(frozen=True)
class Cell:
    table: str  # units | weights | loss
    row: str  # unit or connection id
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


class ValuesTable(Vertical):
    """Per unit n, a, t, ∂E/∂a, ∂a/∂n, ∂E/∂n and per weight w, ∂E/∂w, Δw, w′, filling in step by step."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    COMPONENT_CLASSES: ClassVar[set[str]] = {"values-table--current"}

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self._trace: Trace | None = None
        self._terms: list[Term] = []
        self._cells: list[Cell | None] = []
        self._scale: dict[str, float] = {}
        self._shown = 0  # how many of the player's terms the table shows
        self._current: Cell | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="loss")
        for table_id in ("units", "weights"):
            table = DataTable(id=table_id, cursor_type="row", cursor_foreground_priority="renderable")
            table.can_focus = False
            yield table

    # -- feeding it -----------------------------------------------------------------------

    def show(self, player) -> None:
        """Bring the table to the player's position (only the cells that changed are touched)."""
        if player.trace is not self._trace or player.terms is not self._terms:
            self._load(player)
        lo, hi = sorted((self._shown, player.position))
        for k in range(lo, hi):
            cell = self._cells[k]
            if cell is not None:
                self._write(cell, self._terms[k].value if k < player.position else None)
        self._shown = player.position
        current = player.current
        self._mark(cell_of(current) if current else None, current)

    def _load(self, player) -> None:
        trace = self._trace = player.trace
        self._terms = player.terms
        self._cells = [cell_of(term) for term in self._terms]
        self._shown = 0
        self._current = None
        self._scale = {}
        for term, cell in zip(self._terms, self._cells, strict=True):
            if cell is not None and cell.column in SIGNED:
                self._scale[cell.column] = max(self._scale.get(cell.column, 0.0), abs(term.value))
        N, net = trace.notation, trace.net
        E = N.error
        units = self.query_one("#units", DataTable)
        units.clear(columns=True)
        units.add_column("unit", key="unit")
        headers = (
            _bare(N.n("")),
            _bare(N.a("")),
            _bare(N.t("")),
            N.d(E, _bare(N.a(""))),
            N.d(_bare(N.a("")), _bare(N.n(""))),
            N.d(E, _bare(N.n(""))),
        )
        for column, header in zip(UNIT_COLUMNS, headers, strict=True):
            units.add_column(header, key=column, width=11)
        first, out = net.layers[0].name, net.output.name
        for layer in net.layers:
            for j in range(layer.size):
                uid = f"{layer.name}.{j}"
                cells = [Text(layer.label(j))] + [Text("")] * len(UNIT_COLUMNS)
                if layer.name == first:
                    cells[2] = Text(fmt(trace.inputs[j]), justify="right")
                if layer.name == out:
                    cells[3] = Text(fmt(trace.targets[j]), justify="right")
                units.add_row(*cells, key=uid)
        weights = self.query_one("#weights", DataTable)
        weights.clear(columns=True)
        weights.add_column("weight", key="weight")
        w = _bare(N.w("", "")).rstrip(",")
        for column, header in zip(WEIGHT_COLUMNS, (w, N.d(E, w), f"Δ{w}", f"{w}′"), strict=True):
            weights.add_column(header, key=column, width=12)
        for key, array in trace.weights_before.items():
            layer = key.removesuffix("_bias").removesuffix("_context")
            k = [lay.name for lay in net.layers].index(layer)
            for index in _indices(array.shape):
                if key.endswith("_bias"):
                    symbol = N.b(net.layers[k].label(index[0]))
                elif key.endswith("_context"):
                    symbol = N.w(N.c(net.layers[k].label(index[1])), net.layers[k].label(index[0]))
                else:
                    symbol = N.w(net.layers[k - 1].label(index[1]), net.layers[k].label(index[0]))
                weights.add_row(
                    Text(symbol),
                    Text(fmt(array[index]), justify="right"),
                    *[Text("")] * (len(WEIGHT_COLUMNS) - 1),
                    key=connection(key, *index),
                )
        self.query_one("#loss", Static).update(f"{E} =")

    # -- cells ----------------------------------------------------------------------------

    def _text(self, cell: Cell, value: float | None, current: bool = False) -> Text:
        if value is None:
            return Text("")
        style = Style()
        if cell.column in SIGNED:
            style = colors.line_style(colors.level(value, self._scale.get(cell.column, 0.0)))
        if current:
            style += self.get_component_rich_style("values-table--current", partial=True)
        return Text(fmt(value), style=style, justify="right")

    def _write(self, cell: Cell, value: float | None, current: bool = False) -> None:
        if cell.table == "loss":
            loss = self.query_one("#loss", Static)
            E = self._trace.notation.error
            loss.update(f"{E} = {fmt(value)}" if value is not None else f"{E} =")
            loss.set_class(current, "-current")
            return
        table = self.query_one(f"#{cell.table}", DataTable)
        table.update_cell(cell.row, cell.column, self._text(cell, value, current))

    def _mark(self, cell: Cell | None, term: Term | None) -> None:
        """Make the current term's cell bold and its row the cursor row; un-mark the previous one."""
        previous, self._current = self._current, cell
        if previous is not None and previous != cell:
            self._write(previous, self._value_at(previous))
        if cell is None and term is not None and term.id.startswith("chain."):
            self._cursor("weights", _expanded_weight(term))  # a chain-rule term: the weight it expands
            return
        if cell is None:
            self._cursor(None, None)
            return
        self._write(cell, term.value, current=True)
        self._cursor(cell.table, cell.row)

    def _cursor(self, table_id: str | None, row: str | None) -> None:
        """Put the cursor row on a row of one table and hide the other table's cursor."""
        for name in ("units", "weights"):
            table = self.query_one(f"#{name}", DataTable)
            if name != table_id:
                table.show_cursor = False
            else:
                table.show_cursor = True
                index = table.get_row_index(row)
                if table.cursor_row != index:
                    table.move_cursor(row=index, animate=False)

    def _value_at(self, cell: Cell) -> float | None:
        for k in range(self._shown - 1, -1, -1):
            if self._cells[k] == cell:
                return self._terms[k].value
        return None

    # -- what a test or a reader sees -----------------------------------------------------

    def cell_text(self, row: str, column: str) -> str:
        """The text in a cell: row is a unit id ("hidden.0") or a connection id ("hidden[0][1]")."""
        table = self.query_one("#units" if column in UNIT_COLUMNS else "#weights", DataTable)
        value = table.get_cell(row, column)
        return value.plain if isinstance(value, Text) else str(value)

    @property
    def loss_text(self) -> str:
        return str(self.query_one("#loss", Static).content)


def _bare(symbol: str) -> str:
    """A symbol with its unit subscript left empty, for a column header: 'n_' -> 'n'."""
    return symbol.rstrip("_,")


def _expanded_weight(term: Term) -> str:
    """The connection a chain-rule term belongs to: 'chain.hidden[0][0].1.3' -> 'hidden[0][0]'."""
    return term.id.removeprefix("chain.").rsplit("]", 1)[0] + "]"


def _indices(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    return [tuple(int(i) for i in index) for index in np.ndindex(shape)]
