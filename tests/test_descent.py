"""Gradient descent on one weight (engine.descent, the `descent` page kind, its view and its curve).

The one-weight network: a = 2w, t = 1, E = ½ (1 − 2w)², ∂E/∂w = 4w − 2; a step w ← w − ε(4w − 2)
multiplies the distance to the bottom (w = ½) by 1 − 4ε. Every number below is worked from that.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.descent import OneWeight, describe_step
from engine.netfile import load_network
from tests.app_support import make_app
from tests.conftest import NETWORKS
from tutor.lessons import load_lesson
from tutor.lessons.networks import check_page
from tutor.widgets.error_curve import plot_lines


@pytest.fixture
def one():
    return OneWeight(load_network(NETWORKS / "one_weight.toml"), "output[0][0]")


def test_the_error_and_slope_at_a_weight_are_worked_by_hand(one):
    start = one.point(-0.5)
    assert (start.error, start.slope) == (pytest.approx(2.0), pytest.approx(-4.0))  # ½(1 + 1)², 4(−½) − 2
    bottom = one.point(0.5)
    assert (bottom.error, bottom.slope) == (pytest.approx(0.0), pytest.approx(0.0))
    weights, errors = one.curve(-1.5, 2.5, 9)
    assert weights.tolist() == pytest.approx([-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5])
    assert errors.tolist() == pytest.approx([0.5 * (1 - 2 * w) ** 2 for w in weights])


@pytest.mark.parametrize(
    "rate, weights",
    [
        (0.05, [-0.5, -0.3, -0.14, -0.012]),  # 0.5 − 0.8^k: too small, creeping in
        (0.2, [-0.5, 0.3, 0.46, 0.492]),  # 0.5 − 0.2^k: about right
        (0.25, [-0.5, 0.5, 0.5, 0.5]),  # 1 − 4ε = 0: the bottom in one step
        (0.4, [-0.5, 1.1, 0.14, 0.716]),  # 0.5 − (−0.6)^k: overshoot, converging
        (0.6, [-0.5, 1.9, -1.46, 3.244]),  # 0.5 − (−1.4)^k: divergence
    ],
)
def test_each_step_multiplies_the_distance_to_the_bottom_by_one_minus_four_epsilon(one, rate, weights):
    points = one.descend(-0.5, rate, 3)
    assert [p.weight for p in points] == pytest.approx(weights)
    assert [p.error for p in points] == pytest.approx([0.5 * (1 - 2 * w) ** 2 for w in weights])


def test_what_each_step_did(one):
    small = one.descend(-0.5, 0.05, 1)
    over = one.descend(-0.5, 0.4, 1)
    climb = one.descend(-0.5, 0.6, 1)
    assert describe_step(*small) == "went downhill"
    assert describe_step(*over) == "overshot the bottom, but landed lower"  # E 2 → 0.72, slope −4 → 2.4
    assert describe_step(*climb).startswith("climbed")  # E 2 → 3.92


def test_a_diverging_walk_stops_before_the_numbers_overflow(one):
    points = one.descend(-0.5, 10.0, 500)  # distance × −39 a step
    assert 3 < len(points) < 500 and all(math.isfinite(p.error) for p in points)


def test_the_slope_is_the_engine_gradient_checked_by_finite_differences():
    net = load_network(NETWORKS / "xor.toml")
    one = OneWeight(net, "hidden[0][1]")
    h = 1e-6
    for w in (-2.0, 0.3, 1.7):
        numeric = (one.point(w + h).error - one.point(w - h).error) / (2 * h)
        assert one.point(w).slope == pytest.approx(numeric, rel=1e-6, abs=1e-9)
    assert net.params["hidden"][0][1] != 1.7  # the page's copy changes, never the network it was given


def test_a_weight_the_network_does_not_have_is_refused():
    net = load_network(NETWORKS / "one_weight.toml")
    for bad in ("output[0][1]", "hidden[0][0]", "output[0]"):
        with pytest.raises((KeyError, IndexError)):
            OneWeight(net, bad)


def test_the_drawing_puts_the_curve_and_the_walk_where_they_are():
    weights = np.linspace(-1.5, 2.5, 5).tolist()  # −1.5, −0.5, 0.5, 1.5, 2.5
    errors = [0.5 * (1 - 2 * w) ** 2 for w in weights]  # 8, 2, 0, 2, 8
    cells = plot_lines(weights, errors, [(-0.5, 2.0), (3.0, 12.5)], width=5, height=5)
    chars = ["".join(char for char, _ in row) for row in cells]
    # E = 8 on the top row at both ends; 0 at the bottom in the middle; E = 2 is ¼ of the way up
    # (row 3); the walk: ○ where it was, ▶ at the right edge for a weight beyond the drawing
    assert chars[0][0] == "•" and chars[0][4] == "▶" and chars[4][2] == "•"
    assert chars[3][1] == "○" and chars[3][3] == "•"


def test_the_lesson_page_is_checked_against_its_network(tmp_path):
    lesson = load_lesson(NETWORKS.parent / "01b_gradient_descent.toml")
    page = next(p for p in lesson.pages if p.kind == "descent")
    assert (page.weight, page.start_weight, page.rates, page.span) == (
        "output[0][0]",
        -0.5,
        (0.05, 0.2, 0.4, 0.6),
        (-1.5, 2.5),
    )
    assert check_page(page) == []
    (tmp_path / "one_weight.toml").write_text((NETWORKS / "one_weight.toml").read_text())
    (tmp_path / "bad.toml").write_text(
        '[lesson]\nid = "bad"\ntitle = "Bad"\n\n[[pages]]\nkind = "descent"\ntitle = "x"\nnetwork = "one_weight.toml"\n'
        'weight = "output[0][3]"\nstart_weight = 0\nrates = [0.1, -1]\nspan = [2, 1]\n'
    )
    from engine.tomlfile import FileProblems

    with pytest.raises(FileProblems) as err:
        load_lesson(tmp_path / "bad.toml", deep=True)
    messages = [problem.message for problem in err.value.problems]
    assert any("'rates' should be a list of numbers above 0" in m for m in messages), messages
    assert any("'span' should go from low to high" in m for m in messages), messages


async def test_the_learner_steps_the_weight_and_switches_the_learning_rate():
    from tutor.messages import PageDone

    done = []
    app = make_app()
    async with app.run_test(
        size=(120, 36), message_hook=lambda m: done.append(m) if isinstance(m, PageDone) else None
    ) as pilot:
        app.open_lesson("gradient-descent", 1)
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        await pilot.press("s", "s")
        assert [p.weight for p in view.points] == pytest.approx([-0.5, -0.3, -0.14])
        assert view.status == "ε = 0.05 · step 2"
        readout = str(view.query_one("#descent-readout").render())
        assert "slope is negative" in readout and "moves w to the right" in readout
        await pilot.press("e")  # the next ε, from the start again
        assert view.rate == 0.2 and [p.weight for p in view.points] == [-0.5]
        await pilot.press("s", "s", "e", "s", "s", "e", "s", "s")
        assert view.rate == 0.6 and [p.weight for p in view.points] == pytest.approx([-0.5, 1.9, -1.46])
        assert "Last step: climbed" in str(view.query_one("#descent-readout").render())
        assert len(done) == 1  # every ε tried: the page is done
        await pilot.press("s")
        assert len(done) == 1  # and it says so once
        await pilot.press("r")
        assert [p.weight for p in view.points] == [-0.5] and view.rate == 0.6


def at_descent_page(*keys):
    async def run_before(pilot) -> None:
        pilot.app.open_lesson("gradient-descent", 1)
        await pilot.pause()
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_descent_page_120x36(snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=at_descent_page("e", "e", "s", "s", "s"))


def test_descent_page_80x24(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=at_descent_page("s", "s"))
