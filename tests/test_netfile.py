"""Network files: every mistake is reported with its file and line, and every bundled file is valid."""

from __future__ import annotations

import textwrap

import pytest

from engine.netfile import check_network_file, load_network
from engine.tomlfile import FileProblems, read_toml
from tests.conftest import NETWORKS

GOOD = """\
name = "ok"

[[layers]]
name = "input"
size = 2

[[layers]]
name = "hidden"
size = 2
activation = "sigmoid"
bias = true

[[layers]]
name = "output"
size = 1
activation = "sigmoid"

[training]
learning_rate = 0.5

[weights]
hidden = [[0.1, 0.2], [0.3, 0.4]]

[[patterns]]
input = [0, 1]
target = [1]
"""


def problems_of(tmp_path, text: str) -> list[str]:
    path = tmp_path / "net.toml"
    path.write_text(text)
    return [str(p).replace(str(tmp_path) + "/", "") for p in check_network_file(path)]


def replace_line(text: str, line: int, new: str) -> str:
    lines = text.splitlines()
    lines[line - 1] = new
    return "\n".join(lines) + "\n"


def test_good_file_has_no_problems(tmp_path):
    assert problems_of(tmp_path, GOOD) == []


@pytest.mark.parametrize(
    "line, new, expected",
    [
        (10, 'activation = "sigmod"', "net.toml:10: unknown activation 'sigmod' (expected one of: sigmoid, tanh"),
        (9, 'size = "two"', "net.toml:9: 'layers.size' should be a whole number, got 'two'"),
        (9, "size = 0", "net.toml:9: 'layers.size' should be at least 1, got 0"),
        (11, "bais = true", "net.toml:11: unknown key 'bais' in layer 2"),
        (19, 'learning_rate = "fast"', "net.toml:19: 'training.learning_rate' should be a number, got 'fast'"),
        (19, "momentum = 1.5", "net.toml:19: 'training.momentum' should be below 1, got 1.5"),
        (22, "hidden = [[0.1, 0.2], [0.3]]", "net.toml:22: row 2 of weights.hidden has 1 value, expected 2"),
        (22, "hidden = [[0.1, 0.2]]", "net.toml:22: weights.hidden has 1 row, expected 2 (shape 2 × 2)"),
        (22, 'hidden = [[0.1, "x"], [0.3, 0.4]]', "net.toml:22: 'weights.hidden' should be a number, got 'x'"),
        (22, "hiden = [[0.1, 0.2], [0.3, 0.4]]", "net.toml:22: unknown weights 'hiden' (this network has: hidden, "),
        (25, "input = [0, 1, 1]", "net.toml:25: the input of pattern 1 has 3 values, expected 2 (shape 2)"),
        (26, "target = []", "net.toml:26: the target of pattern 1 has 0 values, expected 1 (shape 1)"),
        (1, 'name = "ok"\nlosss = 3', "net.toml:2: unknown key 'losss' (expected one of: description, layers,"),
        (
            18,
            '[loss]\nkind = "mse"\n[training]',
            "net.toml:19: unknown kind 'mse' (expected one of: half_sse, sse, cross_entropy)",
        ),
        (5, 'size = 2\nactivation = "relu"', "net.toml:6: the input layer has no activation function: remove it"),
        (11, "bias = true\ncontext = true", "net.toml:25: a network with context units learns from [[sequences]], not"),
    ],
)
def test_each_mistake_is_reported_with_its_line(tmp_path, line, new, expected):
    found = problems_of(tmp_path, replace_line(GOOD, line, new))
    assert any(p.startswith(expected) for p in found), found


NAMED = GOOD.replace(
    "[[patterns]]", '[weight_names]\nhidden = [["w1", ""], ["w3", "w4"]]\nhidden_bias = ["θ1", ""]\n\n[[patterns]]'
)


@pytest.mark.parametrize(
    "line, new, expected",
    [
        (25, 'hidden = [["w1", ""]]', "net.toml:25: weight_names.hidden should be a list of 2 rows, shaped like the"),
        (25, 'hidden = [["w1", 2], ["w3", "w4"]]', "net.toml:25: a weight's name should be short text without spaces"),
        (25, 'hidden = [["w 1", ""], ["w3", "w4"]]', "net.toml:25: a weight's name should be short text without"),
        (25, 'hidden = [["w1", "w1"], ["w3", "w4"]]', "net.toml:25: two weights are named 'w1': hidden[0][0] and hi"),
        (26, 'outptu = [["v1", "v2"]]', "net.toml:26: unknown weights 'outptu' (this network has: hidden, hidden_b"),
    ],
)
def test_weight_name_mistakes_are_reported_with_their_line(tmp_path, line, new, expected):
    assert problems_of(tmp_path, NAMED) == []
    found = problems_of(tmp_path, replace_line(NAMED, line, new))
    assert any(p.startswith(expected) for p in found), found


