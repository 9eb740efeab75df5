"""What every panel of the learning lab shares: its own copy of the network, drawn from while the
page's network trains in a worker thread, and redraws at most every REDRAW_EVERY seconds."""

from __future__ import annotations

import time

import numpy as np
from rich.text import Text
from textual.widget import Widget

from engine.network import Network

REDRAW_EVERY = 0.25  # seconds between two drawings while training


def copy_weights(target: Network, source: Network) -> None:
    """Set `target`'s weights to `source`'s, in place."""
    for key, value in source.params.items():
        np.copyto(target.params[key], value)


class LivePanel(Widget):
    """A picture of the network's current weights, computed at the panel's size when it is drawn."""

    def __init__(self, net: Network, *, id: str | None = None):
        super().__init__(id=id)
        self.net = net.copy()  # drawn from; the page's own network may be training in a worker thread
        self.names: dict[str, str] = {}  # unit label -> the function the analysis reads ("x2 AND NOT x1")
        self.version = 0  # counts weight changes, so that a picture is computed once per change and size
        self._drawn: tuple | None = None
        self._picture: Text = Text()
        self._last = 0.0
        self._pending = False

    def show(self, net: Network, functions: list[str], now: bool = False) -> None:
        """Take the network's current weights and the analysis's names; redraw now or within REDRAW_EVERY."""
        copy_weights(self.net, net)
        self.names = dict(name.split(" ≈ ", 1) for name in functions if " ≈ " in name)
        self.version += 1
        wait = self._last + REDRAW_EVERY - time.monotonic()
        if now or wait <= 0:
            self._redraw()
        elif not self._pending:
            self._pending = True
            self.set_timer(wait, self._redraw)

    def _redraw(self) -> None:
        self._pending = False
        self._last = time.monotonic()
        self.refresh()

    def render(self) -> Text:
        key = (self.version, self.size.width, self.size.height, self.app.no_color)
        if key != self._drawn:
            width, height = self.size
            self._picture = fit(self.picture(width, height, color=not self.app.no_color), width)
            self._drawn = key
        return self._picture

    def picture(self, width: int, height: int, color: bool = True) -> Text:
        """The panel's drawing at this size (a one-line note when it does not fit)."""
        raise NotImplementedError


def fit(text: Text, width: int) -> Text:
    """Every line of `text` cut to `width` columns (an ellipsis marks a cut), so a drawing never wraps."""
    lines = text.split("\n", allow_blank=True)
    for line in lines:
        if line.cell_len > width:
            line.truncate(width, overflow="ellipsis")
    return Text("\n", no_wrap=True).join(lines)
