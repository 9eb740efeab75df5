"""The unrolled trace of a recurrent network: one sequence, step by step, then back through time.

Forward: at every step t, the context copy c(t) = a(t − 1), the net inputs, activations and E_t;
then E = Σ_t E_t. Backward, error source by error source (the lecture's ∂E/∂W = Σ_t ∂E_t/∂W):
E_t's error at step t, then carried back through the context weights to steps t − 1, t − 2, ...
as far as `bptt_steps` allows; then each ∂E_t/∂w and their sum ∂E/∂w. Update: as in a
feed-forward trace. Values come from engine.recurrent's arrays (backward_by_lag).
"""

from __future__ import annotations

import numpy as np

from engine.netfile import layer_of
from engine.network import Network, slopes
from engine.notation import Notation, get_notation
from engine.numbers import fmt, fmt_operand
from engine.recurrent import SequencePass, backward_by_lag, context_layer, forward_sequence, source_gradients
from engine.trace import (
    MAX_PATHS,
    Chain,
    Term,
    Trace,
    Weight,
    connection,
    fan_out_note,
    fused_note,
    parse_connection,
    rule,
    scaled,
    update_terms,
    weight_id,
    weight_symbol,
)

_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sub(number: int) -> str:
    return str(number).translate(_SUBSCRIPT)


