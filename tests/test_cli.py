"""The command line of shared/CONTRACTS.md §1, §3, §4, run as a user would."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import NETWORKS, ROOT

SUBCOMMANDS = ["quiz", "lessons", "trace", "train", "validate"]


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("bptutor 0.")


@pytest.mark.parametrize("command", [[], *([c] for c in SUBCOMMANDS)])
def test_help_everywhere(command):
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "usage: bptutor" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["trace"],
        ["train", "x.toml", "--epochs", "zero"],
        ["train", "x.toml", "--epochs", "0"],
        ["trace", "a.toml", "--json", "--md"],
    ],
)
def test_bad_usage_exits_2(args):
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_trace_json_follows_the_contract():
    result = run("trace", str(NETWORKS / "two_two_two.toml"), "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["network"] == "Two-two-two worked example"
    assert data["pattern"] == 0
    assert data["outputs"] == pytest.approx([0.7513650695, 0.7729284653], abs=1e-10)
    assert data["loss"] == pytest.approx(0.2983711088, abs=1e-10)
    assert data["weights_after"]["hidden"][0][0] == pytest.approx(0.149780716, abs=1e-9)
    assert data["gradients"]["output"][0][0] == pytest.approx(0.082167041, abs=1e-9)
    first = data["terms"][0]
    assert first == {
        **first,
        "id": "n.hidden.0",
        "phase": "forward",
        "symbol": "n_h1",
        "expression": "0.05 × 0.15 + 0.10 × 0.20 + 0.35",
        "value": 0.3775,
    }
    phases = [t["phase"] for t in data["terms"]]
    assert phases.index("backward") > phases.index("forward") and phases[-1] == "update"


def test_trace_markdown_is_a_worked_example():
    result = run("trace", str(NETWORKS / "one_hidden_unit.toml"), "--weight", "hidden[0][0]")
    assert result.returncode == 0
    out = result.stdout
    for heading in ("## Forward pass", "## Backward pass", "## Weight update", "## Chain rule for ∂E/∂w1"):
        assert heading in out
    assert "| 0.500975 |" in out and "| 0.539992 |" in out and "| 0.130137 |" in out
    assert "| (−0.460008) × 0.248401 × 0.32 × 0.249999 × 0.03 |" in out


def test_trace_pattern_and_batch():
    one = json.loads(run("trace", str(NETWORKS / "xor.toml"), "--pattern", "3", "--json").stdout)
    assert one["pattern"] == 3 and one["inputs"] == [1.0, 1.0]
    batch = json.loads(run("trace", str(NETWORKS / "xor.toml"), "--batch", "--json").stdout)
    assert batch["pattern"] is None
    assert len(batch["terms"]) > len(one["terms"])


def test_trace_pattern_out_of_range():
    result = run("trace", str(NETWORKS / "xor.toml"), "--pattern", "9")
    assert result.returncode == 1
    assert "--pattern 9 does not exist: the file has 4 patterns (0 to 3)" in result.stderr


def test_trace_unknown_weight():
    result = run("trace", str(NETWORKS / "xor.toml"), "--weight", "hidden[7][0]")
    assert result.returncode == 1 and "no weight 'hidden[7][0]'" in result.stderr


def test_train_json_follows_the_contract():
    result = run("train", str(NETWORKS / "xor.toml"), "--epochs", "50", "--seed", "2", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["epochs"] == 50 and len(data["loss_history"]) == 50
    assert data["final_loss"] == data["loss_history"][-1]
    assert set(data["weights"]) == {"hidden", "hidden_bias", "output", "output_bias"}
    again = json.loads(run("train", str(NETWORKS / "xor.toml"), "--epochs", "50", "--seed", "2", "--json").stdout)
    assert again["loss_history"] == data["loss_history"]  # seeded: the same run twice
    other = json.loads(run("train", str(NETWORKS / "xor.toml"), "--epochs", "50", "--seed", "3", "--json").stdout)
    assert other["loss_history"] != data["loss_history"]


def test_train_stops_at_ecrit():
    data = json.loads(run("train", str(NETWORKS / "xor.toml"), "--seed", "1", "--ecrit", "0.04", "--json").stdout)
    assert data["stopped_early"] and data["final_loss"] < 0.04 < data["loss_history"][-2]
    assert data["epochs"] == len(data["loss_history"]) < 1000


def test_train_summary_on_plain_output():
    result = run("train", str(NETWORKS / "xor.toml"), "--seed", "1")
    assert result.returncode == 0
    assert "reached tss < ecrit = 0.04 at epoch" in result.stdout


BROKEN = '[[layers]]\nname = "input"\nsize = 2\n[[layers]]\nname = "out"\nsize = 1\nactivation = "sigmod"\n'


@pytest.mark.parametrize("command", [["validate"], ["trace"], ["train"]])
def test_broken_file_gives_file_and_line_not_a_traceback(tmp_path, command):
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN)
    result = run(*command, str(path))
    assert result.returncode == 1
    # validate prints its problems on stdout (a summary on stderr), trace and train on stderr
    lines = (result.stdout + result.stderr).splitlines()
    # exactly FILE:LINE: message, the line of the misspelt activation, then FILE: message for the whole file
    expected = rf"{re.escape(str(path))}:7: unknown activation 'sigmod' \(expected one of: [a-z]+(, [a-z]+)*\)"
    assert re.fullmatch(expected, lines[0]) and " sigmoid," in lines[0], lines
    assert lines[1] == f"{path}: no [[patterns]]: a network needs at least one pattern to learn from"
    assert lines[2:] == (["2 problems in 1 file (1 checked)."] if command == ["validate"] else [])


def test_validate_reports_every_problem_one_per_line(tmp_path):
    (tmp_path / "a.toml").write_text(BROKEN)
    (tmp_path / "b.toml").write_text("name = [\n")
    result = run("validate", str(tmp_path))
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1
    assert lines[0].startswith(f"{tmp_path}/a.toml:7: unknown activation")
    assert lines[1].startswith(f"{tmp_path}/a.toml: no [[patterns]]")
    assert lines[2].startswith(f"{tmp_path}/b.toml:2: not valid TOML")
    assert len(lines) == 3


def test_validate_bundled_files():
    result = run("validate", str(NETWORKS))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_validate_missing_path(tmp_path):
    result = run("validate", str(tmp_path / "nope.toml"))
    assert result.returncode == 1 and "no such file or folder" in result.stdout


def test_quiz_with_an_unknown_lesson_says_which_exist():
    result = run("quiz", "--lesson", "nope")
    assert result.returncode == 2
    assert "no lesson 'nope' (the lessons are: tour, hidden-units," in result.stderr


DIVERGES = (
    (NETWORKS / "two_two_two.toml")
    .read_text()
    .replace('name = "output"\nsize = 2\nactivation = "sigmoid"', 'name = "output"\nsize = 2\nactivation = "linear"')
    .replace("learning_rate = 0.5", "learning_rate = 50.0")
)


@pytest.mark.parametrize("as_json", [False, True])
def test_training_that_diverges_is_reported_not_printed_as_nan(tmp_path, as_json):
    assert 'activation = "linear"' in DIVERGES and "learning_rate = 50.0" in DIVERGES
    path = tmp_path / "diverges.toml"
    path.write_text(DIVERGES)
    result = run("train", str(path), "--epochs", "400", *(["--json"] if as_json else []))
    assert result.returncode == 1
    assert f"{path}: training diverged at epoch" in result.stderr and "smaller" in result.stderr
    assert "Traceback" not in result.stderr and "RuntimeWarning" not in result.stderr
    if as_json:
        data = json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
        assert data["diverged"] is True and data["final_loss"] is None
        assert data["epochs"] == len(data["loss_history"]) < 400


ONE_PATTERN = "[[patterns]]\ninput = [0, 1]\ntarget = [1]"


def small_net(hidden: str = 'name = "hidden"\nsize = 2', patterns: str = ONE_PATTERN) -> str:
    return (
        '[[layers]]\nname = "input"\nsize = 2\n\n'
        + f"[[layers]]\n{hidden}\nbias = true\n\n"
        + '[[layers]]\nname = "output"\nsize = 1\n\n'
        + patterns
        + "\n"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        (
            small_net().replace('"output"', '"hidden_bias"'),
            ":11: a layer cannot be named 'hidden_bias': that name belongs to the bias weights of layer 'hidden'",
        ),
        (small_net('name = "hidden"\nsize = 5000'), ":7: 'layers.size' should be at most 1000, got 5000"),
        ("patterns = []\n" + small_net(patterns=""), ":1: 'patterns' is empty"),
    ],
)
def test_validate_catches_clashing_names_huge_layers_and_empty_patterns(tmp_path, text, message):
    path = tmp_path / "net.toml"
    path.write_text(text)
    result = run("validate", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith(f"{path}{message}"), result.stdout


def test_trace_json_of_a_recurrent_network_is_unrolled_in_time():
    result = run("trace", str(NETWORKS / "tiny_srn.toml"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    steps = len(data["inputs"])
    assert {term.get("step") for term in data["terms"]} - {None} == set(range(1, steps + 1))
    by_id = {term["id"]: term for term in data["terms"]}
    # ∂E/∂w = Σ_t ∂E_t/∂w, and that sum is the gradient reported for the weight
    total = by_id["dE/dw.output.0.0"]
    assert sum(by_id[source]["value"] for source in total["depends"]) == pytest.approx(total["value"], abs=1e-15)
    assert total["value"] == pytest.approx(data["gradients"]["output"][0][0], abs=1e-15)
    assert data["loss"] == pytest.approx(sum(term["value"] for term in data["terms"] if term["id"].startswith("E@t")))


def test_train_json_of_a_recurrent_network_reports_errors_by_position():
    result = run("train", str(NETWORKS / "temporal_xor_4.toml"), "--epochs", "3", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["epochs"] == len(data["loss_history"]) == 3
    errors, kinds = data["position_errors"], data["position_kinds"]
    assert len(errors) == len(kinds) == len(data["position_labels"]) > 0
    for kind, mean in data["mean_error_by_kind"].items():
        picked = [e for e, k in zip(errors, kinds, strict=True) if k == kind]
        assert mean == pytest.approx(sum(picked) / len(picked))


def test_trace_batch_of_a_recurrent_network_is_a_usage_error():
    result = run("trace", str(NETWORKS / "tiny_srn.toml"), "--batch")
    assert result.returncode == 2 and "--batch is for feed-forward networks" in result.stderr


@pytest.mark.parametrize("network, extra", [("two_two_two.toml", []), ("xor.toml", ["--batch"]), ("tiny_srn.toml", [])])
def test_trace_check_sets_backprop_beside_finite_differences(network, extra):
    result = run("trace", str(NETWORKS / network), "--check", "--json", *extra)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    check = data["gradient_check"]
    assert check["agrees"] and check["max_rel_error"] < 1e-6
    named = {row["weight"]: row for row in check["weights"]}
    for key, grad in data["gradients"].items():
        flat = np.ravel(grad)
        assert len([w for w in named if w.split("[")[0] == key]) == len(flat)
        first = named[key + "[0]" * np.ndim(grad)]
        assert first["backprop"] == pytest.approx(flat[0], rel=1e-12, abs=1e-15)
        assert first["finite_difference"] == pytest.approx(flat[0], rel=1e-5, abs=1e-9)
    text = run("trace", str(NETWORKS / network), "--check", "--md", *extra).stdout
    assert "## Gradient check" in text and "so they agree" in text


@pytest.mark.parametrize("weight", ["hidden[0][0", "hidden[0][0]x", "hidden[a][0]", "[0][0]"])
def test_trace_weight_of_the_wrong_form_is_refused(weight):
    result = run("trace", str(NETWORKS / "two_two_two.toml"), "--weight", weight)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"no weight '{weight}'" in result.stderr


@pytest.mark.parametrize(
    ("option", "text", "expected"),
    [
        ("--epochs", "zero", "expected a whole number, got 'zero'"),
        ("--epochs", "0", "expected a whole number ≥ 1, got 0"),
        ("--seed", "-1", "expected a whole number from 0 to 4294967295, got -1"),
        ("--seed", "4294967296", "expected a whole number from 0 to 4294967295, got 4294967296"),
        ("--ecrit", "-0.5", "expected a number ≥ 0, got -0.5"),
        ("--ecrit", "nan", "expected a number ≥ 0, got nan"),
        ("--ecrit", "low", "expected a number, got 'low'"),
    ],
)
def test_a_bad_number_says_what_form_is_expected(option, text, expected, capsys):
    from tutor.cli.parser import build_parser

    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["train", "x.toml", option, text])
    assert stop.value.code == 2
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "text"), [("--epochs", "1"), ("--seed", "0"), ("--seed", "4294967295"), ("--ecrit", "0")]
)
def test_a_number_at_the_edge_of_its_range_is_taken(option, text):
    from tutor.cli.parser import build_parser

    args = build_parser().parse_args(["train", "x.toml", option, text])
    assert float(getattr(args, option.lstrip("-"))) == float(text)
