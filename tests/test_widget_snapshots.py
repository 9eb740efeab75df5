"""What the lesson-player widgets look like (SVG snapshots of the development harness tests/demo.py; plain `def` tests).

Update after a deliberate change with `pytest tests/test_widget_snapshots.py --snapshot-update`
and look at the new SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path

from tests.demo import DiagramDemo

DATA = Path(__file__).parent / "data"


def at(term_id: str | None = None):
    """A run_before that turns animations off and puts the player just after a term."""

    async def run_before(pilot) -> None:
        app = pilot.app
        app.animation_level = "none"
        if term_id is not None:
            app.player.seek(app.player.index(term_id) + 1)
            app.refresh_widgets()
        await pilot.pause()

    return run_before


def test_two_two_two_forward_step(snap_compare, network_path):
    """a_h1 just computed, at 80×24: the whole network unit by unit, h1 lit."""
    app = DiagramDemo(network_path("two_two_two"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=at("a.hidden.0"))


def test_two_two_two_backward_with_chain(snap_compare, network_path):
    """The third factor of ∂E/∂w_i1,h1's first path: the chain path lit, the factor in the product."""
    app = DiagramDemo(network_path("two_two_two"), focus="hidden[0][0]")
    assert snap_compare(app, terminal_size=(120, 36), run_before=at("chain.hidden[0][0].1.3"))


def test_one_hidden_unit_chain(snap_compare, network_path):
    """The lecture's network at its fourth chain factor, ∂a_hid/∂n_hid."""
    app = DiagramDemo(network_path("one_hidden_unit"), focus="hidden[0][0]")
    assert snap_compare(app, terminal_size=(80, 24), run_before=at("chain.hidden[0][0].1.4"))


def test_encoder_424(snap_compare, network_path):
    """The 4-2-4 encoder after its forward pass, at 160×48."""
    app = DiagramDemo(network_path("encoder_424"))
    assert snap_compare(app, terminal_size=(160, 48), run_before=at("E"))


def test_compact_cells(snap_compare):
    """The 6-20-6 network as rows of cells, at 80×24, during the backward pass."""
    app = DiagramDemo(DATA / "letters_6_20_6.toml")
    assert snap_compare(app, terminal_size=(80, 24), run_before=at("dE/dn.hidden.3"))


def test_too_small(snap_compare, network_path):
    app = DiagramDemo(network_path("two_two_two"))
    assert snap_compare(app, terminal_size=(40, 12), run_before=at())
