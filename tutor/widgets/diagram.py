"""NetworkDiagram: the network drawn unit by unit (or as rows of cells), lit up by the current term.

The layout (diagram_layout.py) is computed once per network and size. A step sets `state`,
which only clears a style memo and the cached lines: the widget draws through the Line API
(`render_line` returns a `Strip` built from the canvas's spans).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from engine.netfile import layer_of
from engine.network import Network
from engine.notation import Notation, get_notation
from engine.numbers import fmt
from engine.trace import Term, Trace, connection
from tutor.player import NOTHING, UNIT_VALUES, DiagramState, Highlight, TracePlayer
from tutor.widgets import colors
from tutor.widgets.diagram_layout import UPDATED_MARK, Canvas, Measures, Span, choose

PENDING = "·"
UNIT = Binding.Group("Unit", compact=True)  # one footer entry for the two unit keys  # a value not computed yet
NATURAL = 10_000  # "any height": asking for the natural size of a view


@dataclass(frozen=True)
class Scene:
    """What stays fixed while stepping through one trace: the network, its labels, text widths, colour scales."""

    net: Network
    notation: Notation
    labels: dict[str, str]
    measures: Measures
    weight_scale: float
    activation_scale: float
    delta_scale: float

    @classmethod
    def from_trace(cls, trace: Trace) -> Scene:
        net = trace.net
        first = net.layers[0].name
        values: dict[str, list[float]] = {f"{first}.{i}": [float(x)] for i, x in enumerate(trace.inputs)}
        activations, deltas = [abs(float(x)) for x in trace.inputs], []
        for term in trace.terms:
            if term.kind in ("activation", "dE_dn") and term.unit is not None and term.pattern is None:
                values.setdefault(f"{term.layer}.{term.unit}", []).append(term.value)
                (activations if term.kind == "activation" else deltas).append(abs(term.value))
        targets = {f"{net.output.name}.{j}": float(t) for j, t in enumerate(trace.targets)}
        used: dict[str, list[tuple[str, float]]] = {}  # what a unit's line of used values may show
        for term in trace.terms:
            if term.kind in UNIT_VALUES and term.unit is not None and term.pattern is None:
                used.setdefault(f"{term.layer}.{term.unit}", []).append((term.kind, term.value))
        return cls._build(
            net,
            trace.notation,
            values,
            targets,
            [trace.weights_before, trace.weights_after],
            activation_scale=max([1.0, *activations]),
            delta_scale=max(deltas, default=0.0),
            used=used,
        )

    @classmethod
    def from_network(cls, net: Network, notation: Notation | None = None) -> Scene:
        """A scene with the network's weights and no values (units show the placeholder)."""
        return cls._build(net, notation or get_notation(), {}, {}, [net.params], 1.0, 0.0)

    @classmethod
    def _build(
        cls,
        net: Network,
        notation: Notation,
        values: dict[str, list[float]],
        targets: dict[str, float],
        weight_sets: list[dict[str, np.ndarray]],
        activation_scale: float,
        delta_scale: float,
        used: dict[str, list[tuple[str, float]]] | None = None,
    ) -> Scene:
        labels = {}
        for layer in net.layers:
            for j in range(layer.size):
                labels[f"{layer.name}.{j}"] = layer.label(j)
            if layer.context:
                for j in range(layer.size):
                    labels[f"{layer.name}_context.{j}"] = notation.c(layer.label(j))
        value_width = {uid: max([len(PENDING), *(len(fmt(v)) for v in values.get(uid, ()))]) for uid in labels}
        weight_width: dict[str, int] = {}
        largest = 0.0
        for weights in weight_sets:
            for key, array in weights.items():
                if not array.size:
                    continue
                layer = layer_of(key)
                widest = max(len(fmt(x)) for x in array.ravel()) + len(UPDATED_MARK)
                weight_width[layer] = max(weight_width.get(layer, 0), widest)
                largest = max(largest, float(np.abs(array).max()))
        return cls(
            net=net,
            notation=notation,
            labels=labels,
            measures=Measures(
                value=value_width,
                target={uid: len(fmt(t)) for uid, t in targets.items()},
                weight=weight_width,
                uses={
                    uid: max(len(used_text(notation, labels[uid], kind, v)) for kind, v in pairs)
                    for uid, pairs in (used or {}).items()
                    if uid in labels
                },
            ),
            weight_scale=largest,
            activation_scale=activation_scale,
            delta_scale=delta_scale,
        )


