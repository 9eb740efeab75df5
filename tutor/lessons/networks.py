"""The checks and set-up that need a network: load it with a page's starting values, check pattern
indices, focus weights and trace terms, and draw a numeric question's numbers.

This imports NumPy and builds networks and traces, so it runs in `bptutor validate` and when a page
is opened, never while the home screen lists lessons.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np

from engine.kinds import build_trace, kind_of
from engine.netfile import check_network
from engine.network import Network, default_labels
from engine.tomlfile import FileProblems, Problem, read_toml
from engine.trace import Chain, Trace, chain_weight, parse_connection
from tutor.lessons.model import NetworkRef, Origin, Page, Question, ValueCheck
from tutor.lessons.values import agrees, written_like
from tutor.lessons.wording import show, suggest


class Networks:
    """Loads each network file once per check, and reports its own problems only once.

    `traces`: also check what only a trace/unroll page's trace reveals (its focus weight's chain of factors, its
    goal's term), which builds the trace the page shows (`bptutor validate`). The app opening a page leaves that
    to the page's view, which builds that trace anyway, in a thread when it is big (tutor/screens/lesson/trace.py)."""

    def __init__(self, traces: bool = True):
        self.cache: dict[tuple[Path, int | None], tuple[Network | None, list[Problem]]] = {}
        self.reported: set[Path] = set()
        self.traces = traces

    def load(self, ref: NetworkRef) -> tuple[Network | None, list[Problem]]:
        """The network `ref` names with its starting values applied (a fresh copy), or None and why."""
        key = (ref.file, ref.start.seed)
        if key not in self.cache:
            try:
                data, where = read_toml(ref.file)
                self.cache[key] = check_network(str(ref.file), data, where, ref.start.seed)
            except FileProblems as err:
                self.cache[key] = (None, err.problems)
        net, own = self.cache[key]
        if net is None:
            problems = [
                ref.origin.problem(f"network file {show(ref.name)} has problems (listed with its name)", "network")
            ]
            if ref.file not in self.reported:
                self.reported.add(ref.file)
                problems += own
            return None, problems
        return _apply_start(net, ref)


def _apply_start(net: Network, ref: NetworkRef) -> tuple[Network | None, list[Problem]]:
    """A copy of `net` with the values of `[start]` put in, or None and the problems they have."""
    twin, start, origin = net.copy(), ref.start, ref.origin
    problems = []
    shapes = net.param_shapes()
    for key, value in start.weights.items():
        if key not in shapes:
            problems.append(
                origin.problem(
                    f"network {show(ref.name)} has no weights '{key}' ({suggest(key, list(shapes))})",
                    "start",
                    "weights",
                    key,
                )
            )
            continue
        try:
            array = np.array(value, dtype=float)
        except ValueError:
            array = None
        if array is None or array.shape != shapes[key]:
            expected = " × ".join(str(n) for n in shapes[key])
            got = "rows of different lengths" if array is None else " × ".join(str(n) for n in array.shape)
            problems.append(
                origin.problem(f"'start.weights.{key}' should be {expected}, got {got}", "start", "weights", key)
            )
            continue
        twin.params[key] = array
        twin.given.add(key)
    settings = twin.training
    if start.learning_rate is not None:
        settings.learning_rate = start.learning_rate
    if start.momentum is not None:
        settings.momentum = start.momentum
    for key in ("initial_context", "bptt_steps"):
        if getattr(start, key) is None:
            continue
        if key not in kind_of(net).settings:
            problems.append(origin.problem(f"'start.{key}' is only for networks with context units", "start", key))
        else:
            setattr(settings, key, getattr(start, key))
    return (None, problems) if problems else (twin, [])


def load_ref(ref: NetworkRef) -> Network:
    """The network a page or question names, ready to trace; raises FileProblems."""
    net, problems = Networks().load(ref)
    if problems:
        raise FileProblems(problems)
    return net


LOGIC_NAMES = frozenset({"OR", "AND", "XOR", "NOR", "NAND"})  # hidden labels that say what the weights compute


