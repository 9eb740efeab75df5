"""The learning lab's panels on a train page: which ones a network gets, one shown at a time.

A two-input feed-forward network gets its decision surface (surface.py); a network with one hidden
layer of two or three units, its hidden-unit space (hidden_space.py); a feed-forward network with
hidden units, their activations pattern by pattern (hidden_units.py); an Elman network, its hidden
states over time (hidden_states.py). The train view calls
`lab_panels` when it composes, `show_lab` whenever it draws what training measured, and
`next_lab` on its key for the next view.
"""

from __future__ import annotations

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


def lab_panels(net: Network, page) -> list[LivePanel]:
    """The panels that suit this network (none for most networks); the first one is shown."""
    panels: list[LivePanel] = []
    if surfaces.check_two_inputs(net) is None:
        span = getattr(page, "surface_span", None) or surfaces.DEFAULT_SPAN
        panels.append(SurfacePanel(net, span, id="surface"))
    if hidden_space.hidden_layer(net) is not None:
        panels.append(HiddenSpacePanel(net, id="hidden-space"))
    if not net.is_recurrent and len(net.layers) > 2:
        panels.append(HiddenUnitsPanel(net, id="hidden-units"))
    if net.is_recurrent and (net.test_stream is not None or net.sequences):
        panels.append(HiddenStatePanel(net, id="hidden-states"))
    for panel in panels[1:]:
        panel.add_class("-off")
    return panels


def show_lab(view: Widget, net: Network, analysis: Analysis) -> None:
    """Hand every lab panel in `view` the network's current weights and what the analysis found."""
    for panel in view.query(LivePanel):
        panel.show(net, analysis.functions)


def next_lab(view: Widget) -> LivePanel | None:
    """Show the next lab panel in `view` in place of the current one; None when there is no other."""
    panels = list(view.query(LivePanel))
    if len(panels) < 2:
        return None
    now = next((k for k, panel in enumerate(panels) if not panel.has_class("-off")), 0)
    shown = panels[(now + 1) % len(panels)]
    panels[now].add_class("-off")
    shown.remove_class("-off")
    return shown
