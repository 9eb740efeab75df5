"""A harness for the lesson-player widgets: one network file, stepped term by term.

    python -m tests.demo lessons/networks/two_two_two.toml [--focus 'hidden[0][0]'] [--pattern K]

→/l step, ←/h back, f/b/u end of the forward pass / backward pass / update, r reset,
p next pattern, c compact view on/off, v values table on/off, q quit.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer

from engine.kinds import build_trace
from engine.netfile import load_network
from engine.network import Network
from tutor.player import TracePlayer
from tutor.widgets.diagram import NetworkDiagram
from tutor.widgets.equation import EquationPanel
from tutor.widgets.values import ValuesTable


class DiagramDemo(App):
    """Diagram, equation panel and values table over one network's trace."""

    CSS_PATH = "demo.tcss"
    TITLE = "bptutor widgets"
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (30, "-tall")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,l", "step", "Step", id="demo.step"),
        Binding("left,h", "back", "Back", id="demo.back"),
        Binding("f", "to_end('forward')", "Forward", id="demo.forward"),
        Binding("b", "to_end('backward')", "Backward", id="demo.backward"),
        Binding("u", "to_end('update')", "Update", id="demo.update"),
        Binding("r", "reset", "Reset", id="demo.reset"),
        Binding("p", "next_pattern", "Pattern", id="demo.pattern"),
        Binding("c", "toggle_compact", "Compact", id="demo.compact"),
        Binding("v", "toggle_values", "Values", id="demo.values"),
        Binding("q", "quit", "Quit", id="demo.quit"),
    ]

    def __init__(self, network: str | Path | Network, focus: str | None = None, pattern: int = 0):
        super().__init__()
        self.net = network if isinstance(network, Network) else load_network(str(network))
        self.focus_weight = focus
        self.pattern = pattern
        self.player = TracePlayer(build_trace(self.net, pattern), focus=focus)

    def compose(self) -> ComposeResult:
        yield NetworkDiagram(self.player, id="diagram")
        yield EquationPanel(id="equation")
        yield ValuesTable(id="values")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ValuesTable).border_title = "values"
        self.query_one(NetworkDiagram).focus()
        self.refresh_widgets()

    def refresh_widgets(self) -> None:
        """Show the player's position in every widget."""
        self.query_one(NetworkDiagram).show(self.player)
        self.query_one(EquationPanel).show(self.player)
        self.query_one(ValuesTable).show(self.player)

    def action_step(self) -> None:
        if self.player.step():
            self.refresh_widgets()

    def action_back(self) -> None:
        if self.player.back():
            self.refresh_widgets()

    def action_to_end(self, phase: str) -> None:
        self.player.to_end_of(phase)
        self.refresh_widgets()

    def action_reset(self) -> None:
        self.player.reset()
        self.refresh_widgets()

    def action_next_pattern(self) -> None:
        count = len(self.net.inputs)
        self.pattern = (self.pattern + 1) % max(count, 1)
        self.player = TracePlayer(build_trace(self.net, self.pattern), focus=self.focus_weight)
        self.refresh_widgets()

    def action_toggle_compact(self) -> None:
        diagram = self.query_one(NetworkDiagram)
        diagram.compact = diagram.mode != "compact"

    def action_toggle_values(self) -> None:
        self.screen.toggle_class("-values-toggled")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.demo", description=__doc__.splitlines()[0])
    parser.add_argument("network", help="a network file (TOML)")
    parser.add_argument("--focus", help="a weight whose chain rule to step through, e.g. 'hidden[0][0]'")
    parser.add_argument("--pattern", type=int, default=0)
    args = parser.parse_args(argv)
    DiagramDemo(args.network, focus=args.focus, pattern=args.pattern).run()


if __name__ == "__main__":
    main()
