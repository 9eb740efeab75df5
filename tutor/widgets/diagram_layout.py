"""Where every part of a network diagram goes: computed once per network and size, no Textual here.

Full view, circuit style, input at the left: each layer is a column of unit blocks; the bias
unit and the context units that feed a layer sit under the units of the column before it.
Every connection is its own wire, coloured by its weight from end to end: horizontal out of
its own row of the sender, vertical in its own lane, horizontal into its own port on the
receiver, with the weight printed on that last segment. Lanes are ordered so that no two
wires run over each other and few cross; a crossing is ┼, and wires never branch.
Elman context units get a dashed copy-back link from their hidden unit, routed under the
network. Compact view (Lens style): one row of coloured cells per layer, input at the bottom.

The result is a `Canvas`: per row a list of spans, each a piece of static text or a slot
(a unit's value, a weight, the legend) with a key that the widget turns into a style for
the current step. A step therefore only restyles and relabels; it never lays out again.
The unrolled-in-time view of a recurrent network is laid out the same way, by unroll_layout.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.network import Network
from engine.trace import Weight, connection, parse_connection

UP, RIGHT, DOWN, LEFT = 1, 2, 4, 8
GLYPHS = {
    UP | DOWN: "│",
    LEFT | RIGHT: "─",
    DOWN | RIGHT: "╭",
    DOWN | LEFT: "╮",
    UP | RIGHT: "╰",
    UP | LEFT: "╯",
    UP | DOWN | RIGHT: "├",
    UP | DOWN | LEFT: "┤",
    LEFT | RIGHT | DOWN: "┬",
    LEFT | RIGHT | UP: "┴",
    UP | RIGHT | DOWN | LEFT: "┼",
    UP: "╵",
    RIGHT: "╶",
    DOWN: "╷",
    LEFT: "╴",
}
DASHED = {UP | DOWN: "┆", LEFT | RIGHT: "┄"}  # copy-back links
PORT = "▸"
UPDATED_MARK = "′"  # printed after a weight once its new value w′ is computed

Key = tuple  # a styling key: ("conn", id), ("label", id), ("unit", id), ("cross", v, h), ("text", name), ...


@dataclass(frozen=True)
class Slot:
    """Text filled in at render time: a unit's value, a weight, the legend, the compact info line."""

    kind: str  # value | uses | target | weight | legend | info | cell | tcell | marker
    id: str  # unit or connection id ("" for the legend and the info line)
    width: int
    align: str = "right"


@dataclass(frozen=True)
class Span:
    x: int
    text: str  # static text ("" for a slot)
    key: Key
    slot: Slot | None = None

    @property
    def width(self) -> int:
        return self.slot.width if self.slot else len(self.text)


@dataclass
class Canvas:
    mode: str  # full | compact | small
    width: int
    height: int
    rows: list[list[Span]]
    hits: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)  # y -> [(x0, x1, unit id)]
    order: list[list[str]] = field(default_factory=list)  # compact: unit ids per row of cells, top first
    needs: tuple[int, int] = (0, 0)  # the size the full view needs (for the too-small message)


@dataclass(frozen=True)
class Measures:
    """Widths of the texts the diagram will print, taken from every value of the trace."""

    value: Mapping[str, int]  # unit id -> widest value text
    target: Mapping[str, int]  # output unit id -> target text width
    weight: Mapping[str, int]  # receiving layer name -> widest weight label (with its ′)
    uses: Mapping[str, int] = field(default_factory=dict)  # unit id -> widest "a_h1 0.5" a term may show it use


@dataclass(frozen=True)
class Variant:
    lane_gap: int = 2  # columns from one lane to the next
    block_gap: int = 1  # rows between unit blocks
    uses: bool = False  # a line in each hidden and output unit for the values of it the current term uses


VARIANTS = (Variant(2, 1, uses=True), Variant(2, 1), Variant(1, 1), Variant(1, 0))
CONTENT = {"input": 1, "hidden": 2, "output": 3, "context": 1, "bias": 1}  # rows: label, value, target
USES_KINDS = ("hidden", "output")  # the units that get the line of used values (under their other rows)


# -- the blocks and connections of a network ------------------------------------------------