def draw_network(question: Question, seed: int) -> Network:
    """A numeric question's network with the values its `randomize` names drawn from `seed` (rounded)."""
    net = load_ref(question.network)
    r, rng = question.randomize, np.random.default_rng(seed)

    def draw(low: float, high: float, shape: tuple[int, ...]) -> np.ndarray:
        return np.round(rng.uniform(low, high, shape), r.decimals) + 0.0  # + 0.0 turns −0.0 into 0.0

    if r.weights:
        scale = net.training.weight_range if r.weight_range is None else r.weight_range
        for key, array in net.params.items():
            net.params[key] = draw(-scale, scale, array.shape)
        for k in range(1, len(net.layers) - 1):  # "OR", "AND" would name what the drawn weights no longer compute
            if any(label.upper() in LOGIC_NAMES for label in net.layers[k].labels):
                net.layers[k].labels = default_labels(net.layers, k)
    p, kind = question.pattern, kind_of(net)
    xs, ts = kind.example_data(p)
    xs = draw(*r.inputs, xs.shape) if r.inputs else xs
    ts = draw(*r.targets, ts.shape) if r.targets else ts
    kind.set_example_data(p, xs, ts)
    return net


# -- checks ---------------------------------------------------------------------------------


def check_page(page: Page, networks: Networks | None = None) -> list[Problem]:
    """The problems of one page that only its networks reveal (empty for a page that is ready): each kind
    checks its own (tutor/kinds/)."""
    return page.check(networks or Networks())


# -- the values a lesson quotes -------------------------------------------------------------


