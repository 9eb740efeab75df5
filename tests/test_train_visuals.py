"""Issue 18, "Visuals the text asks for", on train pages: each pattern's hidden activations (with the
saturated units named), ticks under the predictable positions of the temporal-XOR error strip, a tss
axis that starts near the data when the fall is small, and ε and α changed with `e` and `a`."""

from __future__ import annotations

import numpy as np
import pytest

from engine import hidden_space
from engine.kinds import kind_of, train
from engine.netfile import load_network
from engine.numbers import fmt
from engine.tomlfile import FileProblems
from tests.app_support import lab_views, make_app, page_opened, settle, test_lessons  # noqa: F401 (a fixture)
from tests.conftest import NETWORKS
from tutor.lessons import bundled_dir, load_lesson
from tutor.widgets.hidden_space import HiddenSpacePanel
from tutor.widgets.hidden_units import HiddenUnitsPanel
from tutor.widgets.live_panel import REDRAW_EVERY
from tutor.widgets.surface import SurfacePanel
from tutor.widgets.training import TICK, ErrorStrip, LossCurve, axis_floor

pytestmark = pytest.mark.usefixtures("test_lessons")

LESSON = """
[lesson]
id = "train-visuals"
title = "Train visuals"
summary = "Train pages with hidden units per pattern, ticks, a near axis and a choice of ε and α."

[[pages]]
kind = "train"
title = "A stuck seed, with ε and α to choose"
network = "xor.toml"
epochs = 1000
rates = [0.5, 1.0, 2.0]
momenta = [0.9, 0.0]
[pages.start]
seed = 4

[[pages]]
kind = "train"
title = "Temporal XOR"
network = "temporal_xor_4.toml"
epochs = 2

[[pages]]
kind = "train"
title = "The plateau"
network = "xor.toml"
epochs = 60
"""
STUCK, TEMPORAL, PLATEAU = 0, 1, 2


@pytest.fixture
def lesson_dir(tmp_path):
    (tmp_path / "visuals.toml").write_text(LESSON, encoding="utf-8")
    return tmp_path


async def open_visuals(pilot, page: int):
    pilot.app.open_lesson("train-visuals", page)
    await pilot.pause()
    await pilot.pause()
    return await page_opened(pilot)


async def run_to_the_end(pilot, view) -> None:
    """Train at full speed until the run stops (the page's epochs or ecrit)."""
    await pilot.press("plus", "plus", "space")
    assert await settle(pilot, lambda: not view.running and view.losses, tries=600)
    await pilot.pause(REDRAW_EVERY + 0.1)


def rows_of(panel) -> list[list[str]]:
    """The table's rows under its heading, as words."""
    lines = panel.render().plain.split("\n")
    start = next(k for k, line in enumerate(lines) if line.startswith("input"))
    return [line.split() for line in lines[start + 1 :] if line[:2] in ("00", "01", "10", "11")]


# -- 1. hidden activations, pattern by pattern ---------------------------------------------------


def test_hidden_activations_are_the_forward_pass_and_name_saturated_units():
    net = load_network(NETWORKS / "xor.toml")
    net.reseed(4)
    train(net, 1000)
    found = hidden_space.hidden_activations(net)
    np.testing.assert_array_equal(found.values, net.forward(net.inputs).activation[1])
    assert found.units == ["h1", "h2"] and found.bounds == [(0.0, 1.0)] * 2
    # lesson 6: both hidden units saturate near 1 for (1, 0) and (1, 1), and for no other pattern
    assert found.saturated.tolist() == [[0, 0], [0, 0], [1, 1], [1, 1]]
    assert [f"{v:.4f}" for v in found.values[2:].ravel()] == ["0.9991", "1.0000", "0.9996", "0.9997"]
    # hidden-unit space reads its points from the same pass
    np.testing.assert_array_equal(hidden_space.compute(net).points, found.values)


def test_saturation_is_within_one_percent_of_a_smooth_units_range():
    net = load_network(NETWORKS / "xor.toml")
    net.params["hidden"][:] = [[20.0, 0.0], [-20.0, 0.0]]  # h1 = σ(20·x1 + b), h2 = σ(−20·x1 + b)
    found = hidden_space.hidden_activations(net)
    a = found.values
    expected = np.where(a >= 0.99, 1, np.where(a <= 0.01, -1, 0))
    np.testing.assert_array_equal(found.saturated, expected)
    assert (found.saturated[2:, 0] == 1).all() and (found.saturated[2:, 1] == -1).all()
    tanh = hidden_space.hidden_activations(load_network(NETWORKS / "units_tanh.toml"))
    assert set(tanh.bounds) == {(-1.0, 1.0)}
    relu = hidden_space.hidden_activations(load_network(NETWORKS / "xor_relu.toml"))
    assert relu.bounds == [None, None] and not relu.saturated.any()  # unbounded: never called saturated


