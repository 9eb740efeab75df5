"""The app's speed, as ratios against references measured in the same run.

    python bench/bench_app.py [--runs 9] [--steps 60] [--repeats 7] [--only steps,predict,quiz,train]

1. Start-up: from process start to the first screen ready (Textual's Ready event: the first frame
   is on the terminal), for a minimal Textual app (Header, a short Markdown, Footer) and for
   bptutor's home screen, each app exiting itself once ready. Runs alternate between the two; each
   app runs in a pseudo-terminal of 120×36, so the frames are really drawn and written. Goal: the
   ratio bptutor / minimal at most 1.3.
2. Step latency: on a trace page of a 2-2-1 (xor.toml) and of an 8-3-8 network (encoder_838.toml),
   the time from a step key to the frame that shows the step, median over many steps forward and
   back. Goal: under 1/20 of bptutor's own start-up time (its median, from part 1).
3. Predict latency: on the same pages, the time from `=` to the frame with the answer box open, and
   from enter (a typed prediction, drawn before enter is pressed) to the frame with the verdict and the term
   revealed, median over the terms, each to the screen settled (its footer too); the first opening on the page
   (it lays the page out for the box) is printed too. Goal: each under 1/20 of bptutor's start-up time.
4. Quiz mode: from `z` on the lesson list to the first question shown (goal: under 1/2 of start-up),
   and from enter on a typed answer (lesson 4's a*(1-a)) to the frame with its verdict and solution, and to
   the screen settled, the footer's keys changed too (goal: under 1/10).
5. Train pages: opening lesson 9's temporal XOR page and lesson 6's XOR page from the lesson list, the
   bundled pages (their text too) and the bench lesson's copies without text: to the first frame that
   shows the page or says it is opening, and to the page complete, its footer's keys too (goal: a page
   within 1/2 of start-up; anything longer shows that it is working, in its first frame); one epoch
   (`s`) of temporal XOR: its first frame, which says it is working (goal: under 1/10), and its result
   (longer than 1/2 of start-up: the page shows it is working).

Absolute times are printed for context only: the machines here are shared and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import fcntl
import json
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
COLUMNS, LINES = 120, 36
NETWORKS = {"2-2-1": "xor.toml", "8-3-8": "encoder_838.toml"}
LESSON = """
[lesson]
id = "bench"
title = "Step latency"
summary = "One trace page."

