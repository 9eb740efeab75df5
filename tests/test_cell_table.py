"""CellTable: the values table's light DataTable, where a change re-renders only its own row."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from tutor.widgets.cell_table import CellTable


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield CellTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(CellTable)
        table.add_column("unit", key="unit")
        table.add_column("a", key="a", width=8)
        for n in range(30):
            table.add_row(Text(f"u{n}"), Text("", justify="right"), key=f"u.{n}")


def line(table: CellTable, y: int) -> str:
    return table.render_line(y).text


async def test_cells_rows_and_the_cursor():
    app = TableApp()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(CellTable)
        await pilot.pause()
        assert line(table, 0).startswith(" unit  a        ")  # a column: 1 blank, its width, 1 blank
        assert line(table, 1).startswith(" u0" + " " * 14)
        table.update_cell("u.0", "a", Text("0.5", justify="right"))
        assert line(table, 1).startswith(" u0         0.5 ")  # numbers to the right of their column
        assert table.get_cell("u.0", "a").plain == "0.5"
        kept = table._strips[1]
        table.update_cell("u.0", "a", Text("0.25", justify="right"))
        assert table._strips.get(1) is kept  # only the changed row is drawn again
        table.move_cursor(row=20)
        await pilot.pause()
        assert table.cursor_row == 20 and table.scroll_offset.y > 0  # scrolled so that row 20 shows
        y = 20 - table.scroll_offset.y + 1
        assert line(table, y).startswith(" u20 ")
        cursor, below = (next(iter(table.render_line(n))).style.bgcolor for n in (y, y + 1))
        assert cursor != below  # the cursor row is marked
        assert line(table, 0).startswith(" unit ")  # the header stays on top
        table.clear(columns=True)
        assert table.row_count == 0
