"""Network files (TOML; the format is docs/network-format.md): read, check every field, build a Network.

`check_network_file` returns every problem as (file, line, message); `load_network` raises
FileProblems carrying them. Nothing in a file is executed.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from engine.activations import ACTIVATIONS
from engine.checks import Checks
from engine.losses import LOSSES, cross_entropy_pairing
from engine.network import Layer, Network, Training
from engine.tomlfile import FileProblems, Locator, Problem, read_toml

TOP_KEYS = {
    "name",
    "description",
    "layers",
    "loss",
    "training",
    "weights",
    "weight_names",
    "patterns",
    "sequences",
    "stream",
}
STREAM_KEYS = {"task", "length", "seed", "test_length", "test_seed"}
LAYER_KEYS = {"name", "size", "activation", "bias", "context", "labels"}
UPDATES_FEEDFORWARD = ("pattern", "batch")
UPDATES_RECURRENT = ("sequence", "pattern", "batch", "step")  # "pattern" means one sequence
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
MAX_UNITS = 1000  # a layer larger than this is no network to step through by hand (and could exhaust memory)
MAX_MAGNITUDE = 1e6  # inputs, targets and weights beyond this overflow the arithmetic long before they teach anything
_WEIGHT_NAME = re.compile(r"^\S{1,16}$")
MAX_SEED = 2**32 - 1  # NumPy's seeds are whole numbers from 0; this range is more than any lesson needs
MAX_LEARNING_RATE = 1000.0  # far beyond any rate that learns; larger ones only overflow
MAX_EPOCHS = 100_000  # `train` runs every epoch: more would keep it busy for minutes
MAX_WEIGHTS = 2_000  # a trace shows a term per weight: about 2 s and 100 MB for `trace` at this size (docs)
MAX_PATTERNS = 500  # [[patterns]] or [[sequences]]: validate reads each, train steps through each every epoch
MAX_STREAM_STEPS = 10_000  # [stream] length: the bundled ones use up to 4,000 steps


class _Checker(Checks):
    """Walks the parsed document, recording problems with their lines (engine.checks)."""

    def __init__(self, file: str, data: dict[str, Any], where: Locator):
        super().__init__(file, where)
        self.data = data
        self.shapes_unknown = False  # a layer's size, bias or context is wrong: array shapes cannot be checked

    def table(self, path: tuple, value: Any) -> dict:
        if not isinstance(value, dict):
            self.problem(path, f"'{_dotted(path)}' should be a table, like [{_dotted(path)}]")
            return {}
        return value

    def unknown_keys(self, path: tuple, table: dict, allowed: set[str], hint: str = "") -> None:
        for key in table:
            if key not in allowed:
                choices = ", ".join(sorted(allowed))
                self.problem((*path, key), f"unknown key '{key}'{hint} (expected one of: {choices})")

    def number(
        self,
        path: tuple,
        value: Any,
        low: float | None = None,
        high: float | None = None,
        integer: bool = False,
        below_high: bool = False,
    ) -> float | None:
        name = _dotted(path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            kind = "a whole number" if integer else "a number"
            self.problem(path, f"'{name}' should be {kind}, got {_show(value)}")
            return None
        if integer and not isinstance(value, int):
            self.problem(path, f"'{name}' should be a whole number, got {_show(value)}")
            return None
        if not math.isfinite(value):
            self.problem(path, f"'{name}' should be a finite number, got {_show(value)}")
            return None
        if low is not None and value < low:
            self.problem(path, f"'{name}' should be at least {low:g}, got {_show(value)}")
            return None
        if high is not None and (value >= high if below_high else value > high):
            bound = "below" if below_high else "at most"
            self.problem(path, f"'{name}' should be {bound} {high:g}, got {_show(value)}")
            return None
        return value

    def choice(self, path: tuple, value: Any, choices: tuple[str, ...] | list[str]) -> str | None:
        if not isinstance(value, str) or value not in choices:
            self.problem(path, f"unknown {path[-1]} {_show(value)} (expected one of: {', '.join(choices)})")
            return None
        return value

    def flag(self, path: tuple, value: Any) -> bool:
        if not isinstance(value, bool):
            self.problem(path, f"'{_dotted(path)}' should be true or false, got {_show(value)}")
            return False
        return value

    def matrix(self, path: tuple, value: Any, shape: tuple[int, ...], what: str) -> np.ndarray | None:
        """A nested list of numbers of exactly this shape, or a problem naming the first flaw."""
        if not _check_shape(self, path, value, shape, what):
            return None
        return np.array(value, dtype=float).reshape(shape)


def _check_shape(c: _Checker, path: tuple, value: Any, shape: tuple[int, ...], what: str) -> bool:
    if not shape:
        return c.number(path, value) is not None
    if not isinstance(value, list):
        c.problem(
            path, f"{what} should be a list of {shape[0]} {'rows' if len(shape) > 1 else 'numbers'}, got {_show(value)}"
        )
        return False
    if len(value) != shape[0]:
        expected = " × ".join(str(s) for s in shape)
        c.problem(
            path,
            f"{what} has {_count(len(value), 'row' if len(shape) > 1 else 'value')}, expected {shape[0]} "
            f"(shape {expected})",
        )
        return False
    ok = True
    for index, item in enumerate(value):
        if len(shape) > 1:
            ok &= _check_shape(c, (*path, index), item, shape[1:], f"row {index + 1} of {what}")
        elif c.number((*path, index), item, low=-MAX_MAGNITUDE, high=MAX_MAGNITUDE) is None:
            ok = False
    return ok


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path if not isinstance(p, int)) or "file"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _layers(c: _Checker) -> list[Layer]:
    raw = c.data.get("layers")
    if raw is None:
        c.problem(("layers",), "no [[layers]]: a network needs at least an input and an output layer")
        return []
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        c.problem(("layers",), "'layers' should be a list of [[layers]] tables")
        return []
    if len(raw) < 2:
        c.problem(("layers",), f"only {len(raw)} layer: a network needs at least an input and an output layer")
    layers: list[Layer] = []
    seen: set[str] = set()
    for index, spec in enumerate(raw):
        path = ("layers", index)
        c.unknown_keys(path, spec, LAYER_KEYS, f" in layer {index + 1}")
        name = spec.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            c.problem(
                (*path, "name"),
                f"layer {index + 1} needs a name of letters, digits and _ (starting with a letter), got {_show(name)}",
            )
            name = f"layer{index + 1}"
        elif name in seen:
            c.problem((*path, "name"), f"two layers are named '{name}'")
        seen.add(name)
        if "size" in spec:
            size = c.number((*path, "size"), spec["size"], low=1, high=MAX_UNITS, integer=True)
        else:
            c.problem(path, f"layer {index + 1} ('{name}') needs a size: its number of units")
            size = None
        first, last = index == 0, index == len(raw) - 1
        activation = spec.get("activation")
        if first:
            if activation is not None:
                c.problem((*path, "activation"), "the input layer has no activation function: remove it")
            activation = None
        elif activation is None:
            activation = "sigmoid"
        else:
            activation = c.choice((*path, "activation"), activation, list(ACTIVATIONS)) or "sigmoid"
        bias = c.flag((*path, "bias"), spec.get("bias", False))
        if first and bias:
            c.problem((*path, "bias"), "the input layer takes no bias: put bias = true on the layers it feeds")
        context = c.flag((*path, "context"), spec.get("context", False))
        if context and (first or last):
            which = "input" if first else "output"
            c.problem(
                (*path, "context"), f"the {which} layer cannot have context units: put context = true on a hidden layer"
            )
            context = False
            c.shapes_unknown = True  # recurrent or not is unclear: its patterns or sequences wait for the fix
        labels = spec.get("labels", [])
        if labels and (not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels)):
            c.problem((*path, "labels"), "'labels' should be a list of names, one per unit")
            labels = []
        elif labels and size is not None and len(labels) != size:
            c.problem((*path, "labels"), f"{len(labels)} labels for a layer of {size} units")
            labels = []
        if size is None or not all(isinstance(spec.get(key, False), bool) for key in ("bias", "context")):
            c.shapes_unknown = True
        layers.append(Layer(name, int(size or 1), activation, bias and not first, context, list(labels)))
    if sum(layer.context for layer in layers) > 1:
        c.problem(("layers",), "only one layer may have context units")
    recurrent = any(layer.context for layer in layers)
    for index, layer in enumerate(layers[1:-1], start=1):
        if recurrent and not ACTIVATIONS[layer.activation].elementwise:
            c.problem(
                ("layers", index, "activation"),
                f"in a recurrent network only the output layer can be softmax, not '{layer.name}': use sigmoid or tanh",
            )
    _check_param_names(c, layers)
    return layers


def _check_param_names(c: _Checker, layers: list[Layer]) -> None:
    """A layer named like another layer's bias or context weights ('hidden_bias') would share their key."""
    owners = {}
    for layer in layers[1:]:
        if layer.bias:
            owners[f"{layer.name}_bias"] = f"the bias weights of layer '{layer.name}'"
        if layer.context:
            owners[f"{layer.name}_context"] = f"the context weights of layer '{layer.name}'"
    for index, layer in enumerate(layers):
        if layer.name in owners:
            c.shapes_unknown = True
            c.problem(
                ("layers", index, "name"),
                f"a layer cannot be named '{layer.name}': that name belongs to {owners[layer.name]}",
            )