def test_the_table_fits_every_size_and_marks_saturation_where_words_do_not_fit():
    net = load_network(NETWORKS / "xor.toml")
    net.reseed(4)
    train(net, 1000)
    panel = HiddenUnitsPanel(net)
    wide = panel.picture(40, 30).plain.split("\n")
    assert wide[:2] == ["Hidden units, pattern by pattern", "input     h1     h2 saturated"]
    assert wide[4:6] == ["10    0.9991 1.0000 both near 1", "11    0.9996 0.9997 both near 1"]
    narrow = panel.picture(21, 12).plain.split("\n")
    assert narrow[4:6] == ["10    0.9991*1.0000*", "11    0.9996*0.9997*"]
    assert narrow[-2:] == ["* saturated: slope", "≈ 0, near 0 or 1"]
    for width, height in [(40, 30), (21, 12), (40, 6), (12, 5)]:
        lines = panel.picture(width, height).plain.split("\n")
        assert len(lines) <= height and all(len(line) <= width for line in lines[1:]), (width, height)
    assert panel.picture(40, 6).plain.split("\n")[0].endswith("(2 of 4 patterns)")
    assert panel.picture(5, 20).plain == "The hidden units' table needs a larger window."


async def test_the_table_follows_training_and_equals_the_engines_forward_pass(lesson_dir):
    app = make_app(lesson_dirs=[lesson_dir])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_visuals(pilot, STUCK)
        assert view.query_one(SurfacePanel).display and not view.query(HiddenUnitsPanel)  # made when l shows it
        await pilot.press("l", "l")
        await pilot.pause()
        panel = view.query_one(HiddenUnitsPanel)
        assert panel.display and not view.query_one(HiddenSpacePanel).display
        before = rows_of(panel)
        await run_to_the_end(pilot, view)
        assert len(view.losses) == 1000 and fmt(view.losses[-1], 4) == "0.2511"
        after = rows_of(panel)
        assert after != before
        hidden = view.net.forward(view.net.inputs).activation[1]
        for row, values in zip(after, hidden, strict=True):
            assert [float(v) for v in row[1:3]] == pytest.approx(values, abs=5e-5)
        assert [row[3:] for row in after] == [[], [], ["both", "near", "1"], ["both", "near", "1"]]
        await pilot.press("l")
        await pilot.pause()
        assert view.query_one(SurfacePanel).display and not panel.display  # round again


async def test_recurrent_pages_keep_their_own_strip_and_get_no_table(lesson_dir):
    app = make_app(lesson_dirs=[lesson_dir])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_visuals(pilot, TEMPORAL)
        assert HiddenUnitsPanel not in lab_views(view) and not view.query(HiddenUnitsPanel)


# -- 2. the temporal-XOR error strip marks the predictable positions --------------------------------


async def test_the_strip_ticks_every_position_whose_next_bit_is_an_xor_bit(lesson_dir):
    app = make_app(lesson_dirs=[lesson_dir])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_visuals(pilot, TEMPORAL)
        strip = view.query_one(ErrorStrip)
        assert strip.has_class("-ticked") and strip.size.height == 5  # a row more than a strip without ticks
        lines = strip.render().plain.split("\n")
        ticks, labels, key = lines[-3], lines[-2], lines[-1]
        stream = view.net.test_stream
        count = len(labels.rstrip()) // 2 + 1
        assert count >= 50
        assert labels.split() == stream.labels[:count]
        assert [k for k, ch in enumerate(ticks) if ch == TICK] == [2 * t for t in range(count) if t % 3 == 1]
        assert [stream.kinds[t] for t in range(count) if t % 3 == 1] == ["xor-next"] * len(range(1, count, 3))
        assert key.endswith(f"{TICK} the next bit is the XOR of the two before")
        # what the ticks pick out is what the mean error by kind averages over
        train(view.net, 30)
        errors = kind_of(view.net).stream_errors()
        ticked = [e for e, k in zip(errors.errors, errors.kinds, strict=True) if k == "xor-next"]
        assert np.mean(ticked) == pytest.approx(errors.mean_by_kind["xor-next"])
        assert errors.mean_by_kind["xor-next"] < 0.5 * errors.mean_by_kind["random-next"]


