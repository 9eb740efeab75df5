"""The gradient check (`g` on a trace page): every ∂E/∂w of the backward pass beside its finite difference.

A modal screen over the page: a verdict, then a table, one row per weight, named as the table of values
and the lessons name it. The check itself runs in a worker on the trace page (engine.gradcheck).
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
from textual.screen import ModalScreen
from textual.widgets import Static

from engine.gradcheck import GradCheck
from engine.network import Network
from engine.notation import Notation
from engine.numbers import fmt
from engine.trace import parse_connection, weight_symbol
from tutor.screens.common import KeysFooter, SizedScreen, TooSmall


def check_table(check: GradCheck, net: Network, notation: Notation) -> Group:
    """The verdict and the table: weight, backprop's ∂E/∂w, the finite difference and how far apart they are."""
    from engine.gradcheck import rows

    listed = rows(check)
    agree = check.ok()
    said = "Backprop is right" if agree else "Backprop and finite differences DISAGREE"
    verdict = Text.assemble(
        (said, "bold green" if agree else "bold red"),
        f": each of the {len(listed)} ∂E/∂w of the backward pass beside (E(w + h) − E(w − h)) / 2h, "
        f"h = {fmt(check.h)}. "
        f"The largest difference is {fmt(check.max_abs_error, 2)} ({fmt(check.max_rel_error, 2)} relative).",
    )
    table = Table(box=None, padding=(0, 1), header_style="bold")
    table.add_column("weight")
    table.add_column("backprop ∂E/∂w", justify="right")
    table.add_column("finite difference", justify="right")
    table.add_column("difference", justify="right")
    for weight, analytic, numeric in listed:
        key, index = parse_connection(weight)
        table.add_row(weight_symbol(net, notation, key, index), fmt(analytic), fmt(numeric), fmt(analytic - numeric, 2))
    return Group(verdict, Text(""), table)


class GradCheckScreen(SizedScreen, ModalScreen):
    """The check's table over the trace page; escape (or g) closes it."""

    CSS_PATH = Path(__file__).with_name("gradcheck.tcss")
    BINDINGS: ClassVar = [
        Binding("escape,g", "dismiss", "Close", id="gradcheck.close"),
        Binding("down,j", "scroll('down')", "Scroll down", show=False, id="gradcheck.down"),
        Binding("up,k", "scroll('up')", "Scroll up", show=False, id="gradcheck.up"),
    ]

    def __init__(self, check: GradCheck, net: Network, notation: Notation):
        super().__init__()
        self.check, self.net, self.notation = check, net, notation

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(check_table(self.check, self.net, self.notation), id="gradcheck")
        yield KeysFooter()
        yield TooSmall()

    def on_mount(self) -> None:
        box = self.query_one("#help")
        box.border_title = "Gradient check"
        box.border_subtitle = "escape closes"

    def action_scroll(self, where: str) -> None:
        box = self.query_one("#help", VerticalScroll)
        (box.scroll_down if where == "down" else box.scroll_up)(animate=False)

    def action_dismiss(self) -> None:
        self.dismiss()
