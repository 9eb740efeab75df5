"""What the lesson-player widgets look like on the real trace page (SVG snapshots; plain `def` tests).

Each test opens a page of tests/data/widgets.toml in the app (a trace page without text: the diagram,
the equation panel and the values table) and steps it to just after a term, as the step keys do.

Update after a deliberate change with `pytest tests/test_widget_snapshots.py --snapshot-update`
and look at the new SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path

from tests.app_support import make_app

LESSON = Path(__file__).parent / "data" / "widgets.toml"
PAGE = {"two_two_two": 0, "two_two_two_chain": 1, "one_hidden_unit": 2, "encoder_424": 3, "letters": 4}


def at(page: str, term_id: str | None = None, *keys: str):
    """A run_before that opens a page of the widgets lesson, steps to just after a term and presses `keys`."""

    async def run_before(pilot) -> None:
        app = pilot.app
        app.open_lesson("widgets", PAGE[page])
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        assert view.page.title == app.lesson("widgets").pages[PAGE[page]].title
        if term_id is not None:
            view.action_step(view.player.index(term_id) + 1 - view.player.position)  # the step key's action
            assert view.player.current.id == term_id
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


def widgets_app():
    return make_app(lesson_dirs=[LESSON])


def test_two_two_two_forward_step(snap_compare):
    """a_h1 just computed, at 80×24: the whole network unit by unit, h1 lit."""
    assert snap_compare(widgets_app(), terminal_size=(80, 24), run_before=at("two_two_two", "a.hidden.0"))


def test_two_two_two_backward_with_chain(snap_compare):
    """The third factor of ∂E/∂w_i1,h1's first path: the chain path lit, the factor in the product, and
    the table of values with the first ∂E/∂w (at 160×48: from 150 columns the page shows the table)."""
    run_before = at("two_two_two_chain", "chain.hidden[0][0].1.3")
    assert snap_compare(widgets_app(), terminal_size=(160, 48), run_before=run_before)


def test_one_hidden_unit_chain(snap_compare):
    """The lecture's network at its fourth chain factor, ∂a_hid/∂n_hid."""
    run_before = at("one_hidden_unit", "chain.hidden[0][0].1.4")
    assert snap_compare(widgets_app(), terminal_size=(80, 24), run_before=run_before)


def test_encoder_424(snap_compare):
    """The 4-2-4 encoder after its forward pass, at 160×48."""
    assert snap_compare(widgets_app(), terminal_size=(160, 48), run_before=at("encoder_424", "E"))


def test_compact_cells(snap_compare):
    """The 6-20-6 network as rows of cells, at 80×24, during the backward pass."""
    assert snap_compare(widgets_app(), terminal_size=(80, 24), run_before=at("letters", "dE/dn.hidden.3"))


def test_too_small(snap_compare):
    """A trace page at 40×12: the screen says how big it is and how big it needs to be."""
    assert snap_compare(widgets_app(), terminal_size=(40, 12), run_before=at("two_two_two"))
