"""CellTable: a table of numbers whose cells change one at a time, drawn line by line.

It offers the part of DataTable's interface the values table uses (columns and rows with keys,
`update_cell`, a cursor row), but a change re-renders only the row it touches. (DataTable
re-renders every visible cell after any `update_cell`, which made each step of the lesson
player cost a full table render.) The header row stays on top while the rows scroll.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

PAD = 1  # blank cells either side of a column


@dataclass
class _Column:
    key: str
    label: str
    width: int


@dataclass
class _Row:
    key: str
    cells: dict[str, Text | str] = field(default_factory=dict)


class CellTable(ScrollView, can_focus=False):
    """Rows of cells under a header row; one row can be the cursor row."""

    DEFAULT_CSS = """
    CellTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        & > .cell-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .cell-table--cursor {
            background: $block-cursor-blurred-background;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"cell-table--header", "cell-table--cursor"}

    show_cursor: reactive[bool] = reactive(True)

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None, **_options):
        """DataTable's other options (cursor_type, cursor_foreground_priority) are accepted and implied."""
        super().__init__(name=name, id=id, classes=classes)
        self._columns: list[_Column] = []
        self._rows: list[_Row] = []
        self._row_index: dict[str, int] = {}
        self._strips: dict[int, Strip] = {}  # rendered rows (-1: the header), full width, unscrolled
        self.cursor_row = 0

    # -- DataTable's interface --------------------------------------------------------------------

    def clear(self, columns: bool = False) -> None:
        self._rows, self._row_index = [], {}
        if columns:
            self._columns = []
        self.cursor_row = 0
        self._changed(resize=True)

    def add_column(self, label: str, *, key: str, width: int | None = None) -> None:
        self._columns.append(_Column(key, label, max(width or 0, len(label))))
        self._changed(resize=True)

    def add_row(self, *cells: Text | str, key: str) -> None:
        self._row_index[key] = len(self._rows)
        self._rows.append(_Row(key, {column.key: cell for column, cell in zip(self._columns, cells, strict=False)}))
        for column, cell in zip(self._columns, cells, strict=False):
            column.width = max(column.width, len(_plain(cell)))
        self._changed(resize=True)

    def update_cell(self, row_key: str, column_key: str, value: Text | str) -> None:
        index = self._row_index[row_key]
        self._rows[index].cells[column_key] = value
        self._strips.pop(index, None)
        self.refresh_line(index + 1)

    def get_cell(self, row_key: str, column_key: str) -> Text | str:
        return self._rows[self._row_index[row_key]].cells.get(column_key, "")

    def get_row_index(self, row_key: str) -> int:
        return self._row_index[row_key]

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        """Make `row` the cursor row and scroll it into view."""
        previous, self.cursor_row = self.cursor_row, row
        for index in (previous, row):
            self._strips.pop(index, None)
            self.refresh_line(index + 1)
        visible = max(1, self.size.height - 1)  # the header takes the first line
        top = self.scroll_offset.y
        if row < top:
            self.scroll_to(y=row, animate=animate)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=animate)

    def watch_show_cursor(self) -> None:
        self._strips.pop(self.cursor_row, None)
        self.refresh_line(self.cursor_row + 1)

    # -- drawing ----------------------------------------------------------------------------------

    def _changed(self, resize: bool = False) -> None:
        self._strips.clear()
        if resize:
            width = sum(column.width + 2 * PAD for column in self._columns)
            self.virtual_size = Size(width, len(self._rows) + 1)
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = -1 if y == 0 else scroll_y + y - 1
        width = self.size.width
        base = self.rich_style
        if index >= len(self._rows):
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._strips[index] = self._render_row(index, base)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _render_row(self, index: int, base: Style) -> Strip:
        if index < 0:
            style = base + self.get_component_rich_style("cell-table--header")
            cells = [(column.label, column) for column in self._columns]
        else:
            style = base
            if index == self.cursor_row and self.show_cursor:
                style += self.get_component_rich_style("cell-table--cursor")
            row = self._rows[index]
            cells = [(row.cells.get(column.key, ""), column) for column in self._columns]
        segments = []
        for cell, column in cells:
            text = cell if isinstance(cell, Text) else Text(str(cell))
            plain = text.plain[: column.width]
            aligned = plain.rjust(column.width) if text.justify == "right" else plain.ljust(column.width)
            own = text.style if isinstance(text.style, Style) else Style.parse(text.style) if text.style else Style()
            segments.append(Segment(" " * PAD, style))
            segments.append(Segment(aligned, style + own))
            segments.append(Segment(" " * PAD, style))
        return Strip(segments)


def _plain(cell: Text | str) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)
