"""UnrollDiagram: a recurrent network drawn once per time step, lit up by the current term.

It is a NetworkDiagram with another layout (unroll_layout.py) and step-qualified ids, so colours,
highlights and the legend are the diagram's own. The step of the current term is highlighted in
the header; a term that carries error back in time lights the context weights between its two
steps; while the focus weight's chain rule is stepped, the current factor's path lights up across every step it
runs through.
"""

from __future__ import annotations

from types import MappingProxyType

from rich.segment import Segment

from engine.numbers import fmt
from engine.trace import Term, Trace, copied_unit
from tutor.player import NOTHING, DiagramState, Highlight
from tutor.widgets.diagram import PENDING, NetworkDiagram, Scene
from tutor.widgets.diagram_layout import UPDATED_MARK, Measures, Slot, Span, message_canvas
from tutor.widgets.unroll_layout import (
    STEP_MARK,
    UnrollMeasures,
    at,
    context_layer,
    fitting_steps,
    unrolled_layout,
    unrolled_size,
)

BACK_IN_TIME = "dE_da_back_in_time"


class UnrollDiagram(NetworkDiagram):
    """The unrolled network; `show(player)` takes a TracePlayer over a recurrent (sequence) trace."""

    HELP_WHERE = "On the diagram"

    _focus_step = 1  # the step kept in view when not every step fits
    _shown = range(0)  # the steps drawn

    def show(self, player) -> None:
        term = player.current
        if term is not None and term.step is not None:
            self._focus_step = term.step
        if self.scene is None or self._trace is not player.trace:
            self._trace = player.trace
            self._prepare(player)
            self.scene = self._unrolled_scene(player.trace)
        elif self.mode == "unrolled" and self._focus_step not in self._shown:
            self._relayout()
        self.state = self._state(player)

    def highlight_of(self, term) -> Highlight:
        """What a term lights up in its time step (to show what a term asked for involves)."""
        return self._lit.get(term.id, NOTHING)

    # -- what stays fixed for one trace ---------------------------------------------------------

    def _prepare(self, player) -> None:
        trace = self._trace
        net = trace.net
        self._steps = trace.steps or len(trace.inputs)
        self._context_key = f"{net.layers[context_layer(net)].name}_context"
        self._lit = {term.id: _light(term, self._steps, self._context_key) for term in player.terms}

    def _unrolled_scene(self, trace: Trace) -> Scene:
        net, N = trace.net, trace.notation
        labels: dict[str, str] = {}
        for s in range(1, self._steps + 1):
            for layer in net.layers:
                for j in range(layer.size):
                    labels[at(f"{layer.name}.{j}", s)] = layer.label(j)
        h = net.layers[context_layer(net)]
        for j in range(h.size):
            labels[at(f"{self._context_key}.{j}", 1)] = N.c(h.label(j))
        activations = [abs(t.value) for t in trace.terms if t.kind == "activation"]
        widths = [len(fmt(t.value)) for t in trace.terms if t.kind in ("activation", "dE_dn", "context", "loss")]
        widths += [len(fmt(x)) for x in trace.inputs.ravel()] + [len(fmt(x)) for x in trace.targets.ravel()]
        weights = [trace.weights_before, trace.weights_after]
        weight_width = max(len(fmt(x)) for w in weights for a in w.values() for x in a.ravel()) + len(UPDATED_MARK)
        deltas = [abs(t.value) for t in trace.terms if t.kind == "dE_dn"]
        contexts = [len(fmt(t.value)) for t in trace.terms if t.kind == "context" and t.step == 1]
        self._measures = UnrollMeasures(
            value=max([len(PENDING), *widths]),
            label=max(len(label) for uid, label in labels.items() if not uid.startswith(self._context_key)),
            weight=weight_width,
            names=max(len("time →"), *(len(layer.name) for layer in net.layers)),
            context=max([len(PENDING), *contexts]),
        )
        return Scene(
            net=net,
            notation=N,
            labels=labels,
            measures=Measures(value={}, target={}, weight={}),
            weight_scale=max(float(abs(a).max()) for w in weights for a in w.values() if a.size),
            activation_scale=max([1.0, *activations, *(abs(float(x)) for x in trace.inputs.ravel())]),
            delta_scale=max(deltas, default=0.0),
        )

    # -- the layout ------------------------------------------------------------------------------

    def _fit_to_size(self) -> None:
        """The unrolled view is laid out on resize only (_relayout, here its own)."""

    def _relayout(self) -> None:
        width, height = self.size
        scene = self.scene
        if scene is None or width <= 0 or height <= 0:
            self._canvas = None
            self.mode = "none"
            self._restyle()
            return
        net, m = scene.net, self._measures
        fit = min(self._steps, fitting_steps(net, scene.labels, m, width))
        need_w, need_h = unrolled_size(net, 1, scene.labels, m)
        if fit < 1 or need_h > height:
            full_w, _ = unrolled_size(net, self._steps, scene.labels, m)
            lines = [
                "This pane is too small for the unrolled network:",
                f"it is {width}×{height}; one time step needs {need_w}×{need_h},",
                f"all {self._steps} steps {full_w}×{need_h}.",
                "Enlarge the terminal.",
            ]
            canvas = message_canvas(lines, width, height)
            canvas.needs = (need_w, need_h)
            self._shown = range(0)
        else:
            first = max(1, min(self._focus_step - fit // 2, self._steps - fit + 1))
            self._shown = range(first, first + fit)
            canvas = unrolled_layout(net, scene.labels, m, first, fit, self._steps)
        self._canvas = canvas
        self._origin = (max(0, (width - canvas.width) // 2), max(0, (height - canvas.height) // 2))
        self.mode = canvas.mode
        self._restyle()

    def natural_height(self, width: int) -> int:
        """The rows the unrolled view takes (the same for any number of steps)."""
        scene = self.scene
        return unrolled_size(scene.net, 1, scene.labels, self._measures)[1] if scene is not None else 0

    # -- the state at one position ---------------------------------------------------------------

    def _state(self, player) -> DiagramState:
        trace, position = self._trace, player.position
        net = trace.net
        phase = player.phase
        backward = phase != "forward" and position > 0
        values: dict[str, float | None] = {}
        first = net.layers[0].name
        for s in range(1, self._steps + 1):
            for j in range(net.layers[0].size):
                values[at(f"{first}.{j}", s)] = float(trace.inputs[s - 1][j])
        for term in player.terms[:position]:
            if term.step is None:
                continue
            if term.kind == "loss":
                values[at("E", term.step)] = term.value
            elif term.kind == "context" and term.step == 1:
                values[at(f"{self._context_key}.{term.unit}", 1)] = term.value
            elif term.kind == ("dE_dn" if backward else "activation") and term.unit is not None:
                values[at(f"{term.layer}.{term.unit}", term.step)] = term.value
        targets = {
            at(f"{net.output.name}.{j}", s): float(trace.targets[s - 1][j])
            for s in range(1, self._steps + 1)
            for j in range(net.output.size)
        }
        weights, updated = player.weights()
        drawn = {at(cid, s): w for cid, w in weights.items() for s in range(1, self._steps + 1)}
        lit = {at(cid, s) for cid in updated for s in range(1, self._steps + 1)}
        term = player.current
        current = self._lit[term.id] if term else NOTHING
        state = DiagramState(
            phase=phase,
            quantity="dE_dn" if backward else "activation",
            unit_values=MappingProxyType(values),
            weights=MappingProxyType(drawn),
            updated=frozenset(lit),
            targets=MappingProxyType(targets),
            current=current,
            chain=self._path(player),
            position=position,
        )
        return state

    def _path(self, player) -> Highlight:
        """The current chain-rule factor's path, across the steps it runs through (one path at a time)."""
        lit = [self._lit[t.id] for t in player.path_terms()]
        if not lit:
            return NOTHING
        return Highlight(frozenset().union(*(h.units for h in lit)), frozenset().union(*(h.connections for h in lit)))

    def watch_state(self, state: DiagramState | None) -> None:
        self._restyle()

    def _span_segments(self, span: Span) -> list[Segment]:
        slot = span.slot
        if slot is not None and slot.kind == "weight" and slot.align == "left":
            return [Segment(self._weight_text(slot).ljust(slot.width)[: slot.width], self._style(span.key))]
        return super()._span_segments(span)

    def _weight_text(self, slot: Slot) -> str:
        """A weight beside a vertical line (no line runs up to it)."""
        state = self.state
        value = state.weights.get(slot.id) if state else None
        return PENDING if value is None else fmt(value) + (UPDATED_MARK if slot.id in state.updated else "")


def _light(term: Term, steps: int, context: str) -> Highlight:
    """The step-qualified units and connections a term involves.

    A term that uses context units at step s uses the copy of the context weights that feeds step s
    (from step s − 1); one that carries error back in time from step s + 1 to s (∂E_t/∂a(s)) uses the
    copy that feeds step s + 1. A term with no step (a sum over steps, an update) lights every step.
    """
    if term.step is None:
        at_steps = range(1, steps + 1)
        units = {at(u, s) for u in term.units if not u.startswith(context) for s in at_steps}
        connections = {at(c, s) for c in term.connections for s in at_steps}
        if term.kind == "loss":
            units |= {at("E", s) for s in at_steps}
        return Highlight(frozenset(units), frozenset(connections))
    s = term.step
    link = s + 1 if term.kind == BACK_IN_TIME else s
    units = {at(STEP_MARK, s)}
    for u in term.units:
        if u.startswith(context):
            units.add(at(u, 1) if link == 1 else at(copied_unit(u), link - 1))
            units.add(at(copied_unit(u), link))
        else:
            units.add(at(u, s))
    if term.kind == BACK_IN_TIME:
        units.add(at(STEP_MARK, link))
    connections = {at(c, link if c.startswith(context) else s) for c in term.connections}
    if term.kind == "loss":
        units.add(at("E", s))
    return Highlight(frozenset(units), frozenset(connections))