class ValueProblem(Exception):
    """A declared value the engine cannot compute (a missing term, weight, pattern...): where and why."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.message, self.key = message, key


def check_values(values: tuple[ValueCheck, ...] | list[ValueCheck], networks: Networks | None = None) -> list[Problem]:
    """Each declared value computed by the engine and compared with its quote (see tutor/lessons/values.py)."""
    engine = ValueEngine(networks or Networks())
    problems = []
    for check in values:
        if check.network is None or not check.quote:
            continue  # reported when the file was read
        try:
            value, what = engine.value(check)
        except ValueProblem as err:
            problems.append(check.origin.problem(err.message, err.key))
            continue
        except _NetworkProblems as err:
            problems += err.problems
            continue
        if not agrees(check.quote, value):
            problems.append(
                check.origin.problem(
                    f'"{check.quote}" is not what the engine gives: {what} is {written_like(check.quote, value)} '
                    f"({value:.12g})",
                    "quote",
                )
            )
    return problems


class _NetworkProblems(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


# Trained networks, kept for the life of the process: validating the bundled lessons quotes numbers
# from networks trained for many epochs (a recurrent stream can take seconds per epoch), and the
# app, validate and the tests may ask for the same ones several times. Keyed by the file as it is
# now (path, size, modification time), the starting values and the epochs.
_TRAINED: dict[tuple, Network] = {}


def _trained(net: Network, ref: NetworkRef, epochs: int) -> Network:
    """`net` (loaded from `ref`) trained for exactly `epochs` epochs, ignoring its ecrit: a fresh copy."""
    try:
        stat = Path(ref.file).stat()
        stamp = (stat.st_size, stat.st_mtime_ns)
    except OSError:
        stamp = None
    key = (str(ref.file), stamp, repr(ref.start), epochs)
    if stamp is None or key not in _TRAINED:
        from engine.kinds import train

        net.training.ecrit = None  # exactly `epochs` epochs: quotes say "after N epochs"
        train(net, epochs=epochs)
        if stamp is None:
            return net
        _TRAINED[key] = net.copy()
    return _TRAINED[key].copy()


class ValueEngine:
    """Computes declared values, training each network and tracing each pattern only once."""

    def __init__(self, networks: Networks):
        self.networks = networks
        self.nets: dict[tuple, Network] = {}
        self.traces: dict[tuple, Trace] = {}

    def value(self, check: ValueCheck) -> tuple[float, str]:
        """The engine's value for `check` (negated if asked), and what it is, in words, for messages."""
        value, what = self._source(check)
        if check.negate:
            value, what = -value, f"minus {what}"
        if check.train_epochs:
            plural = "s" if check.train_epochs != 1 else ""
            what = f"{what}, after {check.train_epochs} epoch{plural} of training,"
        return value, what

    def net(self, check: ValueCheck) -> Network:
        ref = check.network
        key = (ref.file, repr(ref.start), check.train_epochs)
        if key not in self.nets:
            net, problems = self.networks.load(ref)
            if net is None:
                raise _NetworkProblems(problems)
            if check.train_epochs:
                net = _trained(net, ref, check.train_epochs)
            self.nets[key] = net
        return self.nets[key]

    def trace(self, check: ValueCheck, net: Network) -> Trace:
        name = show(check.network.name)
        problems = _index_problems(net, check.pattern, check.origin, check.network.name)
        if problems:
            raise _NetworkProblems(problems)
        key = (check.network.file, repr(check.network.start), check.train_epochs, check.pattern, check.network.notation)
        if key not in self.traces:
            trace, why = _trace(net, check.pattern, check.network.notation)
            if trace is None:
                raise ValueProblem(f"{why}: network {name}", check.source)
            self.traces[key] = trace
        return self.traces[key]

    def term(self, check: ValueCheck, net: Network, term_id: str) -> tuple[Trace, float]:
        """A term of the trace, or of a focus panel's chain: 'chain.WEIGHT' (the whole gradient),
        'chain.WEIGHT.K' (path K's product, from 1) or 'chain.WEIGHT.K.M' (its M-th factor)."""
        trace = self.trace(check, net)
        weight = chain_weight(term_id)
        if weight is not None:
            return trace, self._chain_term(check, trace, term_id, weight)
        try:
            return trace, trace[term_id].value
        except KeyError:
            ids = [term.id for term in trace.terms]
            close = difflib.get_close_matches(term_id, ids, n=1, cutoff=0.6)
            name = check.network.name
            hint = f"did you mean '{close[0]}'?" if close else f"'bptutor trace {name} --json' lists every term id"
            raise ValueProblem(
                f"the trace of network {show(name)} has no term {show(term_id)} ({hint})", check.source
            ) from None

    def _chain_term(self, check: ValueCheck, trace: Trace, term_id: str, weight: str) -> float:
        problems = _weight_problems(trace.net, weight, check.pattern, check.network, check.source)
        if problems:
            raise _NetworkProblems(problems)
        terms = {term.id: term for term in trace.chain(weight).terms()}
        if term_id not in terms:
            shown = ", ".join(list(terms)[:3])
            raise ValueProblem(
                f"the chain of {weight} in network {show(check.network.name)} has no term {show(term_id)} "
                f"(its terms are {shown}, ...: chain.{weight}.K is path K's product, from 1, chain.{weight}.K.M "
                "its M-th factor)",
                check.source,
            )
        return terms[term_id].value

    def _source(self, check: ValueCheck) -> tuple[float, str]:
        net = self.net(check)
        name = show(check.network.name)
        unit = kind_of(net).example
        if check.term is not None:
            _, value = self.term(check, net, check.term)
            return value, f"term {show(check.term)} of network {name} ({unit} {check.pattern})"
        if check.erratum_of is not None:
            return self._erratum(check, net, name, unit)
        if check.weight is not None:
            problems = _weight_exists(net, check.weight, check.network, "weight")
            if problems:
                raise _NetworkProblems(problems)
            array, at = parse_connection(check.weight)
            return float(net.params[array][at]), f"weight {check.weight} of network {name}"
        if check.input is not None or check.target is not None:
            return self._pattern_value(check, net, name)
        if check.mean_error is not None:
            return self._mean_error(check, net, name)
        if check.setting is not None:
            setting = getattr(net.training, check.setting)
            if setting is None:
                raise ValueProblem(f"network {name} has no {check.setting}", "setting")
            return float(setting), f"{check.setting} of network {name}"
        return float(kind_of(net).total_loss()), f"the loss summed over every {unit} of network {name}"

    def _erratum(self, check: ValueCheck, net: Network, name: str, unit: str) -> tuple[float, str]:
        """What the slip `check.slip` makes of a term. 'sign': the error derivatives' minus sign dropped,
        so every ∂E/∂… and Δw has the opposite sign and each weight moves the wrong way."""
        trace, value = self.term(check, net, check.erratum_of)
        term = trace[check.erratum_of]
        what = f"term {show(check.erratum_of)} of network {name} ({unit} {check.pattern}) with the sign slip"
        if term.kind in ("dE_da", "dE_dn", "dE_dw", "dE_db", "delta_w"):
            return -value, what
        if term.kind == "new_w":
            change = trace["d" + check.erratum_of].value
            return value - 2 * change, what
        raise ValueProblem(
            f"a sign slip changes only the backward pass and the update; term {show(check.erratum_of)} "
            f"({term.kind.replace('_', ' ')}) would be the same: declare it with 'term' instead",
            "erratum_of",
        )

    def _mean_error(self, check: ValueCheck, net: Network, name: str) -> tuple[float, str]:
        """The mean E_t over the test stream's positions where `check.mean_error` comes next (what the
        train page shows for a recurrent network with a [stream])."""
        stream = net.test_stream
        if stream is None:
            raise ValueProblem(f"network {name} has no [stream], so no errors by position", "mean_error")
        kinds = list(dict.fromkeys(stream.kinds))
        if check.mean_error not in kinds:
            raise ValueProblem(
                f"the test stream of network {name} has no positions of kind {show(check.mean_error)} "
                f"({suggest(check.mean_error, kinds)})",
                "mean_error",
            )
        mean = kind_of(net).stream_errors().mean_by_kind[check.mean_error]
        return float(mean), f"the mean error where {check.mean_error} of network {name}"

    def _pattern_value(self, check: ValueCheck, net: Network, name: str) -> tuple[float, str]:
        key = "input" if check.input is not None else "target"
        row, unit = check.input if check.input is not None else check.target
        kind = kind_of(net)
        try:
            xs, ts = kind.rows(check.pattern)
        except IndexError:
            raise _NetworkProblems(_index_problems(net, check.pattern, check.origin, check.network.name)) from None
        array, rows = (xs if key == "input" else ts), kind.describe_rows(check.pattern)
        what = f"{key} {unit} {kind.describe_row(row, check.pattern)} of network {name}"
        if row >= len(array):
            raise ValueProblem(f"network {name} has no {kind.row} {row}: {rows}", key)
        if unit >= array.shape[1]:
            raise ValueProblem(f"network {name} has no {key} unit {unit}: it has {array.shape[1]}, from 0", key)
        return float(array[row, unit]), what


