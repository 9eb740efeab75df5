"""The one trace builder: the terms of a forward pass, backward pass and update, for every network.

An unrolled recurrent network is a feed-forward network with shared weights, one copy per time
step, plus the context copies; a feed-forward pass is a pass of one step (or, in a batch, of
several independent rows). So one `Rows` view of the engine's arrays serves both — rows are
patterns or time steps, and the errors of each row's loss E_t are kept by how many steps back
they reached (`by_lag`, always lag 0 in a feed-forward network) — and one writer per term kind
writes every term, with the same fields, rules and notes. Only the naming (`PatternNames`: n_h1,
[p2] in a batch; `StepNames`: n_h1⁽²⁾, E₂) and the walk order (layer by layer; error source by
error source) differ. Every value is read from the engine's arrays, never recomputed.
"""

from __future__ import annotations

import numpy as np

from engine.chain_builder import ChainBuilder
from engine.netfile import layer_of
from engine.network import Network, row_losses, slopes
from engine.notation import Notation, get_notation
from engine.numbers import fmt, fmt_operand
from engine.trace import Term, Trace, Weight, connection, fan_out_note, fused_note, rule, scaled, weight_id
from engine.trace_names import PatternNames, Rows, StepNames, Symbols


class TraceBuilder:
    """Writes the terms of one pass: a writer per term kind, and the two walks that call them."""

    def __init__(self, net: Network, rows: Rows, names: PatternNames | StepNames):
        self.net, self.rows, self.names, self.N = net, rows, names, names.N
        self.sym = Symbols(net, names)
        self.top = len(net.layers) - 1
        self.T = len(rows.target)
        self.terms: list[Term] = []
        self.where: dict[str, int] = {}  # term id → its place in self.terms
        self.slopes_shown: set[tuple[int, int, int]] = set()
        self.rules: dict[tuple[str, int], str] = {}
        self.weight_fields: dict[tuple[str, tuple[int, ...]], dict] = {}

    def add(self, **fields) -> Term:
        term = Term(**fields)
        self.where[term.id] = len(self.terms)
        self.terms.append(term)
        return term

    def rule(self, kind: str, k: int = 0) -> str:
        text = self.rules.get((kind, k))
        if text is None:
            text = self.rules[kind, k] = rule(self.net, self.N, kind, k, step_error=self.names.unrolled)
        return text

    # -- the walks ---------------------------------------------------------------------------

    def forward(self) -> None:
        """Row by row: (the context copies,) each layer's net inputs and activations, the row's loss."""
        h = self.rows.context_layer
        for r in range(self.T):
            if h is not None:
                for j in range(self.net.layers[h].size):
                    self.context(h, j, r)
            for k in range(1, len(self.net.layers)):
                for j in range(self.net.layers[k].size):
                    self.net_input(k, j, r)
                for j in range(self.net.layers[k].size):
                    self.activation(k, j, r)
            self.loss(r)
        if self.names.unrolled:
            self.total_loss()

    def backward_by_layer(self) -> None:
        """Feed-forward: layer by layer from the top, every row's errors, then the layer's gradients."""
        for k in range(self.top, 0, -1):
            for r in range(self.T):
                for j in range(self.net.layers[k].size):
                    self.error(k, j, r, 0)
            for j in range(self.net.layers[k].size):
                for key, index in self.weights_into(k, j):
                    self.gradient(key, index)

    def backward_by_source(self) -> None:
        """Unrolled: error source by error source, E_t at step t and back in time as far as the lags
        allow, then ∂E_t/∂w; then each ∂E/∂w = Σ_t ∂E_t/∂w."""
        h = self.rows.context_layer
        for t in range(self.T):
            for j in range(self.net.output.size):
                self.error(self.top, j, t, 0)
            for k in range(self.top - 1, 0, -1):
                for d in range(self.rows.lags + 1) if k <= h else range(1):
                    if t - d < 0:
                        break
                    for j in range(self.net.layers[k].size):
                        self.error(k, j, t, d)
            for key, index in self.all_weights():
                self.source_gradient(key, index, t)
        for key, index in self.all_weights():
            self.gradient_total(key, index)

    def update(self, changes: dict, before: dict, velocity: dict, weights) -> None:
        hebb = self.net.training.rule == "hebb"
        for key, index in weights:
            self.terms += update_terms(
                self.N,
                self.net.training,
                key,
                index,
                self.sym.w(key, index),
                self.sym.units_of(key, index),
                layer_of(key),
                float(self.rows.gradients[key][index]),
                float(changes[key][index]),
                before,
                velocity,
                self.hebb_text(key, index) if hebb else None,
            )

    def weights_into(self, k: int, j: int):
        """Unit j of layer k's incoming weights, then its bias."""
        layer, below = self.net.layers[k], self.net.layers[k - 1]
        yield from ((layer.name, (j, i)) for i in range(below.size))
        if layer.bias:
            yield layer.name + "_bias", (j,)

    def weights_top_down(self):
        for k in range(self.top, 0, -1):
            for j in range(self.net.layers[k].size):
                yield from self.weights_into(k, j)

    def all_weights(self):
        for key, param in self.net.params.items():
            for index in np.ndindex(param.shape):
                yield key, index

    # -- forward terms -----------------------------------------------------------------------

    def context(self, h: int, j: int, r: int) -> None:
        """c_j(t) = a_j(t − 1): the context unit's copy of the hidden unit one step before."""
        N, rows, name = self.N, self.rows, self.net.layers[h].name
        if r == 0:
            formula, deps = "initial context", ()
        else:
            formula, deps = self.sym.a(h, j, r - 1), (self.names.id(f"a.{name}.{j}", r - 1),)
        self.add(
            id=self.names.id(f"c.{name}.{j}", r),
            phase="forward",
            kind="context",
            symbol=self.sym.c(j, r),
            formula=formula,
            expression=fmt(rows.context[r, j]),
            value=float(rows.context[r, j]),
            depends=deps,
            units=(f"{name}_context.{j}", f"{name}.{j}"),
            layer=name,
            unit=j,
            rule=f"{N.c('j')}(t) = {N.a('j')}(t − 1)",
            note="The context units hold a copy of the hidden layer from the step before; the copy "
            "link is fixed at 1 and never trained."
            if r == 1 and j == 0
            else "",
            **self.names.where(r),
        )

    def net_input(self, k: int, j: int, r: int) -> None:
        """n_j = Σ_i a_i w_ij (+ Σ_k c_k w_ck,j) + b_j."""
        net, rows, sym, names = self.net, self.rows, self.sym, self.names
        layer = net.layers[k]
        keys = [layer.name] + ([layer.name + "_context"] if layer.context else [])
        parts_sym, parts_num, deps, conns, units = [], [], [], [], []
        for key in keys:
            inputs = rows.inputs_of(key, k)
            for i in range(net.params[key].shape[1]):
                parts_sym.append(f"{sym.x(key, (j, i), r)} · {sym.w(key, (j, i))}")
                parts_num.append(f"{fmt_operand(inputs[r, i])} × {fmt_operand(net.params[key][j, i])}")
                conns.append(connection(key, j, i))
                deps.append(sym.x_id(key, (j, i), r))
                units.append(sym.units_of(key, (j, i))[0])
        if layer.bias:
            key = layer.name + "_bias"
            parts_sym.append(sym.w(key, (j,)))
            parts_num.append(fmt_operand(net.params[key][j]))
            conns.append(connection(key, j))
        self.add(
            id=names.id(f"n.{layer.name}.{j}", r),
            phase="forward",
            kind="net_input",
            symbol=names.whole(sym.n(k, j, r), r),
            formula=" + ".join(parts_sym),
            expression=" + ".join(parts_num),
            value=float(rows.net_input[k][r, j]),
            depends=tuple(d for d in deps if d is not None),
            units=(*units, f"{layer.name}.{j}"),
            connections=tuple(conns),
            layer=layer.name,
            unit=j,
            rule=self.rule("net_input", k),
            **names.where(r),
        )

    def activation(self, k: int, j: int, r: int) -> None:
        """a_j = f(n_j); softmax: a_j = e^n_j / Σ_k e^n_k."""
        layer, fn, names, sym = self.net.layers[k], self.net.fns[k], self.names, self.sym
        n = self.rows.net_input[k][r]
        if fn.elementwise:
            formula = fn.value_symbols(sym.n(k, j, r), self.N.sigmoid)
            expression = fn.value_numbers(n[j])
            deps = (names.id(f"n.{layer.name}.{j}", r),)
        else:
            every = range(layer.size)
            formula = f"e^{sym.n(k, j, r)} / ({' + '.join(f'e^{sym.n(k, m, r)}' for m in every)})"
            expression = f"e^{fmt_operand(n[j])} / ({' + '.join(f'e^{fmt_operand(x)}' for x in n)})"
            deps = tuple(names.id(f"n.{layer.name}.{m}", r) for m in every)
        self.add(
            id=names.id(f"a.{layer.name}.{j}", r),
            phase="forward",
            kind="activation",
            symbol=names.whole(sym.a(k, j, r), r),
            formula=formula,
            expression=expression,
            value=float(self.rows.activation[k][r, j]),
            depends=deps,
            units=(f"{layer.name}.{j}",),
            layer=layer.name,
            unit=j,
            rule=self.rule("activation", k),
            **names.where(r),
        )

    def loss(self, r: int) -> None:
        """The loss of one row (a pattern, or E_t of one step)."""
        net, rows, names, sym = self.net, self.rows, self.names, self.sym
        out = net.output
        sym_t, num_t = net.loss.unit_templates(out.activation)
        a, t = rows.activation[self.top][r], rows.target[r]
        every = range(out.size)
        self.add(
            id=names.id("E", r),
            phase="forward",
            kind="loss",
            symbol=names.whole(names.error(r), r),
            formula=scaled(net.loss.scale, [sym_t.format(t=sym.t(j, r), a=sym.a(self.top, j, r)) for j in every], "·"),
            expression=scaled(
                net.loss.scale, [num_t.format(t=fmt_operand(t[j]), a=fmt_operand(a[j])) for j in every], "×"
            ),
            value=float(rows.row_loss[r]),
            depends=tuple(names.id(f"a.{out.name}.{j}", r) for j in every),
            units=tuple(f"{out.name}.{j}" for j in every),
            layer=out.name,
            rule=self.rule("loss"),
            **names.where(r),
        )

    def total_loss(self) -> None:
        """E = Σ_t E_t over the steps of a sequence."""
        names, N = self.names, self.N
        self.add(
            id="E",
            phase="forward",
            kind="loss",
            symbol=names.error(),
            formula=" + ".join(names.error(r) for r in range(self.T)),
            expression=" + ".join(fmt_operand(v) for v in self.rows.row_loss),
            value=float(self.rows.loss),
            depends=tuple(names.id("E", r) for r in range(self.T)),
            layer=self.net.output.name,
            rule=f"{N.error} = Σ_t {N.error}_t",
        )

    # -- backward terms ----------------------------------------------------------------------

    def error(self, k: int, j: int, t: int, d: int) -> None:
        """Row t's error at unit j of layer k, d rows back: ∂E_t/∂a, then ∂a/∂n and ∂E_t/∂n."""
        if k == self.top:
            if self.net.loss.fuses_with(self.net.output.activation):
                self.fused_error(j, t)
                return
            self.output_error(j, t)
        else:
            self.hidden_error(k, j, t, d)
        self.through_activation(k, j, t, d)

    def _error_fields(self, k: int, j: int, t: int, s: int) -> dict:
        return {
            "phase": "backward",
            "layer": self.net.layers[k].name,
            "unit": j,
            **self.names.where(s),
            **self.names.source(t),
        }

    def fused_error(self, j: int, t: int) -> None:
        """Cross-entropy after softmax or sigmoid: ∂E/∂n = a − t, read from the engine's delta."""
        rows, names, sym, N = self.rows, self.names, self.sym, self.N
        k, out = self.top, self.net.output
        self.add(
            id=names.id(f"{names.d(t)}/dn.{out.name}.{j}", t),
            kind="dE_dn",
            symbol=names.whole(N.d(names.error(t), sym.n(k, j, t)), t),
            **sym.fused_error(rows, k, j, t),
            depends=(names.id(f"a.{out.name}.{j}", t),),
            units=(f"{out.name}.{j}",),
            rule=self.rule("dE_dn_fused"),
            note=fused_note(out.activation),
            **self._error_fields(k, j, t, t),
        )

    def output_error(self, j: int, t: int) -> None:
        """∂E/∂a of an output unit, from the loss."""
        rows, names, sym, N, loss = self.rows, self.names, self.sym, self.N, self.net.loss
        k, out = self.top, self.net.output
        self.add(
            id=names.id(f"{names.d(t)}/da.{out.name}.{j}", t),
            kind="dE_da",
            symbol=names.whole(N.d(names.error(t), sym.a(k, j, t)), t),
            formula=loss.dE_da_symbols.format(t=sym.t(j, t), a=sym.a(k, j, t)),
            expression=loss.dE_da_numbers.format(
                t=fmt_operand(rows.target[t, j]), a=fmt_operand(rows.activation[k][t, j])
            ),
            value=float(rows.dE_da_by_lag[k][0][t, j]),
            depends=(names.id(f"a.{out.name}.{j}", t),),
            units=(f"{out.name}.{j}",),
            rule=self.rule("dE_da_output"),
            **self._error_fields(k, j, t, t),
        )

    def hidden_error(self, k: int, j: int, t: int, d: int) -> None:
        """∂E_t/∂a_j at row t − d: from the layer above at the same row, or (d > 0, the context layer)
        from the context layer one step later, through the context weights."""
        net, rows, names, sym, N = self.net, self.rows, self.names, self.sym, self.N
        layer, s, E = net.layers[k], t - d, names.error(t)
        if k == rows.context_layer and d > 0:
            key, to_layer, to_k, to_s, lag = layer.name + "_context", layer, k, s + 1, d - 1
            units = (f"{layer.name}.{j}", f"{layer.name}_context.{j}")
            note = (
                f"{E}'s error travels back in time: {sym.a(k, j, s)} reached step {s + 2} only through the "
                f"context unit {sym.c(j, s + 1)}, so its error comes through the context weights."
            )
            kind, rule_kind = "dE_da_back_in_time", "dE_da_back_in_time"
        else:
            to_layer = net.layers[k + 1]
            key, to_k, to_s, lag = to_layer.name, k + 1, s, d
            units = (f"{layer.name}.{j}",)
            note, kind, rule_kind = fan_out_note(sym.a(k, j, s), to_layer.size), "dE_da", "dE_da_hidden"
        W, delta = net.params[key], rows.by_lag[to_k][lag][t]
        every = range(to_layer.size)
        self.add(
            id=names.id(f"{names.d(t)}/da.{layer.name}.{j}", s),
            kind=kind,
            symbol=names.whole(N.d(E, sym.a(k, j, s)), s),
            formula=" + ".join(f"{N.d(E, sym.n(to_k, q, to_s))} · {sym.w(key, (q, j))}" for q in every),
            expression=" + ".join(f"{fmt_operand(delta[q])} × {fmt_operand(W[q, j])}" for q in every),
            value=float(rows.dE_da_by_lag[k][d][t, j]),
            depends=tuple(names.id(f"{names.d(t)}/dn.{to_layer.name}.{q}", to_s) for q in every),
            units=(*units, *(f"{to_layer.name}.{q}" for q in every)),
            connections=tuple(connection(key, q, j) for q in every),
            rule=self.rule(rule_kind),
            note=note,
            **self._error_fields(k, j, t, s),
        )

    def through_activation(self, k: int, j: int, t: int, d: int) -> None:
        """∂a/∂n (once per unit and row), then ∂E/∂n = ∂E/∂a · ∂a/∂n (softmax: the whole Jacobian
        in one term)."""
        net, rows, names, sym, N = self.net, self.rows, self.names, self.sym, self.N
        layer, fn, s, E = net.layers[k], net.fns[k], t - d, names.error(t)
        a_sym, n_sym = sym.a(k, j, s), sym.n(k, j, s)
        a, n, dE_da = rows.activation[k][s], rows.net_input[k][s], rows.dE_da_by_lag[k][d][t]
        dE = names.d(t)
        if fn.elementwise:
            slope = float(rows.slope[k][s, j])
            slope_id = names.id(f"da/dn.{layer.name}.{j}", s)
            if (k, j, s) not in self.slopes_shown:
                self.slopes_shown.add((k, j, s))
                self.add(
                    id=slope_id,
                    phase="backward",
                    kind="da_dn",
                    symbol=names.whole(N.d(a_sym, n_sym), s),
                    formula=fn.slope_symbols(a_sym, n_sym),
                    expression=fn.slope_with_numbers(a[j], n[j]),
                    value=slope,
                    depends=(names.id(f"a.{layer.name}.{j}", s),),
                    units=(f"{layer.name}.{j}",),
                    layer=layer.name,
                    unit=j,
                    rule=self.rule("da_dn", k),
                    note=fn.note,
                    **names.where(s),
                )
            formula = f"{N.d(E, a_sym)} · {N.d(a_sym, n_sym)}"
            expression = f"{fmt_operand(dE_da[j])} × {fmt_operand(slope)}"
            depends = (names.id(f"{dE}/da.{layer.name}.{j}", s), slope_id)
            units, rule_kind, note = (f"{layer.name}.{j}",), "dE_dn", ""
        else:  # softmax: ∂E/∂n_j = a_j (∂E/∂a_j − Σ_m ∂E/∂a_m · a_m)
            every = range(layer.size)
            others_sym = " + ".join(f"{N.d(E, sym.a(k, m, s))} · {sym.a(k, m, s)}" for m in every)
            others_num = " + ".join(f"{fmt_operand(dE_da[m])} × {fmt_operand(a[m])}" for m in every)
            formula = f"{a_sym} · ({N.d(E, a_sym)} − ({others_sym}))"
            expression = f"{fmt_operand(a[j])} × ({fmt_operand(dE_da[j])} − ({others_num}))"
            depends = tuple(names.id(f"{dE}/da.{layer.name}.{m}", s) for m in every)
            units, rule_kind, note = tuple(f"{layer.name}.{m}" for m in every), "dE_dn_softmax", fn.note
        self.add(
            id=names.id(f"{dE}/dn.{layer.name}.{j}", s),
            kind="dE_dn",
            symbol=names.whole(N.d(E, n_sym), s),
            formula=formula,
            expression=expression,
            value=float(rows.by_lag[k][d][t, j]),
            depends=depends,
            units=units,
            rule=self.rule(rule_kind),
            note=note,
            **self._error_fields(k, j, t, s),
        )

    def _gradient_parts(self, key: str, index: tuple[int, ...], places: list[tuple[int, int]]):
        """∂E/∂n_j · x at each (source t, lag d) place: the symbols, the numbers and the ids used."""
        rows, names, sym, N = self.rows, self.names, self.sym, self.N
        k, j = self.sym.layer_index(key), index[0]
        inputs = rows.inputs_of(key, k)
        name = self.net.layers[k].name
        parts_sym, parts_num, deltas, xs = [], [], [], []
        for t, d in places:
            s = t - d
            bias = key.endswith("_bias")
            x_sym = "1" if bias else names.whole(sym.x(key, index, s), s)
            parts_sym.append(f"{names.whole(N.d(names.error(t), sym.n(k, j, s)), s)} · {x_sym}")
            x = 1.0 if bias else inputs[s, index[1]]
            parts_num.append(f"{fmt_operand(rows.by_lag[k][d][t, j])} × {fmt_operand(x)}")
            deltas.append(names.id(f"{names.d(t)}/dn.{name}.{j}", s))
            xs.append(sym.x_id(key, index, s))
        return " + ".join(parts_sym), " + ".join(parts_num), (*deltas, *(x for x in xs if x is not None))

    def _weight_fields(self, key: str, index: tuple[int, ...]) -> dict:
        fields = self.weight_fields.get((key, index))
        if fields is not None:
            return fields
        fields = self.weight_fields[key, index] = {
            "phase": "backward",
            "units": self.sym.units_of(key, index),
            "connections": (connection(key, *index),),
            "layer": layer_of(key),
            "unit": index[0],
            "weight": Weight(key, index),
        }
        return fields

    def gradient(self, key: str, index: tuple[int, ...]) -> None:
        """Feed-forward ∂E/∂w_ij = Σ_p ∂E/∂n_j · a_i over the rows traced."""
        bias = key.endswith("_bias")
        formula, expression, deps = self._gradient_parts(key, index, [(r, 0) for r in range(self.T)])
        self.add(
            id=f"dE/d{weight_id(key, index)}",
            kind="dE_db" if bias else "dE_dw",
            symbol=self.N.d(self.N.error, self.sym.w(key, index)),
            formula=formula,
            expression=expression,
            value=float(self.rows.gradients[key][index]),
            depends=deps,
            rule=self.rule("dE_db" if bias else "dE_dw"),
            **self._weight_fields(key, index),
        )

    def source_gradient(self, key: str, index: tuple[int, ...], t: int) -> None:
        """∂E_t/∂w = Σ over the steps s that E_t reaches of ∂E_t/∂n_j(s) · x(s)."""
        k = self.sym.layer_index(key)
        lags = len(self.rows.by_lag[k])
        formula, expression, deps = self._gradient_parts(key, index, [(t, d) for d in range(min(lags, t + 1))])
        self.add(
            id=f"{self.names.d(t)}/d{weight_id(key, index)}",
            kind="dE_dw_source",
            symbol=self.N.d(self.names.error(t), self.sym.w(key, index)),
            formula=formula,
            expression=expression,
            value=float(self.rows.source_gradients[key][(t, *index)]),
            depends=deps,
            rule=self.rule("dE_dw_source"),
            step=t + 1,
            source=t + 1,
            **self._weight_fields(key, index),
        )

    def gradient_total(self, key: str, index: tuple[int, ...]) -> None:
        """∂E/∂w = Σ_t ∂E_t/∂w over a sequence's error sources."""
        N, wid = self.N, weight_id(key, index)
        parts = [self.terms[self.where[f"{self.names.d(t)}/d{wid}"]] for t in range(self.T)]
        self.add(
            id=f"dE/d{wid}",
            kind="dE_dw",
            symbol=N.d(N.error, self.sym.w(key, index)),
            formula=" + ".join(term.symbol for term in parts),
            expression=" + ".join(fmt_operand(term.value) for term in parts),
            value=float(self.rows.gradients[key][index]),
            depends=tuple(term.id for term in parts),
            rule=f"∂{N.error}/∂w = Σ_t ∂{N.error}_t/∂w",
            **self._weight_fields(key, index),
        )

    # -- update terms ------------------------------------------------------------------------

    def hebb_text(self, key: str, index: tuple[int, ...]) -> tuple[str, str]:
        """Δw_ij = ε Σ_p t_j a_i: the Hebb rule pairs the target with the sending activation."""
        names, sym, rows, N = self.names, self.sym, self.rows, self.N
        k, j = self.sym.layer_index(key), index[0]
        lr = self.net.training.learning_rate
        x = rows.inputs_of(key, k)
        bias = key.endswith("_bias")
        parts_sym = [
            f"{names.whole(names.at(N.t(sym.label(k, j)), r), r)} · "
            + ("1" if bias else names.whole(sym.x(key, index, r), r))
            for r in range(self.T)
        ]
        parts_num = [
            f"{fmt_operand(rows.target[r, j])} × {fmt_operand(1.0 if bias else x[r, index[1]])}" for r in range(self.T)
        ]
        if self.T == 1:
            return f"{N.learning_rate} · {parts_sym[0]}", f"{fmt_operand(lr)} × {parts_num[0]}"
        return (
            f"{N.learning_rate} · ({' + '.join(parts_sym)})",
            f"{fmt_operand(lr)} × ({' + '.join(parts_num)})",
        )


