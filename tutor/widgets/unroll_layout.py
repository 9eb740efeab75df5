"""The unrolled view of a recurrent network: one copy of the network per time step, side by side.

Time runs left to right. Each step is a column with the layers stacked output on top, input at
the bottom; the context weights run between the hidden layers of neighbouring steps (from the
initial context into step 1). Like diagram_layout, this only computes a `Canvas`: static text
and slots with styling keys, which NetworkDiagram's drawing code fills in at each step.

Ids carry the step: unit "hidden.0@t2", connection "hidden_context[0][0]@t2" (the copy of the
weight used at step 2), the step header "step@t2", the error "E@t2".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.network import Network
from engine.trace import connection
from tutor.widgets.diagram_layout import PORT, Canvas, Slot, Span

STEP_MARK = "step"


def at(name: str, step: int) -> str:
    """An id at a time step: 'hidden.0' -> 'hidden.0@t2'."""
    return f"{name}@t{step}"


def context_layer(net: Network) -> int:
    return next(k for k, layer in enumerate(net.layers) if layer.context)


@dataclass(frozen=True)
class UnrollMeasures:
    value: int  # widest value a unit shows (any step)
    label: int  # widest unit label
    weight: int  # widest weight label (with its ′)
    names: int  # widest layer name, printed on the left
    context: int  # widest initial context value


def step_width(m: UnrollMeasures) -> int:
    """A step's block: ' label value ' plus a gap for the vertical weight labels."""
    return m.label + m.value + 3


def link_width(net: Network, m: UnrollMeasures) -> int:
    h = net.layers[context_layer(net)]
    return (m.weight + 4) if h.size == 1 else 5


def unrolled_size(net: Network, steps: int, labels: Mapping[str, str], m: UnrollMeasures) -> tuple[int, int]:
    first = _first_column(net, labels, m)
    return first + steps * (link_width(net, m) + step_width(m)), _height(net)