def _index_problems(net: Network, index: int, origin: Origin, name: str) -> list[Problem]:
    kind = kind_of(net)
    key, count = kind.example, kind.count
    if index < count:
        return []
    written = "sequence" if (*origin.path, "sequence") in origin.where.lines else "pattern"
    numbered = "numbered 0" if count == 1 else f"numbered from 0 to {count - 1}"
    plural = "" if count == 1 else "s"
    message = f"{key} {index} does not exist: network {show(name)} has {count} {key}{plural}, {numbered}"
    return [origin.problem(message, written)]


def _weight_exists(net: Network, weight: str, ref: NetworkRef, key: str) -> list[Problem]:
    """Does the network have this weight?"""
    origin, name = ref.origin, show(ref.name)
    try:
        array, at = parse_connection(weight)
    except ValueError:
        return [origin.problem(f"'{weight}' is not a weight: write it as <layer>[to][from] or <layer>_bias[unit]", key)]
    shapes = net.param_shapes()
    if array not in shapes:
        return [origin.problem(f"network {name} has no weights '{array}' ({suggest(array, list(shapes))})", key)]
    shape = shapes[array]
    if len(at) != len(shape):
        form = f"{array}[to][from]" if len(shape) == 2 else f"{array}[unit]"
        return [origin.problem(f"'{weight}' should be written {form}", key)]
    if any(i >= n for i, n in zip(at, shape, strict=True)):
        size = " × ".join(str(n) for n in shape)
        return [origin.problem(f"network {name} has no weight {weight}: '{array}' is {size}, counting from 0", key)]
    return []


def _weight_problems(net: Network, weight: str, index: int, ref: NetworkRef, key: str) -> list[Problem]:
    """Does the network have this weight, and can its gradient be expanded into a chain of factors?"""
    problems = _weight_exists(net, weight, ref, key)
    if problems:
        return problems
    trace, why = _trace(net, index, ref.notation)
    if trace is None:
        return [ref.origin.problem(why, key)]
    try:
        focus_chain(trace, weight, ref, key)
    except FileProblems as err:
        return err.problems
    return []


def focus_chain(trace: Trace, weight: str, ref: NetworkRef, key: str = "focus", on: str = "") -> Chain:
    """The chain of factors of a weight the network has, on this trace; FileProblems (at `key`) if its gradient
    cannot be expanded into one. `on` names the trace's example ("sequence 2") when it is not the page's."""
    try:
        return trace.chain(weight)
    except (KeyError, ValueError) as err:
        raise FileProblems([ref.origin.problem(f"{weight}{f' on {on}' if on else ''}: {err.args[0]}", key)]) from None


def _trace(net: Network, index: int, notation: str | None) -> tuple[Trace | None, str]:
    try:
        return build_trace(net, index, notation), ""
    except ImportError:
        return None, "this version of bptutor cannot trace recurrent networks yet"