def used_text(notation: Notation, label: str, kind: str, value: float) -> str:
    """A value a term uses, as a unit's extra line shows it: "a_h1 0.5"."""
    N = notation
    symbol = N.n(label) if kind == "net_input" else N.a(label)
    return f"{symbol} {fmt(value)}"


def static_state(net: Network) -> DiagramState:
    """A state with the network's weights and nothing computed."""
    weights = {
        connection(key, *(int(i) for i in index)): float(array[index])
        for key, array in net.params.items()
        for index in np.ndindex(array.shape)
    }
    return DiagramState(
        phase="forward", quantity="activation", unit_values={}, weights=weights, updated=frozenset(), targets={}
    )


class NetworkDiagram(Widget, can_focus=True):
    """The network as unit blocks and circuit-style connections, or rows of cells when it is too big."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HELP_PATH = Path(__file__).with_suffix(".md")  # what the help screen says about this widget
    HELP_WHERE = "On the diagram (compact view)"  # the help screen's heading for its keys

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "network-diagram--unit",
        "network-diagram--pending",
        "network-diagram--target",
        "network-diagram--copy",
        "network-diagram--current",
        "network-diagram--current-line",
        "network-diagram--current-label",
        "network-diagram--chain",
        "network-diagram--chain-line",
        "network-diagram--chain-label",
        "network-diagram--cursor",
        "network-diagram--header",
        "network-diagram--legend",
        "network-diagram--message",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move_cursor(-1, 0)", "Layer up", show=False, id="diagram.layer_up"),
        Binding("down,j", "move_cursor(1, 0)", "Layer down", show=False, id="diagram.layer_down"),
        Binding("left_square_bracket,comma", "move_cursor(0, -1)", "Unit ◂", group=UNIT, id="diagram.unit_left"),
        Binding("right_square_bracket,full_stop", "move_cursor(0, 1)", "Unit ▸", group=UNIT, id="diagram.unit_right"),
    ]

    scene: reactive[Scene | None] = reactive(None, always_update=True, repaint=False)
    """What is drawn; setting it lays the diagram out again."""
    state: reactive[DiagramState | None] = reactive(None, always_update=True, repaint=False)
    """The values and highlights of the current step; setting it only restyles."""
    compact: reactive[bool | None] = reactive(None, repaint=False)
    """None: compact view when the full one does not fit; True or False: that view."""
    mode: reactive[str] = reactive("none", bindings=True, repaint=False)
    """The view shown: full, compact, small (the too-small message) or none (nothing to draw)."""
    cursor: reactive[str | None] = reactive(None, repaint=False)
    """The unit whose value the compact view spells out."""

    @dataclass
    class ModeChanged(Message):
        """The diagram switched between the full view, the compact view and the too-small message."""

        diagram: NetworkDiagram
        mode: str

    @dataclass
    class UnitSelected(Message):
        """The compact view's cursor moved to a unit."""

        diagram: NetworkDiagram
        unit: str

    def __init__(
        self,
        player: TracePlayer | None = None,
        *,
        compact: bool | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ):
        super().__init__(name=name, id=id, classes=classes)
        self._canvas: Canvas | None = None
        self._origin = (0, 0)
        self._trace: Trace | None = None  # the trace the scene was made from
        self._lines: dict[int, Strip] = {}
        self._styles: dict[tuple, Style] = {}
        self._layouts: dict[tuple, Canvas] = {}
        self._components: dict[str, Style] = {}  # component styles from the TCSS ("" is the widget's own)
        self._drawn_with: dict[str, Style] | None = None  # after a change of CSS: the styles the lines were drawn with
        self._fitted: Size | None = None  # the size the canvas and its place were chosen for
        self._row_ids: list[frozenset[str]] = []  # per canvas row, the units and connections drawn on it
        self._styled_focused = False  # whether its styles were last looked up focused (or -asked: the same look)
        self.set_reactive(NetworkDiagram.compact, compact)
        if player is not None:
            self._trace = player.trace
            self.set_reactive(NetworkDiagram.scene, Scene.from_trace(player.trace))
            self.set_reactive(NetworkDiagram.state, player.diagram_state())

    # -- feeding it -----------------------------------------------------------------------

    def show(self, player: TracePlayer) -> None:
        """Draw a TracePlayer's trace (laying out again only if the trace changed) at its position."""
        if self.scene is None or self._trace is not player.trace:
            self._trace = player.trace
            self.scene = Scene.from_trace(player.trace)
        self.state = player.diagram_state()

    def highlight_of(self, term: Term) -> Highlight:
        """What a term lights up (to show what a term asked for involves, before its value)."""
        return Highlight(frozenset(term.units), frozenset(term.connections))

    def show_network(self, net: Network, notation: Notation | None = None) -> None:
        """Draw a network with its weights and no values (before any trace)."""
        self._trace = None
        self.scene = Scene.from_network(net, notation)
        self.state = static_state(net)

    # -- watchers -------------------------------------------------------------------------

    def watch_scene(self) -> None:
        self._layouts.clear()
        self.refresh(layout=True)
        self._relayout()

    def watch_compact(self) -> None:
        self._relayout()

    def watch_state(self, old: DiagramState | None, state: DiagramState | None) -> None:
        dirty = changed(old, state)
        if state is not None and state.position and state.unit and state.unit != self.cursor:
            if dirty is not None:
                dirty |= {self.cursor, state.unit, INFO}
            self.set_reactive(NetworkDiagram.cursor, state.unit)  # the cursor follows the current term
        self._restyle(dirty)

    def watch_cursor(self, old: str | None, new: str | None) -> None:
        self._restyle({old, new, INFO})

    def watch_mode(self, old: str, new: str) -> None:
        self.remove_class(f"-{old}")
        self.add_class(f"-{new}")
        self.post_message(self.ModeChanged(self, new))

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    # -- layout and styles ----------------------------------------------------------------

    @property
    def canvas(self) -> Canvas | None:
        """The layout currently drawn."""
        return self._canvas

    def _layout(self, width: int, height: int) -> Canvas:
        """The view for a size, computed once per scene, size and compact setting."""
        key = (width, height, self.compact)
        canvas = self._layouts.get(key)
        if canvas is None:
            scene = self.scene
            canvas = self._layouts[key] = choose(scene.net, scene.labels, scene.measures, width, height, self.compact)
        return canvas

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """With `height: auto`, as tall as the most spacious view that fits the width."""
        if self.scene is None:
            return 1
        return self.natural_height(width)

    def natural_height(self, width: int) -> int:
        """The rows the most spacious view that fits `width` takes (0 before there is a network to draw)."""
        return self._layout(width, NATURAL).height if self.scene is not None else 0

    def _fit(self) -> Canvas | None:
        """The view for the widget's size and where it goes (centred); lines drawn for another are forgotten."""
        width, height = self._fitted = self.size
        if self.scene is None or width <= 0 or height <= 0:
            self._canvas = None
            return None
        canvas = self._layout(width, height)
        origin = (max(0, (width - canvas.width) // 2), max(0, (height - canvas.height) // 2))
        if canvas is not self._canvas or origin != self._origin:
            self._canvas, self._origin = canvas, origin
            self._row_ids = [_ids_in(row) for row in canvas.rows]
            self._lines.clear()
        return canvas

    def _fit_to_size(self) -> None:
        """Resized, and drawn before the Resize event arrives (a turn later): fitted now, so that this frame shows
        the diagram where it goes (on_resize then finds it done), not where it was and a frame later where it goes."""
        if self.mode != "none":
            self._fit()

    def _relayout(self) -> None:
        drawn = (self._fitted == self.size, self._canvas, self._origin, self.mode)
        canvas = self._fit()
        if canvas is None:
            self.mode = "none"
        else:
            self.mode = canvas.mode
            if canvas.mode == "compact" and not self._cursor_place():
                self.set_reactive(NetworkDiagram.cursor, canvas.order[0][0] if canvas.order else None)
        if canvas is not None and drawn == (True, canvas, self._origin, self.mode):
            return  # drawn at this size already (render_line fitted it, in the frame that resized it)
        self._restyle()

    def _restyle(self, dirty: set[str | None] | None = None) -> None:
        """Forget styles, and the drawn lines that show any of the `dirty` ids (all lines if None)."""
        self._styles.clear()
        if dirty is None or self._canvas is None:
            self._lines.clear()
            self.refresh()
            return
        if self.cursor in dirty:
            dirty.add(INFO)  # the compact view spells out the cursor unit's value
        y0 = self._origin[1]
        for row, ids in enumerate(self._row_ids):
            if not ids.isdisjoint(dirty):
                self._lines.pop(row + y0, None)
                self.refresh(Region(0, row + y0, self.size.width, 1))

    def notify_style_update(self) -> None:
        """Styles are looked up again; the drawn lines are kept if they come out the same (render_line compares).
        The focus moving restyles the diagram (its :focus tint), and drawing every row again cost as much as the
        rest of opening the predict box (NetworkDiagram.-asked keeps the tint then)."""
        super().notify_style_update()
        self._styled_focused = self.has_focus or self.has_class("-asked")
        if self._drawn_with is None and self._lines:
            self._drawn_with = dict(self._components)
        self._components.clear()
        self._styles.clear()

    def _on_focus(self, event: events.Focus) -> None:
        self._focus_moved(event, True)

    def _on_blur(self, event: events.Blur) -> None:
        self._focus_moved(event, False)

    def _focus_moved(self, event: events.Focus | events.Blur, focused: bool) -> None:
        """Widget's own handler (run after this one unless prevented) restyles the diagram and draws it whole. Only
        if the focus changes its look: -asked looks as :focus does (diagram.tcss), so the keyboard going to the
        predict box and back does neither (its 14 component classes took ~2.5 ms of each opening and verdict, and
        the frame drew every row again, ~2 ms)."""
        if (focused or self.has_class("-asked")) != self._styled_focused:
            return
        event.prevent_default()
        self.set_reactive(Widget.has_focus, focused)  # without its watcher, which restyles
        if self.parent is not None:
            self.parent.post_message(events.DescendantFocus(self) if focused else events.DescendantBlur(self))

    def _restyled(self) -> None:
        """After a change of CSS: forget the drawn lines if any style they were drawn with has changed."""
        drawn, self._drawn_with = self._drawn_with, None
        if any((self._base if name == "" else self._component(name)) != style for name, style in drawn.items()):
            self._lines.clear()

    def _component(self, name: str) -> Style:
        style = self._components.get(name)
        if style is None:
            style = self._components[name] = self.get_component_rich_style(f"network-diagram--{name}", partial=True)
        return style

    @property
    def _base(self) -> Style:
        """The widget's own style (its background), looked up once per change of CSS."""
        style = self._components.get("")
        if style is None:
            style = self._components[""] = self.rich_style
        return style

    def _rank(self, key: tuple) -> int:
        """2 if the element is part of the current term, 1 if of the chain path, 0 otherwise."""
        state = self.state
        if state is None:
            return 0
        kind = key[0]
        for rank, light in ((2, state.current), (1, state.chain)):
            if kind in ("conn", "label") and key[1] in light.connections:
                return rank
            if kind in ("unit", "target", "cell", "marker", "copy") and self._unit_lit(key[1], light):
                return rank
        return 0

    def _unit_lit(self, uid: str, light: Highlight) -> bool:
        if uid in light.units:
            return True
        # A bias unit has no trace id of its own: it lights up with its connections.
        return uid.endswith("_bias") and any(c.startswith(uid + "[") for c in light.connections)

    def _style(self, key: tuple) -> Style:
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = self._base + self._compute_style(key)
        return style

    def _compute_style(self, key: tuple) -> Style:
        kind = key[0]
        state, scene = self.state or _EMPTY, self.scene
        if kind == "cross":
            vertical, horizontal = key[1], key[2]
            return self._compute_style(horizontal if self._rank(horizontal) > self._rank(vertical) else vertical)
        rank = self._rank(key) if kind != "text" else 0
        light = {2: "current", 1: "chain"}.get(rank)
        if kind in ("conn", "label"):
            if light:
                return self._component(f"{light}-{'line' if kind == 'conn' else 'label'}")
            weight = state.weights.get(key[1], 0.0)
            return colors.line_style(colors.level(weight, scene.weight_scale if scene else 1.0))
        if kind == "copy":
            return self._component(f"{light}-line") if light else self._component(kind)
        if kind in ("unit", "target"):
            if light:
                return self._component(light)
            value = state.unit_values.get(key[1])
            base = self._component("unit")
            if value is None:
                base += self._component("pending")
            else:
                base += colors.fill_style(colors.level(value, self._unit_scale(key[1])))
            return base + self._component("target") if kind == "target" else base
        if kind == "cell":
            value = state.unit_values.get(key[1])
            if value is None:
                return self._component("unit")
            return colors.cell_style(colors.level(value, self._unit_scale(key[1])))
        if kind == "tcell":
            value = state.targets.get(key[1])
            return self._component("unit") if value is None else colors.cell_style(colors.level(value, 1.0))
        if kind == "marker":
            if light:
                return self._component(f"{light}-line")
            return self._component("cursor")
        if kind == "legend-swatch":
            return self._component(key[1])
        if kind == "text":
            return self._component(key[1])
        return Style()

    def _unit_scale(self, uid: str) -> float:
        scene, state = self.scene, self.state
        if scene is None:
            return 1.0
        if state is None or state.quantity == "activation" or uid.startswith(scene.net.layers[0].name + "."):
            return scene.activation_scale
        return scene.delta_scale

    # -- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if self._drawn_with is not None:
            self._restyled()
        if self._fitted != self.size:
            self._fit_to_size()
        line = self._lines.get(y)
        if line is None:
            line = self._lines[y] = self._render_row(y)
        return line

    def _render_row(self, y: int) -> Strip:
        width = self.size.width
        base = self._base
        canvas = self._canvas
        x0, y0 = self._origin
        row = y - y0
        if canvas is None or not 0 <= row < canvas.height:
            return Strip.blank(width, base)
        segments = [Segment(" " * x0, base)] if x0 else []
        x = 0
        for span in canvas.rows[row]:
            if span.x > x:
                segments.append(Segment(" " * (span.x - x), base))
            segments.extend(self._span_segments(span))
            x = span.x + span.width
        return Strip(segments).crop_extend(0, width, base)

    def _span_segments(self, span: Span) -> list[Segment]:
        slot = span.slot
        if slot is None:
            return [Segment(span.text, self._style(span.key))]
        if slot.kind == "legend":  # the legend may use the whole width of the widget
            return _fit(self._legend(), max(slot.width, self.size.width - self._origin[0]))
        if slot.kind == "info":
            return _fit([[segment] for segment in self._info()], slot.width)
        if slot.kind == "weight":
            return self._weight_segments(span)
        return [Segment(self._slot_text(span), self._style(span.key))]

    def _weight_segments(self, span: Span) -> list[Segment]:
        """A weight printed on its line: the line runs on up to the number."""
        slot, state = span.slot, self.state or _EMPTY
        value = state.weights.get(slot.id)
        text = PENDING if value is None else fmt(value) + (UPDATED_MARK if slot.id in state.updated else "")
        text = text[-slot.width :]
        line = Segment("─" * (slot.width - len(text)), self._style(("conn", slot.id)))
        return [line, Segment(text, self._style(span.key))]

    def _slot_text(self, span: Span) -> str:
        slot, state = span.slot, self.state or _EMPTY
        if slot.kind == "value":
            value = state.unit_values.get(slot.id)
            text = PENDING if value is None else fmt(value)
        elif slot.kind == "uses":
            scene = self.scene
            used = state.uses.get(slot.id, ())
            text = "  ".join(used_text(scene.notation, scene.labels[slot.id], kind, v) for kind, v in used)
        elif slot.kind == "target":
            value = state.targets.get(slot.id)
            text = PENDING if value is None else fmt(value)
        elif slot.kind == "marker":
            rank = self._rank(span.key)
            mark = "▀" if rank else ("▲" if slot.id == self.cursor else " ")
            text = mark * slot.width
        else:  # a compact-mode cell: colour only
            text = " " * slot.width
        return text.rjust(slot.width)[: slot.width] if slot.align == "right" else text.ljust(slot.width)

    def _legend(self) -> list[list[Segment]]:
        """The colour scale, what the highlights mean, what the units show: parts dropped from the end if narrow."""
        scene, state = self.scene, self.state or _EMPTY
        if scene is None:
            return []
        legend = self._style(("text", "legend"))
        gap = Segment("  ", self._base)
        # The two ends say the sign in a glyph as well as a colour (− blue, + orange), in the same width.
        ends = {-colors.LEVELS: "−", colors.LEVELS: "+"}
        swatch = [Segment(ends.get(step, "█"), self._base + colors.line_style(step)) for step in range(-6, 7, 2)]
        if self._canvas is not None and self._canvas.mode == "compact":
            parts = [[Segment(" values − ", legend), *swatch, Segment(" +", legend)]]
        else:
            scale = scene.weight_scale
            parts = [[Segment(f" weights {fmt(-scale, 2)} ", legend), *swatch, Segment(f" {fmt(scale, 2)}", legend)]]
        parts.append([gap, Segment("  ", self._style(("legend-swatch", "current"))), Segment(" current term", legend)])
        if state.chain:
            parts.append([gap, Segment("  ", self._style(("legend-swatch", "chain"))), Segment(" chain path", legend)])
        N = scene.notation
        shown = N.a("j") if state.quantity == "activation" else N.d(N.error, N.n("j"))
        parts.append([gap, Segment(f"units: {shown}", legend)])
        if (
            self._canvas is not None
            and self._canvas.mode == "full"
            and any(layer.context for layer in scene.net.layers)
        ):
            parts.append([gap, Segment("┄ copy to context", self._style(("copy", "")))])
        return parts

    def _info(self) -> list[Segment]:
        """Compact view: the cursor unit's value spelled out."""
        scene, state, uid = self.scene, self.state or _EMPTY, self.cursor
        if scene is None or uid is None:
            return []
        legend = self._style(("text", "legend"))
        label = scene.labels.get(uid, uid)
        value = state.unit_values.get(uid)
        N = scene.notation
        is_input = uid.startswith(scene.net.layers[0].name + ".")
        if state.quantity == "activation" or is_input:
            symbol = N.a(label, is_input=is_input)
        else:
            symbol = N.d(N.error, N.n(label))
        text = f" ▲ {label} ({uid}): {symbol} = {PENDING if value is None else fmt(value)}"
        if uid in state.targets:
            text += f"   {N.t(label)} = {fmt(state.targets[uid])}"
        return [Segment(text, self._style(("text", "cursor"))), Segment("   [ ] or click: another unit", legend)]

    # -- the compact view's cursor ----------------------------------------------------------

    def _cursor_place(self) -> tuple[int, int] | None:
        canvas = self._canvas
        if canvas is None:
            return None
        for r, ids in enumerate(canvas.order):
            if self.cursor in ids:
                return r, ids.index(self.cursor)
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move_cursor":
            return self.mode == "compact"
        return True

    def action_move_cursor(self, rows: int, units: int) -> None:
        canvas, place = self._canvas, self._cursor_place()
        if canvas is None or not canvas.order:
            return
        r, i = place or (0, 0)
        r = max(0, min(r + rows, len(canvas.order) - 1))
        ids = canvas.order[r]
        i = max(0, min(i + units, len(ids) - 1))
        self.select(ids[i])

    def select(self, uid: str) -> None:
        """Put the compact view's cursor on a unit and tell whoever listens."""
        self.cursor = uid
        self.post_message(self.UnitSelected(self, uid))

    def on_click(self, event: events.Click) -> None:
        canvas = self._canvas
        if canvas is None:
            return
        x, y = event.x - self._origin[0], event.y - self._origin[1]
        for x0, x1, uid in canvas.hits.get(y, []):
            if x0 <= x < x1:
                self.select(uid)
                return


_EMPTY = DiagramState("forward", "activation", {}, {}, frozenset(), {}, NOTHING, NOTHING)


def _fit(parts: list[list[Segment]], width: int) -> list[Segment]:
    """Keep whole parts, in order, while they fit in the width."""
    out: list[Segment] = []
    used = 0
    for part in parts:
        size = sum(len(segment.text) for segment in part)
        if used + size > width:
            break
        out.extend(part)
        used += size
    return out


INFO, LEGEND = "#info", "#legend"  # the compact view's info line and the legend, as dirty ids


def _ids_in(row: list[Span]) -> frozenset[str]:
    """The unit and connection ids whose look a row of the canvas depends on."""
    ids = set()
    for span in row:
        key = span.key
        if key[0] == "cross":
            ids.update((key[1][1], key[2][1]))
        elif key[0] == "text":
            ids.add(INFO if key[1] == "info" else LEGEND)
        elif len(key) > 1:
            ids.add(key[1])
    return frozenset(ids)


def changed(old: DiagramState | None, new: DiagramState | None) -> set[str | None] | None:
    """The unit and connection ids that look different in `new` than in `old`; None if everything may."""
    if old is None or new is None or old.quantity != new.quantity or bool(old.chain) != bool(new.chain):
        return None
    ids: set[str | None] = set()
    ids.update(old.current.units ^ new.current.units, old.chain.units ^ new.chain.units)
    connections = (old.current.connections ^ new.current.connections) | (old.chain.connections ^ new.chain.connections)
    connections |= {c for c, w in new.weights.items() if old.weights.get(c) != w} | (old.updated ^ new.updated)
    ids |= connections
    ids |= {c.partition("[")[0] for c in connections if "_bias[" in c}  # a bias unit lights up with its lines
    ids |= {u for u, v in new.unit_values.items() if old.unit_values.get(u) != v}
    ids |= {u for u in old.uses.keys() | new.uses.keys() if old.uses.get(u) != new.uses.get(u)}
    return ids
