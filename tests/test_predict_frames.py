"""Issue 13's latency goal for the predict box, behind the timings of bench/bench_app.py (no timings here): opening
the box and judging an answer each change the page in one turn, so that the screen draws them in one frame.

Before, the focus moved a turn later, the footer's keys after the next frame, and the verdict reached the page as
a message a turn later still; and the box grew and shrank by a row, fitting the diagram again each time. Here each
is checked right after the key's own call, with no pause in between, and the layout after the frames are drawn.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from tests.app_support import footer_keys, make_app, open_page, settle, test_lessons  # noqa: F401 (a fixture)
from tests.test_responsiveness import layouts
from tutor.app import BPTutorApp
from tutor.widgets.predict import PredictBox, PredictInput

SIZE = (120, 36)


async def trace_page(pilot):
    view = await open_page(pilot, "trace")
    box = view.query_one(PredictBox)
    await settle(pilot, lambda: not any(w.group == "predict" and w.is_running for w in box.workers))
    view.take_focus()
    await pilot.pause()
    return view, box


def verdict(view) -> str:
    return str(view.query_one("#predict-verdict", Static).render())


async def test_opening_and_judging_change_focus_footer_and_page_in_the_keys_own_turn(test_lessons):  # noqa: F811
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await trace_page(pilot)
        diagram, answer, player = view.query_one("#diagram"), view.query_one(PredictInput), view.player
        stepping = footer_keys(app.screen)
        assert "→" in stepping and "q Quit" in stepping
        term = player.terms[player.position]
        laid = layouts(app.screen)

        view.action_predict()  # what = does, with no turn for the app to run after it
        assert box.asking and box.term is term and app.focused is answer
        asking = footer_keys(app.screen)  # the keys that type went with the focus, in the same turn
        assert "→" not in asking and "q Quit" not in asking and "pgdn" in asking
        assert diagram.state.current.units == frozenset(term.units)  # lit before the answer
        await pilot.pause()
        assert app.focused is answer and footer_keys(app.screen) == asking  # nothing left to change a turn later

        answer.value = f"{term.value:.6f}"
        box.check(answer.value)  # what enter in the answer line does, again with no turn after it
        assert player.current is term and verdict(view).startswith("✓ Right") and not box.asking
        assert app.focused is diagram and footer_keys(app.screen) == stepping
        assert app.progress.predictions() == {term.kind: (1, 1)}
        await pilot.pause()
        assert app.focused is diagram and footer_keys(app.screen) == stepping
        assert layouts(app.screen) == laid + 2  # the footer laid its keys out once for each change


async def test_enter_judges_what_was_typed_before_it(test_lessons):  # noqa: F811
    """Enter in the answer line is judged as the answer line receives it (the Input's own enter would post Submitted,
    handled a turn later), in turn after the keys typed before it; a text that is not a number keeps the box open."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await trace_page(pilot)
        before = view.player.position
        await pilot.press("equals_sign", *"about", "enter")
        await pilot.pause()
        assert box.asking and verdict(view).startswith("Not a number") and view.player.position == before
        assert view.query_one(PredictInput).value == "about" and app.focused is view.query_one(PredictInput)
        await pilot.press("ctrl+a", "ctrl+k", *"0.5", "enter")
        await pilot.pause()
        assert not box.asking and view.player.position == before + 1
        assert verdict(view).startswith(("✓", "✗")) and app.focused is view.query_one("#diagram")


async def test_the_box_keeps_its_rows_so_the_diagram_keeps_its_place(test_lessons):  # noqa: F811
    """Asking (the ask, the answer line, a row for hints) and the verdict (what was predicted, the verdict) take the
    same rows: after the box first opens, judging and opening again leave the diagram where it is."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await trace_page(pilot)
        diagram = view.query_one("#diagram")
        await pilot.press("equals_sign")
        await pilot.pause()
        asked = (diagram.region, box.region)
        assert box.asking and box.region.height == 5
        for answer in ("0.5", "0.25", "-1"):
            await pilot.press(*answer, "enter")
            await pilot.pause()
            assert not box.asking and box.display and (diagram.region, box.region) == asked
            await pilot.press("equals_sign")
            await pilot.pause()
            assert box.asking and (diagram.region, box.region) == asked


async def test_the_verdict_colours_the_box_and_asking_again_clears_it(test_lessons):  # noqa: F811
    """Only the box is styled again for its verdict: its border takes the colour, the answer line inside keeps its
    own styles."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await trace_page(pilot)
        term = view.player.terms[view.player.position]
        warning = box.styles.border.top[1]
        await pilot.press("equals_sign")
        await pilot.pause()
        view.query_one(PredictInput).value = f"{term.value:.6f}"
        await pilot.press("enter")
        await pilot.pause()
        right = box.styles.border.top[1]
        assert box.has_class("-right") and not box.has_class("-wrong") and right.g > right.r  # green
        await pilot.press("equals_sign")
        await pilot.pause()
        assert not box.has_class("-right") and box.styles.border.top[1] == warning
        await pilot.press(*"12345", "enter")
        await pilot.pause()
        wrong = box.styles.border.top[1]
        assert box.has_class("-wrong") and wrong.r > wrong.g and len({warning, right, wrong}) == 3  # red


class FramesCounted(BPTutorApp):
    """The app, counting the frames it draws (the updates its screen sends to the terminal; headless too)."""

    frames = 0

    def _display(self, screen, renderable) -> None:
        super()._display(screen, renderable)
        if renderable is not None:
            self.frames += 1


async def drawn(pilot, *keys: str) -> int:
    """The frames drawn for `keys`, once the screen has settled."""
    app = pilot.app
    before = app.frames
    await pilot.press(*keys)
    for _ in range(3):
        await pilot.pause(0.05)
    return app.frames - before


async def test_once_open_the_box_opens_and_judges_in_one_frame_each(test_lessons):  # noqa: F811
    """The box opened before (as in a session of predictions) opens again, and judges, in a single frame each:
    nothing is left for a frame after it (the focus, the footer's keys, the diagram fitted again)."""
    app = FramesCounted()
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        view, box = await trace_page(pilot)
        answer = view.query_one(PredictInput)
        answer.cursor_blink = False  # its own frames, twice a second
        assert await drawn(pilot, "equals_sign") >= 1  # the first opening lays the page out for the box
        await drawn(pilot, *"0.5")
        assert await drawn(pilot, "enter") == 1 and not box.asking
        for _ in range(2):
            assert await drawn(pilot, "equals_sign") == 1 and box.asking
            await drawn(pilot, *"0.25")
            assert await drawn(pilot, "enter") == 1 and not box.asking


async def test_enter_typed_right_after_the_answer_judges_the_answer(test_lessons):  # noqa: F811
    """Keys sent at once (a fast typist, a terminal sending a paste as keys): enter judges what was typed before it,
    not the answer line as it was when enter arrived at the app."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await trace_page(pilot)
        term = view.player.terms[view.player.position]
        await pilot.press("equals_sign")
        await pilot.pause()
        keys = [(("full_stop" if c == "." else "minus" if c == "-" else c), c) for c in f"{term.value:.6f}"]
        for key, character in [*keys, ("enter", "\r")]:
            app.post_message(events.Key(key, character))  # as the terminal sends them: no pause between them
        assert await settle(pilot, lambda: not box.asking)
        assert verdict(view).startswith("✓ Right") and view.player.current is term
        assert app.progress.predictions() == {term.kind: (1, 1)}
