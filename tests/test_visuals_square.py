"""Issue 18, lesson 1's square: the four input pairs as corners, marked by their targets, and each unit's line
(engine/square.py, tutor/widgets/square.py, the `square` page kind)."""

from __future__ import annotations

import numpy as np
import pytest

from engine import square
from engine.netfile import load_network
from engine.tomlfile import read_toml
from tests.app_support import make_app, settle
from tests.conftest import ROOT
from tutor.lessons.validate import check_lesson
from tutor.widgets.square import SquareFigure, picture, plot

NETWORKS = ROOT / "lessons" / "networks"
CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)


def test_or_and_give_one_square_each_whose_line_splits_the_units_own_targets():
    found = square.squares(load_network(NETWORKS / "or_and.toml"))
    assert [s.title for s in found] == ["OR", "AND"]
    (or_line,), (and_line,) = found[0].lines, found[1].lines
    assert (or_line.w1, or_line.w2, or_line.bias) == (1.0, 1.0, -0.5)  # u(x1 + x2 − 0.5)
    assert (and_line.w1, and_line.w2, and_line.bias) == (1.0, 1.0, -1.5)  # u(x1 + x2 − 1.5)
    # by hand: n_OR at 00, 01, 10, 11 is −0.5, 0.5, 0.5, 1.5; n_AND is −1.5, −0.5, −0.5, 0.5
    assert or_line.net_input(CORNERS[:, 0], CORNERS[:, 1]).tolist() == [-0.5, 0.5, 0.5, 1.5]
    assert and_line.net_input(CORNERS[:, 0], CORNERS[:, 1]).tolist() == [-1.5, -0.5, -0.5, 0.5]
    for s in found:
        assert s.inputs.tolist() == CORNERS.tolist()
        (line,) = s.lines
        assert line.says_one(s.inputs[:, 0], s.inputs[:, 1]).tolist() == s.ones.tolist()  # one line splits them
    assert found[0].ones.tolist() == [False, True, True, True]
    assert found[1].ones.tolist() == [False, False, False, True]


def test_xor_gets_one_square_with_both_hidden_lines_and_only_the_band_between_them_holds_its_ones():
    (xor,) = square.squares(load_network(NETWORKS / "xor_step.toml"))
    assert xor.title == "y" and [line.label for line in xor.lines] == ["OR", "AND"]
    assert xor.ones.tolist() == [False, True, True, False]
    x1, x2 = xor.inputs[:, 0], xor.inputs[:, 1]
    or_says, and_says = (line.says_one(x1, x2) for line in xor.lines)
    for says in (or_says, and_says):  # neither line alone splits XOR's 1s from its 0s
        assert says.tolist() != xor.ones.tolist() and (~says).tolist() != xor.ones.tolist()
    assert (or_says & ~and_says).tolist() == xor.ones.tolist()  # between the two lines: exactly the 1s


def test_a_network_the_square_cannot_show_says_why():
    assert "two inputs" in square.why_not(load_network(NETWORKS / "encoder_424.toml"))
    assert square.why_not(load_network(NETWORKS / "xor.toml")) is None
    with pytest.raises(ValueError):
        square.squares(load_network(NETWORKS / "encoder_424.toml"))


def _cells(lines) -> list[str]:
    return [line.plain for line in lines]


def test_the_drawn_or_line_passes_between_00_and_the_three_corners_that_say_1():
    """20 × 10 cells over −0.5..1.5: x = 0 is column 5 and x = 1 column 15; y = 0 is row 7 and y = 1 row 2."""
    found = square.squares(load_network(NETWORKS / "or_and.toml"))
    rows = _cells(plot(found[0], 20, 10, color=False))
    grid = [row[6:] for row in rows[:10]]  # past the axis labels
    assert grid[7][5] == "○" and grid[7][15] == "●" and grid[2][5] == "●" and grid[2][15] == "●"
    on_row_0 = [c for c, ch in enumerate(grid[7]) if ch == "·"]
    assert on_row_0 and all(5 < c < 15 for c in on_row_0)  # between 00 and 10, where x1 + x2 = 0.5: x1 = 0.5
    assert "·" not in grid[2][5:16]  # on the row of 01 and 11 the line is left of both: both say 1
    for r, row in enumerate(grid):  # every line cell lies within a cell of x1 + x2 = 0.5
        for c, ch in enumerate(row):
            if ch == "·":
                x, y = -0.5 + (c + 0.5) * 0.1, 1.5 - (r + 0.5) * 0.2
                assert abs(x + y - 0.5) <= 0.1 / 2 + 0.2 / 2 + 1e-9, (r, c)


