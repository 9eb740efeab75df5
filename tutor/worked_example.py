"""A trace written out as a Markdown worked example, like a hand-worked spreadsheet."""

from __future__ import annotations

from engine.numbers import fmt
from engine.trace import Chain, Term, Trace

PHASE_TITLES = {"forward": "Forward pass", "backward": "Backward pass", "update": "Weight update"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*") if text else "—"


def _table(terms: list[Term], first: int = 1) -> list[str]:
    lines = ["| # | term | formula | with numbers | value |", "|---:|---|---|---|---:|"]
    for number, term in enumerate(terms, start=first):
        lines.append(
            f"| {number} | {_cell(term.symbol)} | {_cell(term.formula)} | {_cell(term.expression)} "
            f"| {fmt(term.value)} |"
        )
    return lines


def _vector(symbols: list[str], values) -> str:
    return ", ".join(f"{s} = {fmt(v)}" for s, v in zip(symbols, values, strict=True))


def trace_markdown(trace: Trace, chains: list[Chain] = ()) -> str:
    net, N = trace.net, trace.notation
    first, last = net.layers[0], net.layers[-1]
    settings = net.training
    which = "all patterns (one batch)" if trace.pattern is None else f"pattern {trace.pattern}"
    if trace.steps is not None:
        which = f"sequence {trace.pattern}, unrolled over {trace.steps} steps"
    out = [f"# {net.name} — {which}", ""]
    if trace.pattern is not None and trace.steps is None:
        inputs = _vector([N.a(lab, is_input=True) for lab in first.labels], trace.inputs)
        targets = _vector([N.t(lab) for lab in last.labels], trace.targets)
        out += [f"Input {inputs}; target {targets}.", ""]
    if trace.steps is not None:
        back = "all the way back" if trace.bptt_steps == trace.steps - 1 else f"{trace.bptt_steps} steps back"
        steps = [
            f"step {s + 1}: input {' '.join(fmt(x) for x in trace.inputs[s])}, "
            f"target {' '.join(fmt(x) for x in trace.targets[s])}"
            for s in range(trace.steps)
        ]
        out += ["; ".join(steps) + f". Each E_t sends its error {back} (training.bptt_steps).", ""]
    rule = (
        "Hebb rule" if settings.rule == "hebb" else f"learning rate {N.learning_rate} = {fmt(settings.learning_rate)}"
    )
    extras = f", momentum {N.momentum} = {fmt(settings.momentum)}" if settings.momentum else ""
    out += [f"Loss: {net.loss.title}; {rule}{extras}.", ""]
    number = 1
    for phase in ("forward", "backward", "update"):
        terms = [term for term in trace.terms if term.phase == phase]
        if not terms:
            continue
        out += [f"## {PHASE_TITLES[phase]}", "", *_table(terms, number), ""]
        number += len(terms)
    for chain in chains:
        out += [f"## Chain rule for {chain.symbol}", ""]
        out += [f"{chain.symbol} = " + " + ".join(" · ".join(f.symbol for f in path) for path in chain.paths), ""]
        out += [*_table(chain.terms()), ""]
    outputs = _vector([N.a(lab) for lab in last.labels], trace.outputs.ravel()) if trace.outputs.ndim == 1 else ""
    summary = f"Output {outputs}; " if outputs else ""
    out.append(f"{summary}{N.error} = {fmt(trace.loss)}.")
    return "\n".join(out) + "\n"
