"""What the app looks like: SVG snapshots (pytest-textual-snapshot) at fixed terminal sizes.

Deterministic: the test lessons (not the bundled ones, which change), no clock in the header, no
animations, no blinking cursor, textual pinned in pyproject.toml. Update with --snapshot-update
after looking at the new pictures.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.app_support import PAGE, make_app, page_opened, test_lessons  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("test_lessons")


def at_page(page: str, *keys: str):
    """A run_before that opens a page of the test lesson and presses keys."""

    async def run_before(pilot) -> None:
        pilot.app.open_lesson("basics", PAGE[page])
        await pilot.pause()
        await pilot.pause()
        await page_opened(pilot)
        for cursor in pilot.app.screen.query(Input):
            cursor.cursor_blink = False
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_home(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_home_wide(snap_compare):
    assert snap_compare(make_app(), terminal_size=(160, 48))


def test_text_page(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=at_page("text"))


def test_trace_page_forward_step(snap_compare):
    """One hidden unit, at a_hid: the first activation of the forward pass."""
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=at_page("trace", "right", "right"))


def test_trace_page_backward_step_with_the_chain(snap_compare):
    """The second factor of ∂E/∂w1's chain: the chain path lit, the values table beside the diagram."""
    keys = ["f"] + ["right"] * 10
    assert snap_compare(make_app(), terminal_size=(160, 48), run_before=at_page("trace", *keys))


def test_unroll_view(snap_compare):
    """The tiny SRN unrolled over its three steps, at the first term that carries error back in time."""
    keys = ["f"] + ["right"] * 16
    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=at_page("unroll", *keys))


def test_help(snap_compare):
    assert snap_compare(make_app(), terminal_size=(100, 40), run_before=at_page("xor", "question_mark"))


def test_too_small(snap_compare):
    """Below 60×18 every screen says how big it is and how big it needs to be."""
    assert snap_compare(make_app(), terminal_size=(50, 14))


def test_diagram_too_small_for_its_pane(snap_compare):
    """The 8-3-8 encoder at 60×18 with a long net input: the diagram's pane says what the views need."""
    assert snap_compare(make_app(), terminal_size=(60, 18), run_before=at_page("encoder", "right", "right"))


def test_trace_page_without_colour(snap_compare, monkeypatch):
    """NO_COLOR=1 (issue 16): greys only; the current term an inverted block, the chain path underlined."""
    monkeypatch.setenv("NO_COLOR", "1")
    keys = ["f"] + ["right"] * 10
    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=at_page("trace", *keys))


def test_trace_page_in_16_colours(snap_compare):
    """The ansi-dark theme, the terminal's own 16 colours (TERM=linux, xterm-16color)."""
    app = make_app()
    app.theme = "ansi-dark"
    keys = ["f"] + ["right"] * 10
    assert snap_compare(app, terminal_size=(120, 36), run_before=at_page("trace", *keys))