def _loss(c: _Checker, layers: list[Layer]) -> str:
    spec = c.table(("loss",), c.data.get("loss", {"kind": "half_sse"}))
    c.unknown_keys(("loss",), spec, {"kind"})
    kind = c.choice(("loss", "kind"), spec.get("kind", "half_sse"), list(LOSSES)) or "half_sse"
    if kind == "cross_entropy" and layers and not LOSSES["cross_entropy"].fuses_with(layers[-1].activation):
        # the activations cross-entropy can follow, softmax (the usual pairing) first
        paired = " or ".join(sorted((name for name, fn in ACTIVATIONS.items() if fn.cross_entropy), reverse=True))
        c.problem(
            ("loss", "kind"),
            f"cross_entropy needs {paired} output units, but '{layers[-1].name}' is {layers[-1].activation}",
        )
    return kind


def _training(c: _Checker, layers: list[Layer], recurrent: bool) -> Training:
    spec = c.table(("training",), c.data.get("training", {}))
    defaults = Training(update="sequence" if recurrent else "pattern")
    allowed = {"learning_rate", "momentum", "update", "seed", "weight_range", "epochs", "ecrit", "order", "rule"}
    if recurrent:
        allowed |= {"initial_context", "bptt_steps"}
    hint = "" if recurrent else " (initial_context and bptt_steps need a layer with context = true)"
    for key in spec:
        if key not in allowed:
            c.problem(
                ("training", key),
                f"unknown key '{key}' in [training]"
                f"{hint if key in ('initial_context', 'bptt_steps') else ''}"
                f" (expected one of: {', '.join(sorted(allowed))})",
            )
    p = ("training",)
    t = Training(
        learning_rate=c.number(
            (*p, "learning_rate"), spec.get("learning_rate", defaults.learning_rate), low=0, high=MAX_LEARNING_RATE
        ),
        momentum=c.number((*p, "momentum"), spec.get("momentum", 0.0), low=0, high=1, below_high=True),
        update=c.choice(
            (*p, "update"), spec.get("update", defaults.update), UPDATES_RECURRENT if recurrent else UPDATES_FEEDFORWARD
        ),
        seed=c.number((*p, "seed"), spec.get("seed", 0), low=0, high=MAX_SEED, integer=True),
        weight_range=c.number((*p, "weight_range"), spec.get("weight_range", 0.5), low=0, high=MAX_MAGNITUDE),
        epochs=c.number((*p, "epochs"), spec.get("epochs", defaults.epochs), low=1, high=MAX_EPOCHS, integer=True),
        ecrit=None if "ecrit" not in spec else c.number((*p, "ecrit"), spec["ecrit"], low=0, high=MAX_MAGNITUDE),
        order=c.choice((*p, "order"), spec.get("order", "sequential"), ("sequential", "permuted")),
        rule=c.choice((*p, "rule"), spec.get("rule", "delta"), ("delta", "hebb")),
        initial_context=c.number(
            (*p, "initial_context"), spec.get("initial_context", 0.0), low=-MAX_MAGNITUDE, high=MAX_MAGNITUDE
        ),
        bptt_steps=None
        if "bptt_steps" not in spec
        else c.number((*p, "bptt_steps"), spec["bptt_steps"], low=0, high=MAX_STREAM_STEPS, integer=True),
    )
    if recurrent and t.update == "pattern":
        t.update = "sequence"
    if t.rule == "hebb" and len(layers) != 2:
        c.problem((*p, "rule"), "the Hebb rule needs a one-layer network (an input and an output layer only)")
    fallback = Training()
    for key, value in vars(t).items():  # keep a usable object even when a value was wrong
        if value is None and key not in ("ecrit", "bptt_steps"):
            setattr(t, key, getattr(defaults, key, getattr(fallback, key)))
    if "bptt_steps" in spec and t.bptt_steps is None:
        t.bptt_steps = 0
    return t