class _SeqBuilder:
    def __init__(self, net: Network, rec: SequencePass, changes: dict, N: Notation, lags: int):
        self.net, self.rec, self.changes, self.N, self.lags = net, rec, changes, N, lags
        self.h = context_layer(net)
        self.top = len(net.layers) - 1
        self.T = len(rec.target)
        self.terms: list[Term] = []
        self.where: dict[str, int] = {}  # term id → its place in self.terms (the latest, if written twice)
        self.slopes_shown: set[tuple[int, int, int]] = set()

    # -- names ----------------------------------------------------------------------------

    def label(self, k: int, j: int) -> str:
        return self.net.layers[k].label(j)

    def at(self, symbol: str, s: int) -> str:
        return self.N.at(symbol, s)

    def a(self, k: int, j: int, s: int) -> str:
        return self.at(self.N.a(self.label(k, j), is_input=(k == 0)), s)

    def n(self, k: int, j: int, s: int) -> str:
        return self.at(self.N.n(self.label(k, j)), s)

    def c(self, j: int, s: int) -> str:
        return self.at(self.N.c(self.label(self.h, j)), s)

    def w(self, key: str, to: int, source: int) -> str:
        """Symbol of weight key[to][source]; context weights are named after the context unit."""
        return weight_symbol(self.net, self.N, key, (to, source))

    def rule(self, kind: str, k: int = 0) -> str:
        """The general rule, as in a feed-forward trace, for one step's error E_t."""
        return rule(self.net, self.N, kind, k, step_error=True)

    def E(self, t: int | None = None) -> str:
        return self.N.error if t is None else f"{self.N.error}{_sub(t)}"

    def add(self, **fields) -> Term:
        term = Term(**fields)
        self.where[term.id] = len(self.terms)
        self.terms.append(term)
        return term

    # -- forward --------------------------------------------------------------------------

    def forward(self) -> None:
        net, rec, N = self.net, self.rec, self.N
        layers = net.layers
        hl = layers[self.h]
        for s in range(1, self.T + 1):
            r = s - 1
            for j in range(hl.size):
                if s == 1:
                    formula, expression, deps = "initial context", fmt(rec.context[0, j]), ()
                else:
                    formula, expression = self.a(self.h, j, s - 1), fmt(rec.context[r, j])
                    deps = (f"a.{hl.name}.{j}@t{s - 1}",)
                self.add(
                    id=f"c.{hl.name}.{j}@t{s}",
                    phase="forward",
                    kind="context",
                    symbol=self.c(j, s),
                    formula=formula,
                    expression=expression,
                    value=float(rec.context[r, j]),
                    depends=deps,
                    units=(f"{hl.name}_context.{j}", f"{hl.name}.{j}"),
                    layer=hl.name,
                    unit=j,
                    step=s,
                    rule=f"{N.c('j')}(t) = {N.a('j')}(t − 1)",
                    note="The context units hold a copy of the hidden layer from the step before; the copy "
                    "link is fixed at 1 and never trained."
                    if s == 2 and j == 0
                    else "",
                )
            for k in range(1, len(layers)):
                self._net_input(k, s)
                self._activation(k, s)
            self._step_loss(s)
        self.add(
            id="E",
            phase="forward",
            kind="loss",
            symbol=self.E(),
            formula=" + ".join(self.E(s) for s in range(1, self.T + 1)),
            expression=" + ".join(fmt_operand(v) for v in rec.step_loss),
            value=float(rec.loss),
            depends=tuple(f"E@t{s}" for s in range(1, self.T + 1)),
            layer=net.output.name,
            rule=f"{N.error} = Σ_t {N.error}_t",
        )

    def _net_input(self, k: int, s: int) -> None:
        net, rec, N = self.net, self.rec, self.N
        layer, below = net.layers[k], net.layers[k - 1]
        r = s - 1
        W = net.params[layer.name]
        for j in range(layer.size):
            sym, num, deps, conns, units = [], [], [], [], [f"{below.name}.{i}" for i in range(below.size)]
            for i in range(below.size):
                sym.append(f"{self.a(k - 1, i, s)} · {self.w(layer.name, j, i)}")
                num.append(f"{fmt_operand(rec.activation[k - 1][r, i])} × {fmt_operand(W[j, i])}")
                conns.append(connection(layer.name, j, i))
                if k > 1:
                    deps.append(f"a.{below.name}.{i}@t{s}")
            if layer.context:
                C = net.params[layer.name + "_context"]
                for m in range(layer.size):
                    sym.append(f"{self.c(m, s)} · {self.w(layer.name + '_context', j, m)}")
                    num.append(f"{fmt_operand(rec.context[r, m])} × {fmt_operand(C[j, m])}")
                    conns.append(connection(layer.name + "_context", j, m))
                    deps.append(f"c.{layer.name}.{m}@t{s}")
                    units.append(f"{layer.name}_context.{m}")
            if layer.bias:
                sym.append(weight_symbol(net, N, layer.name + "_bias", (j,)))
                num.append(fmt_operand(net.params[layer.name + "_bias"][j]))
                conns.append(connection(layer.name + "_bias", j))
            self.add(
                id=f"n.{layer.name}.{j}@t{s}",
                phase="forward",
                kind="net_input",
                symbol=self.n(k, j, s),
                formula=" + ".join(sym),
                expression=" + ".join(num),
                value=float(rec.net_input[k][r, j]),
                depends=tuple(deps),
                units=(*units, f"{layer.name}.{j}"),
                connections=tuple(conns),
                layer=layer.name,
                unit=j,
                step=s,
                rule=f"{N.n('j')} = Σ_i {N.a('i')} {N.w('i', 'j')}"
                + (f" + Σ_k {N.c('k')} w_ck,j" if layer.context else "")
                + f" + {N.b('j')}",
            )

    def _activation(self, k: int, s: int) -> None:
        net, rec = self.net, self.rec
        layer, fn = net.layers[k], net.fns[k]
        r = s - 1
        for j in range(layer.size):
            n_sym = self.n(k, j, s)
            if fn.elementwise:
                formula = fn.value_formula.format(n=n_sym)
                expression = fn.value_numbers(rec.net_input[k][r, j])
                deps = (f"n.{layer.name}.{j}@t{s}",)
            else:
                formula = f"e^{n_sym} / ({' + '.join(f'e^{self.n(k, m, s)}' for m in range(layer.size))})"
                expression = (
                    f"e^{fmt_operand(rec.net_input[k][r, j])} / "
                    f"({' + '.join(f'e^{fmt_operand(x)}' for x in rec.net_input[k][r])})"
                )
                deps = tuple(f"n.{layer.name}.{m}@t{s}" for m in range(layer.size))
            self.add(
                id=f"a.{layer.name}.{j}@t{s}",
                phase="forward",
                kind="activation",
                symbol=self.a(k, j, s),
                formula=formula,
                expression=expression,
                value=float(rec.activation[k][r, j]),
                depends=deps,
                units=(f"{layer.name}.{j}",),
                layer=layer.name,
                unit=j,
                step=s,
                rule=self.rule("activation", k),
            )

    def _step_loss(self, s: int) -> None:
        net, rec, N = self.net, self.rec, self.N
        out, top, r = net.output, self.top, s - 1
        sym_t, num_t = net.loss.unit_templates(out.activation)
        parts_sym = [sym_t.format(t=self.at(N.t(lab), s), a=self.at(N.a(lab), s)) for lab in out.labels]
        parts_num = [
            num_t.format(t=fmt_operand(rec.target[r, j]), a=fmt_operand(rec.activation[top][r, j]))
            for j in range(out.size)
        ]
        self.add(
            id=f"E@t{s}",
            phase="forward",
            kind="loss",
            symbol=self.E(s),
            formula=scaled(net.loss.scale, parts_sym, "·"),
            expression=scaled(net.loss.scale, parts_num, "×"),
            value=float(rec.step_loss[r]),
            depends=tuple(f"a.{out.name}.{j}@t{s}" for j in range(out.size)),
            units=tuple(f"{out.name}.{j}" for j in range(out.size)),
            layer=out.name,
            step=s,
            rule=self.rule("loss"),
        )

    # -- backward, error source by error source -------------------------------------------

    def backward(self) -> None:
        for t in range(1, self.T + 1):
            self._source(t)
        self._totals()

    def _source(self, t: int) -> None:
        """E_t's error: at step t through the layers, then back in time through the context weights."""
        net, rec, N = self.net, self.rec, self.N
        top, h = self.top, self.h
        r = t - 1
        E = self.E(t)
        out = net.output
        for j in range(out.size):
            lab = out.labels[j]
            a_sym, t_sym = self.at(N.a(lab), t), self.at(N.t(lab), t)
            a, tv = rec.activation[top][r, j], rec.target[r, j]
            if net.loss.fuses_with(out.activation):
                self.add(
                    id=f"dE{t}/dn.{out.name}.{j}@t{t}",
                    phase="backward",
                    kind="dE_dn",
                    symbol=N.d(E, self.n(top, j, t)),
                    formula=f"{a_sym} − {t_sym}",
                    expression=f"{fmt_operand(a)} − {fmt_operand(tv)}",
                    value=float(rec.by_lag[top][0][r, j]),
                    depends=(f"a.{out.name}.{j}@t{t}",),
                    units=(f"{out.name}.{j}",),
                    layer=out.name,
                    unit=j,
                    source=t,
                    step=t,
                    rule=self.rule("dE_dn_fused"),
                    note=fused_note(out.activation),
                )
                continue
            self.add(
                id=f"dE{t}/da.{out.name}.{j}@t{t}",
                phase="backward",
                kind="dE_da",
                symbol=N.d(E, a_sym),
                formula=net.loss.dE_da_symbols.format(t=t_sym, a=a_sym),
                expression=net.loss.dE_da_numbers.format(t=fmt_operand(tv), a=fmt_operand(a)),
                value=float(rec.dE_da_by_lag[top][0][r, j]),
                depends=(f"a.{out.name}.{j}@t{t}",),
                units=(f"{out.name}.{j}",),
                layer=out.name,
                unit=j,
                source=t,
                step=t,
                rule=self.rule("dE_da_output"),
            )
            self._through(top, j, t, 0)
        for k in range(top - 1, 0, -1):
            lags = range(self.lags + 1) if k <= h else range(1)
            for d in lags:
                s = t - d
                if s < 1:
                    break
                for j in range(net.layers[k].size):
                    self._hidden_error(k, j, t, d)
                    self._through(k, j, t, d)
        self._source_gradients(t)

    def _hidden_error(self, k: int, j: int, t: int, d: int) -> None:
        """∂E_t/∂a_j at step t − d: from the layer above at the same step, or (d > 0, context layer)
        from the context layer one step later, through the context weights."""
        net, rec, N = self.net, self.rec, self.N
        layer = net.layers[k]
        s, r = t - d, t - 1
        E = self.E(t)
        if k == self.h and d > 0:
            C = net.params[layer.name + "_context"]
            nxt = rec.by_lag[k][d - 1][r]
            sym = [
                f"{N.d(E, self.n(k, m, s + 1))} · {self.w(layer.name + '_context', m, j)}" for m in range(layer.size)
            ]
            num = [f"{fmt_operand(nxt[m])} × {fmt_operand(C[m, j])}" for m in range(layer.size)]
            deps = tuple(f"dE{t}/dn.{layer.name}.{m}@t{s + 1}" for m in range(layer.size))
            conns = tuple(connection(layer.name + "_context", m, j) for m in range(layer.size))
            units = (
                f"{layer.name}.{j}",
                f"{layer.name}_context.{j}",
                *(f"{layer.name}.{m}" for m in range(layer.size)),
            )
            note = (
                f"{E}'s error travels back in time: {self.a(k, j, s)} reached step {s + 1} only through the "
                f"context unit {self.c(j, s + 1)}, so its error comes through the context weights."
            )
            kind = "dE_da_back_in_time"
        else:
            above = net.layers[k + 1]
            W = net.params[above.name]
            nxt = rec.by_lag[k + 1][d][r]
            sym = [f"{N.d(E, self.n(k + 1, q, s))} · {self.w(above.name, q, j)}" for q in range(above.size)]
            num = [f"{fmt_operand(nxt[q])} × {fmt_operand(W[q, j])}" for q in range(above.size)]
            deps = tuple(f"dE{t}/dn.{above.name}.{q}@t{s}" for q in range(above.size))
            conns = tuple(connection(above.name, q, j) for q in range(above.size))
            units = (f"{layer.name}.{j}", *(f"{above.name}.{q}" for q in range(above.size)))
            note, kind = fan_out_note(self.a(k, j, s), above.size), "dE_da"
        self.add(
            id=f"dE{t}/da.{layer.name}.{j}@t{s}",
            phase="backward",
            kind=kind,
            symbol=N.d(E, self.a(k, j, s)),
            formula=" + ".join(sym),
            expression=" + ".join(num),
            value=float(rec.dE_da_by_lag[k][d][r, j]),
            depends=deps,
            units=units,
            connections=conns,
            layer=layer.name,
            unit=j,
            source=t,
            step=s,
            note=note,
            rule=self.rule("dE_da_hidden" if kind == "dE_da" else kind),
        )

    def _through(self, k: int, j: int, t: int, d: int) -> None:
        """∂a/∂n at step t − d (written once per step), then ∂E_t/∂n = ∂E_t/∂a · ∂a/∂n."""
        net, rec, N = self.net, self.rec, self.N
        layer, fn = net.layers[k], net.fns[k]
        s, r = t - d, t - 1
        E = self.E(t)
        a_sym, n_sym = self.a(k, j, s), self.n(k, j, s)
        slope_id = f"da/dn.{layer.name}.{j}@t{s}"
        if not fn.elementwise:
            raise ValueError("the unrolled trace needs elementwise activations below the output layer")
        a_val, n_val = rec.activation[k][s - 1, j], rec.net_input[k][s - 1, j]
        slope = float(rec.slope[k][s - 1, j])
        if (k, j, s) not in self.slopes_shown:
            self.slopes_shown.add((k, j, s))
            self.add(
                id=slope_id,
                phase="backward",
                kind="da_dn",
                symbol=N.d(a_sym, n_sym),
                formula=fn.slope_symbols(a_sym, n_sym),
                expression=fn.slope_with_numbers(a_val, n_val),
                value=slope,
                depends=(f"a.{layer.name}.{j}@t{s}",),
                units=(f"{layer.name}.{j}",),
                layer=layer.name,
                unit=j,
                step=s,
                rule=self.rule("da_dn", k),
                note=fn.note,
            )
        self.add(
            id=f"dE{t}/dn.{layer.name}.{j}@t{s}",
            phase="backward",
            kind="dE_dn",
            symbol=N.d(E, n_sym),
            formula=f"{N.d(E, a_sym)} · {N.d(a_sym, n_sym)}",
            expression=f"{fmt_operand(rec.dE_da_by_lag[k][d][r, j])} × {fmt_operand(slope)}",
            value=float(rec.by_lag[k][d][r, j]),
            depends=(f"dE{t}/da.{layer.name}.{j}@t{s}", slope_id),
            units=(f"{layer.name}.{j}",),
            layer=layer.name,
            unit=j,
            source=t,
            step=s,
            rule=self.rule("dE_dn"),
        )

    def _weight_sources(self, key: str, index: tuple[int, ...]):
        """(d, ∂E_t/∂n row array, input array) for every copy of this weight that E_t reaches."""
        net, rec = self.net, self.rec
        name = layer_of(key)
        k = [layer.name for layer in net.layers].index(name)
        if key.endswith("_context"):
            inputs = rec.context
        elif key.endswith("_bias"):
            inputs = np.ones((self.T, 1))
        else:
            inputs = rec.activation[k - 1]
        return k, rec.by_lag[k], inputs

    def _weight_text(self, key: str, index: tuple[int, ...], t: int):
        """∂E_t/∂w = Σ over the steps E_t reaches of ∂E_t/∂n_j(s) · input(s)."""
        N = self.N
        k, by_lag, inputs = self._weight_sources(key, index)
        j = index[0]
        E = self.E(t)
        sym, num, deps = [], [], []
        for d, delta in enumerate(by_lag):
            s = t - d
            if s < 1:
                break
            if key.endswith("_bias"):
                x_sym, x = "1", 1.0
            elif key.endswith("_context"):
                x_sym, x = self.c(index[1], s), inputs[s - 1, index[1]]
            else:
                x_sym, x = self.a(k - 1, index[1], s), inputs[s - 1, index[1]]
            sym.append(f"{N.d(E, self.n(k, j, s))} · {x_sym}")
            num.append(f"{fmt_operand(delta[t - 1, j])} × {fmt_operand(x)}")
            deps.append(f"dE{t}/dn.{self.net.layers[k].name}.{j}@t{s}")
        value = self.rec.source_gradients[key][(t - 1, *index)]
        return " + ".join(sym), " + ".join(num), tuple(deps), value

    def _weights(self):
        for key, param in self.net.params.items():
            for index in np.ndindex(param.shape):
                yield key, index

    def _wsym(self, key: str, index: tuple[int, ...]) -> str:
        return weight_symbol(self.net, self.N, key, index)

    def _units_of(self, key: str, index: tuple[int, ...]) -> tuple[str, ...]:
        name = layer_of(key)
        k = [layer.name for layer in self.net.layers].index(name)
        if key.endswith("_bias"):
            return (f"{name}.{index[0]}",)
        if key.endswith("_context"):
            return (f"{name}_context.{index[1]}", f"{name}.{index[0]}")
        return (f"{self.net.layers[k - 1].name}.{index[1]}", f"{name}.{index[0]}")

    def _source_gradients(self, t: int) -> None:
        for key, index in self._weights():
            formula, expression, deps, value = self._weight_text(key, index, t)
            if not formula:
                continue
            self.add(
                id=f"dE{t}/d{weight_id(key, index)}",
                phase="backward",
                kind="dE_dw_source",
                symbol=self.N.d(self.E(t), self._wsym(key, index)),
                formula=formula,
                expression=expression,
                value=float(value),
                depends=deps,
                units=self._units_of(key, index),
                connections=(connection(key, *index),),
                layer=layer_of(key),
                unit=index[0],
                step=t,
                source=t,
                weight=Weight(key, index),
                rule=self.rule("dE_dw_source"),
            )

    def _totals(self) -> None:
        N = self.N
        for key, index in self._weights():
            parts = [
                (t, self.terms[i])
                for t in range(1, self.T + 1)
                for i in [self.where.get(f"dE{t}/d{weight_id(key, index)}")]
                if i is not None
            ]
            wid = weight_id(key, index)
            self.add(
                id=f"dE/d{wid}",
                phase="backward",
                kind="dE_dw",
                symbol=N.d(N.error, self._wsym(key, index)),
                formula=" + ".join(term.symbol for _, term in parts),
                expression=" + ".join(fmt_operand(term.value) for _, term in parts),
                value=float(self.rec.gradients[key][index]),
                depends=tuple(term.id for _, term in parts),
                units=self._units_of(key, index),
                connections=(connection(key, *index),),
                layer=layer_of(key),
                unit=index[0],
                weight=Weight(key, index),
                rule=f"∂{N.error}/∂w = Σ_t ∂{N.error}_t/∂w",
            )

    # -- update ---------------------------------------------------------------------------

    def update(self, before: dict, velocity: dict) -> None:
        for key, index in self._weights():
            self.terms += update_terms(
                self.N,
                self.net.training,
                key,
                index,
                self._wsym(key, index),
                self._units_of(key, index),
                layer_of(key),
                float(self.rec.gradients[key][index]),
                float(self.changes[key][index]),
                before,
                velocity,
            )


