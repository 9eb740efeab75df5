"""The decision-surface panel of a train page: what a two-input network computes over the input square.

The output unit's activation is drawn with half blocks (two pixels a cell) in the diagram's diverging
palette, the training patterns on it as their targets; below it, each hidden unit's own surface, with
the boolean function the analysis reads from it ("h1 ≈ x2 AND NOT x1"). While the network trains,
the panel redraws at most a few times a second (live_panel.py), so that the drawing costs training
little (bench/bench_lab.py measures how little).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from engine import surface as surfaces
from engine.network import Network
from tutor.widgets.live_panel import LivePanel
from tutor.widgets.surface_art import cell_rows, framed, legend, pattern_marks

THUMB = 15  # points across (and up) of a hidden unit's small surface; 15 columns, 8 rows
COMPACT_BELOW = 30  # columns: a narrower panel draws the output's surface alone
SMALLEST = 9  # points across the main surface below which the panel says it needs room instead


class SurfacePanel(LivePanel):
    """The output's decision surface over the input square, the patterns' targets on it, and each
    hidden unit's surface as a thumbnail, labelled with the function it computes."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    SCOPED_CSS = False  # its styles follow the screen's width classes (-narrow); Textual reads this per class
    HELP_PATH = Path(__file__).with_suffix(".md")

    def __init__(self, net: Network, span: tuple[float, float] = surfaces.DEFAULT_SPAN, *, id: str | None = None):
        super().__init__(net, id=id)
        self.span = span

    def picture(self, width: int, height: int, color: bool = True) -> Text:
        """The panel at this size: the main surface as large as fits, thumbnails below if they fit too,
        or a one-line note when even a small surface does not."""
        net, hidden = self.net, [label for layer in self.net.layers[1:-1] for label in layer.labels]
        if width < COMPACT_BELOW:
            return self.compact(width, height, color)
        axis = 6
        thumb_rows = 2 + (THUMB + 1) // 2  # label, function name, then the cells
        per_row = max(1, (width + 1) // (THUMB + 1))
        thumb_block = -(-len(hidden) // per_row) * thumb_rows if hidden else 0
        for with_thumbs in (True, False) if hidden else (False,):
            rows = height - 4 - (thumb_block if with_thumbs else 0)  # title, x axis, legend, hidden heading
            size = min(width - axis, 2 * rows)
            if size >= SMALLEST and (not with_thumbs or width >= THUMB):
                break
        else:
            return Text("The decision surface needs a larger window.", style="dim italic", no_wrap=True)
        found = surfaces.compute(net, size, size, self.span)
        marks = pattern_marks(found.x, found.y, net.inputs, net.targets)
        text = Text(no_wrap=True, overflow="crop")
        text.append(f"{net.output.label(0)} over (x1, x2)\n", style="bold")
        text.append_text(framed(cell_rows(found.output, found.span(), marks, color), found.x, found.y))
        text.append("\n")
        text.append_text(legend(found.span(), color))
        text.append("targets", style="dim")
        if not hidden:
            return text
        if not with_thumbs:
            text.append("\nhidden units: a taller window shows them", style="dim italic")
            return text
        text.append("\n")
        text.append_text(self.thumbnails(hidden, width, color))
        return text

    def compact(self, width: int, height: int, color: bool) -> Text:
        """A narrow column: the output's surface alone, without axes or legend, and a line about the rest."""
        size = min(width, 2 * (height - 3))
        if size < SMALLEST:
            return Text("A wider window shows the decision surface.", style="dim italic")
        found = surfaces.compute(self.net, size, size, self.span)
        marks = pattern_marks(found.x, found.y, self.net.inputs, self.net.targets)
        text = Text(no_wrap=True, overflow="crop")
        text.append(f"{self.net.output.label(0)} over x1, x2\n", style="bold")
        text.append_text(Text("\n").join(cell_rows(found.output, found.span(), marks, color)))
        span = f"{found.x[0]:g} to {found.x[-1]:g}"
        text.append(f"\n{span}\n", style="dim")
        text.append("wider shows more", style="dim italic")
        return text

    def thumbnails(self, hidden: list[str], width: int, color: bool) -> Text:
        """Each hidden unit's surface, side by side as many as fit across, with its name and function."""
        small = surfaces.compute(self.net, THUMB, THUMB, self.span)
        per_row = max(1, (width + 1) // (THUMB + 1))
        blocks = []
        for label in hidden:
            name = self.names.get(label, "")
            lines = [Text(label, style="bold"), Text(f"≈ {name}" if name else "", style="dim")]
            lines += cell_rows(small.hidden[label], small.span(label), None, color)
            for line in lines:
                line.truncate(THUMB, overflow="ellipsis", pad=True)
            blocks.append(lines)
        text = Text(no_wrap=True, overflow="crop")
        for start in range(0, len(blocks), per_row):
            group = blocks[start : start + per_row]
            for r in range(len(group[0])):
                if start or r:
                    text.append("\n")
                text.append_text(Text(" ").join(block[r] for block in group))
        return text