@dataclass
class Block:
    uid: str
    label: str
    kind: str  # input | hidden | output | context | bias
    ports: list[str]  # incoming connections, one port row each, centred in the block
    outs: list[str]  # outgoing connections (and copy-back links), one row each
    rows: int = 1
    width: int = 0
    x: int = 0
    y: int = 0

    def port_row(self, cid: str) -> int:
        return self.y + (self.rows - len(self.ports)) // 2 + self.ports.index(cid)

    def out_row(self, cid: str) -> int:
        return self.y + (self.rows - len(self.outs)) // 2 + self.outs.index(cid)


def incoming(net: Network, k: int, j: int) -> list[str]:
    """Connections into unit j of layer k, in port order: from the layer below, the context units, the bias."""
    layer, below = net.layers[k], net.layers[k - 1]
    ports = [connection(layer.name, j, i) for i in range(below.size)]
    if layer.context:
        ports += [connection(f"{layer.name}_context", j, i) for i in range(layer.size)]
    if layer.bias:
        ports.append(connection(f"{layer.name}_bias", j))
    return ports


def _index(cid: str) -> tuple[int, ...]:
    return parse_connection(cid)[1]


def sender_of(net: Network, cid: str) -> str:
    """The unit id a connection comes from: 'hidden[0][1]' -> 'input.1', 'hidden_bias[0]' -> 'hidden_bias'."""
    weight = Weight(*parse_connection(cid))
    if weight.is_bias:
        return weight.key
    if weight.is_context:
        return f"{weight.key}.{weight.index[1]}"
    names = [layer.name for layer in net.layers]
    return f"{names[names.index(weight.key) - 1]}.{weight.index[1]}"


def receiver_of(cid: str) -> str:
    """The unit id a connection goes to: 'hidden_bias[1]' -> 'hidden.1'."""
    weight = Weight(*parse_connection(cid))
    return f"{weight.layer}.{weight.index[0]}"


def copy_id(layer: str, j: int) -> str:
    """A copy-back link is named after the context unit it fills."""
    return f"{layer}_context.{j}"


def columns(net: Network, labels: Mapping[str, str], measures: Measures, uses: bool = False) -> list[list[Block]]:
    """One column of blocks per layer: its units, then the context units and bias unit feeding the next layer;
    with `uses`, hidden and output units have a row more, for the values the current term uses."""
    top = len(net.layers) - 1
    cols: list[list[Block]] = []
    for k, layer in enumerate(net.layers):
        blocks = []
        for j in range(layer.size):
            uid = f"{layer.name}.{j}"
            kind = "input" if k == 0 else "output" if k == top else "hidden"
            blocks.append(Block(uid, labels[uid], kind, incoming(net, k, j) if k else [], []))
        if k < top:
            above = net.layers[k + 1]
            if above.context:
                for j in range(above.size):
                    uid = copy_id(above.name, j)
                    blocks.append(Block(uid, labels[uid], "context", [uid], []))
            if above.bias:
                blocks.append(Block(f"{above.name}_bias", "bias", "bias", [], []))
        cols.append(blocks)
    blocks = {b.uid: b for col in cols for b in col}
    for k in range(1, top + 1):
        for j in range(net.layers[k].size):
            for cid in incoming(net, k, j):
                blocks[sender_of(net, cid)].outs.append(cid)
        if net.layers[k].context and k < top:
            for j in range(net.layers[k].size):
                blocks[f"{net.layers[k].name}.{j}"].outs.insert(0, copy_id(net.layers[k].name, j))
    for col in cols:
        for block in col:
            # Outgoing rows follow the order of the ports they go to, so that lines need not cross.
            block.outs.sort(key=lambda cid: _out_order(cid, blocks))
            content = CONTENT[block.kind] + (uses and block.kind in USES_KINDS)
            block.rows = max(len(block.ports), len(block.outs), content)
        width = max(_block_width(b, measures, uses) for b in col)
        for block in col:
            block.width = width
    return cols


