"""The app, driven by the keyboard with Textual's Pilot: lessons, stepping, patterns, progress, problems."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys

import pytest
from rich.console import Console

from engine.kinds import build_trace
from engine.netfile import load_network
from engine.numbers import fmt
from engine.sequence_trace import build_sequence_trace
from tests.app_support import (  # noqa: F401 (held_traces_fixture and test_lessons are fixtures)
    PAGE,
    held_traces_fixture,
    make_app,
    open_page,
    record_notifications,
    settle,
    test_lessons,
    toasts_on_screen,
)
from tests.conftest import NETWORKS, ROOT
from tutor.app import BPTutorApp
from tutor.lessons import bundled_dir
from tutor.messages import TrainStopped
from tutor.progress import Progress

pytestmark = pytest.mark.usefixtures("test_lessons")


def plain(renderable) -> str:
    """What a Rich renderable reads as, without styles."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def expected_terms(network: str, pattern: int = 0, focus: str | None = None, recurrent: bool = False):
    """The engine's own terms in stepping order: the trace, with the focus weight's chain after its gradient."""
    net = load_network(NETWORKS / network)
    trace = build_sequence_trace(net, pattern) if recurrent else build_trace(net, pattern)
    terms = list(trace.terms)
    if focus:
        key, _, rest = focus.partition("[")
        gradient = f"dE/dw.{key}.{rest.replace('][', '.').rstrip(']')}"
        at = trace.index(gradient) + 1
        terms[at:at] = trace.chain(focus).terms()
    return trace, terms


# -- the home screen ----------------------------------------------------------------------------


async def test_home_lists_the_lessons_in_order_with_quiz_mode_and_help():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#lessons")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["lesson:basics", "lesson:second", "quiz", "help"]
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "LessonScreen"
        assert app.screen.lesson.id == "basics"


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 48)])
async def test_home_fits_the_bundled_lessons_without_scrolling_the_screen(monkeypatch, size):
    """The intro stays in view and the list scrolls inside its own box, above the footer."""
    monkeypatch.setattr("tutor.lessons.discover.bundled_dir", bundled_dir)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.max_scroll_y == 0 and not screen.show_vertical_scrollbar
        intro, lessons = screen.query_one("#intro"), screen.query_one("#lessons")
        footer = screen.query_one("KeysFooter")
        assert intro.region.y >= 1 and intro.region.bottom <= lessons.region.y
        assert lessons.region.bottom <= footer.region.y


