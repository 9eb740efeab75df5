"""A numeric question: compute one term of the trace from numbers drawn afresh each time it is asked
(tutor.lessons.networks.draw_network draws them; tutor.quiz.generate builds the item from the trace)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from engine.checks import is_number
from engine.tomlfile import Problem
from tutor.lessons.model import NETWORK_KEYS, QUESTION_COMMON, NetworkRef, Question
from tutor.lessons.wording import show

RANDOMIZE_KEYS = ("weights", "inputs", "targets", "decimals")


@dataclass
class Randomize:
    """What a numeric question draws afresh each time it is asked."""

    weights: bool = True  # draw every weight and bias ...
    weight_range: float | None = None  # ... uniformly from ±this (None: the network's training.weight_range)
    inputs: tuple[float, float] | None = None  # draw the pattern's inputs uniformly from [low, high]
    targets: tuple[float, float] | None = None  # likewise its targets
    decimals: int = 2  # drawn values are rounded, so they can be worked by hand


@dataclass(kw_only=True)
class NumericQuestion(Question):
    """Compute one term of the trace (by id, e.g. "dE/dw.hidden.0.0") from freshly drawn numbers."""

    kind: ClassVar[str] = "numeric"
    keys: ClassVar[tuple[str, ...]] = (
        *QUESTION_COMMON,
        *NETWORK_KEYS,
        "term",
        "pattern",
        "sequence",
        "randomize",
        "digits",
    )
    title: ClassVar[str] = "Numeric"
    repeatable: ClassVar[bool] = True
    network: NetworkRef
    term: str
    pattern: int = 0  # the sequence, for a recurrent network
    randomize: Randomize = field(default_factory=Randomize)
    digits: int = 3  # significant digits the answer must match (tutor.lessons.networks.draw_network draws it)

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> NumericQuestion:
        network = reader.network(table, notation)
        pattern = reader.pattern(table)
        return cls(
            **common,
            network=network,
            term=table.text("term", required=True, one_line=True) or "",
            pattern=pattern,
            randomize=read_randomize(table),
            digits=table.whole("digits", low=1, high=15) or 3,
        )

    def check(self, networks: Any) -> list[Problem]:
        """The pattern exists, targets are drawn only where they may be, and the trace has the term."""
        import difflib

        from tutor.lessons.networks import _index_problems, _trace, draw_network

        if self.network is None:
            return []
        ref, origin = self.network, self.origin
        net, problems = networks.load(ref)
        if net is None:
            return problems
        problems = _index_problems(net, self.pattern, origin, ref.name)
        r = self.randomize
        if r.targets and not net.fns[-1].elementwise:  # softmax: the outputs are one distribution
            problems.append(
                origin.problem(
                    "'randomize.targets' cannot be used with softmax outputs: their targets add up to 1",
                    "randomize",
                    "targets",
                )
            )
        if problems or not self.term:
            return problems
        trace, why = _trace(draw_network(self, seed=0), self.pattern, ref.notation)
        if trace is None:
            return [origin.problem(f"{why}, so term {show(self.term)} cannot be checked", "term")]
        ids = [term.id for term in trace.terms]
        if self.term not in ids:
            close = difflib.get_close_matches(self.term, ids, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"'bptutor trace {ref.name} --json' lists every term id"
            message = f"the trace of network {show(ref.name)} has no term {show(self.term)} ({hint})"
            return [origin.problem(message, "term")]
        return []

    def item(self, base: dict[str, Any], seed: int | None, shuffle: bool) -> Any:
        from tutor.quiz.generate import numeric_item

        return numeric_item(self, seed or 0, base)

    def judge(self, item: Any, given: Any) -> Any:
        from tutor.quiz.check import check_numeric

        slips = {slip.name: slip.value for slip in item.slips}
        return check_numeric(given, float(item.answer), item.digits, slips)


def read_randomize(table: Any) -> Randomize:
    spec = table.sub("randomize", "[randomize]")
    if spec is None:
        return Randomize()
    spec.unknown(RANDOMIZE_KEYS)
    weights, weight_range = True, None
    value = spec.raw.get("weights", True)
    if isinstance(value, bool):
        weights = value
    elif is_number(value) and value > 0:
        weight_range = float(value)
    else:
        spec.problem(
            f"'randomize.weights' should be true, false or a number above 0 (draw from ± it), got {show(value)}",
            "weights",
        )
    decimals = spec.whole("decimals", low=0, high=6)
    return Randomize(
        weights=weights,
        weight_range=weight_range,
        inputs=_interval(spec, "inputs"),
        targets=_interval(spec, "targets"),
        decimals=2 if decimals is None else decimals,
    )


def _interval(spec: Any, key: str) -> tuple[float, float] | None:
    value = spec.raw.get(key)
    if value is None:
        return None
    if isinstance(value, list) and len(value) == 2 and all(is_number(v) for v in value) and value[0] <= value[1]:
        return (float(value[0]), float(value[1]))
    spec.problem(f"{spec.name(key)} should be [low, high], two numbers with low ≤ high, got {show(value)}", key)
    return None
