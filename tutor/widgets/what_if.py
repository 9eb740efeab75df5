"""What-if: the box where the learner picks a weight of a trace page and types its new value.

↑↓ pick the weight (the table of values and the diagram show which; a click on a weight's row in the
table picks it too), or the learner types its name before the value ("w1 = 0.3"). Enter posts the text
to the page, which reads it (tutor/lessons/what_if.py) and recomputes the pass, or says what form is
expected; the box stays open for another value until escape.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from engine.numbers import fmt


@dataclass(frozen=True)
class Choice:
    """A weight the box can pick: its connection id, the table's name for it, and its value now."""

    weight: str
    symbol: str
    value: float


class WhatIfInput(Input):
    """The value line: ↑↓ pick another weight, escape closes the box."""

    BINDINGS: ClassVar = [
        Binding("up", "pick(-1)", "Previous weight", priority=True, id="what_if.previous"),
        Binding("down", "pick(1)", "Next weight", priority=True, id="what_if.next"),
        Binding("escape", "close", "Close", priority=True, id="what_if.close"),
    ]

    def action_pick(self, by: int) -> None:
        self.parent.pick(by)

    def action_close(self) -> None:
        self.parent.close()


class WhatIfBox(Vertical):
    """Posts Picked when another weight is picked, Submitted with the typed text, Closed on escape."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HELP_PATH = Path(__file__).with_suffix(".md")
    HELP_WHERE = "In the what-if box (setting a weight)"

    @dataclass
    class Picked(Message):
        box: WhatIfBox
        weight: str

    @dataclass
    class Submitted(Message):
        box: WhatIfBox
        text: str
        weight: str | None  # the weight picked, for a value typed alone

    @dataclass
    class Closed(Message):
        box: WhatIfBox

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices: list[Choice] = []
        self.at = 0

    def compose(self) -> ComposeResult:
        yield Static(id="what-if-ask")
        yield WhatIfInput(placeholder="a new value (or a weight's name = value): 0.3", id="what-if-value")
        yield Static(id="what-if-verdict")

    def on_mount(self) -> None:
        self.display = False

    @property
    def open(self) -> bool:
        return bool(self.display)

    @property
    def picked(self) -> str | None:
        return self.choices[self.at].weight if self.choices else None

    def ask(self, choices: list[Choice], weight: str | None) -> None:
        """Open the box (or refresh it, after a recompute) on `weight`, with the weights' values now."""
        self.choices = choices
        self.at = next((k for k, choice in enumerate(choices) if choice.weight == weight), 0)
        self._show_ask()
        self.display = True
        self.query_one(WhatIfInput).focus()
        self.post_message(self.Picked(self, self.picked))

    def pick(self, by: int) -> None:
        if self.choices:
            self.at = (self.at + by) % len(self.choices)
            self._show_ask()
            self.post_message(self.Picked(self, self.picked))

    def _show_ask(self) -> None:
        choice = self.choices[self.at]
        ask = Text("Set ", style="bold")
        ask.append(choice.symbol, style="bold reverse")
        ask.append(f" (now {fmt(choice.value)}) to", style="bold")
        ask.append("   ↑↓: another weight · enter: recompute · escape: close", style="dim")
        self.query_one("#what-if-ask", Static).update(ask)

    def say(self, message: str, wrong: bool) -> None:
        """The verdict line: what was recomputed, or (wrong) what form is expected; a wrong text stays."""
        self.query_one("#what-if-verdict", Static).update(Text(message, style="red" if wrong else "green"))
        self.set_class(wrong, "-wrong")
        if not wrong:
            self.query_one(WhatIfInput).value = ""

    def close(self) -> None:
        self.display = False
        self.query_one("#what-if-verdict", Static).update("")
        self.set_class(False, "-wrong")
        self.post_message(self.Closed(self))

    @on(Input.Submitted, "#what-if-value")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.value, self.picked))