def test_the_home_screen_path_imports_neither_numpy_nor_sympy():
    """Listing lessons must stay light: NumPy and sympy load only when a page needs them."""
    code = """
import asyncio, sys
from tutor.app import BPTutorApp
async def main():
    app = BPTutorApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen", app.screen
    print(sorted(m for m in ("numpy", "sympy") if m in sys.modules))
asyncio.run(main())
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# -- the lesson's top line -----------------------------------------------------------------------


def test_the_top_line_shows_whole_titles_when_they_fit():
    from tutor.screens.lesson.screen import fit_top_line

    title, page = "The chain rule, one factor at a time", "page 1/9 · Rates multiply along a chain"
    assert fit_top_line(title, page, "", 80) == (title, page)


def test_the_top_line_shortens_the_page_title_first_then_the_lesson_title():
    from tutor.screens.lesson.screen import fit_top_line

    title, page = "The chain rule, one factor at a time", "page 4/9 · The forward pass"
    status = "step 0/21 · not started"
    short_title, short_page = fit_top_line(title, page, status, 80)
    assert short_title == title and short_page.startswith("page 4/9 · The") and short_page.endswith("…")
    assert len(short_title) + len(short_page) + len(status) + 4 == 80
    short_title, short_page = fit_top_line(title, page, status, 60)
    assert short_page == "page 4/9" and short_title.endswith("…") and short_title.startswith("The chain")
    assert len(short_title) + len(short_page) + len(status) + 4 <= 60
    # however narrow, where the learner is stays in view: page n/m and the whole status
    for width in range(len(status) + 12, 90):
        short_title, short_page = fit_top_line(title, page, status, width)
        assert short_page.startswith("page 4/9")
        assert len(short_title) + len(short_page) + len(status) + 4 <= width


# -- stepping through a trace -------------------------------------------------------------------


async def test_stepping_through_a_whole_trace_shows_the_engines_numbers():
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        view = await open_page(pilot, "trace")
        trace, terms = expected_terms("one_hidden_unit.toml", focus="hidden[0][0]")
        panel = view.query_one("EquationPanel")
        values = view.query_one("ValuesTable")
        assert view.player.progress == (0, len(terms))
        for k, term in enumerate(terms, start=1):
            await pilot.press("right")
            assert view.player.progress == (k, len(terms))
            assert panel.term.id == term.id
            assert panel.term.value == term.value
            assert fmt(term.value) in panel.plain
            if term.kind in ("activation", "net_input", "dE_dn"):
                column = {"activation": "a", "net_input": "n", "dE_dn": "dE_dn"}[term.kind]
                assert values.cell_text(f"{term.layer}.{term.unit}", column) == fmt(term.value)
        await pilot.press("right")  # past the end: nothing moves
        assert view.player.at_end
        diagram = view.query_one("NetworkDiagram")
        for key, after in trace.weights_after.items():
            assert diagram.state.weights[f"{key}[0][0]"] == float(after[0, 0])
        status = app.screen.query_one("TopBar").status
        assert status.startswith(f"step {len(terms)}/{len(terms)}")


async def test_stepping_back_and_jumping_to_the_end_of_each_pass():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_page(pilot, "trace")
        _, terms = expected_terms("one_hidden_unit.toml", focus="hidden[0][0]")
        await pilot.press("f")
        forward = view.player.position
        assert terms[forward - 1].phase == "forward" and terms[forward].phase == "backward"
        await pilot.press("left", "left")
        assert view.player.position == forward - 2
        assert view.query_one("EquationPanel").term.id == terms[forward - 3].id
        await pilot.press("b")
        assert terms[view.player.position - 1].phase == "backward"
        assert terms[view.player.position].phase == "update"
        await pilot.press("u")
        assert view.player.at_end
        await pilot.press("r")
        assert view.player.position == 0
        assert view.query_one("EquationPanel").term is None


async def test_changing_the_pattern_traces_that_pattern_at_the_same_step():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_page(pilot, "xor")
        for _ in range(5):
            await pilot.press("right")
        await pilot.press("p")
        assert view.pattern == 1
        trace, terms = expected_terms("xor.toml", pattern=1)
        assert view.player.position == 5
        assert list(view.player.trace.inputs) == list(trace.inputs)
        assert view.query_one("EquationPanel").term.value == terms[4].value
        await pilot.press("P", "P")  # shift+p: the terminal sends an uppercase P
        assert view.pattern == 3
        assert "pattern 4/4" in app.screen.query_one("TopBar").status


async def test_auto_play_steps_on_its_own_and_stops_at_the_end():
    app = make_app()
    shown = record_notifications(app)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        view = await open_page(pilot, "trace")
        bar = app.screen.query_one("TopBar")

        def footer() -> set[str]:
            return {active.binding.description for active in app.screen.active_bindings.values()}

        assert "Play" in footer() and "Pause" not in footer()
        await pilot.press("plus", "plus", "plus", "plus", "plus")  # the fastest speed
        assert bar.status.endswith(" · speed 0.1 s/term")
        await pilot.pause()
        assert shown == [] and toasts_on_screen(app) == []  # the speed is in the top line, not in messages
        await pilot.press("space")
        assert view.playing
        assert " · ▶ playing, 0.1 s/term" in bar.status
        assert "Pause" in footer() and "Play" not in footer()
        await pilot.pause(0.5)
        assert view.player.position > 1
        await pilot.press("space")
        assert not view.playing
        assert "playing" not in bar.status and "Play" in footer()
        stopped = view.player.position
        await pilot.pause(0.3)
        assert view.player.position == stopped


async def test_the_unrolled_view_shows_each_steps_numbers():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "unroll")
        diagram = view.query_one("UnrollDiagram")
        assert diagram.mode == "unrolled"
        trace, terms = expected_terms("tiny_srn.toml", focus="hidden_context[0][0]", recurrent=True)
        await pilot.press("f")
        for s in (1, 2, 3):
            assert diagram.state.unit_values[f"hidden.0@t{s}"] == trace[f"a.hidden.0@t{s}"].value
            assert diagram.state.unit_values[f"E@t{s}"] == trace[f"E@t{s}"].value
        back = next(k for k, t in enumerate(terms) if t.kind == "dE_da_back_in_time")
        view.player.seek(back + 1)
        view._show()
        assert terms[back].id == "dE2/da.hidden.0@t1"  # E₂'s error, carried from step 2 back to step 1 ...
        assert diagram.state.current.connections == {"hidden_context[0][0]@t2"}  # ... through w_c into step 2
        assert {"step@t1", "step@t2", "hidden.0@t1", "hidden.0@t2"} <= diagram.state.current.units


@pytest.mark.parametrize("page", ["trace", "xor", "unroll", "encoder"])
async def test_at_80x24_a_page_keeps_one_layout_while_stepping(page):
    """The equation panel keeps the room of the page's tallest term, so the diagram never changes view;
    the page text waits for t, leaving the diagram room for a legible view."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_page(pilot, page)
        diagram, panel = view.query_one("#diagram"), view.query_one("EquationPanel")
        assert not view.show_text and "t to read the page's text" in panel.plain
        seen = set()
        for position in range(view.player.progress[1] + 1):
            view.player.seek(position)
            view._show()
            await pilot.pause()
            seen.add((diagram.mode, diagram.size, panel.size))
        assert len(seen) == 1, seen
        assert seen.pop()[0] != "small"  # the 8-3-8 encoder is drawn compact, the others in full


