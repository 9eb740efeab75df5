"""A trace or unroll page's focus weight (Pilot): opening the page checks only that the weight exists; its chain
of factors is expanded where the view builds its trace (in a thread for a big one), and a chain that cannot be
expanded is shown on the page, as `bptutor validate` reports it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from engine.netfile import load_network
from engine.numbers import fmt
from engine.sequence_trace import build_sequence_trace
from tests.app_support import held_traces_fixture, make_app, settle  # noqa: F401 (a fixture: held_traces)
from tests.conftest import ROOT
from tests.test_app import LONG_STREAM_LESSON, long_stream_network, write_long_stream

FOCUS = "hidden_context[0][0]"  # LONG_STREAM_LESSON's focus weight, on its line 10
# With the error going all the way back (no bptt_steps), E_t reaches the t copies of w_c before it, one path
# each: 25 steps make 1 + 2 + ... + 25 = 325 paths, more than a chain lists (engine.trace.MAX_PATHS = 256).
TOO_MANY_PATHS = f"{FOCUS}: more than 256 paths lead to this weight: too many to list one by one"


async def open_long(pilot) -> None:
    """Open LONG_STREAM_LESSON's one page (a thread may still be building its trace)."""
    pilot.app.open_lesson("long", 0)
    await pilot.pause()
    await pilot.pause()


async def open_held(pilot, held_traces):
    """Open the page of a lesson like LONG_STREAM_LESSON (60 steps, with a text) while its trace is held in its
    thread: the page answers keys meanwhile (t hides or shows its text). Then the trace is let through; returns
    the view once it has it."""
    await open_long(pilot)
    view, bar = pilot.app.screen.view, pilot.app.screen.query_one("TopBar")
    assert type(view).__name__ == "TraceView" and view.player is None
    assert held_traces.in_app_thread == []  # opening the page traced nothing in the app's thread
    assert bar.status == "building the trace of 50 time steps…"
    shown = view.show_text
    await pilot.press("t")  # answered while the trace is still held in its thread
    await pilot.pause()
    assert view.show_text is not shown and view.player is None
    held_traces.release.set()
    assert await settle(pilot, lambda: view.player is not None)
    return view


async def open_refused(pilot, held, steps: int):
    """Open the page of a lesson like LONG_STREAM_LESSON (`steps` steps), its trace held in its thread if `held`
    is the held_traces fixture: the page gives way to its problems. Returns that view."""
    await open_long(pilot)
    app = pilot.app
    bar = app.screen.query_one("TopBar")
    if held is not None:
        assert type(app.screen.view).__name__ == "TraceView" and held.in_app_thread == []
        assert bar.status == f"building the trace of {steps} time steps…"
        held.release.set()
        assert await settle(pilot, lambda: type(app.screen.view).__name__ == "ProblemsView")
        await pilot.pause()
    view = app.screen.view
    assert type(view).__name__ == "ProblemsView" and len(app.screen.query(".page-view")) == 1
    assert "This page cannot be shown" in str(view.query_one("#problems").render())
    assert bar.status == "" and app.focused is view
    return view


async def test_a_big_unroll_page_with_a_focus_weight_answers_keys_while_its_trace_is_built(tmp_path, held_traces):
    write_long_stream(tmp_path, 60)
    lesson = LONG_STREAM_LESSON + 'text = "The weight from the context unit, at every step."\n'
    (tmp_path / "lesson.toml").write_text(lesson, encoding="utf-8")
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_held(pilot, held_traces)
        expected = build_sequence_trace(load_network(tmp_path / "stream.toml"), 0, steps=50).chain(FOCUS)
        chain = view.player.chain
        assert chain is not None and chain.weight == FOCUS and len(chain.paths) == len(expected.paths) == 99
        assert [term.id for term in chain.terms()] == [term.id for term in expected.terms()]
        total = next(k for k, term in enumerate(view.player.terms) if term.kind == "chain_sum")
        view.player.seek(total)  # just before ∂E/∂w_c, the sum of its paths
        await pilot.press("right")
        await pilot.pause()
        assert view.player.current.id == f"chain.{FOCUS}"
        panel = view.query_one("EquationPanel").plain
        assert f"{expected.total.symbol} = E₁ via " in panel and f"= {fmt(expected.total.value)}\n" in panel
    assert held_traces.in_app_thread == []


def write_too_many_paths(folder, steps: int = 25) -> None:
    """LONG_STREAM_LESSON on a sequence of `steps` steps, its error going all the way back."""
    write_long_stream(folder, steps)
    (folder / "stream.toml").write_text(long_stream_network(steps).replace("bptt_steps = 1\n", ""), encoding="utf-8")


@pytest.mark.parametrize("big", [False, True], ids=["built-on-opening", "built-in-a-thread"])
async def test_a_focus_weight_without_a_chain_of_factors_is_shown_on_the_page(tmp_path, request, big):
    write_too_many_paths(tmp_path)
    line = f"{tmp_path / 'lesson.toml'}:10: {TOO_MANY_PATHS}"
    validate = subprocess.run(
        [sys.executable, "-m", "tutor", "validate", str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert (validate.returncode, validate.stdout) == (1, line + "\n")
    held = request.getfixturevalue("held_traces") if big else None
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_refused(pilot, held, 25)
        assert [str(problem) for problem in view.problems] == [line]
        assert TOO_MANY_PATHS in str(view.query_one("#problems").render())


@pytest.mark.parametrize("big", [False, True], ids=["built-at-once", "built-in-a-thread"])
async def test_a_sequence_without_a_chain_of_factors_chosen_with_p_is_shown_on_the_page(tmp_path, request, big):
    """Only the page's own sequence is checked on opening; another one (p) may have too many paths."""
    write_long_stream(tmp_path, 3)
    short, long = (long_stream_network(steps).replace("bptt_steps = 1\n", "") for steps in (3, 25))
    network = short + long[long.index("[[sequences]]") :]
    (tmp_path / "stream.toml").write_text(network, encoding="utf-8")
    held = request.getfixturevalue("held_traces") if big else None
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        await open_long(pilot)
        if big:
            held.release.set()
        view = app.screen.view
        assert await settle(pilot, lambda: view.player is not None)
        assert len(view.player.chain.paths) == 6  # 1 + 2 + 3 paths over the 3 steps of sequence 0
        await pilot.press("p")
        assert await settle(pilot, lambda: type(app.screen.view).__name__ == "ProblemsView")
        await pilot.pause()
        problems = [str(problem) for problem in app.screen.view.problems]
        assert problems == [f"{tmp_path / 'lesson.toml'}:10: {FOCUS} on sequence 1: {TOO_MANY_PATHS[len(FOCUS) + 2 :]}"]
        assert app.screen.query_one("TopBar").status == "" and app.focused is app.screen.view
    if big:
        assert held.in_app_thread == []