def test_a_stream_without_predictable_positions_has_no_ticks():
    from engine.tasks import PREDICTABLE, make_stream

    assert not any(kind in PREDICTABLE for kind in make_stream("sentences", 300, 1).kinds)
    letters = make_stream("letters", 300, 1)
    marked = [kind in PREDICTABLE for kind in letters.kinds]
    assert marked[:-1] == [letters.labels[t + 1] in "aiu" for t in range(len(marked) - 1)]  # a vowel comes next
    assert 0 < sum(marked) < len(marked)


# -- 3. the tss axis starts near the data when the fall is small ------------------------------------


@pytest.mark.parametrize(
    ("losses", "floor"),
    [
        ([0.52, 0.51, 0.505, 0.5], 0.498),  # a plateau: 4 % down
        ([381.2, 378.4, 332.6], 327.0),  # temporal XOR's first passes
        ([1.0, 1.0], 0.99),  # not moving at all
        ([0.5, 0.35], 0.33),  # 30 % down: still small
        ([0.5, 0.3], 0.0),  # 40 % down: the axis starts at 0
        ([0.5, 0.25], 0.0),  # half: the axis starts at 0
        ([0.5, 0.0386], 0.0),  # XOR learned
        ([], 0.0),
    ],
)
def test_the_axis_floor(losses, floor):
    assert axis_floor(losses) == pytest.approx(floor)
    if floor:
        assert floor < min(losses)


async def test_the_curve_starts_near_the_data_on_the_plateau_and_at_0_after_the_drop(lesson_dir):
    app = make_app(lesson_dirs=[lesson_dir])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_visuals(pilot, PLATEAU)
        await run_to_the_end(pilot, view)
        curve = view.query_one(LossCurve)
        lines = curve.render().plain.split("\n")
        floor = axis_floor(view.losses)
        assert 0.4 < floor < min(view.losses) and max(view.losses) < 0.6
        assert lines[0].split("┤")[0].strip() == fmt(max(view.losses), 3)
        assert lines[-2].split("┤")[0].strip() == fmt(floor)
        assert lines[-1].strip() in (
            f"└epoch 1 … 60{note}" for note in (f"   tss axis from {fmt(floor)}, not 0", f" · axis from {fmt(floor)}")
        )
        await pilot.resize_terminal(80, 24)  # a curve too narrow for the note still says where it starts
        await pilot.pause()
        narrow = curve.render().plain.split("\n")
        assert narrow[-2].split("┤")[0].strip() == fmt(floor) and narrow[-1].strip().startswith("└epoch 1 …")
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        # the lowest epoch's bar is the shortest, and it is not empty: the small fall shows
        heights = [sum(line.split("┤")[1][c] != " " for line in lines[:-1]) for c in range(len(lines[0]) - 10)]
        assert heights[-1] == min(heights) >= 1 and heights[0] == len(lines) - 1
        while not view.reached_ecrit:  # run on, 60 epochs a press, until XOR is learned (epoch 281)
            await pilot.press("space")
            assert await settle(pilot, lambda: not view.running, tries=600)
        assert len(view.losses) == 281 and axis_floor(view.losses) == 0
        lines = curve.render().plain.split("\n")
        assert lines[-2].split("┤")[0].strip() == "0" and lines[-1].strip() == "└epoch 1 … 281"


# -- 4. ε and α changed on the page ---------------------------------------------------------------


async def test_e_and_a_change_the_learning_rate_and_momentum_of_the_next_run(lesson_dir):
    app = make_app(lesson_dirs=[lesson_dir])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_visuals(pilot, STUCK)
        start = {key: value.copy() for key, value in view.net.params.items()}
        assert view.status == "epoch 0 · ε 0.50 · α 0.90"
        await pilot.press("e")
        await pilot.pause()
        assert (view.rate, view.net.training.learning_rate, view.net.training.momentum) == (1.0, 1.0, 0.9)
        assert view.status == "epoch 0 · ε 1 · α 0.90"
        await pilot.press("a")
        await pilot.pause()
        assert view.status == "epoch 0 · ε 1 · α 0"
        await run_to_the_end(pilot, view)
        headless = load_network(NETWORKS / "xor.toml")
        headless.reseed(4)
        headless.training.learning_rate, headless.training.momentum = 1.0, 0.0
        expected = train(headless, 1000, view.ecrit)
        assert view.losses == expected.loss_history  # the run used ε = 1 and α = 0, from the page's start
        for key, value in headless.params.items():
            np.testing.assert_array_equal(view.net.params[key], value)
        await pilot.press("e", "e")  # 2, then round to .5
        await pilot.pause()
        assert view.rate == 0.5 and view.losses == [] and view.status.startswith("epoch 0 · ε 0.50 · α 0")
        for key, value in start.items():  # each change starts again from the same weights
            np.testing.assert_array_equal(view.net.params[key], value)
        await pilot.press("e", "r")
        await pilot.pause()
        assert (view.rate, view.momentum) == (0.5, 0.9) and view.status == "epoch 0 · ε 0.50 · α 0.90"
        assert (view.net.training.learning_rate, view.net.training.momentum) == (0.5, 0.9)


