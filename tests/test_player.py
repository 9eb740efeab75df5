"""TracePlayer: stepping, phase jumps, the chain rule stepped factor by factor, what the diagram shows."""

from __future__ import annotations

import pytest

from engine.kinds import build_trace
from engine.netfile import load_network
from engine.trace import chain_weight
from tutor.player import TracePlayer


@pytest.fixture
def trace(network_path):
    def make(name: str, pattern: int = 0):
        return build_trace(load_network(str(network_path(name))), pattern)

    return make


def test_starts_with_nothing_computed(trace):
    player = TracePlayer(trace("two_two_two"))
    assert player.position == 0
    assert player.current is None
    assert player.phase == "forward"
    assert player.known() == {}
    assert player.progress == (0, len(player.trace))
    assert not player.highlight()


def test_step_and_back(trace):
    t = trace("two_two_two")
    player = TracePlayer(t)
    assert player.step()
    assert player.current is t.terms[0]
    assert player.step()
    assert player.current is t.terms[1]
    assert player.back()
    assert player.current is t.terms[0]
    assert player.back()
    assert player.current is None
    assert not player.back()  # nothing before the start
    player.to_end()
    assert player.current is t.terms[-1]
    assert not player.step()  # nothing after the end
    assert player.progress == (len(t), len(t))
    player.reset()
    assert player.position == 0


@pytest.mark.parametrize("phase", ["forward", "backward", "update"])
def test_jump_to_end_of_phase(trace, phase):
    t = trace("two_two_two")
    player = TracePlayer(t)
    player.to_end_of(phase)
    assert player.current is t[t.phase_end(phase)]
    assert player.phase == phase
    assert player.position == t.phase_end(phase) + 1
    assert all(term.phase == phase for term in t.terms[player.position - 1 : player.position])
    if phase != "update":
        assert player.terms[player.position].phase != phase  # the next term is the next phase's first


def test_unknown_phase_is_refused(trace):
    with pytest.raises(ValueError, match="unknown phase"):
        TracePlayer(trace("two_two_two")).to_end_of("sideways")


def test_without_focus_the_sequence_is_the_trace(trace):
    t = trace("two_two_two")
    assert [term.id for term in TracePlayer(t).terms] == [term.id for term in t.terms]


def test_focus_steps_through_the_five_factors_after_the_gradient(trace):
    """The lecture's chain rule: ∂E/∂w1 = ∂E/∂a_out · ∂a_out/∂n_out · ∂n_out/∂a_hid · ∂a_hid/∂n_hid · ∂n_hid/∂w1."""
    t = trace("one_hidden_unit")
    player = TracePlayer(t, focus="hidden[0][0]")
    player.seek(player.index("dE/dw.hidden.0.0") + 1)
    assert player.current.id == "dE/dw.hidden.0.0"
    stepped = []
    for _ in range(5):
        assert player.step()
        stepped.append(player.current)
    assert [term.kind for term in stepped] == ["factor"] * 5
    assert [term.id for term in stepped] == [f"chain.hidden[0][0].1.{m}" for m in range(1, 6)]
    assert [term.symbol for term in stepped] == [
        "∂E/∂a_out",
        "∂a_out/∂n_out",
        "∂n_out/∂a_hid",
        "∂a_hid/∂n_hid",
        "∂n_hid/∂w1",
    ]
    assert player.step()
    product = player.current
    assert product.kind == "chain_product"
    assert product.value == pytest.approx(t["dE/dw.hidden.0.0"].value)
    assert player.step()
    assert player.current.id == t.terms[t.index("dE/dw.hidden.0.0") + 1].id  # back to the trace's own order
    assert len(player.terms) == len(t) + 6


def test_focus_with_two_paths_inserts_both_and_their_sum(trace):
    t = trace("two_two_two")
    player = TracePlayer(t, focus="hidden[0][0]")
    start = player.index("dE/dw.hidden.0.0") + 1
    inserted = player.terms[start : start + 13]
    assert [term.id for term in inserted] == [term.id for term in t.chain("hidden[0][0]").terms()]
    assert inserted[-1].kind == "chain_sum"
    assert player.terms[start + 13].id == "dE/dw.hidden.0.1"


def test_focus_on_a_bias_goes_after_its_gradient(trace):
    player = TracePlayer(trace("two_two_two"), focus="hidden_bias[1]")
    after = player.index("dE/db.hidden.1") + 1
    first = player.terms[after]
    assert first.id == "chain.hidden_bias[1].1.1" and first.kind == "factor"
    assert first.weight == ("hidden_bias", (1,)) and (first.path, first.factor) == (1, 1)


def test_unknown_focus_weight_is_refused(trace):
    with pytest.raises(KeyError, match="no weight"):
        TracePlayer(trace("two_two_two"), focus="hidden[5][0]")


def test_known_values_are_the_traces_at_every_position(trace):
    t = trace("two_two_two")
    player = TracePlayer(t, focus="output[1][0]")
    for k in range(len(player.terms) + 1):
        player.seek(k)
        known = player.known()
        assert list(known) == [term.id for term in player.terms[:k]]
        for term_id, value in known.items():
            if chain_weight(term_id) is None:
                assert value == t[term_id].value
        assert player.is_computed(player.terms[k - 1].id) if k else True
        if k < len(player.terms):
            assert player.value(player.terms[k].id) is None


