"""A dendrogram drawn in the terminal: one row a word, merges as brackets whose distance from the
words is the height they join at (engine.clusters computes the tree; this only draws it).
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from engine.clusters import Tree
from engine.numbers import fmt


def dendrogram_lines(tree: Tree, width: int) -> list[Text]:
    """The tree drawn left to right in `width` columns: a word every other row, then the brackets.

    A merge at height h stands in the column h / top of the way across (or just right of its halves'
    brackets, where heights are too close to tell apart): a bracket ┐ │ ┘ joins the rows
    of its two halves, and its own line leaves from the row between them (├ or ┤). Words sit two rows
    apart, so that row always lies strictly between the two.
    """
    n = len(tree.labels)
    order = tree.order()
    label_w = max(len(label) for label in tree.labels) + 1
    plot_w = max(4, width - label_w - 1)
    top = tree.merges[-1].height if tree.merges else 1.0
    rows = 2 * n - 1
    grid = [[" "] * plot_w for _ in range(rows)]
    row = {leaf: 2 * order.index(leaf) for leaf in range(n)}
    col = dict.fromkeys(range(n), -1)  # a leaf's line starts right after its word
    for k, merge in enumerate(tree.merges):
        # right of both halves' own brackets, even where two heights round to one column
        c = min(plot_w - 1, max(round(merge.height / top * (plot_w - 1)), col[merge.left] + 1, col[merge.right] + 1, 1))
        for child in (merge.left, merge.right):
            for x in range(col[child] + 1, c):
                grid[row[child]][x] = "─"
        a, b = sorted((row[merge.left], row[merge.right]))
        grid[a][c], grid[b][c] = "┐", "┘"
        for y in range(a + 1, b):
            grid[y][c] = "│"
        middle = (a + b) // 2
        grid[middle][c] = "┤"
        row[n + k], col[n + k] = middle, c
    lines = []
    for y in range(rows):
        word = tree.labels[order[y // 2]] if y % 2 == 0 else ""
        line = Text(word.rjust(label_w - 1) + " ", style="bold")
        line.append("".join(grid[y]), style="cyan")
        lines.append(line)
    lines.append(Text(" " * label_w + "0" + " " * max(1, plot_w - 1 - len(fmt(top, 3))) + fmt(top, 3), style="dim"))
    return lines


class Dendrogram(Widget):
    """The words of a network's test stream, clustered by their mean hidden state."""

    DEFAULT_CSS = """
    Dendrogram {
        height: auto;
        padding: 0 1;
    }
    """

    clusters: reactive[Tree | None] = reactive(None, layout=True)

    def render(self) -> Text:
        if self.clusters is None:
            return Text("The tree appears here once the hidden states are measured.", style="dim italic")
        return Text("\n").join(dendrogram_lines(self.clusters, self.size.width))

    def get_content_height(self, container, viewport, width: int) -> int:
        return 1 if self.clusters is None else 2 * len(self.clusters.labels)
