"""Stepping through a trace one term at a time, and what the widgets should show at each position.

Pure logic (no Textual): a `TracePlayer` holds the sequence of terms to step through and a
position k (0 = nothing computed yet, k = the first k terms computed). With a focus weight,
the chain-rule expansion of that weight's gradient is stepped through right after the
weight's ∂E/∂w term, factor by factor. `diagram_state()` says, for this position, which value
each unit shows, which weights are drawn, and what is highlighted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import product
from types import MappingProxyType

from engine.trace import PHASES, Chain, Term, Trace, Weight, unit_ids

CHAIN_KINDS = frozenset({"factor", "chain_product", "chain_sum"})
UNIT_VALUES = ("net_input", "activation")  # what a unit box shows a term use (∂E/∂n: the units show it then)


@dataclass(frozen=True)
class Highlight:
    """Units ("hidden.0") and connections ("hidden[0][1]", "hidden_bias[0]") to light up."""

    units: frozenset[str] = frozenset()
    connections: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.units or self.connections)


NOTHING = Highlight()


@dataclass(frozen=True)
class DiagramState:
    """What the network diagram shows at one position of the player."""

    phase: str  # forward | backward | update
    quantity: str  # "activation" or "dE_dn": what the non-input units show
    unit_values: Mapping[str, float | None]  # by unit id; None = not computed yet
    weights: Mapping[str, float]  # by connection id: w, or w′ once the new weight is computed
    updated: frozenset[str]  # connections whose new weight w′ is computed
    targets: Mapping[str, float]  # output unit id -> target
    current: Highlight = NOTHING  # the term just computed
    chain: Highlight = NOTHING  # the focus weight's chain-rule path (backward phase only)
    position: int = 0
    unit: str | None = None  # the unit the current term is about ("hidden.0"), if any
    uses: Mapping[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)  # unit id -> (kind, value) used


@dataclass(frozen=True)
class ChainView:
    """One path of a chain-rule expansion, as far as the player has got (for the equation panel)."""

    symbol: str  # ∂E/∂w_i1,h1
    weight: str  # connection id
    path: int  # 1-based number of the path the current term belongs to
    paths: int  # how many paths there are
    factors: tuple[Term, ...]
    known: tuple[float | None, ...]  # each factor's value once computed
    current: int | None  # index of the factor just computed; None for a product or the sum
    term: Term  # the current term (a factor, a path's product or the sum)


@dataclass
class TracePlayer:
    """Step forward and back through a trace's terms; with a focus weight, through its chain rule too."""

    trace: Trace
    focus: str | None = None
    position: int = 0
    until: str | None = None  # a phase: the terms after it are left out (a page that stops after the forward pass)
    chain: Chain | None = None  # the focus weight's chain of factors, if the caller has expanded it already
    terms: list[Term] = field(init=False)

    def __post_init__(self) -> None:
        terms = list(self.trace.terms)
        if self.focus is not None:
            self.chain = self.chain or self.trace.chain(self.focus)
            after = self.trace.index(self.chain.total.weight.gradient_id) + 1
            terms[after:after] = self.chain.terms()
        if self.until is not None:
            last = PHASES.index(self.until)
            terms = [term for term in terms if PHASES.index(term.phase) <= last]
        self.terms = terms
        self._index = {term.id: k for k, term in enumerate(terms)}
        self._unit_ids = unit_ids(self.trace.net)
        self._connections = _connection_ids(self.trace)
        self.position = max(0, min(self.position, len(terms)))

    # -- moving -------------------------------------------------------------------------

    def step(self) -> bool:
        """Compute the next term; False at the end."""
        return self.seek(self.position + 1)

    def back(self) -> bool:
        """Un-compute the last term; False at the start."""
        return self.seek(self.position - 1)

    def reset(self) -> None:
        self.position = 0

    def to_end(self) -> None:
        self.position = len(self.terms)

    def to_end_of(self, phase: str) -> None:
        """Jump to just after the last term of a phase (its chain-rule terms included)."""
        if phase not in PHASES:
            raise ValueError(f"unknown phase '{phase}' (expected one of: {', '.join(PHASES)})")
        last = [k for k, term in enumerate(self.terms) if term.phase == phase]
        if last:
            self.position = last[-1] + 1
        elif self.until is not None and PHASES.index(phase) > PHASES.index(self.until):
            self.position = len(self.terms)  # past where the page stops: to its end

    def step_time(self, by: int) -> bool:
        """Unrolled traces: compute the rest of the time step the next term is in (by = 1), or un-compute the
        time step of the last term computed (by = −1). A run of terms of one phase and one step is a time step
        here; True if the position changed."""

        def when(k: int) -> tuple[str, int | None]:
            return self.terms[k].phase, self.terms[k].step

        k = self.position
        if by > 0 and k < len(self.terms):
            run = when(k)
            while k < len(self.terms) and when(k) == run:
                k += 1
        elif by < 0 and k > 0:
            run = when(k - 1)
            while k > 0 and when(k - 1) == run:
                k -= 1
        return self.seek(k)

    def seek(self, position: int) -> bool:
        """Go to a position (clamped); True if it changed."""
        position = max(0, min(position, len(self.terms)))
        moved = position != self.position
        self.position = position
        return moved

    # -- where we are -------------------------------------------------------------------

    @property
    def current(self) -> Term | None:
        """The term just computed, or None before the first."""
        return self.terms[self.position - 1] if self.position else None

    @property
    def phase(self) -> str:
        return self.current.phase if self.current else PHASES[0]

    @property
    def progress(self) -> tuple[int, int]:
        return self.position, len(self.terms)

    @property
    def at_end(self) -> bool:
        return self.position == len(self.terms)

    def is_computed(self, term_id: str) -> bool:
        k = self._index.get(term_id)
        return k is not None and k < self.position

    def known(self) -> dict[str, float]:
        """Values computed so far, by term id."""
        return {term.id: term.value for term in self.terms[: self.position]}

    def value(self, term_id: str) -> float | None:
        """A term's value if it is computed, else None."""
        return self.terms[self._index[term_id]].value if self.is_computed(term_id) else None

    def index(self, term_id: str) -> int:
        """Where a term is in the sequence (0-based): computed once position > index."""
        return self._index[term_id]

    # -- what the widgets show ----------------------------------------------------------

    def highlight(self) -> Highlight:
        term = self.current
        return Highlight(frozenset(term.units), frozenset(term.connections)) if term else NOTHING

    def path_terms(self) -> tuple[Term, ...]:
        """The factors of the chain-rule path the current term belongs to; none when it is not a factor or a
        path's product (the sum of the paths, like every other term, lights only itself): one path at a time."""
        term, chain = self.current, self.chain
        if chain is None or term is None or term.kind not in ("factor", "chain_product") or term.path is None:
            return ()
        return tuple(chain.paths[term.path - 1])

    def chain_path(self) -> Highlight:
        """The units and connections of the path of the current chain-rule factor (nothing between them)."""
        terms = self.path_terms()
        if not terms:
            return NOTHING
        return Highlight(
            frozenset(u for t in terms for u in t.units), frozenset(c for t in terms for c in t.connections)
        )

    def uses(self) -> dict[str, tuple[tuple[str, float], ...]]:
        """Per unit, the values of it (net input, activation) that the current term's formula uses and
        that the unit does not show already: ∂E/∂w = ∂E/∂n_o · a_h uses a_h while the units show ∂E/∂n. A
        chain-rule factor uses what the term it restates uses (σ′ = a(1 − a) uses a)."""
        term = self.current
        if term is None:
            return {}
        depends = term.depends
        if term.kind == "factor" and len(depends) == 1 and (k := self._index.get(depends[0])) is not None:
            depends = self.terms[k].depends if self.terms[k].kind not in UNIT_VALUES else depends
        shown = "activation" if self.phase == "forward" else "dE_dn"
        found: dict[str, dict[str, float]] = {}
        for dep in depends:
            k = self._index.get(dep)
            used = self.terms[k] if k is not None else None
            if used is not None and used.kind in UNIT_VALUES and used.kind != shown and used.unit is not None:
                found.setdefault(f"{used.layer}.{used.unit}", {})[used.kind] = used.value
        return {
            uid: tuple((kind, kinds[kind]) for kind in UNIT_VALUES if kind in kinds) for uid, kinds in found.items()
        }

    def unit_values(self) -> dict[str, float | None]:
        """Per unit: the activation in the forward phase, ∂E/∂n after it; inputs show the input pattern."""
        prefix = "a" if self.phase == "forward" else "dE/dn"
        values: dict[str, float | None] = {}
        for layer, j, uid in self._unit_ids:
            if layer == self.trace.net.layers[0].name:
                values[uid] = float(self.trace.inputs[j])
            else:
                values[uid] = self.value(f"{prefix}.{uid}")
        return values

    def weights(self) -> tuple[dict[str, float], frozenset[str]]:
        """Each connection's weight as drawn now (w′ once the update computed it) and the updated ones."""
        drawn, updated = {}, set()
        for cid, (key, index, new_id) in self._connections.items():
            if self.is_computed(new_id):
                drawn[cid] = float(self.trace.weights_after[key][index])
                updated.add(cid)
            else:
                drawn[cid] = float(self.trace.weights_before[key][index])
        return drawn, frozenset(updated)

    def targets(self) -> dict[str, float]:
        out = self.trace.net.output
        return {f"{out.name}.{j}": float(self.trace.targets[j]) for j in range(out.size)}

    def diagram_state(self) -> DiagramState:
        weights, updated = self.weights()
        return DiagramState(
            phase=self.phase,
            quantity="activation" if self.phase == "forward" else "dE_dn",
            unit_values=MappingProxyType(self.unit_values()),
            weights=MappingProxyType(weights),
            updated=updated,
            targets=MappingProxyType(self.targets()),
            current=self.highlight(),
            chain=self.chain_path(),
            position=self.position,
            unit=f"{term.layer}.{term.unit}" if (term := self.current) and term.unit is not None else None,
            uses=MappingProxyType(self.uses()),
        )

    def chain_view(self) -> ChainView | None:
        """The chain-rule path the current term belongs to, if the current term is a chain term."""
        term, chain = self.current, self.chain
        if term is None or chain is None or term.kind not in CHAIN_KINDS:
            return None
        if term.kind == "chain_sum":
            factors, path, current = (), len(chain.paths), None
        else:
            path = term.path
            factors = tuple(chain.paths[path - 1])
            current = factors.index(term) if term.kind == "factor" else None
        return ChainView(
            symbol=chain.symbol,
            weight=chain.weight,
            path=path,
            paths=len(chain.paths),
            factors=factors,
            known=tuple(self.value(f.id) for f in factors),
            current=current,
            term=term,
        )


def _connection_ids(trace: Trace) -> dict[str, tuple[str, tuple[int, ...], str]]:
    """Every connection id with its parameter key, its index and the id of its new-weight term."""
    ids: dict[str, tuple[str, tuple[int, ...], str]] = {}
    for key, array in trace.weights_before.items():
        for index in product(*(range(size) for size in array.shape)):
            weight = Weight(key, index)
            ids[weight.connection] = (key, index, weight.id)
    return ids
