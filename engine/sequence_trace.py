"""The unrolled trace of a recurrent network: one sequence, step by step, then back through time.

This runs the engine through the sequence (engine.recurrent: forward_sequence, then backward_by_lag,
which keeps each error source's errors by how far back in time they reached) and hands its arrays
to the one trace builder (engine.trace_builder), which writes the terms: at every step t the
context copy c(t) = a(t − 1), the net inputs, activations and E_t; then E = Σ_t E_t; backward,
error source by error source (∂E/∂W = Σ_t ∂E_t/∂W), as far back as `bptt_steps` allows; then the
update, as in a feed-forward trace.
"""

from __future__ import annotations

from engine.network import Network, slopes
from engine.notation import Notation, get_notation
from engine.recurrent import backward_by_lag, context_layer, forward_sequence, source_gradients
from engine.trace import Trace
from engine.trace_builder import trace_pass
from engine.trace_names import Rows, StepNames


def build_sequence_trace(net: Network, sequence: int = 0, notation=None, steps: int | None = None) -> Trace:
    """Trace one sequence (its first `steps` steps, if given) of a recurrent network, without changing it."""
    N = notation if isinstance(notation, Notation) else get_notation(notation)
    if not 0 <= sequence < len(net.sequences):
        raise IndexError(f"sequence {sequence} does not exist: the network has sequences 0 to {len(net.sequences) - 1}")
    xs, ts = net.sequences[sequence]
    if steps is not None:
        xs, ts = xs[:steps], ts[:steps]
    rec = forward_sequence(net, xs, ts)
    lags = len(xs) - 1 if net.training.bptt_steps is None else min(net.training.bptt_steps, len(xs) - 1)
    backward_by_lag(net, rec, lags)
    rec.slope = slopes(net, rec.net_input, rec.activation)
    source_gradients(net, rec)
    arrays = Rows(
        net_input=rec.net_input,
        activation=rec.activation,
        target=rec.target,
        row_loss=rec.step_loss,
        slope=rec.slope,
        by_lag=rec.by_lag,
        dE_da_by_lag=rec.dE_da_by_lag,
        gradients=rec.gradients,
        loss=rec.loss,
        context=rec.context,
        context_layer=context_layer(net),
        lags=lags,
        source_gradients=rec.source_gradients,
    )
    return trace_pass(
        net,
        rec,
        arrays,
        StepNames(N, len(xs)),
        rec.gradients,
        pattern=sequence,
        inputs=xs,
        targets=ts,
        outputs=rec.activation[-1],
        rows=list(range(len(xs))),
        steps=len(xs),
        bptt_steps=lags,
    )
