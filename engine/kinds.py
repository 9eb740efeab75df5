"""A network kind — feed-forward or Elman (simple recurrent) — is one object with one interface:
trace, gradient check, training and total loss. Callers ask `kind_of(net)` instead of branching on
`net.is_recurrent`; this is the only module that does.

This module sits on top of the engine: it imports the feed-forward and recurrent halves, and
nothing below it imports it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine import analysis, gradcheck, recurrent, sequence_trace, trace, trace_builder
from engine import train as training
from engine.network import Network

MAX_TRACE_STEPS = 50
"""A recurrent trace of a longer sequence covers its first steps only (unroll pages, `bptutor trace`):
a long stream would give tens of thousands of terms, too many to build at once or to step through."""
MAX_STEP_WEIGHTS = 8000
"""Time steps × weights a page traces at most: about 1.3 terms each, so letters.toml (666 weights, 42,849 terms
and 20 s at 50 steps) gets 12 steps, ~10,000 terms, a few seconds (issue 17, item 7)."""


@dataclass
class StreamErrors:
    """The error at every position of a test stream, and its mean by kind of position."""

    errors: list[float]
    labels: list[str]
    kinds: list[str]
    mean_by_kind: dict[str, float]


@dataclass
class OutputRow:
    """One pattern of a feed-forward network after a forward pass."""

    inputs: list[float]
    targets: list[float]
    outputs: list[float]


@dataclass
class Analysis:
    """What a network computes now: its units' logical functions and its outputs (two-input
    feed-forward networks, up to OUTPUTS_UP_TO patterns), or its errors on a test stream (recurrent)."""

    functions: list[str] = field(default_factory=list)  # "h1 ≈ OR"
    outputs: list[OutputRow] = field(default_factory=list)
    stream: StreamErrors | None = None


OUTPUTS_UP_TO = 16  # patterns; a longer outputs table is too long to show


class FeedForward:
    recurrent = False
    example = "pattern"  # what one trace covers
    row = "pattern"  # what one row of `rows()` is
    page = "trace"  # the lesson page kind that steps through one example
    settings: tuple[str, ...] = ()  # training settings only this kind takes

    def __init__(self, net: Network):
        self.net = net

    def example_data(self, example: int) -> tuple[np.ndarray, np.ndarray]:
        """One example's inputs and targets, a row per time step (a pattern is one row)."""
        return self.net.inputs[example : example + 1], self.net.targets[example : example + 1]

    def set_example_data(self, example: int, inputs: np.ndarray, targets: np.ndarray) -> None:
        """Replace one example's inputs and targets (shaped as `example_data` gives them), on copies."""
        self.net.inputs, self.net.targets = self.net.inputs.copy(), self.net.targets.copy()
        self.net.inputs[example], self.net.targets[example] = inputs[0], targets[0]

    def rows(self, example: int) -> tuple[np.ndarray, np.ndarray]:
        """The inputs and targets a row number picks from: every pattern of the file."""
        return self.net.inputs, self.net.targets

    def describe_row(self, row: int, example: int) -> str:
        return f"of pattern {row}"

    def describe_rows(self, example: int) -> str:
        return f"it has {len(self.net.inputs)} patterns"

    @property
    def count(self) -> int:
        """How many examples (patterns) the network file gives."""
        return len(self.net.inputs)

    def length(self, pattern: int) -> int:
        """Time steps of one example: 1 for a pattern."""
        return 1

    def traced_steps(self, pattern: int, steps: int | None = None) -> int | None:
        return None

    def page_steps(self, pattern: int) -> int | None:
        """How many time steps of example `pattern` a lesson page traces, in the app and in `bptutor validate`
        alike: None, a pattern has no steps."""
        return None

    @property
    def weight_count(self) -> int:
        """How many weights and biases the network has."""
        return sum(array.size for array in self.net.params.values())

    def trace(self, pattern: int | None = 0, notation=None, steps: int | None = None) -> trace.Trace:
        """Trace one pattern (None: all of them, with one summed update) without changing the network."""
        return trace_builder.build_trace(self.net, pattern, notation)

    def check_gradients(self, pattern: int | None = None, steps: int | None = None) -> gradcheck.GradCheck:
        """Backprop against finite differences on what a trace of `pattern` shows (None: every pattern)."""
        return gradcheck.check_pattern_gradients(self.net, pattern)

    def train(self, epochs: int | None = None, ecrit: float | None = None, on_epoch: Callable | None = None):
        return training.train_patterns(self.net, epochs, ecrit, on_epoch)

    def total_loss(self) -> float:
        """The loss summed over every example (tss in the PDP programs)."""
        return self.net.forward(self.net.inputs, self.net.targets).loss

    def outputs(self) -> list[OutputRow]:
        record = self.net.forward(self.net.inputs, self.net.targets)
        return [
            OutputRow(x.tolist(), t.tolist(), a.tolist())
            for x, t, a in zip(self.net.inputs, self.net.targets, record.activation[-1], strict=True)
        ]

    def analyse(self) -> Analysis:
        net = self.net
        functions = []
        if net.layers[0].size == 2:
            functions = [
                f"{layer.label(j)} ≈ {name}"
                for layer in net.layers[1:]
                for j, name in enumerate(analysis.unit_functions(net, layer.name))
            ]
        return Analysis(functions, self.outputs() if self.count <= OUTPUTS_UP_TO else [])

    def stream_errors(self) -> StreamErrors | None:
        """Errors by position on a test stream: none for a feed-forward network."""
        return None

    def sequence_errors(self) -> list[np.ndarray] | None:
        """The error at each step of each sequence: none for a feed-forward network."""
        return None


