"""Feed-forward networks: forward pass, backward pass and weight update, in matrix form.

Rows are patterns, columns are units. A layer's weight matrix is indexed [to_unit][from_unit]
(as in the network file), so the net input of a layer is  n = a_below · Wᵀ + b.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.activations import ACTIVATIONS, Activation
from engine.losses import LOSSES, Loss


@dataclass
class Layer:
    name: str
    size: int
    activation: str | None = None  # None for the input layer
    bias: bool = False
    context: bool = False  # an Elman context layer holds this layer's activations from t − 1
    labels: list[str] = field(default_factory=list)  # unit labels: h1, h2, ... by default

    def label(self, unit: int) -> str:
        return self.labels[unit]


@dataclass
class Training:
    learning_rate: float = 0.5
    momentum: float = 0.0
    update: str = "pattern"  # pattern | batch (recurrent: sequence | step)
    seed: int = 0
    weight_range: float = 0.5
    epochs: int = 300
    ecrit: float | None = None
    order: str = "sequential"  # sequential | permuted (pattern updates only)
    rule: str = "delta"  # delta (gradient descent) | hebb (one-layer networks only)
    initial_context: float = 0.0
    bptt_steps: int | None = None  # None: all the way back; 0: Elman's original


@dataclass
class Pass:
    """Everything one forward pass computed, and the backward pass that followed it."""

    net_input: list[np.ndarray | None]  # per layer; None for the input layer
    activation: list[np.ndarray]  # per layer, rows are patterns
    target: np.ndarray
    loss: float = 0.0
    context: np.ndarray | None = None  # the context units' values, fed in as a plain input
    dE_da: list[np.ndarray | None] | None = None  # filled in by backward()
    dE_dn: list[np.ndarray | None] | None = None
    gradients: dict[str, np.ndarray] | None = None
    slope: list[np.ndarray | None] | None = None  # ∂a/∂n per layer (elementwise ones), filled by slopes()
    row_loss: np.ndarray | None = None  # the loss of each row (pattern), filled by row_losses()


class Network:
    """A layered network with its parameters, its patterns and its momentum memory."""

    def __init__(
        self,
        name: str,
        layers: list[Layer],
        loss: str = "half_sse",
        training: Training | None = None,
        params: dict[str, np.ndarray] | None = None,
        inputs: np.ndarray | None = None,
        targets: np.ndarray | None = None,
        sequences: list[tuple[np.ndarray, np.ndarray]] | None = None,
        description: str = "",
    ):
        self.name = name
        self.description = description
        self.layers = layers
        for index, layer in enumerate(layers):
            if not layer.labels:
                layer.labels = default_labels(layers, index)
        self.loss_name = loss
        self.loss: Loss = LOSSES[loss]
        self.training = training or Training()
        self.fns: list[Activation | None] = [
            None if layer.activation is None else ACTIVATIONS[layer.activation] for layer in layers
        ]
        self.params: dict[str, np.ndarray] = {}
        self.param_order = list(self.param_shapes())
        self.given = set(params or {})  # the weights the file gave; a new seed redraws only the others
        self.initialize(params or {})
        self.velocity = {key: np.zeros_like(value) for key, value in self.params.items()}
        n_in, n_out = layers[0].size, layers[-1].size
        self.inputs = np.zeros((0, n_in)) if inputs is None else np.asarray(inputs, float)
        self.targets = np.zeros((0, n_out)) if targets is None else np.asarray(targets, float)
        self.sequences = sequences or []
        self.stream = self.test_stream = None  # an engine.tasks.Stream, when the file asks for one
        # The file's own names for single weights, as a lecture writes them: {("hidden", (0, 0)): "w1"}
        self.weight_names: dict[tuple[str, tuple[int, ...]], str] = {}

    # -- parameters ---------------------------------------------------------------------

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every trainable array, in the order the file and the trace list them."""
        shapes: dict[str, tuple[int, ...]] = {}
        for below, layer in zip(self.layers, self.layers[1:], strict=False):
            shapes[layer.name] = (layer.size, below.size)
            if layer.context:
                shapes[f"{layer.name}_context"] = (layer.size, layer.size)
            if layer.bias:
                shapes[f"{layer.name}_bias"] = (layer.size,)
        return shapes

    def initialize(self, given: dict[str, np.ndarray], seed: int | None = None) -> None:
        """Set the given arrays; draw the others uniformly from ±weight_range with the seed."""
        rng = np.random.default_rng(self.training.seed if seed is None else seed)
        r = self.training.weight_range
        for key, shape in self.param_shapes().items():
            drawn = rng.uniform(-r, r, size=shape)  # drawn even when given, so seeds stay stable
            self.params[key] = np.array(given[key], float) if key in given else drawn

    def reseed(self, seed: int) -> list[str]:
        """Draw new starting weights with `seed` for every array the file did not give; forget momentum.

        Returns the arrays redrawn (none when the file gives every weight).
        """
        self.training.seed = seed
        self.initialize({key: self.params[key] for key in self.given}, seed=seed)
        self.velocity = {key: np.zeros_like(value) for key, value in self.params.items()}
        return [key for key in self.param_order if key not in self.given]

    def copy(self) -> Network:
        twin = Network.__new__(Network)
        twin.__dict__.update(self.__dict__)
        twin.layers = [Layer(**vars(layer)) for layer in self.layers]
        twin.training = Training(**vars(self.training))
        twin.params = {k: v.copy() for k, v in self.params.items()}
        twin.given = set(self.given)
        twin.velocity = {k: v.copy() for k, v in self.velocity.items()}
        return twin

    @property
    def is_recurrent(self) -> bool:
        return any(layer.context for layer in self.layers)

    @property
    def output(self) -> Layer:
        return self.layers[-1]

    # -- the three phases ---------------------------------------------------------------

    def forward(self, inputs: np.ndarray, targets: np.ndarray | None = None, context: np.ndarray | None = None) -> Pass:
        """n_j = Σ_i a_i w_ij + b_j and a_j = f(n_j), layer by layer; then the loss.

        In an Elman network, `context` (rows as for inputs) feeds the context layer as one more
        input: n_j += Σ_k c_k w_c,kj. That is Elman's original training, one step at a time.
        """
        a = np.atleast_2d(np.asarray(inputs, float))
        nets: list[np.ndarray | None] = [None]
        acts = [a]
        for layer, fn in zip(self.layers[1:], self.fns[1:], strict=True):
            n = a @ self.params[layer.name].T
            if layer.bias:
                n += self.params[layer.name + "_bias"]
            if layer.context and context is not None:
                n += context @ self.params[layer.name + "_context"].T
            a = fn.value(n)
            nets.append(n)
            acts.append(a)
        if targets is None:
            return Pass(nets, acts, np.zeros_like(a), context=context)
        target = np.atleast_2d(np.asarray(targets, float))
        return Pass(nets, acts, target, self.loss.value(a, target, n, self.output.activation), context=context)

    def backward(self, record: Pass) -> Pass:
        """Fill in dE/da, dE/dn for every layer and dE/dw for every parameter (summed over rows)."""
        layers, fns = self.layers, self.fns
        top = len(layers) - 1
        a_out, n_out, t = record.activation[top], record.net_input[top], record.target
        dE_da: list[np.ndarray | None] = [None] * len(layers)
        dE_dn: list[np.ndarray | None] = [None] * len(layers)
        dE_da[top] = self.loss.dE_da(a_out, t, layers[top].activation)
        dE_dn[top] = self.loss.output_delta(a_out, n_out, t, fns[top], layers[top].activation, dE_da[top])
        grads: dict[str, np.ndarray] = {}
        for k in range(top, 0, -1):
            layer, delta = layers[k], dE_dn[k]
            grads[layer.name] = delta.T @ record.activation[k - 1]  # dE/dw_ij = dE/dn_j · a_i
            if layer.context and record.context is not None:
                grads[layer.name + "_context"] = delta.T @ record.context  # dE/dw_c,kj = dE/dn_j · c_k
            if layer.bias:
                # The bias unit's activation is 1 for every pattern: dE/db_j = Σ_p dE/dn_pj = 1ᵀ·δ
                # (written as a product so BLAS does it: several times faster than sum(axis=0)).
                grads[layer.name + "_bias"] = np.ones(len(delta)) @ delta if len(delta) > 1 else delta[0].copy()
            if k > 1:
                # dE/da_i = Σ_j dE/dn_j · w_ij: the error derivative sent down each connection
                dE_da[k - 1] = delta @ self.params[layer.name]
                dE_dn[k - 1] = fns[k - 1].backprop(dE_da[k - 1], record.net_input[k - 1], record.activation[k - 1])
        record.dE_da, record.dE_dn = dE_da, dE_dn
        record.gradients = {key: grads[key] for key in self.param_order if key in grads}
        return record

    def update(self, gradients: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Δw(t) = −ε ∂E/∂w + α Δw(t−1); returns the changes applied."""
        lr, momentum = self.training.learning_rate, self.training.momentum
        changes = {}
        for key, grad in gradients.items():
            change = -lr * grad
            if momentum:
                change += momentum * self.velocity[key]
            self.params[key] += change
            self.velocity[key] = change
            changes[key] = change
        return changes

    def hebb_gradients(self, inputs: np.ndarray, targets: np.ndarray) -> dict[str, np.ndarray]:
        """The Hebb rule Δw_ij = ε t_j a_i, written as a 'gradient' −t_j a_i so update() applies it."""
        grads = {self.output.name: -np.atleast_2d(targets).T @ np.atleast_2d(inputs)}
        if self.output.bias:
            grads[self.output.name + "_bias"] = -np.atleast_2d(targets).sum(axis=0)
        return grads

    def step(self, inputs: np.ndarray, targets: np.ndarray) -> Pass:
        """One forward pass, backward pass and update on the rows given."""
        record = self.backward(self.forward(inputs, targets))
        if self.training.rule == "hebb":
            self.update(self.hebb_gradients(inputs, targets))
        else:
            self.update(record.gradients)
        return record


def slopes(net: Network, net_input: list, activation: list) -> list[np.ndarray | None]:
    """∂a/∂n of every unit, per layer (None for the input layer and for softmax, which has no per-unit slope)."""
    return [
        fn.slope(n, a) if n is not None and fn.elementwise else None
        for fn, n, a in zip(net.fns, net_input, activation, strict=True)
    ]


def row_losses(net: Network, a: np.ndarray, t: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The loss of each row (a pattern, or a time step) on its own."""
    return net.loss.row_values(a, t, n, net.output.activation)


def default_labels(layers: list[Layer], index: int) -> list[str]:
    """Unit labels from the layer's first letter (i1, h1, o1); a number is added if letters clash."""
    layer = layers[index]
    letter = (layer.name[:1] or "u").lower()
    clashes = [i for i, other in enumerate(layers) if (other.name[:1] or "u").lower() == letter]
    prefix = letter if len(clashes) == 1 else f"{letter}{clashes.index(index) + 1}_"
    return [f"{prefix}{unit + 1}" for unit in range(layer.size)]