async def test_at_160x48_the_unrolled_view_shows_every_time_step():
    """The equation goes under an unrolled network, which needs the terminal's width for its steps."""
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        view = await open_page(pilot, "unroll")
        diagram = view.query_one("UnrollDiagram")
        assert diagram.mode == "unrolled" and list(diagram._shown) == [1, 2, 3]
        assert view.query_one("EquationPanel").region.y >= diagram.region.bottom


async def test_the_values_table_follows_the_width_until_v_chooses():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "trace")
        assert not view.show_values
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert view.show_values and view.query_one("ValuesTable").display
        await pilot.press("v")
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert not view.show_values  # the learner's choice stands


async def test_a_formula_that_is_one_symbol_gives_its_value_once():
    """∂n_hid⁽²⁾/∂a_hid⁽¹⁾ = w_chid,hid = 0.40, not w_chid,hid = 0.40 = 0.40."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "unroll")
        panel = view.query_one("EquationPanel")
        k = next(k for k, t in enumerate(view.player.terms) if t.expression == fmt(t.value) != t.formula)
        view.player.seek(k + 1)
        view._show()
        term = view.player.current
        assert panel.plain.count(f"= {fmt(term.value)}") == 1, panel.plain
        assert f"{term.symbol} = {term.formula}" in panel.plain


async def test_c_cycles_the_diagram_through_auto_compact_and_full_with_one_message():
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        view = await open_page(pilot, "xor")
        diagram = view.query_one("NetworkDiagram")
        assert (diagram.compact, diagram.mode) == (None, "full")
        modes = []
        for _ in range(3):
            await pilot.press("c")
            await pilot.pause()
            modes.append((diagram.compact, diagram.mode))
        assert modes == [(True, "compact"), (False, "full"), (None, "full")]
        await pilot.pause()
        # each press replaces the page's message: one on screen, the last, not three stacked
        assert toasts_on_screen(app) == ["Diagram: the view that fits (auto)."]


# -- progress -----------------------------------------------------------------------------------


async def test_resuming_after_a_restart_returns_to_the_same_page_step_and_pattern():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_page(pilot, "xor")
        await pilot.press("p", "right", "right", "right")
        await pilot.press("q")
    saved = json.loads(Progress().path.read_text(encoding="utf-8"))
    assert saved["last"] == {"lesson": "basics", "page": PAGE["xor"], "step": 3}

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#lessons")
        assert options.get_option_at_index(0).id == "continue"
        await pilot.press("c")
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        assert app.screen.page_index == PAGE["xor"]
        assert (view.pattern, view.player.position) == (1, 3)


async def test_pages_are_done_when_read_stepped_through_or_answered_and_the_list_shows_it():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_page(pilot, "text")
        await pilot.press("pagedown")
        await pilot.pause()
        await pilot.press("u")
        await pilot.press("escape")
        await pilot.pause()
        status = app.progress.lesson_status("basics", 7)
        assert status.pages_done == 2 and status.state == "in_progress"
        options = app.screen.query_one("#lessons")
        assert "page 2 of 7" in plain(options.get_option("lesson:basics").prompt)


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'{"version":1,"x":' + b"[" * 1000 + b"]" * 1000 + b"}", b'{"version":1,"x":' + b"7" * 5000 + b"}"],
    ids=["not-json", "nested-1000-deep", "5000-digit-integer"],
)
async def test_a_damaged_progress_file_is_set_aside_with_one_message(content):
    path = Progress().path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    app = make_app()
    shown = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert len(shown) == 1 and "damaged" in shown[0]
        await open_page(pilot, "text")
        await pilot.press("escape")
        await pilot.pause()
        assert len(shown) == 1  # said once, not again on returning home
    assert list(path.parent.glob("progress.json.damaged-*"))


# -- broken lessons -----------------------------------------------------------------------------


BROKEN_LESSON = """[lesson]
id = "broken"
title = "Broken"
summary = "Has a typo."
titel = "oops"

