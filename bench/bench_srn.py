"""Per-step training of simple recurrent networks: engine.step_training against the general path, in the same run.

    python bench/bench_srn.py [--repeats 9]

For each bundled network trained step by step (Elman's original, bptt_steps = 0), one pass over
its stream through engine.recurrent.train_by_steps, fast (engine.step_training) and general
(Network.forward, backward and update on each step), interleaved, best of the repeats; checks both
give the same weights to the last bit and prints the time per step and the ratio fast/general
(issue 12 §6's aim: 1/4 or less). Then one epoch's end: the loss of the whole stream
(total_sequence_loss), which every epoch of training adds. Absolute times are for context only:
the machines here are shared and noisy.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import best_of

from engine.netfile import load_network
from engine.recurrent import total_sequence_loss, train_by_steps

NETWORKS = Path(__file__).resolve().parent.parent / "lessons" / "networks"
NAMES = ("temporal_xor", "letters", "word_boundaries", "sentences")


def one_pass(net, fast: bool, out: dict):
    def run():
        trained = net.copy()
        with np.errstate(over="ignore", invalid="ignore"):
            for x, t in trained.sequences:
                train_by_steps(trained, x, t, fast=fast)
        out["params"] = trained.params

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    print(f"numpy {np.__version__}; best of {args.repeats} interleaved runs")
    for name in NAMES:
        net = load_network(NETWORKS / f"{name}.toml")
        steps = sum(len(x) for x, _ in net.sequences)
        fast, general = {}, {}
        t_fast, t_general = best_of(args.repeats, one_pass(net, True, fast), one_pass(net, False, general))
        same = all(np.array_equal(fast["params"][key], general["params"][key]) for key in net.params)
        (t_loss,) = best_of(args.repeats, lambda net=net: total_sequence_loss(net))
        sizes = "-".join(str(layer.size) for layer in net.layers)
        print(
            f"{name} ({sizes}, {steps:,} steps): general {1e6 * t_general / steps:.1f} µs/step, "
            f"fast {1e6 * t_fast / steps:.1f} µs/step, fast/general = {t_fast / t_general:.2f} "
            f"(same weights to the last bit: {same}); the epoch's loss {1e6 * t_loss / steps:.1f} µs/step"
        )


if __name__ == "__main__":
    main()
