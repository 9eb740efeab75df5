"""Issue 17 item 7, the app's side: a big trace is built in a thread, capped, and left behind with its page.

letters.toml (6-20-6 with context units, 666 weights, a stream of 4000 letters) traced over 50 steps
has 42,849 terms and took ~20 s and 340 MB; an unroll page now traces at most MAX_STEP_WEIGHTS time
steps × weights of it, in the thread, and turning the page cancels the build.
"""

from __future__ import annotations

import threading
import time

from engine.kinds import MAX_STEP_WEIGHTS, MAX_TRACE_STEPS
from tests.app_support import make_app, settle
from tests.conftest import NETWORKS

LETTERS_LESSON = """[lesson]
id = "big"
title = "Letters, unrolled"
summary = "An unroll page on the bundled letters network."

[[pages]]
kind = "text"
title = "Before"
text = "The page before."

[[pages]]
kind = "unroll"
title = "Letters"
network = "letters.toml"
"""


def letters_lesson(folder) -> None:
    (folder / "lesson.toml").write_text(LETTERS_LESSON, encoding="utf-8")
    (folder / "letters.toml").write_text((NETWORKS / "letters.toml").read_text(encoding="utf-8"), encoding="utf-8")


async def test_letters_on_an_unroll_page_is_capped_built_in_the_thread_and_the_keys_answer_meanwhile(
    tmp_path, monkeypatch
):
    import engine.sequence_trace

    letters_lesson(tmp_path)
    # The build waits until the test has seen the page working: on a quiet machine it could
    # otherwise finish before the first look, and "meanwhile" would not be tested at all.
    release, build = threading.Event(), engine.sequence_trace.build_sequence_trace

    def held_build(*args, **kwargs):
        release.wait(20)
        return build(*args, **kwargs)

    monkeypatch.setattr(engine.sequence_trace, "build_sequence_trace", held_build)
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        started = time.perf_counter()
        app.open_lesson("big", 1)
        await pilot.pause()
        view = app.screen.view
        weights = sum(array.size for array in view.net.params.values())
        assert weights == 666
        steps = MAX_STEP_WEIGHTS // weights
        assert steps < MAX_TRACE_STEPS
        assert view.player is None  # building in the thread
        assert app.screen.query_one("TopBar").status == f"building the trace of {steps} time steps…"
        await pilot.press("t")  # the screen answers while the thread works
        await pilot.pause()
        assert view.player is None
        release.set()
        assert await settle(pilot, lambda: view.player is not None, tries=1200)
        built = time.perf_counter() - started
        assert len(view.player.trace.inputs) == steps
        assert len(view.player.terms) < 1.5 * MAX_STEP_WEIGHTS  # about 1.3 terms per step and weight
        note = str(view.query_one("#steps-note").render())
        assert f"Time steps 1–{steps} of this sequence's 4000" in note and "666 weights" in note
        print(f"letters: {steps} steps, {len(view.player.terms)} terms, ready after {built:.1f} s")
        await pilot.press("u")
        assert view.player.at_end


async def test_turning_the_page_cancels_the_build(tmp_path, monkeypatch):
    import engine.sequence_trace

    letters_lesson(tmp_path)
    release, build = threading.Event(), engine.sequence_trace.build_sequence_trace
    finished = threading.Event()

    def slow_build(*args, **kwargs):
        release.wait(20)
        try:
            return build(*args, **kwargs)
        finally:
            finished.set()

    monkeypatch.setattr(engine.sequence_trace, "build_sequence_trace", slow_build)
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_lesson("big", 1)
        await pilot.pause()
        view = app.screen.view
        workers = [worker for worker in app.workers if worker.group == "trace"]
        assert len(workers) == 1 and view.player is None
        await pilot.press("pageup")  # leave while it builds
        await pilot.pause()
        assert app.screen.page_index == 0
        assert workers[0].is_cancelled
        release.set()
        assert await settle(pilot, finished.is_set, tries=1200)
        await pilot.pause()
        assert view.player is None and not view.is_attached  # the finished build went nowhere
        assert app.screen.page_index == 0