def build_sequence_trace(net: Network, sequence: int = 0, notation=None, steps: int | None = None) -> Trace:
    """Trace one sequence (its first `steps` steps, if given) of a recurrent network, without changing it."""
    N = notation if isinstance(notation, Notation) else get_notation(notation)
    if not 0 <= sequence < len(net.sequences):
        raise IndexError(f"sequence {sequence} does not exist: the network has sequences 0 to {len(net.sequences) - 1}")
    xs, ts = net.sequences[sequence]
    if steps is not None:
        xs, ts = xs[:steps], ts[:steps]
    rec = forward_sequence(net, xs, ts)
    lags = len(xs) - 1 if net.training.bptt_steps is None else min(net.training.bptt_steps, len(xs) - 1)
    backward_by_lag(net, rec, lags)
    rec.slope = slopes(net, rec.net_input, rec.activation)
    source_gradients(net, rec)
    twin = net.copy()
    before = {k: v.copy() for k, v in net.params.items()}
    velocity = {k: v.copy() for k, v in net.velocity.items()}
    changes = twin.update(rec.gradients)
    builder = _SeqBuilder(net, rec, changes, N, lags)
    builder.forward()
    builder.backward()
    builder.update(before, velocity)
    trace = Trace(
        network=net.name,
        pattern=sequence,
        inputs=xs,
        targets=ts,
        outputs=rec.activation[-1],
        loss=rec.loss,
        terms=builder.terms,
        gradients=rec.gradients,
        weights_before=before,
        weights_after=twin.params,
        changes=changes,
        notation=N,
        net=net,
        record=rec,
        rows=list(range(len(xs))),
        steps=len(xs),
        bptt_steps=lags,
        chain_builder=SequenceChainBuilder,
    )
    return trace