[[pages]]
kind = "text"
title = "A page"
text = "Text."
"""

BAD_NETWORK_LESSON = """[lesson]
id = "bad-net"
title = "A bad network"
summary = "Its network file has a problem."

[[pages]]
kind = "trace"
title = "Refused"
network = "bad.toml"
"""

BAD_NETWORK = """name = "bad"
[[layers]]
name = "input"
size = 1
[[layers]]
name = "output"
size = 1
activation = "sigmoidd"
[[patterns]]
input = [1]
target = [1]
"""


async def test_a_broken_lesson_is_listed_with_its_file_and_line_as_validate_reports_it(tmp_path):
    (tmp_path / "broken.toml").write_text(BROKEN_LESSON, encoding="utf-8")
    validate = subprocess.run(
        [sys.executable, "-m", "tutor", "validate", str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert validate.returncode == 1
    line = validate.stdout.splitlines()[0]
    assert line.startswith(f"{tmp_path / 'broken.toml'}:5: ")

    app = make_app(lesson_dirs=[tmp_path])
    shown = record_notifications(app)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#lessons")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["lesson:basics", "lesson:second", "problem:0", "quiz", "help"]
        options.highlighted = ids.index("problem:0")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert line in shown[-1]


async def test_a_page_whose_network_has_a_problem_is_refused_with_file_and_line(tmp_path):
    (tmp_path / "lesson.toml").write_text(BAD_NETWORK_LESSON, encoding="utf-8")
    (tmp_path / "bad.toml").write_text(BAD_NETWORK, encoding="utf-8")
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(140, 30)) as pilot:
        app.open_lesson("bad-net", 0)
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        assert type(view).__name__ == "ProblemsView"
        lines = [str(p) for p in view.problems]
        assert f"{tmp_path / 'lesson.toml'}:9: network file 'bad.toml' has problems (listed with its name)" in lines
        assert any(line.startswith(f"{tmp_path / 'bad.toml'}:8: ") for line in lines)


LONG_STREAM_LESSON = """[lesson]
id = "long"
title = "A long stream"
summary = "An unroll page on a sequence of 60 steps."

[[pages]]
kind = "unroll"
title = "Unrolled"
network = "stream.toml"
focus = "hidden_context[0][0]"
"""


def long_stream_network(steps: int) -> str:
    """The tiny SRN (one unit a layer) on a sequence of `steps` steps, its error going back one step."""
    inputs = ", ".join(f"[{k % 2}]" for k in range(steps))
    targets = ", ".join(f"[{(k + 1) % 2}]" for k in range(steps))
    return f"""name = "stream"
