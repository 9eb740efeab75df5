"""Help (`?`): every key of the screen underneath, what each does, what its parts show, and the colours.

A class that binds keys names its group with `HELP_WHERE` ("On the diagram"); a widget that needs
explaining keeps its help beside it, in the Markdown file its `HELP_PATH` names (diagram.md beside
diagram.py), and the help screen shows the help of every such widget on the screen underneath.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tutor.screens.common import KeysFooter, SizedScreen, TooSmall

# Textual's default keys that mean nothing here: sideways scrolling of lists that never scroll sideways,
# and copying a selection. The tab keys are listed only where there is more than one place to go.
UNLISTED = frozenset({"scroll_left", "scroll_right", "page_left", "page_right", "screen.copy_text"})
FOCUS_ACTIONS = frozenset({"app.focus_next", "app.focus_previous"})


class HelpScreen(SizedScreen, ModalScreen):
    """Keys and colours, over the screen they are about; escape (or ?) closes it."""

    CSS_PATH = Path(__file__).with_name("help.tcss")  # absolute: subclasses may live elsewhere
    BINDINGS: ClassVar = [
        Binding("escape,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("down,j", "scroll('down')", "Scroll down", show=False, id="help.down"),
        Binding("up,k", "scroll('up')", "Scroll up", show=False, id="help.up"),
    ]

    def __init__(self, under: Screen):
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        from tutor.widgets.diagram import NetworkDiagram

        with VerticalScroll(id="help"):
            yield Static(self._keys(), id="help-keys")
            yield Static(self._components(), id="help-components")
            yield Static(id="help-colours")
        yield NetworkDiagram(id="probe")  # never shown: its styles are the colours the legend explains
        yield KeysFooter()
        yield TooSmall()

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Help"
        self.query_one("#help").border_subtitle = "escape closes"
        self.query_one("#help-colours", Static).update(self._colours())

    def action_scroll(self, where: str) -> None:
        box = self.query_one("#help", VerticalScroll)
        (box.scroll_down if where == "down" else box.scroll_up)(animate=False)

    def action_dismiss(self) -> None:
        self.dismiss()

    # -- keys -----------------------------------------------------------------------------------

    def _keys(self) -> Group:
        """The keys of the screen underneath, grouped by the part of it that handles them."""
        app = self.app
        groups: dict[str, dict[str, list]] = {}
        several = len(self.under.focus_chain) > 1
        for key, active in self.under.active_bindings.items():
            node, binding = active.node, active.binding
            if not binding.description or binding.system or binding.action == "command_palette":
                continue
            if binding.action in UNLISTED or (binding.action in FOCUS_ACTIONS and not several):
                continue
            where = "Everywhere" if node is app else getattr(node, "HELP_WHERE", "On this screen")
            entry = groups.setdefault(where, {}).setdefault(binding.action, [[], binding])
            entry[0].append(app.get_key_display(binding.with_key(key)))
        parts: list = []
        order = sorted(groups, key=lambda name: name == "Everywhere")  # the screen's own keys first
        for where in order:
            table = Table.grid(padding=(0, 2))
            table.add_column(style="bold cyan", no_wrap=True, min_width=12)
            table.add_column()
            for keys, binding in groups[where].values():
                table.add_row(" ".join(dict.fromkeys(keys)), binding.tooltip or binding.description)
            parts += [Text(where, style="bold underline"), table, Text("")]
        parts += [
            Text("Everywhere", style="bold underline") if "Everywhere" not in groups else Text(""),
            Text.assemble(("ctrl+p", "bold cyan"), "  the command palette: jump to any lesson or page, run any action"),
            Text(""),
        ]
        return Group(*parts)

    # -- the parts of the screen ---------------------------------------------------------------------

    def _components(self) -> Group:
        """The help Markdown beside each kind of widget on the screen underneath, once each, top to bottom."""
        from rich.markdown import Markdown

        paths = dict.fromkeys(type(node).HELP_PATH for node in self.under.query("*") if hasattr(node, "HELP_PATH"))
        return Group(*(Markdown(path.read_text(encoding="utf-8")) for path in paths))

    # -- colours --------------------------------------------------------------------------------

    def _colours(self) -> Group:
        from tutor.widgets import colors

        probe = self.query_one("#probe")

        def swatch(name: str) -> Text:
            return Text("  ", style=probe.get_component_rich_style(f"network-diagram--{name}"))

        scale = Text()
        for step in range(-colors.LEVELS, colors.LEVELS + 1):
            scale.append("█", style=colors.line_style(step))
        fills = Text()
        for step in (-colors.LEVELS, -colors.LEVELS // 2, 0, colors.LEVELS // 2, colors.LEVELS):
            fills.append(
                " 0.5 ", style=colors.fill_style(step) + probe.get_component_rich_style("network-diagram--unit")
            )
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, min_width=12)
        table.add_column()
        table.add_row(scale, "weights: blue negative, grey near zero, red positive; the stronger, the larger")
        table.add_row(fills, "units: their value on the same scale (activations forward, ∂E/∂n backward)")
        table.add_row(swatch("current"), "the term just computed: what it reads and what it writes")
        table.add_row(swatch("chain"), "the chain rule's path from the error down to the focus weight")
        table.add_row(Text("0.35′", style="bold"), "′ marks a weight whose new value w′ the update has computed")
        table.add_row(Text("·", style="bold"), "a value not computed yet")
        table.add_row(Text("t 1", style="italic"), "an output unit's target, under its value")
        table.add_row(Text("▁▃▅█", style="bold cyan"), "train pages: tss after each epoch; ┄ marks ecrit")
        return Group(Text("Colours and marks", style="bold underline"), table)