def update_terms(
    N: Notation,
    training,
    key: str,
    index: tuple[int, ...],
    w_sym: str,
    units: tuple[str, ...],
    layer: str,
    grad: float,
    change: float,
    before: dict[str, np.ndarray],
    previous: dict[str, np.ndarray],
    hebb_text: tuple[str, str] | None = None,
) -> list[Term]:
    """The two update terms of one weight: Δw = −ε ∂E/∂w (+ α Δw(t−1)), then w′ = w + Δw.

    `change` is what the engine's update() applied; `hebb_text` replaces the gradient step's
    formula and numbers when the Hebb rule is used.
    """
    wid = weight_id(key, index)
    w_rule = N.w("i", "j")
    if hebb_text:
        (formula, expression), depends = hebb_text, ()
        rule_text = f"Δ{w_rule} = {N.learning_rate} · {N.t('j')} · {N.a('i')}"
    else:
        formula = f"−{N.learning_rate} · {N.d(N.error, w_sym)}"
        expression = f"−{fmt_operand(training.learning_rate)} × {fmt_operand(grad)}"
        depends = (f"dE/d{wid}",)
        rule_text = f"Δ{w_rule} = −{N.learning_rate} · {N.d(N.error, w_rule)}"
    if training.momentum:
        formula += f" + {N.momentum} · Δ{w_sym}(t−1)"
        expression += f" + {fmt_operand(training.momentum)} × {fmt_operand(previous[key][index])}"
        rule_text += f" + {N.momentum} · Δ{w_rule}(t−1)"
    common = {
        "phase": "update",
        "units": units,
        "connections": (connection(key, *index),),
        "layer": layer,
        "unit": index[0],
        "weight": Weight(key, tuple(index)),
    }
    old = float(before[key][index])
    return [
        Term(
            id=f"d{wid}",
            kind="delta_w",
            symbol=f"Δ{w_sym}",
            formula=formula,
            expression=expression,
            value=change,
            depends=depends,
            rule=rule_text,
            **common,
        ),
        Term(
            id=wid,
            kind="new_w",
            symbol=f"{w_sym}′",
            formula=f"{w_sym} + Δ{w_sym}",
            expression=f"{fmt_operand(old)} + {fmt_operand(change)}",
            value=old + change,
            depends=(f"d{wid}",),
            rule=f"{w_rule} ← {w_rule} + Δ{w_rule}",
            **common,
        ),
    ]


