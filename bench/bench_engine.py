"""Engine speed against PyTorch (CPU, float64) doing the same computation in the same run.

    python bench/bench_engine.py            # needs torch: pip install torch==2.13.0

Prints ratios (PyTorch time / bptutor time: above 1 means bptutor is faster), not absolute times,
because machines here are shared and noisy. Each measurement is the best of several interleaved
repeats. Goals (issue 2): ≥ 5× on XOR, ≥ 2× on the 6-20-6 network.
Before timing, each pair is checked to compute the same thing (same loss curve).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import best_of

from engine.kinds import build_trace, train
from engine.netfile import load_network
from engine.network import Layer, Network, Training

try:
    import torch
except ImportError:  # pragma: no cover
    sys.exit("PyTorch is needed for this benchmark: pip install torch==2.13.0")

torch.set_default_dtype(torch.float64)


class TorchNet(torch.nn.Module):
    """The same layered sigmoid network in PyTorch, with the weights copied from ours."""

    def __init__(self, net: Network):
        super().__init__()
        self.layers = torch.nn.ModuleList()
        for below, layer in zip(net.layers, net.layers[1:], strict=False):
            linear = torch.nn.Linear(below.size, layer.size, bias=layer.bias)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(net.params[layer.name]))
                if layer.bias:
                    linear.bias.copy_(torch.from_numpy(net.params[layer.name + "_bias"]))
            self.layers.append(linear)

    def forward(self, x):
        for linear in self.layers:
            x = torch.sigmoid(linear(x))
        return x


def torch_trainer(net: Network, epochs: int, batch: bool):
    """A closure that trains a fresh PyTorch copy of `net` exactly as engine.train does; returns the losses."""

    def run():
        model = TorchNet(net)
        opt = torch.optim.SGD(model.parameters(), lr=net.training.learning_rate, momentum=net.training.momentum)
        x, t = torch.from_numpy(net.inputs), torch.from_numpy(net.targets)
        history = []
        loss = 0.5 * ((t - model(x)) ** 2).sum()
        for _ in range(epochs):
            if batch:  # like engine.train: each epoch's forward pass also gives the loss recorded for it
                opt.zero_grad()
                loss.backward()
                opt.step()
                loss = 0.5 * ((t - model(x)) ** 2).sum()
                history.append(loss.item())
            else:
                for p in range(len(x)):
                    opt.zero_grad()
                    (0.5 * ((t[p : p + 1] - model(x[p : p + 1])) ** 2).sum()).backward()
                    opt.step()
                with torch.no_grad():
                    history.append(float(0.5 * ((t - model(x)) ** 2).sum()))
        return history

    return run


def engine_trainer(net: Network, epochs: int):
    def run():
        fresh = net.copy()
        return train(fresh, epochs=epochs, ecrit=0.0).loss_history

    return run


def compare(title: str, net: Network, epochs: int, batch: bool, repeats: int, goal: float) -> float:
    net.training.update = "batch" if batch else "pattern"
    ours, theirs = engine_trainer(net, epochs), torch_trainer(net, epochs, batch)
    a, b = np.array(ours()), np.array(theirs())
    agree = np.allclose(a, b, rtol=1e-9, atol=1e-12)
    t_ours, t_torch = best_of(repeats, ours, theirs)
    ratio = t_torch / t_ours
    verdict = "meets" if ratio >= goal else "MISSES"
    print(f"{title}: PyTorch/bptutor = {ratio:.1f}×  ({verdict} the {goal:g}× goal; same loss curve: {agree})")
    return ratio


def main() -> None:
    print(f"torch {torch.__version__}, numpy {np.__version__}, torch threads {torch.get_num_threads()}")
    xor = load_network(Path(__file__).resolve().parent.parent / "lessons" / "networks" / "xor.toml")
    compare("XOR 2-2-1, 500 full-batch epochs with momentum .9", xor, 500, True, 7, 5)

    rng = np.random.default_rng(0)
    x = rng.integers(0, 2, size=(1000, 6)).astype(float)
    t = np.roll(x, 1, axis=1)
    big = Network(
        "6-20-6",
        [Layer("input", 6), Layer("hidden", 20, "sigmoid", True), Layer("output", 6, "sigmoid", True)],
        "half_sse",
        Training(learning_rate=0.01, momentum=0.9, seed=0),
        inputs=x,
        targets=t,
    )
    compare("6-20-6 on 1,000 patterns, 20 full-batch epochs", big, 20, True, 7, 2)
    compare("6-20-6 on 1,000 patterns, 2 epochs of pattern-by-pattern updates", big, 2, False, 3, 2)

    one_epoch = engine_trainer(xor, 1)
    one_trace = lambda: build_trace(xor, 0)  # noqa: E731
    t_epoch, t_trace = best_of(20, one_epoch, one_trace)
    print(
        f"Full trace of one XOR pattern = {t_trace / t_epoch:.1f}× one XOR training epoch "
        f"({len(build_trace(xor, 0))} terms)"
    )


if __name__ == "__main__":
    main()
