"""The trace: every quantity of one forward pass, backward pass and update, as term records.

This module holds what a trace is — `Term`, `Chain`, `Trace`, weight references and the ids and
symbols of units and weights, the general rules and notes — for every network. One builder writes
the terms (engine.trace_builder, from the engine's own arrays, never a second scalar
implementation); one chain builder expands a weight's gradient into the chain-rule products from
the loss down to it (engine.chain_builder), which `Trace.chain(weight)` calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from engine.netfile import layer_of
from engine.network import Network, Pass
from engine.notation import Notation

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


def copied_unit(context_unit: str) -> str:
    """The unit a context unit holds a copy of: 'hidden_context.1' -> 'hidden.1'."""
    key, _, j = context_unit.rpartition(".")
    return f"{layer_of(key)}.{j}"


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
    arrays: Any = field(default=None, repr=False)  # the pass as the builders read it (engine.trace_names.Rows)
    names: Any = field(default=None, repr=False)  # how its terms are named (patterns or time steps)
    chain_builder: Any = field(default=None, repr=False)  # expands a weight's gradient (engine.chain_builder)

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
        return self.chain_builder(self).build(weight)

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


def fused_note(activation: str) -> str:
    return f"With cross-entropy after {activation} units, ∂E/∂a and ∂a/∂n cancel to the plain difference a − t."


def fan_out_note(a_sym: str, receivers: int) -> str:
    """A unit feeding several units sums their error derivatives."""
    if receivers == 1:
        return ""
    return f"{a_sym} feeds {receivers} units, so its error derivative is the sum over all of them."


def rule(net: Network, N: Notation, kind: str, k: int = 0, step_error: bool = False) -> str:
    """The general rule a term of this kind instantiates (layer k's activation for activation and
    da_dn, its context units for net_input), written in notation N. `step_error`: the error is one
    time step's, E_t (unrolled networks)."""
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
        "net_input": f"{N.n('j')} = Σ_i {N.a('i')} {N.w('i', 'j')}"
        + (f" + Σ_k {N.c('k')} w_ck,j" if k and net.layers[k].context else "")
        + f" + {N.b('j')}",
        "dE_dn_softmax": f"{d(E, N.n('j'))} = Σ_k {d(E, N.a('k'))} · {N.a('k')}(δ_kj − {N.a('j')})",
        "dE_da_hidden": f"{d(E, N.a('i'))} = Σ_j {d(E, N.n('j'))} · {N.w('i', 'j')}",
        "dE_dn": f"{d(E, N.n('j'))} = {d(E, N.a('j'))} · {d(N.a('j'), N.n('j'))}",
        "dE_dn_fused": f"{d(E, N.n('j'))} = {N.a('j')} − {N.t('j')}",
        "dE_dw": f"{d(E, N.w('i', 'j'))} = {d(E, N.n('j'))} · {N.a('i')}",
        "dE_db": f"{d(E, N.b('j'))} = {d(E, N.n('j'))} · 1",
        "dE_da_back_in_time": f"{d(E, N.a('i') + '(t − 1)')} = Σ_j {d(E, N.n('j') + '(t)')} · {N.w(N.c('i'), 'j')}",
        "dE_dw_source": f"{d(E, N.w('i', 'j'))} = Σ_s {d(E, N.n('j') + '(s)')} · {N.a('i')}(s)",
        **_chain_rules(N, E, step_error),
    }[kind]


def _chain_rules(N: Notation, E: str, step_error: bool) -> dict[str, str]:
    """The rules of a chain's links (a factor: the identity of one link's derivative), of a path's
    product (the chain rule) and of the sum over paths (and, unrolled, over the errors E_t and the
    copies of the weight at the steps s), for a weight, a context weight and a bias."""
    d, w, wc = N.d, N.w("i", "j"), N.w("ci", "j")
    rules = {
        "dn_dw": f"{d(N.n('j'), w)} = {N.a('i')}",
        "dn_dw_context": f"{d(N.n('j'), wc)} = {N.c('i')}",
        "dn_db": f"{d(N.n('j'), N.b('j'))} = 1",
        "dn_da": f"{d(N.n('j'), N.a('i'))} = {w}",
        "dn_da_back_in_time": f"{d(N.n('j') + '(t)', N.a('i') + '(t − 1)')} = {wc}",
        "da_dn_softmax": f"{d(N.a('k'), N.n('j'))} = {N.a('k')}(δ_kj − {N.a('j')})",
    }
    for suffix, weight in (("", w), ("_context", wc), ("_bias", N.b("j"))):
        copy = f"{weight}(s)" if step_error else weight
        rules["chain_product" + suffix] = (
            f"{d(E, copy)} = {d(E, 'u₁')} · {d('u₁', 'u₂')} ⋯ {d('uₘ', copy)} (the chain rule: a factor per link)"
        )
        rules["chain_sum" + suffix] = (
            f"{d(N.error, weight)} = Σ_t Σ_(s ≤ t) {d(E, copy)}, each a sum over the paths from {E} to {copy}"
            if step_error
            else f"{d(E, weight)} = Σ_paths (the product of the factors along the path)"
        )
    return rules


def scaled(scale: str, parts: list[str], times: str) -> str:
    """½ × [p1 + p2], or the bare sum when there is no factor."""
    inner = " + ".join(parts)
    if scale == "":
        return inner
    if scale == "−":
        return f"−({inner})" if " + " in inner else f"−{inner}"
    return f"{scale} × [{inner}]" if times == "×" else f"{scale}[{inner}]"
