"""`bptutor validate` checks an unroll page over the time steps the app traces (engine.kinds.Elman.page_steps, the
one place for that cap): a focus weight's chain that the page shows is not refused because the whole sequence
would have too many paths, and one the page cannot show is refused by both, with the same message."""

from __future__ import annotations

import pytest

from engine.kinds import kind_of
from engine.netfile import load_network
from engine.trace import MAX_PATHS
from tests.app_support import held_traces_fixture, make_app, settle  # noqa: F401 (a fixture: held_traces)
from tests.test_focus_check import FOCUS, TOO_MANY_PATHS, open_long, write_too_many_paths
from tutor.cli.parser import main


def paths(steps: int) -> int:
    """The focus weight's paths over `steps` time steps, its error going all the way back: 1 + 2 + ... + steps."""
    return steps * (steps + 1) // 2


# LONG_STREAM_LESSON's network has 3 weights. With MAX_STEP_WEIGHTS = 60 its page traces 20 steps: 210 paths;
# with 75, 25 steps: 325, too many on the page too. Its sequence has 30 steps: 465 paths over all of them.
@pytest.mark.parametrize("step_weights", [60, 75], ids=["shown", "refused"])
async def test_validate_checks_a_focus_chain_over_the_steps_the_page_traces(
    tmp_path, monkeypatch, capsys, held_traces, step_weights
):
    write_too_many_paths(tmp_path, 30)
    monkeypatch.setattr("engine.kinds.MAX_STEP_WEIGHTS", step_weights)
    kind = kind_of(load_network(tmp_path / "stream.toml"))
    traced, shown = kind.page_steps(0), step_weights == 60
    assert (kind.weight_count, traced) == (3, step_weights // 3)
    assert (paths(traced) <= MAX_PATHS) == shown
    if shown:  # the whole sequence has too many paths: what validate counted before
        with pytest.raises(ValueError, match="more than 256 paths"):
            kind.trace(0, None, kind.length(0)).chain(FOCUS)
    line = f"{tmp_path / 'lesson.toml'}:10: {TOO_MANY_PATHS}"
    held_traces.in_app_thread.clear()
    assert main(["validate", str(tmp_path)]) == (0 if shown else 1)
    assert capsys.readouterr().out == ("" if shown else f"{line}\n")
    assert [args[1:] for args in held_traces.in_app_thread] == [(0, None, traced)]  # validate traced those steps
    held_traces.in_app_thread.clear()
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        await open_long(pilot)
        view = app.screen.view
        assert app.screen.query_one("TopBar").status == f"building the trace of {traced} time steps…"
        note = str(view.query_one("#steps-note").render())
        assert f"Time steps 1–{traced} of this sequence's 30: an unroll page traces the first {traced}" in note
        held_traces.release.set()
        if shown:
            assert await settle(pilot, lambda: view.player is not None)
            assert len(view.player.trace.inputs) == traced and len(view.player.chain.paths) == paths(traced)
        else:
            assert await settle(pilot, lambda: type(app.screen.view).__name__ == "ProblemsView")
            assert [str(problem) for problem in app.screen.view.problems] == [line]
    assert held_traces.in_app_thread == []


async def test_g_checks_the_gradients_over_the_steps_the_page_traces(tmp_path, monkeypatch):
    """The gradient check (g) compares the ∂E/∂w the page shows: those of its 20 steps, not of 50."""
    from tutor.screens.gradcheck import GradCheckScreen

    write_too_many_paths(tmp_path, 30)
    monkeypatch.setattr("engine.kinds.MAX_STEP_WEIGHTS", 60)
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        await open_long(pilot)
        view = app.screen.view
        assert len(view.player.trace.inputs) == 20
        await pilot.press("g")
        assert await settle(pilot, lambda: isinstance(app.screen, GradCheckScreen))
        check, shown = app.screen.check, view.player.trace.gradients
        assert check.ok() and check.analytic.keys() == shown.keys()
        for key, gradient in shown.items():
            assert check.analytic[key] == pytest.approx(gradient, rel=1e-12), key
        whole = kind_of(view.net).check_gradients(0, 30).analytic["hidden_context"]
        assert whole != pytest.approx(shown["hidden_context"], rel=1e-6)  # the other steps would change it
