"""Issue 18, responsiveness: a train page opens in two frames, the first saying that it is opening.

Keys pressed while the page fills are done, in order, once it is there; leaving the page before it is
there is safe; a lab panel is made when `l` first shows it, with the weights trained so far. No timings
here (bench/bench_app.py --only train measures them): the page's second step is held back by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine.kinds import train
from engine.netfile import load_network
from tests.app_support import make_app, page_opened, settle, test_lessons  # noqa: F401 (a fixture)
from tests.conftest import NETWORKS
from tutor.screens.lesson.train import OPENING, TrainView
from tutor.widgets.hidden_space import HiddenSpacePanel
from tutor.widgets.live_panel import LivePanel
from tutor.widgets.surface import SurfacePanel
from tutor.widgets.training import LossCurve

pytestmark = pytest.mark.usefixtures("test_lessons")

LESSON = """
[lesson]
id = "train-open"
title = "Opening train pages"
summary = "A train page with a choice of ε, and a text page after it."

[[pages]]
kind = "train"
title = "XOR, with ε to choose"
network = "xor.toml"
epochs = 40
rates = [0.5, 1.0, 2.0]
text = "Train XOR."

[[pages]]
kind = "text"
title = "After"
text = "The next page."
"""


@pytest.fixture
def held(monkeypatch, tmp_path):
    """The lesson above, with each train view's second step (mounting its parts) held until the test does it;
    returns the views waiting, and the real step to run."""
    (tmp_path / "open.toml").write_text(LESSON, encoding="utf-8")
    waiting: list[TrainView] = []
    real = TrainView._open

    async def hold(view: TrainView) -> None:
        if view not in waiting:  # asked for twice: once drawn, and once the screen is idle (TrainView.on_mount)
            waiting.append(view)

    monkeypatch.setattr(TrainView, "_open", hold)
    return tmp_path, waiting, real


async def opening_view(pilot, waiting) -> TrainView:
    pilot.app.open_lesson("train-open", 0)
    await pilot.pause()
    await pilot.pause()
    assert await settle(pilot, lambda: bool(waiting))
    view = pilot.app.screen.view
    assert waiting == [view] and view.opening
    return view


async def test_the_first_frame_says_the_page_is_opening_and_its_parts_follow(held):
    lesson_dir, waiting, real = held
    app = make_app(lesson_dirs=[lesson_dir])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await opening_view(pilot, waiting)
        line = view.query_one("#opening")
        assert line.display and line.content.plain == OPENING
        assert not view.query(LossCurve) and not view.query(LivePanel) and not view.query("#text")
        assert "XOR, with ε to choose" in str(app.screen.query_one("TopBar").render())
        view.call_later(real, view)
        assert await page_opened(pilot) is view
        assert not view.query("#opening") and view.query_one(LossCurve).ecrit == view.ecrit
        assert [type(panel) for panel in view.query(LivePanel)] == [SurfacePanel]  # the others when l shows them
        assert view.query("#text") and view.status == "epoch 0 · ε 0.50 · α 0.90"


async def test_keys_pressed_while_it_opens_are_done_in_order_once_it_is_there(held):
    lesson_dir, waiting, real = held
    app = make_app(lesson_dirs=[lesson_dir])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await opening_view(pilot, waiting)
        await pilot.press("e", "s", "l")  # the next ε, one epoch at it, the hidden-unit space
        await pilot.pause()
        assert view.opening and len(view.waiting) == 3 and view.losses == [] and view.rate == 0.5
        view.call_later(real, view)
        await page_opened(pilot)
        assert await settle(pilot, lambda: not view.running and view.losses)
        assert view.rate == 1.0 and not view.waiting
        headless = load_network(NETWORKS / "xor.toml")
        headless.training.learning_rate = 1.0
        assert view.losses == train(headless, 1, view.ecrit).loss_history  # one epoch, after ε changed
        space = view.query_one(HiddenSpacePanel)
        assert space.display and not view.query_one(SurfacePanel).display


async def test_leaving_the_page_while_it_opens_leaves_nothing_behind(held):
    lesson_dir, waiting, real = held
    app = make_app(lesson_dirs=[lesson_dir])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await opening_view(pilot, waiting)
        await pilot.press("s", "pagedown")
        await pilot.pause()
        assert app.screen.page_index == 1 and not view.is_attached
        await real(view)  # the held step comes after all: the page is gone, nothing is mounted or trained
        await pilot.pause()
        assert view.opening and not view.query(LossCurve) and view.losses == [] and not view.running
        assert app.screen.view.query_one("Markdown").source == "The next page."


async def test_a_lab_panel_made_when_l_first_shows_it_draws_the_weights_trained_so_far(tmp_path):
    (tmp_path / "open.toml").write_text(LESSON, encoding="utf-8")
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_lesson("train-open", 0)
        await pilot.pause()
        view = await page_opened(pilot)
        await pilot.press("plus", "plus", "space")
        assert await settle(pilot, lambda: not view.running and len(view.losses) == 40, tries=600)
        assert not view.query(HiddenSpacePanel)
        await pilot.press("l")
        await pilot.pause()
        space = view.query_one(HiddenSpacePanel)
        assert space.display and not view.query_one(SurfacePanel).display
        for key, value in view.net.params.items():
            np.testing.assert_array_equal(space.net.params[key], value)
        names = dict(name.split(" ≈ ", 1) for name in view.analysis.functions if " ≈ " in name)
        assert space.names == names
        await pilot.press("l", "l", "l")  # round: hidden units, the surface, the same hidden-unit space again
        await pilot.pause()
        assert view.query_one(HiddenSpacePanel) is space and space.display
        assert [type(panel).__name__ for panel in view.query(LivePanel)] == [
            "SurfacePanel",
            "HiddenSpacePanel",
            "HiddenUnitsPanel",
        ]


def test_snapshot_the_first_frame_of_a_train_page(snap_compare, held):
    lesson_dir, waiting, _ = held

    async def run_before(pilot) -> None:
        await opening_view(pilot, waiting)
        await pilot.pause()

    assert snap_compare(make_app(lesson_dirs=[lesson_dir]), terminal_size=(80, 24), run_before=run_before)