class Elman(FeedForward):
    recurrent = True
    example = "sequence"
    row = "step"
    page = "unroll"
    settings = ("initial_context", "bptt_steps")

    def example_data(self, example: int) -> tuple[np.ndarray, np.ndarray]:
        return self.net.sequences[example]

    def set_example_data(self, example: int, inputs: np.ndarray, targets: np.ndarray) -> None:
        sequences = self.net.sequences
        self.net.sequences = [*sequences[:example], (inputs, targets), *sequences[example + 1 :]]

    def rows(self, example: int) -> tuple[np.ndarray, np.ndarray]:
        """The steps of sequence `example`; IndexError if there is no such sequence."""
        if not 0 <= example < self.count:
            raise IndexError(example)
        return self.net.sequences[example]

    def describe_row(self, row: int, example: int) -> str:
        return f"at step {row} of sequence {example}"

    def describe_rows(self, example: int) -> str:
        return f"sequence {example} has {len(self.net.sequences[example][0])} steps"

    @property
    def count(self) -> int:
        return len(self.net.sequences)

    def length(self, pattern: int) -> int:
        return len(self.net.sequences[pattern][0])

    def traced_steps(self, pattern: int, steps: int | None = None) -> int:
        """How many steps of sequence `pattern` a trace covers: `steps` if given, else at most MAX_TRACE_STEPS."""
        return min(self.length(pattern), MAX_TRACE_STEPS if steps is None else steps)

    def page_steps(self, pattern: int) -> int:
        """At most MAX_TRACE_STEPS of sequence `pattern`, and fewer for a network with so many weights that the
        trace would take long to build (MAX_STEP_WEIGHTS): what the page steps through is what validate checks."""
        return min(self.length(pattern), MAX_TRACE_STEPS, max(1, MAX_STEP_WEIGHTS // max(1, self.weight_count)))

    def trace(self, pattern: int | None = 0, notation=None, steps: int | None = None) -> trace.Trace:
        """Trace sequence `pattern` (its first `steps` steps; all of them if None) without changing the network."""
        return sequence_trace.build_sequence_trace(self.net, pattern or 0, notation, steps)

    def check_gradients(self, pattern: int | None = None, steps: int | None = None) -> gradcheck.GradCheck:
        return recurrent.check_sequence_gradients(self.net, pattern or 0, steps=steps)

    def train(self, epochs: int | None = None, ecrit: float | None = None, on_epoch: Callable | None = None):
        return recurrent.train_recurrent(self.net, epochs, ecrit, on_epoch)

    def total_loss(self) -> float:
        return recurrent.total_sequence_loss(self.net)

    def outputs(self) -> list[OutputRow]:
        return []

    def analyse(self) -> Analysis:
        return Analysis(stream=self.stream_errors())

    def stream_errors(self) -> StreamErrors | None:
        """Errors by position on the file's test stream after training (None without a [stream])."""
        stream = self.net.test_stream
        if stream is None:
            return None
        errors = [float(e) for e in recurrent.position_errors(self.net, stream.inputs, stream.targets)]
        picked: dict[str, list[float]] = {}
        for error, kind in zip(errors, stream.kinds, strict=True):
            picked.setdefault(kind, []).append(error)
        means = {kind: sum(e) / len(e) for kind, e in picked.items()}
        return StreamErrors(errors, list(stream.labels), list(stream.kinds), means)

    def sequence_errors(self) -> list[np.ndarray] | None:
        return [recurrent.position_errors(self.net, x, t) for x, t in self.net.sequences]


def kind_of(net: Network) -> FeedForward:
    """The network's kind: Elman if a layer has a context layer, else feed-forward."""
    return Elman(net) if net.is_recurrent else FeedForward(net)


def build_trace(net: Network, pattern: int | None = 0, notation=None, steps: int | None = None) -> trace.Trace:
    return kind_of(net).trace(pattern, notation, steps)


def train(net: Network, epochs: int | None = None, ecrit: float | None = None, on_epoch: Callable | None = None):
    """Train in place; see engine.train.train_patterns and engine.recurrent.train_recurrent."""
    return kind_of(net).train(epochs, ecrit, on_epoch)


def check_gradients(net: Network, pattern: int | None = None, steps: int | None = None) -> gradcheck.GradCheck:
    return kind_of(net).check_gradients(pattern, steps)


def total_loss(net: Network) -> float:
    return kind_of(net).total_loss()