def fitting_steps(net: Network, labels: Mapping[str, str], m: UnrollMeasures, width: int) -> int:
    """How many steps fit side by side in `width` columns."""
    first = _first_column(net, labels, m)
    return max(0, (width - first) // (link_width(net, m) + step_width(m)))


def _first_column(net: Network, labels: Mapping[str, str], m: UnrollMeasures) -> int:
    """Layer names, then the initial context units."""
    return m.names + 1 + _context_width(net, labels, m)


def _context_width(net: Network, labels: Mapping[str, str], m: UnrollMeasures) -> int:
    h = net.layers[context_layer(net)]
    return max(len(labels[at(f"{h.name}_context.{j}", 1)]) for j in range(h.size)) + m.context + 3


def _height(net: Network) -> int:
    out = net.layers[-1]
    rows = 1 + 2 * out.size + 1  # header, output units with their targets, E_t
    rows += sum(layer.size + 1 for layer in net.layers[:-1])  # a connector row above each lower layer
    return rows + 2  # a blank row and the legend


def unrolled_layout(
    net: Network, labels: Mapping[str, str], m: UnrollMeasures, first_step: int, steps: int, total: int
) -> Canvas:
    """Steps first_step … first_step + steps − 1 (of `total`), laid out side by side."""
    h_index = context_layer(net)
    first = _first_column(net, labels, m)
    bw, lw = step_width(m), link_width(net, m)
    width = first + steps * (lw + bw)
    rows: list[list[Span]] = [[] for _ in range(_height(net))]

    def block_x(n: int) -> int:
        return first + n * (lw + bw) + lw

    # The header: "time →" on the left, "step s" over each step (not "t = s": t is the target under the output
    # units just below), arrows where steps are left out.
    rows[0].append(Span(0, "time →", ("text", "header")))
    for n in range(steps):
        s = first_step + n
        title = f"step {s}" if len(f"step {s}") <= bw else str(s)
        rows[0].append(Span(block_x(n) + (bw - len(title)) // 2, title, ("marker", at(STEP_MARK, s))))
    y = 1
    layer_rows: dict[int, int] = {}
    for k in range(len(net.layers) - 1, -1, -1):
        layer = net.layers[k]
        if k < len(net.layers) - 1:
            _connector(rows[y], net, k + 1, steps, first_step, block_x, m)
            y += 1
        layer_rows[k] = y
        rows[y].insert(0, Span(0, layer.name, ("text", "header")))
        for j in range(layer.size):
            uid = f"{layer.name}.{j}"
            for n in range(steps):
                s = first_step + n
                _unit(rows[y], block_x(n), labels[at(uid, s)], at(uid, s), m)
                if k == len(net.layers) - 1:
                    x = block_x(n) + 1 + m.label + 1
                    rows[y + 1].append(Span(block_x(n) + 1, "t".ljust(m.label + 1), ("target", at(uid, s))))
                    rows[y + 1].append(Span(x, "", ("target", at(uid, s)), Slot("target", at(uid, s), m.value)))
            if k == h_index:
                _context_links(rows[y], net, j, steps, first_step, block_x, first, labels, m)
            y += 2 if k == len(net.layers) - 1 else 1
        if k == len(net.layers) - 1:
            for n in range(steps):
                s = first_step + n
                rows[y].append(Span(block_x(n) + 1, f"E{_sub(s)}".ljust(m.label + 1), ("text", "header")))
                error = Slot("value", at("E", s), m.value)
                rows[y].append(Span(block_x(n) + 2 + m.label, "", ("text", "header"), error))
            y += 1
    rows[-1].append(Span(0, "", ("text", "legend"), Slot("legend", "", width, "left")))
    more = []
    if first_step > 1:
        more.append(f"◂ {_steps(1, first_step - 1)}")
    if first_step + steps - 1 < total:
        more.append(f"{_steps(first_step + steps, total)} ▸")
    if more:
        rows[-2].append(Span(0, "   ".join(more), ("text", "legend")))
    for row in rows:
        row.sort(key=lambda span: span.x)
    return Canvas("unrolled", width, len(rows), rows, needs=(width, len(rows)))


def _unit(row: list[Span], x: int, label: str, uid: str, m: UnrollMeasures) -> None:
    row.append(Span(x, f" {label.ljust(m.label)} ", ("unit", uid)))
    row.append(Span(x + m.label + 2, "", ("unit", uid), Slot("value", uid, m.value)))
    row.append(Span(x + m.label + 2 + m.value, " ", ("unit", uid)))


def _connector(row: list[Span], net: Network, k: int, steps: int, first_step: int, block_x, m: UnrollMeasures) -> None:
    """The weights from layer k − 1 up into layer k, in every step: one labelled line if 1 × 1."""
    layer, below = net.layers[k], net.layers[k - 1]
    for n in range(steps):
        s = first_step + n
        x = block_x(n) + 2
        if layer.size == 1 and below.size == 1:
            cid = at(connection(layer.name, 0, 0), s)
            row.append(Span(x, "│", ("conn", cid)))
            row.append(Span(x + 2, "", ("label", cid), Slot("weight", cid, min(m.weight, step_width(m) - 4), "left")))
        else:
            ids = frozenset(at(connection(layer.name, j, i), s) for j in range(layer.size) for i in range(below.size))
            row.append(Span(x, "│", ("trunk", ids)))


def _context_links(row, net, j, steps, first_step, block_x, first, labels, m) -> None:
    """Into hidden unit j of every step: from the initial context (step 1) or the hidden layer a step before."""
    h = net.layers[context_layer(net)]
    key = f"{h.name}_context"
    if first_step == 1:
        uid = at(f"{key}.{j}", 1)
        label_width = _context_width(net, labels, m) - m.context - 3
        x = m.names + 1
        row.append(Span(x, f" {labels[uid].ljust(label_width)} ", ("unit", uid)))
        row.append(Span(x + label_width + 2, "", ("unit", uid), Slot("value", uid, m.context)))
        row.append(Span(x + label_width + 2 + m.context, " ", ("unit", uid)))
    for n in range(steps):
        s = first_step + n
        start = (block_x(n - 1) + step_width(m)) if n else first
        end = block_x(n) - 1
        if h.size == 1:
            cid = at(connection(key, 0, 0), s)
            row.append(Span(start, "─", ("conn", cid)))
            row.append(Span(start + 1, "", ("label", cid), Slot("weight", cid, m.weight)))
            row.append(Span(start + 1 + m.weight, "─" * (end - start - 1 - m.weight), ("conn", cid)))
            row.append(Span(end, PORT, ("conn", cid)))
        else:
            ids = frozenset(at(connection(key, j, i), s) for i in range(h.size))
            row.append(Span(start, "─" * (end - start), ("trunk", ids)))
            row.append(Span(end, PORT, ("trunk", ids)))


def _steps(first: int, last: int) -> str:
    return f"step {first}" if first == last else f"steps {first}–{last}"


_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sub(number: int) -> str:
    return str(number).translate(_SUBSCRIPT)