def _weights(c: _Checker, net_shapes: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    spec = c.table(("weights",), c.data.get("weights", {}))
    given = {}
    for key, value in spec.items():
        if key not in net_shapes:
            known = ", ".join(net_shapes) or "none"
            c.problem(("weights", key), f"unknown weights '{key}' (this network has: {known})")
            continue
        shape = net_shapes[key]
        array = c.matrix(("weights", key), value, shape, f"weights.{key}")
        if array is not None:
            given[key] = array
    return given


def _weight_names(c: _Checker, net_shapes: dict[str, tuple[int, ...]]) -> dict[tuple[str, tuple[int, ...]], str]:
    """[weight_names]: arrays shaped like [weights], of names ("w1") or "" for the notation's own symbol."""
    spec = c.table(("weight_names",), c.data.get("weight_names", {}))
    named: dict[tuple[str, tuple[int, ...]], str] = {}
    where: dict[str, str] = {}
    for key, value in spec.items():
        if key not in net_shapes:
            known = ", ".join(net_shapes)
            c.problem(("weight_names", key), f"unknown weights '{key}' (this network has: {known})")
            continue
        for index, name in _names(c, ("weight_names", key), value, net_shapes[key], f"weight_names.{key}") or []:
            place = key + "".join(f"[{i}]" for i in index)
            if name in where:
                c.problem(("weight_names", key), f"two weights are named '{name}': {where[name]} and {place}")
            where[name] = place
            named[(key, index)] = name
    return named


def _names(c: _Checker, path: tuple, value: Any, shape: tuple[int, ...], what: str) -> list | None:
    """(index, name) for each named element of a nested list of names shaped like the weights."""
    if not isinstance(value, list) or len(value) != shape[0]:
        expected = " × ".join(str(s) for s in shape)
        kind = "rows" if len(shape) > 1 else "names"
        c.problem(path, f"{what} should be a list of {shape[0]} {kind}, shaped like the weights ({expected})")
        return None
    found: list[tuple[tuple[int, ...], str]] = []
    for i, item in enumerate(value):
        if len(shape) > 1:
            inner = _names(c, (*path, i), item, shape[1:], f"row {i + 1} of {what}")
            if inner is None:
                return None
            found += [((i, *index), name) for index, name in inner]
        elif not isinstance(item, str) or (item and not _WEIGHT_NAME.match(item)):
            c.problem(
                (*path, i),
                f'a weight\'s name should be short text without spaces, like "w1" ("" for none), got {_show(item)}',
            )
            return None
        elif item:
            found.append(((i,), item))
    return found


def _patterns(c: _Checker, layers: list[Layer], loss: str) -> tuple[np.ndarray, np.ndarray]:
    raw = c.data.get("patterns", [])
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        c.problem(("patterns",), "'patterns' should be a list of [[patterns]] tables")
        return np.zeros((0, 0)), np.zeros((0, 0))
    n_in, n_out = layers[0].size, layers[-1].size
    inputs, targets = [], []
    if len(raw) > MAX_PATTERNS:
        c.problem(
            ("patterns",), f"{len(raw):,} patterns: at most {MAX_PATTERNS} (training steps through each, every epoch)"
        )
        return np.zeros((0, n_in)), np.zeros((0, n_out))
    for index, spec in enumerate(raw):
        path = ("patterns", index)
        c.unknown_keys(path, spec, {"input", "target", "name"}, f" in pattern {index + 1}")
        for key in ("input", "target"):
            if key not in spec:
                c.problem(path, f"pattern {index + 1} has no '{key}'")
        x = (
            c.matrix((*path, "input"), spec.get("input", []), (n_in,), f"the input of pattern {index + 1}")
            if "input" in spec
            else None
        )
        t = (
            c.matrix((*path, "target"), spec.get("target", []), (n_out,), f"the target of pattern {index + 1}")
            if "target" in spec
            else None
        )
        if x is not None and t is not None:
            _check_targets(c, (*path, "target"), t, layers, loss, f"pattern {index + 1}")
            inputs.append(x)
            targets.append(t)
    return np.array(inputs).reshape(-1, n_in), np.array(targets).reshape(-1, n_out)


def _check_targets(c: _Checker, path: tuple, t: np.ndarray, layers: list[Layer], loss: str, what: str) -> None:
    if loss != "cross_entropy":
        return
    if np.any(t < 0) or np.any(t > 1):
        c.problem(path, f"the targets of {what} must lie between 0 and 1 for cross_entropy")
    elif cross_entropy_pairing(layers[-1].activation) == "categorical" and abs(float(np.sum(t)) - 1.0) > 1e-9:
        c.problem(path, f"the targets of {what} add up to {np.sum(t):g}; after softmax they must add up to 1")


def _sequences(c: _Checker, layers: list[Layer], loss: str) -> list[tuple[np.ndarray, np.ndarray]]:
    raw = c.data.get("sequences", [])
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        c.problem(("sequences",), "'sequences' should be a list of [[sequences]] tables")
        return []
    n_in, n_out = layers[0].size, layers[-1].size
    found = []
    if len(raw) > MAX_PATTERNS:
        c.problem(
            ("sequences",), f"{len(raw):,} sequences: at most {MAX_PATTERNS} (training steps through each, every epoch)"
        )
        return []
    for index, spec in enumerate(raw):
        path = ("sequences", index)
        c.unknown_keys(path, spec, {"inputs", "targets", "name"}, f" in sequence {index + 1}")
        xs, ts = spec.get("inputs"), spec.get("targets")
        if xs is None or ts is None:
            c.problem(path, f"sequence {index + 1} needs both 'inputs' and 'targets'")
            continue
        if not isinstance(xs, list) or not isinstance(ts, list) or not xs:
            c.problem(path, f"the inputs and targets of sequence {index + 1} should be non-empty lists of steps")
            continue
        if len(xs) != len(ts):
            c.problem((*path, "targets"), f"sequence {index + 1} has {len(xs)} input steps but {len(ts)} target steps")
            continue
        x = c.matrix((*path, "inputs"), xs, (len(xs), n_in), f"the inputs of sequence {index + 1}")
        t = c.matrix((*path, "targets"), ts, (len(ts), n_out), f"the targets of sequence {index + 1}")
        if x is not None and t is not None:
            for step in range(len(t)):
                _check_targets(
                    c, (*path, "targets", step), t[step], layers, loss, f"step {step + 1} of sequence {index + 1}"
                )
            found.append((x, t))
    return found


def _stream(c: _Checker, layers: list[Layer]):
    """A [stream] table: one long sequence generated by a named task (engine.tasks) from a seed."""
    from engine.tasks import TASKS, make_stream

    spec = c.table(("stream",), c.data["stream"])
    c.unknown_keys(("stream",), spec, STREAM_KEYS, " in [stream]")
    task = c.choice(("stream", "task"), spec.get("task", "missing"), list(TASKS))
    length = c.number(("stream", "length"), spec.get("length", "missing"), low=2, high=MAX_STREAM_STEPS, integer=True)
    seed = c.number(("stream", "seed"), spec.get("seed", 0), low=0, high=MAX_SEED, integer=True)
    test_length = c.number(
        ("stream", "test_length"), spec.get("test_length", length or 2), low=2, high=MAX_STREAM_STEPS, integer=True
    )
    test_seed = c.number(
        ("stream", "test_seed"), spec.get("test_seed", (seed or 0) + 1000), low=0, high=MAX_SEED, integer=True
    )
    if None in (task, length, seed, test_length, test_seed):
        return None, None
    _, n_in, n_out = TASKS[task]
    if (layers[0].size, layers[-1].size) != (n_in, n_out):
        c.problem(
            ("stream", "task"),
            f"the {task} task needs {n_in} input and {n_out} output units, "
            f"but the network has {layers[0].size} and {layers[-1].size}",
        )
        return None, None
    return make_stream(task, length, seed), make_stream(task, test_length, test_seed)


def check_network(
    file: str, data: dict[str, Any], where: Locator, seed: int | None = None
) -> tuple[Network | None, list[Problem]]:
    """Build the network a parsed file describes, with every problem found on the way."""
    c = _Checker(file, data, where)
    c.unknown_keys((), data, TOP_KEYS)
    name = data.get("name", Path(file).stem)
    if not isinstance(name, str):
        c.problem(("name",), f"'name' should be text, got {_show(name)}")
        name = Path(file).stem
    description = data.get("description", "")
    if not isinstance(description, str):
        c.problem(("description",), "'description' should be text")
        description = ""
    layers = _layers(c)
    if len(layers) < 2:
        return None, c.problems
    recurrent = any(layer.context for layer in layers)
    loss = _loss(c, layers)
    training = _training(c, layers, recurrent)
    if c.shapes_unknown:
        # The shapes of weights, patterns and sequences follow from the layers: checking them against
        # layers that are wrong would only repeat the same mistake, so they wait until the layers are right.
        return None, c.problems
    if seed is not None:
        training.seed = seed
    weights = _weight_count(layers)
    if weights > MAX_WEIGHTS:
        c.problem(
            ("layers",),
            f"{weights:,} weights: a network may have at most {MAX_WEIGHTS:,} weights (biases included), "
            "so that its trace, a term per weight, is built in a few seconds",
        )
        return None, c.problems
    probe = Network(name, [Layer(**vars(x)) for x in layers], loss, training)
    given = _weights(c, {k: v.shape for k, v in probe.params.items()})
    weight_names = _weight_names(c, {k: v.shape for k, v in probe.params.items()})
    if recurrent:
        if "patterns" in data:
            c.problem(("patterns",), "a network with context units learns from [[sequences]], not [[patterns]]")
        sequences = _sequences(c, layers, loss)
        stream = test_stream = None
        if "stream" in data:
            stream, test_stream = _stream(c, layers)
            if stream is not None:
                sequences.append((stream.inputs, stream.targets))
        elif "sequences" not in data:
            c.problem((), "no [[sequences]]: a recurrent network needs at least one sequence to learn from")
        elif data["sequences"] == []:
            c.problem(("sequences",), "'sequences' is empty: a recurrent network needs at least one sequence")
        inputs = targets = None
    else:
        for key in ("sequences", "stream"):
            if key in data:
                c.problem(
                    (key,),
                    f"{'[[sequences]]' if key == 'sequences' else '[stream]'} needs a layer with "
                    "context = true; use [[patterns]] here",
                )
        inputs, targets = _patterns(c, layers, loss)
        sequences = None
        if "patterns" not in data:
            c.problem((), "no [[patterns]]: a network needs at least one pattern to learn from")
        elif data["patterns"] == []:
            c.problem(("patterns",), "'patterns' is empty: a network needs at least one pattern to learn from")
    if c.problems:
        return None, c.problems
    net = Network(name, layers, loss, training, given, inputs, targets, sequences, description)
    net.weight_names = weight_names
    if recurrent and "stream" in data:
        net.stream, net.test_stream = stream, test_stream
    return net, []


def _weight_count(layers: list[Layer]) -> int:
    """Weights and biases of a network of these layers (context weights too), counted before any is made."""
    pairs = itertools.pairwise(layers)
    return sum(
        layer.size * (before.size + layer.bias + (layer.size if layer.context else 0)) for before, layer in pairs
    )


def check_network_file(path: str | Path, text: str | None = None) -> list[Problem]:
    try:
        data, where = read_toml(path, text)
    except FileProblems as err:
        return err.problems
    return check_network(str(path), data, where)[1]


def load_network(path: str | Path, text: str | None = None, seed: int | None = None) -> Network:
    """Read a network file; raise FileProblems (file, line, message) if anything is wrong.

    `seed`, if given, replaces training.seed: it draws the weights the file does not give.
    """
    data, where = read_toml(path, text)
    net, problems = check_network(str(path), data, where, seed)
    if problems:
        raise FileProblems(problems)
    return net


def layer_of(key: str) -> str:
    """The layer a parameter key feeds: 'hidden', 'hidden_bias' and 'hidden_context' all feed 'hidden'."""
    return key.removesuffix("_bias").removesuffix("_context")
