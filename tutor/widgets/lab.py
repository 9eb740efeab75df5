"""The learning lab's panels on a train page: which ones a network gets, and passing them its weights.

A two-input feed-forward network gets its decision surface (surface.py). The train view only calls
`lab_panels` when it composes and `show_lab` whenever it draws what training measured.
"""

from __future__ import annotations

from textual.widget import Widget

from engine import surface as surfaces
from engine.kinds import Analysis
from engine.network import Network
from tutor.widgets.surface import SurfacePanel


def lab_panels(net: Network, page) -> list[Widget]:
    """The panels that suit this network (none for most networks)."""
    panels: list[Widget] = []
    if surfaces.check_two_inputs(net) is None:
        span = getattr(page, "surface_span", None) or surfaces.DEFAULT_SPAN
        panels.append(SurfacePanel(net, span, id="surface"))
    return panels


def show_lab(view: Widget, net: Network, analysis: Analysis) -> None:
    """Hand every lab panel in `view` the network's current weights and what the analysis found."""
    for panel in view.query(SurfacePanel):
        panel.show(net, analysis.functions)
