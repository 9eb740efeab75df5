"""The hidden-units panel of a train page: every pattern's hidden activations, a row a pattern.

The numbers are the engine's forward pass over all the patterns (engine.hidden_space.hidden_activations),
coloured on the diagram's diverging scale (blue at the bottom of a unit's range, grey in the middle,
orange at the top). A saturated unit, near 0 or 1, has a slope of almost 0 and passes almost no error
back: the words at the end of each row name those units, so a learner sees, say, both hidden units
of a stuck XOR run saturate for (1, 0) and (1, 1).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.text import Text

from engine import hidden_space
from engine.numbers import MINUS, fmt
from tutor.widgets import colors
from tutor.widgets.hidden_space import input_label
from tutor.widgets.live_panel import LivePanel

CELL = 7  # columns a value takes: "0.9991" and a space
MARK = "*"  # after a saturated value, where the words do not fit


def value_text(value: float, bounded: bool) -> str:
    """A hidden activation as the table writes it: four decimals in a unit's range, else 4 digits."""
    if not np.isfinite(value):
        return fmt(value)
    return f"{value:.4f}".replace("-", MINUS) if bounded else fmt(value, 4)


def near(found: hidden_space.HiddenActivations, units: range, row: int) -> str:
    """The saturated units of one pattern in words: "h1 h2 near 1", "all near 0", "h1 near 0, h2 near 1"."""
    groups: dict[str, list[str]] = {}
    for u in units:
        side = int(found.saturated[row, u])
        if side:
            bound = found.bounds[u][0 if side < 0 else 1]
            groups.setdefault(fmt(bound), []).append(found.units[u])
    if len(groups) == 1 and len(units) > 1 and sum(map(len, groups.values())) == len(units):
        return f"{'both' if len(units) == 2 else 'all'} near {next(iter(groups))}"
    return ", ".join(f"{' '.join(names)} near {bound}" for bound, names in groups.items())


def key_lines(found: hidden_space.HiddenActivations, as_words: bool, width: int) -> list[str]:
    """The two lines under the table that say what saturated means, as long as the panel allows."""
    bounds = "near a bound" if any(span is not None and span[0] < 0 for span in found.bounds) else "near 0 or 1"
    what = f"{bounds}: saturated" if as_words else f"{MARK} saturated: {bounds}"
    for lines in (
        [f"{what}, the slope ≈ 0:", "almost no error gets back through it"],
        [what, "(slope ≈ 0)"],
        [f"{MARK} saturated: slope" if not as_words else "saturated: slope", f"≈ 0, {bounds}"],
    ):
        if max(map(len, lines)) <= width:
            break
    return lines


class HiddenUnitsPanel(LivePanel):
    """Each pattern's hidden activations, live while the network trains, with saturated units named."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    SCOPED_CSS = False  # its styles follow the screen's width classes (-narrow); Textual reads this per class
    HELP_PATH = Path(__file__).with_suffix(".md")

    def picture(self, width: int, height: int, color: bool = True) -> Text:
        found = hidden_space.hidden_activations(self.net)
        names = [input_label(row) for row in found.inputs]
        name_w = max(6, max(len(name) for name in names) + 1)
        units = range(min(len(found.units), max(0, (width - name_w) // CELL)))
        rows = min(
            len(names), height - (4 if any(span is not None for span in found.bounds) else 2)
        )  # title, heading, key
        if not units or rows < 1:
            return Text("The hidden units' table needs a larger window.", style="dim italic", no_wrap=True)
        words = [near(found, units, p) for p in range(rows)]
        room = width - name_w - len(units) * CELL
        as_words = all(len(w) <= room for w in words)
        text = Text(no_wrap=True, overflow="crop")
        shown = [] if rows == len(names) else [f"{rows} of {len(names)} patterns"]
        shown += [] if len(units) == len(found.units) else [f"{len(units)} of {len(found.units)} units"]
        title = "Hidden units, pattern by pattern"
        text.append(title if len(title) <= width else "Hidden units", style="bold")
        if shown:
            text.append(f" ({', '.join(shown)})", style="dim")
        text.append("\n" + "input".ljust(name_w), style="bold")
        text.append("".join(found.units[u].rjust(CELL - 1) + " " for u in units), style="bold")
        if as_words and any(words):
            text.append("saturated", style="bold")
        for p in range(rows):
            text.append("\n" + names[p].ljust(name_w))
            for u in units:
                value, span = float(found.values[p, u]), found.bounds[u]
                text.append(value_text(value, span is not None).rjust(CELL - 1), self._style(found, u, value, color))
                text.append(MARK if found.saturated[p, u] and not as_words else " ")
            if as_words:
                text.append(words[p], style="bold" if color else None)
        if any(span is not None for span in found.bounds):
            text.append("\n" + "\n".join(key_lines(found, as_words, width)), style="dim")
        return text

    def _style(self, found: hidden_space.HiddenActivations, unit: int, value: float, color: bool):
        if not color:
            return None
        span = found.bounds[unit]
        if span is None:  # unbounded (ReLU, linear): 0 in the middle, scaled to the largest value shown
            scale = float(np.nanmax(np.abs(found.values[:, unit]))) if len(found.values) else 0.0
            return colors.line_style(colors.level(value, scale))
        mid, half = (span[0] + span[1]) / 2, (span[1] - span[0]) / 2
        return colors.line_style(colors.level(value - mid, half))