def test_highlight_is_the_current_terms_units_and_connections(trace):
    player = TracePlayer(trace("encoder_424"), focus="hidden[1][2]")
    while player.step():
        term = player.current
        light = player.highlight()
        assert light.units == frozenset(term.units)
        assert light.connections == frozenset(term.connections)
        assert player.diagram_state().current == light


def test_net_input_lights_its_senders_its_unit_and_its_connections(trace):
    player = TracePlayer(trace("two_two_two"))
    player.step()
    light = player.highlight()
    assert light.units == {"input.0", "input.1", "hidden.0"}
    assert light.connections == {"hidden[0][0]", "hidden[0][1]", "hidden_bias[0]"}
    assert player.diagram_state().unit == "hidden.0"


def test_chain_path_lights_only_the_current_factors_path_one_path_at_a_time(trace):
    """Issue 18: not the focus weight's whole chain through the backward pass, only the path being multiplied."""
    player = TracePlayer(trace("two_two_two"), focus="hidden[0][0]")
    chain = player.chain
    assert len(chain.paths) == 2
    lit = {}
    for k in range(len(player.terms) + 1):
        player.seek(k)
        path = player.chain_path()
        assert player.diagram_state().chain == path
        term = player.current
        if term is None or term.kind not in ("factor", "chain_product"):
            assert not path, f"{term and term.id}: no chain path outside the chain's factors and products"
            continue
        lit.setdefault(term.path, set()).add(path)
    assert set(lit) == {1, 2} and all(len(paths) == 1 for paths in lit.values())  # one light a path
    first, second = lit[1].pop(), lit[2].pop()
    assert first.units == {"output.0", "hidden.0", "input.0"}
    assert first.connections == {"output[0][0]", "hidden[0][0]"}
    assert second.units == {"output.1", "hidden.0", "input.0"}
    assert second.connections == {"output[1][0]", "hidden[0][0]"}


def test_no_chain_path_without_a_focus(trace):
    player = TracePlayer(trace("two_two_two"))
    player.to_end_of("backward")
    assert not player.chain_path()


def test_units_show_inputs_then_activations_then_error_derivatives(trace):
    t = trace("two_two_two")
    player = TracePlayer(t)
    values = player.unit_values()
    assert values == {
        "input.0": 0.05,
        "input.1": 0.10,
        "hidden.0": None,
        "hidden.1": None,
        "output.0": None,
        "output.1": None,
    }
    player.seek(t.index("a.hidden.0") + 1)
    assert player.unit_values()["hidden.0"] == t["a.hidden.0"].value
    assert player.unit_values()["hidden.1"] is None
    player.to_end_of("forward")
    assert player.diagram_state().quantity == "activation"
    assert player.unit_values()["output.1"] == t["a.output.1"].value
    player.step()  # the first backward term: no ∂E/∂n yet
    assert player.diagram_state().quantity == "dE_dn"
    assert player.unit_values()["output.0"] is None
    assert player.unit_values()["input.0"] == 0.05
    player.to_end_of("backward")
    for uid in ("hidden.0", "hidden.1", "output.0", "output.1"):
        assert player.unit_values()[uid] == t[f"dE/dn.{uid}"].value


def test_weights_change_to_new_values_one_by_one(trace):
    t = trace("two_two_two")
    player = TracePlayer(t)
    weights, updated = player.weights()
    assert weights["output[0][1]"] == 0.45
    assert weights["hidden_bias[1]"] == 0.35
    assert not updated
    player.seek(t.index("w.output.0.0") + 1)
    weights, updated = player.weights()
    assert updated == {"output[0][0]"}
    assert weights["output[0][0]"] == t["w.output.0.0"].value
    assert weights["output[0][1]"] == 0.45
    player.to_end()
    weights, updated = player.weights()
    assert len(updated) == len(weights) == 12
    assert weights["hidden_bias[0]"] == pytest.approx(t.weights_after["hidden_bias"][0])


def test_targets_are_shown_from_the_start(trace):
    player = TracePlayer(trace("two_two_two"))
    assert dict(player.diagram_state().targets) == {"output.0": 0.01, "output.1": 0.99}


def test_chain_view_follows_the_factors(trace):
    t = trace("two_two_two")
    player = TracePlayer(t, focus="hidden[0][0]")
    player.seek(player.index("chain.hidden[0][0].2.3") + 1)
    view = player.chain_view()
    assert (view.path, view.paths, view.current) == (2, 2, 2)
    assert view.symbol == "∂E/∂w_i1,h1"
    assert [f.id for f in view.factors] == [f"chain.hidden[0][0].2.{m}" for m in range(1, 6)]
    assert view.known[:3] == tuple(f.value for f in view.factors[:3])
    assert view.known[3:] == (None, None)
    player.step()
    player.step()
    player.step()  # the path's product
    view = player.chain_view()
    assert view.current is None and view.term.kind == "chain_product"
    assert None not in view.known
    player.step()  # the sum over both paths
    view = player.chain_view()
    assert view.term.kind == "chain_sum" and view.factors == ()
    player.step()
    assert player.chain_view() is None