def test_the_picture_draws_the_two_lines_of_xor_in_one_square_with_a_key():
    found = square.squares(load_network(NETWORKS / "xor_step.toml"))
    text = picture(found, 40, 24, color=False).plain
    assert text.splitlines()[0] == "targets of y; lines of OR, AND"
    assert text.count("●") == 3 and text.count("○") == 3  # two 1s and two 0s, and the key's ● and ○
    assert "··· OR: n = 0" in text and "××× AND: n = 0" in text and "tint: how many units say 1" in text
    assert "The input square needs a larger window." in picture(found, 20, 8, color=False).plain


def test_or_and_squares_sit_side_by_side_when_that_draws_them_larger():
    found = square.squares(load_network(NETWORKS / "or_and.toml"))
    wide = picture(found, 64, 20, color=False).plain.splitlines()
    assert "OR over (x1, x2)" in wide[0] and "AND over (x1, x2)" in wide[0]
    tall = picture(found, 34, 30, color=False).plain.splitlines()
    assert tall[0].startswith("OR over") and any(line.startswith("AND over") for line in tall[1:])


LESSON = '[lesson]\nid = "sq"\ntitle = "S"\nsummary = "S"\n\n[[pages]]\nkind = "square"\ntitle = "T"\ntext = "x"\n{}\n'


def test_a_square_page_with_a_network_it_cannot_draw_names_the_file_and_line(tmp_path):
    path = tmp_path / "sq.toml"
    path.write_text(LESSON.format('network = "encoder_424.toml"'))
    problems = check_lesson(path, *read_toml(path))
    assert [(p.file, p.line) for p in problems] == [(str(path), 10)]
    assert "a square page cannot draw this network" in problems[0].message and "two inputs" in problems[0].message
    path.write_text(LESSON.format(""))
    problems = check_lesson(path, *read_toml(path))
    assert [p.line for p in problems] == [6] and "network" in problems[0].message
    path.write_text(LESSON.format('network = "or_and.toml"'))
    assert check_lesson(path, *read_toml(path)) == []


async def test_lesson_1_shows_the_square_beside_its_text_and_the_xor_page_shows_both_lines():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lesson = app.lesson("hidden-units")
        page = next(p for p in lesson.pages if p.title == "OR and AND are one unit each")
        assert page.kind == "square"
        app.open_lesson("hidden-units", page.index)
        assert await settle(pilot, lambda: bool(app.screen.query(SquareFigure)))
        await pilot.pause()
        figure = app.screen.query_one(SquareFigure)
        drawn = "\n".join(strip.text for strip in figure.render_lines(figure.region.reset_offset))
        assert "OR over (x1, x2)" in drawn and "AND over (x1, x2)" in drawn and "○00" in drawn
        assert figure.region.width >= 30 and app.screen.query_one("#text").region.width >= 40
        await pilot.press("pagedown", "pagedown")  # past the trace page of OR and AND, to XOR
        assert await settle(pilot, lambda: app.screen.page_index == page.index + 2)
        assert await settle(pilot, lambda: bool(app.screen.query(SquareFigure)))
        await pilot.pause()
        figure = app.screen.query_one(SquareFigure)
        drawn = "\n".join(strip.text for strip in figure.render_lines(figure.region.reset_offset))
        assert "targets of y; lines of OR, AND" in drawn and "××× AND: n = 0" in drawn
        assert app.progress.pages_done("hidden-units") == [page.index]  # a page to read is done once left


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_snapshot_lesson_1_xor_square(snap_compare, size):
    async def run_before(pilot) -> None:
        lesson = pilot.app.lesson("hidden-units")
        page = next(p for p in lesson.pages if p.title == "XOR: no single line will do")
        pilot.app.open_lesson("hidden-units", page.index)
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
