"""The trace: every quantity of one forward pass, backward pass and update, as term records.

Every value is read from the engine's own arrays (a `Pass` and the changes `update()` made),
never recomputed by a second scalar implementation; the formula and the formula with
numbers are written beside it. `Trace.chain(weight)` expands one weight's gradient into the
chain-rule product from the loss down to that weight (a sum over paths when a unit feeds
several units), factor by factor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np

from engine.netfile import layer_of
from engine.network import Network, Pass, row_losses, slopes
from engine.notation import Notation, get_notation
from engine.numbers import fmt, fmt_operand

PHASES = ("forward", "backward", "update")
MAX_PATHS = 256


class Weight(NamedTuple):
    """A reference to one weight: its parameter key and index ('hidden', (0, 1)) = hidden[0][1]."""

    key: str
    index: tuple[int, ...]

    @property
    def layer(self) -> str:
        """The layer the weight feeds."""
        return layer_of(self.key)

    @property
    def is_bias(self) -> bool:
        return self.key.endswith("_bias")

    @property
    def is_context(self) -> bool:
        return self.key.endswith("_context")

    @property
    def connection(self) -> str:
        """Its connection id: 'hidden[0][1]', 'hidden_bias[0]'."""
        return connection(self.key, *self.index)

    @property
    def id(self) -> str:
        """The id of its new-weight term: 'w.hidden.0.1', 'b.hidden.0'."""
        return weight_id(self.key, self.index)

    @property
    def gradient_id(self) -> str:
        """The id of its ∂E/∂w term: 'dE/dw.hidden.0.1', 'dE/db.hidden.0'."""
        return f"dE/d{self.id}"


def gradient_id(weight: str) -> str:
    """The id of the ∂E/∂w term of a connection: 'hidden[0][1]' -> 'dE/dw.hidden.0.1'."""
    return Weight(*parse_connection(weight)).gradient_id


def chain_weight(term_id: str) -> str | None:
    """The connection a chain-rule term id expands ('chain.hidden[0][0].1.3' -> 'hidden[0][0]'), None
    if the id is not a chain term's."""
    if not term_id.startswith("chain."):
        return None
    rest = term_id.removeprefix("chain.")
    head, bracket, _ = rest.rpartition("]")
    return head + bracket if bracket else rest


def unit_label(net: Network, unit: str) -> str:
    """A unit id's label ('hidden.0' -> 'h1'); the id itself if it names no unit of a layer."""
    layer_name, _, j = unit.rpartition(".")
    layer = next((layer for layer in net.layers if layer.name == layer_name), None)
    return layer.label(int(j)) if layer is not None and j.isdigit() else unit


def unit_ids(net: Network) -> list[tuple[str, int, str]]:
    """Every unit of the network as (layer, unit, unit id), input layer first."""
    return [(layer.name, j, f"{layer.name}.{j}") for layer in net.layers for j in range(layer.size)]


@dataclass(frozen=True)
class Term:
    """One computed quantity: what it is, how it is computed, its value, what it touches."""

    id: str
    phase: str  # forward | backward | update
    kind: str  # net_input, activation, loss, dE_da, da_dn, dE_dn, dE_dw, delta_w, new_w, factor, ...
    symbol: str
    formula: str  # the right-hand side in symbols
    expression: str  # the same with the numbers put in
    value: float
    depends: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # "hidden.0"
    connections: tuple[str, ...] = ()  # "hidden[0][1]": weights.hidden, to unit 0 from unit 1
    layer: str = ""
    unit: int | None = None
    rule: str = ""  # the general rule this term instantiates
    note: str = ""
    pattern: int | None = None
    step: int | None = None  # time step, in recurrent networks
    weight: Weight | None = None  # the weight a gradient, update or chain-rule term is about
    source: int | None = None  # the step t of the error E_t a term of an unrolled backward pass carries
    path: int | None = None  # chain-rule terms: the path (from 1) a factor or product belongs to
    factor: int | None = None  # chain-rule factors: their place in the path (from 1)

    def to_json(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "phase": self.phase,
            "kind": self.kind,
            "symbol": self.symbol,
            "formula": self.formula,
            "expression": self.expression,
            "value": float(self.value),
            "depends": list(self.depends),
            "units": list(self.units),
            "connections": list(self.connections),
            "layer": self.layer,
            "unit": self.unit,
            "rule": self.rule,
        }
        for key in ("note", "pattern", "step"):
            if getattr(self, key) not in ("", None):
                data[key] = getattr(self, key)
        return data


@dataclass
class Chain:
    """∂E/∂w as a sum over paths of products of factors, each factor a Term."""

    weight: str  # connection id, e.g. "hidden[0][0]"
    symbol: str
    paths: list[list[Term]]
    products: list[Term]
    total: Term

    def terms(self) -> list[Term]:
        """Factors of each path then its product, path after path, then the sum if there are several."""
        out: list[Term] = []
        for factors, product in zip(self.paths, self.products, strict=True):
            out.extend(factors)
            out.append(product)
        if len(self.paths) > 1:
            out.append(self.total)
        return out


