"""Issue 18: the footer keeps "? Help" and "q Quit" in view at 80 columns, on pages with pattern keys too (Pilot)."""

from __future__ import annotations

import pytest

from tests.app_support import make_app, open_page, settle, test_lessons  # noqa: F401 (test_lessons is a fixture)
from tests.test_issue18_page import footer_keys
from tutor.screens.footer import extent

APP_LESSONS = pytest.mark.usefixtures("test_lessons")


async def _footer_after_opening(pilot, page: str) -> list[str]:
    await open_page(pilot, page)
    await settle(pilot, lambda: "? Help" in footer_keys(pilot.app), tries=40)
    for _ in range(4):  # the width rule may take a frame or two (measure, then leave keys out)
        await pilot.pause()
    return footer_keys(pilot.app)


@APP_LESSONS
@pytest.mark.parametrize("width", [60, 70, 80, 90])
async def test_help_and_quit_always_show_on_a_page_with_pattern_keys(width):
    """At 80 columns the XOR page's footer ran to column 88: "q Quit" was cut off. Help, quit, the page keys
    and the pattern key the lesson's text names ("press p for the next one") must all be in view."""
    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        keys = await _footer_after_opening(pilot, "xor")
        assert "? Help" in keys and "q Quit" in keys, keys
        assert "p" in keys and "pgdn" in keys and "→" in keys, keys
        footer = app.screen.query_one("KeysFooter")
        assert extent(list(footer.layout_now.boxes)) <= footer.size.width  # nothing cut off at the right edge


@APP_LESSONS
async def test_the_footer_spreads_out_again_when_the_terminal_widens():
    """The compact spacing is a last resort: back at 160 columns every key shows, spaced as usual."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _footer_after_opening(pilot, "xor")
        await pilot.resize_terminal(160, 48)
        await settle(pilot, lambda: "g Check" in footer_keys(app), tries=40)
        await pilot.pause()
        keys = footer_keys(app)
        assert {"t Text", "v Values", "c View", "g Check", "? Help", "q Quit"} <= set(keys), keys
        assert not app.screen.query_one("KeysFooter").compact