[[layers]]
name = "input"
size = 1
[[layers]]
name = "hidden"
size = 1
activation = "sigmoid"
context = true
[[layers]]
name = "output"
size = 1
activation = "sigmoid"
[loss]
kind = "half_sse"
[training]
bptt_steps = 1
[[sequences]]
inputs = [{inputs}]
targets = [{targets}]
"""


def write_long_stream(folder, steps: int) -> None:
    (folder / "lesson.toml").write_text(LONG_STREAM_LESSON, encoding="utf-8")
    (folder / "stream.toml").write_text(long_stream_network(steps), encoding="utf-8")


async def test_an_unroll_page_on_a_long_sequence_traces_its_first_steps_and_says_so(tmp_path):
    from engine.kinds import MAX_TRACE_STEPS

    write_long_stream(tmp_path, MAX_TRACE_STEPS + 10)
    validate = subprocess.run(
        [sys.executable, "-m", "tutor", "validate", str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert validate.returncode == 0, validate.stdout
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_lesson("long", 0)
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        assert len(view.player.trace.inputs) == MAX_TRACE_STEPS
        note = view.query_one("#steps-note")
        assert note.display
        assert f"Time steps 1–{MAX_TRACE_STEPS} of this sequence's {MAX_TRACE_STEPS + 10}" in str(note.render())
        await pilot.press("u")
        assert view.player.at_end


async def test_a_big_trace_is_built_in_a_thread_while_the_page_says_so(tmp_path, held_traces):
    write_long_stream(tmp_path, 60)  # its page has a focus weight: opening it leaves the chain to the thread too
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_lesson("long", 0)
        await pilot.pause()
        await pilot.pause()
        view, bar = app.screen.view, app.screen.query_one("TopBar")
        assert view.player is None and bar.status == "building the trace of 50 time steps…"
        assert held_traces.in_app_thread == []  # opening the page traced nothing in the app's thread
        assert "Building the trace" in view.query_one("EquationPanel").plain
        await pilot.press("right", "space")  # they rest until the trace is there
        held_traces.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.player is not None and bar.status.startswith("step 0/")
        assert "Press → to compute the first term" in view.query_one("EquationPanel").plain
        await pilot.press("right")
        assert view.player.position == 1


# -- training -----------------------------------------------------------------------------------


async def test_a_train_page_trains_in_a_worker_and_shows_what_the_units_compute():
    app = make_app()
    stopped = []
    async with app.run_test(size=(120, 36), message_hook=lambda m: stopped.append(m)) as pilot:
        view = await open_page(pilot, "train")
        await pilot.press("minus", "minus", "minus", "minus")  # the slowest speed: 30 epochs a second
        await pilot.press("plus", "plus", "plus", "plus")  # as fast as it goes
        await pilot.press("space")
        await settle(pilot, lambda: any(isinstance(m, TrainStopped) for m in stopped))
        await pilot.pause()
        assert view.reached_ecrit
        assert view.losses[-1] < 0.04 < view.losses[0]
        assert {"XOR"} <= {name.split("≈ ")[1] for name in view.analysis.functions}
        assert len(view.analysis.outputs) == 4
        assert app.progress.lesson_status("basics", 7).pages_done == 1
        await pilot.press("n")
        assert view.seed == 2 and view.losses == []
        await pilot.press("s")
        await settle(pilot, lambda: bool(view.losses), tries=100, every=0.02)
        assert len(view.losses) == 1
        await pilot.press("r")  # starts again from the weights n drew (issue 18)
        assert view.seed == 2 and view.losses == []


DIVERGING_LESSON = """
[lesson]
id = "too-fast"
title = "Too large a learning rate"
summary = "A linear unit overshoots until its weights overflow."