[[pages]]
kind = "trace"
title = "Stepping"
network = "{network}"
"""


# -- the child processes ------------------------------------------------------------------------


def report(data) -> None:
    Path(os.environ["BENCH_REPORT"]).write_text(json.dumps(data), encoding="utf-8")


def child_minimal() -> None:
    from textual.app import App
    from textual.widgets import Footer, Header, Markdown

    class Minimal(App):
        def compose(self):
            yield Header()
            yield Markdown("# Hello\n\nA *short* paragraph, and a list:\n\n- one\n- two\n")
            yield Footer()

        def on_ready(self) -> None:
            report(time.time())
            self.exit()

    Minimal().run()


def child_tutor() -> None:
    from tutor.app import BPTutorApp

    class Timed(BPTutorApp):
        def on_ready(self) -> None:
            report(time.time())
            self.exit()

    Timed().run()


def framed_app(measure):
    """bptutor, counting the frames it writes, running `measure(app)` once ready (on the bench lesson)."""
    from tutor.app import BPTutorApp

    class Framed(BPTutorApp):
        frames: ClassVar[list[float]] = []

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            if renderable is not None:
                self.frames.append(time.perf_counter())

        def on_ready(self) -> None:
            self.run_worker(measure(self))

        async def time_key(self, key: str) -> float:
            """Seconds from the key to the last frame it caused (frames stop for 50 ms)."""
            return await self.time_call(lambda: self.simulate_key(key))

        async def time_call(self, call, quiet: float = 0.05) -> float:
            """Seconds from `call()` to the last frame it caused (frames stop for `quiet` seconds)."""
            seen = len(self.frames)
            start = time.perf_counter()
            call()
            while len(self.frames) == seen or time.perf_counter() - self.frames[-1] < quiet:
                await asyncio.sleep(0.005)
            return self.frames[-1] - start

        async def quiet(self, seconds: float) -> None:
            """Wait until no frame has been drawn for `seconds`."""
            start = time.perf_counter()
            while time.perf_counter() - max(self.frames[-1] if self.frames else start, start) < seconds:
                await asyncio.sleep(0.005)

        async def time_shown_and_settled(self, key: str, shown) -> tuple[float, float]:
            """Seconds from the key to the first frame drawn once `shown()` is true, and to the last frame it caused
            (frames stop for 0.25 s: the footer's keys, drawn after, count)."""
            start = time.perf_counter()
            self.simulate_key(key)
            while not shown():
                await asyncio.sleep(0.001)
            seen = len(self.frames)
            while len(self.frames) == seen:
                await asyncio.sleep(0.001)
            first = self.frames[seen] - start
            while time.perf_counter() - self.frames[-1] < 0.25:
                await asyncio.sleep(0.005)
            return first, self.frames[-1] - start

        async def time_first_and_last(self, key: str, busy) -> tuple[float, float]:
            """Seconds from the key to its first frame, and to its last once `busy()` is false (frames stop 50 ms)."""
            seen = len(self.frames)
            start = time.perf_counter()
            self.simulate_key(key)
            while len(self.frames) == seen:
                await asyncio.sleep(0.002)
            first = self.frames[seen] - start
            while busy() or time.perf_counter() - self.frames[-1] < 0.05:
                await asyncio.sleep(0.005)
            return first, self.frames[-1] - start

    return Framed


async def open_bench_page(app):
    """Open the bench lesson's trace page; its TraceView once it is there, settled."""
    from tutor.screens.lesson.trace import TraceView

    app.open_lesson("bench", 0)
    while not app.screen.query(TraceView):
        await asyncio.sleep(0.02)
    view = app.screen.query_one(TraceView)
    # the checker's import (sympy, in the answer box's thread): started once the box is mounted, so wait for the
    # module itself (waiting only for running workers ended before the box had started its own)
    while "tutor.quiz.generate" not in sys.modules or any(w.group == "predict" and w.is_running for w in app.workers):
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.5)
    return view