def test_named_weights_appear_in_the_trace_under_their_names(tmp_path):
    from engine.kinds import build_trace

    path = tmp_path / "net.toml"
    path.write_text(NAMED)
    trace = build_trace(load_network(path))
    assert trace["n.hidden.0"].formula == "a_i1 · w1 + a_i2 · w_i2,h1 + θ1"
    assert trace["n.hidden.1"].formula == "a_i1 · w3 + a_i2 · w4 + b_h2"
    assert trace["dE/dw.hidden.0.0"].symbol == "∂E/∂w1"
    assert trace["dE/da.hidden.1"].formula == "∂E/∂n_o1 · w_h2,o1"
    assert trace["w.hidden.0.0"].formula == "w1 + Δw1"
    assert trace.chain("hidden[0][0]").products[0].formula.endswith("· ∂n_h1/∂w1")
    # a name changes only how the weight is written, never a number
    plain = build_trace(load_network(path, text=GOOD))
    assert [t.value for t in plain.terms] == [t.value for t in trace.terms]


def test_context_on_the_output_layer(tmp_path):
    text = GOOD.replace('size = 1\nactivation = "sigmoid"', 'size = 1\nactivation = "sigmoid"\ncontext = true')
    # the only message: whether [[patterns]] or [[sequences]] are right depends on how it is fixed
    assert problems_of(tmp_path, text) == [
        "net.toml:17: the output layer cannot have context units: put context = true on a hidden layer"
    ]


def test_missing_layers(tmp_path):
    assert problems_of(tmp_path, 'name = "x"\n[[patterns]]\ninput = [1]\ntarget = [1]\n') == [
        "net.toml: no [[layers]]: a network needs at least an input and an output layer"
    ]


def test_cross_entropy_needs_softmax_or_sigmoid(tmp_path):
    text = GOOD.replace('size = 1\nactivation = "sigmoid"', 'size = 1\nactivation = "linear"')
    text = text.replace("[training]", '[loss]\nkind = "cross_entropy"\n\n[training]')
    assert problems_of(tmp_path, text) == [
        "net.toml:19: cross_entropy needs softmax or sigmoid output units, but 'output' is linear"
    ]


def test_toml_syntax_error_names_the_line(tmp_path):
    found = problems_of(tmp_path, GOOD.replace("learning_rate = 0.5", "learning_rate = = 0.5"))
    assert len(found) == 1 and found[0].startswith("net.toml:19: not valid TOML")


def test_all_problems_are_reported_at_once(tmp_path):
    text = replace_line(replace_line(GOOD, 10, 'activation = "nope"'), 19, "learning_rate = -1")
    found = problems_of(tmp_path, text)
    assert [p.split(":")[1] for p in found] == ["10", "19"]


def test_missing_file_and_folder(tmp_path):
    assert [str(p) for p in check_network_file(tmp_path / "none.toml")] == [f"{tmp_path}/none.toml: no such file"]
    assert str(check_network_file(tmp_path)[0]).endswith("is a folder, not a file")


def test_load_network_raises_with_problems(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(replace_line(GOOD, 9, "size = -3"))
    with pytest.raises(FileProblems) as err:
        load_network(path)
    assert err.value.problems[0].line == 9


def test_recurrent_mistakes(tmp_path):
    text = textwrap.dedent("""\
        [[layers]]
        name = "input"
        size = 1
        [[layers]]
        name = "hidden"
        size = 2
        context = true
        [[layers]]
        name = "output"
        size = 1
        [training]
        bptt_steps = -1
        [[sequences]]
        inputs = [[1], [0], [1]]
        targets = [[0], [1]]
        [[sequences]]
        inputs = [[1, 0]]
        targets = [[0]]
        """)
    found = problems_of(tmp_path, text)
    assert "net.toml:12: 'training.bptt_steps' should be at least 0, got -1" in found
    assert "net.toml:15: sequence 1 has 3 input steps but 2 target steps" in found
    assert "net.toml:17: row 1 of the inputs of sequence 2 has 2 values, expected 1 (shape 1)" in found


@pytest.mark.parametrize("path", sorted(NETWORKS.glob("*.toml")), ids=lambda p: p.name)
def test_every_bundled_network_is_valid(path):
    assert check_network_file(path) == []


def test_locator_finds_nested_positions(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text('a = 1\n[t]\nm = [\n  [1, 2],\n  [3,\n   4],\n]\ns = """x\n]"""\n[[arr]]\nk = 1\n[[arr]]\nk = 2\n')
    _, where = read_toml(path)
    assert where.line("t", "m", 1, 1) == 6
    assert where.line("t", "s") == 8
    assert where.line("arr", 1, "k") == 13
    assert where.line("arr", 1, "missing") == 12


def test_softmax_below_the_output_of_a_recurrent_network(tmp_path):
    text = (
        '[[layers]]\nname = "input"\nsize = 1\n[[layers]]\nname = "hidden"\nsize = 2\nactivation = "softmax"\n'
        'context = true\n[[layers]]\nname = "output"\nsize = 1\n[[sequences]]\ninputs = [[1], [0]]\n'
        "targets = [[0], [1]]\n"
    )
    assert problems_of(tmp_path, text) == [
        "net.toml:7: in a recurrent network only the output layer can be softmax, not 'hidden': use sigmoid or tanh"
    ]
    assert problems_of(tmp_path, text.replace('"softmax"', '"tanh"')) == []