def _out_order(cid: str, blocks: dict[str, Block]) -> tuple[int, int]:
    """Sort key of an outgoing line: by the unit it goes to, then its port; copy-back links (under the network) last."""
    if "[" not in cid:
        return (1 << 30, 0)
    return _index(cid)[0], blocks[receiver_of(cid)].ports.index(cid)


def _one_line(block: Block) -> bool:
    return block.rows == 1


def _block_width(block: Block, measures: Measures, uses: bool = False) -> int:
    value = 1 if block.kind == "bias" else measures.value.get(block.uid, 1)
    if _one_line(block):
        return len(block.label) + value + 3  # " label value "
    target = measures.target.get(block.uid, 1) if block.kind == "output" else 0
    used = measures.uses.get(block.uid, 0) if uses and block.kind in USES_KINDS else 0
    return max(len(block.label), value, 2 + target, used) + 2


# -- routing the lanes between two columns ---------------------------------------------------


@dataclass(frozen=True)
class Wire:
    """One connection through a gap: out of the sender on `out_row`, down or up its lane, into `in_row`.

    A copy-back link (`back`) leaves its lane under the network and runs left instead.
    """

    id: str
    out_row: int
    in_row: int
    back: bool = False


_SENDER, _RECEIVER, _MARGIN = -1, 2, -2  # x of the sender's edge, the receiver's edge, the copy-back margin
_CLASH = 1 << 20


def _segments(wire: Wire, x: int) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """Horizontal (row, x0, x1) and vertical (column, y0, y1) pieces of a wire with its lane at x."""
    horizontal = [(wire.out_row, _SENDER, x)]
    horizontal.append((wire.in_row, _MARGIN, x) if wire.back else (wire.in_row, x, _RECEIVER))
    lo, hi = sorted((wire.out_row, wire.in_row))
    vertical = [(x, lo, hi)] if lo != hi else []
    return horizontal, vertical


def pair_cost(left: Wire, right: Wire) -> int:
    """Crossings between two wires when `left` has the lane left of `right`; _CLASH if lines would overlap."""
    hl, vl = _segments(left, 0)
    hr, vr = _segments(right, 1)
    cost = 0
    for hs, vs in ((hl, vr), (hr, vl)):
        for row, x0, x1 in hs:
            for col, y0, y1 in vs:
                if x0 < col < x1 and y0 <= row <= y1:
                    cost += 1 if y0 < row < y1 else _CLASH  # touching the middle of another line
    for row_a, a0, a1 in hl:
        for row_b, b0, b1 in hr:
            if row_a == row_b and a0 < b1 and b0 < a1:
                cost += _CLASH
    return cost


def order_lanes(wires: list[Wire]) -> list[Wire] | None:
    """An order of lanes with no overlapping lines and few crossings; None if there is none.

    Pairs that would overlap one way must go the other way: a partial order. Wires are placed
    in a topological order of it (longer wires first among the free ones), each where it
    crosses least, and then neighbours are swapped while that removes crossings.
    """
    n = len(wires)
    cost = [[pair_cost(a, b) if a is not b else 0 for b in wires] for a in wires]
    before: list[set[int]] = [set() for _ in range(n)]  # before[b]: wires that must be left of b
    for a in range(n):
        for b in range(n):
            if a != b and cost[b][a] >= _CLASH:
                if cost[a][b] >= _CLASH:
                    return None
                before[b].add(a)
    span = [abs(w.out_row - w.in_row) for w in wires]
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < n:
        free = [w for w in range(n) if w not in placed and before[w] <= placed]
        if not free:
            return None  # a cycle: no order keeps every pair apart
        w = max(free, key=lambda i: (span[i], -i))
        first = max((order.index(u) + 1 for u in before[w]), default=0)
        costs = [
            (sum(cost[u][w] for u in order[:p]) + sum(cost[w][v] for v in order[p:]), p)
            for p in range(first, len(order) + 1)
        ]
        order.insert(min(costs)[1], w)
        placed.add(w)
    improved = True
    while improved:
        improved = False
        for p in range(n - 1):
            a, b = order[p], order[p + 1]
            if cost[b][a] < cost[a][b]:
                order[p], order[p + 1] = b, a
                improved = True
    return [wires[i] for i in order]


