"""One trace builder and one chain builder for every network: the same fields, rules and notation for a
feed-forward pass and an unrolled sequence, and values read from the engine's arrays."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.kinds import build_trace, kind_of
from engine.netfile import load_network
from engine.recurrent import backward_by_lag, forward_sequence
from engine.trace import copied_unit
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