async def test_n_keeps_the_chosen_rate_and_the_palette_offers_both_keys(lesson_dir):
    app = make_app(lesson_dirs=[lesson_dir])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_visuals(pilot, STUCK)
        await pilot.press("e", "e", "n")
        await pilot.pause()
        assert view.seed == 5 and view.net.training.learning_rate == 2.0
        from tutor.palette import _screen_actions

        actions = {binding.description: key for _, binding, key in _screen_actions(app.screen)}
        assert actions["Next ε"] == "e" and actions["Next α"] == "a"


async def test_a_page_without_rates_offers_no_change(lesson_dir):
    app = make_app(lesson_dirs=[lesson_dir])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_visuals(pilot, PLATEAU)
        await pilot.press("e", "a")
        await pilot.pause()
        assert (view.rate, view.momentum) == (0.5, 0.9) and view.status == "epoch 0"
        from tutor.palette import _screen_actions

        descriptions = {binding.description for _, binding, _ in _screen_actions(app.screen)}
        assert "Next ε" not in descriptions and "Next α" not in descriptions


def test_rates_and_momenta_are_checked_with_file_and_line(tmp_path):
    bad = LESSON.replace("rates = [0.5, 1.0, 2.0]", "rates = [0.5, -1.0]").replace(
        "momenta = [0.9, 0.0]", "momenta = [0.9]"
    )
    bad += '\n[[pages]]\nkind = "train"\ntitle = "x"\nnetwork = "xor.toml"\nmomenta = [0.5, 1.0]\nrates = "fast"\n'
    (tmp_path / "bad.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(FileProblems) as err:
        load_lesson(tmp_path / "bad.toml")
    found = [(problem.line, problem.message) for problem in err.value.problems]
    lines = bad.split("\n")
    assert found == [
        (lines.index("rates = [0.5, -1.0]") + 1, "'rates': each should be above 0 and below 100, got -1.0"),
        (
            lines.index("momenta = [0.9]") + 1,
            "'momenta' should be a list of two or more different momenta, got [0.9]",
        ),
        (lines.index("momenta = [0.5, 1.0]") + 1, "'momenta': each should be from 0 and below 1, got 1.0"),
        (
            lines.index('rates = "fast"') + 1,
            "'rates' should be a list of two or more different learning rates, got 'fast'",
        ),
    ]


def test_the_lessons_that_compare_rates_offer_them():
    pages = {
        (lesson.stem, page.title): page
        for lesson in bundled_dir().glob("*.toml")
        for page in load_lesson(lesson).pages
        if page.kind == "train" and (page.rates or page.momenta)
    }
    assert pages.keys() == {
        ("03_delta_hebb", "Delta on overlapping patterns"),
        ("03_delta_hebb", "Dependent patterns: the best compromise"),
        ("06_training_xor", "Watch XOR learn"),
        ("06_training_xor", "Too large a step"),
    }
    for page in pages.values():
        assert "`e`" in page.text and (not page.momenta or "`a`" in page.text)


# -- what they look like --------------------------------------------------------------------------


def after(page: int, *keys: str, run: bool = False):
    """A run_before: open a page of the lesson above, press keys, and train to the end of a run."""

    async def run_before(pilot) -> None:
        view = await open_visuals(pilot, page)
        await pilot.press(*keys)
        if run:
            await run_to_the_end(pilot, view)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (160, 48)])
def test_snapshot_the_stuck_runs_hidden_units(snap_compare, lesson_dir, size):
    app = make_app(lesson_dirs=[lesson_dir])
    assert snap_compare(app, terminal_size=size, run_before=after(STUCK, "l", "l", run=True))


def test_snapshot_the_stuck_runs_hidden_units_no_color(snap_compare, lesson_dir, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(lesson_dirs=[lesson_dir])
    assert snap_compare(app, terminal_size=(120, 36), run_before=after(STUCK, "l", "l", run=True))


def test_snapshot_the_plateau_on_an_axis_from_near_the_data(snap_compare, lesson_dir):
    app = make_app(lesson_dirs=[lesson_dir])
    assert snap_compare(app, terminal_size=(120, 36), run_before=after(PLATEAU, run=True))


def test_snapshot_a_run_with_another_rate_and_momentum(snap_compare, lesson_dir):
    app = make_app(lesson_dirs=[lesson_dir])
    assert snap_compare(app, terminal_size=(80, 24), run_before=after(STUCK, "e", "a", run=True))
