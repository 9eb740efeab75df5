"""An unroll page's goal (Pilot): opening the page builds no trace for it; the goal's term is checked on the trace
the view builds (in a thread for a big one), over the steps it traces, and a goal that does not fit is shown on the
page, as `bptutor validate` reports it."""

from __future__ import annotations

import pytest

from engine.netfile import load_network
from engine.numbers import fmt
from engine.sequence_trace import build_sequence_trace
from tests.app_support import held_traces_fixture, make_app  # noqa: F401 (a fixture: held_traces)
from tests.test_app import long_stream_network
from tests.test_focus_check import open_held, open_long, open_refused
from tutor.cli.parser import main

GOAL_LESSON = """[lesson]
id = "long"
title = "A long stream"
summary = "An unroll page with a goal, on a long sequence."

[[pages]]
kind = "unroll"
title = "Unrolled"
network = "stream.toml"
text = "Push the output at step 50 up."

[pages.goal]
term = "{term}"
{side}
"""
TERM_LINE = 13  # GOAL_LESSON's line of `term`; a goal met already is reported at [pages.goal], line 12


def write_goal(folder, term: str, side: str = "above = 0.99", steps: int = 60) -> None:
    (folder / "lesson.toml").write_text(GOAL_LESSON.format(term=term, side=side), encoding="utf-8")
    (folder / "stream.toml").write_text(long_stream_network(steps), encoding="utf-8")


async def test_a_big_unroll_page_with_a_goal_answers_keys_while_its_trace_is_built(tmp_path, held_traces):
    write_goal(tmp_path, "a.output.0@t50")
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_held(pilot, held_traces)
        await pilot.pause()
        term = build_sequence_trace(load_network(tmp_path / "stream.toml"), 0, steps=50)["a.output.0@t50"]
        assert term.value < 0.99
        goal = str(view.query_one("#goal").render())
        assert goal == f"Goal: make {term.symbol} above 0.99. Now {term.symbol} = {fmt(term.value)}."
    assert held_traces.in_app_thread == []


BAD_GOALS = {  # what the page's goal says, and the line and message validate and the app both give
    # on the whole sequence's trace, but not on the 50 steps the page traces (the app crashed with a KeyError)
    "beyond": (
        ("a.output.0@t55", "above = 0.99"),
        TERM_LINE,
        "'goal.term': the page's trace has no term 'a.output.0@t55' (did you mean 'a.output.0@t5'?)",
    ),
    "met": (("a.output.0@t50", "below = 0.99"), TERM_LINE - 1, "the goal is met with the lesson's own weights"),
}


@pytest.mark.parametrize("big", [False, True], ids=["built-on-opening", "built-in-a-thread"])
@pytest.mark.parametrize("bad", list(BAD_GOALS))
async def test_a_goal_that_does_not_fit_the_pages_trace_is_shown_on_the_page(tmp_path, request, capsys, big, bad):
    (term, side), line, says = BAD_GOALS[bad]
    write_goal(tmp_path, term, side)
    assert main(["validate", str(tmp_path)]) == 1
    validated = capsys.readouterr().out.splitlines()
    assert len(validated) == 1 and validated[0].startswith(f"{tmp_path / 'lesson.toml'}:{line}: {says}")
    held = request.getfixturevalue("held_traces") if big else None
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_refused(pilot, held, 50)
        assert [str(problem) for problem in view.problems] == validated
        assert says in str(view.query_one("#problems").render())
    if big:
        assert held.in_app_thread == []


async def test_p_checks_the_goal_on_the_sequence_it_chooses(tmp_path):
    """Only the page's own sequence is checked on opening. Another one (p) shows the goal's term on its own trace
    (the line kept the first sequence's value), and one too short for the term is shown on the page."""
    write_goal(tmp_path, "a.output.0@t5", steps=5)
    network, ones, short = long_stream_network(5), long_stream_network(5), long_stream_network(3)
    ones = ones.replace(ones[ones.index("inputs = ") : ones.index("\ntargets")], "inputs = [[1], [1], [1], [1], [1]]")
    sequences = [text[text.index("[[sequences]]") :] for text in (ones, short)]
    (tmp_path / "stream.toml").write_text(network + "".join(sequences), encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 0
    net = load_network(tmp_path / "stream.toml")
    terms = [build_sequence_trace(net, k)["a.output.0@t5"] for k in (0, 1)]
    assert terms[0].value != terms[1].value
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        await open_long(pilot)
        for k, term in enumerate(terms):
            if k:
                await pilot.press("p")
                await pilot.pause()
            view = app.screen.view
            assert view.pattern == k
            assert str(view.query_one("#goal").render()).endswith(f"Now {term.symbol} = {fmt(term.value)}.")
        await pilot.press("p")
        await pilot.pause()
        view = app.screen.view
        assert type(view).__name__ == "ProblemsView" and len(app.screen.query(".page-view")) == 1
        assert [str(problem) for problem in view.problems] == [
            f"{tmp_path / 'lesson.toml'}:{TERM_LINE}: 'goal.term': the trace of sequence 2 has no term 'a.output.0@t5' "
            "(did you mean 'a.output.0@t3'?)"
        ]
        assert app.screen.query_one("TopBar").status == "" and app.focused is view
