"""The learning lab's speed, as ratios against references measured in the same run.

    python bench/bench_lab.py [--runs 5] [--seconds 3] [--repeats 3] [--what-ifs 20] [--only surface,training,what-if]

1. One decision-surface frame at 60×30 cells (3,600 points: one batched forward pass, then the
   half-block drawing) against bptutor's start-up time (bench_app.py's measurement: process start to
   the first screen ready, in a 120×36 pseudo-terminal). Goal: under 1/40 of start-up.
2. Training speed on XOR's train page at full speed, in the app (headless, 120×36), with the
   decision surface shown, with the hidden-unit space shown, and without the lab panels (the same
   page with them left out), runs interleaved. Goal: a panel costs at most 25 % of the epochs a second.
3. What-if on a trace page of a 2-2-1 (xor.toml) and of an 8-3-8 network (encoder_838.toml): from enter
   on a weight's new value to the frame that shows the whole pass computed again (bench_app.py's
   pseudo-terminal child), median over the values. Goal: under 1/20 of start-up.

Absolute times are printed for context only: the machines here are shared and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_app import NETWORKS, page_latencies, ratio_line, startup  # noqa: E402
from bench.timing import best_of  # noqa: E402

LESSON = """
[lesson]
id = "bench-lab"
title = "Training speed"
summary = "One train page."

[[pages]]
kind = "train"
title = "XOR at full speed"
network = "xor.toml"
epochs = 100000
ecrit = 0
"""


def surface_frame() -> float:
    """Best time of one 60×30-cell frame of the output's surface, patterns marked."""
    from engine import surface as surfaces
    from engine.netfile import load_network
    from tutor.widgets.surface_art import cell_rows, framed, pattern_marks

    net = load_network(ROOT / "lessons" / "networks" / "xor.toml")

    def frame() -> None:
        found = surfaces.compute(net, 60, 60)
        marks = pattern_marks(found.x, found.y, net.inputs, net.targets)
        framed(cell_rows(found.output, found.span(), marks), found.x, found.y)

    return best_of(20, frame)[0]


async def epochs_per_second(lesson_dir: Path, seconds: float, view: str) -> float:
    """Epochs a second on the page with no lab panel, its surface shown, or its hidden-unit space shown."""
    import tutor.screens.lesson.train as train_page
    from tutor.app import BPTutorApp

    original = train_page.lab_panels
    train_page.lab_panels = (lambda net, page: []) if view == "none" else original
    try:
        app = BPTutorApp(lesson_dirs=[lesson_dir])
        app.animation_level = "none"
        async with app.run_test(size=(120, 36)) as pilot:
            app.open_lesson("bench-lab", 0)
            await pilot.pause(0.3)
            page = app.screen.view
            assert bool(page.query("SurfacePanel")) == (view != "none")
            if view == "hidden space":
                await pilot.press("l")
                assert page.query_one("HiddenSpacePanel").display
            page.speed = len(train_page.SPEEDS) - 1  # as fast as the machine goes
            await pilot.press("space")
            await pilot.pause(0.5)  # past the first frames
            first, start = len(page.losses), time.perf_counter()
            await pilot.pause(seconds)
            done, elapsed = len(page.losses) - first, time.perf_counter() - start
            await pilot.press("space")
            await pilot.pause(0.2)
        return done / elapsed
    finally:
        train_page.lab_panels = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="start-up runs (default 5)")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds of training timed per run (default 3)")
    parser.add_argument("--repeats", type=int, default=3, help="training runs with and without the panel (default 3)")
    parser.add_argument("--what-ifs", type=int, default=20, help="what-if values timed on each network (default 20)")
    parser.add_argument("--only", default="surface,training,what-if", help="the parts to run, comma-separated")
    args = parser.parse_args()
    parts = set(args.only.split(","))

    start_up = statistics.median(startup(args.runs)["tutor"])
    print(f"bptutor start-up (median of {args.runs}): {start_up:.3f} s")
    if "surface" in parts:
        frame = surface_frame()
        print(
            f"One surface frame, 60×30 cells (3,600 points): {frame * 1000:.2f} ms = 1/{start_up / frame:.0f} "
            "of start-up (goal: under 1/40)"
        )
    if "training" in parts:
        training_speed(args)
    if "what-if" in parts:
        print(f"What-if, enter on a weight's new value to the recomputed screen (median of {args.what_ifs} values):")
        for name, latencies in page_latencies("what_if", args.what_ifs).items():
            print(ratio_line(f"{name} ({NETWORKS[name]})", latencies, start_up, 20))


def training_speed(args) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "bench.toml").write_text(LESSON, encoding="utf-8")
        rates: dict[str, list[float]] = {"none": [], "surface": [], "hidden space": []}
        for _ in range(args.repeats):
            for view in rates:
                rates[view].append(asyncio.run(epochs_per_second(Path(folder), args.seconds, view)))
    median = {view: statistics.median(values) for view, values in rates.items()}
    print(f"XOR training at full speed, median of {args.repeats} runs of {args.seconds:g} s (headless app, 120×36):")
    print(f"  without the lab panels: {median['none']:,.0f} epochs/s")
    for view in ("surface", "hidden space"):
        print(
            f"  with the {view} shown: {median[view]:,.0f} epochs/s, ratio {median[view] / median['none']:.2f} "
            "(goal: at least 0.75)"
        )


if __name__ == "__main__":
    main()