@dataclass
class Trace:
    network: str
    pattern: int | None  # None for a batch trace
    inputs: np.ndarray
    targets: np.ndarray
    outputs: np.ndarray
    loss: float
    terms: list[Term]
    gradients: dict[str, np.ndarray]
    weights_before: dict[str, np.ndarray]
    weights_after: dict[str, np.ndarray]
    changes: dict[str, np.ndarray]
    notation: Notation
    net: Network = field(repr=False)
    record: Pass = field(repr=False)
    rows: list[int] = field(default_factory=list)
    steps: int | None = None  # recurrent networks: the number of time steps traced
    bptt_steps: int | None = None  # recurrent networks: how far back each E_t's error was sent
    chain_builder: Any = field(default=None, repr=False)  # expands a weight's gradient; None: feed-forward

    def __post_init__(self):
        self._index = {term.id: i for i, term in enumerate(self.terms)}

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, key: int | str) -> Term:
        return self.terms[self._index[key]] if isinstance(key, str) else self.terms[key]

    def index(self, term_id: str) -> int:
        return self._index[term_id]

    def phase_end(self, phase: str) -> int:
        """Index of the last term of a phase (where 'jump to end of forward pass' lands)."""
        last = [i for i, term in enumerate(self.terms) if term.phase == phase]
        return last[-1] if last else -1

    def chain(self, weight: str) -> Chain:
        """Expand ∂E/∂w for the connection `weight` ("hidden[0][1]" or "hidden_bias[0]")."""
        return (self.chain_builder or _ChainBuilder)(self).build(weight)

    def to_json(self) -> dict[str, Any]:
        def lists(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
            return {key: value.tolist() for key, value in arrays.items()}

        extra = (
            {} if self.steps is None else {"sequence": self.pattern, "steps": self.steps, "bptt_steps": self.bptt_steps}
        )
        return {
            "network": self.network,
            "pattern": self.pattern,
            **extra,
            "inputs": self.inputs.tolist(),
            "targets": self.targets.tolist(),
            "outputs": self.outputs.tolist(),
            "loss": float(self.loss),
            "gradients": lists(self.gradients),
            "weights_before": lists(self.weights_before),
            "weights_after": lists(self.weights_after),
            "notation": self.notation.key,
            "terms": [term.to_json() for term in self.terms],
        }


def connection(key: str, *index: int) -> str:
    return key + "".join(f"[{i}]" for i in index)


def parse_connection(text: str) -> tuple[str, tuple[int, ...]]:
    """'hidden[0][1]' -> ('hidden', (0, 1)); ValueError if it is not of that form."""
    match = _CONNECTION.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a weight of the form <layer>[to][from]: {text!r}")
    return match.group(1), tuple(int(i) for i in re.findall(r"\[\s*(\d+)\s*\]", match.group(2)))


_CONNECTION = re.compile(r"([A-Za-z]\w*)((?:\[\s*\d+\s*\])*)")


class _Builder:
    """Writes the terms of a trace from one Pass (one or several patterns)."""

    def __init__(
        self,
        net: Network,
        record: Pass,
        changes: dict[str, np.ndarray],
        rows: list[int],
        notation: Notation,
        tag_patterns: bool,
    ):
        self.net, self.record, self.changes, self.rows = net, record, changes, rows
        self.N = notation
        self.tag = tag_patterns
        self.terms: list[Term] = []

    # -- naming -------------------------------------------------------------------------

    def qid(self, base: str, p: int | None) -> str:
        return f"{base}@p{p + 1}" if (self.tag and p is not None) else base

    def qsym(self, symbol: str, p: int | None) -> str:
        return f"{symbol}[p{p + 1}]" if (self.tag and p is not None) else symbol

    def label(self, k: int, j: int) -> str:
        return self.net.layers[k].label(j)

    def a_sym(self, k: int, j: int) -> str:
        return self.N.a(self.label(k, j), is_input=(k == 0))

    def add(self, **fields) -> Term:
        term = Term(**fields)
        self.terms.append(term)
        return term

    def rule(self, kind: str, k: int = 0) -> str:
        return rule(self.net, self.N, kind, k)

    # -- forward ------------------------------------------------------------------------

    def forward(self) -> None:
        for r, p in enumerate(self.rows):
            pat = p if self.tag else None
            for k in range(1, len(self.net.layers)):
                self._net_inputs(k, r, pat)
                self._activations(k, r, pat)
            self._loss(r, pat)

    def _net_inputs(self, k: int, r: int, p: int | None) -> None:
        net, N = self.net, self.N
        layer, below = net.layers[k], net.layers[k - 1]
        W = net.params[layer.name]
        a_below = self.record.activation[k - 1][r]
        for j in range(layer.size):
            sym_parts, num_parts, deps, conns = [], [], [], []
            for i in range(below.size):
                sym_parts.append(f"{self.a_sym(k - 1, i)} · {weight_symbol(net, N, layer.name, (j, i))}")
                num_parts.append(f"{fmt_operand(a_below[i])} × {fmt_operand(W[j, i])}")
                if k > 1:
                    deps.append(self.qid(f"a.{below.name}.{i}", p))
                conns.append(connection(layer.name, j, i))
            if layer.bias:
                sym_parts.append(weight_symbol(net, N, layer.name + "_bias", (j,)))
                num_parts.append(fmt_operand(net.params[layer.name + "_bias"][j]))
                conns.append(connection(layer.name + "_bias", j))
            self.add(
                id=self.qid(f"n.{layer.name}.{j}", p),
                phase="forward",
                kind="net_input",
                symbol=self.qsym(N.n(self.label(k, j)), p),
                formula=" + ".join(sym_parts),
                expression=" + ".join(num_parts),
                value=float(self.record.net_input[k][r, j]),
                depends=tuple(deps),
                units=(*(f"{below.name}.{i}" for i in range(below.size)), f"{layer.name}.{j}"),
                connections=tuple(conns),
                layer=layer.name,
                unit=j,
                rule=self.rule("net_input"),
                pattern=p,
            )

    def _activations(self, k: int, r: int, p: int | None) -> None:
        net, N = self.net, self.N
        layer, fn = net.layers[k], net.fns[k]
        n = self.record.net_input[k][r]
        for j in range(layer.size):
            n_sym = N.n(self.label(k, j))
            if fn.elementwise:
                formula = fn.value_symbols(n_sym, N.sigmoid)
                expression = fn.value_numbers(n[j])
                deps = (self.qid(f"n.{layer.name}.{j}", p),)
            else:  # softmax: a_j = e^n_j / Σ_k e^n_k
                formula = f"e^{n_sym} / ({' + '.join(f'e^{N.n(lab)}' for lab in layer.labels)})"
                expression = f"e^{fmt_operand(n[j])} / ({' + '.join(f'e^{fmt_operand(x)}' for x in n)})"
                deps = tuple(self.qid(f"n.{layer.name}.{m}", p) for m in range(layer.size))
            self.add(
                id=self.qid(f"a.{layer.name}.{j}", p),
                phase="forward",
                kind="activation",
                symbol=self.qsym(self.a_sym(k, j), p),
                formula=formula,
                expression=expression,
                value=float(self.record.activation[k][r, j]),
                depends=deps,
                units=(f"{layer.name}.{j}",),
                layer=layer.name,
                unit=j,
                rule=self.rule("activation", k),
                pattern=p,
            )

    def _loss(self, r: int, p: int | None) -> None:
        net, N = self.net, self.N
        top, out = len(net.layers) - 1, net.output
        loss = net.loss
        sym_t, num_t = loss.unit_templates(out.activation)
        a, t = self.record.activation[top][r], self.record.target[r]
        parts_sym = [sym_t.format(t=N.t(lab), a=N.a(lab)) for lab in out.labels]
        parts_num = [num_t.format(t=fmt_operand(t[j]), a=fmt_operand(a[j])) for j in range(out.size)]
        value = float(self.record.row_loss[r])
        self.add(
            id=self.qid("E", p),
            phase="forward",
            kind="loss",
            symbol=self.qsym(N.error, p),
            formula=scaled(loss.scale, parts_sym, "·"),
            expression=scaled(loss.scale, parts_num, "×"),
            value=value,
            depends=tuple(self.qid(f"a.{out.name}.{j}", p) for j in range(out.size)),
            units=tuple(f"{out.name}.{j}" for j in range(out.size)),
            layer=out.name,
            rule=self.rule("loss"),
            pattern=p,
        )

    # -- backward -----------------------------------------------------------------------

    def backward(self) -> None:
        net = self.net
        top = len(net.layers) - 1
        for k in range(top, 0, -1):
            for r, p in enumerate(self.rows):
                pat = p if self.tag else None
                for j in range(net.layers[k].size):
                    if k == top:
                        self._output_error(k, j, r, pat)
                    else:
                        self._hidden_error(k, j, r, pat)
            self._weight_gradients(k)

    def _output_error(self, k: int, j: int, r: int, p: int | None) -> None:
        net, N, rec = self.net, self.N, self.record
        layer, loss = net.layers[k], net.loss
        lab = self.label(k, j)
        a, t = rec.activation[k][r], rec.target[r]
        unit = (f"{layer.name}.{j}",)
        E = N.error
        if loss.fuses_with(layer.activation):
            self.add(
                id=self.qid(f"dE/dn.{layer.name}.{j}", p),
                phase="backward",
                kind="dE_dn",
                symbol=self.qsym(N.d(E, N.n(lab)), p),
                formula=f"{N.a(lab)} − {N.t(lab)}",
                expression=f"{fmt_operand(a[j])} − {fmt_operand(t[j])}",
                value=float(rec.dE_dn[k][r, j]),
                depends=(self.qid(f"a.{layer.name}.{j}", p),),
                units=unit,
                layer=layer.name,
                unit=j,
                rule=self.rule("dE_dn_fused"),
                pattern=p,
                note=fused_note(layer.activation),
            )
            return
        self.add(
            id=self.qid(f"dE/da.{layer.name}.{j}", p),
            phase="backward",
            kind="dE_da",
            symbol=self.qsym(N.d(E, N.a(lab)), p),
            formula=loss.dE_da_symbols.format(t=N.t(lab), a=N.a(lab)),
            expression=loss.dE_da_numbers.format(t=fmt_operand(t[j]), a=fmt_operand(a[j])),
            value=float(rec.dE_da[k][r, j]),
            depends=(self.qid(f"a.{layer.name}.{j}", p),),
            units=unit,
            layer=layer.name,
            unit=j,
            rule=self.rule("dE_da_output"),
            pattern=p,
        )
        self._through_activation(k, j, r, p)

    def _hidden_error(self, k: int, j: int, r: int, p: int | None) -> None:
        net, N, rec = self.net, self.N, self.record
        layer, above = net.layers[k], net.layers[k + 1]
        lab = self.label(k, j)
        W = net.params[above.name]
        delta_above = rec.dE_dn[k + 1][r]
        E = N.error
        sym = [
            f"{N.d(E, N.n(self.label(k + 1, q)))} · {weight_symbol(net, N, above.name, (q, j))}"
            for q in range(above.size)
        ]
        num = [f"{fmt_operand(delta_above[q])} × {fmt_operand(W[q, j])}" for q in range(above.size)]
        self.add(
            id=self.qid(f"dE/da.{layer.name}.{j}", p),
            phase="backward",
            kind="dE_da",
            symbol=self.qsym(N.d(E, N.a(lab)), p),
            formula=" + ".join(sym),
            expression=" + ".join(num),
            value=float(rec.dE_da[k][r, j]),
            depends=tuple(self.qid(f"dE/dn.{above.name}.{q}", p) for q in range(above.size)),
            units=(f"{layer.name}.{j}", *(f"{above.name}.{q}" for q in range(above.size))),
            connections=tuple(connection(above.name, q, j) for q in range(above.size)),
            layer=layer.name,
            unit=j,
            rule=self.rule("dE_da_hidden"),
            pattern=p,
            note=fan_out_note(N.a(lab), above.size),
        )
        self._through_activation(k, j, r, p)

    def _through_activation(self, k: int, j: int, r: int, p: int | None) -> None:
        """∂a/∂n, then ∂E/∂n = ∂E/∂a · ∂a/∂n (softmax: the whole Jacobian in one term)."""
        net, N, rec = self.net, self.N, self.record
        layer, fn = net.layers[k], net.fns[k]
        lab = self.label(k, j)
        a_sym, n_sym = N.a(lab), N.n(lab)
        E = N.error
        unit = (f"{layer.name}.{j}",)
        a, n = rec.activation[k][r], rec.net_input[k][r]
        dE_da = rec.dE_da[k][r]
        if not fn.elementwise:
            others_sym = " + ".join(f"{N.d(E, N.a(m))} · {N.a(m)}" for m in layer.labels)
            others_num = " + ".join(f"{fmt_operand(dE_da[m])} × {fmt_operand(a[m])}" for m in range(layer.size))
            self.add(
                id=self.qid(f"dE/dn.{layer.name}.{j}", p),
                phase="backward",
                kind="dE_dn",
                symbol=self.qsym(N.d(E, n_sym), p),
                formula=f"{a_sym} · ({N.d(E, a_sym)} − ({others_sym}))",
                expression=f"{fmt_operand(a[j])} × ({fmt_operand(dE_da[j])} − ({others_num}))",
                value=float(rec.dE_dn[k][r, j]),
                depends=tuple(self.qid(f"dE/da.{layer.name}.{m}", p) for m in range(layer.size)),
                units=tuple(f"{layer.name}.{m}" for m in range(layer.size)),
                layer=layer.name,
                unit=j,
                rule=f"{N.d(E, N.n('j'))} = Σ_k {N.d(E, N.a('k'))} · {N.a('k')}(δ_kj − {N.a('j')})",
                pattern=p,
                note=fn.note,
            )
            return
        slope = float(rec.slope[k][r, j])
        self.add(
            id=self.qid(f"da/dn.{layer.name}.{j}", p),
            phase="backward",
            kind="da_dn",
            symbol=self.qsym(N.d(a_sym, n_sym), p),
            formula=fn.slope_symbols(a_sym, n_sym),
            expression=fn.slope_with_numbers(a[j], n[j]),
            value=slope,
            depends=(self.qid(f"a.{layer.name}.{j}", p),),
            units=unit,
            layer=layer.name,
            unit=j,
            rule=self.rule("da_dn", k),
            note=fn.note,
            pattern=p,
        )
        self.add(
            id=self.qid(f"dE/dn.{layer.name}.{j}", p),
            phase="backward",
            kind="dE_dn",
            symbol=self.qsym(N.d(E, n_sym), p),
            formula=f"{N.d(E, a_sym)} · {N.d(a_sym, n_sym)}",
            expression=f"{fmt_operand(dE_da[j])} × {fmt_operand(slope)}",
            value=float(rec.dE_dn[k][r, j]),
            depends=(self.qid(f"dE/da.{layer.name}.{j}", p), self.qid(f"da/dn.{layer.name}.{j}", p)),
            units=unit,
            layer=layer.name,
            unit=j,
            rule=self.rule("dE_dn"),
            pattern=p,
        )

    def _weight_gradients(self, k: int) -> None:
        """∂E/∂w_ij = Σ_p ∂E/∂n_j · a_i for the weights into layer k (and its bias)."""
        net, N, rec = self.net, self.N, self.record
        layer, below = net.layers[k], net.layers[k - 1]
        E = N.error
        grads = rec.gradients
        pats = [(r, p if self.tag else None) for r, p in enumerate(self.rows)]
        for j in range(layer.size):
            to = self.label(k, j)
            dn_sym = N.d(E, N.n(to))
            for i in range(below.size):
                w_sym = weight_symbol(net, N, layer.name, (j, i))
                parts_sym = [f"{self.qsym(dn_sym, p)} · {self.qsym(self.a_sym(k - 1, i), p)}" for _, p in pats]
                parts_num = [
                    f"{fmt_operand(rec.dE_dn[k][r, j])} × {fmt_operand(rec.activation[k - 1][r, i])}" for r, _ in pats
                ]
                deps = [self.qid(f"dE/dn.{layer.name}.{j}", p) for _, p in pats]
                if k > 1:
                    deps += [self.qid(f"a.{below.name}.{i}", p) for _, p in pats]
                self.add(
                    id=f"dE/dw.{layer.name}.{j}.{i}",
                    phase="backward",
                    kind="dE_dw",
                    symbol=N.d(E, w_sym),
                    formula=" + ".join(parts_sym),
                    expression=" + ".join(parts_num),
                    value=float(grads[layer.name][j, i]),
                    depends=tuple(deps),
                    units=(f"{below.name}.{i}", f"{layer.name}.{j}"),
                    connections=(connection(layer.name, j, i),),
                    layer=layer.name,
                    unit=j,
                    rule=self.rule("dE_dw"),
                    weight=Weight(layer.name, (j, i)),
                )
            if layer.bias:
                self.add(
                    id=f"dE/db.{layer.name}.{j}",
                    phase="backward",
                    kind="dE_db",
                    symbol=N.d(E, weight_symbol(net, N, layer.name + "_bias", (j,))),
                    formula=" + ".join(f"{self.qsym(dn_sym, p)} · 1" for _, p in pats),
                    expression=" + ".join(f"{fmt_operand(rec.dE_dn[k][r, j])} × 1" for r, _ in pats),
                    value=float(grads[layer.name + "_bias"][j]),
                    depends=tuple(self.qid(f"dE/dn.{layer.name}.{j}", p) for _, p in pats),
                    units=(f"{layer.name}.{j}",),
                    connections=(connection(layer.name + "_bias", j),),
                    layer=layer.name,
                    unit=j,
                    rule=self.rule("dE_db"),
                    weight=Weight(layer.name + "_bias", (j,)),
                )

    # -- update -------------------------------------------------------------------------

    def update(self, before: dict[str, np.ndarray], velocity: dict[str, np.ndarray]) -> None:
        net, N = self.net, self.N
        hebb = net.training.rule == "hebb"
        for k in range(len(net.layers) - 1, 0, -1):
            layer, below = net.layers[k], net.layers[k - 1]
            for j in range(layer.size):
                keys = [(layer.name, (j, i)) for i in range(below.size)]
                if layer.bias:
                    keys.append((layer.name + "_bias", (j,)))
                weights = [(key, index, weight_symbol(net, N, key, index)) for key, index in keys]
                for key, index, w_sym in weights:
                    units = (
                        (f"{layer.name}.{j}",) if len(index) == 1 else (f"{below.name}.{index[1]}", f"{layer.name}.{j}")
                    )
                    hebb_text = self._hebb_text(k, j, index[1] if len(index) == 2 else None) if hebb else None
                    self.terms += update_terms(
                        N,
                        net.training,
                        key,
                        index,
                        w_sym,
                        units,
                        layer.name,
                        float(self.record.gradients[key][index]),
                        float(self.changes[key][index]),
                        before,
                        velocity,
                        hebb_text,
                    )

    def _hebb_text(self, k: int, j: int, i: int | None) -> tuple[str, str]:
        """Δw_ij = ε Σ_p t_j a_i: the Hebb rule pairs the target with the sending activation."""
        N, rec = self.N, self.record
        lr = self.net.training.learning_rate
        pats = [(r, p if self.tag else None) for r, p in enumerate(self.rows)]
        to = self.label(k, j)
        a_sym = "1" if i is None else self.a_sym(k - 1, i)
        sym = [f"{self.qsym(N.t(to), p)} · {self.qsym(a_sym, p) if i is not None else '1'}" for _, p in pats]
        num = [
            f"{fmt_operand(rec.target[r, j])} × {fmt_operand(1.0 if i is None else rec.activation[k - 1][r, i])}"
            for r, _ in pats
        ]
        if len(pats) == 1:
            return f"{N.learning_rate} · {sym[0]}", f"{fmt_operand(lr)} × {num[0]}"
        return f"{N.learning_rate} · ({' + '.join(sym)})", f"{fmt_operand(lr)} × ({' + '.join(num)})"


def weight_symbol(net: Network, N: Notation, key: str, index: tuple[int, ...]) -> str:
    """A weight's symbol: the name the network file gives it (w1, as in a lecture), else the notation's
    w_from,to; b_to for a bias, and a context weight is named after its context unit (w_ch1,h2)."""
    index = tuple(int(i) for i in index)
    named = net.weight_names.get((key, index))
    if named:
        return named
    base = layer_of(key)
    k = next(k for k, layer in enumerate(net.layers) if layer.name == base)
    to = net.layers[k].label(index[0])
    if key.endswith("_bias"):
        return N.b(to)
    if key.endswith("_context"):
        return N.w("c" + net.layers[k].label(index[1]), to)
    return N.w(net.layers[k - 1].label(index[1]), to)


def weight_id(key: str, index: tuple[int, ...]) -> str:
    """The id part of a weight's terms: "w.hidden.0.1" for hidden[0][1], "b.hidden.0" for hidden_bias[0]."""
    kind = "b" if key.endswith("_bias") else "w"
    return f"{kind}.{key.removesuffix('_bias')}." + ".".join(str(i) for i in index)


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
        rule = f"Δ{w_rule} = {N.learning_rate} · {N.t('j')} · {N.a('i')}"
    else:
        formula = f"−{N.learning_rate} · {N.d(N.error, w_sym)}"
        expression = f"−{fmt_operand(training.learning_rate)} × {fmt_operand(grad)}"
        depends = (f"dE/d{wid}",)
        rule = f"Δ{w_rule} = −{N.learning_rate} · {N.d(N.error, w_rule)}"
    if training.momentum:
        formula += f" + {N.momentum} · Δ{w_sym}(t−1)"
        expression += f" + {fmt_operand(training.momentum)} × {fmt_operand(previous[key][index])}"
        rule += f" + {N.momentum} · Δ{w_rule}(t−1)"
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
            rule=rule,
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


def fused_note(activation: str) -> str:
    return f"With cross-entropy after {activation} units, ∂E/∂a and ∂a/∂n cancel to the plain difference a − t."


def fan_out_note(a_sym: str, receivers: int) -> str:
    """A unit feeding several units sums their error derivatives."""
    if receivers == 1:
        return ""
    return f"{a_sym} feeds {receivers} units, so its error derivative is the sum over all of them."


def rule(net: Network, N: Notation, kind: str, k: int = 0, step_error: bool = False) -> str:
    """The general rule a term of this kind instantiates (layer k's activation for activation and
    da_dn), written in notation N. `step_error`: the error is one time step's, E_t (unrolled networks)."""
    d = N.d
    fn = net.fns[k] if k else None
    E = f"{N.error}_t" if step_error else N.error
    if kind == "loss":
        sym, _ = net.loss.unit_templates(net.output.activation)
        inner = sym.format(t=N.t("j"), a=N.a("j"))
        return f"{E} = {net.loss.scale} Σ_j [{inner}]".replace("  ", " ")
    if kind == "dE_da_output":
        return f"{d(E, N.a('j'))} = {net.loss.dE_da_symbols.format(t=N.t('j'), a=N.a('j'))}"
    if kind == "activation":
        return f"{N.a('j')} = {fn.value_symbols(N.n('j'), N.sigmoid)}"
    if kind == "da_dn":
        return f"{d(N.a('j'), N.n('j'))} = {fn.slope_symbols(N.a('j'), N.n('j'))}"
    return {
        "net_input": f"{N.n('j')} = Σ_i {N.a('i')} {N.w('i', 'j')} + {N.b('j')}",
        "dE_da_hidden": f"{d(E, N.a('i'))} = Σ_j {d(E, N.n('j'))} · {N.w('i', 'j')}",
        "dE_dn": f"{d(E, N.n('j'))} = {d(E, N.a('j'))} · {d(N.a('j'), N.n('j'))}",
        "dE_dn_fused": f"{d(E, N.n('j'))} = {N.a('j')} − {N.t('j')}",
        "dE_dw": f"{d(E, N.w('i', 'j'))} = {d(E, N.n('j'))} · {N.a('i')}",
        "dE_db": f"{d(E, N.b('j'))} = {d(E, N.n('j'))} · 1",
        "dE_da_back_in_time": f"{d(E, N.a('i') + '(t − 1)')} = Σ_j {d(E, N.n('j') + '(t)')} · {N.w(N.c('i'), 'j')}",
        "dE_dw_source": f"{d(E, N.w('i', 'j'))} = Σ_s {d(E, N.n('j') + '(s)')} · {N.a('i')}(s)",
    }[kind]


def scaled(scale: str, parts: list[str], times: str) -> str:
    """½ × [p1 + p2], or the bare sum when there is no factor."""
    inner = " + ".join(parts)
    if scale == "":
        return inner
    if scale == "−":
        return f"−({inner})" if " + " in inner else f"−{inner}"
    return f"{scale} × [{inner}]" if times == "×" else f"{scale}[{inner}]"


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
    twin = net.copy()
    before = {k: v.copy() for k, v in net.params.items()}
    velocity = {k: v.copy() for k, v in net.velocity.items()}
    if net.training.rule == "hebb":
        changes = twin.update(twin.hebb_gradients(net.inputs[rows], net.targets[rows]))
    else:
        changes = twin.update(record.gradients)
    builder = _Builder(net, record, changes, rows, N, tag_patterns=pattern is None)
    builder.forward()
    builder.backward()
    builder.update(before, velocity)
    return Trace(
        network=net.name,
        pattern=pattern,
        inputs=net.inputs[rows].squeeze(0) if pattern is not None else net.inputs[rows],
        targets=net.targets[rows].squeeze(0) if pattern is not None else net.targets[rows],
        outputs=record.activation[-1].squeeze(0) if pattern is not None else record.activation[-1],
        loss=record.loss,
        terms=builder.terms,
        gradients=record.gradients,
        weights_before=before,
        weights_after=twin.params,
        changes=changes,
        notation=N,
        net=net,
        record=record,
        rows=rows,
    )


class _ChainBuilder:
    """Enumerates the paths from the loss down to one weight, one factor per link."""

    def __init__(self, trace: Trace):
        if trace.pattern is None:
            raise ValueError("chain-rule expansions are for one pattern at a time")
        self.trace = trace
        self.net, self.rec, self.N = trace.net, trace.record, trace.notation
        self.top = len(self.net.layers) - 1
        self.count = 0

    def build(self, weight: str) -> Chain:
        net = self.net
        try:
            key, index = parse_connection(weight)
        except ValueError:
            key, index = "", ()
        shape = net.params[key].shape if key in net.params else None
        if (
            shape is None
            or key.endswith("_context")
            or len(index) != len(shape)
            or not all(0 <= i < size for i, size in zip(index, shape, strict=True))
        ):
            raise KeyError(
                f"no weight '{weight}' in network '{net.name}': name one as <layer>[to][from] or <layer>_bias[to], "
                f"e.g. {next(iter(net.params))}[0][0]"
            )
        names = [layer.name for layer in net.layers]
        ref = Weight(key, index)
        is_bias = ref.is_bias
        layer_name = ref.layer
        k = names.index(layer_name)
        j = index[0]
        N, E = self.N, self.N.error
        to = net.layers[k].label(j)
        if is_bias:
            w_sym, a_in, a_in_sym, source_id, units = (
                weight_symbol(net, N, key, index),
                1.0,
                "1",
                None,
                (f"{layer_name}.{j}",),
            )
        else:
            i = index[1]
            w_sym = weight_symbol(net, N, key, index)
            a_in = float(self.rec.activation[k - 1][0, i])
            a_in_sym = N.a(net.layers[k - 1].label(i), is_input=(k - 1 == 0))
            source_id = f"a.{net.layers[k - 1].name}.{i}" if k > 1 else None
            units = (f"{net.layers[k - 1].name}.{i}", f"{layer_name}.{j}")
        last = Term(
            id="",
            phase="backward",
            kind="factor",
            symbol=N.d(N.n(to), w_sym),
            formula=a_in_sym,
            expression=fmt(a_in),
            value=a_in,
            depends=(source_id,) if source_id else (),
            units=units,
            connections=(weight,),
            layer=layer_name,
            unit=j,
        )
        paths = [[*p, last] for p in self._from_net(k, j)]
        base = f"chain.{weight}"
        numbered: list[list[Term]] = []
        products: list[Term] = []
        for n, factors in enumerate(paths, start=1):
            factors = [
                replace(f, id=f"{base}.{n}.{m}", weight=ref, path=n, factor=m) for m, f in enumerate(factors, start=1)
            ]
            numbered.append(factors)
            product = float(np.prod([f.value for f in factors]))
            products.append(
                Term(
                    id=f"{base}.{n}",
                    phase="backward",
                    kind="chain_product",
                    symbol=N.d(E, w_sym) if len(paths) == 1 else f"path {n}",
                    formula=" · ".join(f.symbol for f in factors),
                    expression=" × ".join(fmt_operand(f.value) for f in factors),
                    value=product,
                    depends=tuple(f.id for f in factors),
                    units=tuple(dict.fromkeys(u for f in factors for u in f.units)),
                    connections=tuple(dict.fromkeys(c for f in factors for c in f.connections)),
                    layer=layer_name,
                    unit=j,
                    weight=ref,
                    path=n,
                )
            )
        gradient = float(self.rec.gradients[key][index])
        total = Term(
            id=base,
            phase="backward",
            kind="chain_sum",
            symbol=N.d(E, w_sym),
            formula=" + ".join(p.symbol for p in products),
            expression=" + ".join(fmt_operand(p.value) for p in products),
            value=gradient,
            depends=tuple(p.id for p in products),
            units=tuple(dict.fromkeys(u for p in products for u in p.units)),
            connections=tuple(dict.fromkeys(c for p in products for c in p.connections)),
            layer=layer_name,
            unit=j,
            weight=ref,
            note=f"{len(paths)} paths lead from {E} down to {w_sym}; their products add up to the gradient.",
        )
        return Chain(weight, N.d(E, w_sym), numbered, products, total)

    # Each function returns the paths (lists of factor Terms, loss first) for one derivative.

    def _from_net(self, k: int, j: int) -> list[list[Term]]:
        """Paths giving ∂E/∂n_j for unit j of layer k."""
        net, N, rec = self.net, self.N, self.rec
        layer, fn = net.layers[k], net.fns[k]
        E = N.error
        lab = layer.label(j)
        if k == self.top and net.loss.fuses_with(layer.activation):
            self._count()
            return [
                [
                    Term(
                        id="",
                        phase="backward",
                        kind="factor",
                        symbol=N.d(E, N.n(lab)),
                        formula=f"{N.a(lab)} − {N.t(lab)}",
                        expression=f"{fmt_operand(rec.activation[k][0, j])} − {fmt_operand(rec.target[0, j])}",
                        value=float(rec.dE_dn[k][0, j]),
                        depends=(f"dE/dn.{layer.name}.{j}",),
                        units=(f"{layer.name}.{j}",),
                        layer=layer.name,
                        unit=j,
                    )
                ]
            ]
        a, n = rec.activation[k][0], rec.net_input[k][0]
        paths = []
        receivers = [j] if fn.elementwise else list(range(layer.size))
        for m in receivers:
            m_lab = layer.label(m)
            if fn.elementwise:
                value = float(rec.slope[k][0, j])
                formula = fn.slope_symbols(N.a(lab), N.n(lab))
                expression = fn.slope_with_numbers(a[j], n[j])
                deps: tuple[str, ...] = (f"da/dn.{layer.name}.{j}",)
            else:
                value = float(a[m] * ((m == j) - a[j]))  # ∂a_m/∂n_j = a_m(δ_mj − a_j)
                formula = f"{N.a(m_lab)}({int(m == j)} − {N.a(lab)})"
                expression = f"{fmt_operand(a[m])} × ({int(m == j)} − {fmt_operand(a[j])})"
                deps = ()
            factor = Term(
                id="",
                phase="backward",
                kind="factor",
                symbol=N.d(N.a(m_lab), N.n(lab)),
                formula=formula,
                expression=expression,
                value=value,
                depends=deps,
                units=tuple(dict.fromkeys((f"{layer.name}.{j}", f"{layer.name}.{m}"))),
                layer=layer.name,
                unit=j,
            )
            paths += [[*p, factor] for p in self._from_activation(k, m)]
        return paths

    def _from_activation(self, k: int, m: int) -> list[list[Term]]:
        """Paths giving ∂E/∂a_m for unit m of layer k."""
        net, N, rec = self.net, self.N, self.rec
        layer = net.layers[k]
        lab = layer.label(m)
        E = N.error
        if k == self.top:
            self._count()
            return [
                [
                    Term(
                        id="",
                        phase="backward",
                        kind="factor",
                        symbol=N.d(E, N.a(lab)),
                        formula=net.loss.dE_da_symbols.format(t=N.t(lab), a=N.a(lab)),
                        expression=net.loss.dE_da_numbers.format(
                            t=fmt_operand(rec.target[0, m]), a=fmt_operand(rec.activation[k][0, m])
                        ),
                        value=float(rec.dE_da[k][0, m]),
                        depends=(f"dE/da.{layer.name}.{m}",),
                        units=(f"{layer.name}.{m}",),
                        layer=layer.name,
                        unit=m,
                    )
                ]
            ]
        above = net.layers[k + 1]
        W = net.params[above.name]
        paths = []
        for q in range(above.size):
            q_lab = above.label(q)
            factor = Term(
                id="",
                phase="backward",
                kind="factor",
                symbol=N.d(N.n(q_lab), N.a(lab)),
                formula=weight_symbol(net, N, above.name, (q, m)),
                expression=fmt(W[q, m]),
                value=float(W[q, m]),
                units=(f"{layer.name}.{m}", f"{above.name}.{q}"),
                connections=(connection(above.name, q, m),),
                layer=above.name,
                unit=q,
            )
            paths += [[*p, factor] for p in self._from_net(k + 1, q)]
        return paths

    def _count(self) -> None:
        self.count += 1
        if self.count > MAX_PATHS:
            raise ValueError(f"more than {MAX_PATHS} paths lead to this weight: too many to list one by one")