def crossings(wires: list[Wire]) -> int:
    return sum(pair_cost(a, b) for i, a in enumerate(wires) for b in wires[i + 1 :])


# -- the full view ---------------------------------------------------------------------------


class _Grid:
    """Line directions, owners and text per cell, turned into spans at the end."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.dirs = [[0] * width for _ in range(height)]
        self.dashed = [[False] * width for _ in range(height)]
        self.hkey: list[list[Key | None]] = [[None] * width for _ in range(height)]
        self.vkey: list[list[Key | None]] = [[None] * width for _ in range(height)]
        self.text: list[list[tuple[str, Key] | None]] = [[None] * width for _ in range(height)]
        self.slots: list[list[Span]] = [[] for _ in range(height)]

    def hline(self, y: int, x0: int, x1: int, key: Key, dashed: bool = False, from_block: bool = False) -> None:
        lo, hi = min(x0, x1), max(x0, x1)
        for x in range(lo, hi + 1):
            if x > lo or from_block:
                self.dirs[y][x] |= LEFT
            if x < hi:
                self.dirs[y][x] |= RIGHT
            self.hkey[y][x] = key
            self.dashed[y][x] |= dashed

    def vline(self, x: int, y0: int, y1: int, key: Key, dashed: bool = False) -> None:
        lo, hi = min(y0, y1), max(y0, y1)
        for y in range(lo, hi + 1):
            if y > lo:
                self.dirs[y][x] |= UP
            if y < hi:
                self.dirs[y][x] |= DOWN
            self.vkey[y][x] = key
            self.dashed[y][x] |= dashed

    def put(self, x: int, y: int, text: str, key: Key) -> None:
        for i, char in enumerate(text):
            self.text[y][x + i] = (char, key)

    def slot(self, x: int, y: int, slot: Slot, key: Key) -> None:
        if slot.width <= 0:
            raise ValueError(f"no room for {slot}")
        self.slots[y].append(Span(x, "", key, slot))
        for i in range(slot.width):
            self.text[y][x + i] = ("", key)  # reserved: the slot fills it

    def cell(self, x: int, y: int) -> tuple[str, Key]:
        if self.text[y][x] is not None:
            return self.text[y][x]
        dirs = self.dirs[y][x]
        if not dirs:
            return " ", ("blank",)
        glyph = (DASHED.get(dirs) if self.dashed[y][x] else None) or GLYPHS[dirs]
        h, v = self.hkey[y][x], self.vkey[y][x]
        if h is not None and v is not None and h != v:
            return glyph, ("cross", v, h)
        return glyph, h if h is not None else v

    def spans(self) -> list[list[Span]]:
        rows = []
        for y in range(self.height):
            row: list[Span] = []
            slots = {span.x: span for span in self.slots[y]}
            x = 0
            while x < self.width:
                if x in slots:
                    row.append(slots[x])
                    x += slots[x].slot.width
                    continue
                char, key = self.cell(x, y)
                if row and row[-1].slot is None and row[-1].key == key:
                    last = row.pop()
                    row.append(Span(last.x, last.text + char, key))
                else:
                    row.append(Span(x, char, key))
                x += 1
            rows.append(row)
        return rows


@dataclass
class _Gap:
    """The lanes between column k − 1 and column k."""

    k: int
    wires: list[str]  # connection ids and copy-back ids leaving column k − 1's blocks
    label_width: int
    x: int = 0
    lanes: dict[str, int] = field(default_factory=dict)  # wire id -> lane column
    crossings: int = 0

    def width(self, lane_gap: int) -> int:
        # a cell out of the sender, the lanes, "─", the weight, "─", the port arrow
        return 1 + (len(self.wires) - 1) * lane_gap + 4 + self.label_width


def natural_size(
    net: Network, labels: Mapping[str, str], measures: Measures, variant: Variant, skeleton=None
) -> tuple[int, int]:
    """The full view's size, without routing it (cheap: used to skip views that cannot fit)."""
    cols, gaps, margins, copy_rows = skeleton or _skeleton(net, labels, measures, variant.uses)
    width = sum(col[0].width for col in cols) + sum(g.width(variant.lane_gap) for g in gaps) + sum(margins.values())
    body = max(sum(b.rows for b in col) + variant.block_gap * (len(col) - 1) for col in cols)
    return width, 1 + body + copy_rows + 2


