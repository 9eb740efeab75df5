"""The one chain builder: ∂E/∂w expanded into the chain-rule products from the loss down to one weight.

∂E/∂w is a sum over the error sources E_t, over the copies of w at the steps s that E_t reaches,
and over the paths between them (a unit feeding several units splits a path); every path is a
product of factors, loss first, each factor a Term whose value is read from the trace's arrays.
A feed-forward network is the case of one source and one step (s = t = 1).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from engine.numbers import fmt, fmt_operand
from engine.trace import MAX_PATHS, Chain, Term, Trace, Weight, connection, parse_connection, rule
from engine.trace_names import Symbols


class ChainBuilder:
    """Enumerates the paths from each error source down to each copy of one weight, a factor per link."""

    def __init__(self, trace: Trace):
        if trace.pattern is None:
            raise ValueError("chain-rule expansions are for one pattern at a time")
        self.net, self.N = trace.net, trace.notation
        self.rows, self.names = trace.arrays, trace.names
        self.sym = Symbols(self.net, self.names)
        self.top = len(self.net.layers) - 1
        self.h = self.rows.context_layer
        self.count = 0

    def build(self, weight: str) -> Chain:
        N, names, sym, rows = self.N, self.names, self.sym, self.rows
        key, index = self._weight(weight)
        ref = Weight(key, index)
        k, j = sym.layer_index(key), index[0]
        w_sym = sym.w(key, index)
        inputs = rows.inputs_of(key, k)
        paths: list[tuple[int, int, list[Term]]] = []
        for t in range(len(rows.target)):
            for s in range(t, -1, -1):
                if t - s > rows.lags or (s != t and (self.h is None or k > self.h)):
                    continue
                x = 1.0 if ref.is_bias else float(inputs[s, index[1]])
                x_id = sym.x_id(key, index, s)
                last = self._factor(
                    k,
                    j,
                    s,
                    symbol=N.d(sym.n(k, j, s), names.at(w_sym, s)),
                    formula=sym.x(key, index, s),
                    expression=fmt(x),
                    value=x,
                    depends=(x_id,) if x_id else (),
                    units=sym.units_of(key, index),
                    connections=(weight,),
                    rule=self.rule("dn_db" if ref.is_bias else "dn_dw_context" if ref.is_context else "dn_dw"),
                )
                paths += [(t, s, [*p, last]) for p in self._from_net(k, j, s, t)]
        base = f"chain.{weight}"
        suffix = "_bias" if ref.is_bias else "_context" if ref.is_context else ""
        numbered: list[list[Term]] = []
        products: list[Term] = []
        for n, (t, s, factors) in enumerate(paths, start=1):
            factors = [
                replace(f, id=f"{base}.{n}.{m}", weight=ref, path=n, factor=m, **names.source(t))
                for m, f in enumerate(factors, start=1)
            ]
            numbered.append(factors)
            symbol = names.path_symbol(n, len(paths), t, s, w_sym)
            products.append(
                _combined(
                    f"{base}.{n}",
                    "chain_product",
                    symbol,
                    factors,
                    " · ",
                    " × ",
                    float(np.prod([f.value for f in factors])),
                    ref,
                    path=n,
                    rule=self.rule("chain_product" + suffix),
                    **names.where(s),
                    **names.source(t),
                )
            )
        symbol = N.d(N.error, w_sym)
        value = float(rows.gradients[key][index])
        note = names.chain_note(len(paths), w_sym)
        rule_text = self.rule("chain_sum" + suffix)
        total = _combined(base, "chain_sum", symbol, products, " + ", " + ", value, ref, note=note, rule=rule_text)
        return Chain(weight, symbol, numbered, products, total)

    def _weight(self, weight: str) -> tuple[str, tuple[int, ...]]:
        """The parameter key and index a connection id names; KeyError if the network has no such weight."""
        net = self.net
        try:
            key, index = parse_connection(weight)
        except ValueError:
            key, index = "", ()
        shape = net.params[key].shape if key in net.params else None
        if (
            shape is None
            or len(index) != len(shape)
            or not all(0 <= i < size for i, size in zip(index, shape, strict=True))
        ):
            raise KeyError(
                f"no weight '{weight}' in network '{net.name}': name one as <layer>[to][from] or <layer>_bias[to], "
                f"e.g. {next(iter(net.params))}[0][0]"
            )
        return key, index

    def rule(self, kind: str, k: int = 0) -> str:
        """The general rule of a link, a path's product or the sum, in the page's notation."""
        return rule(self.net, self.N, kind, k, step_error=self.names.unrolled)

    def _factor(self, k: int, j: int, s: int, **fields) -> Term:
        """One link of a path, at unit j of layer k and row s (the row it is named at)."""
        return Term(
            id="",
            phase="backward",
            kind="factor",
            layer=self.net.layers[k].name,
            unit=j,
            **self.names.where(s),
            **fields,
        )

    # Each function returns the paths (lists of factor Terms, loss first) for one derivative.

    def _from_net(self, k: int, j: int, s: int, t: int) -> list[list[Term]]:
        """Paths giving ∂E_t/∂n_j for unit j of layer k at row s."""
        net, N, names, sym, rows = self.net, self.N, self.names, self.sym, self.rows
        layer, fn = net.layers[k], net.fns[k]
        E = names.error(t)
        if k == self.top and net.loss.fuses_with(layer.activation):
            self._count()
            factor = self._factor(
                k,
                j,
                t,
                symbol=N.d(E, sym.n(k, j, t)),
                **sym.fused_error(rows, k, j, t),
                depends=(names.id(f"{names.d(t)}/dn.{layer.name}.{j}", t),),
                units=(f"{layer.name}.{j}",),
                rule=self.rule("dE_dn_fused"),
            )
            return [[factor]]
        a, n = rows.activation[k][s], rows.net_input[k][s]
        paths = []
        for m in [j] if fn.elementwise else range(layer.size):
            if fn.elementwise:
                formula = fn.slope_symbols(sym.a(k, j, s), sym.n(k, j, s))
                expression = fn.slope_with_numbers(a[j], n[j])
                value = float(rows.slope[k][s, j])
                deps: tuple[str, ...] = (names.id(f"da/dn.{layer.name}.{j}", s),)
                link = self.rule("da_dn", k)
            else:
                formula = f"{sym.a(k, m, s)}({int(m == j)} − {sym.a(k, j, s)})"
                expression = f"{fmt_operand(a[m])} × ({int(m == j)} − {fmt_operand(a[j])})"
                value = float(a[m] * ((m == j) - a[j]))  # ∂a_m/∂n_j = a_m(δ_mj − a_j): softmax keeps no Jacobian
                deps = ()
                link = self.rule("da_dn_softmax")
            factor = self._factor(
                k,
                j,
                s,
                symbol=N.d(sym.a(k, m, s), sym.n(k, j, s)),
                formula=formula,
                expression=expression,
                value=value,
                depends=deps,
                units=tuple(dict.fromkeys((f"{layer.name}.{j}", f"{layer.name}.{m}"))),
                rule=link,
            )
            paths += [[*p, factor] for p in self._from_activation(k, m, s, t)]
        return paths

    def _from_activation(self, k: int, m: int, s: int, t: int) -> list[list[Term]]:
        """Paths giving ∂E_t/∂a_m for unit m of layer k at row s: up a layer at the same step, and
        (the context layer) on to the next step through the context weights."""
        net, N, names, sym, rows = self.net, self.N, self.names, self.sym, self.rows
        layer = net.layers[k]
        if k == self.top:
            self._count()
            factor = self._factor(
                k,
                m,
                t,
                symbol=N.d(names.error(t), sym.a(k, m, t)),
                formula=net.loss.dE_da_symbols.format(t=sym.t(m, t), a=sym.a(k, m, t)),
                expression=net.loss.dE_da_numbers.format(
                    t=fmt_operand(rows.target[t, m]), a=fmt_operand(rows.activation[k][t, m])
                ),
                value=float(rows.dE_da_by_lag[k][0][t, m]),
                depends=(names.id(f"{names.d(t)}/da.{layer.name}.{m}", t),),
                units=(f"{layer.name}.{m}",),
                rule=self.rule("dE_da_output"),
            )
            return [[factor]]
        paths = []
        if self.h is None or k < self.h or s == t:
            above = net.layers[k + 1]
            W = net.params[above.name]
            for q in range(above.size):
                factor = self._factor(
                    k + 1,
                    q,
                    s,
                    symbol=N.d(sym.n(k + 1, q, s), sym.a(k, m, s)),
                    formula=sym.w(above.name, (q, m)),
                    expression=fmt(W[q, m]),
                    value=float(W[q, m]),
                    units=(f"{layer.name}.{m}", f"{above.name}.{q}"),
                    connections=(connection(above.name, q, m),),
                    rule=self.rule("dn_da"),
                )
                paths += [[*p, factor] for p in self._from_net(k + 1, q, s, t)]
        if k == self.h and s < t and t - (s + 1) <= rows.lags:
            key = layer.name + "_context"
            C = net.params[key]
            for q in range(layer.size):
                factor = self._factor(
                    k,
                    q,
                    s + 1,
                    symbol=N.d(sym.n(k, q, s + 1), sym.a(k, m, s)),
                    formula=sym.w(key, (q, m)),
                    expression=fmt(C[q, m]),
                    value=float(C[q, m]),
                    units=(f"{layer.name}.{m}", f"{layer.name}_context.{m}", f"{layer.name}.{q}"),
                    connections=(connection(key, q, m),),
                    rule=self.rule("dn_da_back_in_time"),
                )
                paths += [[*p, factor] for p in self._from_net(k, q, s + 1, t)]
        return paths

    def _count(self) -> None:
        self.count += 1
        if self.count > MAX_PATHS:
            raise ValueError(f"more than {MAX_PATHS} paths lead to this weight: too many to list one by one")


def _combined(
    term_id: str, kind: str, symbol: str, parts: list[Term], times: str, times_numbers: str, value: float, ref, **fields
) -> Term:
    """A product of factors, or the sum of the paths' products: every part's symbol and number joined,
    and every unit and connection they light."""
    return Term(
        id=term_id,
        phase="backward",
        kind=kind,
        symbol=symbol,
        formula=times.join(p.symbol for p in parts),
        expression=times_numbers.join(fmt_operand(p.value) for p in parts),
        value=value,
        depends=tuple(p.id for p in parts),
        units=tuple(dict.fromkeys(u for p in parts for u in p.units)),
        connections=tuple(dict.fromkeys(c for p in parts for c in p.connections)),
        layer=ref.layer,
        unit=ref.index[0],
        weight=ref,
        **fields,
    )
