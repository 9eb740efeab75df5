"""The learning lab's panels on a train page: which ones a network gets, one shown at a time.

A two-input feed-forward network gets its decision surface (surface.py); a network with one hidden
layer of two or three units, its hidden-unit space (hidden_space.py); a feed-forward network with
hidden units, their activations pattern by pattern (hidden_units.py); an Elman network, its hidden
states over time (hidden_states.py). The train view calls
`lab_makers` once, mounts the first panel with the page (`lab_panels`), calls `show_lab` whenever
it draws what training measured, and `next_lab` on its key for the next view: a panel is made
the first time `l` shows it, so that opening a page styles and lays out one panel, not three.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from engine import hidden_space
from engine import surface as surfaces
from engine.kinds import Analysis
from engine.network import Network
from tutor.widgets.hidden_space import HiddenSpacePanel
from tutor.widgets.hidden_states import HiddenStatePanel
from tutor.widgets.hidden_units import HiddenUnitsPanel
from tutor.widgets.live_panel import LivePanel
from tutor.widgets.surface import SurfacePanel

PanelMaker = Callable[[Network], LivePanel]


def lab_makers(net: Network, page) -> list[PanelMaker]:
    """What makes each panel that suits this network (none for most networks), in the order `l` shows them."""
    makers: list[PanelMaker] = []
    if surfaces.check_two_inputs(net) is None:
        span = getattr(page, "surface_span", None) or surfaces.DEFAULT_SPAN
        makers.append(lambda net: SurfacePanel(net, span, id="surface"))
    if hidden_space.hidden_layer(net) is not None:
        makers.append(lambda net: HiddenSpacePanel(net, id="hidden-space"))
    if not net.is_recurrent and len(net.layers) > 2:
        makers.append(lambda net: HiddenUnitsPanel(net, id="hidden-units"))
    if net.is_recurrent and (net.test_stream is not None or net.sequences):
        makers.append(lambda net: HiddenStatePanel(net, id="hidden-states"))
    return makers


def lab_panels(net: Network, makers: list[PanelMaker]) -> list[LivePanel]:
    """The panels a page opens with: the first one (shown), or none; `next_lab` makes the others."""
    return [make(net) for make in makers[:1]]


def show_lab(view: Widget, net: Network, analysis: Analysis) -> None:
    """Hand every lab panel in `view` the network's current weights and what the analysis found."""
    for panel in view.query(LivePanel):
        panel.show(net, analysis.functions)


async def next_lab(view: Widget, makers: list[PanelMaker], net: Network, analysis: Analysis) -> LivePanel | None:
    """Show the next lab panel in `view` in place of the current one, made and mounted beside it the first time
    (drawn from `net` and `analysis`); None when there is no other."""
    if len(makers) < 2:
        return None
    panels = list(view.query(LivePanel))  # the ones made so far, in the order of `makers`
    if not panels:
        return None
    now = next((k for k, panel in enumerate(panels) if not panel.has_class("-off")), 0)
    after = (now + 1) % len(makers)
    if after < len(panels):
        shown = panels[after]
    else:
        shown = makers[after](net)
        shown.add_class("-off")  # shown below, in the same frame as the current one goes
        await panels[-1].parent.mount(shown, after=panels[-1])
        shown.show(net, analysis.functions, now=True)
    panels[now].add_class("-off")
    shown.remove_class("-off")
    return shown
