"""The hidden-state strip of a recurrent network's train page: each hidden unit's activation at each
step of a sequence (units down, time across), so the learner sees the state carry information from
step to step. The steps are those of the error strip below it: the file's test stream."""

from __future__ import annotations

from pathlib import Path

from rich.color import Color
from rich.style import Style
from rich.text import Text

from engine import hidden_space
from engine.surface import BOUNDED
from tutor.widgets import colors
from tutor.widgets.live_panel import LivePanel
from tutor.widgets.surface_art import SHADES, levels

CELL = 2  # columns a time step takes


class HiddenStatePanel(LivePanel):
    """Hidden activations over time as a heat strip: blue low, red high (shades without colour)."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    SCOPED_CSS = False  # its styles follow the screen's width classes (-narrow); Textual reads this per class
    HELP_PATH = Path(__file__).with_suffix(".md")

    def picture(self, width: int, height: int, color: bool = True) -> Text:
        found = hidden_space.hidden_states(self.net)
        label_w = max(len(unit) for unit in found.units) + 1
        steps = min(len(found.labels), (width - label_w) // CELL)
        units = min(len(found.units), height - 3)  # title, inputs line, key line
        if steps < 4 or units < 1:
            return Text("The hidden-state strip needs a larger window.", style="dim italic", no_wrap=True)
        text = Text(no_wrap=True, overflow="crop")
        text.append(f"Hidden units over the first {steps} steps\n", style="bold")
        steps_levels = levels(found.states[:steps, :units], BOUNDED.get(found.activation))
        for u in range(units):
            text.append(found.units[u].ljust(label_w), style="bold")
            for t in range(steps):
                step = int(steps_levels[t, u])
                if color:
                    text.append("█" * CELL, Style(color=Color.from_rgb(*colors.cell_rgb(step))))
                else:
                    text.append(SHADES[round((step + colors.LEVELS) / (2 * colors.LEVELS) * (len(SHADES) - 1))] * CELL)
            text.append("\n")
        text.append(" " * label_w + "".join(label[: CELL - 1].ljust(CELL) for label in found.labels[:steps]))
        shown = "" if units == len(found.units) else f" ({units} of {len(found.units)} units)"
        scale = "blue low, red high" if color else f"'{SHADES[1]}' low, '{SHADES[-1]}' high"
        text.append(f"\ninputs below; {scale}{shown}", style="dim")
        return text
