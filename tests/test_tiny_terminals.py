"""Issue 17 item 10: below the smallest usable size every screen shows only the "too small" message.

Whatever the screen (home, each kind of lesson page, quiz mode, help), started that small or resized
down to it while stepping, nothing raises, the message is there and nothing else is laid out, and
the keys come back when the terminal grows again.
"""

from __future__ import annotations

import pytest

from tests.app_support import PAGE, make_app, open_page, settle, test_lessons  # noqa: F401 (fixture)
from tutor.screens.common import MIN_HEIGHT, MIN_WIDTH

pytestmark = pytest.mark.usefixtures("test_lessons")

TINY = [(1, 1), (5, 5), (10, 10), (11, 3), (MIN_WIDTH - 1, MIN_HEIGHT - 1)]
# Started that small: the extremes (one cell; wide but too short; one column and row short). Every size of TINY is
# also reached by resizing on every screen (RESIZES), where the same message must stand alone.
STARTED = [(1, 1), (11, 3), (MIN_WIDTH - 1, MIN_HEIGHT - 1)]
# Down and up again while stepping: each tiny size, between them usable ones (one column or row short too).
RESIZES = [(59, 17), (120, 36), (10, 10), (1, 1), (MIN_WIDTH, MIN_HEIGHT), (11, 3), (5, 5), (MIN_WIDTH - 1, 40)]
SCREENS = ["home", "help", "quiz mode", *PAGE]


async def _open(pilot, where: str) -> None:
    app = pilot.app
    if where == "home":
        pass
    elif where == "help":
        app.action_help()
    elif where == "quiz mode":
        app.open_quiz("basics")
    else:
        app.open_lesson("basics", PAGE[where])
    await pilot.pause()
    await pilot.pause()


def _only_the_message(app) -> None:
    screen = app.screen
    assert screen.too_small
    message = screen.query_one("TooSmall")
    assert message.display and message.region.area > 0
    shown = [child for child in screen.children if child.display and child is not message]
    assert shown == [], f"{type(screen).__name__} lays out {shown} behind the message"
    assert f"{app.size.width}×{app.size.height}" in str(message.render())


def test_every_tiny_size_is_reached_on_every_screen():
    """The sizes left out of STARTED are still checked on every screen, by resizing to them."""
    assert set(STARTED) <= set(TINY) <= set(RESIZES)


@pytest.mark.parametrize("size", STARTED, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("where", SCREENS)
async def test_started_too_small(where, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await _open(pilot, where)
        await pilot.pause()
        _only_the_message(app)
        await pilot.press("right", "down", "enter", "space", "question_mark", "escape")
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        await pilot.pause()
        assert not app.screen.too_small
        assert not app.screen.query_one("TooSmall").display


@pytest.mark.parametrize("where", SCREENS)
async def test_resized_down_and_up_while_stepping(where):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _open(pilot, where)
        screen = app.screen
        for size in RESIZES:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press("right", "down")
            await pilot.pause()
            if size[0] < MIN_WIDTH or size[1] < MIN_HEIGHT:
                _only_the_message(app)
            else:
                assert not screen.too_small
        assert app.screen is screen  # keys rested behind the message: nothing opened or closed
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        await pilot.pause()
        if where == "trace":
            view = screen.view
            before = view.player.position
            await pilot.press("right")
            assert view.player.position == before + 1  # the keyboard is back on the diagram
        elif where == "home":
            assert app.focused is screen.query_one("#lessons")