[[pages]]
kind = "train"
title = "Overshoot"
network = "delta_linear.toml"
epochs = 2000
[pages.start]
learning_rate = 50.0
"""


async def test_a_train_page_whose_training_diverges_says_so_and_starts_again_on_r(tmp_path):
    (tmp_path / "lesson.toml").write_text(DIVERGING_LESSON, encoding="utf-8")
    app = make_app(lesson_dirs=[tmp_path])
    stopped = []
    async with app.run_test(size=(120, 36), message_hook=lambda m: stopped.append(m)) as pilot:
        app.open_lesson("too-fast", 0)
        await pilot.pause()
        view = app.screen.view
        await pilot.press("plus", "plus", "plus", "plus", "space")
        await settle(pilot, lambda: any(isinstance(m, TrainStopped) for m in stopped))
        await pilot.pause()
        assert view.diverged and not view.running
        assert view.losses and all(math.isfinite(loss) for loss in view.losses)
        assert view.verdict()[0].startswith("diverged")
        await pilot.press("space")  # refused: there is nothing left to train
        assert not view.running
        await pilot.press("r")
        assert not view.diverged and view.losses == []


# -- help, the palette, sizes, quiz mode ----------------------------------------------------------


async def test_help_lists_every_key_of_the_page_and_the_colours():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_page(pilot, "xor")
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = plain(app.screen.query_one("#help-keys").content)
        for binding in type(view).BINDINGS:
            if binding.action.startswith("step_time("):
                continue  # time steps: unroll pages only (below)
            assert (binding.tooltip or binding.description) in help_text, binding
        assert "the term just computed" in plain(app.screen.query_one("#help-colours").content)
        parts = plain(app.screen.query_one("#help-components").content)
        for widget in ("The network diagram", "The equation panel", "The table of values"):  # the .md beside each
            assert parts.count(widget) == 1, widget
        for group in ("On this page (stepping through the trace)", "In a lesson", "Everywhere"):  # HELP_WHERE
            assert group in help_text, group
        await pilot.press("escape")
        assert app.screen.view is view
        await pilot.press("escape")
        await pilot.pause()
        await open_page(pilot, "unroll")
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = plain(app.screen.query_one("#help-keys").content)
        assert "Take back the last time step" in help_text and "Compute the rest of the time step" in help_text


async def test_help_on_the_home_screen_lists_bptutors_keys_not_textuals_defaults():
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = plain(app.screen.query_one("#help-keys").content)
        assert "Open" in help_text and "Continue" in help_text and "Quiz mode" in help_text
        for noise in ("Scroll Left", "Page Left", "Copy selected text", "Focus Next"):
            assert noise not in help_text
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Help") == 1 and "Keys" not in titles  # one help in the palette


async def test_the_palette_opens_a_lesson_and_runs_the_pages_actions():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"second lesson")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.lesson.id == "second"
        app.open_lesson("basics", PAGE["xor"])
        await pilot.pause()
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.press(*"end of the backward")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.view
        assert view.player.terms[view.player.position].phase == "update"


async def test_a_terminal_too_small_says_so():
    app = make_app()
    async with app.run_test(size=(50, 14)) as pilot:
        await pilot.pause()
        message = app.screen.query_one("TooSmall")
        assert message.display
        assert "50×14" in str(message.render())
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not message.display


async def test_keys_rest_behind_the_too_small_message_and_work_again_after_it():
    """Textual takes the focus from the hidden widgets; growing back gives it to the same widget."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        await pilot.press("c", "z", "question_mark")  # nothing opens behind the message
        assert type(app.screen).__name__ == "HomeScreen"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.focused is app.screen.query_one("#lessons")
        await pilot.press("down")
        assert app.focused.highlighted == 1

        view = await open_page(pilot, "trace")
        diagram = view.query_one("#diagram")
        assert app.focused is diagram
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        await pilot.press("right", "pagedown", "question_mark")
        assert view.player.position == 0 and app.screen.page_index == PAGE["trace"]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.focused is diagram
        await pilot.press("right")
        assert view.player.position == 1
        assert "trace.step" in {active.binding.id for active in app.screen.active_bindings.values()}


