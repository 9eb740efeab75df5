"""The engine against hand-worked and published examples."""

from __future__ import annotations

import pytest

from engine.kinds import build_trace
from engine.netfile import load_network


def test_lecture_one_hidden_unit_example(network_path):
    # shared/seeds/002: input .03, w1 = .13, w2 = .32, target 1, learning rate .5, no biases.
    trace = build_trace(load_network(network_path("one_hidden_unit")))
    assert trace["n.hidden.0"].value == pytest.approx(0.0039, abs=1e-12)
    assert trace["a.hidden.0"].value == pytest.approx(0.500975, abs=5e-7)
    assert trace["n.output.0"].value == pytest.approx(0.160312, abs=5e-7)
    assert trace["a.output.0"].value == pytest.approx(0.539992, abs=5e-7)
    assert trace["E"].value == pytest.approx(0.105804, abs=5e-7)
    # The slide multiplies factors already rounded to 6 digits and gets .057245; exactly it is −.0572445.
    assert trace["dE/dw.output.0.0"].value == pytest.approx(-0.057245, abs=1e-6)
    assert trace["w.output.0.0"].value == pytest.approx(0.348622, abs=5e-7)
    # The slide prints .129863 for the new w1: a sign slip. The gradient is negative, so w1 grows.
    assert trace["dE/dw.hidden.0.0"].value == pytest.approx(-0.000274, abs=5e-7)
    assert trace["w.hidden.0.0"].value == pytest.approx(0.130137, abs=5e-7)
    assert trace["w.hidden.0.0"].value != pytest.approx(0.129863, abs=5e-7)


def test_lecture_example_chain_of_five_factors(network_path):
    trace = build_trace(load_network(network_path("one_hidden_unit")))
    chain = trace.chain("hidden[0][0]")
    assert len(chain.paths) == 1
    factors = chain.paths[0]
    assert [f.symbol for f in factors] == [
        "∂E/∂a_out",
        "∂a_out/∂n_out",
        "∂n_out/∂a_hid",
        "∂a_hid/∂n_hid",
        "∂n_hid/∂w1",
    ]
    # The slide's factors: (1 − .539992) = .460008 (with the sign it lost), .248401, .32, .249999, .03
    assert [f.value for f in factors] == pytest.approx([-0.460008, 0.248401, 0.32, 0.249999, 0.03], abs=5e-7)
    assert chain.total.value == pytest.approx(-0.000274238, abs=1e-9)


# Matt Mazur, "A Step by Step Backpropagation Example" (2015): published values for this network.
MAZUR = {
    "a.hidden.0": 0.593269992,
    "a.hidden.1": 0.596884378,
    "a.output.0": 0.75136507,
    "a.output.1": 0.772928465,
    "E": 0.298371109,
    "w.output.0.0": 0.35891648,
    "w.output.0.1": 0.408666186,
    "w.output.1.0": 0.511301270,
    "w.output.1.1": 0.561370121,
    "w.hidden.0.0": 0.149780716,
    "w.hidden.0.1": 0.19956143,
    "w.hidden.1.0": 0.24975114,
    "w.hidden.1.1": 0.29950229,
}


@pytest.mark.parametrize("term_id, published", MAZUR.items())
def test_two_two_two_matches_published_example(network_path, term_id, published):
    trace = build_trace(load_network(network_path("two_two_two")))
    assert trace[term_id].value == pytest.approx(published, abs=1e-8)


def test_two_two_two_intermediate_values(network_path):
    trace = build_trace(load_network(network_path("two_two_two")))
    # Mazur: ∂E_total/∂w5 = 0.082167041 via 0.74136507 × 0.186815602 × 0.593269992
    assert trace["dE/da.output.0"].value == pytest.approx(0.74136507, abs=1e-8)
    assert trace["da/dn.output.0"].value == pytest.approx(0.186815602, abs=1e-9)
    assert trace["dE/dw.output.0.0"].value == pytest.approx(0.082167041, abs=1e-9)
    # ∂E_total/∂out_h1 = 0.055399425 − 0.019049119 = 0.036350306
    assert trace["dE/da.hidden.0"].value == pytest.approx(0.036350306, abs=1e-9)
    assert trace["dE/dw.hidden.0.0"].value == pytest.approx(0.000438568, abs=1e-9)


def test_trace_does_not_change_the_network(network_path):
    net = load_network(network_path("two_two_two"))
    before = {k: v.copy() for k, v in net.params.items()}
    build_trace(net)
    for key, value in net.params.items():
        assert (value == before[key]).all()


def test_contract_expression_of_first_term(network_path):
    trace = build_trace(load_network(network_path("two_two_two")))
    first = trace.terms[0]
    assert (first.id, first.phase, first.symbol) == ("n.hidden.0", "forward", "n_h1")
    assert first.expression == "0.05 × 0.15 + 0.10 × 0.20 + 0.35"
    assert first.value == pytest.approx(0.3775)
