"""Issue 18, the diagram and the page: what a learner sees on trace, unroll and train pages (Pilot)."""

from __future__ import annotations

import re

import pytest

from tests.app_support import footer_keys as app_footer_keys
from tests.app_support import make_app, open_page, settle, test_lessons, toasts_on_screen  # noqa: F401 (test_lessons is a fixture)
from tests.test_app import plain
from tests.test_widgets import lines

APP_LESSONS = pytest.mark.usefixtures("test_lessons")  # the tests' own lessons, not the bundled ones


@APP_LESSONS
async def test_the_unrolled_diagram_names_time_steps_apart_from_the_targets_t():
    """ "t = 1" for a time step sat right above "t 0" for a target: the steps are "step 1", "step 2", ..."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "unroll")
        drawing = lines(view.query_one("UnrollDiagram"))
        header = next(line for line in drawing if "time →" in line)
        assert re.findall(r"step (\d+)", header) == ["1", "2", "3"]
        assert not any(re.search(r"\bt = \d", line) for line in drawing)
        assert sum(len(re.findall(r"\bt +[0-9.−]", line)) for line in drawing) == 3  # each step's target, still t


@APP_LESSONS
async def test_unroll_pages_step_a_whole_time_step_with_brackets():
    """] computes the rest of the time step the next term is in; [ takes the last time step back."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "unroll")
        terms = view.player.terms
        await pilot.press("right_square_bracket")
        first = view.player.position
        assert first > 1 and {(t.phase, t.step) for t in terms[:first]} == {("forward", 1)}
        assert (terms[first].phase, terms[first].step) != ("forward", 1)
        await pilot.press("right", "right_square_bracket")  # from inside step 2: the rest of step 2
        second = view.player.position
        assert {t.step for t in terms[first:second]} == {2} and terms[second].step != 2
        await pilot.press("left_square_bracket")
        assert view.player.position == first
        await pilot.press("left_square_bracket")
        assert view.player.position == 0


@APP_LESSONS
async def test_trace_pages_have_no_time_steps():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "trace")
        assert view.check_action("step_time", (1,)) is False


@APP_LESSONS
async def test_at_the_last_term_right_says_the_pass_is_done_and_what_next():
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        view = await open_page(pilot, "xor")
        await pilot.press("u")
        assert view.player.at_end
        await pilot.press("right")
        await pilot.pause()
        await pilot.pause()
        assert view.player.at_end
        said = toasts_on_screen(app)[-1]
        assert said.startswith("Done: forward, backward and update.")
        assert "p for the next pattern" in said and "r to start again" in said and "PgDn" in said


async def test_a_page_can_stop_at_the_end_of_the_forward_pass():
    """Lesson 1's XOR of step units: 24 of its terms were backward-pass zeros; the page stops after the forward pass."""
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        lesson = app.lesson("hidden-units")
        page = next(p for p in lesson.pages if p.title == "Evaluate the XOR network on all four patterns")
        assert page.until == "forward"
        app.open_lesson("hidden-units", page.index)
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        assert {t.phase for t in view.player.terms} == {"forward"}
        assert view.player.progress[1] == len([t for t in view.player.trace.terms if t.phase == "forward"])
        await pilot.press("f", "right")
        await pilot.pause()
        await pilot.pause()
        assert toasts_on_screen(app)[-1].startswith("This page stops at the end of the forward pass.")


def test_until_must_name_a_pass(tmp_path):
    from tutor.lessons import discover

    page = '[[pages]]\nkind = "trace"\ntitle = "T"\nnetwork = "xor.toml"\nuntil = "{}"\n'
    head = '[lesson]\nid = "x"\ntitle = "X"\nsummary = "S"\n\n'
    path = tmp_path / "x.toml"
    path.write_text(head + page.format("forward"))
    assert discover.load_lesson(path).pages[0].until == "forward"
    path.write_text(head + page.format("sideways"))
    with pytest.raises(discover.FileProblems) as problems:
        discover.load_lesson(path)
    assert "until" in str(problems.value) and "sideways" in str(problems.value)


@pytest.mark.parametrize("size", [(120, 36), (160, 48)])
async def test_the_page_text_gets_the_rows_the_diagram_does_not_need(size):
    """At 120×36 the text got four lines and stopped mid-sentence while ten empty rows sat around the diagram."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        lesson = app.lesson("credit-assignment")
        page = next(p for p in lesson.pages if p.title.startswith("How a hidden unit's activation"))
        app.open_lesson("credit-assignment", page.index)
        await pilot.pause()
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        text, diagram = view.query_one("PageText"), view.query_one("#diagram")
        assert diagram.canvas.mode == "full"
        assert diagram.size.height - diagram.canvas.height <= 1  # no empty rows around the diagram
        assert text.size.height >= 10  # the rows it left went to the text


def footer_keys(app) -> list[str]:
    """The keys the footer shows, left to right, each with its description (a group: its keys, then its label)."""
    return app_footer_keys(app.screen)


@APP_LESSONS
@pytest.mark.parametrize(
    ("size", "listed", "left_out"),
    [
        ((160, 48), ["t Text", "v Values", "c View", "g Check", "J", "K", "? Help", "q Quit"], []),
        ((120, 36), ["t Text", "v Values", "? Help", "q Quit"], ["J", "K"]),
    ],
)
async def test_the_footer_lists_the_pages_own_keys_where_they_fit_beside_help_and_quit(size, listed, left_out):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_page(pilot, "xor")
        await settle(pilot, lambda: "? Help" in footer_keys(app), tries=40)
        await pilot.pause()
        await pilot.pause()
        keys = footer_keys(app)
        for key in listed:
            assert key in keys, (key, keys)
        for key in left_out:
            assert key not in keys, (key, keys)


@APP_LESSONS
async def test_g_shows_the_gradient_checks_table_in_the_app():
    """Not a message pointing to the command line: every weight, backprop beside finite differences."""
    from engine.kinds import kind_of
    from tutor.screens.gradcheck import GradCheckScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "xor")
        await pilot.press("g")
        assert await settle(pilot, lambda: isinstance(app.screen, GradCheckScreen))
        await pilot.pause()
        shown = plain(app.screen.query_one("#gradcheck").content)
        check = kind_of(view.net).check_gradients(view.pattern)
        player = view.player
        assert "Backprop is right" in shown and "command line" not in shown and "--check" not in shown
        for term in player.trace.terms:
            if term.kind in ("dE_dw", "dE_db"):
                assert term.symbol.removeprefix("∂E/∂") in shown, term.symbol  # each weight by its name
        assert "0.0e+00" not in shown and "e+" not in shown
        assert check.ok()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.view is view


@APP_LESSONS
async def test_one_epoch_says_at_once_that_it_is_training(monkeypatch):
    """One epoch of temporal XOR took about a second with no sign of work: the status says so at once."""
    import threading

    import engine.kinds

    release = threading.Event()
    real = engine.kinds.train

    def held(*args, **kwargs):
        release.wait(10)  # the epoch is still running when the screen is looked at
        return real(*args, **kwargs)

    monkeypatch.setattr(engine.kinds, "train", held)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "train")
        await pilot.press("s")
        await pilot.pause()
        try:
            assert view.running
            assert "learning…" in plain(view.query_one("#train-status").content)
        finally:
            release.set()
        assert await settle(pilot, lambda: not view.running)
        assert "learning…" not in plain(view.query_one("#train-status").content)
