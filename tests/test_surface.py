"""Decision surfaces: engine/surface.py and `bptutor surface` (shared/CONTRACTS.md §1)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine import surface as surfaces
from engine.kinds import kind_of, train
from engine.netfile import load_network
from engine.network import Network
from tests.conftest import NETWORKS
from tests.test_cli import run
from tutor.cli.parser import main
from tutor.widgets.surface_art import cell_rows, levels, pattern_marks

XOR = str(NETWORKS / "xor.toml")


def surface_json(capsys, *args: str) -> dict:
    assert main(["surface", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_grid_is_the_engines_forward_pass_at_every_point(capsys):
    data = surface_json(capsys, XOR, "--epochs", "400", "--size", "13x9")
    net = load_network(XOR)
    result = train(net, 400)
    assert data["epochs"] == result.epochs
    assert len(data["x"]) == 13 and len(data["y"]) == 9
    assert data["x"][0] == -0.5 and data["x"][-1] == 1.5 and data["y"][0] == -0.5 and data["y"][-1] == 1.5
    for key, value in net.params.items():
        np.testing.assert_array_equal(np.array(data["weights"][key]), value)
    for i, y in enumerate(data["y"]):
        for j, x in enumerate(data["x"]):
            record = net.forward(np.array([[x, y]]))  # one point at a time: output[i][j] is at (x[j], y[i])
            assert data["output"][i][j] == pytest.approx(record.activation[-1][0, 0], abs=1e-12)
            assert data["hidden"]["h1"][i][j] == pytest.approx(record.activation[1][0, 0], abs=1e-12)
            assert data["hidden"]["h2"][i][j] == pytest.approx(record.activation[1][0, 1], abs=1e-12)


def test_the_four_xor_corners_are_the_trained_outputs(capsys):
    data = surface_json(capsys, XOR, "--epochs", "3000")
    net = load_network(XOR)
    train(net, 3000)
    x, y = data["x"], data["y"]
    assert len(x) == len(y) == 41  # the default grid: a step of .05, so 0 and 1 are grid points
    for row in kind_of(net).outputs():
        a, b = row.inputs
        j, i = x.index(pytest.approx(a, abs=1e-12)), y.index(pytest.approx(b, abs=1e-12))
        assert data["output"][i][j] == pytest.approx(row.outputs[0], abs=1e-12)
    corners = [data["output"][y.index(pytest.approx(b))][x.index(pytest.approx(a))] for a, b in [(0, 0), (1, 1)]]
    opposite = [data["output"][y.index(pytest.approx(b))][x.index(pytest.approx(a))] for a, b in [(0, 1), (1, 0)]]
    assert max(corners) < 0.5 < min(opposite)  # the file's seed learns XOR in 3000 epochs


def test_weights_are_those_train_json_prints(capsys):
    surface = surface_json(capsys, XOR, "--epochs", "50", "--seed", "7")
    assert main(["train", XOR, "--epochs", "50", "--seed", "7", "--json"]) == 0
    trained = json.loads(capsys.readouterr().out)
    assert surface["weights"] == trained["weights"]
    assert surface["epochs"] == trained["epochs"] == 50


def test_without_epochs_the_surface_is_the_untrained_network(capsys):
    data = surface_json(capsys, XOR, "--size", "2x2")
    net = load_network(XOR)
    assert data["epochs"] == 0
    expected = net.forward(np.array([[-0.5, -0.5], [1.5, -0.5], [-0.5, 1.5], [1.5, 1.5]])).activation[-1][:, 0]
    np.testing.assert_allclose(np.array(data["output"]).ravel(), expected, atol=1e-15)


def test_one_forward_pass_for_the_whole_grid(monkeypatch):
    net = load_network(XOR)
    calls = []
    original = Network.forward

    def counting(self, inputs, *args, **kwargs):
        calls.append(np.shape(inputs))
        return original(self, inputs, *args, **kwargs)

    monkeypatch.setattr(Network, "forward", counting)
    found = surfaces.compute(net, 60, 60)
    assert calls == [(3600, 2)]
    assert found.output.shape == (60, 60) and set(found.hidden) == {"h1", "h2"}


def test_a_lesson_can_choose_the_square():
    net = load_network(XOR)
    found = surfaces.compute(net, 5, 3, span=(0.0, 1.0))
    np.testing.assert_allclose(found.x, [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(found.y, [0, 0.5, 1])
    assert found.output[2, 4] == pytest.approx(net.forward(np.array([[1.0, 1.0]])).activation[-1][0, 0])


@pytest.mark.parametrize(
    "network, message",
    [("encoder_424", "this network has 4"), ("temporal_xor", "recurrent network")],
)
def test_networks_without_two_plain_inputs_get_a_message_and_exit_1(network, message):
    result = run("surface", str(NETWORKS / f"{network}.toml"))
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("size", ["41", "0x10", "axb", "2000x2"])
def test_a_bad_size_is_a_usage_error(size):
    result = run("surface", XOR, "--size", size)
    assert result.returncode == 2
    assert "WxH" in result.stderr or "from 2 to 1000" in result.stderr


def test_plain_output_draws_shades_marks_targets_and_names_hidden_units(capsys):
    assert main(["surface", XOR, "--epochs", "3000", "--size", "41x41"]) == 0
    out = capsys.readouterr().out
    assert "XOR 2-2-1" in out and "after" in out
    lines = out.splitlines()
    drawing = [line[6:47] for line in lines[1:22]]  # 21 cell rows of 41 columns, after the axis labels
    # (0, 0) is x index 10, y index 10: cell row (40 − 10) // 2 = 15 from the top; (1, 1) is column 30, row 5
    assert drawing[15][10] == "0" and drawing[5][30] == "0"
    assert drawing[15][30] == "1" and drawing[5][10] == "1"
    assert "h1 ≈" in out and "h2 ≈" in out
    assert "\x1b[" not in out  # not a terminal: shades, no colour codes


def test_levels_centre_on_the_middle_of_the_units_range():
    values = np.array([[0.0, 0.5, 1.0, 0.75]])
    assert levels(values, (0.0, 1.0)).tolist() == [[-6, 0, 6, 3]]
    assert levels(np.array([[-2.0, 4.0]]), None).tolist() == [[-3, 6]]  # unbounded: scaled to the largest


def test_half_blocks_put_the_upper_pixel_in_front():
    grid = np.array([[0.0, 1.0], [1.0, 0.0]])  # bottom row first: (x0,y0)=0, (x1,y0)=1, (x0,y1)=1, (x1,y1)=0
    (line,) = cell_rows(grid, (0.0, 1.0))
    assert line.plain == "▀▀"
    first, second = line.spans[0].style, line.spans[1].style
    assert first.color.triplet != first.bgcolor.triplet  # red over blue, then blue over red
    assert first.color.triplet == second.bgcolor.triplet and first.bgcolor.triplet == second.color.triplet


def test_marks_fall_on_the_nearest_cell_and_patterns_outside_are_left_out():
    x, y = np.linspace(-0.5, 1.5, 41), np.linspace(-0.5, 1.5, 41)
    inputs = np.array([[0, 0], [1, 1], [3, 3], [0.5, 0.25]])
    targets = np.array([[0], [1], [1], [0.3]])
    assert pattern_marks(x, y, inputs, targets) == {(15, 10): "0", (5, 30): "1", (12, 20): "•"}


def test_help_describes_the_command():
    result = run("surface", "--help")
    assert result.returncode == 0
    assert "usage: bptutor surface" in result.stdout and "--size WxH" in result.stdout


def test_training_that_diverges_is_reported_and_draws_nothing(tmp_path):
    from tests.test_cli import DIVERGES

    path = tmp_path / "diverges.toml"
    path.write_text(DIVERGES)
    assert load_network(path).layers[0].size == 2
    result = run("surface", str(path), "--epochs", "400", "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert f"{path}: training diverged at epoch" in result.stderr and "Traceback" not in result.stderr
