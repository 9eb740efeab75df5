"""The command line's subcommands (`bptutor trace`, `train`, `validate`, `lessons`, the app): what each
does once parser.py has parsed its arguments. Textual's command palette, which Textual apps call
"commands", is tutor/palette.py."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from engine.tomlfile import FileProblems, Problem
from tutor.cli.jsonout import print_json


def report(problems: list[Problem], stream=None) -> None:
    stream = stream or sys.stderr
    for problem in problems:
        print(problem, file=stream)


def _load(path: str, seed: int | None = None):
    from engine.netfile import load_network

    return load_network(path, seed=seed)


def trace_command(args: argparse.Namespace) -> int:
    from engine.kinds import kind_of
    from tutor.worked_example import trace_markdown

    try:
        net = _load(args.network)
    except FileProblems as err:
        report(err.problems)
        return 1
    kind = kind_of(net)
    if kind.recurrent and args.batch:
        print(
            f"bptutor trace: --batch is for feed-forward networks; {args.network} is recurrent, and the trace "
            "of a sequence already sums its gradients over the steps (choose the sequence with --pattern)",
            file=sys.stderr,
        )
        return 2
    count = kind.count
    if not args.batch and not 0 <= args.pattern < count:
        has = f"1 {kind.example} (0)" if count == 1 else f"{count} {kind.example}s (0 to {count - 1})"
        print(f"{args.network}: --pattern {args.pattern} does not exist: the file has {has}", file=sys.stderr)
        return 1
    try:
        pattern = None if args.batch else args.pattern
        steps = kind.traced_steps(args.pattern, args.steps)
        if args.steps is None and steps is not None and steps < kind.length(args.pattern):
            print(
                f"{args.network}: tracing the first {steps} of the sequence's {kind.length(args.pattern)} steps "
                "(use --steps N to choose)",
                file=sys.stderr,
            )
        trace = kind.trace(pattern, args.notation, steps)
    except KeyError as err:
        print(f"bptutor trace: {err.args[0]}", file=sys.stderr)
        return 2
    chains = []
    for weight in args.weight:
        try:
            chains.append(trace.chain(_connection_named(trace, weight)))
        except (KeyError, ValueError) as err:
            print(f"{args.network}: {err.args[0]}", file=sys.stderr)
            return 1
    check = None
    if args.check:
        check = kind.check_gradients(pattern, steps)
    if args.json:
        data = trace.to_json()
        if check is not None:
            from engine.gradcheck import rows

            data["gradient_check"] = {
                "h": check.h,
                "max_abs_error": check.max_abs_error,
                "max_rel_error": check.max_rel_error,
                "agrees": check.ok(),
                "weights": [{"weight": w, "backprop": a, "finite_difference": n} for w, a, n in rows(check)],
            }
        if chains:
            data["chains"] = [
                {
                    "weight": c.weight,
                    "symbol": c.symbol,
                    "value": c.total.value,
                    "terms": [t.to_json() for t in c.terms()],
                }
                for c in chains
            ]
        print_json(data)
        return 0
    text = trace_markdown(trace, chains)
    if check is not None:
        text += check_markdown(check)
    if sys.stdout.isatty() and not args.md:
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)
    return 0


CHECK_ROWS = 40  # weights listed in the Markdown check; the rest are summed up in a line


def _connection_named(trace, name: str) -> str:
    """A weight named as the table of values and the lessons name it (w1, w_h1,o1) as <layer>[to][from]."""
    from engine.what_if import weight_named

    weight = weight_named(trace.net, trace.notation, name)
    return name if weight is None else weight.connection


def check_markdown(check) -> str:
    """The gradient check as a Markdown section: a verdict, then backprop beside finite differences."""
    from engine.gradcheck import rows
    from engine.numbers import fmt

    listed = rows(check)
    verdict = "they agree" if check.ok() else "they DISAGREE: backprop is wrong here"
    lines = [
        "",
        "## Gradient check",
        "",
        f"Each ∂E/∂w of the backward pass beside (E(w + h) − E(w − h)) / 2h with h = {check.h:g}: "
        f"the largest difference is {fmt(check.max_abs_error, 2)} ({fmt(check.max_rel_error, 2)} relative), "
        f"so {verdict}.",
        "",
        "| weight | backprop ∂E/∂w | finite difference | difference |",
        "|---|---:|---:|---:|",
    ]
    for weight, analytic, numeric in listed[:CHECK_ROWS]:
        lines.append(f"| {weight} | {fmt(analytic)} | {fmt(numeric)} | {fmt(abs(analytic - numeric), 2)} |")
    if len(listed) > CHECK_ROWS:
        lines.append(f"| … {len(listed) - CHECK_ROWS} more weights | | | |")
    return "\n".join(lines) + "\n"


def train_command(args: argparse.Namespace) -> int:
    from engine.kinds import train

    try:
        net = _load(args.network, seed=args.seed)
    except FileProblems as err:
        report(err.problems)
        return 1
    epochs = args.epochs or net.training.epochs
    ecrit = args.ecrit if args.ecrit is not None else net.training.ecrit
    if sys.stdout.isatty() and not args.json:
        result = _train_with_progress(net, epochs, ecrit)
    else:
        result = train(net, epochs, ecrit, _progress_lines(epochs))
    if result.diverged:
        report_diverged(args.network, net, result)
    if args.json:
        data = {
            "epochs": result.epochs,
            "loss_history": result.loss_history,
            "final_loss": result.final_loss,
            "weights": {key: value.tolist() for key, value in net.params.items()},
            "stopped_early": result.stopped_early,
            "diverged": result.diverged,
            "ecrit": ecrit,
            "seed": net.training.seed,
        }
        if not result.diverged:
            data.update(_position_errors(net))
        print_json(data)
    elif not result.diverged:
        _print_training_summary(net, result, ecrit)
    return 1 if result.diverged else 0


def report_diverged(path: str, net, result) -> None:
    print(
        f"{path}: training diverged at epoch {result.epochs}: the loss grew too large to compute "
        f"(learning_rate = {net.training.learning_rate:g} is too large for this network; try a smaller one)",
        file=sys.stderr,
    )


def _position_errors(net) -> dict:
    """Per-position errors after training (recurrent networks): on the test stream if the file has
    one, else on each sequence. Nothing for a feed-forward network."""
    from engine.kinds import kind_of

    kind = kind_of(net)
    stream = kind.stream_errors()
    if stream is not None:
        return {
            "position_errors": stream.errors,
            "position_labels": stream.labels,
            "position_kinds": stream.kinds,
            "mean_error_by_kind": stream.mean_by_kind,
            "by_kind": stream.mean_by_kind,  # the documented name (docs/network-format.md); the line above is kept
        }
    sequences = kind.sequence_errors()
    return {} if sequences is None else {"position_errors": [errors.tolist() for errors in sequences]}


PROGRESS_EVERY = 5.0  # seconds between progress lines on stderr when the output is not a terminal


def _every_few_seconds(name: str, every: float | None = None, clock=time.monotonic):
    """A function say(what) that writes "name: what() (12 s)" to stderr when `every` seconds (PROGRESS_EVERY
    if not given) have passed since the last line: a long run piped or redirected says it is working, a
    short one stays silent. `what` is called only when a line is due."""
    every = PROGRESS_EVERY if every is None else every
    started = last = clock()

    def say(what) -> None:
        nonlocal last
        now = clock()
        if now - last >= every:
            last = now
            print(f"{name}: {what()} ({now - started:.0f} s)", file=sys.stderr, flush=True)

    return say


@contextmanager
def _progress_while(name: str, what, every: float | None = None):
    """Progress lines as `_every_few_seconds` writes them, from a background thread while the block runs,
    so that one long step (a lesson's --numbers check) is covered too. `what` must be cheap and safe to
    call from another thread (it reads a counter)."""
    every = PROGRESS_EVERY if every is None else every
    say = _every_few_seconds(name, every)
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(max(every / 5, 0.01)):
            say(what)

    thread = threading.Thread(target=tick, name=f"{name} progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _progress_lines(epochs: int, every: float | None = None, clock=time.monotonic):
    """An on_epoch callback that writes "train: epoch 120/3000, tss 12.3 (5 s)" to stderr every few seconds."""
    from engine.numbers import fmt

    say = _every_few_seconds("train", every, clock)

    def on_epoch(epoch: int, loss: float) -> None:
        say(lambda: f"epoch {epoch}/{epochs}, tss {fmt(loss)}")

    return on_epoch


def _train_with_progress(net, epochs: int, ecrit: float | None):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from engine.kinds import train

    columns = (
        TextColumn("[bold]epoch"),
        MofNCompleteColumn(),
        BarColumn(),
        TextColumn("tss {task.fields[loss]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("train", total=epochs, loss="…")

        def on_epoch(epoch: int, loss: float) -> None:
            if epoch % 10 == 0 or epoch == epochs:
                progress.update(task, completed=epoch, loss=f"{loss:.6g}")

        return train(net, epochs, ecrit, on_epoch)


def _print_training_summary(net, result, ecrit: float | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from engine.kinds import kind_of
    from engine.numbers import fmt

    console = Console(highlight=False)
    start = result.loss_history[0] if result.loss_history else float("nan")
    if result.stopped_early:
        verdict = f"reached tss < ecrit = {fmt(ecrit)} at epoch {result.epochs}"
    elif ecrit is not None:
        verdict = f"did not reach ecrit = {fmt(ecrit)} in {result.epochs} epochs (it may be stuck: try another --seed)"
    else:
        verdict = f"ran {result.epochs} epochs"
    console.print(f"[bold]{net.name}[/]: {verdict}.")
    console.print(f"tss after epoch 1: {fmt(start)}   final tss: {fmt(result.final_loss)}")
    kind = kind_of(net)
    stream = kind.stream_errors()
    if stream is not None:
        table = Table("what comes next", "mean error per position", title="On a fresh test stream")
        for what, error in stream.mean_by_kind.items():
            table.add_row(what, fmt(error, 3))
        console.print(table)
    rows = kind.outputs()
    if rows:
        table = Table("pattern", "input", "target", "output", title="After training")
        for p, row in enumerate(rows):
            table.add_row(
                str(p),
                " ".join(fmt(x) for x in row.inputs),
                " ".join(fmt(x) for x in row.targets),
                " ".join(fmt(x, 3) for x in row.outputs),
            )
        console.print(table)


def validate_command(args: argparse.Namespace, extra_dirs: list[Path]) -> int:
    from tutor.lessons.validate import validate_paths

    counted = {"done": 0, "total": 0}

    def on_file(done: int, total: int) -> None:
        counted.update(done=done, total=total)

    with _progress_while("validate", lambda: f"{counted['done']}/{counted['total']} files"):
        problems, checked = validate_paths(
            [Path(p) for p in args.paths], numbers=getattr(args, "numbers", False), on_file=on_file
        )
    report(problems, sys.stdout)
    if problems:
        where = {problem.file for problem in problems}
        print(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {len(where)} "
            f"file{'s' if len(where) != 1 else ''} ({checked} checked).",
            file=sys.stderr,
        )
        return 1
    print(f"{checked} file{'s' if checked != 1 else ''} checked: no problems.", file=sys.stderr)
    return 0


def lessons_command(extra_dirs: list[Path]) -> int:
    from tutor.lessons import discover_lessons

    found = discover_lessons(extra_dirs)
    report(found.problems)
    width = max((len(lesson.id) for lesson in found.lessons), default=0)
    for lesson in found.lessons:
        print(f"{lesson.id:<{width}}  {lesson.title}")
    return 1 if found.problems else 0


def app_command(extra_dirs: list[Path], quiz: bool = False, lesson: str | None = None, due: bool = False) -> int:
    from tutor.progress import today_problem

    if today_problem():
        print(f"bptutor: {today_problem()}", file=sys.stderr)
        return 2
    if lesson is not None:
        from tutor.lessons import discover_lessons

        found = discover_lessons(extra_dirs)
        if found.get(lesson) is None:
            known = ", ".join(each.id for each in found.lessons)
            print(f"bptutor quiz: no lesson '{lesson}' (the lessons are: {known})", file=sys.stderr)
            return 2
    from tutor.app import BPTutorApp
    from tutor.plain_text import fit_screen

    fit_screen()
    app = BPTutorApp(lesson_dirs=extra_dirs, start_in_quiz=quiz, quiz_lesson=lesson, quiz_due=due)
    app.run()
    return app.return_code or 0
