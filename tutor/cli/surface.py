"""`bptutor surface NET.toml`: what a two-input network computes over the input square, after
optional training, drawn in the terminal (or as JSON: shared/CONTRACTS.md §1)."""

from __future__ import annotations

import argparse
import sys

from tutor.cli.jsonout import print_json
from tutor.cli.run import _load, report, report_diverged

HIDDEN_THUMB = 21  # points across and up of each hidden unit's small surface in the terminal drawing


def parse_size(text: str) -> tuple[int, int]:
    """'WxH' as two whole numbers of grid points, each from 2 to 1000."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(part) for part in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH, two whole numbers like 41x41, got '{text}'") from None
    if not (2 <= width <= 1000 and 2 <= height <= 1000):
        raise argparse.ArgumentTypeError(f"each side is from 2 to 1000 points, got {width}x{height}")
    return width, height


def add_parser(sub, positive_int, seed) -> None:
    from engine.surface import DEFAULT_SIZE, DEFAULT_SPAN

    surface = sub.add_parser(
        "surface",
        help="draw what a two-input network computes over the input square",
        description="Draw the output unit's activation (and each hidden unit's) over the square "
        f"[{DEFAULT_SPAN[0]:g}, {DEFAULT_SPAN[1]:g}]² of a two-input network's inputs, after optional training: "
        "the decision surface. Every point comes from the engine's own forward pass. "
        "--json prints the grids: output[i][j] is the activation at (x[j], y[i]).",
    )
    surface.add_argument("network", metavar="NET.toml", help="a network file with two inputs")
    surface.add_argument(
        "--epochs",
        "-e",
        metavar="N",
        type=positive_int,
        default=None,
        help="train this many epochs first, as 'bptutor train' does (default: no training)",
    )
    surface.add_argument(
        "--seed",
        "-s",
        metavar="S",
        type=seed,
        default=None,
        help="random seed for the weights the file does not give (default: training.seed)",
    )
    surface.add_argument(
        "--size",
        metavar="WxH",
        type=parse_size,
        default=DEFAULT_SIZE,
        help=f"grid points across and up (default {DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]}: a step of .05)",
    )
    surface.add_argument("--json", action="store_true", help="print the grids as JSON (full precision)")


def surface_command(args: argparse.Namespace) -> int:
    from engine.kinds import train
    from engine.surface import check_two_inputs, compute
    from engine.tomlfile import FileProblems

    try:
        net = _load(args.network, seed=args.seed)
    except FileProblems as err:
        report(err.problems)
        return 1
    why = check_two_inputs(net)
    if why is not None:
        print(f"{args.network}: {why}", file=sys.stderr)
        return 1
    epochs = 0
    if args.epochs:
        result = train(net, args.epochs, net.training.ecrit)
        epochs = result.epochs
        if result.diverged:
            report_diverged(args.network, net, result)
            return 1
    width, height = args.size
    surface = compute(net, width, height)
    if args.json:
        data = {
            "network": net.name,
            "x": surface.x.tolist(),
            "y": surface.y.tolist(),
            "output": surface.output.tolist(),
            "hidden": {label: grid.tolist() for label, grid in surface.hidden.items()},
            "weights": {key: value.tolist() for key, value in net.params.items()},
            "epochs": epochs,
            "seed": net.training.seed,
        }
        if len(surface.outputs) > 1:
            data["outputs"] = {label: grid.tolist() for label, grid in surface.outputs.items()}
        print_json(data)
        return 0
    print_surface(net, surface, epochs)
    return 0


def print_surface(net, surface, epochs: int) -> None:
    """The output's surface with the patterns marked, a legend, and each hidden unit's surface below."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from engine.analysis import unit_functions
    from engine.surface import compute
    from tutor.widgets.surface_art import cell_rows, framed, legend, pattern_marks

    console = Console(highlight=False)
    color = console.color_system is not None and not console.no_color
    trained = f"after {epochs} epoch{'s' if epochs != 1 else ''}" if epochs else "untrained"
    console.print(Text.assemble((net.name, "bold"), f": {net.output.label(0)} over (x1, x2), {trained}"))
    marks = pattern_marks(surface.x, surface.y, net.inputs, net.targets)
    console.print(framed(cell_rows(surface.output, surface.span(), marks, color), surface.x, surface.y))
    console.print(Text.assemble(legend(surface.span(), color), ("digits: the patterns' targets", "dim")), no_wrap=True)
    if not surface.hidden:
        return
    thumbs = compute(net, HIDDEN_THUMB, HIDDEN_THUMB)
    names = {}
    for layer in net.layers[1:-1]:
        for unit, name in enumerate(unit_functions(net, layer.name)):
            names[layer.label(unit)] = name
    grid = Table.grid(padding=(0, 2))
    cells = []
    for label, values in thumbs.hidden.items():
        picture = Text(f"{label} ≈ {names[label]}\n", style="bold", no_wrap=True, overflow="ellipsis")
        picture.append_text(Text("\n").join(cell_rows(values, thumbs.span(label), None, color)))
        cells.append(picture)
    per_row = max(1, console.width // (HIDDEN_THUMB + 2))
    for start in range(0, len(cells), per_row):
        grid.add_row(*cells[start : start + per_row])
    console.print(Text("Each hidden unit over the same square", style="bold"))
    console.print(grid)
