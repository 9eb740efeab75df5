"""Everything about an activation lives in engine/activations.py: its slope matches finite differences,
the trace, the network file, the loss and the quiz all read it from there. Softplus, added only there
(plus its network file), shows it: its trace is checked against numbers worked out by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from engine.activations import ACTIVATIONS
from engine.kinds import build_trace
from engine.netfile import load_network
from engine.tomlfile import FileProblems
from tutor.quiz.check import check_symbolic
from tutor.quiz.expressions import (
    SLOPED_FUNCTIONS,
    AnswerFormError,
    format_expression,
    numeric_value,
    parse_expression,
)

NETWORKS = Path(__file__).resolve().parent.parent / "lessons" / "networks"
ELEMENTWISE = [name for name, fn in ACTIVATIONS.items() if fn.elementwise]


# -- value and slope ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_the_slope_is_the_derivative_of_the_value(name):
    """(f(n + h) − f(n − h)) / 2h against slope(n, f(n)), away from the kinks of relu and step at 0."""
    fn, h = ACTIVATIONS[name], 1e-6
    n = np.array([[-6.0, -2.5, -0.8, -0.3, 0.2, 0.7, 1.0, 3.0, 8.0]])
    numeric = (fn.value(n + h) - fn.value(n - h)) / (2 * h)
    assert np.allclose(fn.slope(n, fn.value(n)), numeric, rtol=1e-6, atol=1e-9)
    for x in n[0]:  # the scalar slope the trace shows is the same code
        assert fn.slope_at(x, float(fn.value(np.array([x]))[0])) == fn.slope(np.array([x]), fn.value(np.array([x])))[0]


def test_softplus_values_by_hand():
    fn = ACTIVATIONS["softplus"]
    n = np.array([-700.0, -1.0, 0.0, 1.0, 800.0])
    a = fn.value(n)
    assert a[1] == pytest.approx(math.log(1 + math.exp(-1)), rel=1e-15)
    assert a[2] == pytest.approx(math.log(2), rel=1e-15) and a[3] == pytest.approx(math.log(1 + math.e), rel=1e-15)
    assert a[0] == pytest.approx(math.exp(-700), rel=1e-12) and a[4] == 800.0  # ≈ 0 far below, ≈ n far above
    assert np.allclose(fn.slope(n, a), ACTIVATIONS["sigmoid"].value(n), rtol=0, atol=0)  # its slope is σ(n)


def test_sloped_and_cross_entropy_are_declared_where_they_matter():
    sloped = {name for name, fn in ACTIVATIONS.items() if fn.sloped}
    assert sloped == {"sigmoid", "tanh", "softplus"}  # relu's u(n), step's 0, linear's 1 cannot be "forgotten"
    pairs = {name: fn.cross_entropy for name, fn in ACTIVATIONS.items() if fn.cross_entropy}
    assert pairs == {"sigmoid": "binary", "softmax": "categorical"}


# -- the trace of units_softplus.toml, by hand -------------------------------------------------------


def _sigma(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_softplus_trace_matches_numbers_worked_by_hand():
    """Inputs (1, 1); hidden weights (0.6, 0.4), (−0.5, −0.3), (0.5, −0.5); output 0.5, −0.4, 0.3 and
    bias 0.1; target 0."""
    trace = build_trace(load_network(NETWORKS / "units_softplus.toml"), 0)
    n = [1.0, -0.8, 0.0]
    a = [math.log(1 + math.exp(x)) for x in n]  # 1.31326, 0.371101, ln 2 = 0.693147
    assert [round(x, 6) for x in a] == [1.313262, 0.371101, 0.693147]
    n_o = 0.5 * a[0] - 0.4 * a[1] + 0.3 * a[2] + 0.1  # 0.816135
    a_o = _sigma(n_o)  # 0.693415
    assert round(n_o, 6) == 0.816135 and round(a_o, 6) == 0.693415
    delta_o = (a_o - 0) * a_o * (1 - a_o)  # 0.147414
    for j, (w, x) in enumerate(zip([0.5, -0.4, 0.3], n, strict=True)):
        assert trace[f"a.hidden.{j}"].value == pytest.approx(a[j], rel=1e-12)
        assert trace[f"da/dn.hidden.{j}"].value == pytest.approx(_sigma(x), rel=1e-12)  # softplus′ = σ
        assert trace[f"dE/dn.hidden.{j}"].value == pytest.approx(delta_o * w * _sigma(x), rel=1e-12)
    assert trace["E"].value == pytest.approx(0.5 * a_o**2, rel=1e-12)
    assert round(trace["dE/dn.hidden.1"].value, 7) == -0.0182808  # the negative net input still passes error
    assert trace["w.hidden.1.0"].value == pytest.approx(-0.5 - 0.5 * delta_o * -0.4 * _sigma(-0.8), rel=1e-12)

    activation, slope = trace["a.hidden.1"], trace["da/dn.hidden.1"]
    assert (activation.formula, activation.expression) == ("ln(1 + e^n_h2)", "ln(1 + e^(−0.80))")
    assert activation.rule == "a_j = ln(1 + e^n_j)"
    assert (slope.formula, slope.expression, slope.rule) == ("σ(n_h2)", "1 / (1 + e^(−(−0.80)))", "∂a_j/∂n_j = σ(n_j)")
    assert "smooth ReLU" in slope.note and "sigmoid" in slope.note
    chain = trace.chain("hidden[1][0]")
    assert [f.formula for f in chain.paths[0]][-2:] == ["σ(n_h2)", "a_i1"]


def test_every_activation_note_comes_from_its_class():
    """Step's zero slope and ReLU at 0 are told beside ∂a/∂n, in the words of the activation's own note."""
    for name in ("units_step", "units_relu", "units_softplus", "units_sigmoid"):
        trace = build_trace(load_network(NETWORKS / f"{name}.toml"), 0)
        fn = ACTIVATIONS[trace.net.layers[1].activation]
        assert trace["da/dn.hidden.0"].note == fn.note
    assert "no error derivative passes" in ACTIVATIONS["step"].note and "n ≥ 0" in ACTIVATIONS["relu"].note


# -- network files and losses ------------------------------------------------------------------------


def _net_file(tmp_path: Path, hidden: str, output: str, loss: str) -> Path:
    path = tmp_path / "net.toml"
    path.write_text(
        f'name = "n"\n[[layers]]\nname = "input"\nsize = 1\n[[layers]]\nname = "hidden"\nsize = 1\n'
        f'activation = "{hidden}"\n[[layers]]\nname = "output"\nsize = 1\nactivation = "{output}"\n'
        f'[loss]\nkind = "{loss}"\n[[patterns]]\ninput = [1]\ntarget = [1]\n',
        encoding="utf-8",
    )
    return path


def test_a_network_file_takes_softplus_but_not_cross_entropy_after_it(tmp_path):
    net = load_network(_net_file(tmp_path, "softplus", "softplus", "half_sse"))
    assert [layer.activation for layer in net.layers[1:]] == ["softplus", "softplus"]
    with pytest.raises(FileProblems) as err:
        load_network(_net_file(tmp_path, "softplus", "softplus", "cross_entropy"))
    assert "cross_entropy needs softmax or sigmoid output units, but 'output' is softplus" in str(err.value)


# -- the quiz's answer parser ------------------------------------------------------------------------


def test_the_answer_parser_reads_softplus_as_ln_1_plus_e_n():
    expr = parse_expression("softplus(n)", ["n"])
    assert format_expression(expr) == "softplus(n)"  # kept by name, as typed
    (n,) = expr.free_symbols
    for x in (-3.0, -0.5, 0.0, 0.7, 2.0):
        assert numeric_value(expr, {n: complex(x)}) == pytest.approx(math.log(1 + math.exp(x)), rel=1e-12)
    assert check_symbolic("softplus(n)", "ln(1 + e^n)", ["n"]).correct
    assert check_symbolic("ln(1 + e^n)", "softplus(n)", ["n"]).correct
    assert not check_symbolic("softplus(n)", "max(0, n)", ["n"]).correct


def test_a_symbolic_question_can_ask_d_dn_softplus():
    for typed in ("σ(n)", "sigmoid(n)", "1/(1+e^(-n))", "e^n/(1+e^n)"):
        assert check_symbolic(typed, "σ(n)", ["n"]).correct, typed
    verdict = check_symbolic("softplus(n)", "σ(n)", ["n"])
    assert not verdict.correct
    # the derivative is sympy's own, from the activation's typed_slope
    expr = parse_expression("softplus(n)", ["n"])
    (n,) = expr.free_symbols
    assert format_expression(expr.diff(n)) == "σ(n)"


def test_a_lost_or_extra_softplus_slope_is_named():
    """softplus′ = σ is the slip factor of a softplus node, as σ(1 − σ) is of a σ node."""
    verdict = check_symbolic("softplus(n)*w", "softplus(n)*σ(n)*w", ["n", "w"])
    assert not verdict.correct and verdict.slip == "σ(n) missing"
    verdict = check_symbolic("softplus(n)*σ(n)*σ(n)*w", "softplus(n)*σ(n)*w", ["n", "w"])
    assert verdict.slip == "σ(n) extra"
    assert check_symbolic("w", "σ(n)*(1-σ(n))*w", ["n", "w"]).slip == "σ(n)(1−σ(n)) missing"  # as before


def test_slope_slips_come_from_every_sloped_activation():
    assert sorted(fn.name for fn in SLOPED_FUNCTIONS.values()) == ["sigmoid", "softplus", "tanh"]


@pytest.mark.parametrize(
    "text", ["softplus", "softplus n", "softplus(__import__)", "softplus(n, n)", "Softplus.__class__(n)", "softplu(n)"]
)
def test_softplus_stays_a_whitelisted_function(text):
    with pytest.raises(AnswerFormError):
        parse_expression(text, ["n"])


def test_no_activation_name_shadows_a_math_function():
    from tutor.quiz.expressions import _MATH_FUNCTIONS

    typed = [name for fn in ACTIVATIONS.values() for name in fn.typed_names]
    assert len(typed) == len(set(typed)) and not set(typed) & set(_MATH_FUNCTIONS)
    assert "softplus" in typed and "relu" in typed and "σ" in typed