def _skeleton(net: Network, labels: Mapping[str, str], measures: Measures, uses: bool = False):
    cols = columns(net, labels, measures, uses)
    top = len(net.layers) - 1
    gaps = [
        _Gap(k, [cid for b in cols[k - 1] for cid in b.outs], measures.weight.get(net.layers[k].name, 4))
        for k in range(1, top + 1)
    ]
    context_layers = [k for k, layer in enumerate(net.layers) if layer.context and k < top]
    margins = {k - 1: net.layers[k].size + 1 for k in context_layers}
    copy_rows = sum(net.layers[k].size for k in context_layers)
    return cols, gaps, margins, copy_rows


def full_layout(
    net: Network, labels: Mapping[str, str], measures: Measures, variant: Variant = VARIANTS[0]
) -> Canvas | None:
    """The circuit-style drawing at its natural size; None if its lanes cannot be routed."""
    cols, gaps, margins, copy_rows = _skeleton(net, labels, measures, variant.uses)
    blocks = {b.uid: b for col in cols for b in col}
    top = len(net.layers) - 1
    heights = [sum(b.rows for b in col) + variant.block_gap * (len(col) - 1) for col in cols]
    body, body_top = max(heights), 1
    copy_row = {}  # copy-back id -> the row it runs along under the network (the first unit's lowest)
    row = body_top + body
    for k in (k for k, layer in enumerate(net.layers) if layer.context and k < top):
        size = net.layers[k].size
        for j in range(size):
            copy_row[copy_id(net.layers[k].name, j)] = row + size - 1 - j
        row += size

    x = 0
    for c, col in enumerate(cols):
        x += margins.get(c, 0)
        for block in col:
            block.x = x
        x += col[0].width
        if c < top:
            gaps[c].x = x
            x += gaps[c].width(variant.lane_gap)
    width = x

    # Vertical places: each column centred, or moved to where its incoming lanes cross least.
    _stack(cols[0], body_top + (body - heights[0]) // 2, variant.block_gap)
    for c in range(1, len(cols)):
        room = body - heights[c]
        best = None
        for offset in _offsets(room // 2, room):
            _stack(cols[c], body_top + offset, variant.block_gap)
            lanes = _route(gaps[c - 1], blocks, copy_row, variant.lane_gap)
            if lanes is not None and (best is None or lanes[1] < best[2]):
                best = (offset, lanes[0], lanes[1])
            if best is not None and best[2] == 0:
                break
        if best is None:
            return None
        _stack(cols[c], body_top + best[0], variant.block_gap)
        gaps[c - 1].lanes, gaps[c - 1].crossings = best[1], best[2]

    height = body_top + body + copy_rows + 2
    grid = _Grid(width, height)
    free = 0  # layer names centred over their columns, running into the lanes if they must
    for c, layer in enumerate(net.layers):
        col = cols[c]
        start = max(free, col[0].x + (col[0].width - len(layer.name)) // 2)
        name = layer.name[: max(0, width - start)]
        grid.put(start, 0, name, ("text", "header"))
        free = start + len(name) + 1
    for gap in gaps:
        _draw_gap(grid, gap, blocks, copy_row)
    for block in blocks.values():
        _draw_block(grid, block, variant.uses)
    grid.slot(0, height - 1, Slot("legend", "", width, "left"), ("text", "legend"))
    return Canvas("full", width, height, grid.spans(), needs=(width, height))


def _stack(col: list[Block], y: int, gap: int) -> None:
    for block in col:
        block.y = y
        y += block.rows + gap


def _offsets(centre: int, room: int) -> list[int]:
    """Offsets from the centre outwards, within 0..room."""
    out = [centre]
    for d in range(1, room + 1):
        out += [o for o in (centre + d, centre - d) if 0 <= o <= room]
    return out


def _route(
    gap: _Gap, blocks: dict[str, Block], copy_row: dict[str, int], lane_gap: int
) -> tuple[dict[str, int], int] | None:
    """Lane columns for the gap's wires (and how many crossings they make), or None if lines would overlap."""
    wires = []
    senders = {cid: uid for uid, b in blocks.items() for cid in b.outs}
    for cid in gap.wires:
        out_row = blocks[senders[cid]].out_row(cid)
        if cid in copy_row:
            wires.append(Wire(cid, out_row, copy_row[cid], back=True))
        else:
            wires.append(Wire(cid, out_row, blocks[receiver_of(cid)].port_row(cid)))
    order = order_lanes(wires)
    if order is None:
        return None
    return {w.id: gap.x + 1 + n * lane_gap for n, w in enumerate(order)}, crossings(order)


def _draw_gap(grid: _Grid, gap: _Gap, blocks: dict[str, Block], copy_row: dict[str, int]) -> None:
    label_x = max(gap.lanes.values()) + 2
    senders = {cid: b for b in blocks.values() for cid in b.outs}
    copies = [cid for cid in gap.wires if cid in copy_row]
    for cid in gap.wires:
        sender, lane = senders[cid], gap.lanes[cid]
        out_row = sender.out_row(cid)
        if cid in copy_row:
            context = blocks[cid]
            margin = context.x - 1 - len(copies) + copies.index(cid)  # the first unit's link is outermost
            _draw_copy(grid, cid, sender, lane, copy_row[cid], context, margin)
            continue
        receiver = blocks[receiver_of(cid)]
        in_row = receiver.port_row(cid)
        key = ("conn", cid)
        grid.hline(out_row, sender.x + sender.width, lane, key, from_block=True)
        grid.vline(lane, out_row, in_row, key)
        grid.hline(in_row, lane, receiver.x - 1, key)
        grid.put(receiver.x - 1, in_row, PORT, key)
        grid.slot(label_x, in_row, Slot("weight", cid, gap.label_width), ("label", cid))


def _draw_copy(grid: _Grid, cid: str, hidden: Block, lane: int, row: int, context: Block, margin: int) -> None:
    """A dashed link from a hidden unit back to its context unit, under the network, in at its left side."""
    key = ("copy", cid)
    out_row = hidden.out_row(cid)
    grid.hline(out_row, hidden.x + hidden.width, lane, key, dashed=True, from_block=True)
    grid.vline(lane, out_row, row, key, dashed=True)
    grid.hline(row, lane, margin, key, dashed=True)
    in_row = context.port_row(cid)
    grid.vline(margin, row, in_row, key, dashed=True)
    grid.hline(in_row, margin, context.x - 1, key, dashed=True)
    grid.put(context.x - 1, in_row, PORT, key)


def _draw_block(grid: _Grid, block: Block, uses: bool) -> None:
    key = ("unit", block.uid)
    for y in range(block.y, block.y + block.rows):
        grid.put(block.x, y, " " * block.width, key)
    grid.put(block.x + 1, block.y, block.label, key)
    if _one_line(block):
        value_x, value_y, value_width = block.x + len(block.label) + 2, block.y, block.width - len(block.label) - 3
    else:
        value_x, value_y, value_width = block.x + 1, block.y + 1, block.width - 2
    if block.kind == "bias":
        grid.put(value_x + value_width - 1, value_y, "1", key)
    else:
        grid.slot(value_x, value_y, Slot("value", block.uid, value_width), key)
    if block.kind == "output":
        grid.put(block.x + 1, block.y + 2, "t", ("target", block.uid))
        grid.slot(block.x + 3, block.y + 2, Slot("target", block.uid, block.width - 4), ("target", block.uid))
    if uses and block.kind in USES_KINDS:
        y = block.y + CONTENT[block.kind]
        grid.slot(block.x + 1, y, Slot("uses", block.uid, block.width - 2, "left"), ("unit", block.uid))


# -- the compact view ------------------------------------------------------------------------


def compact_layout(net: Network, cell_width: int = 2) -> Canvas:
    """One row of cells per layer (and one for the targets), input at the bottom; a marker row under each."""
    rows_spec: list[tuple[str, list[str], str]] = []  # (name, unit ids, cell kind)
    out = net.output
    rows_spec.append(("target", [f"{out.name}.{j}" for j in range(out.size)], "tcell"))
    for k in range(len(net.layers) - 1, -1, -1):
        layer = net.layers[k]
        rows_spec.append((layer.name, [f"{layer.name}.{j}" for j in range(layer.size)], "cell"))
        if k and layer.context:
            rows_spec.append(("context", [f"{layer.name}_context.{j}" for j in range(layer.size)], "cell"))
    name_width = max(len(name) for name, _, _ in rows_spec) + 1
    step = cell_width + 1
    width = name_width + 1 + max(len(ids) for _, ids, _ in rows_spec) * step
    height = 2 * len(rows_spec) + 1
    grid = _Grid(width, height)
    hits: dict[int, list[tuple[int, int, str]]] = {}
    order = []
    y = 0
    for name, ids, kind in rows_spec:
        grid.put(name_width - len(name), y, name, ("text", "header"))
        hits[y] = []
        for n, uid in enumerate(ids):
            x = name_width + 1 + n * step
            grid.slot(x, y, Slot(kind, uid, cell_width), (kind, uid))
            hits[y].append((x, x + cell_width, uid))
            if kind == "cell":
                grid.slot(x, y + 1, Slot("marker", uid, cell_width), ("marker", uid))
                hits.setdefault(y + 1, []).append((x, x + cell_width, uid))
        if kind == "cell":
            order.append(ids)
        y += 1 if kind == "tcell" else 2
    grid.slot(0, y, Slot("info", "", width, "left"), ("text", "info"))
    grid.slot(0, y + 1, Slot("legend", "", width, "left"), ("text", "legend"))
    return Canvas("compact", width, y + 2, grid.spans(), hits=hits, order=order)


# -- choosing a view for a size --------------------------------------------------------------


def message_canvas(lines: list[str], width: int, height: int) -> Canvas:
    """The too-small message, centred."""
    rows: list[list[Span]] = []
    top = max(0, (height - len(lines)) // 2)
    for y in range(height):
        n = y - top
        if 0 <= n < len(lines):
            text = lines[n][:width]
            rows.append([Span(max(0, (width - len(text)) // 2), text, ("text", "message"))])
        else:
            rows.append([])
    return Canvas("small", width, height, rows)


def choose(
    net: Network,
    labels: Mapping[str, str],
    measures: Measures,
    width: int,
    height: int,
    compact: bool | None = None,
) -> Canvas:
    """The most spacious view that fits: full (wide lanes, then narrower), else compact, else a message.

    `compact` None chooses automatically; True or False asks for one view (a message if it does not fit).
    """
    smallest_full: tuple[int, int] | None = None
    if compact is not True:
        skeletons = {uses: _skeleton(net, labels, measures, uses) for uses in {v.uses for v in VARIANTS}}
        for variant in VARIANTS:
            if variant.uses and not measures.uses:
                continue  # nothing to show in the line (a network drawn without a trace)
            size = natural_size(net, labels, measures, variant, skeletons[variant.uses])
            if size[0] <= width and size[1] <= height:
                canvas = full_layout(net, labels, measures, variant)
                if canvas is not None:
                    return canvas
            smallest_full = size
    compact_canvas = compact_layout(net)
    if compact is not False and compact_canvas.width <= width and compact_canvas.height <= height:
        compact_canvas.needs = smallest_full or (0, 0)
        return compact_canvas
    lines = ["Too small for the network diagram:", f"this pane is {width}×{height}."]
    if compact is not True and smallest_full is not None:
        lines.append(f"The full view needs {smallest_full[0]}×{smallest_full[1]},")
    if compact is not False:
        lines.append(f"the compact view {compact_canvas.width}×{compact_canvas.height}.")
    else:
        lines.append("Press c for the compact view.")
    lines.append("Enlarge the terminal.")
    canvas = message_canvas(_wrap(lines, width), width, height)
    canvas.needs = smallest_full or (compact_canvas.width, compact_canvas.height)
    return canvas


def _wrap(lines: list[str], width: int) -> list[str]:
    out = []
    for line in lines:
        words, current = line.split(), ""
        for word in words:
            if current and len(current) + 1 + len(word) > width:
                out.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        out.append(current)
    return out
