"""The footer (tutor.screens.footer): one widget that draws the keys as Textual's Footer does, its width rule, and
its keys under the mouse (Pilot).

Its drawing was compared cell by cell (text and style) with Textual's Footer on 13 screens at 8 sizes: the same
everywhere. The snapshots of every screen hold that; these tests hold the rule and the mouse.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.app_support import footer_keys, make_app, open_page, settle, test_lessons  # noqa: F401 (a fixture)
from tutor.screens.footer import Key, KeysFooter, Unit, extent, lay_out, palette_width, unit_boxes

APP_LESSONS = pytest.mark.usefixtures("test_lessons")


def key(display: str, description: str = "", action: str | None = None) -> Key:
    return Key(display, display, description, action or display)


def text(boxes) -> str:
    """The boxes side by side, as drawn (margins collapsed), for reading a layout in a test."""
    out = " " * (boxes[0].left if boxes else 0)
    for n, box in enumerate(boxes):
        if n:
            out += " " * max(boxes[n - 1].right, box.left)
        out += "".join(piece.text for piece in box.pieces)
    return out


OPEN, HELP, QUIT = Unit((key("⏎", "Open"),)), Unit((key("?", "Help"),)), Unit((key("q", "Quit"),))
STEP = Unit((key("←"), key("→")), "Step", tight=True)
END = Unit((key("f", action="end_f"), key("b", action="end_b"), key("u", action="end_u")), "To end")
TEXT, VALUES = Unit((key("t", "Text"),)), Unit((key("v", "Values"),))
PALETTE = key("^p", "palette")


def test_keys_are_spaced_as_textuals_footer_spaces_them():
    """A key: padded, its description after; a tight group: its keys together after a space, then its label;
    another group: a space around each key. Closed up: no padding, one space after each key."""
    assert text(unit_boxes(OPEN, False)) == " ⏎ Open "
    assert text(unit_boxes(OPEN, True)) == "⏎ Open"
    assert text(unit_boxes(STEP, False)) == " ←→ Step"
    assert text(unit_boxes(END, False)) == " f b u To end"
    spaced = [box for unit in (STEP, END, OPEN) for box in unit_boxes(unit, False)]
    assert text(spaced) == " ←→ Step  f b u To end  ⏎ Open "
    assert extent(spaced) == cell_len(text(spaced))  # the last box's own right margin is none here
    closed = [box for unit in (STEP, OPEN, QUIT) for box in unit_boxes(unit, True)]
    assert text(closed) == " ←→ Step ⏎ Open q Quit" and extent(closed) == cell_len(text(closed)) + 1
    assert palette_width(PALETTE, False) == len("▏^p palette ")


def test_the_width_rule_leaves_out_optional_keys_then_labels_then_the_last_resort():
    units = (STEP, END, TEXT, VALUES, HELP, QUIT)
    optional, last = frozenset({"t", "v"}), frozenset({"end_f", "end_b", "end_u"})

    def shown(width: int, palette=None) -> str:
        layout = lay_out(units, units, palette, width, optional, last)
        return text(list(layout.boxes))

    everything = " ←→ Step  f b u To end  t Text  v Values  ? Help  q Quit "
    assert shown(120) == everything and shown(len(everything)) == everything
    assert shown(len(everything) - 1) == " ←→ Step  f b u To end  t Text  ? Help  q Quit "  # the last optional first
    assert shown(46) == " ←→ Step  f b u To end  ? Help  q Quit "
    assert shown(38) == " ←→ Step  f b u To end ? Help q Quit"  # closed up: each still fits
    assert shown(32) == " ←→  f b u To end ? Help q Quit"  # then the labels, last first (the last resort's last)
    assert shown(24) == " ←→ ? Help q Quit"  # then the last resort: help and quit stay
    # the palette hint shows from 100 columns where every key fits beside it
    assert lay_out(units, units, PALETTE, 120, optional, last).palette == PALETTE
    assert lay_out(units, units, PALETTE, 99, optional, last).palette is None
    assert lay_out(units, units, PALETTE, 100, optional, last).palette == PALETTE
    assert lay_out(units * 2, units * 2, PALETTE, 110, optional, last).palette is None  # too many keys beside it


def test_the_spacing_follows_every_key_shown_lately_not_only_those_shown_now():
    """Keys taken for a while (the answer box takes those that type) leave the others spaced as they were."""
    units, optional = (STEP, END, TEXT, HELP, QUIT), frozenset({"t"})
    narrow = lay_out(units, units, None, 38, optional)
    assert narrow.compact
    assert lay_out((TEXT,), units, None, 38, optional).compact  # as before, though "t Text" alone would fit spaced
    assert not lay_out((TEXT,), (TEXT,), None, 38, optional).compact


@APP_LESSONS
async def test_a_click_on_a_key_presses_it_and_the_key_under_the_mouse_is_lit():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "trace")
        footer = app.screen.query_one(KeysFooter)
        spans = {f"{k.display} {k.description}".strip(): (start, end) for start, end, k in footer._spans}
        start, end = spans["→"]
        before = footer.render_line(0)
        await pilot.hover(KeysFooter, offset=(start, 0))
        lit = footer.render_line(0)
        assert footer._lit.display == "→" and footer.tooltip
        assert lit.crop(start, end).text == before.crop(start, end).text == "→"
        assert lit.crop(start, end) != before.crop(start, end)  # lit: the hover colours
        assert lit.crop(end + 1, end + 5) == before.crop(end + 1, end + 5)  # its neighbours are not
        position = view.player.position
        await pilot.click(KeysFooter, offset=(start, 0))
        assert await settle(pilot, lambda: view.player.position == position + 1)
        await pilot.hover(KeysFooter, offset=(spans["? Help"][0] + 1, 0))
        assert footer._lit.display == "?"
        await pilot.click(KeysFooter, offset=(spans["? Help"][0] + 1, 0))
        assert await settle(pilot, lambda: type(app.screen).__name__ == "HelpScreen")


@APP_LESSONS
async def test_a_resize_lays_the_keys_out_for_the_new_width():
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_page(pilot, "xor")
        wide = footer_keys(app.screen)
        assert {"t Text", "v Values", "? Help", "q Quit", "^p palette"} <= set(wide)
        await pilot.resize_terminal(70, 24)
        assert await settle(pilot, lambda: footer_keys(app.screen) != wide)
        narrow = footer_keys(app.screen)
        footer = app.screen.query_one(KeysFooter)
        assert footer.compact and "? Help" in narrow and "q Quit" in narrow and "t Text" not in narrow
        assert footer.render_line(0).cell_length == 70