def child_steps(lesson_dir: str, steps: int) -> None:
    """Open the bench lesson's trace page, then time `steps` step keys (forward, then back)."""

    async def measure(app) -> None:
        view = await open_bench_page(app)
        total = len(view.player.terms)
        latencies = []
        for n in range(steps):
            key = "right" if (n // total) % 2 == 0 else "left"
            latencies.append(await app.time_key(key))
        report(latencies)
        app.exit()

    framed_app(measure)(lesson_dirs=[lesson_dir]).run()


def child_predict(lesson_dir: str, count: int) -> None:
    """Open the bench lesson's trace page; `count` times: time `=` (the box opens), type, time enter (judged)."""

    async def measure(app) -> None:
        from tutor.widgets.predict import PredictInput

        view = await open_bench_page(app)
        opening, checking = [], []
        for _ in range(count):
            if view.player.at_end:
                view.action_reset()
                await asyncio.sleep(0.1)
            # to the screen settled: the footer's keys, changed after a pause, count (the cursor blinks at 0.5 s)
            opening.append(await app.time_call(lambda: app.simulate_key("equals_sign"), quiet=0.25))
            view.query_one(PredictInput).value = "0.5*0.3"
            # typed, and drawn, before enter (as a learner's typing is): its frame is not the answer's to wait for
            await app.quiet(0.25)
            checking.append(await app.time_call(lambda: app.simulate_key("enter"), quiet=0.25))
        report({"open": opening, "check": checking})
        app.exit()

    framed_app(measure)(lesson_dirs=[lesson_dir]).run()


def child_what_if(lesson_dir: str, count: int) -> None:
    """Open the bench lesson's trace page at the end of its forward pass, open what-if (w), then `count` times
    time enter on a new value of the first weight, to the frame that shows the pass computed again."""

    async def measure(app) -> None:
        from tutor.widgets.what_if import WhatIfInput

        view = await open_bench_page(app)
        await app.time_key("f")
        await app.time_key("w")
        latencies = []
        for n in range(count):
            view.query_one(WhatIfInput).value = f"{0.1 + 0.01 * n:.2f}"
            latencies.append(await app.time_key("enter"))
        assert len(view.changes) == 1, "the what-if did not take"
        report(latencies)
        app.exit()

    framed_app(measure)(lesson_dirs=[lesson_dir]).run()


QUIZ_LESSON = """
[lesson]
id = "bench-quiz"
title = "Answer latency"
summary = "One quiz question."

[[pages]]
kind = "quiz"
title = "Check yourself"

[[pages.questions]]
kind = "symbolic"
prompt = "A sigmoid unit has a = σ(n) = 1 / (1 + e^(−n)). Write da/dn, in terms of a (or of n)."
answer = "a*(1 - a)"
variables = ["a", "n"]
definitions = { a = "σ(n)" }
hint = ["Write a = (1 + e^(−n))^(−1) and differentiate with the chain rule."]
explanation = '''
da/dn = e^(−n) / (1 + e^(−n))² = a(1 − a), since 1 / (1 + e^(−n)) = a and e^(−n) / (1 + e^(−n)) =
1 − a. Any form equal to it is accepted.
'''
"""  # lesson 4's question (04_chain_rule.toml), the issue's "ordinary answer"


async def settled(app, screen_type) -> None:
    """Wait for a screen of `screen_type` on top, and for its frames to stop."""
    while not isinstance(app.screen, screen_type):
        await asyncio.sleep(0.02)
    await app.time_call(lambda: None, quiet=0.3)


def child_quiz(lesson_dir: str, count: int) -> None:
    """`count` times: time `z` on the home screen (quiz mode opens on every lesson), and back; then `count` times
    open quiz mode on the bench lesson's one question, type `a*(1-a)`, time enter (the verdict and solution)."""

    async def measure(app) -> None:
        from textual.widgets import Input

        from tutor.screens.home import HomeScreen
        from tutor.screens.quiz import QuizScreen

        await settled(app, HomeScreen)
        opening, answering, settling = [], [], []
        for _ in range(count):
            opening.append(await app.time_key("z"))
            app.pop_screen()
            await settled(app, HomeScreen)
        for _ in range(count):
            app.open_quiz("bench-quiz")
            await settled(app, QuizScreen)
            app.screen.query_one("#answer", Input).value = "a*(1-a)"
            shown, settled_at = await app.time_shown_and_settled(
                "enter", lambda: app.screen.query("#feedback .verdict")
            )
            answering.append(shown)
            settling.append(settled_at)
            assert "-right" in app.screen.query_one("#feedback").classes, "the answer was not judged right"
            app.pop_screen()
            await settled(app, HomeScreen)
        report({"open": opening, "answer": answering, "settled": settling})
        app.exit()

    framed_app(measure)(lesson_dirs=[lesson_dir]).run()


TRAIN_LESSON = """
[lesson]
id = "bench-train"
title = "Train page latency"
summary = "Train pages."

[[pages]]
kind = "train"
title = "Temporal XOR"
network = "temporal_xor_4.toml"
epochs = 30

[[pages]]
kind = "train"
title = "XOR"
network = "xor.toml"
epochs = 1000
"""  # lesson 9's temporal XOR page (09_structure_in_time.toml), and lesson 6's first, without their text
TRAIN_PAGES = {  # the pages opened: name, lesson id, page index
    "lesson 9's temporal XOR": ("structure-in-time", 4),
    "lesson 6's XOR": ("training-xor", 1),
    "temporal XOR without text": ("bench-train", 0),
    "XOR without text": ("bench-train", 1),
}


def child_train(lesson_dir: str, count: int) -> None:
    """`count` times each: open the train pages (TRAIN_PAGES) from the home screen, timing the first frame that shows
    the page and the page complete; then on temporal XOR time `s` (one epoch) to its first frame (the sign of work)
    and to the epoch's result."""

    async def measure(app) -> None:
        from tutor.screens.home import HomeScreen
        from tutor.screens.lesson import LessonScreen

        await settled(app, HomeScreen)
        opened: dict[str, dict[str, list[float]]] = {name: {"first": [], "complete": []} for name in TRAIN_PAGES}
        for _ in range(count):
            for name, (lesson, page) in TRAIN_PAGES.items():
                first, complete = await time_page(app, lesson, page)
                opened[name]["first"].append(first)
                opened[name]["complete"].append(complete)
                app.pop_screen()
                await settled(app, HomeScreen)
        app.open_lesson("bench-train", 0)
        await settled(app, LessonScreen)
        view = app.screen.view
        while view.opening:  # all there, so that `s` trains at once
            await asyncio.sleep(0.01)
        first, last = [], []
        for _ in range(count):
            sign, done = await app.time_first_and_last("s", lambda: view.running)
            first.append(sign)
            last.append(done)
        report({"open": opened, "epoch first frame": first, "epoch done": last})
        app.exit()

    framed = framed_app(measure)

    class PageFrames(framed):
        """The frames of a lesson screen with a page view in it (all there, or saying it is opening)."""

        page_frames: ClassVar[list[float]] = []

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            if renderable is not None and getattr(screen, "view", None) is not None:
                self.page_frames.append(self.frames[-1])

    PageFrames(lesson_dirs=[lesson_dir]).run()


async def time_page(app, lesson: str, page: int) -> tuple[float, float]:
    """Seconds from opening a lesson's page to the first frame that shows it (or says it is opening), and to the
    last frame once the page is all there (PageView.opening false; frames stop for 0.25 s: its parts are mounted
    and styled between two frames, which can be more than 50 ms apart)."""
    seen = len(app.page_frames)
    start = time.perf_counter()
    app.open_lesson(lesson, page)
    while len(app.page_frames) == seen:
        await asyncio.sleep(0.001)
    first = app.page_frames[seen] - start

    def opening() -> bool:
        view = getattr(app.screen, "view", None)
        return view is None or view.opening  # every page view says whether it is still opening (PageView.opening)

    while opening() or time.perf_counter() - app.frames[-1] < 0.25:
        await asyncio.sleep(0.005)
    return first, app.frames[-1] - start


# -- the parent ---------------------------------------------------------------------------------


KEEP = "lesson-cache.json"  # tutor/lessons/cache.py
_data: list[Path] = []  # the bench's data folder, made on first use by the parent, removed when it exits


def data_folder() -> Path:
    if not _data:
        _data.append(Path(tempfile.mkdtemp(prefix="bench-app-data-")))
        atexit.register(shutil.rmtree, _data[0], True)
    return _data[0]


def run_child(*args: str) -> tuple[float, object]:
    """Run this script as a child in a pseudo-terminal; (seconds from spawn to its report's time, report)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    handle, path = tempfile.mkstemp(prefix="bench-app-")
    os.close(handle)
    # A data folder of the bench's own: each child starts with nothing saved (a step saved at the end of the page
    # by an earlier run would leave → nothing to do, and the timing waiting for a frame), the learner's untouched;
    # the lesson cache stays, as it does for a learner after the first start (a cold cache parses every lesson).
    data = data_folder()
    for entry in data.iterdir():
        if entry.name != KEEP and entry.is_file():
            entry.unlink()
    env = dict(os.environ, BENCH_REPORT=path, TERM="xterm-256color", PYTHONPATH=str(ROOT), BPTUTOR_DATA_DIR=str(data))
    env.pop("TEXTUAL", None)
    start = time.time()
    command = [sys.executable, __file__, "--child", *args]
    child = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    try:
        while child.poll() is None:  # drain the terminal, as a terminal emulator would
            if select.select([master], [], [], 0.05)[0]:
                try:
                    os.read(master, 1 << 16)
                except OSError:
                    break
        child.wait(timeout=30)
    finally:
        os.close(master)
    text = Path(path).read_text(encoding="utf-8")
    os.unlink(path)
    if child.returncode != 0 or not text:
        raise RuntimeError(f"the child {' '.join(args)} failed (exit code {child.returncode})")
    data = json.loads(text)
    return (data - start if isinstance(data, float) else float("nan")), data


def startup(runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"minimal": [], "tutor": []}
    run_child("minimal")  # warm the file cache for both before timing
    run_child("tutor")
    for _ in range(runs):
        for which in times:
            times[which].append(run_child(which)[0])
    return times


def page_latencies(child: str, count: int) -> dict[str, object]:
    """Run a timing child ("steps", "predict" or "what_if") on the bench trace page of each network."""
    return {name: lesson_child(child, LESSON.format(network=network), count) for name, network in NETWORKS.items()}


def lesson_child(child: str, lesson: str, count: int) -> object:
    """Run a timing child with `lesson` (a lesson file's text) in a lesson folder of its own; its report."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "bench.toml").write_text(lesson, encoding="utf-8")
        return run_child(child, folder, str(count))[1]


def ratio_line(label: str, latencies: list[float], start_up: float, goal: int) -> str:
    """One timed entry: "  label: 12.3 ms = 1/79 of bptutor's start-up (goal: under 1/20)", of the median."""
    value = statistics.median(latencies)
    share = start_up / value
    return (
        f"  {label}: {value * 1000:.1f} ms = 1/{share:.{0 if share >= 10 else 1}f} of bptutor's start-up "
        f"(goal: under 1/{goal})"
    )


PARTS = ("steps", "predict", "quiz", "train")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="start-up runs of each app (default 9)")
    parser.add_argument("--steps", type=int, default=60, help="step keys timed on each network (default 60)")
    parser.add_argument("--repeats", type=int, default=7, help="quiz answers and page openings timed (default 7)")
    parser.add_argument("--only", default=",".join(PARTS), help="the parts after start-up, comma-separated")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        which, *rest = args.child
        children = {"minimal": child_minimal, "tutor": child_tutor}
        timed = {
            "steps": child_steps,
            "predict": child_predict,
            "what_if": child_what_if,
            "quiz": child_quiz,
            "train": child_train,
        }
        children.get(which, lambda: timed[which](rest[0], int(rest[1])))()
        return
    parts = set(args.only.split(","))

    run_child("tutor")  # untimed: fills the lesson cache, as a learner's first start does
    times = startup(args.runs)
    best = {k: min(v) for k, v in times.items()}
    median = {k: statistics.median(v) for k, v in times.items()}
    start_up = median["tutor"]
    print(f"Start-up, process start to first screen ready ({args.runs} runs each, interleaved, {COLUMNS}×{LINES} pty):")
    for which, name in (
        ("minimal", "minimal Textual app (Header, Markdown, Footer)"),
        ("tutor", "bptutor's home screen"),
    ):
        print(f"  {name:<48} best {best[which]:.3f} s  median {median[which]:.3f} s")
    print(
        f"  ratio bptutor / minimal: {median['tutor'] / median['minimal']:.2f} (medians), "
        f"{best['tutor'] / best['minimal']:.2f} (bests); goal ≤ 1.3"
    )
    if "steps" in parts:
        print(f"\nStep latency, step key to the updated screen (median of {args.steps} steps, forward and back):")
        for name, latencies in page_latencies("steps", args.steps).items():
            print(ratio_line(f"{name} ({NETWORKS[name]})", latencies, start_up, 20))
    if "predict" in parts:
        print(f"\nPredict latency: = to the open answer box, enter to the verdict (median of {args.steps // 3} terms):")
        for name, timed in page_latencies("predict", max(1, args.steps // 3)).items():
            for what, label in (("open", "open the box"), ("check", "check an answer")):
                print(ratio_line(f"{name} ({NETWORKS[name]}), {label}", timed[what], start_up, 20))
            first = timed["open"][0]
            print(f"    (the first opening on the page, which lays the page out for the box: {first * 1000:.0f} ms)")
    if "quiz" in parts:
        timed = lesson_child("quiz", QUIZ_LESSON, args.repeats)
        print(f"\nQuiz mode (median of {args.repeats}; the first opening {timed['open'][0] * 1000:.0f} ms):")
        print(ratio_line("z on the lesson list to the first question", timed["open"], start_up, 2))
        print(ratio_line("enter on a(1-a) to its verdict and solution", timed["answer"], start_up, 10))
        print(ratio_line("enter on a(1-a) to the screen settled (its keys too)", timed["settled"], start_up, 10))
    if "train" in parts:
        timed = lesson_child("train", TRAIN_LESSON, args.repeats)
        print(f"\nTrain pages (median of {args.repeats}), opened from the lesson list:")
        for name, times in timed["open"].items():
            print(ratio_line(f"{name}, the first frame (the page or its opening line)", times["first"], start_up, 2))
            print(ratio_line(f"{name}, the page complete (its keys too)", times["complete"], start_up, 2))
        print(
            ratio_line(
                "s on temporal XOR to the first frame (the sign of work)", timed["epoch first frame"], start_up, 10
            )
        )
        done = statistics.median(timed["epoch done"])
        print(
            f"  s on temporal XOR to the epoch's result: {done * 1000:.0f} ms (when over 1/2 of start-up: shows work)"
        )


if __name__ == "__main__":
    main()
