"""Issue 18, activation curves: on trace pages that teach an activation (`curves = true`), the current unit's
f(n), or f′(n) at a slope term, drawn beside the equation with its n marked (engine.activations sampling,
tutor/widgets/activation_curve.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.activations import ACTIVATIONS
from engine.kinds import kind_of
from engine.netfile import load_network
from tests.app_support import make_app, settle
from tests.conftest import ROOT
from tutor.widgets.activation_curve import ActivationCurve, CurveAt, curve_at, curve_cells, picture

NETWORKS = ROOT / "lessons" / "networks"


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus", "relu", "linear"])
def test_the_sampled_slope_matches_finite_differences_of_the_sampled_value(name):
    f = ACTIVATIONS[name]
    n, a, slope = f.curve(-4.0, 4.0, 81)
    assert n[0] == -4.0 and n[-1] == 4.0 and len(n) == 81
    h = 1e-5
    for k in range(len(n)):
        if name == "relu" and abs(n[k]) < 1e-9:
            continue  # the kink: u(0) = 1 by convention, no derivative to compare with
        numeric = (f.value(np.array([n[k] + h])) - f.value(np.array([n[k] - h])))[0] / (2 * h)
        assert slope[k] == pytest.approx(numeric, abs=1e-6), (name, n[k])
    assert a[40] == pytest.approx(f.value(np.array([0.0]))[0])


def test_the_step_curve_is_flat_with_a_jump_at_0():
    n, a, slope = ACTIVATIONS["step"].curve(-1.0, 1.0, 5)
    assert n.tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert a.tolist() == [0, 0, 1, 1, 1] and slope.tolist() == [0] * 5  # u(0) = 1


def test_the_marked_point_sits_on_f_of_n_where_worked_by_hand():
    """tanh at n = 1 over −4..4, 41 columns and 9 rows: column round(5/8 · 40) = 25; the rows span
    tanh(−4) = −0.999329 to tanh(4), so a = tanh(1) = 0.761594 is row 8 − round(1.760923 / 1.998659 · 8) = 1."""
    at = CurveAt("h1", "tanh", 1.0, slope=False)
    assert at.span() == (-4.0, 4.0) and at.point() == pytest.approx(0.761594, abs=1e-6)
    cells, top, bottom = curve_cells(at, 41, 9)
    assert top == pytest.approx(math.tanh(4)) and bottom == pytest.approx(-math.tanh(4))
    assert [(r, c) for r, row in enumerate(cells) for c, (ch, _) in enumerate(row) if ch == "●"] == [(1, 25)]
    slope = CurveAt("h1", "tanh", 1.0, slope=True)
    assert slope.point() == pytest.approx(1 - math.tanh(1) ** 2)  # 0.419974
    cells, top, bottom = curve_cells(slope, 41, 9)  # f′ from 1 − tanh²(4) = 0.00134 up to 1 at n = 0
    assert top == pytest.approx(1.0) and bottom == pytest.approx(1 - math.tanh(4) ** 2)
    row = 8 - round((0.419974 - bottom) / (top - bottom) * 8)
    assert cells[row][25][0] == "●" and row == 5


def test_a_net_input_far_out_widens_the_range_to_keep_the_point_inside():
    assert CurveAt("h1", "sigmoid", 6.5, False).span() == (-4.0, 7.5)
    assert CurveAt("h1", "sigmoid", -9.0, False).span() == (-10.0, 4.0)


def test_the_curve_for_each_term_of_the_tanh_trace_comes_from_that_units_net_input():
    """units_tanh: the net inputs 1, −.8 and 0 (lesson 9's text) become .761594, −.664037 and 0."""
    net = load_network(NETWORKS / "units_tanh.toml")
    trace = kind_of(net).trace(0, None)
    seen = {}
    for term in trace.terms:
        at = curve_at(term, trace.terms, net)
        if term.kind in ("activation", "da_dn") and term.layer == "hidden":
            assert at is not None and at.activation == "tanh" and at.slope == (term.kind == "da_dn")
            assert at.point() == pytest.approx(term.value, abs=1e-12)  # the ● is the term's own value
            seen[(term.kind, at.unit)] = at.n
        elif term.kind not in ("activation", "da_dn"):
            assert at is None  # a net input term would give its activation away
    assert seen[("activation", "h1")] == pytest.approx(1.0) and seen[("activation", "h2")] == pytest.approx(-0.8)
    assert seen[("da_dn", "h3")] == 0.0


def test_softmax_units_have_no_curve_of_their_own():
    net = load_network(NETWORKS / "softmax_ce.toml")
    trace = kind_of(net).trace(0, None)
    outputs = [t for t in trace.terms if t.kind == "activation" and t.layer == net.output.name]
    assert outputs and all(curve_at(t, trace.terms, net) is None for t in outputs)


def test_the_panel_drops_its_axis_then_says_it_needs_room():
    at = CurveAt("o1", "sigmoid", 0.746412, True)
    full = picture(at, 34, 9).plain.splitlines()
    assert full[0] == "o1: ∂a/∂n = a(1 − a)" and full[1] == "n = 0.746412 → ∂a/∂n = 0.218175"
    assert "n →" in full[-1] and len(full) == 9
    short = picture(at, 34, 5).plain.splitlines()
    assert len(short) == 5 and "n →" not in short[-1]
    assert picture(at, 34, 4).plain == "The activation curve needs a larger window."


def test_curves_must_be_true_or_false(tmp_path):
    from tutor.lessons import discover

    path = tmp_path / "c.toml"
    head = '[lesson]\nid = "c"\ntitle = "C"\nsummary = "S"\n\n[[pages]]\nkind = "trace"\ntitle = "T"\n'
    path.write_text(head + 'network = "units_tanh.toml"\ncurves = "yes"\n')
    with pytest.raises(discover.FileProblems) as problems:
        discover.load_lesson(path)
    assert f"{path}:10" in str(problems.value) and "curves" in str(problems.value)


async def _tanh_page(pilot):
    app = pilot.app
    lesson = app.lesson("activations-losses")
    page = next(p for p in lesson.pages if p.title == "Three tanh hidden units")
    assert page.curves
    app.open_lesson(lesson.id, page.index)
    assert await settle(pilot, lambda: bool(app.screen.query(ActivationCurve)))
    return app.screen.view


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (160, 48)])
async def test_stepping_to_a_slope_term_draws_the_slope_with_the_units_n_marked(size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        view = await _tanh_page(pilot)
        curve = view.query_one(ActivationCurve)
        assert curve.at is None
        await pilot.press("f", "right", "right")  # past the loss and ∂E/∂a to o1's ∂a/∂n
        await pilot.pause()
        term = view.player.current
        assert term.kind == "da_dn" and term.value == pytest.approx(0.218175, abs=1e-6)
        assert curve.at == CurveAt("o1", "sigmoid", pytest.approx(0.746412, abs=1e-6), True)
        drawn = "\n".join(strip.text for strip in curve.render_lines(curve.region.reset_offset))
        assert "n = 0.746412 → ∂a/∂n = 0.218175" in drawn and "●" in drawn
        footer = app.screen.query_one("KeysFooter")
        assert curve.region.bottom <= footer.region.y and curve.region.height >= 8
        await pilot.press("right")  # ∂E/∂n: no curve of its own
        await pilot.pause()
        assert curve.at is None


async def test_pages_without_curves_have_no_panel():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        lesson = app.lesson("activations-losses")
        page = next(p for p in lesson.pages if p.title == "Softmax with cross-entropy, traced")
        app.open_lesson(lesson.id, page.index)
        assert await settle(pilot, lambda: bool(app.screen.query("TraceView")))
        await pilot.pause()
        assert app.screen.view.page is page and not app.screen.query(ActivationCurve)


def test_snapshot_tanh_page_at_the_output_slope(snap_compare):
    async def run_before(pilot) -> None:
        await _tanh_page(pilot)
        await pilot.press("f", "right", "right")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
