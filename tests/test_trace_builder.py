"""One trace builder and one chain builder for every network: the same fields, rules and notation for a
feed-forward pass and an unrolled sequence, and values read from the engine's arrays."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.kinds import build_trace, kind_of
from engine.netfile import load_network
from engine.recurrent import backward_by_lag, forward_sequence
from engine.trace import connection, copied_unit
from tests.conftest import ROOT

NETWORKS = sorted((ROOT / "lessons" / "networks").glob("*.toml"))
CHAIN_KINDS = {"factor", "chain_product", "chain_sum"}


def traced(path: Path):
    net = load_network(path)
    kind = kind_of(net)
    return net, build_trace(net, 0, None, kind.traced_steps(0) if kind.recurrent else None)


@pytest.mark.parametrize("path", NETWORKS, ids=lambda path: path.stem)
def test_every_term_of_every_bundled_network_has_a_rule_and_a_formula(path):
    _, trace = traced(path)
    assert trace.terms
    for term in trace.terms:
        assert term.rule, term.id
        assert term.formula, term.id
        assert term.expression, term.id


@pytest.mark.parametrize("path", NETWORKS, ids=lambda path: path.stem)
def test_every_chain_term_of_every_bundled_network_has_a_rule_and_a_formula(path):
    # a chain of a weight, a bias and (unrolled) a context weight of every layer: each factor carries the
    # identity of its link, each product the chain rule, the sum the sum over paths (and time steps);
    # two steps of a sequence keep the paths of the largest networks under MAX_PATHS
    net = load_network(path)
    trace = build_trace(net, 0, None, 2 if kind_of(net).recurrent else None)
    for key, weights in net.params.items():
        chain = trace.chain(connection(key, *(0,) * weights.ndim))
        terms = [*(factor for factors in chain.paths for factor in factors), *chain.products, chain.total]
        assert {term.kind for term in terms} == CHAIN_KINDS
        for term in terms:
            assert term.rule, term.id
            assert term.formula, term.id
            assert term.expression, term.id
        # the weight's own link: what the weight multiplies
        kind = "_bias" if key.endswith("_bias") else "_context" if key.endswith("_context") else ""
        assert chain.paths[0][-1].rule == _WEIGHT_LINK[kind], path.stem


_WEIGHT_LINK = {"": "∂n_j/∂w_i,j = a_i", "_bias": "∂n_j/∂b_j = 1", "_context": "∂n_j/∂w_ci,j = c_i"}


@pytest.mark.parametrize("notation", ["pdp", "zy", "eh", "xa"])
def test_chain_rules_are_written_in_the_pages_notation(network_path, notation):
    from engine.notation import get_notation

    N = get_notation(notation)
    chain = build_trace(load_network(network_path("xor")), 0, notation).chain("hidden[0][0]")
    rules = [factor.rule for factor in chain.paths[0]]
    assert rules == [
        f"∂{N.error}/∂{N.a('j')} = −({N.t('j')} − {N.a('j')})",
        f"∂{N.a('j')}/∂{N.n('j')} = {N.a('j')}(1 − {N.a('j')})",
        f"∂{N.n('j')}/∂{N.a('i')} = {N.w('i', 'j')}",
        f"∂{N.a('j')}/∂{N.n('j')} = {N.a('j')}(1 − {N.a('j')})",
        f"∂{N.n('j')}/∂{N.w('i', 'j')} = {N.a('i')}",
    ]
    assert chain.products[0].rule.startswith(f"∂{N.error}/∂{N.w('i', 'j')} = ∂{N.error}/∂u₁ · ")
    assert chain.total.rule == f"∂{N.error}/∂{N.w('i', 'j')} = Σ_paths (the product of the factors along the path)"


def test_unrolled_chain_rules_name_the_step_and_the_copy_of_the_weight(network_path):
    chain = build_trace(load_network(network_path("tiny_srn")), 0).chain("hidden_context[0][0]")
    assert chain.paths[0][-1].rule == "∂n_j/∂w_ci,j = c_i"
    assert chain.paths[0][0].rule == "∂E_t/∂a_j = −(t_j − a_j)"
    assert chain.total.rule.startswith("∂E/∂w_ci,j = Σ_t Σ_(s ≤ t) ∂E_t/∂w_ci,j(s)")
    back = [f for factors in chain.paths for f in factors if f.symbol == "∂n_hid⁽²⁾/∂a_hid⁽¹⁾"]
    assert back and all(f.rule == "∂n_j(t)/∂a_i(t − 1) = w_ci,j" for f in back)


@pytest.mark.parametrize("name", ["xor", "tiny_srn"])
def test_a_kind_is_written_alike_in_both_traces(network_path, name):
    # the activation names its function (σ) in the formula, as the rule does, on trace and unroll pages alike
    trace = build_trace(load_network(network_path(name)), 0)
    activation = next(term for term in trace.terms if term.kind == "activation" and term.layer == "hidden")
    assert activation.formula.startswith("σ(n_")
    assert activation.rule.startswith("a_j = σ(n_j) = ")
    kinds = {term.kind for term in trace.terms}
    assert {"net_input", "activation", "loss", "dE_da", "da_dn", "dE_dn", "dE_dw", "delta_w", "new_w"} <= kinds


def test_unrolled_terms_read_the_engines_arrays(network_path):
    net = load_network(network_path("srn_four_steps"))
    trace = build_trace(net, 0)
    xs, ts = net.sequences[0]
    record = backward_by_lag(net, forward_sequence(net, xs, ts), trace.bptt_steps)
    for term in trace.terms:
        if term.kind in ("dE_dn", "dE_da", "dE_da_back_in_time"):
            arrays = record.by_lag if term.kind == "dE_dn" else record.dE_da_by_lag
            k = [layer.name for layer in net.layers].index(term.layer)
            lag = term.source - term.step
            assert term.value == arrays[k][lag][term.source - 1, term.unit], term.id


def test_a_chain_of_a_context_weight_keeps_the_layer_and_the_weight_apart(network_path):
    trace = build_trace(load_network(network_path("tiny_srn")), 0)
    chain = trace.chain("hidden_context[0][0]")
    for term in [*chain.products, chain.total]:
        assert term.layer == "hidden"
        assert term.weight.key == "hidden_context"
        assert term.weight.index == (0, 0)


def test_unrolled_chain_factors_name_the_terms_they_are_read_from(network_path):
    trace = build_trace(load_network(network_path("tiny_srn")), 0)
    chain = trace.chain("hidden[0][0]")
    ids = {term.id for term in trace.terms}
    for factors in chain.paths:
        for factor in factors:
            assert all(d in ids for d in factor.depends), factor.id
            for d in factor.depends:
                assert trace[d].value == factor.value or trace[d].kind in ("activation", "context"), factor.id
        loss_end = factors[0]
        assert loss_end.depends, loss_end.id


def test_a_feed_forward_chain_is_the_one_step_case(network_path):
    trace = build_trace(load_network(network_path("two_two_two")), 0)
    chain = trace.chain("hidden[0][0]")
    assert len(chain.paths) == 2
    assert [p.symbol for p in chain.products] == ["path 1", "path 2"]
    assert all(term.step is None and term.source is None for factors in chain.paths for term in factors)
    assert chain.total.value == trace["dE/dw.hidden.0.0"].value
    assert sum(p.value for p in chain.products) == pytest.approx(chain.total.value, rel=1e-12)


def test_a_context_unit_copies_its_hidden_unit():
    assert copied_unit("hidden_context.1") == "hidden.1"
    assert copied_unit("state_context.12") == "state.12"


def test_the_chain_sums_note_counts_its_paths_in_words(network_path):
    trace = build_trace(load_network(network_path("two_two_two")), 0)
    assert trace.chain("hidden[0][0]").total.note.startswith("2 paths lead from E down to ")
    one = trace.chain("output[0][0]").total.note  # an output weight: one path, not "1 paths"
    assert one.startswith("One path leads from E down to ") and one.endswith("its product is the gradient.")
