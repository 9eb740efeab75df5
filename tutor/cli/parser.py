"""The `bptutor` command: the app by default, and trace / train / validate / lessons without a UI.

Exit codes: 0 success, 1 a problem in the user's files or answers, 2 bad command-line usage.
Heavy imports (NumPy, Textual) happen inside the command that needs them, so `--help` is instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tutor import __version__
from tutor.plain_text import fit_streams

LESSONS_ENV = "BPTUTOR_LESSONS"


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors that end in exit code 2 and a pointer to --help."""

    def error(self, message: str) -> None:  # pragma: no cover - exercised through main()
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\nTry '{self.prog} --help' for more.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bptutor",
        description="Learn backpropagation by stepping a real network through it, one term at a time.",
        epilog="Run 'bptutor' with no command to open the tutor. 'bptutor COMMAND --help' explains a command.",
    )
    parser.add_argument("--version", action="version", version=f"bptutor {__version__}")
    parser.add_argument(
        "--lessons",
        metavar="DIR",
        action="append",
        default=[],
        help=f"also load lessons from DIR (repeatable; also read from ${LESSONS_ENV}, separated by '{os.pathsep}')",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    quiz = sub.add_parser(
        "quiz", help="open the tutor straight in quiz mode", description="Open the tutor in quiz mode."
    )
    quiz.add_argument("--lesson", metavar="ID", help="quiz on this lesson only (see 'bptutor lessons')")
    quiz.add_argument(
        "--due",
        action="store_true",
        help="the questions due for review today (spaced review; $BPTUTOR_TODAY=YYYY-MM-DD fixes today)",
    )

    sub.add_parser(
        "lessons",
        help="list the lessons (id and title), one a line",
        description="List the lessons, one a line: id, then title.",
    )

    trace = sub.add_parser(
        "trace",
        help="print one forward pass, backward pass and update, term by term",
        description="Print one forward pass, backward pass and weight update of a network, term by term: "
        "the formula, the numbers put in and the result (a Markdown table; --json for machines).",
    )
    trace.add_argument("network", metavar="NET.toml", help="a network file (see docs/network-format.md)")
    trace.add_argument(
        "--pattern",
        "-p",
        metavar="K",
        type=int,
        default=0,
        help="which pattern (or sequence) to trace, counting from 0 (default 0)",
    )
    trace.add_argument("--batch", action="store_true", help="trace all patterns at once, with one summed update")
    trace.add_argument(
        "--steps",
        metavar="N",
        type=_positive_int,
        default=None,
        help="recurrent networks: trace only the first N steps of the sequence (default: all of them, up to 50)",
    )
    trace.add_argument(
        "--weight",
        "-w",
        metavar="W",
        action="append",
        default=[],
        help="also expand this weight's gradient into its chain-rule factors, "
        "e.g. 'hidden[0][1]' (to unit 0 from unit 1) or 'output_bias[0]', or by the name the table of values "
        "gives it (w1)",
    )
    trace.add_argument(
        "--notation",
        "-n",
        metavar="NAME",
        default=None,
        help="symbols to use: pdp (n, a, E, ε; the default), zy, eh or xa",
    )
    trace.add_argument(
        "--check",
        action="store_true",
        help="also check every ∂E/∂w of the backward pass against finite differences, (E(w+h) − E(w−h)) / 2h",
    )
    form = trace.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON (full precision)")
    form.add_argument("--md", action="store_true", help="print Markdown even on a terminal")

    train = sub.add_parser(
        "train",
        help="train a network without the UI",
        description="Train a network headless. Shows a progress bar on a terminal; --json prints the result.",
    )
    train.add_argument("network", metavar="NET.toml", help="a network file")
    train.add_argument(
        "--epochs",
        "-e",
        metavar="N",
        type=_positive_int,
        default=None,
        help="epochs to run (default: training.epochs in the file, or 300)",
    )
    train.add_argument(
        "--seed",
        "-s",
        metavar="S",
        type=_seed,
        default=None,
        help="random seed for the weights the file does not give (default: training.seed)",
    )
    train.add_argument(
        "--ecrit",
        metavar="X",
        type=_non_negative_float,
        default=None,
        help="stop once the summed loss (tss) falls below X (default: training.ecrit, if any)",
    )
    train.add_argument("--json", action="store_true", help="print the result as JSON")

    from tutor.cli.surface import add_parser as add_surface_parser

    add_surface_parser(sub, _positive_int, _seed)

    validate = sub.add_parser(
        "validate",
        help="check lesson and network files",
        description="Check lesson and network files (or folders of them). Prints one line per problem, "
        "FILE:LINE: message, and exits 1 if there are any.",
    )
    validate.add_argument("paths", metavar="PATH", nargs="+", help="files or folders to check")
    validate.add_argument(
        "--numbers",
        action="store_true",
        help="also require every decimal number a lesson's text writes to be declared in its [[values]] "
        "(so that it is checked against the engine)",
    )
    _add_classroom_commands(sub)
    return parser


def _add_classroom_commands(sub) -> None:
    """`progress` and `serve`: the learner's record, and the tutor in a class's browsers."""
    progress = sub.add_parser(
        "progress",
        help="print the learner's record (lessons, pages done, quiz mastery)",
        description="Print the learner's record: each lesson's state, pages done and quiz mastery "
        "(see docs/progress.md; --json for machines). The record lives in $BPTUTOR_DATA_DIR if set.",
    )
    progress.add_argument(
        "--import",
        dest="import_file",
        metavar="FILE",
        help='first merge a downloaded record ("Download my progress") into this one; a bad file changes nothing',
    )
    progress.add_argument("--json", action="store_true", help="print JSON")

    serve = sub.add_parser(
        "serve",
        help="serve the tutor to a class's browsers (needs: pip install 'bptutor[serve]')",
        description="Serve the tutor to web browsers with textual-serve: every visitor gets their own tutor "
        "and a fresh record (see docs/serving.md).",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--max-sessions",
        metavar="N",
        type=_positive_int,
        default=None,
        help="learners at once; further visitors are told the class is full (default: 4 × cores)",
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        default=None,
        help="the address browsers use to reach this server, if not the one they asked (e.g. behind a proxy)",
    )


SERVE_INSTALL = "pip install 'bptutor[serve]'"


def serve_command(args: argparse.Namespace, extra_dirs: list[Path]) -> int:
    import importlib.util

    if importlib.util.find_spec("textual_serve") is None:
        print(f"bptutor serve needs textual-serve, which is not installed. Install it with:\n{SERVE_INSTALL}")
        return 2
    from tutor.serve import serve

    return serve(extra_dirs, args.host, args.port, args.max_sessions, args.public_url)


def _ranged(convert, what: str, low, high=None):
    """An argparse type: the text converted (`int`, `float`) and kept within [low, high], or a message
    saying what form is expected. `high` may be a function, so a bound from the engine is imported only
    when an argument is read (`--help` stays instant)."""

    def read(text: str):
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got '{text}'") from None
        top = high() if callable(high) else high
        if not (value >= low and (top is None or value <= top)):
            expected = f"{what} ≥ {low}" if top is None else f"{what} from {low} to {top}"
            raise argparse.ArgumentTypeError(f"expected {expected}, got {value}")
        return value

    return read


def _max_seed() -> int:
    from engine.netfile import MAX_SEED

    return MAX_SEED


_positive_int = _ranged(int, "a whole number", 1)
_seed = _ranged(int, "a whole number", 0, _max_seed)
_non_negative_float = _ranged(float, "a number", 0)


def lesson_dirs(args: argparse.Namespace) -> list[Path]:
    """Extra lesson folders from --lessons and the environment variable, in that order."""
    from_env = [p for p in os.environ.get(LESSONS_ENV, "").split(os.pathsep) if p]
    return [Path(p) for p in [*args.lessons, *from_env]]


def main(argv: list[str] | None = None) -> int:
    fit_streams()  # a terminal or pipe that cannot take UTF-8 gets plain ASCII forms, not a traceback
    args = build_parser().parse_args(argv)
    try:
        if args.command == "trace":
            from tutor.cli.run import trace_command

            return trace_command(args)
        if args.command == "train":
            from tutor.cli.run import train_command

            return train_command(args)
        if args.command == "surface":
            from tutor.cli.surface import surface_command

            return surface_command(args)
        if args.command == "validate":
            from tutor.cli.run import validate_command

            return validate_command(args, lesson_dirs(args))
        if args.command == "serve":
            return serve_command(args, lesson_dirs(args))
        if args.command == "progress":
            from tutor.lessons import discover_lessons
            from tutor.record import progress_command

            return progress_command(args.import_file, args.json, discover_lessons(lesson_dirs(args)))
        if args.command == "lessons":
            from tutor.cli.run import lessons_command

            return lessons_command(lesson_dirs(args))
        from tutor.cli.run import app_command

        return app_command(
            lesson_dirs(args),
            quiz=args.command == "quiz",
            lesson=getattr(args, "lesson", None),
            due=getattr(args, "due", False),
        )
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `bptutor trace ... | head`): not an error of ours.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
