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
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from engine.numbers import fmt


@dataclass(frozen=True)
class Choice:
    """A weight the box can pick: its connection id, the table's name for it, its value now and the lesson's."""

    weight: str
    symbol: str
    value: float
    lesson: float


class WhatIfInput(Input):
    """The value line: ↑↓ pick another weight, escape closes the box."""

    BINDINGS: ClassVar = [
        Binding("up", "pick(-1)", "Previous weight", priority=True, id="what_if.previous"),
        Binding("down", "pick(1)", "Next weight", priority=True, id="what_if.next"),
        Binding("escape", "close", "Close", priority=True, id="what_if.close"),
    ]

    def action_pick(self, by: int) -> None:
        self.query_ancestor(WhatIfBox).pick(by)

    def action_close(self) -> None:
        self.query_ancestor(WhatIfBox).close()


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
        with Horizontal(id="what-if-row"):  # one line: short terminals keep their diagram
            yield Static(id="what-if-ask")
            yield WhatIfInput(placeholder="a number, or name = number", id="what-if-value")
        yield Static(id="what-if-verdict")

    def on_mount(self) -> None:
        self.display = False
        self.border_title = "what-if"
        self.border_subtitle = "↑↓ another weight · enter recompute · esc close"
        self.query_one("#what-if-verdict").display = False

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
        was = f", the lesson's {fmt(choice.lesson)}" if choice.lesson != choice.value else ""
        ask.append(f" (now {fmt(choice.value)}{was}) to ", style="bold")
        self.query_one("#what-if-ask", Static).update(ask)

    def refuse(self, message: str) -> None:
        """What form is expected, on a line of its own; the text stays in the box, to be corrected."""
        verdict = self.query_one("#what-if-verdict", Static)
        verdict.update(Text(message, style="red"))
        verdict.display = True
        self.add_class("-wrong")

    def taken(self) -> None:
        """The value was set (the top line and the ask say so): an empty line for the next one."""
        self.query_one("#what-if-verdict", Static).display = False
        self.remove_class("-wrong")
        self.query_one(WhatIfInput).value = ""

    def close(self) -> None:
        self.display = False
        self.query_one("#what-if-verdict", Static).display = False
        self.set_class(False, "-wrong")
        self.post_message(self.Closed(self))

    @on(Input.Submitted, "#what-if-value")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.value, self.picked))