async def test_quiz_mode_says_when_the_terminal_is_too_small_and_keeps_its_keyboard():
    app = make_app(start_in_quiz=True, quiz_lesson="basics")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        focused = app.focused
        assert focused is not None
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        assert app.screen.query_one("TooSmall").display
        await pilot.press("escape")  # rests behind the message
        assert type(app.screen).__name__ == "QuizScreen"
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.focused is focused


async def test_a_quiz_page_asks_its_questions_and_saves_the_score():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_page(pilot, "quiz")
        assert type(app.focused).__name__ == "ChoiceList"  # the first question's choices have the keyboard
        await pilot.press("enter")  # nothing chosen yet: a stray enter answers nothing
        await pilot.pause()
        assert view.scores == {}
        await pilot.press("down", "enter")  # "True": right
        await pilot.pause()
        assert view.scores == {0: 1.0}
        assert app.screen.query_one("TopBar").status == "1/1 answered · score 100% · ctrl+r try again"
        assert app.progress.quiz_result("basics", PAGE["quiz"]).best == 1.0
        assert PAGE["quiz"] in app.progress.data["lessons"]["basics"]["pages_done"]
        await pilot.press("pageup")  # the choices have the keyboard, and still the page turns
        await pilot.pause()
        assert app.screen.page_index == PAGE["quiz"] - 1


async def test_quiz_mode_opens_straight_away_when_asked():
    app = make_app(start_in_quiz=True, quiz_lesson="basics")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "QuizScreen"
        assert app.screen.session.count == 1  # the one question of the lesson "basics"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


async def test_quiz_mode_answers_show_as_mastery_on_the_home_list_without_starting_the_lesson():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        view = app.screen.query_one("QuestionView")
        view.query_one("#choices").highlighted = 0  # "True": right
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        lessons = app.screen.query_one("#lessons")
        row = plain(lessons.get_option("lesson:basics").prompt)
        assert "not started · quiz 1/1 tried · mastery 100%" in row
        assert "page 1 of" not in row
        assert "quiz" not in plain(lessons.get_option("lesson:second").prompt)  # no quiz questions, none shown


def test_the_app_with_no_arguments_lists_the_bundled_lessons(monkeypatch):
    monkeypatch.setattr("tutor.lessons.discover.bundled_dir", bundled_dir)  # the real bundled folder again
    app = BPTutorApp()
    assert "tour" in [lesson.id for lesson in app.found.lessons]
    assert not app.found.problems


def test_home_numbers_lessons_as_the_course_does():
    """The tour (order 0) and lessons without an order get a bullet; the others their own number."""
    from rich.console import Console

    from tests.conftest import ROOT
    from tutor.lessons import load_lesson
    from tutor.progress import Status
    from tutor.screens.home import _lesson_prompt

    lessons = [load_lesson(path) for path in sorted((ROOT / "lessons").glob("*.toml"))]
    status = Status("not_started", 0, 1, 0, None)
    console = Console(width=80, record=True)
    for lesson in lessons:
        console.print(_lesson_prompt(lesson, status))
    lines = [line.strip() for line in console.export_text().splitlines() if line.strip()]
    assert lines[0].startswith("• A tour of bptutor")
    assert any(line.startswith("1. Why hidden units?") for line in lines)
    assert any(line.startswith("2. Gradient descent") for line in lines)  # before credit assignment
    assert any(line.startswith("4. Delta rule and Hebb rule") for line in lines)  # right after credit assignment
    assert any(line.startswith("12. Unrolling in time") for line in lines)


async def test_g_checks_the_pages_gradients_by_finite_differences():
    app = make_app()
    shown = record_notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "xor")
        before = {key: value.copy() for key, value in view.net.params.items()}
        await pilot.press("g")
        assert "Checking every ∂E/∂w by finite differences…" in shown

        def table():  # the check's table, shown in the app over the page (issue 18)
            found = app.screen.query("#gradcheck")
            return plain(found.first().content) if found else ""

        await settle(pilot, lambda: "Backprop" in table(), tries=100)
        assert table().startswith("Backprop is right: each of the 9 ∂E/∂w"), table()
        for key, value in before.items():  # checked on a copy: the page's own network is untouched
            assert (view.net.params[key] == value).all()