class SequenceChainBuilder:
    """∂E/∂w for a recurrent network: a sum over error sources t, over the copies of w at steps s that
    E_t reaches, and over the paths between them; every path a product of factors, loss first."""

    def __init__(self, trace: Trace):
        self.trace = trace
        self.net, self.rec, self.N = trace.net, trace.record, trace.notation
        self.b = _SeqBuilder(self.net, self.rec, {}, self.N, trace.bptt_steps)
        self.count = 0

    def build(self, weight: str) -> Chain:
        net, b, N = self.net, self.b, self.N
        try:
            key, index = parse_connection(weight)
        except ValueError:
            key, index = "", ()
        shape = net.params[key].shape if key in net.params else None
        if shape is None or len(index) != len(shape) or not all(0 <= i < n for i, n in zip(index, shape, strict=True)):
            raise KeyError(f"no weight '{weight}' in network '{net.name}'")
        ref = Weight(key, index)
        k, _, inputs = b._weight_sources(key, index)
        j = index[0]
        w_sym = b._wsym(key, index)
        paths: list[tuple[int, int, list[Term]]] = []
        for t in range(1, b.T + 1):
            for s in range(t, 0, -1):
                if t - s > b.lags or (k > b.h and s != t):
                    continue
                if key.endswith("_bias"):
                    x_sym, x = "1", 1.0
                elif key.endswith("_context"):
                    x_sym, x = b.c(index[1], s), float(inputs[s - 1, index[1]])
                else:
                    x_sym, x = b.a(k - 1, index[1], s), float(inputs[s - 1, index[1]])
                last = self._factor(
                    N.d(b.n(k, j, s), b.at(w_sym, s)),
                    x_sym,
                    fmt(x),
                    x,
                    b._units_of(key, index),
                    (weight,),
                    s,
                    ref.layer,
                    j,
                )
                for p in self._from_net(k, j, s, t):
                    paths.append((t, s, [*p, last]))
        base = f"chain.{weight}"
        numbered, products = [], []
        for n, (t, s, factors) in enumerate(paths, start=1):
            factors = [
                Term(**{**f.__dict__, "id": f"{base}.{n}.{m}", "weight": ref, "path": n, "factor": m, "source": t})
                for m, f in enumerate(factors, start=1)
            ]
            numbered.append(factors)
            products.append(
                Term(
                    id=f"{base}.{n}",
                    phase="backward",
                    kind="chain_product",
                    symbol=f"{b.E(t)} via {b.at(w_sym, s)}" + (f" (path {n})" if len(paths) > b.T * b.T else ""),
                    formula=" · ".join(f.symbol for f in factors),
                    expression=" × ".join(fmt_operand(f.value) for f in factors),
                    value=float(np.prod([f.value for f in factors])),
                    depends=tuple(f.id for f in factors),
                    units=tuple(dict.fromkeys(u for f in factors for u in f.units)),
                    connections=tuple(dict.fromkeys(c for f in factors for c in f.connections)),
                    step=s,
                    layer=key,
                    unit=j,
                    weight=ref,
                    path=n,
                    source=t,
                )
            )
        total = Term(
            id=base,
            phase="backward",
            kind="chain_sum",
            symbol=N.d(N.error, w_sym),
            formula=" + ".join(p.symbol for p in products),
            expression=" + ".join(fmt_operand(p.value) for p in products),
            value=float(self.rec.gradients[key][index]),
            depends=tuple(p.id for p in products),
            units=tuple(dict.fromkeys(u for p in products for u in p.units)),
            connections=tuple(dict.fromkeys(c for p in products for c in p.connections)),
            layer=key,
            unit=j,
            weight=ref,
            note="Each error E_t reaches every copy of the weight it can travel back to; the paths that go "
            "further back multiply more factors, and usually shrink.",
        )
        return Chain(weight, N.d(N.error, w_sym), numbered, products, total)

    def _factor(
        self, symbol, formula, expression, value, units=(), connections=(), step=None, layer="", unit=None
    ) -> Term:
        return Term(
            id="",
            phase="backward",
            kind="factor",
            symbol=symbol,
            formula=formula,
            expression=expression,
            value=float(value),
            units=tuple(units),
            connections=tuple(connections),
            step=step,
            layer=layer,
            unit=unit,
        )

    def _from_net(self, k: int, j: int, s: int, t: int) -> list[list[Term]]:
        """Paths giving ∂E_t/∂n_kj at step s."""
        net, b, rec, N = self.net, self.b, self.rec, self.N
        layer, fn = net.layers[k], net.fns[k]
        E = b.E(t)
        if k == b.top and net.loss.fuses_with(layer.activation):
            self._count()
            lab = layer.label(j)
            a, tv = rec.activation[k][t - 1, j], rec.target[t - 1, j]
            return [
                [
                    self._factor(
                        N.d(E, b.n(k, j, t)),
                        f"{b.at(N.a(lab), t)} − {b.at(N.t(lab), t)}",
                        f"{fmt_operand(a)} − {fmt_operand(tv)}",
                        rec.by_lag[k][0][t - 1, j],
                        (f"{layer.name}.{j}",),
                        (),
                        t,
                        layer.name,
                        j,
                    )
                ]
            ]
        a_val, n_val = rec.activation[k][s - 1, j], rec.net_input[k][s - 1, j]
        slope = float(rec.slope[k][s - 1, j])
        factor = self._factor(
            N.d(b.a(k, j, s), b.n(k, j, s)),
            fn.slope_symbols(b.a(k, j, s), b.n(k, j, s)),
            fn.slope_with_numbers(a_val, n_val),
            slope,
            (f"{layer.name}.{j}",),
            (),
            s,
            layer.name,
            j,
        )
        return [[*p, factor] for p in self._from_activation(k, j, s, t)]

    def _from_activation(self, k: int, j: int, s: int, t: int) -> list[list[Term]]:
        """Paths giving ∂E_t/∂a_kj at step s."""
        net, b, rec, N = self.net, self.b, self.rec, self.N
        layer = net.layers[k]
        E = b.E(t)
        if k == b.top:
            self._count()
            lab = layer.label(j)
            a, tv = rec.activation[k][t - 1, j], rec.target[t - 1, j]
            return [
                [
                    self._factor(
                        N.d(E, b.a(k, j, t)),
                        net.loss.dE_da_symbols.format(t=b.at(N.t(lab), t), a=b.a(k, j, t)),
                        net.loss.dE_da_numbers.format(t=fmt_operand(tv), a=fmt_operand(a)),
                        rec.dE_da_by_lag[k][0][t - 1, j],
                        (f"{layer.name}.{j}",),
                        (),
                        t,
                        layer.name,
                        j,
                    )
                ]
            ]
        paths = []
        if k < b.h or s == t:  # up to the next layer at the same step
            above = net.layers[k + 1]
            W = net.params[above.name]
            for q in range(above.size):
                factor = self._factor(
                    N.d(b.n(k + 1, q, s), b.a(k, j, s)),
                    b.w(above.name, q, j),
                    fmt(W[q, j]),
                    W[q, j],
                    (f"{layer.name}.{j}", f"{above.name}.{q}"),
                    (connection(above.name, q, j),),
                    s,
                    above.name,
                    q,
                )
                paths += [[*p, factor] for p in self._from_net(k + 1, q, s, t)]
        if k == b.h and s < t and t - (s + 1) <= b.lags:  # forward in time, through the context
            C = net.params[layer.name + "_context"]
            for m in range(layer.size):
                key = layer.name + "_context"
                factor = self._factor(
                    N.d(b.n(k, m, s + 1), b.a(k, j, s)),
                    b.w(key, m, j),
                    fmt(C[m, j]),
                    C[m, j],
                    (f"{layer.name}.{j}", f"{layer.name}_context.{j}", f"{layer.name}.{m}"),
                    (connection(key, m, j),),
                    s + 1,
                    layer.name,
                    m,
                )
                paths += [[*p, factor] for p in self._from_net(k, m, s + 1, t)]
        return paths

    def _count(self) -> None:
        self.count += 1
        if self.count > MAX_PATHS:
            raise ValueError(f"more than {MAX_PATHS} paths lead to this weight: too many to list one by one")
