"""Recurrent training speed against PyTorch (CPU, float64), the same computation in the same run.

    python bench/bench_recurrent.py            # needs torch: pip install torch==2.13.0

The letter task of Elman (1990): a 6-20-6 simple recurrent network with 20 context units
makes one pass over a 4,000-letter stream, changing its weights after every letter with the
context carried on (Elman's original training: the context is a plain input). Prints
PyTorch time / bptutor time (goal, issue 3: at least 3×), best of interleaved repeats, after
checking both produce the same weights.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import best_of

from engine.kinds import train
from engine.netfile import load_network

try:
    import torch
except ImportError:  # pragma: no cover
    sys.exit("PyTorch is needed for this benchmark: pip install torch==2.13.0")

torch.set_default_dtype(torch.float64)
LETTERS = Path(__file__).resolve().parent.parent / "lessons" / "networks" / "letters.toml"


def engine_pass(net):
    def run():
        fresh = net.copy()
        train(fresh, epochs=1)
        return fresh.params

    return run


def torch_pass(net):
    def run():
        p = {key: torch.tensor(value, requires_grad=True) for key, value in net.params.items()}
        opt = torch.optim.SGD(p.values(), lr=net.training.learning_rate, momentum=net.training.momentum)
        x, t = (torch.from_numpy(a) for a in net.sequences[0])
        context = torch.full((20,), net.training.initial_context)
        for s in range(len(x)):
            opt.zero_grad()
            hidden = torch.sigmoid(p["hidden"] @ x[s] + p["hidden_context"] @ context + p["hidden_bias"])
            output = torch.sigmoid(p["output"] @ hidden + p["output_bias"])
            (0.5 * ((t[s] - output) ** 2).sum()).backward()
            opt.step()
            context = hidden.detach()
        return {key: value.detach().numpy() for key, value in p.items()}

    return run


def main() -> None:
    net = load_network(LETTERS)
    steps = len(net.sequences[0][0])
    ours, theirs = engine_pass(net), torch_pass(net)
    a, b = ours(), theirs()
    agree = all(np.allclose(a[key], b[key], rtol=1e-9, atol=1e-12) for key in a)
    t_ours, t_torch = best_of(3, ours, theirs)
    ratio = t_torch / t_ours
    verdict = "meets" if ratio >= 3 else "MISSES"
    print(f"torch {torch.__version__}, numpy {np.__version__}")
    print(
        f"Letters 6-20-6 SRN, one pass over a {steps}-letter stream, a weight change after every letter: "
        f"PyTorch/bptutor = {ratio:.1f}×  ({verdict} the 3× goal; same weights after the pass: {agree})"
    )


if __name__ == "__main__":
    main()