def build_trace(net: Network, pattern: int | None = 0, notation: str | Notation | None = None) -> Trace:
    """Trace one pattern (or, with pattern=None, one batch of all patterns) without changing `net`.

    The update is applied to a copy: `weights_after` is what one update would give.
    """
    if net.is_recurrent:
        raise ValueError(f"network '{net.name}' is recurrent: trace it with engine.kinds.build_trace")
    N = notation if isinstance(notation, Notation) else get_notation(notation)
    count = len(net.inputs)
    if count == 0:
        raise ValueError(f"network '{net.name}' has no patterns to trace")
    rows = list(range(count)) if pattern is None else [pattern]
    if pattern is not None and not 0 <= pattern < count:
        raise IndexError(f"pattern {pattern} does not exist: the network has patterns 0 to {count - 1}")
    record = net.backward(net.forward(net.inputs[rows], net.targets[rows]))
    record.slope = slopes(net, record.net_input, record.activation)
    record.row_loss = row_losses(net, record.activation[-1], record.target, record.net_input[-1])
    hebb = net.training.rule == "hebb"
    step = net.hebb_gradients(net.inputs[rows], net.targets[rows]) if hebb else record.gradients
    arrays = Rows(
        net_input=record.net_input,
        activation=record.activation,
        target=record.target,
        row_loss=record.row_loss,
        slope=record.slope,
        by_lag=[[] if delta is None else [delta] for delta in record.dE_dn],  # one lag: the row's own
        dE_da_by_lag=[[] if dE_da is None else [dE_da] for dE_da in record.dE_da],
        gradients=record.gradients,
        loss=record.loss,
    )
    one = pattern is not None
    return trace_pass(
        net,
        record,
        arrays,
        PatternNames(N, rows, tag=not one),
        step,
        pattern=pattern,
        inputs=net.inputs[rows].squeeze(0) if one else net.inputs[rows],
        targets=net.targets[rows].squeeze(0) if one else net.targets[rows],
        outputs=record.activation[-1].squeeze(0) if one else record.activation[-1],
        rows=rows,
    )


def trace_pass(net: Network, record, arrays: Rows, names: PatternNames | StepNames, step: dict, **fields) -> Trace:
    """The trace of one pass: its terms, forward, backward (by layer, or by error source when unrolled)
    and the update `step` (the gradients, or the Hebb rule's changes) applied to a copy of `net`."""
    twin = net.copy()
    before = {k: v.copy() for k, v in net.params.items()}
    velocity = {k: v.copy() for k, v in net.velocity.items()}
    changes = twin.update(step)
    builder = TraceBuilder(net, arrays, names)
    builder.forward()
    if names.unrolled:
        builder.backward_by_source()
        builder.update(changes, before, velocity, builder.all_weights())
    else:
        builder.backward_by_layer()
        builder.update(changes, before, velocity, builder.weights_top_down())
    return Trace(
        network=net.name,
        loss=record.loss,
        terms=builder.terms,
        gradients=record.gradients,
        weights_before=before,
        weights_after=twin.params,
        changes=changes,
        notation=names.N,
        net=net,
        record=record,
        arrays=arrays,
        names=names,
        chain_builder=ChainBuilder,
        **fields,
    )
